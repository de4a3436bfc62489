"""String matcher: texts already labelled (or a gazetteer's) proposed wherever they occur again.

Matching runs on spaCy tokens (a blank English pipeline, nothing downloaded) with its
PhraseMatcher, so "Bergen" is found in "Bergen's port" but not inside "Bergenfield".
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from labeler.assist.fitting import fitting, read_pairs
from labeler.assist.recommender import Recommender
from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.errors import InputError, Location
from labeler.domain.suggestion import SuggestedSpan, Suggestion

_SCORE = 0.9  # a text labelled so before is very likely labelled so again


class StringMatcherRecommender(Recommender):
    """Proposes `label` wherever one of its texts occurs, on token boundaries."""

    def __init__(self, entries: Mapping[str, str], name: str = "string matcher") -> None:
        import spacy  # late: loading spaCy takes a second
        from spacy.matcher import PhraseMatcher

        self.name = name
        self.entries = dict(entries)
        self._nlp: Any = spacy.blank("en")
        self._matcher: Any = PhraseMatcher(self._nlp.vocab, attr="ORTH")
        self._lock = threading.Lock()  # learn() may add while another thread matches
        by_label: dict[str, list[str]] = {}
        for text, label in self.entries.items():
            by_label.setdefault(label, []).append(text)
        for label, texts in by_label.items():
            self._matcher.add(label, [self._nlp.make_doc(t) for t in texts])

    @classmethod
    def from_sets(
        cls, sets: Iterable[AnnotationSet], name: str = "string matcher"
    ) -> StringMatcherRecommender:
        """Every text labelled in these sets, with the label it was given most often."""
        counts: dict[str, Counter[str]] = {}
        for found in sets:
            for span in found.spans.values():
                counts.setdefault(span.text, Counter())[span.label] += 1
        return cls({text: c.most_common(1)[0][0] for text, c in counts.items()}, name)

    @classmethod
    def from_gazetteer(cls, path: Path, name: str = "gazetteer") -> StringMatcherRecommender:
        """The entries of a gazetteer file: one `text<TAB>label` a line."""
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            pairs = read_pairs(lines, str(path))
        except OSError as error:
            raise InputError(Location(str(path)), f"cannot read the gazetteer: {error}") from None
        return cls({text: label for text, label, _ in pairs}, name)

    def learn(self, text: str, span: Span) -> None:
        """A text just labelled is proposed from now on wherever it occurs, with the label
        it was given last."""
        del text  # the span carries its own text
        with self._lock:
            if self.entries.get(span.text) == span.label:
                return
            self.entries[span.text] = span.label
            self._matcher.add(span.label, [self._nlp.make_doc(span.text)])

    def suggest(
        self, text: str, annotations: AnnotationSet, new_span: Span | None = None
    ) -> list[Suggestion]:
        with self._lock:
            return self._suggest(text, annotations, new_span)

    def _suggest(
        self, text: str, annotations: AnnotationSet, new_span: Span | None
    ) -> list[Suggestion]:
        doc = self._nlp.make_doc(text)
        if new_span is not None:
            # Just labelled: its text elsewhere in this document, with its label.
            from spacy.matcher import PhraseMatcher

            matcher: Any = PhraseMatcher(self._nlp.vocab, attr="ORTH")
            matcher.add(new_span.label, [self._nlp.make_doc(new_span.text)])
        else:
            matcher = self._matcher
        unique: dict[tuple[int, int, str], Suggestion] = {}
        for match_id, start, end in matcher(doc):
            piece = doc[start:end]
            label = self._nlp.vocab.strings[match_id]
            if new_span is None:
                # A text relabelled since (learn) still matches under its old label too.
                label = self.entries.get(piece.text, label)
            proposed = SuggestedSpan(piece.start_char, piece.end_char, label)
            unique[piece.start_char, piece.end_char, label] = Suggestion(
                proposed, _SCORE, self.name
            )
        found = list(unique.values())
        # Longer matches first, so "Bank of England" wins over "England" where they clash.
        found.sort(key=lambda s: -(s.extent[1] - s.extent[0]) if s.extent else 0)
        return fitting(annotations, _without_clashes(annotations, found))


def _without_clashes(annotations: AnnotationSet, found: list[Suggestion]) -> list[Suggestion]:
    """Drops matches that overlap a longer match of a layer that forbids overlap."""
    schema = annotations.schema
    taken: dict[str, list[tuple[int, int]]] = {}
    kept = []
    for suggestion in found:
        (proposed,) = suggestion.spans
        if not schema.has_label(proposed.label):
            continue
        layer = schema.label(proposed.label).layer
        if not schema.layer(layer).allow_overlap:
            ranges = taken.setdefault(layer, [])
            if any(proposed.start < e and s < proposed.end for s, e in ranges):
                continue
            ranges.append((proposed.start, proposed.end))
        kept.append(suggestion)
    return kept
