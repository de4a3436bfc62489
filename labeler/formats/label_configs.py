"""Label schemas from other tools' label configurations: a Label Studio labelling config (XML)
and a doccano label list (JSON)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from labeler.domain.errors import InputError, Location
from labeler.domain.schema import Attribute, Label, LabelSchema, Layer, RelationType
from labeler.formats.labelstudio_document import attribute_of_control

LAYER = "entity"
_DEFAULT_COLOUR = "#a6cee3"


def _colour(value: str | None) -> str:
    value = (value or "").strip().lower()
    ok = len(value) == 7 and value[0] == "#" and all(c in "0123456789abcdef" for c in value[1:])
    return value if ok else _DEFAULT_COLOUR


def _schema(name: str, labels: list[Label], source: str) -> LabelSchema:
    if not labels:
        raise InputError(Location(source), "names no labels")
    unique = list({label.name: label for label in labels}.values())
    return LabelSchema(name, (Layer(LAYER, tuple(unique)),))


def schema_from_labelstudio(text: str, name: str, source: str = "config.xml") -> LabelSchema:
    """The schema of a Label Studio labelling config: its `<Labels>` (span labels), its
    `<Relations>` (allowed between any labels), its per-region `<Choices>` (attributes) and its
    `<Choices>`, `<TextArea>` and `<Rating>` on the whole text (document attributes)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(Location(source, exc.position[0]), f"not XML: {exc}") from None
    labels = [
        Label(item.get("value", ""), LAYER, _colour(item.get("background")))
        for control in root.iter()
        if control.tag in ("Labels", "HyperTextLabels", "ParagraphLabels")
        for item in control
        if item.tag == "Label" and item.get("value")
    ]
    schema = _schema(name, labels, source)
    names = tuple(label.name for label in schema.labels())
    relations = tuple(
        RelationType(item.get("value", ""), names, names)
        for control in root.iter("Relations")
        for item in control
        if item.get("value")
    )
    attributes = tuple(
        Attribute(
            control.get("name", ""),
            names,
            tuple(c.get("value", "") for c in control.iter("Choice") if c.get("value")),
        )
        for control in root.iter("Choices")
        if control.get("perRegion") == "true" and control.get("name")
    )
    taken = {a.name for a in attributes}
    documents = tuple(
        found
        for control in root.iter()
        if control.tag in ("Choices", "TextArea", "Rating")
        and (found := attribute_of_control(control)) is not None
        and found.name not in taken
    )
    return LabelSchema(name, schema.layers, attributes, relations, document_attributes=documents)


def schema_from_doccano(text: str, name: str, source: str = "labels.json") -> LabelSchema:
    """The schema of a doccano label list: `[{"text": "PER", "background_color": ...}, ...]`."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(Location(source, exc.lineno), f"not JSON: {exc.msg}") from None
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("text"), str) for i in items
    ):
        raise InputError(Location(source), 'a doccano label list is [{"text": "LABEL"}, ...]')
    labels = [Label(i["text"], LAYER, _colour(i.get("background_color"))) for i in items]
    return _schema(name, labels, source)


def is_doccano_label_list(text: str) -> bool:
    """Whether a JSON text looks like a doccano label list (rather than data)."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError:
        return False
    return (
        isinstance(items, list)
        and bool(items)
        and all(isinstance(i, dict) and "text" in i and "data" not in i for i in items)
        and all("background_color" in i or "suffix_key" in i for i in items)
    )
