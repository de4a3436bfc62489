"""Recommender: what proposes spans and relations for an annotation set, and the first one.

A recommender reads the document's text and the annotation set (with its schema) and returns
Suggestions, each carrying a score and the recommender's name. Given the span just labelled,
it may answer for that span alone (as quick attribution does); without one, for the set.
Rules, dictionaries, spaCy pipelines and models trained in the loop all take this shape.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from labeler.assist.quick_attribution import relinks_after
from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.suggestion import SuggestedRelation, Suggestion


class Recommender(ABC):
    """Proposes spans or relations; `name` says whose a suggestion is."""

    name: str

    @abstractmethod
    def suggest(
        self, text: str, annotations: AnnotationSet, new_span: Span | None = None
    ) -> list[Suggestion]:
        """Suggestions for `annotations` on `text`, best first; with `new_span` (a span just
        added to the set), those that span brings."""

    def learn(self, text: str, span: Span) -> None:  # noqa: B027 - most recommenders learn nothing
        """Takes in a span an annotator just labelled on `text`, so that what it proposes
        from now on (on this document and the next) follows it. Called off the GUI thread."""


class QuickAttributionRecommender(Recommender):
    """The links a newly labelled source, cue, content or claim brings (see quick_attribution).

    A rule: each link it finds is certain enough to make at once, so each scores 1.
    """

    name = "quick attribution"

    def suggest(
        self, text: str, annotations: AnnotationSet, new_span: Span | None = None
    ) -> list[Suggestion]:
        if new_span is None:
            return []
        return [
            Suggestion(SuggestedRelation(type_, head, tail, replaces), 1.0, self.name)
            for (type_, head, tail), replaces in relinks_after(annotations, text, new_span)
        ]
