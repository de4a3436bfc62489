"""Matching two annotators' spans, relations and frames on one document."""

from __future__ import annotations

from labeler.domain.annotation import Span
from labeler.quality.matching import (
    LinkedRelation,
    exact_pairs,
    exact_relation_pairs,
    overlap_pairs,
    overlap_relation_pairs,
    overlapping_ranges,
    same_ranges,
)


def span(start: int, end: int, label: str = "ORG") -> Span:
    return Span(start, end, label, "entity", "x" * (end - start))


def test_exact_needs_range_and_label() -> None:
    left = [span(0, 4), span(5, 9), span(10, 12, "GPE")]
    right = [span(0, 4), span(5, 8), span(10, 12, "ORG")]
    assert [(a.start, b.start) for a, b in exact_pairs(left, right)] == [(0, 0)]


def test_overlap_matches_one_to_one_most_shared_first() -> None:
    # one long span on the left, two short ones overlapping it on the right: one match,
    # with the one sharing more characters
    left = [span(0, 10)]
    right = [span(0, 2), span(3, 10)]
    assert [(b.start, b.end) for _, b in overlap_pairs(left, right)] == [(3, 10)]
    # another label never matches
    assert overlap_pairs([span(0, 10)], [span(0, 10, "GPE")]) == []


def test_overlap_takes_exact_pairs_first() -> None:
    left = [span(0, 10), span(0, 4)]
    right = [span(0, 4), span(2, 10)]
    pairs = {((a.start, a.end), (b.start, b.end)) for a, b in overlap_pairs(left, right)}
    assert pairs == {((0, 4), (0, 4)), ((0, 10), (2, 10))}


def test_relations_need_type_and_both_ends() -> None:
    cue, source, other = span(0, 4, "CUE"), span(5, 9, "SOURCE"), span(5, 7, "SOURCE")
    left = [LinkedRelation("source", cue, source)]
    assert len(exact_relation_pairs(left, [LinkedRelation("source", cue, source)])) == 1
    assert exact_relation_pairs(left, [LinkedRelation("source", cue, other)]) == []
    assert len(overlap_relation_pairs(left, [LinkedRelation("source", cue, other)])) == 1
    assert overlap_relation_pairs(left, [LinkedRelation("content", cue, source)]) == []


def test_frame_parts_agree_exactly_or_by_overlap() -> None:
    assert same_ranges([], []) and overlapping_ranges([], [])
    assert not same_ranges([span(0, 4)], [span(0, 3)])
    assert overlapping_ranges([span(0, 4)], [span(0, 3)])
    assert not overlapping_ranges([span(0, 4), span(8, 9)], [span(0, 3)])
    assert not overlapping_ranges([span(0, 4)], [])
