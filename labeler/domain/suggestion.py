"""Suggestion: a span or relation a recommender proposes, with how sure it is and whose it is."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SuggestedSpan:
    """A label proposed for [start, end) of the text, in code-point offsets."""

    start: int
    end: int
    label: str
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SuggestedRelation:
    """A relation proposed between two spans of the set, by their ids."""

    type: str
    head: int
    tail: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What a recommender proposes: a span or a relation, a score in [0, 1], and its name.

    The annotator accepts or rejects a suggestion; until then it is no part of the set.
    """

    proposal: SuggestedSpan | SuggestedRelation
    score: float
    recommender: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"a suggestion's score lies in [0, 1], not {self.score}")
