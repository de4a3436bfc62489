"""An annotation set's index of spans by range, and the changes it announces (no display)."""

from __future__ import annotations

import contextlib
import random

import pytest

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status, make_span
from labeler.domain.annotation_events import (
    Change,
    RelationAdded,
    RelationChanged,
    RelationRemoved,
    SetReloaded,
    SpanAdded,
    SpanChanged,
    SpanRemoved,
    StatusChanged,
)
from labeler.domain.errors import RuleError
from labeler.domain.schema import LabelSchema
from labeler.domain.schema_toml import parse_schema

TEXT = "Ilse Marquard said the strike will last. Halden Bank warned of costs. " * 30


def at(schema: LabelSchema, label: str, start: int, end: int, span_id: int | None = None) -> Span:
    return make_span(TEXT, start, end, label, schema, None, span_id)


def random_set(schema: LabelSchema, seed: int) -> AnnotationSet:
    """Claims and attribution parts (which may overlap) and entities, at random."""
    rng = random.Random(seed)
    annotations = AnnotationSet(schema, "ana")
    for _ in range(300):
        start = rng.randrange(0, len(TEXT) - 60)
        label = rng.choice(["CLAIM", "SOURCE", "CUE", "CONTENT", "PERSON", "ORG", "DATE"])
        with contextlib.suppress(RuleError):  # entities may not overlap
            annotations.add_span(at(schema, label, start, start + rng.randrange(1, 60)))
    return annotations


