"""SpanMarks: the spans of the open document as the text view draws them, in Qt's UTF-16 units."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from labeler.domain.annotation import Span
from labeler.domain.offsets import Utf16Map


@dataclass(frozen=True, slots=True)
class Mark:
    """One span's place in the view: [start, end) in UTF-16 code units, its layer and label."""

    id: int
    start: int
    end: int
    layer: str
    label: str


class _LayerIndex:
    """A layer's marks sorted by start; `longest` bounds how far back an overlap can begin."""

    def __init__(self) -> None:
        self.keys: list[tuple[int, int]] = []  # (start, id), sorted
        self.longest = 0

    def add(self, mark: Mark) -> None:
        bisect.insort(self.keys, (mark.start, mark.id))
        self.longest = max(self.longest, mark.end - mark.start)

    def remove(self, mark: Mark) -> None:
        i = bisect.bisect_left(self.keys, (mark.start, mark.id))
        if i < len(self.keys) and self.keys[i] == (mark.start, mark.id):
            del self.keys[i]
        # `longest` is left as it was: an upper bound stays correct, only looser.


class SpanMarks:
    """Marks by id and by layer; finds those in a range without scanning the whole document."""

    def __init__(self, text: str = "") -> None:
        self._map = Utf16Map(text)
        self._marks: dict[int, Mark] = {}
        self._layers: dict[str, _LayerIndex] = {}

    def reset(self, text: str, spans: Iterable[Span]) -> None:
        self._map = Utf16Map(text)
        self._marks.clear()
        self._layers.clear()
        by_layer: dict[str, list[Mark]] = {}
        for span in spans:
            mark = self._mark(span)
            self._marks[mark.id] = mark
            by_layer.setdefault(mark.layer, []).append(mark)
        for layer, marks in by_layer.items():
            index = self._layers[layer] = _LayerIndex()
            index.keys = sorted((m.start, m.id) for m in marks)
            index.longest = max(m.end - m.start for m in marks)

    def _mark(self, span: Span) -> Mark:
        assert span.id is not None
        to16 = self._map.to_utf16
        return Mark(span.id, to16(span.start), to16(span.end), span.layer, span.label)

    # -- changes
    def add(self, span: Span) -> Mark:
        mark = self._mark(span)
        self._marks[mark.id] = mark
        self._layers.setdefault(mark.layer, _LayerIndex()).add(mark)
        return mark

    def remove(self, span_id: int) -> Mark | None:
        mark = self._marks.pop(span_id, None)
        if mark is not None:
            self._layers[mark.layer].remove(mark)
        return mark

    def update(self, span: Span) -> tuple[Mark | None, Mark]:
        """Replaces the mark of span.id; returns the old mark and the new one."""
        assert span.id is not None
        old = self.remove(span.id)
        return old, self.add(span)

    # -- look-ups
    def __len__(self) -> int:
        return len(self._marks)

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._marks

    def get(self, span_id: int) -> Mark | None:
        return self._marks.get(span_id)

    def to_utf16(self, offset: int) -> int:
        return self._map.to_utf16(offset)

    def from_utf16(self, offset: int) -> int:
        return self._map.from_utf16(offset)

    def in_range(self, start: int, end: int, layers: Iterable[str] | None = None) -> Iterator[Mark]:
        """Marks of these layers (all by default) that overlap [start, end), by layer then start."""
        names = self._layers.keys() if layers is None else layers
        for name in names:
            index = self._layers.get(name)
            if index is None:
                continue
            keys = index.keys
            i = bisect.bisect_left(keys, (start - index.longest, -(2**62)))
            stop = bisect.bisect_left(keys, (end, -(2**62)))
            marks = self._marks
            for _, span_id in keys[i:stop]:
                mark = marks[span_id]
                if mark.end > start:
                    yield mark

    def at(self, position: int, layers: Iterable[str] | None = None) -> list[Mark]:
        """Marks that cover the character at `position`, shortest first."""
        found = list(self.in_range(position, position + 1, layers))
        found.sort(key=lambda m: (m.end - m.start, m.start))
        return found

    def step(
        self, after: tuple[int, int], layers: Iterable[str], backwards: bool = False
    ) -> Mark | None:
        """The mark next to the key `after` = (start, id) in reading order; None at an end."""
        best: tuple[int, int] | None = None
        for name in layers:
            index = self._layers.get(name)
            if index is None:
                continue
            keys = index.keys
            if backwards:
                i = bisect.bisect_left(keys, after) - 1
                if i >= 0 and (best is None or keys[i] > best):
                    best = keys[i]
            else:
                i = bisect.bisect_right(keys, after)
                if i < len(keys) and (best is None or keys[i] < best):
                    best = keys[i]
        return None if best is None else self._marks[best[1]]


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
