"""Dealing documents out: each to the asked number of annotators, balanced, fixed by the seed."""

from __future__ import annotations

from collections import Counter

import pytest

from labeler.domain.assignment import plan_assignment
from labeler.domain.errors import RuleError

DOCS = list(range(1, 101))
NAMES = ["ana", "bo", "cy"]


def test_each_document_goes_to_the_asked_number_of_annotators_balanced() -> None:
    plan = plan_assignment(DOCS, NAMES, per_document=2, seed=7)
    per_doc = Counter(d for ids in plan.values() for d in ids)
    assert set(per_doc) == set(DOCS)
    assert set(per_doc.values()) == {2}
    loads = [len(ids) for ids in plan.values()]
    assert sum(loads) == 200
    assert max(loads) - min(loads) <= 1
    for ids in plan.values():
        assert ids == sorted(ids)  # in the order given
        assert len(set(ids)) == len(ids)


def test_the_same_seed_gives_the_same_plan_and_another_seed_another() -> None:
    first = plan_assignment(DOCS, NAMES, 1, overlap=0.1, seed=1)
    assert plan_assignment(DOCS, NAMES, 1, overlap=0.1, seed=1) == first
    assert plan_assignment(DOCS, NAMES, 1, overlap=0.1, seed=2) != first


def test_an_overlap_share_goes_to_everyone() -> None:
    plan = plan_assignment(DOCS, NAMES, per_document=1, overlap=0.1, seed=5)
    shared = set.intersection(*(set(ids) for ids in plan.values()))
    assert len(shared) == 10
    rest = Counter(d for ids in plan.values() for d in ids if d not in shared)
    assert set(rest.values()) == {1}
    loads = [len(ids) for ids in plan.values()]
    assert max(loads) - min(loads) <= 1


@pytest.mark.parametrize(
    ("names", "per_document", "overlap", "message"),
    [
        ([], 1, 0.0, "at least one annotator"),
        (["ana"], 2, 0.0, "1 to 1 annotators"),
        (["ana", "bo"], 0, 0.0, "not 0"),
        (["ana", "bo"], 1, 1.5, "between 0 and 1"),
    ],
)
def test_impossible_requests_are_refused(names, per_document, overlap, message) -> None:
    with pytest.raises(RuleError, match=message):
        plan_assignment(DOCS, names, per_document, overlap)
