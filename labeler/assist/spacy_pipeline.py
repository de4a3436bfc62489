"""Any installed spaCy pipeline as a recommender, by package name or folder, with a label map.

Nothing is downloaded: the pipeline must be installed (a package) or saved (a folder). Its
entities (doc.ents) and span groups (doc.spans) are proposed under the schema's labels that
the mapping gives; labels it does not map are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from labeler.assist.fitting import fitting, read_pairs
from labeler.assist.recommender import Recommender
from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.errors import InputError, Location
from labeler.domain.suggestion import SuggestedSpan, Suggestion

_ENTITY_SCORE = 0.5  # spaCy's entity recognizer gives no score: a middling one


def read_label_mapping(path: Path) -> dict[str, str]:
    """A label mapping file: one `pipeline label<TAB>schema label` a line."""
    try:
        pairs = read_pairs(path.read_text(encoding="utf-8").splitlines(), str(path))
    except OSError as error:
        raise InputError(Location(str(path)), f"cannot read the mapping: {error}") from None
    return {theirs: ours for theirs, ours, _ in pairs}


class SpacyPipelineRecommender(Recommender):
    """Proposes the entities and spans of an installed spaCy pipeline.

    `mapping` takes the pipeline's labels to the schema's; without one, the labels the two
    share are taken as they are (PERSON to PERSON, GPE to GPE ...).
    """

    def __init__(
        self,
        pipeline: str | Path,
        mapping: Mapping[str, str] | None = None,
        name: str | None = None,
    ) -> None:
        self.pipeline = str(pipeline)
        self.mapping = dict(mapping) if mapping is not None else None
        self.name = name or f"spacy {Path(self.pipeline).name}"
        self._nlp: Any = None

    def load(self) -> None:
        """Loads the pipeline (a second or more): the first suggest does it if not done."""
        if self._nlp is not None:
            return
        import spacy

        try:
            self._nlp = spacy.load(self.pipeline)
        except OSError as error:
            raise InputError(
                Location(self.pipeline),
                f"no installed spaCy pipeline by that name or folder ({error})",
            ) from None

    def _label(self, theirs: str, annotations: AnnotationSet) -> str | None:
        if self.mapping is None:
            return theirs if annotations.schema.has_label(theirs) else None
        return self.mapping.get(theirs)

    def entity_scores(self, text: str) -> dict[tuple[int, int, str], float]:
        """A score for each entity (start, end, pipeline label) of the text, where the
        pipeline can tell one; others score a middling 0.5."""
        return {}

    def suggest(
        self, text: str, annotations: AnnotationSet, new_span: Span | None = None
    ) -> list[Suggestion]:
        if new_span is not None:
            return []
        self.load()
        doc = self._nlp(text)
        scored = self.entity_scores(text)
        found = []
        for ent in doc.ents:
            label = self._label(ent.label_, annotations)
            if label is not None:
                proposed = SuggestedSpan(ent.start_char, ent.end_char, label)
                score = scored.get((ent.start_char, ent.end_char, ent.label_), _ENTITY_SCORE)
                found.append(Suggestion(proposed, score, self.name))
        for group in doc.spans.values():
            scores = group.attrs.get("scores")
            for i, piece in enumerate(group):
                label = self._label(piece.label_, annotations)
                if label is None:
                    continue
                score = float(scores[i]) if scores is not None else _ENTITY_SCORE
                proposed = SuggestedSpan(piece.start_char, piece.end_char, label)
                found.append(Suggestion(proposed, min(max(score, 0.0), 1.0), self.name))
        return fitting(annotations, found)
