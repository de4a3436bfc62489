"""Merging several annotators' sets on one document into one set, for formats that hold one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from labeler.domain.annotation import AnnotationSet, Relation, Span
from labeler.domain.attribution_links import sid

MERGED = "merged"
"""The annotator name a merged set carries."""


@dataclass
class MergeOutcome:
    merged: AnnotationSet
    conflicts: int  # spans left out: they overlap a kept span in a layer that allows no overlap
    label_conflicts: int = 0  # document labels another annotator gave other values: not kept


def merge_sets(sets: Sequence[AnnotationSet]) -> MergeOutcome:
    """One set holding every annotator's spans and relations, each span once.

    Sets are taken in the order given (the first annotator wins a conflict). A span another
    set already holds (same start, end and label) is not repeated; a span that overlaps a kept
    one where its layer forbids overlap is left out and counted. Relations follow their spans.
    The merged set has the first set's status. A document label takes the values of the first
    set that has it; other values of it are counted.
    """
    if not sets:
        raise ValueError("nothing to merge")
    schema = sets[0].schema
    merged = AnnotationSet(schema, MERGED, sets[0].status)
    kept: dict[tuple[int, int, str], int] = {}  # (start, end, label) -> merged span id
    conflicts = 0
    for s in sets:
        local: dict[int, int] = {}  # the set's span id -> merged span id
        for span in s.sorted_spans():
            key = (span.start, span.end, span.label)
            if key in kept:
                local[sid(span)] = kept[key]
                continue
            candidate = Span(
                span.start, span.end, span.label, span.layer, span.text, span.attributes
            )
            if not schema.layer(span.layer).allow_overlap and merged.overlapping(candidate):
                conflicts += 1
                continue
            added = merged.add_span(candidate)
            kept[key] = local[sid(span)] = sid(added)
        seen = {(r.type, r.head, r.tail) for r in merged.relations.values()}
        for r in s.relations.values():
            head, tail = local.get(r.head), local.get(r.tail)
            if head is None or tail is None or (r.type, head, tail) in seen:
                continue
            merged.add_relation(Relation(r.type, head, tail, dict(r.attributes)))
            seen.add((r.type, head, tail))
    label_conflicts = 0
    for s in sets:
        for name, values in s.document_labels.items():
            have = merged.document_labels.setdefault(name, values)
            label_conflicts += have != values
    return MergeOutcome(merged, conflicts, label_conflicts)