def scanned(annotations: AnnotationSet, start: int, end: int, layer: str | None) -> set[int]:
    return {
        i
        for i, s in annotations.spans.items()
        if s.start < end and start < s.end and (layer is None or s.layer == layer)
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_spans_in_finds_what_a_scan_finds_through_edits(schema: LabelSchema, seed: int) -> None:
    annotations = random_set(schema, seed)
    rng = random.Random(seed)
    for step in range(200):
        start = rng.randrange(0, len(TEXT))
        end = start + rng.randrange(1, 200)
        layer = rng.choice([None, "entity", "claim", "attribution"])
        found = [s.id for s in annotations.spans_in(start, end, layer)]
        assert sorted(found) == sorted(scanned(annotations, start, end, layer))  # type: ignore[type-var]
        # The index follows every kind of edit made through the set.
        span_id = rng.choice(list(annotations.spans))
        old = annotations.spans[span_id]
        try:
            if step % 3 == 0:
                annotations.remove_span(span_id)
            elif step % 3 == 1:
                moved = at(schema, old.label, max(0, old.start - 7), old.end, span_id)
                annotations.replace_span(moved)
            else:
                annotations.add_span(at(schema, "CLAIM", start, min(end, len(TEXT))))
        except RuleError:
            pass


def test_the_index_is_built_only_when_first_asked(schema: LabelSchema) -> None:
    loaded = AnnotationSet(schema, "ana")
    # As a loader fills a fresh set: straight into its dictionary, nothing indexed yet.
    loaded.spans.update({7: at(schema, "PERSON", 0, 4, 7), 9: at(schema, "ORG", 41, 52, 9)})
    assert loaded._index is None
    assert [s.id for s in loaded.spans_in(40, 60)] == [9]
    assert loaded._index is not None
    with pytest.raises(RuleError, match="overlaps ORG"):
        loaded.add_span(at(schema, "GPE", 48, 52))


def test_one_link_check_refuses_a_second_link_of_one_type(schema: LabelSchema) -> None:
    annotations = AnnotationSet(schema, "ana")
    cue = annotations.add_span(at(schema, "CUE", 14, 18))
    source = annotations.add_span(at(schema, "SOURCE", 0, 13))
    link = annotations.add_relation(Relation("source", cue.id, source.id))  # type: ignore[arg-type]
    with pytest.raises(RuleError, match="already linked"):
        annotations.add_relation(Relation("source", cue.id, source.id))  # type: ignore[arg-type]
    annotations.remove_relation(link.id)  # type: ignore[arg-type]
    again = annotations.add_relation(Relation("source", cue.id, source.id))  # type: ignore[arg-type]
    assert annotations.has_link("source", cue.id, source.id)  # type: ignore[arg-type]
    with pytest.raises(RuleError, match="cannot go from CUE to SOURCE"):
        annotations.replace_relation(Relation("content", cue.id, source.id, {}, again.id))  # type: ignore[arg-type]


def record(annotations: AnnotationSet) -> list[tuple[str, Change]]:
    """What the set tells, in order: ("before" or "after", the change)."""
    told: list[tuple[str, Change]] = []
    annotations.events.subscribe(lambda c: told.append(("before", c)), before=True)
    annotations.events.subscribe(lambda c: told.append(("after", c)))
    return told


def test_each_edit_is_told_before_and_after_it_is_made(schema: LabelSchema) -> None:
    annotations = AnnotationSet(schema, "ana")
    told = record(annotations)
    seen_before: list[int] = []
    annotations.events.subscribe(lambda _c: seen_before.append(len(annotations.spans)), before=True)
    cue = annotations.add_span(at(schema, "CUE", 14, 18))
    assert told == [("before", SpanAdded(cue)), ("after", SpanAdded(cue))]
    assert seen_before == [0]  # the set had not changed yet when told before
    source = annotations.add_span(at(schema, "SOURCE", 0, 13))
    relation = annotations.add_relation(Relation("source", cue.id, source.id))  # type: ignore[arg-type]
    told.clear()
    relabelled = at(schema, "CONTENT", 14, 18, cue.id)
    with pytest.raises(RuleError):  # its relation forbids it: nothing told, nothing changed
        annotations.replace_span(relabelled)
    assert told == []
    wider = at(schema, "CUE", 14, 22, cue.id)
    assert annotations.replace_span(wider) == cue
    gone = annotations.remove_span(source.id)  # type: ignore[arg-type]
    assert gone == (source, [relation])
    annotations.set_status(Status.DONE)
    after = [change for when, change in told if when == "after"]
    assert after == [
        SpanChanged(cue, wider),
        RelationRemoved(relation),  # the relations go first, each told
        SpanRemoved(source),
        StatusChanged(Status.TODO, Status.DONE),
    ]
    told.clear()
    annotations.restore_span(*gone)
    assert [c for when, c in told if when == "after"] == [
        SpanAdded(source),
        RelationAdded(relation),
    ]


def test_batches_are_told_as_one_reload(schema: LabelSchema) -> None:
    annotations = AnnotationSet(schema, "ana")
    claim = annotations.add_span(at(schema, "CLAIM", 19, 39))
    source = annotations.add_span(at(schema, "SOURCE", 0, 13))
    relation = annotations.add_relation(Relation("attributed_to", claim.id, source.id))  # type: ignore[arg-type]
    told = record(annotations)
    removed = annotations.remove_spans([claim.id, source.id])  # type: ignore[list-item]
    assert told == [("before", SetReloaded()), ("after", SetReloaded())]
    assert annotations.spans == {} and annotations.relations == {}
    told.clear()
    annotations.restore_spans(removed)
    assert told == [("before", SetReloaded()), ("after", SetReloaded())]
    assert annotations.relations == {relation.id: relation}
    assert {s.id for s in annotations.spans_in(0, 50)} == {source.id, claim.id}


def test_a_listener_can_go_and_an_unwatched_set_makes_no_events(schema: LabelSchema) -> None:
    annotations = AnnotationSet(schema, "ana")
    assert not annotations.events
    told: list[Change] = []
    annotations.events.subscribe(told.append)
    annotations.add_span(at(schema, "PERSON", 0, 4))
    annotations.events.unsubscribe(told.append)
    annotations.add_span(at(schema, "ORG", 41, 52))
    assert len(told) == 1 and not annotations.events


def test_retyping_a_relation_is_told_as_a_change(news_toml: str) -> None:
    # A second type for CUE -> SOURCE, so that one relation can change into the other.
    extra = '\n[relations.quoted_from]\nheads = ["CUE"]\ntails = ["SOURCE"]\n'
    schema = parse_schema(news_toml + extra, "news2.toml")
    annotations = AnnotationSet(schema, "ana")
    cue = annotations.add_span(at(schema, "CUE", 14, 18))
    source = annotations.add_span(at(schema, "SOURCE", 0, 13))
    relation = annotations.add_relation(Relation("source", cue.id, source.id))  # type: ignore[arg-type]
    told = record(annotations)
    new = Relation("quoted_from", cue.id, source.id, {}, relation.id)  # type: ignore[arg-type]
    assert annotations.replace_relation(new) == relation
    assert told == [
        ("before", RelationChanged(relation, new)),
        ("after", RelationChanged(relation, new)),
    ]
    assert annotations.has_link("quoted_from", cue.id, source.id)  # type: ignore[arg-type]
    assert not annotations.has_link("source", cue.id, source.id)  # type: ignore[arg-type]
