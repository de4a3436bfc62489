"""SpanMarks: the spans of the open document as the text view draws them, in Qt's UTF-16 units."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from labeler.domain.annotation import Span
from labeler.domain.attribution_links import sid
from labeler.domain.offsets import Utf16Map


class Mark(NamedTuple):
    """One span's place in the view: [start, end) in UTF-16 code units, its layer and label."""

    id: int
    start: int
    end: int
    layer: str
    label: str


class _LayerIndex:
    """A layer's spans sorted by code-point start; `longest` bounds how far back one begins."""

    def __init__(self, keys: list[tuple[int, int]] | None = None, longest: int = 0) -> None:
        self.keys: list[tuple[int, int]] = keys or []  # (start, id), sorted
        self.longest = longest

    def add(self, span: Span) -> None:
        bisect.insort(self.keys, (span.start, sid(span)))
        self.longest = max(self.longest, span.end - span.start)

    def remove(self, span: Span) -> None:
        key = (span.start, sid(span))
        i = bisect.bisect_left(self.keys, key)
        if i < len(self.keys) and self.keys[i] == key:
            del self.keys[i]
        # `longest` is left as it was: an upper bound stays correct, only looser.


class SpanMarks:
    """Spans by id and by layer; finds those in a range without scanning the whole document.

    The index is kept in code points, in which the spans come: UTF-16 offsets grow with code
    points, so the order is the same, and only the marks on screen are converted. Opening a
    long article costs a sort per layer, not a conversion per span.
    """

    def __init__(self, text: str = "") -> None:
        self._map = Utf16Map(text)
        self._spans: dict[int, Span] = {}
        self._marks: dict[int, Mark] = {}  # converted so far
        self._layers: dict[str, _LayerIndex] = {}

    def reset(self, text: str | None, spans: Iterable[Span]) -> None:
        """Indexes these spans, of a new text (None: of the same text as before)."""
        if text is not None:
            self._map = Utf16Map(text)
        self._spans = {sid(s): s for s in spans}
        self._marks = {}
        by_layer: dict[str, list[tuple[int, int]]] = {}
        longest: dict[str, int] = {}
        for s in self._spans.values():
            keys = by_layer.get(s.layer)
            if keys is None:
                keys = by_layer[s.layer] = []
                longest[s.layer] = 0
            keys.append((s.start, sid(s)))
            if s.end - s.start > longest[s.layer]:
                longest[s.layer] = s.end - s.start
        self._layers = {
            layer: _LayerIndex(sorted(keys), longest[layer]) for layer, keys in by_layer.items()
        }

    def _mark(self, span_id: int) -> Mark:
        mark = self._marks.get(span_id)
        if mark is None:
            s = self._spans[span_id]
            to16 = self._map.to_utf16
            mark = self._marks[span_id] = Mark(
                span_id, to16(s.start), to16(s.end), s.layer, s.label
            )
        return mark

    # -- changes
    def add(self, span: Span) -> Mark:
        assert span.id is not None
        self._spans[span.id] = span
        self._layers.setdefault(span.layer, _LayerIndex()).add(span)
        return self._mark(span.id)

    def remove(self, span_id: int) -> Mark | None:
        span = self._spans.get(span_id)
        if span is None:
            return None
        mark = self._mark(span_id)
        del self._spans[span_id]
        del self._marks[span_id]
        self._layers[span.layer].remove(span)
        return mark

    def update(self, span: Span) -> tuple[Mark | None, Mark]:
        """Replaces the mark of span.id; returns the old mark and the new one."""
        assert span.id is not None
        old = self.remove(span.id)
        return old, self.add(span)

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
        names = self._layers.keys() if layers is None else layers
        spans = self._spans
        for name in names:
            index = self._layers.get(name)
            if index is None:
                continue
            keys = index.keys
            i = bisect.bisect_left(keys, (first - index.longest, -(2**62)))
            stop = bisect.bisect_left(keys, (last, -(2**62)))
            for _, span_id in keys[i:stop]:
                if spans[span_id].end > first:
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
        key = (self._code_point(after[0]), after[1])
        best: tuple[int, int] | None = None
        for name in layers:
            index = self._layers.get(name)
            if index is None:
                continue
            keys = index.keys
            if backwards:
                i = bisect.bisect_left(keys, key) - 1
                if i >= 0 and (best is None or keys[i] > best):
                    best = keys[i]
            else:
                i = bisect.bisect_right(keys, key)
                if i < len(keys) and (best is None or keys[i] < best):
                    best = keys[i]
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
