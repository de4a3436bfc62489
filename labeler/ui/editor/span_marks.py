"""SpanMarks: the spans of the open document as the text view draws them, in Qt's UTF-16 units."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.offsets import Utf16Map
from labeler.domain.span_index import SpanIndex


class Mark(NamedTuple):
    """One span's place in the view: [start, end) in UTF-16 code units, its layer and label."""

    id: int
    start: int
    end: int
    layer: str
    label: str
    note: str = ""


class SpanMarks:
    """The spans drawn, by id, with their places in UTF-16 units, found by range.

    The spans and their index (labeler.domain.span_index, in code points) are those of the
    annotation set shown when one is given: the set keeps them as it changes, and this only
    converts the marks on screen (UTF-16 offsets grow with code points, so the order is the
    same). Given plain spans, it keeps a copy and an index of its own.
    """

    def __init__(self, text: str = "") -> None:
        self._map = Utf16Map(text)
        self._spans: dict[int, Span] = {}
        self._marks: dict[int, Mark] = {}  # converted so far
        self._set: AnnotationSet | None = None  # the set whose spans these are, if any
        self._own = SpanIndex(())

    def share_map(self, other: SpanMarks) -> None:
        """Converts offsets with `other`'s map (the same text): one map for several sets."""
        self._map = other._map

    @property
    def _index(self) -> SpanIndex:
        return self._own if self._set is None else self._set.index

    def reset(self, text: str | None, spans: Iterable[Span] | AnnotationSet) -> None:
        """Shows these spans, or an annotation set's, of a new text (None: the same text)."""
        if text is not None:
            self._map = Utf16Map(text)
        self._marks = {}
        if isinstance(spans, AnnotationSet):
            self._set = spans
            self._spans = spans.spans
            self._own = SpanIndex(())
            _ = spans.index  # sorted now, for the first paint (and the span list after it)
        else:
            self._set = None
            self._spans = {_id(s): s for s in spans}
            self._own = SpanIndex(self._spans.items())

    def _mark(self, span_id: int) -> Mark:
        mark = self._marks.get(span_id)
        if mark is None:
            s = self._spans[span_id]
            to16 = self._map.to_utf16
            mark = self._marks[span_id] = Mark(
                span_id, to16(s.start), to16(s.end), s.layer, s.label, s.note
            )
        return mark

    # -- changes (of a set shown, made already by the set: only the marks follow)
    def add(self, span: Span) -> Mark:
        span_id = _id(span)
        if self._set is None:
            self._spans[span_id] = span
            self._own.add(span_id, span)
        self._marks.pop(span_id, None)
        return self._mark(span_id)

    def remove(self, span_id: int) -> Mark | None:
        mark = self._marks.pop(span_id, None)
        if self._set is None:
            span = self._spans.pop(span_id, None)
            if span is None:
                return None
            self._own.remove(span_id, span)
        return mark

    def update(self, span: Span) -> tuple[Mark | None, Mark]:
        """Replaces the mark of span.id; returns the old mark (if it was drawn) and the new."""
        span_id = _id(span)
        if self._set is None:
            old = self._spans[span_id]
            self._own.remove(span_id, old)
            self._own.add(span_id, span)
            self._spans[span_id] = span
        return self._marks.pop(span_id, None), self._mark(span_id)

    # -- look-ups
    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._spans

    def get(self, span_id: int) -> Mark | None:
        return self._mark(span_id) if span_id in self._spans else None

    def start_of(self, span_id: int) -> int | None:
        """Where a span begins, in code points (no conversion); None if it is not here."""
        span = self._spans.get(span_id)
        return None if span is None else span.start

    def to_utf16(self, offset: int) -> int:
        return self._map.to_utf16(offset)

    def from_utf16(self, offset: int) -> int:
        return self._map.from_utf16(offset)

    def _code_point(self, offset: int) -> int:
        """A UTF-16 offset as code points; inside a surrogate pair, the character's start."""
        before = bisect.bisect_left(self._map.astral_utf16, offset)
        return offset - before

    def in_range(self, start: int, end: int, layers: Iterable[str] | None = None) -> Iterator[Mark]:
        """Marks of these layers (all by default) that overlap [start, end) in UTF-16 units,
        by layer, then start."""
        first, last = self._code_point(start), self._code_point(end)
        if last == first and end > start:
            last += 1  # the range lies inside one astral character
        index = self._index
        names = index.layers() if layers is None else layers
        for name in names:
            for span_id in index.in_range(first, last, name):
                yield self._mark(span_id)

    def at(self, position: int, layers: Iterable[str] | None = None) -> list[Mark]:
        """Marks that cover the character at UTF-16 `position`, shortest first."""
        found = list(self.in_range(position, position + 1, layers))
        found.sort(key=lambda m: (m.end - m.start, m.start))
        return found

    def step(
        self, after: tuple[int, int], layers: Iterable[str], backwards: bool = False
    ) -> Mark | None:
        """The mark next to the key `after` = (UTF-16 start, id) in reading order; None at an
        end."""
        start, after_id = self._code_point(after[0]), after[1]
        index = self._index
        best: tuple[int, int] | None = None  # (start, id): the order of Tab
        for name in layers:
            found = index.next_in_order(start, after_id, name, backwards)
            if found is not None and (
                best is None or (found < best if not backwards else found > best)
            ):
                best = found
        return None if best is None else self._mark(best[1])


def assign_lanes(marks: Iterable[Mark], lanes: int) -> dict[int, int]:
    """Stacks overlapping marks in lanes, the longer first at a shared start.

    Marks deeper than `lanes` share the last lane.
    """
    ends: list[int] = []
    result: dict[int, int] = {}
    for mark in sorted(marks, key=lambda m: (m.start, -m.end, m.id)):
        for lane, lane_end in enumerate(ends):
            if lane_end <= mark.start:
                ends[lane] = mark.end
                result[mark.id] = lane
                break
        else:
            if len(ends) < lanes:
                ends.append(mark.end)
                result[mark.id] = len(ends) - 1
            else:
                result[mark.id] = lanes - 1
                ends[-1] = max(ends[-1], mark.end)
    return result


def _id(span: Span) -> int:
    if span.id is None:
        raise ValueError(f"a span without an id cannot be drawn: {span!r}")
    return span.id
