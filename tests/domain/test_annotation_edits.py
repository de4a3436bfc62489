"""Single edits of an annotation set: replacing, restoring and unlinking, all or nothing."""

from __future__ import annotations

import copy

import pytest

from labeler.domain.annotation import AnnotationSet, Relation, make_span
from labeler.domain.errors import RuleError
from tests.support import offsets

TEXT = "Ilse Marquard said the strike will last. Halden Bank warned of costs."


def span(schema, label, snippet, attrs=None, span_id=None):
    return make_span(TEXT, *offsets(TEXT, snippet), label, schema, attrs, span_id)


@pytest.fixture
def work(schema):
    """CUE 'said' -source-> SOURCE 'Ilse Marquard' -refers_to-> PERSON; ORG 'Halden Bank'."""
    s = AnnotationSet(schema, "ana")
    src = s.add_span(span(schema, "SOURCE", "Ilse Marquard"))
    cue = s.add_span(span(schema, "CUE", "said", {"type": "assertion"}))
    per = s.add_span(span(schema, "PERSON", "Ilse Marquard"))
    s.add_span(span(schema, "ORG", "Halden Bank"))
    s.add_relation(Relation("source", cue.id, src.id))
    s.add_relation(Relation("refers_to", src.id, per.id))
    return s


def by_text(s: AnnotationSet, text: str, layer: str):
    [found] = [x for x in s.spans.values() if x.text == text and x.layer == layer]
    return found


def snapshot(s: AnnotationSet):
    return copy.deepcopy((s.spans, s.relations))


def test_replace_span_changes_range_label_and_returns_the_old_span(work, schema) -> None:
    org = by_text(work, "Halden Bank", "entity")
    new = span(schema, "GPE", "Halden", span_id=org.id)
    old = work.replace_span(new)
    assert old == org
    assert work.spans[org.id] == new
    assert (new.start, new.end, new.text, new.label) == (41, 47, "Halden", "GPE")


def test_replace_span_may_move_a_span_to_another_layer(work, schema) -> None:
    org = by_text(work, "Halden Bank", "entity")
    # CLAIM lies in a layer that allows overlap, so it may sit over other spans.
    work.replace_span(span(schema, "CLAIM", "Halden Bank warned of costs", span_id=org.id))
    assert work.spans[org.id].layer == "claim"


def test_replace_span_refuses_an_overlap_and_changes_nothing(work, schema) -> None:
    org = by_text(work, "Halden Bank", "entity")
    before = snapshot(work)
    with pytest.raises(RuleError, match="allows no overlap"):
        work.replace_span(span(schema, "ORG", "Marquard said the", span_id=org.id))
    assert snapshot(work) == before


def test_replace_span_may_overlap_itself(work, schema) -> None:
    org = by_text(work, "Halden Bank", "entity")
    work.replace_span(span(schema, "ORG", "Halden Bank warned", span_id=org.id))
    assert work.spans[org.id].text == "Halden Bank warned"


def test_replace_span_refuses_a_label_its_relations_do_not_allow(work, schema) -> None:
    src = by_text(work, "Ilse Marquard", "attribution")
    per = by_text(work, "Ilse Marquard", "entity")
    before = snapshot(work)
    # SOURCE is the tail of a `source` relation from the CUE: CONTENT is not allowed there.
    with pytest.raises(RuleError, match="'source' cannot go from CUE to CONTENT"):
        work.replace_span(span(schema, "CONTENT", "Ilse Marquard", span_id=src.id))
    # PERSON is the tail of `refers_to`: DATE is not among its tails.
    with pytest.raises(RuleError, match="refers_to"):
        work.replace_span(span(schema, "DATE", "Ilse Marquard", span_id=per.id))
    assert snapshot(work) == before
    # Another allowed tail is fine.
    work.replace_span(span(schema, "ORG", "Ilse Marquard", span_id=per.id))
    assert work.spans[per.id].label == "ORG"


def test_replace_span_refuses_an_unknown_id(work, schema) -> None:
    with pytest.raises(RuleError, match="does not exist"):
        work.replace_span(span(schema, "ORG", "Halden Bank", span_id=12345))
    with pytest.raises(RuleError, match="does not exist"):
        work.replace_span(span(schema, "ORG", "Halden Bank"))


def test_restore_span_puts_back_the_span_and_its_relations_with_their_ids(work) -> None:
    src = by_text(work, "Ilse Marquard", "attribution")
    before = snapshot(work)
    removed, relations = work.remove_span(src.id)
    assert len(relations) == 2
    assert work.relations == {}
    work.restore_span(removed, relations)
    assert snapshot(work) == before


def test_restore_span_refuses_an_overlap_and_changes_nothing(work, schema) -> None:
    org = by_text(work, "Halden Bank", "entity")
    removed, relations = work.remove_span(org.id)
    work.add_span(span(schema, "GPE", "Halden"))
    before = snapshot(work)
    with pytest.raises(RuleError, match="allows no overlap"):
        work.restore_span(removed, relations)
    assert snapshot(work) == before


def test_restore_span_checks_its_relations_before_changing_anything(work, schema) -> None:
    src = by_text(work, "Ilse Marquard", "attribution")
    cue = by_text(work, "said", "attribution")
    removed, relations = work.remove_span(src.id)
    work.remove_span(cue.id)  # the head of the `source` relation is gone now
    before = snapshot(work)
    with pytest.raises(RuleError, match="does not exist"):
        work.restore_span(removed, relations)
    assert snapshot(work) == before
    with pytest.raises(RuleError, match="exists already"):
        work.restore_span(by_text(work, "Halden Bank", "entity"), [])
    with pytest.raises(RuleError, match="with an id"):
        work.restore_span(span(schema, "LOC", "costs"), [])
    assert snapshot(work) == before


def test_remove_relation_returns_it_and_leaves_the_spans(work) -> None:
    spans = dict(work.spans)
    rel = next(r for r in work.relations.values() if r.type == "source")
    assert work.remove_relation(rel.id) == rel
    assert rel.id not in work.relations
    assert len(work.relations) == 1
    assert work.spans == spans
    with pytest.raises(RuleError, match="does not exist"):
        work.remove_relation(rel.id)


def test_check_relation_changes_nothing(work) -> None:
    src = by_text(work, "Ilse Marquard", "attribution")
    cue = by_text(work, "said", "attribution")
    before = snapshot(work)
    (same,) = [r for r in work.relations.values() if (r.head, r.tail) == (cue.id, src.id)]
    work.check_relation(same)  # a relation checked as itself: the same link is no second one
    with pytest.raises(RuleError, match="already linked"):  # one check, the editor's rule too
        work.check_relation(Relation("source", cue.id, src.id))
    with pytest.raises(RuleError, match="source"):
        work.check_relation(Relation("source", src.id, cue.id))
    assert snapshot(work) == before
