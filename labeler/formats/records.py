"""What readers produce and writers consume: documents with their annotation sets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.document import Document
from labeler.domain.errors import Location
from labeler.domain.schema import DocumentKind
from labeler.domain.suggestion import Suggestion


@dataclass(slots=True)
class RawSpan:
    """A span as read from a file, not yet checked against a schema.

    Offsets are code points into the document's (newline-normalised) text. `key` is the
    span's id within its file, for relations to refer to; `text`, when the file gives it,
    must equal the covered text.
    """

    start: int
    end: int
    label: str
    attributes: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    key: Any = None
    layer: str | None = None  # the layer a format holds alone (CoNLL: entity); None for any
    score: float | None = None  # a suggested span's score (see RawAnnotationSet.recommender)
    note: str = ""
    sources: list[str] = field(default_factory=list)  # in a curated set: who had it


@dataclass(slots=True)
class RawRelation:
    """A relation as read: its head and tail are the `key`s of spans in the same set."""

    type: str
    head: Any
    tail: Any
    attributes: dict[str, str] = field(default_factory=dict)
    note: str = ""
    sources: list[str] = field(default_factory=list)  # in a curated set: who had it


@dataclass
class RawAnnotationSet:
    """One annotator's spans and relations as read; annotator None means the importer's default.

    With a `recommender`, the spans are suggestions of that recommender, not annotations:
    they are stored as suggestions and enter no export unless an annotator accepts them.
    """

    annotator: str | None = None
    status: Status | None = None
    spans: list[RawSpan] = field(default_factory=list)
    relations: list[RawRelation] = field(default_factory=list)
    note: str = ""  # the document note (native JSONL only)
    active_seconds: int = 0
    recommender: str | None = None
    # Document labels by attribute name, and categories (doccano's, spaCy's cats) whose
    # attribute the schema tells at import (see domain.document_labels).
    document_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    # The kind a tool's control says a document label is (Label Studio's TextArea: text),
    # for import --add-labels to make the attribute.
    document_kinds: dict[str, DocumentKind] = field(default_factory=dict)
    curator: str | None = None  # a curated (gold) set, made by this curator (native JSONL)


@dataclass
class Record:
    """One document read from a file, where it came from, and any annotations it carried."""

    document: Document
    location: Location
    sets: list[RawAnnotationSet] = field(default_factory=list)


@dataclass(frozen=True)
class ReadOptions:
    """Choices a person makes when importing."""

    text_column: str = "text"
    title_column: str = "title"
    date_column: str = "date"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ExportItem:
    """One document with the annotation sets chosen for export, and its stored suggestions
    when the export asked for them (written apart from the sets: never as annotations)."""

    document: Document
    sets: list[AnnotationSet]
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass
class WriteReport:
    """What a writer wrote, and what the format could not carry exactly, counted by reason."""

    documents: int = 0
    notes: Counter[str] = field(default_factory=Counter)

    def note(self, reason: str, count: int = 1) -> None:
        if count:
            self.notes[reason] += count


def first_set(item: ExportItem, report: WriteReport) -> AnnotationSet | None:
    """The set a one-set format writes: the item's first; the others are counted as not written."""
    report.note("annotation sets after the first not exported", max(len(item.sets) - 1, 0))
    return item.sets[0] if item.sets else None
