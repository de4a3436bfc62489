"""Spans, relations and one annotator's annotation set on one document, with their rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from labeler.domain.errors import RuleError
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import quoted


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

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def with_id(self, span_id: int) -> Span:
        # Spelled out: dataclasses.replace is slow enough to show in large imports.
        return Span(
            self.start, self.end, self.label, self.layer, self.text, self.attributes, span_id
        )


def make_span(
    text: str,
    start: int,
    end: int,
    label: str,
    schema: LabelSchema,
    attributes: dict[str, str] | None = None,
    span_id: int | None = None,
) -> Span:
    """A span of `text`, checked: inside the text, a known label, valid attributes."""
    if not 0 <= start < end <= len(text):
        raise RuleError(f"span [{start}, {end}) lies outside the text (length {len(text)})")
    lab = schema.label(label)
    attrs = dict(attributes) if attributes else {}
    if attrs:
        schema.check_attributes(label, attrs)
    return Span(start, end, label, lab.layer, text[start:end], attrs, span_id)


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed, directed link from the head span to the tail span."""

    type: str
    head: int
    tail: int
    attributes: dict[str, str] = field(default_factory=dict)
    id: int | None = None


@dataclass
class AnnotationSet:
    """One annotator's spans and relations on one document.

    Spans are keyed by id; a span without one gets a local id when added. Adding a span
    that overlaps another of its layer where the schema forbids it raises RuleError.
    """

    schema: LabelSchema
    annotator: str
    status: Status = Status.TODO
    spans: dict[int, Span] = field(default_factory=dict)
    relations: dict[int, Relation] = field(default_factory=dict)
    id: int | None = None
    version: int = 0
    _next_local: int = -1

    def _local_id(self) -> int:
        # Negative ids mark spans and relations not yet stored.
        self._next_local -= 1
        return self._next_local

    def overlapping(self, span: Span) -> list[Span]:
        """Spans of the same layer that overlap `span` (itself excluded)."""
        # Spelled out rather than s.overlaps(span): this runs over every span on each edit.
        start, end, layer, own = span.start, span.end, span.layer, span.id
        return [
            s
            for s in self.spans.values()
            if s.start < end and start < s.end and s.layer == layer and s.id != own
        ]

    def check_span(self, span: Span) -> None:
        layer = self.schema.layer(span.layer)
        if layer.allow_overlap:
            return
        clash = self.overlapping(span)
        if clash:
            other = clash[0]
            raise RuleError(
                f"{span.label} {quoted(span.text)} [{span.start}, {span.end}) overlaps "
                f"{other.label} {quoted(other.text)} [{other.start}, {other.end}), "
                f"and layer {layer.name!r} allows no overlap"
            )

    def add_span(self, span: Span) -> Span:
        if span.id is None:
            span = span.with_id(self._local_id())
        self.check_span(span)
        self.spans[span.id] = span  # type: ignore[index]
        return span

    def add_spans(self, spans: Iterable[Span]) -> list[Span]:
        """Adds many spans at once, checking overlap by sorting rather than pairwise."""
        added = [s if s.id is not None else s.with_id(self._local_id()) for s in spans]
        candidates = list(self.spans.values()) + added
        by_layer: dict[str, list[Span]] = {}
        for s in candidates:
            by_layer.setdefault(s.layer, []).append(s)
        for layer_name, layer_spans in by_layer.items():
            if self.schema.layer(layer_name).allow_overlap:
                continue
            layer_spans.sort(key=lambda s: (s.start, s.end))
            # Sorted by start, a span overlaps an earlier one iff it starts before the
            # furthest end reached so far.
            reach: Span | None = None
            for s in layer_spans:
                if reach is not None and s.start < reach.end:
                    raise RuleError(
                        f"{s.label} [{s.start}, {s.end}) overlaps {reach.label} "
                        f"[{reach.start}, {reach.end}) and layer {layer_name!r} "
                        "allows no overlap"
                    )
                if reach is None or s.end > reach.end:
                    reach = s
        for s in added:
            self.spans[s.id] = s  # type: ignore[index]
        return added

    def remove_span(self, span_id: int) -> tuple[Span, list[Relation]]:
        """Removes a span and every relation that touches it; returns both for undo."""
        span = self.spans.pop(span_id)
        gone = [r for r in self.relations.values() if span_id in (r.head, r.tail)]
        for r in gone:
            del self.relations[r.id]  # type: ignore[arg-type]
        return span, gone

    def links(self) -> set[tuple[str, int, int]]:
        """Every relation as (type, head, tail), to tell whether a link is there already."""
        return {(r.type, r.head, r.tail) for r in self.relations.values()}

    def relations_of(self, span_id: int) -> list[Relation]:
        """The relations whose head or tail is this span."""
        return [r for r in self.relations.values() if span_id in (r.head, r.tail)]

    def check_replace(self, span: Span) -> Span:
        """Checks that `span` may replace the stored span with its id; returns that span.

        Raises RuleError if no span has that id, if the new range overlaps another span of
        its layer where the layer forbids it, or if a relation touching the span would no
        longer be allowed by the schema for the new label.
        """
        old = self.spans.get(span.id) if span.id is not None else None
        if old is None:
            raise RuleError(f"span {span.id} does not exist")
        if self.schema.label(span.label).layer != span.layer:
            raise RuleError(f"label {span.label!r} is not of layer {span.layer!r}")
        self.check_span(span)
        for r in self.relations_of(old.id):  # type: ignore[arg-type]
            head = span if r.head == span.id else self.spans[r.head]
            tail = span if r.tail == span.id else self.spans[r.tail]
            try:
                self.schema.check_relation(r.type, head.label, tail.label)
            except RuleError as error:
                other = tail if r.head == span.id else head
                raise RuleError(
                    f"{error}; {quoted(old.text)} is linked to {quoted(other.text)} by "
                    f"{r.type!r}: delete that relation first (click its arc, then Delete)"
                ) from None
        return old

    def replace_span(self, span: Span) -> Span:
        """Replaces the stored span with `span.id` by `span`, checked first; returns the old."""
        old = self.check_replace(span)
        self.spans[span.id] = span  # type: ignore[index]
        return old

    def check_restore(self, span: Span, relations: Iterable[Relation]) -> None:
        """Checks that a span removed by remove_span, and its relations, may be put back."""
        if span.id is None:
            raise RuleError("only a span with an id can be restored")
        if span.id in self.spans:
            raise RuleError(f"span {span.id} exists already")
        self.check_span(span)

        def span_of(span_id: int) -> Span | None:
            return span if span_id == span.id else self.spans.get(span_id)

        seen: set[int] = set()
        for r in relations:
            if r.id is None:
                raise RuleError(f"relation {r.type!r} has no id and cannot be restored")
            if r.id in self.relations or r.id in seen:
                raise RuleError(f"relation {r.id} exists already")
            seen.add(r.id)
            if span.id not in (r.head, r.tail):
                raise RuleError(f"relation {r.id} does not touch span {span.id}")
            self._check_link(r, span_of)

    def restore_span(self, span: Span, relations: Iterable[Relation]) -> None:
        """Puts back a span removed by remove_span and its relations, with their ids."""
        relations = list(relations)
        self.check_restore(span, relations)
        self.spans[span.id] = span  # type: ignore[index]
        for r in relations:
            self.relations[r.id] = r  # type: ignore[index]

    def _check_link(self, relation: Relation, span_of: Callable[[int], Span | None]) -> None:
        head = span_of(relation.head)
        tail = span_of(relation.tail)
        if head is None or tail is None:
            raise RuleError(f"relation {relation.type!r} points at a span that does not exist")
        if relation.head == relation.tail:
            raise RuleError(f"relation {relation.type!r} cannot link a span to itself")
        self.schema.check_relation(relation.type, head.label, tail.label)

    def check_relation(self, relation: Relation) -> None:
        """Checks that `relation` may be added: both spans exist and the schema allows it."""
        self._check_link(relation, self.spans.get)

    def add_relation(self, relation: Relation) -> Relation:
        self.check_relation(relation)
        if relation.id is None:
            relation = replace(relation, id=self._local_id())
        self.relations[relation.id] = relation  # type: ignore[index]
        return relation

    def remove_relation(self, relation_id: int) -> Relation:
        """Removes one relation and returns it; RuleError if there is none with that id."""
        try:
            return self.relations.pop(relation_id)
        except KeyError:
            raise RuleError(f"relation {relation_id} does not exist") from None

    def sorted_spans(self) -> list[Span]:
        return sorted(self.spans.values(), key=lambda s: (s.start, s.end, s.layer, s.label))
