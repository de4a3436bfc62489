"""Spans, relations and an annotator's status: the items an annotation set holds."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum

from labeler.domain.errors import RuleError
from labeler.domain.schema import LabelSchema


class Status(StrEnum):
    """Where an annotator is with one document."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"

    @property
    def word(self) -> str:
        """The status as people read it: 'to do', 'in progress', 'done', 'skipped'."""
        return _STATUS_WORDS[self]


_STATUS_WORDS = {
    Status.TODO: "to do",
    Status.IN_PROGRESS: "in progress",
    Status.DONE: "done",
    Status.SKIPPED: "skipped",
}

DEFAULT_ANNOTATOR = "imported"
"""Who owns spans that an imported file gives without naming an annotator."""


@dataclass(frozen=True, slots=True)
class Annotator:
    name: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled range [start, end) of a document's text, in code-point offsets."""

    start: int
    end: int
    label: str
    layer: str
    text: str
    attributes: dict[str, str] = field(default_factory=dict)
    id: int | None = None
    note: str = ""

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def with_id(self, span_id: int) -> Span:
        # Spelled out: dataclasses.replace is slow enough to show in large imports.
        return Span(
            self.start,
            self.end,
            self.label,
            self.layer,
            self.text,
            self.attributes,
            span_id,
            self.note,
        )


# A Span built by setting its slots is the same frozen object that Span(...) gives, in half the
# time (a frozen dataclass's __init__ sets each field through object.__setattr__): readers and
# imports build 100,000 spans at a time. Span has no __post_init__ to skip.
SPAN_FIELDS = ("start", "end", "label", "layer", "text", "attributes", "id", "note")
assert tuple(f.name for f in fields(Span)) == SPAN_FIELDS, "Span's fields changed"
assert not hasattr(Span, "__post_init__"), "Span checks itself now: build it with Span(...)"
SPAN_SETTERS = tuple(getattr(Span, name).__set__ for name in SPAN_FIELDS)
_START, _END, _LABEL, _LAYER, _TEXT, _ATTRIBUTES, _ID, _NOTE = SPAN_SETTERS


def built_span(
    start: int,
    end: int,
    label: str,
    layer: str,
    text: str,
    attributes: dict[str, str],
    span_id: int | None,
    note: str,
) -> Span:
    """Span(start, end, label, layer, text, attributes, span_id, note), built faster."""
    span = object.__new__(Span)
    _START(span, start)
    _END(span, end)
    _LABEL(span, label)
    _LAYER(span, layer)
    _TEXT(span, text)
    _ATTRIBUTES(span, attributes)
    _ID(span, span_id)
    _NOTE(span, note)
    return span


def make_span(
    text: str,
    start: int,
    end: int,
    label: str,
    schema: LabelSchema,
    attributes: dict[str, str] | None = None,
    span_id: int | None = None,
    note: str = "",
) -> Span:
    """A span of `text`, checked: inside the text, a known label, valid attributes."""
    if not 0 <= start < end <= len(text):
        raise RuleError(f"span [{start}, {end}) lies outside the text (length {len(text)})")
    lab = schema.label(label)
    attrs = dict(attributes) if attributes else {}
    if attrs:
        schema.check_attributes(label, attrs)
    return built_span(start, end, label, lab.layer, text[start:end], attrs, span_id, note)


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, directed link from the head span to the tail span."""

    type: str
    head: int
    tail: int
    attributes: dict[str, str] = field(default_factory=dict)
    id: int | None = None
    note: str = ""


def id_of(item: Span | Relation) -> int:
    """The id of a span or relation that has one (every one in a set has); RuleError if not."""
    if item.id is None:
        raise RuleError(f"{item!r} has no id")
    return item.id
