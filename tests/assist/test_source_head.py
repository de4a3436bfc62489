"""The right speaker: a SOURCE refers to the entity heading its words, whatever covers most."""

from __future__ import annotations

import itertools

import pytest

from labeler.assist.quick_attribution import relinks_after
from labeler.domain.annotation import AnnotationSet, Relation, make_span
from labeler.domain.schema_toml import parse_schema
from labeler.domain.who_said_what import attribution_rows


@pytest.fixture
def schema(news_toml):
    return parse_schema(news_toml, "news.toml")


def label_all(schema, text: str, steps: list[tuple[str, str]]) -> AnnotationSet:
    """Labels each (words, label) in turn as the editor does: the links each brings are made,
    and a relation a link replaces is deleted."""
    work = AnnotationSet(schema, "ana")
    for words, label in steps:
        start = text.index(words)
        span = work.add_span(make_span(text, start, start + len(words), label, schema))
        for (type_, head, tail), replaces in relinks_after(work, text, span):
            if replaces is not None:
                work.remove_relation(replaces)
            work.add_relation(Relation(type_, head, tail))
    return work


def speaker(work: AnnotationSet) -> tuple[str, str, str]:
    """Who said what's one row: the source, and the entity it names with its label."""
    [row] = attribution_rows(work)
    return row.source, row.entity_text, row.entity_label


SHAPES = [
    (
        "Ana Reyes, the head of the Halden Port Authority, said the port would reopen.",
        "Ana Reyes, the head of the Halden Port Authority",
        [("Ana Reyes", "PERSON"), ("Halden Port Authority", "ORG")],
        ("Ana Reyes", "PERSON"),
    ),
    (
        "The spokesman of the Halden Port Authority, Ana Reyes, said the port would reopen.",
        "The spokesman of the Halden Port Authority, Ana Reyes",
        [("Halden Port Authority", "ORG"), ("Ana Reyes", "PERSON")],
        ("Ana Reyes", "PERSON"),
    ),
    (
        "Halden Bank chief Lee Chan said costs would rise.",
        "Halden Bank chief Lee Chan",
        [("Halden Bank", "ORG"), ("Lee Chan", "PERSON")],
        ("Lee Chan", "PERSON"),
    ),
    (
        "Halden Bank's chief economist, Lee Chan, said costs would rise.",
        "Halden Bank's chief economist, Lee Chan",
        [("Halden Bank", "ORG"), ("Lee Chan", "PERSON")],
        ("Lee Chan", "PERSON"),
    ),
    (
        "A spokeswoman for the Norwegian Ministry of Fisheries said talks would resume.",
        "A spokeswoman for the Norwegian Ministry of Fisheries",
        [("Norwegian Ministry of Fisheries", "ORG")],
        ("Norwegian Ministry of Fisheries", "ORG"),
    ),
    (
        "Norwegian officials in Bergen said talks would resume.",
        "Norwegian officials in Bergen",
        [("Norwegian", "NORP"), ("Bergen", "GPE")],
        ("Norwegian", "NORP"),
    ),
]


@pytest.mark.parametrize(("text", "source", "entities", "expected"), SHAPES)
@pytest.mark.parametrize("source_first", [False, True])
def test_the_entity_heading_a_source_is_its_speaker_in_any_order(
    schema, text: str, source: str, entities: list[tuple[str, str]], expected, source_first
) -> None:
    said = [("said", "CUE")]
    for order in itertools.permutations(entities):
        steps = [(source, "SOURCE"), *order] if source_first else [*order, (source, "SOURCE")]
        work = label_all(schema, text, steps + said)
        assert speaker(work) == (source, *expected), order
        refers = [r for r in work.relations.values() if r.type == "refers_to"]
        assert len(refers) == 1  # one link, moved rather than doubled


def test_a_pronoun_source_names_no_entity_of_another_sentence(schema) -> None:
    text = "Ana Reyes heads the Halden Port Authority. She said the port would reopen."
    work = label_all(
        schema,
        text,
        [
            ("Ana Reyes", "PERSON"),
            ("Halden Port Authority", "ORG"),
            ("She", "SOURCE"),
            ("said", "CUE"),
        ],
    )
    assert speaker(work) == ("She", "", "")
    assert not [r for r in work.relations.values() if r.type == "refers_to"]


def test_a_link_the_annotator_chose_is_not_moved(schema) -> None:
    text = "Halden Bank chief Lee Chan and her deputy Ana Reyes said costs would rise."
    source = "Halden Bank chief Lee Chan and her deputy Ana Reyes"
    work = label_all(schema, text, [(source, "SOURCE"), ("Ana Reyes", "PERSON")])
    assert speaker_entities(work) == ["Ana Reyes"]
    # The annotator moves the link to the bank by hand.
    work = label_all(
        schema, text, [(source, "SOURCE"), ("Ana Reyes", "PERSON"), ("Halden Bank", "ORG")]
    )
    [link] = [rid for rid, r in work.relations.items() if r.type == "refers_to"]
    work.remove_relation(link)
    [src] = [s for s in work.spans.values() if s.label == "SOURCE"]
    [bank] = [s for s in work.spans.values() if s.label == "ORG"]
    work.add_relation(Relation("refers_to", src.id, bank.id))
    # A person labelled later at the start of the source heads it, but the choice stays.
    start = text.index("Lee Chan")
    lee = work.add_span(make_span(text, start, start + len("Lee Chan"), "PERSON", schema))
    assert relinks_after(work, text, lee) == []
    assert speaker_entities(work) == ["Halden Bank"]


def speaker_entities(work: AnnotationSet) -> list[str]:
    return [work.spans[r.tail].text for r in work.relations.values() if r.type == "refers_to"]
