"""Recommenders that misbehave, for the tests that show one never blocks or breaks the rest."""

from __future__ import annotations

import threading

from labeler.assist.recommender import Recommender
from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.suggestion import Suggestion


class Raising(Recommender):
    """Raises `message` whenever asked."""

    name = "raising"

    def __init__(self, message: str = "model file is corrupt") -> None:
        self.message = message

    def suggest(
        self, text: str, annotations: AnnotationSet, new_span: Span | None = None
    ) -> list[Suggestion]:
        raise RuntimeError(self.message)


class Hanging(Recommender):
    """Answers `answer` only once `release` is set (or after 30 s)."""

    name = "hanging"

    def __init__(self, answer: list[Suggestion] | None = None) -> None:
        self.release = threading.Event()
        self.answer = answer or []

    def suggest(
        self, text: str, annotations: AnnotationSet, new_span: Span | None = None
    ) -> list[Suggestion]:
        self.release.wait(30)
        return self.answer
