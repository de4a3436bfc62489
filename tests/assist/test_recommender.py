"""Recommenders: quick attribution as the first one, its links as scored, named suggestions."""

from __future__ import annotations

import pytest

from labeler.assist.quick_attribution import links_after
from labeler.assist.recommender import QuickAttributionRecommender, Recommender
from labeler.domain.annotation import AnnotationSet, Span, make_span
from labeler.domain.schema_toml import parse_schema
from labeler.domain.suggestion import SuggestedRelation, SuggestedSpan, Suggestion

TEXT = '"The troops are engineers," Colonel Ana Reyes said, "and they will leave."'


def label(annotations: AnnotationSet, snippet: str, name: str) -> Span:
    start = TEXT.index(snippet)
    span = make_span(TEXT, start, start + len(snippet), name, annotations.schema)
    return annotations.add_span(span)


def test_quick_attribution_suggests_the_links_it_finds(news_toml: str) -> None:
    annotations = AnnotationSet(parse_schema(news_toml, "news.toml"), "ana")
    source = label(annotations, "Colonel Ana Reyes", "SOURCE")
    content = label(annotations, "The troops are engineers", "CONTENT")
    cue = label(annotations, "said", "CUE")
    recommender: Recommender = QuickAttributionRecommender()
    suggestions = recommender.suggest(TEXT, annotations, cue)
    assert suggestions == [
        Suggestion(SuggestedRelation("source", cue.id, source.id), 1.0, "quick attribution"),  # type: ignore[arg-type]
        Suggestion(SuggestedRelation("content", cue.id, content.id), 1.0, "quick attribution"),  # type: ignore[arg-type]
    ]
    # The same links as before it was a recommender, in the same order.
    proposed = [(s.proposal.type, s.proposal.head, s.proposal.tail) for s in suggestions]  # type: ignore[union-attr]
    assert proposed == links_after(annotations, TEXT, cue)
    assert recommender.suggest(TEXT, annotations) == []  # it answers for a new span only


def test_a_suggestion_has_a_score_between_nothing_and_certain() -> None:
    span = SuggestedSpan(0, 5, "PERSON")
    assert Suggestion(span, 0.25, "dictionary").score == 0.25
    with pytest.raises(ValueError, match="score"):
        Suggestion(span, 1.5, "dictionary")
