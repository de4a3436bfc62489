"""SpanIndex: an annotation set's spans per layer in reading order, to find those in a range."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labeler.domain.spans import Span

Key = tuple[int, int, int]  # (start, end, id): reading order within a layer


class _Layer:
    """One layer's keys, sorted; `longest` bounds how far before a range a span may begin."""

    __slots__ = ("keys", "longest")

    def __init__(self, keys: list[Key], longest: int) -> None:
        self.keys = keys
        self.longest = longest


class SpanIndex:
    """Spans by layer, sorted by (start, end, id); built from a set's spans in one pass.

    A range query bisects for the first span that may reach into the range (starting at
    most `longest` characters before it), so it looks at the spans near the range only.
    """

    def __init__(self, spans: Iterable[tuple[int, Span]]) -> None:
        by_layer: dict[str, list[Key]] = {}
        longest: dict[str, int] = {}
        for span_id, s in spans:
            keys = by_layer.get(s.layer)
            if keys is None:
                keys = by_layer[s.layer] = []
                longest[s.layer] = 0
            keys.append((s.start, s.end, span_id))
            if s.end - s.start > longest[s.layer]:
                longest[s.layer] = s.end - s.start
        for keys in by_layer.values():
            keys.sort()
        self._layers = {name: _Layer(keys, longest[name]) for name, keys in by_layer.items()}

    # -- changes
    def add(self, span_id: int, span: Span) -> None:
        layer = self._layers.get(span.layer)
        if layer is None:
            layer = self._layers[span.layer] = _Layer([], 0)
        bisect.insort(layer.keys, (span.start, span.end, span_id))
        layer.longest = max(layer.longest, span.end - span.start)

    def remove(self, span_id: int, span: Span) -> None:
        keys = self._layers[span.layer].keys
        key = (span.start, span.end, span_id)
        at = bisect.bisect_left(keys, key)
        if at < len(keys) and keys[at] == key:
            del keys[at]
        # `longest` stays: an upper bound is still right, only looser.

    # -- look-ups
    def in_range(self, start: int, end: int, layer: str | None = None) -> Iterator[int]:
        """Ids of the spans that overlap [start, end), layer by layer in reading order."""
        names = list(self._layers) if layer is None else [layer]
        for name in names:
            found = self._layers.get(name)
            if found is None:
                continue
            keys = found.keys
            at = bisect.bisect_left(keys, (start - found.longest, -1, -1))
            stop = bisect.bisect_left(keys, (end, -1, -1))
            for i in range(at, stop):
                key = keys[i]
                if key[1] > start:
                    yield key[2]

    def layers(self) -> list[str]:
        return list(self._layers)

    def next_in_order(
        self, start: int, after_id: int, layer: str, backwards: bool = False
    ) -> tuple[int, int] | None:
        """The (start, id) of the layer's span next after (or before) `(start, after_id)` in
        (start, id) order, the order of stepping through spans; None at an end."""
        keys = self.keys(layer)
        low = bisect.bisect_left(keys, (start,))
        high = bisect.bisect_left(keys, (start + 1,))
        if backwards:
            same = [k[2] for k in keys[low:high] if k[2] < after_id]
            if same:
                return start, max(same)
            if low == 0:
                return None
            before = keys[low - 1][0]
            first = bisect.bisect_left(keys, (before,))
            return before, max(k[2] for k in keys[first:low])
        same = [k[2] for k in keys[low:high] if k[2] > after_id]
        if same:
            return start, min(same)
        if high >= len(keys):
            return None
        after = keys[high][0]
        last = bisect.bisect_left(keys, (after + 1,))
        return after, min(k[2] for k in keys[high:last])

    def count(self, layer: str) -> int:
        found = self._layers.get(layer)
        return 0 if found is None else len(found.keys)

    def keys(self, layer: str) -> list[Key]:
        """The layer's keys in reading order (the list itself: do not change it)."""
        found = self._layers.get(layer)
        return [] if found is None else found.keys

    def position(self, span_id: int, span: Span) -> int:
        """Where the span is (or would go) in its layer's reading order."""
        return bisect.bisect_left(self.keys(span.layer), (span.start, span.end, span_id))
