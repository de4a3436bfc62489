"""Running a recommender so that one that raises or hangs is reported, never waited for."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from labeler.assist.recommender import Recommender
from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.suggestion import Suggestion


@dataclass(frozen=True)
class Outcome:
    """What a recommender gave: its suggestions, or the problem that stopped it."""

    recommender: str
    suggestions: list[Suggestion] = field(default_factory=list)
    problem: str | None = None


def snapshot(annotations: AnnotationSet) -> AnnotationSet:
    """A copy of the set to hand a recommender on another thread while the annotator edits."""
    copy = AnnotationSet(annotations.schema, annotations.annotator, annotations.status)
    copy.add_all(list(annotations.spans.values()), list(annotations.relations.values()))
    return copy


def run_safely(
    recommender: Recommender,
    text: str,
    annotations: AnnotationSet,
    timeout: float,
    new_span: Span | None = None,
) -> Outcome:
    """The recommender's suggestions, or a problem if it raised or gave no answer within
    `timeout` seconds. A hung recommender is left running on a daemon thread (Python cannot
    stop a thread) and its late answer dropped."""
    result: list[list[Suggestion]] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(recommender.suggest(text, annotations, new_span))
        except Exception as error:  # any failure of a recommender is reported, not raised
            failure.append(error)

    worker = threading.Thread(target=work, name=f"recommender {recommender.name}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        return Outcome(recommender.name, problem=f"gave no answer within {timeout:g} s")
    if failure:
        error = failure[0]
        return Outcome(recommender.name, problem=f"failed: {type(error).__name__}: {error}")
    return Outcome(recommender.name, result[0] if result else [])
