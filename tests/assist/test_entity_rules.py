"""Entity rules: amounts, calendar dates, datelines and titled names, found by token patterns."""

from __future__ import annotations

import pytest

from labeler.assist.entity_rules import EntityRulesRecommender
from labeler.domain.annotation import AnnotationSet, make_span
from labeler.domain.schema_toml import parse_schema
from labeler.domain.suggestion import SuggestedSpan


@pytest.fixture(scope="module")
def rules() -> EntityRulesRecommender:
    return EntityRulesRecommender()


def found(rules: EntityRulesRecommender, text: str) -> list[tuple[str, str]]:
    return [(label, text[s:e]) for s, e, label in rules.entities(text)]


def test_money_and_percentages_keep_their_modifiers(rules) -> None:
    text = (
        "The demand would cost about $60 million a year, close to €15 million a day, "
        "at least 40 million euros in all; a 9 percent raise, nearly 5 per cent, or 68%."
    )
    assert found(rules, text) == [
        ("MONEY", "about $60 million"),
        ("MONEY", "close to €15 million"),
        ("MONEY", "at least 40 million euros"),
        ("PERCENT", "9 percent"),
        ("PERCENT", "nearly 5 per cent"),
        ("PERCENT", "68%"),
    ]


def test_calendar_dates_but_not_relative_ones(rules) -> None:
    text = (
        "On Feb. 3, 2024 and on 14 March, then in May 2023 and on Saturday; in 2023 and "
        "in the first quarter, between January and March. Next week, a year earlier, the "
        "troops march on. It may rain in June."
    )
    assert found(rules, text) == [
        ("DATE", "Feb. 3, 2024"),
        ("DATE", "14 March"),
        ("DATE", "May 2023"),
        ("DATE", "Saturday"),
        ("DATE", "2023"),
        ("DATE", "the first quarter"),
        ("DATE", "between January and March"),
        ("DATE", "June"),
    ]


def test_cardinals_not_in_units_durations_pronouns_or_adverbs(rules) -> None:
    text = (
        "The council voted 31 to 9; more than 2,000 homes flooded. Two children died. "
        "Growth could fall 0.2 percentage points over the next hundred years. Every one "
        "of them was first counted on a third day, the 21st such case."
    )
    assert found(rules, text) == [
        ("CARDINAL", "31"),
        ("CARDINAL", "9"),
        ("CARDINAL", "more than 2,000"),
        ("CARDINAL", "Two"),
        ("ORDINAL", "third"),
        ("ORDINAL", "21st"),
    ]


def test_dateline_place_and_agency_titled_names_and_organisations(rules) -> None:
    text = (
        "SAN JOSE, June 9 (Meridian Wire) - Mayor Priya Okafor and Dr. Helena Varga met "
        "Economists at Halden Bank and the European Centre for Vaccine Safety.\n"
        "LATER, it rained."
    )
    assert found(rules, text) == [
        ("GPE", "SAN JOSE"),
        ("DATE", "June 9"),
        ("ORG", "Meridian Wire"),
        ("PERSON", "Priya Okafor"),
        ("PERSON", "Helena Varga"),
        ("ORG", "Halden Bank"),
        ("ORG", "European Centre for Vaccine Safety"),
    ]


def test_suggestions_fit_the_set_and_the_schema(rules, news_toml: str) -> None:
    text = "The strike cost $15 million on Monday."
    schema = parse_schema(news_toml, "news.toml")
    annotations = AnnotationSet(schema, "ana")
    money = annotations.add_span(make_span(text, 16, 27, "MONEY", schema))
    suggestions = rules.suggest(text, annotations)
    assert [s.proposal for s in suggestions] == [SuggestedSpan(31, 37, "DATE")]
    assert {s.recommender for s in suggestions} == {"entity rules"}
    assert rules.suggest(text, annotations, new_span=money) == []
    other = parse_schema('[schema]\nname = "x"\n[layers.a.labels.A]\ncolor = "#aabbcc"\n', "x")
    assert rules.suggest(text, AnnotationSet(other, "ana")) == []
