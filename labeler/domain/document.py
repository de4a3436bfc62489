"""Document: one article, its immutable text, title, date and metadata; list rows and queries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from labeler.domain.annotation import Status
from labeler.domain.limits import cut_title


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
        object.__setattr__(self, "title", cut_title(self.title))
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
    active_seconds: int = 0  # time spent annotating it (summed over annotators when overall)

    @property
    def span_total(self) -> int:
        return sum(self.span_counts.values())


def duration_text(seconds: int) -> str:
    """Seconds as a short duration: "45 s", "12 min", "1 h 05 min"; empty for none."""
    if seconds <= 0:
        return ""
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


SORT_KEYS = ("id", "title", "date", "status", "spans", "time")


@dataclass(frozen=True, slots=True)
class DocumentQuery:
    """Which documents the list shows, and in what order.

    `text` is a case-insensitive substring of the title or the text. The status filter and
    the "status" and "spans" sort keys are `annotator`'s (a document where they have no
    annotation set is todo with no spans), or the overall ones when no annotator is given.
    Ties sort by id, ascending in both directions. `assigned` keeps only the documents assigned
    to `annotator`, and the "id" order is then the order they were assigned in.
    """

    text: str = ""
    status: Status | None = None
    sort: str = "id"  # one of SORT_KEYS
    descending: bool = False
    annotator: str | None = None
    assigned: bool = False

    def __post_init__(self) -> None:
        if self.sort not in SORT_KEYS:
            raise ValueError(f"unknown sort key {self.sort!r}: use one of {', '.join(SORT_KEYS)}")
