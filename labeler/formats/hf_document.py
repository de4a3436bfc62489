"""The document labels of the Hugging Face format: a column `doc_<name>` per document attribute
of the schema (a ClassLabel of its values, a list of them for a multiple choice, the text, or
the rating as a number; None where the annotator set none)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labeler.domain.schema import DocumentAttribute, DocumentKind, LabelSchema

DOCUMENT_PREFIX = "doc_"  # a document attribute's column: doc_topic, doc_genre


def document_features(schema: LabelSchema) -> dict[str, Any]:
    """The columns of the schema's document attributes, as `datasets` features."""
    return {DOCUMENT_PREFIX + a.name: _feature(a) for a in schema.document_attributes}


def _feature(attribute: DocumentAttribute) -> Any:
    """A document attribute's column: a ClassLabel of its values (a list of them for a
    multiple choice), the text, or the rating as a number; None where it is not set."""
    from datasets import ClassLabel, List, Value

    if attribute.kind is DocumentKind.CHOICE:
        return ClassLabel(names=list(attribute.values))
    if attribute.kind is DocumentKind.MULTIPLE:
        return List(ClassLabel(names=list(attribute.values)))
    return Value("int64" if attribute.kind is DocumentKind.RATING else "string")


def document_cells(schema: LabelSchema, labels: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """One row's cells of the document attribute columns."""
    cells: dict[str, Any] = {}
    for attribute in schema.document_attributes:
        values = labels.get(attribute.name)
        cell: Any = None
        if values and attribute.kind is DocumentKind.CHOICE:
            cell = attribute.values.index(values[0])
        elif values and attribute.kind is DocumentKind.MULTIPLE:
            cell = [attribute.values.index(v) for v in values]
        elif values:
            cell = int(values[0]) if attribute.kind is DocumentKind.RATING else values[0]
        cells[DOCUMENT_PREFIX + attribute.name] = cell
    return cells


def document_labels_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row's document labels as read (class names already: see name_classes)."""
    return {
        key[len(DOCUMENT_PREFIX) :]: value
        for key, value in row.items()
        if key.startswith(DOCUMENT_PREFIX) and value is not None
    }


def name_classes(batch: dict[str, list[Any]], feats: Any) -> None:
    """Document attribute columns of ClassLabels as their names (in place)."""
    from datasets import ClassLabel, List, Sequence

    for key, column in batch.items():
        feature = feats.get(key) if key.startswith(DOCUMENT_PREFIX) else None
        inner = getattr(feature, "feature", None) if isinstance(feature, List | Sequence) else None
        if isinstance(feature, ClassLabel):
            batch[key] = [None if v is None else feature.int2str(v) for v in column]
        elif isinstance(inner, ClassLabel):
            batch[key] = [None if v is None else [inner.int2str(x) for x in v] for v in column]
