"""Matching two annotators' spans, relations and attribution frames on one document.

Exact: the same range and label (a relation: the same type and exactly matching end spans).
Overlap: the same label and any shared character; each span (relation, frame) of one annotator
is matched at most once: exact pairs first, then the pairs that share most characters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.attribution_links import Links, sid
from labeler.domain.attribution_roles import CUE, SOURCE, SOURCE_OF

_T = TypeVar("_T")

Key = tuple[int, int, str]


def key(span: Span) -> Key:
    return (span.start, span.end, span.label)


def shared(a: Span, b: Span) -> int:
    """How many characters two spans share (0 when they do not overlap)."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def exact_pairs(left: Iterable[Span], right: Iterable[Span]) -> list[tuple[Span, Span]]:
    """Spans with the same range and label on both sides (a duplicate is matched once)."""
    by_key: dict[Key, Span] = {}
    for s in right:
        by_key.setdefault((s.start, s.end, s.label), s)
    pairs = []
    for s in left:
        other = by_key.pop((s.start, s.end, s.label), None)
        if other is not None:
            pairs.append((s, other))
    return pairs


def _greedy(
    candidates: list[tuple[int, int, int]], left: Sequence[_T], right: Sequence[_T]
) -> list[tuple[_T, _T]]:
    """One-to-one pairs from (score, left index, right index), the highest score first."""
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    taken_left: set[int] = set()
    taken_right: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i in taken_left or j in taken_right:
            continue
        taken_left.add(i)
        taken_right.add(j)
        pairs.append((left[i], right[j]))
    return pairs


def overlap_pairs(
    left: Sequence[Span],
    right: Sequence[Span],
    exact: Sequence[tuple[Span, Span]] | None = None,
) -> list[tuple[Span, Span]]:
    """Spans of the same label that share characters, matched one to one: the exact pairs
    first (`exact`, if exact_pairs was run already), then the rest, most shared first."""
    pairs = list(exact_pairs(left, right) if exact is None else exact)
    if len(pairs) == min(len(left), len(right)):
        return pairs
    done_left = {id(a) for a, _ in pairs}
    done_right = {id(b) for _, b in pairs}
    rest_left = [a for a in left if id(a) not in done_left]
    rest_right = sorted((b for b in right if id(b) not in done_right), key=lambda b: b.start)
    candidates: list[tuple[int, int, int]] = []
    for i, a in enumerate(rest_left):
        start, end, label = a.start, a.end, a.label
        for j, b in enumerate(rest_right):
            if b.start >= end:
                break
            if b.end > start and b.label == label:
                candidates.append((min(end, b.end) - max(start, b.start), i, j))
    return pairs + _greedy(candidates, rest_left, rest_right)


@dataclass(frozen=True, slots=True)
class LinkedRelation:
    """A relation with its two end spans."""

    type: str
    head: Span
    tail: Span


def linked_relations(annotations: AnnotationSet) -> list[LinkedRelation]:
    """The set's relations whose two end spans exist."""
    spans = annotations.spans
    return [
        LinkedRelation(r.type, spans[r.head], spans[r.tail])
        for r in annotations.relations.values()
        if r.head in spans and r.tail in spans
    ]


def exact_relation_pairs(
    left: Sequence[LinkedRelation], right: Sequence[LinkedRelation]
) -> list[tuple[LinkedRelation, LinkedRelation]]:
    """Relations of the same type whose heads and tails match exactly."""
    by_key: dict[tuple[str, Key, Key], LinkedRelation] = {}
    for r in right:
        by_key.setdefault((r.type, key(r.head), key(r.tail)), r)
    pairs = []
    for r in left:
        other = by_key.pop((r.type, key(r.head), key(r.tail)), None)
        if other is not None:
            pairs.append((r, other))
    return pairs


def _ends_overlap(a: Span, b: Span) -> int:
    return shared(a, b) if a.label == b.label else 0


def overlap_relation_pairs(
    left: Sequence[LinkedRelation], right: Sequence[LinkedRelation]
) -> list[tuple[LinkedRelation, LinkedRelation]]:
    """Relations of the same type whose heads overlap (same label) and tails overlap too."""
    candidates = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            if a.type != b.type:
                continue
            head, tail = _ends_overlap(a.head, b.head), _ends_overlap(a.tail, b.tail)
            if head and tail:
                candidates.append((head + tail, i, j))
    return _greedy(candidates, left, right)


@dataclass(frozen=True, slots=True)
class Frame:
    """An attribution: a CUE, its SOURCE spans (by `source`) and CONTENT pieces (by `content`,
    with the pieces chained to them by `continues`)."""

    cue: Span
    sources: tuple[Span, ...]
    content: tuple[Span, ...]


def frames(annotations: AnnotationSet) -> list[Frame]:
    """Every CUE of the set as a frame, in reading order."""
    cues = [s for s in annotations.spans.values() if s.label == CUE]
    if not cues:
        return []
    links = Links(annotations)
    return [
        Frame(
            cue, tuple(links.tails(SOURCE_OF, sid(cue), SOURCE)), tuple(links.content_pieces(cue))
        )
        for cue in sorted(cues, key=key)
    ]


def frame_pairs(left: Sequence[Frame], right: Sequence[Frame]) -> list[tuple[Frame, Frame]]:
    """Frames whose cues overlap, matched one to one."""
    cue_pairs = overlap_pairs([f.cue for f in left], [f.cue for f in right])
    of_left = {id(f.cue): f for f in left}
    of_right = {id(f.cue): f for f in right}
    return [(of_left[id(a)], of_right[id(b)]) for a, b in cue_pairs]


def same_ranges(left: Sequence[Span], right: Sequence[Span]) -> bool:
    """The same character ranges on both sides (none on both sides is the same)."""
    return {(s.start, s.end) for s in left} == {(s.start, s.end) for s in right}


def overlapping_ranges(left: Sequence[Span], right: Sequence[Span]) -> bool:
    """Every span of each side overlaps one of the other's (none on both sides agrees)."""

    def covered(these: Sequence[Span], those: Sequence[Span]) -> bool:
        return all(any(shared(a, b) for b in those) for a in these)

    return covered(left, right) and covered(right, left)
