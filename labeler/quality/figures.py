"""What an agreement report is made of: the measures, and one figure with its counts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ALL = "all"
"""The `pair` of a figure pooled over every pair of annotators (or taken over all at once)."""


class StatusFilter(StrEnum):
    """Which annotation sets are compared: those marked done, or any."""

    DONE = "done"
    ANY = "any"


class Measure(StrEnum):
    SPAN_F1_EXACT = "span_f1_exact"
    SPAN_F1_OVERLAP = "span_f1_overlap"
    COHEN_KAPPA = "cohen_kappa"
    FLEISS_KAPPA = "fleiss_kappa"
    KRIPPENDORFF_ALPHA = "krippendorff_alpha"
    RELATION_F1_EXACT = "relation_f1_exact"
    RELATION_F1_OVERLAP = "relation_f1_overlap"
    FRAME_F1 = "frame_f1"
    FRAME_SOURCE_EXACT = "frame_source_exact"
    FRAME_SOURCE_OVERLAP = "frame_source_overlap"
    FRAME_CONTENT_EXACT = "frame_content_exact"
    FRAME_CONTENT_OVERLAP = "frame_content_overlap"
    ATTRIBUTE_KAPPA = "attribute_kappa"


RELATIONS = "relations"
"""The `layer` of relation figures (their `label` is the relation type, "" for every type)."""
FRAMES = "attribution frames"
"""The `layer` of attribution frame figures."""


@dataclass(frozen=True, slots=True)
class Figure:
    """One agreement figure, with what it was computed from.

    `units`: tokens (kappa, alpha), spans or relations or frames of both annotators (F1),
    matched frames (source and content agreement), matched spans (attribute kappa).
    `matches`: matched units where the measure counts matches, else None.
    """

    measure: Measure
    layer: str
    label: str  # "" for the whole layer; a label, relation type or "LABEL.attribute"
    pair: str  # "ana|ben", or ALL
    value: float | None
    units: int
    matches: int | None
    documents: int
    note: str = ""


def pair_name(a: str, b: str) -> str:
    return f"{a}|{b}"
