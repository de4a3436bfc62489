"""The `[document]` section of a schema file: document attributes read and written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from labeler.domain.schema import DocumentAttribute, DocumentKind

if TYPE_CHECKING:
    from labeler.domain.schema_toml import _SchemaReader

_DOCUMENT_KEYS = ("kind", "values", "scale", "description")
_SCALE_MAX = 100


def document_spec(attribute: DocumentAttribute) -> dict[str, Any]:
    """What the file holds of a document attribute but its description."""
    spec: dict[str, Any] = {"kind": attribute.kind.value}
    if attribute.kind in (DocumentKind.CHOICE, DocumentKind.MULTIPLE):
        spec["values"] = list(attribute.values)
    elif attribute.kind is DocumentKind.RATING:
        spec["scale"] = attribute.scale
    return spec


def read_document_attribute(reader: _SchemaReader, name: str, spec: Any) -> DocumentAttribute:
    """A `[document.NAME]` table as a DocumentAttribute; the reader names file and line."""
    table = f"document.{name}"
    reader._check_name("document", "a document attribute", name)
    if not isinstance(spec, dict):
        raise reader._fail("document", f"document attribute {name!r} must be a table", name)
    reader._check_keys(table, spec, _DOCUMENT_KEYS)
    kinds = [k.value for k in DocumentKind]
    kind = reader._string(table, spec, "kind", DocumentKind.CHOICE.value)
    if kind not in kinds:
        raise reader._fail(
            table,
            f"'kind' in [{table}] must be one of {', '.join(kinds)}, not {kind!r}",
            "kind",
        )
    chosen = DocumentKind(kind)
    listed = chosen in (DocumentKind.CHOICE, DocumentKind.MULTIPLE)
    if listed != ("values" in spec):
        need = "needs" if listed else "takes no"
        raise reader._fail(table, f"a {kind} document attribute {need} 'values'", "values")
    scale = spec.get("scale", 5)
    if "scale" in spec and chosen is not DocumentKind.RATING:
        raise reader._fail(table, "only a rating takes a 'scale'", "scale")
    if isinstance(scale, bool) or not isinstance(scale, int) or not 2 <= scale <= _SCALE_MAX:
        raise reader._fail(
            table,
            f"'scale' in [{table}] must be a whole number from 2 to {_SCALE_MAX}",
            "scale",
        )
    return DocumentAttribute(
        name=name,
        kind=chosen,
        values=reader._names(table, spec, "values") if listed else (),
        description=reader._string(table, spec, "description"),
        scale=scale,
    )
