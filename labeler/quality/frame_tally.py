"""Attribution frames of two annotators: how many match (by cue), and whether the matched
frames agree on their source and on their content."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from labeler.quality.figures import ALL, FRAMES, Figure, Measure
from labeler.quality.matching import Frame, frame_pairs, overlapping_ranges, same_ranges

_PARTS = (
    (Measure.FRAME_SOURCE_EXACT, "sources", same_ranges),
    (Measure.FRAME_SOURCE_OVERLAP, "sources", overlapping_ranges),
    (Measure.FRAME_CONTENT_EXACT, "content", same_ranges),
    (Measure.FRAME_CONTENT_OVERLAP, "content", overlapping_ranges),
)


class FrameTally:
    """Counts per pair: frames of both, matched frames, and matched frames that agree on each
    part (sources the same, or overlapping; content the same, or overlapping)."""

    def __init__(self) -> None:
        self.units: Counter[str] = Counter()
        self.matched: Counter[str] = Counter()
        self.agreeing: Counter[tuple[str, Measure]] = Counter()

    def add(self, pair: str, left: Sequence[Frame], right: Sequence[Frame]) -> None:
        self.units[pair] += len(left) + len(right)
        for a, b in frame_pairs(left, right):
            self.matched[pair] += 1
            for measure, part, agree in _PARTS:
                if agree(getattr(a, part), getattr(b, part)):
                    self.agreeing[pair, measure] += 1

    def figures(
        self, pairs: Sequence[str], pair_documents: Mapping[str, int], documents: int
    ) -> Iterator[Figure]:
        """Frame F1 (cues overlap), and for each part the share of matched frames that agree."""
        for pair in (*pairs, ALL):
            chosen = pairs if pair == ALL else [pair]
            units = sum(self.units[p] for p in chosen)
            matched = sum(self.matched[p] for p in chosen)
            docs = documents if pair == ALL else pair_documents.get(pair, 0)
            if not chosen:
                yield Figure(
                    Measure.FRAME_F1,
                    FRAMES,
                    "",
                    pair,
                    None,
                    0,
                    0,
                    docs,
                    "fewer than two annotators",
                )
                continue
            f1 = 2 * matched / units if units else None
            yield Figure(
                Measure.FRAME_F1,
                FRAMES,
                "",
                pair,
                f1,
                units,
                matched,
                docs,
                "" if units else "no attribution frames (CUE spans)",
            )
            for measure, _, _ in _PARTS:
                same = sum(self.agreeing[p, measure] for p in chosen)
                share = same / matched if matched else None
                yield Figure(
                    measure,
                    FRAMES,
                    "",
                    pair,
                    share,
                    matched,
                    same,
                    docs,
                    "" if matched else "no matched frames",
                )
