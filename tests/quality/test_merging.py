"""Merging annotators' sets: each span once, conflicts counted, relations kept."""

from __future__ import annotations

import pytest

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.quality.merging import MERGED, merge_sets
from tests.support import offsets

TEXT = "Ada Lind said the mine will close."


def one(schema, annotator: str, spans: list[tuple[str, str]], status=Status.DONE) -> AnnotationSet:
    s = AnnotationSet(schema, annotator, status)
    for snippet, label in spans:
        s.add_span(make_span(TEXT, *offsets(TEXT, snippet), label, schema))
    return s


def test_each_span_once_and_conflicts_counted(schema) -> None:
    ana = one(schema, "ana", [("Ada Lind", "PERSON"), ("said", "CUE"), ("Ada Lind", "SOURCE")])
    ben = one(schema, "ben", [("Lind said", "ORG"), ("said", "CUE"), ("mine", "CLAIM")])
    outcome = merge_sets([ana, ben])
    merged = outcome.merged
    assert merged.annotator == MERGED and merged.status is Status.DONE
    assert sorted((s.text, s.label) for s in merged.spans.values()) == [
        ("Ada Lind", "PERSON"),
        ("Ada Lind", "SOURCE"),
        ("mine", "CLAIM"),
        ("said", "CUE"),
    ]
    assert outcome.conflicts == 1  # ben's ORG overlaps ana's PERSON in the entity layer


def test_relations_follow_their_spans_and_are_not_repeated(schema) -> None:
    sets = []
    for name in ("ana", "ben"):
        s = one(schema, name, [("Ada Lind", "SOURCE"), ("said", "CUE")])
        src, cue = sorted(s.spans.values(), key=lambda x: x.start)
        s.add_relation(Relation("source", cue.id, src.id))
        sets.append(s)
    merged = merge_sets(sets).merged
    (relation,) = merged.relations.values()
    assert merged.spans[relation.head].label == "CUE"
    assert merged.spans[relation.tail].label == "SOURCE"


def test_nothing_to_merge_is_an_error() -> None:
    with pytest.raises(ValueError, match="nothing to merge"):
        merge_sets([])
