"""One annotator's annotation set on one document, with its rules (its items: spans.py)."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import attrgetter

from labeler.domain.annotation_events import (
    AnnotationEvents,
    DocumentLabelChanged,
    NoteChanged,
    RelationAdded,
    RelationChanged,
    RelationRemoved,
    SetReloaded,
    SpanAdded,
    SpanChanged,
    SpanRemoved,
    StatusChanged,
)
from labeler.domain.curated import CuratedMark
from labeler.domain.errors import RuleError
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import quoted
from labeler.domain.span_index import SpanIndex
from labeler.domain.spans import (
    DEFAULT_ANNOTATOR,
    Annotator,
    Relation,
    Span,
    Status,
    id_of,
    make_span,
)

__all__ = [
    "DEFAULT_ANNOTATOR",
    "AnnotationSet",
    "Annotator",
    "Relation",
    "Span",
    "Status",
    "id_of",
    "make_span",
]


_READING_ORDER = attrgetter("start", "end", "layer", "label")  # sorted_spans' key
_BY_RANGE = attrgetter("start", "end")  # the overlap check's order


@dataclass
class AnnotationSet:
    """One annotator's spans and relations on one document, with the rules they keep.

    Spans and relations are keyed by id; one added without an id gets a local (negative)
    one, as in a set being built before it is stored. Read `spans` and `relations`, but
    change them only through the methods: they check the rules (a span that overlaps another
    of its layer where the schema forbids it, a relation the schema does not allow, a second
    link of one type between the same spans all raise RuleError), keep the index of spans by
    range, and tell the subscribers of `events`.
    """

    schema: LabelSchema
    annotator: str
    status: Status = Status.TODO
    spans: dict[int, Span] = field(default_factory=dict)
    relations: dict[int, Relation] = field(default_factory=dict)
    id: int | None = None
    version: int = 0
    # The document note, and the seconds the annotator spent working with it open.
    note: str = ""
    active_seconds: int = 0
    # The document labels: a `[document]` attribute's name -> its values (see document_labels).
    document_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A curated (gold) set's curator and sources, where a reader or writer carries them.
    curated: CuratedMark | None = field(default=None, repr=False, compare=False)
    _next_local: int = -1
    events: AnnotationEvents = field(
        default_factory=AnnotationEvents, init=False, repr=False, compare=False
    )
    # Built at the first look-up by range, not when the set is loaded: opening a long
    # article does not wait for it.
    _index: SpanIndex | None = field(default=None, init=False, repr=False, compare=False)
    _links: dict[tuple[str, int, int], int] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def _local_id(self) -> int:
        # Negative ids mark spans and relations not yet stored.
        self._next_local -= 1
        return self._next_local

    @property
    def index(self) -> SpanIndex:
        """The spans by layer in reading order (see SpanIndex); do not change it."""
        if self._index is None:
            self._index = SpanIndex(self.spans.items())
        return self._index

    # -- look-ups
    def spans_in(self, start: int, end: int, layer: str | None = None) -> list[Span]:
        """The spans that overlap [start, end), of one layer or of all."""
        spans = self.spans
        return [spans[i] for i in self.index.in_range(start, end, layer)]

    def overlapping(self, span: Span) -> list[Span]:
        """Spans of the same layer that overlap `span` (itself excluded)."""
        own = span.id
        return [s for s in self.spans_in(span.start, span.end, span.layer) if s.id != own]

    def links(self) -> set[tuple[str, int, int]]:
        """Every relation as (type, head, tail), to tell whether a link is there already."""
        return set(self._linked())

    def has_link(self, type_: str, head: int, tail: int) -> bool:
        return (type_, head, tail) in self._linked()

    def _linked(self) -> dict[tuple[str, int, int], int]:
        # How many relations make each link (a set loaded from elsewhere may have one twice);
        # kept, once counted, by the methods that change relations.
        if self._links is None:
            self._links = Counter((r.type, r.head, r.tail) for r in self.relations.values())
        return self._links

    def _count_link(self, relation: Relation, step: int) -> None:
        links = self._links
        if links is None:  # not counted yet: it will be, from the relations as they are then
            return
        link = (relation.type, relation.head, relation.tail)
        left = links.get(link, 0) + step
        if left > 0:
            links[link] = left
        else:
            links.pop(link, None)

    def relations_of(self, span_id: int) -> list[Relation]:
        """The relations whose head or tail is this span."""
        return [r for r in self.relations.values() if span_id in (r.head, r.tail)]

    def sorted_spans(self) -> list[Span]:
        return sorted(self.spans.values(), key=_READING_ORDER)

    # -- rules
    def check_span(self, span: Span) -> None:
        """Raises RuleError if `span` overlaps another of its layer where that is forbidden."""
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

    def check_new_span(self, span: Span) -> None:
        """Checks that `span` may be added (under its id, if it has one)."""
        if span.id is not None and span.id in self.spans:
            raise RuleError(f"span {span.id} exists already")
        self.check_span(span)

    def check_replace(self, span: Span) -> Span:
        """Checks that `span` may replace the stored span with its id; returns that span.

        Raises RuleError if no span has that id, if the new range overlaps another span of
        its layer where the layer forbids it, or if a relation touching the span would no
        longer be allowed by the schema for the new label.
        """
        span_id = span.id
        old = self.spans.get(span_id) if span_id is not None else None
        if span_id is None or old is None:
            raise RuleError(f"span {span_id} does not exist")
        if self.schema.label(span.label).layer != span.layer:
            raise RuleError(f"label {span.label!r} is not of layer {span.layer!r}")
        self.check_span(span)
        for r in self.relations_of(span_id):
            head = span if r.head == span_id else self.spans[r.head]
            tail = span if r.tail == span_id else self.spans[r.tail]
            try:
                self.schema.check_relation(r.type, head.label, tail.label)
            except RuleError as error:
                other = tail if r.head == span_id else head
                raise RuleError(
                    f"{error}; {quoted(old.text)} is linked to {quoted(other.text)} by "
                    f"{r.type!r}: delete that relation first (click its arc, then Delete)"
                ) from None
        return old

    def check_restore(self, span: Span, relations: Iterable[Relation]) -> None:
        """Checks that a span removed by remove_span, and its relations, may be put back."""
        span_id = span.id
        if span_id is None:
            raise RuleError("only a span with an id can be restored")
        if span_id in self.spans:
            raise RuleError(f"span {span_id} exists already")
        self.check_span(span)

        def span_of(other: int) -> Span | None:
            return span if other == span_id else self.spans.get(other)

        seen: set[int] = set()
        for r in relations:
            if r.id is None:
                raise RuleError(f"relation {r.type!r} has no id and cannot be restored")
            if r.id in self.relations or r.id in seen:
                raise RuleError(f"relation {r.id} exists already")
            seen.add(r.id)
            if span_id not in (r.head, r.tail):
                raise RuleError(f"relation {r.id} does not touch span {span_id}")
            self._check_link(r, span_of)

    def check_relation(self, relation: Relation) -> None:
        """Checks that `relation` may be added, or may replace the one with its id: both
        spans exist, the schema allows it, and the same link is not there already."""
        old = self.relations.get(relation.id) if relation.id is not None else None
        self._check_link(relation, self.spans.get)
        link = (relation.type, relation.head, relation.tail)
        if (old is None or link != (old.type, old.head, old.tail)) and link in self._linked():
            raise RuleError(
                f"{quoted(self.spans[relation.head].text)} is already linked to "
                f"{quoted(self.spans[relation.tail].text)} by {relation.type!r}"
            )

    def _check_link(self, relation: Relation, span_of: Callable[[int], Span | None]) -> None:
        head = span_of(relation.head)
        tail = span_of(relation.tail)
        if head is None or tail is None:
            raise RuleError(f"relation {relation.type!r} points at a span that does not exist")
        if relation.head == relation.tail:
            raise RuleError(f"relation {relation.type!r} cannot link a span to itself")
        self.schema.check_relation(relation.type, head.label, tail.label)

    # -- spans
    def add_span(self, span: Span) -> Span:
        """Adds a span, checked, under its id or a new local one; returns it with the id."""
        self.check_new_span(span)
        span_id = span.id if span.id is not None else self._local_id()
        if span.id is None:
            span = span.with_id(span_id)
        self._put(span_id, span)
        return span

    def _put(self, span_id: int, span: Span) -> None:
        events = self.events
        if events:
            events.before(SpanAdded(span))
        self.spans[span_id] = span
        if self._index is not None:
            self._index.add(span_id, span)
        if events:
            events.after(SpanAdded(span))

    def add_spans(self, spans: Iterable[Span]) -> list[Span]:
        """Adds many spans at once, checking overlap by sorting rather than pairwise."""
        with self._reloading():
            return self._insert_many(spans)

    def _insert_many(self, spans: Iterable[Span]) -> list[Span]:
        added = [s if s.id is not None else s.with_id(self._local_id()) for s in spans]
        candidates = list(self.spans.values()) + added
        layers = {s.layer for s in candidates}
        by_layer: dict[str, list[Span]] = {}
        if len(layers) == 1:  # the usual case (an import's entities): no grouping
            by_layer[layers.pop()] = candidates
        else:
            for s in candidates:
                by_layer.setdefault(s.layer, []).append(s)
        for layer_name, layer_spans in by_layer.items():
            if self.schema.layer(layer_name).allow_overlap:
                continue
            layer_spans.sort(key=_BY_RANGE)
            # Sorted by start, a span overlaps an earlier one iff it starts before the
            # furthest end reached so far.
            reach = layer_spans[0]
            for s in itertools.islice(layer_spans, 1, None):
                if s.start < reach.end:
                    raise RuleError(
                        f"{s.label} [{s.start}, {s.end}) overlaps {reach.label} "
                        f"[{reach.start}, {reach.end}) and layer {layer_name!r} "
                        "allows no overlap"
                    )
                if s.end > reach.end:
                    reach = s
        self.spans.update({s.id: s for s in added if s.id is not None})  # each has one
        return added

    def replace_span(self, span: Span) -> Span:
        """Replaces the stored span with `span.id` by `span`, checked first; returns the old."""
        old = self.check_replace(span)
        span_id = id_of(span)
        events = self.events
        if events:
            events.before(SpanChanged(old, span))
        self.spans[span_id] = span
        if self._index is not None:
            self._index.remove(span_id, old)
            self._index.add(span_id, span)
        if events:
            events.after(SpanChanged(old, span))
        return old

    def remove_span(self, span_id: int) -> tuple[Span, list[Relation]]:
        """Removes a span and every relation that touches it; returns both for undo."""
        span = self.spans.get(span_id)
        if span is None:
            raise RuleError(f"span {span_id} does not exist")
        gone = self.relations_of(span_id)
        for r in gone:
            self.remove_relation(id_of(r))
        events = self.events
        if events:
            events.before(SpanRemoved(span))
        del self.spans[span_id]
        if self._index is not None:
            self._index.remove(span_id, span)
        if events:
            events.after(SpanRemoved(span))
        return span, gone

    def restore_span(self, span: Span, relations: Iterable[Relation]) -> None:
        """Puts back a span removed by remove_span and its relations, with their ids."""
        relations = list(relations)
        self.check_restore(span, relations)
        self._put(id_of(span), span)
        for r in relations:
            self._link(id_of(r), r)

    def remove_spans(self, span_ids: Iterable[int]) -> list[tuple[Span, list[Relation]]]:
        """Removes several spans with their relations, told as one reload; for restore_spans."""
        span_ids = list(span_ids)
        missing = [i for i in span_ids if i not in self.spans]
        if missing:
            raise RuleError(f"span {missing[0]} does not exist")
        removed = []
        with self._reloading():
            for span_id in span_ids:
                span = self.spans.pop(span_id)
                gone = self.relations_of(span_id)
                for r in gone:
                    del self.relations[id_of(r)]
                removed.append((span, gone))
        return removed

    def restore_spans(self, removed: Iterable[tuple[Span, list[Relation]]]) -> None:
        """Puts back what remove_spans returned, with the same ids, told as one reload."""
        removed = list(removed)
        self.add_all([span for span, _ in removed], [r for _, rels in removed for r in rels])

    def add_all(self, spans: Iterable[Span], relations: Iterable[Relation]) -> None:
        """Adds spans and then relations among them, all with ids, checked, as one reload."""
        spans = list(spans)
        if any(s.id is None for s in spans):
            raise RuleError("only spans with ids can be added together with relations")
        with self._reloading():
            self._insert_many(spans)
            for r in relations:
                self.check_relation(r)
                self.relations[id_of(r)] = r
                self._count_link(r, 1)

    # -- relations
    def add_relation(self, relation: Relation) -> Relation:
        """Adds a relation, checked, under its id or a new local one; returns it with the id."""
        if relation.id is not None and relation.id in self.relations:
            raise RuleError(f"relation {relation.id} exists already")
        self.check_relation(relation)
        relation_id = relation.id if relation.id is not None else self._local_id()
        if relation.id is None:
            relation = replace(relation, id=relation_id)
        self._link(relation_id, relation)
        return relation

    def _link(self, relation_id: int, relation: Relation) -> None:
        events = self.events
        if events:
            events.before(RelationAdded(relation))
        self.relations[relation_id] = relation
        self._count_link(relation, 1)
        if events:
            events.after(RelationAdded(relation))

    def replace_relation(self, relation: Relation) -> Relation:
        """Replaces the relation with `relation.id` (another type, say), checked; returns it
        as it was."""
        old = self.relations.get(relation.id) if relation.id is not None else None
        if old is None:
            raise RuleError(f"relation {relation.id} does not exist")
        self.check_relation(relation)
        events = self.events
        if events:
            events.before(RelationChanged(old, relation))
        self.relations[id_of(relation)] = relation
        self._count_link(old, -1)
        self._count_link(relation, 1)
        if events:
            events.after(RelationChanged(old, relation))
        return old

    def remove_relation(self, relation_id: int) -> Relation:
        """Removes one relation and returns it; RuleError if there is none with that id."""
        relation = self.relations.get(relation_id)
        if relation is None:
            raise RuleError(f"relation {relation_id} does not exist")
        events = self.events
        if events:
            events.before(RelationRemoved(relation))
        del self.relations[relation_id]
        self._count_link(relation, -1)
        if events:
            events.after(RelationRemoved(relation))
        return relation

    # -- the set as a whole
    def set_status(self, status: Status) -> Status:
        """Sets where the annotator is with the document; returns the status it had."""
        old = self.status
        if status is not old:
            events = self.events
            if events:
                events.before(StatusChanged(old, status))
            self.status = status
            if events:
                events.after(StatusChanged(old, status))
        return old

    def set_note(self, note: str) -> str:
        """Sets the document note (the set's own); returns the note it had."""
        old = self.note
        if note != old:
            events = self.events
            if events:
                events.before(NoteChanged(old, note))
            self.note = note
            if events:
                events.after(NoteChanged(old, note))
        return old

    def set_document_label(self, name: str, values: tuple[str, ...]) -> tuple[str, ...]:
        """Sets a document label, checked against the schema (no values: unset it); returns
        the values it had."""
        old = self.document_labels.get(name, ())
        if values:
            self.schema.document_attribute(name).check(values)
        if values != old:
            events = self.events
            if events:
                events.before(DocumentLabelChanged(name, old, values))
            if values:
                self.document_labels[name] = values
            else:
                self.document_labels.pop(name, None)
            if events:
                events.after(DocumentLabelChanged(name, old, values))
        return old

    @contextmanager
    def _reloading(self) -> Iterator[None]:
        """Many changes told as one: the index is built again when next needed."""
        events = self.events
        if events:
            events.before(SetReloaded())
        try:
            yield
        finally:
            self._index = None
            self._links = None
            if events:
                events.after(SetReloaded())
