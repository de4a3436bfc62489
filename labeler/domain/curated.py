"""What marks an annotation set as curated (gold): its curator, and who had each item."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CuratedMark:
    """A curated set's curator, and the annotators who had each of its spans and relations
    (by the set's span and relation ids; an item no annotator had is left out)."""

    curator: str
    spans: dict[int, list[str]] = field(default_factory=dict)
    relations: dict[int, list[str]] = field(default_factory=dict)
