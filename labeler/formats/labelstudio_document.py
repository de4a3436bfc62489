"""Document labels in Label Studio: the results of controls on the whole text, not on a region.

A `[document]` attribute of the schema is a control named after it with `toName` the text: a
`Choices` (choice "single" or "multiple"), a `TextArea` (free text) or a `Rating` (maxRating the
attribute's scale). Its result carries no region: `{"from_name", "to_name", "type": "choices",
"value": {"choices": [...]}}`, `"textarea"` with `{"text": ["..."]}`, `"rating"` with
`{"rating": 4}`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from labeler.domain.annotation import AnnotationSet
from labeler.domain.schema import DocumentAttribute, DocumentKind, LabelSchema
from labeler.domain.snippets import shown, shown_json

if TYPE_CHECKING:  # ElementTree loads slowly, and reading a task file needs none of it
    import xml.etree.ElementTree as ET

TEXT = "text"  # the name of the Text object (as labelstudio_config names it)
_TYPE_OF = {
    DocumentKind.CHOICE: "choices",
    DocumentKind.MULTIPLE: "choices",
    DocumentKind.TEXT: "textarea",
    DocumentKind.RATING: "rating",
}
DOCUMENT_TYPES = ("choices", "textarea", "rating")


def document_results(s: AnnotationSet, prefix: str) -> list[dict[str, Any]]:
    """The set's document labels as Label Studio results, by attribute name."""
    results = []
    for n, name in enumerate(sorted(s.document_labels), 1):
        values = s.document_labels[name]
        kind = s.schema.document_attribute(name).kind
        if kind is DocumentKind.TEXT:
            value: dict[str, Any] = {"text": list(values)}
        elif kind is DocumentKind.RATING:
            value = {"rating": int(values[0])}
        else:
            value = {"choices": list(values)}
        results.append(
            {
                "id": f"{prefix}{n}",
                "from_name": name,
                "to_name": TEXT,
                "type": _TYPE_OF[kind],
                "value": value,
            }
        )
    return results


def is_document_result(r: dict[str, Any], regions: set[Any]) -> bool:
    """Whether a result is on the whole text: a choices, textarea or rating result that names
    no region and gives no offsets."""
    value = r.get("value")
    placed = isinstance(value, dict) and ("start" in value or "end" in value)
    rid = r.get("id")
    owned = type(rid) in (int, str) and rid in regions
    return r.get("type") in DOCUMENT_TYPES and not placed and not owned


def read_document_result(
    r: dict[str, Any], where: str
) -> tuple[str, tuple[str, ...], DocumentKind]:
    """A document result's attribute name, values and the kind its control says;
    ValueError says what is wrong."""
    name, kind, value = r.get("from_name"), r.get("type"), r.get("value")
    if not isinstance(name, str) or not name:
        raise ValueError(f"{where}: a {kind} result on the text has no 'from_name'")
    if not isinstance(value, dict):
        raise ValueError(f"{where}: {name}: 'value' must be an object")
    if kind == "rating":
        rating = value.get("rating")
        if isinstance(rating, bool) or not isinstance(rating, int | float) or rating != int(rating):
            raise ValueError(f"{where}: rating {shown(name)} is {shown_json(rating)}, not a number")
        return name, (str(int(rating)),), DocumentKind.RATING
    key = "text" if kind == "textarea" else "choices"
    items = value.get(key)
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise ValueError(f"{where}: {name}: {key!r} must be a list of strings")
    if kind == "textarea":
        return name, ("\n".join(items),) if items else (), DocumentKind.TEXT
    several = DocumentKind.MULTIPLE if len(items) > 1 else DocumentKind.CHOICE
    return name, tuple(items), several


def document_controls(view: ET.Element, schema: LabelSchema) -> None:
    """A control on the whole text for each document attribute of the schema."""
    for attribute in schema.document_attributes:
        _control(view, attribute)


def _control(view: ET.Element, attribute: DocumentAttribute) -> None:
    name = attribute.name
    # Label Studio draws a control without a title: "yes / no / unsure" would ask nothing.
    heading = f"{name}: {attribute.description}" if attribute.description else name
    import xml.etree.ElementTree as ET

    ET.SubElement(view, "Header", value=heading)
    if attribute.kind is DocumentKind.TEXT:
        ET.SubElement(view, "TextArea", name=name, toName=TEXT, maxSubmissions="1", editable="true")
        return
    if attribute.kind is DocumentKind.RATING:
        ET.SubElement(view, "Rating", name=name, toName=TEXT, maxRating=str(attribute.scale))
        return
    single = attribute.kind is DocumentKind.CHOICE
    choices = ET.SubElement(
        view, "Choices", name=name, toName=TEXT, choice="single" if single else "multiple"
    )
    for value in attribute.values:
        ET.SubElement(choices, "Choice", value=value)


def attribute_of_control(control: ET.Element) -> DocumentAttribute | None:
    """The document attribute a control of a labelling config on the whole text stands for."""
    name = control.get("name")
    if not name or control.get("perRegion") == "true":
        return None
    if control.tag == "TextArea":
        return DocumentAttribute(name, DocumentKind.TEXT)
    if control.tag == "Rating":
        scale = control.get("maxRating", "5")
        return DocumentAttribute(
            name, DocumentKind.RATING, scale=int(scale) if scale.isdigit() else 5
        )
    if control.tag == "Choices":
        values = tuple(
            dict.fromkeys(c.get("value", "") for c in control.iter("Choice") if c.get("value"))
        )
        multiple = control.get("choice") == "multiple"
        kind = DocumentKind.MULTIPLE if multiple else DocumentKind.CHOICE
        return DocumentAttribute(name, kind, values) if values else None
    return None
