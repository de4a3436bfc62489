"""Document: one article, its immutable text, title, date and metadata."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any


def text_digest(text: str) -> str:
    """A stable fingerprint of a text, used to find duplicates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Document:
    """One article. Its text never changes after import."""

    text: str
    title: str = ""
    date: date | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    digest: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Computed once: imports look it up several times to find duplicates.
        object.__setattr__(self, "digest", text_digest(self.text))


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A row of the document list: enough to show and sort, without the text."""

    id: int
    title: str
    date: date | None
    status: str
    span_counts: dict[str, int]

    @property
    def span_total(self) -> int:
        return sum(self.span_counts.values())
