"""The string matcher: labelled texts and gazetteer entries found again on token boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.assist.string_matcher import StringMatcherRecommender
from labeler.domain.annotation import AnnotationSet, make_span
from labeler.domain.errors import InputError
from labeler.domain.schema_toml import parse_schema
from labeler.domain.suggestion import SuggestedSpan, Suggestion

TEXT = (
    "Officials in Bergen said the Bank of Norway would act. Bergenfield is elsewhere; "
    "Bergen's port reopened, and the Bank of Norway's governor 🙂 flew to Bergen."
)


@pytest.fixture
def annotations(news_toml: str) -> AnnotationSet:
    return AnnotationSet(parse_schema(news_toml, "news.toml"), "ana")


def found(suggestions: list[Suggestion]) -> list[tuple[str, str]]:
    return [(TEXT[s.start : s.end], s.label) for x in suggestions for s in x.spans]


def starts(snippet: str) -> list[int]:
    out, at = [], TEXT.find(snippet)
    while at >= 0:
        out.append(at)
        at = TEXT.find(snippet, at + 1)
    return out


def test_every_occurrence_on_token_boundaries_and_longest_first(annotations) -> None:
    matcher = StringMatcherRecommender({"Bergen": "GPE", "Bank of Norway": "ORG", "Norway": "GPE"})
    suggestions = matcher.suggest(TEXT, annotations)
    spans = sorted((s.start, s.end, s.label) for x in suggestions for s in x.spans)
    bergen = [(a, a + 6, "GPE") for a in starts("Bergen") if TEXT[a + 6] != "f"]
    bank = [(a, a + 14, "ORG") for a in starts("Bank of Norway")]
    assert spans == sorted(bergen + bank)  # "Norway" inside the bank loses: no overlap in entity
    assert len(bergen) == 3  # not inside "Bergenfield", but in "Bergen's"
    assert {s.recommender for s in suggestions} == {"string matcher"}
    assert all(0 < s.score <= 1 for s in suggestions)


def test_texts_labelled_in_the_project_are_proposed_but_not_where_already_labelled(
    annotations, news_toml: str
) -> None:
    done = AnnotationSet(annotations.schema, "bo")
    done.add_span(make_span(TEXT, 13, 19, "GPE", annotations.schema))
    matcher = StringMatcherRecommender.from_sets([done])
    first = TEXT.index("Bergen")
    annotations.add_span(make_span(TEXT, first, first + 6, "GPE", annotations.schema))
    proposed = matcher.suggest(TEXT, annotations)
    assert found(proposed) == [("Bergen", "GPE")] * 2
    assert first not in [s.start for x in proposed for s in x.spans]


def test_a_new_span_brings_its_other_occurrences(annotations) -> None:
    matcher = StringMatcherRecommender({})
    start = TEXT.index("Bank of Norway")
    span = annotations.add_span(make_span(TEXT, start, start + 14, "ORG", annotations.schema))
    assert found(matcher.suggest(TEXT, annotations, span)) == [("Bank of Norway", "ORG")]


def test_a_learned_text_is_proposed_from_then_on_under_its_last_label(annotations) -> None:
    matcher = StringMatcherRecommender({"Bergen": "GPE"})
    other = AnnotationSet(annotations.schema, "ana")
    start = TEXT.index("Bank of Norway")
    span = other.add_span(make_span(TEXT, start, start + 14, "ORG", annotations.schema))
    matcher.learn(TEXT, span)
    assert sorted(set(found(matcher.suggest(TEXT, annotations)))) == [
        ("Bank of Norway", "ORG"), ("Bergen", "GPE")]  # fmt: skip
    relabelled = make_span(TEXT, TEXT.index("Bergen"), TEXT.index("Bergen") + 6, "LOC",
                           annotations.schema)  # fmt: skip
    matcher.learn(TEXT, relabelled)
    places = [x for x in found(matcher.suggest(TEXT, annotations)) if x[0] == "Bergen"]
    assert places == [("Bergen", "LOC")] * 3  # once each, under the label given last


def test_gazetteer_file_and_its_errors(tmp_path: Path, annotations) -> None:
    path = tmp_path / "places.tsv"
    path.write_text("# places\nBergen\tGPE\n\nBank of Norway\tORG\n", encoding="utf-8")
    matcher = StringMatcherRecommender.from_gazetteer(path)
    assert matcher.name == "gazetteer"
    assert ("Bank of Norway", "ORG") in found(matcher.suggest(TEXT, annotations))
    path.write_text("Bergen\tGPE\nOslo GPE\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"places.tsv:2: expected 'text<TAB>label'"):
        StringMatcherRecommender.from_gazetteer(path)


def test_labels_the_schema_does_not_know_are_left_out(annotations) -> None:
    matcher = StringMatcherRecommender({"Bergen": "CITY"})
    assert matcher.suggest(TEXT, annotations) == []
    assert SuggestedSpan(0, 1, "CITY").label == "CITY"
