"""Which suggestions still fit an annotation set: known labels, not there already, no clash."""

from __future__ import annotations

from collections.abc import Iterable

from labeler.domain.annotation import AnnotationSet
from labeler.domain.errors import InputError, Location
from labeler.domain.suggestion import SuggestedSpan, Suggestion


def span_fits(annotations: AnnotationSet, proposed: SuggestedSpan) -> bool:
    """Whether a proposed span has a label of the schema, is not in the set already, and
    overlaps no span of its layer where the layer forbids overlap."""
    schema = annotations.schema
    if not schema.has_label(proposed.label) or proposed.start >= proposed.end:
        return False
    layer = schema.label(proposed.label).layer
    no_overlap = not schema.layer(layer).allow_overlap
    for span in annotations.spans_in(proposed.start, proposed.end, layer):
        if span.start == proposed.start and span.end == proposed.end:
            if span.label == proposed.label or no_overlap:
                return False
        elif no_overlap:
            return False
    return True


def fitting(annotations: AnnotationSet, suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """The suggestions whose every proposed span fits the set (relations are left as they
    are: their recommenders check them), best first."""
    kept = [s for s in suggestions if all(span_fits(annotations, p) for p in s.spans)]
    return sorted(kept, key=lambda s: (-s.score, s.extent or (0, 0)))


def read_pairs(lines: Iterable[str], where: str) -> list[tuple[str, str, int]]:
    """`left<TAB>right` lines as (left, right, line number); blank lines and lines starting
    with # are skipped. InputError naming the line for any other line without a tab."""
    pairs = []
    for number, line in enumerate(lines, 1):
        stripped = line.rstrip("\r\n")
        if not stripped.strip() or stripped.lstrip().startswith("#"):
            continue
        left, tab, right = stripped.partition("\t")
        if not tab or not left.strip() or not right.strip():
            reason = f"expected 'text<TAB>label', got {stripped!r}"
            raise InputError(Location(where, number), reason)
        pairs.append((left.strip(), right.strip(), number))
    return pairs
