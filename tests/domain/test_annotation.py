"""The rules of spans, relations and annotation sets."""

from __future__ import annotations

import pytest

from labeler.domain.annotation import AnnotationSet, Relation, make_span
from labeler.domain.errors import RuleError
from tests.support import offsets

TEXT = "Ilse Marquard said the strike will last. Halden Bank warned of costs."


def span(schema, label, snippet, attrs=None):
    return make_span(TEXT, *offsets(TEXT, snippet), label, schema, attrs)


def test_span_takes_its_layer_and_text_from_the_schema_and_document(schema) -> None:
    s = span(schema, "PERSON", "Ilse Marquard")
    assert (s.start, s.end, s.layer, s.text) == (0, 13, "entity", "Ilse Marquard")


@pytest.mark.parametrize(
    ("start", "end", "label", "message"),
    [
        (-1, 4, "PERSON", "outside the text"),
        (5, 5, "PERSON", "outside the text"),
        (60, 200, "PERSON", "outside the text"),
        (0, 4, "PERSN", "PERSON"),  # unknown label, with a suggestion
    ],
)
def test_bad_spans_are_refused(schema, start, end, label, message) -> None:
    with pytest.raises(RuleError, match=message):
        make_span(TEXT, start, end, label, schema)


def test_attribute_values_are_checked(schema) -> None:
    claim = span(schema, "CLAIM", "the strike will last", {"claim_type": "prediction"})
    assert claim.attributes == {"claim_type": "prediction"}
    with pytest.raises(RuleError, match="claim_type"):
        span(schema, "CLAIM", "the strike will last", {"claim_type": "guess"})
    with pytest.raises(RuleError, match="checkworthy"):
        span(schema, "PERSON", "Ilse Marquard", {"checkworthy": "yes"})


def test_overlap_is_refused_only_where_the_layer_forbids_it(schema) -> None:
    s = AnnotationSet(schema, "ana")
    s.add_span(span(schema, "PERSON", "Ilse Marquard"))
    with pytest.raises(RuleError, match="allows no overlap"):
        s.add_span(span(schema, "ORG", "Marquard said"))
    assert len(s.spans) == 1
    # Claims and attributions may overlap each other and the entities.
    s.add_span(span(schema, "SOURCE", "Ilse Marquard"))
    s.add_span(span(schema, "CONTENT", "the strike will last"))
    s.add_span(span(schema, "CLAIM", "the strike will last"))
    assert len(s.spans) == 4


def test_bulk_add_finds_an_overlap_anywhere_in_the_batch(schema) -> None:
    s = AnnotationSet(schema, "ana")
    spans = [
        span(schema, "ORG", "Halden Bank"),
        span(schema, "PERSON", "Ilse"),
        span(schema, "PERSON", "Marquard"),
        span(schema, "ORG", "Bank warned"),
    ]
    with pytest.raises(RuleError, match="overlaps"):
        s.add_spans(spans)
    assert s.spans == {}
    added = s.add_spans(spans[:3])
    assert sorted(x.text for x in added) == ["Halden Bank", "Ilse", "Marquard"]


def test_relation_heads_and_tails_follow_the_schema(schema) -> None:
    s = AnnotationSet(schema, "ana")
    src = s.add_span(span(schema, "SOURCE", "Ilse Marquard"))
    cue = s.add_span(span(schema, "CUE", "said"))
    per = s.add_span(span(schema, "PERSON", "Ilse Marquard"))
    s.add_relation(Relation("source", cue.id, src.id))
    s.add_relation(Relation("refers_to", src.id, per.id))
    with pytest.raises(RuleError, match="source"):
        s.add_relation(Relation("source", src.id, cue.id))  # backwards
    with pytest.raises(RuleError, match="itself"):
        s.add_relation(Relation("continues", src.id, src.id))
    with pytest.raises(RuleError, match="does not exist"):
        s.add_relation(Relation("source", cue.id, 999))
    assert len(s.relations) == 2


def test_removing_a_span_takes_its_relations_along(schema) -> None:
    s = AnnotationSet(schema, "ana")
    src = s.add_span(span(schema, "SOURCE", "Ilse Marquard"))
    cue = s.add_span(span(schema, "CUE", "said"))
    rel = s.add_relation(Relation("source", cue.id, src.id))
    removed, relations = s.remove_span(src.id)
    assert removed == src
    assert relations == [rel]
    assert s.relations == {}
