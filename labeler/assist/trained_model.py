"""The project's model trained in the loop as a recommender, silent below the lead's F1."""

from __future__ import annotations

from pathlib import Path

from labeler.assist.spacy_pipeline import SpacyPipelineRecommender
from labeler.assist.training import scored_entities
from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.suggestion import Suggestion

TRAINED_MODEL = "trained model"


class TrainedModelRecommender(SpacyPipelineRecommender):
    """A trained version's pipeline folder, proposing its entities scored by the beam's
    probability (see training.scored_entities); nothing at all when its held-out F1 is
    below `min_f1`."""

    def __init__(self, folder: str | Path, version: int, f1: float, min_f1: float) -> None:
        super().__init__(folder, mapping=None, name=TRAINED_MODEL)
        self.version = version
        self.f1 = f1
        self.min_f1 = min_f1

    @property
    def proposes(self) -> bool:
        """Whether it is good enough to propose anything (F1 at or above the threshold)."""
        return self.f1 >= self.min_f1

    def entity_scores(self, text: str) -> dict[tuple[int, int, str], float]:
        self.load()
        return scored_entities(self._nlp, [text])[0]

    def suggest(
        self, text: str, annotations: AnnotationSet, new_span: Span | None = None
    ) -> list[Suggestion]:
        if not self.proposes:
            return []
        return super().suggest(text, annotations, new_span)
