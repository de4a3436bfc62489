"""Searching the corpus: what a query asks for, and where in a text it is found.

A query is words, all of which a document must hold (in any order), or a phrase in double
quotes, whose words must follow each other. Words are runs of letters and digits, compared
without regard to case, as the databases' full-text indexes split and fold them; anything
between the words of a phrase (spaces, punctuation, a line break) does not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from labeler.domain.errors import RuleError
from labeler.domain.snippets import shorten

_WORD = re.compile(r"[^\W_]+")
_GAP = r"[\W_]+"
MAX_WORDS = 32


@dataclass(frozen=True)
class SearchQuery:
    words: tuple[str, ...]
    phrase: bool = False

    @classmethod
    def parse(cls, query: str) -> SearchQuery:
        """The words of `query`; a phrase when it is wrapped in double quotes."""
        stripped = query.strip()
        phrase = len(stripped) >= 2 and stripped[0] == stripped[-1] == '"'
        words = tuple(w.casefold() for w in _WORD.findall(stripped))
        if not words:
            raise RuleError("a search needs at least one word (letters or digits)")
        if len(words) > MAX_WORDS:
            raise RuleError(f"a search takes at most {MAX_WORDS} words, not {len(words)}")
        return cls(words, phrase and len(words) > 1)

    def describe(self) -> str:
        joined = " ".join(self.words)
        return f"\u201c{joined}\u201d" if self.phrase else joined

    def pattern(self) -> re.Pattern[str]:
        """Matches each place of the phrase, or of any of the words, as whole words."""
        if self.phrase:
            body = _GAP.join(re.escape(w) for w in self.words)
        else:
            body = "|".join(re.escape(w) for w in sorted(set(self.words), key=len, reverse=True))
        return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])", re.IGNORECASE)


def find_places(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    """The [start, end) code-point ranges of the query's phrase or words in `text`, in order."""
    return [m.span() for m in query.pattern().finditer(text)]


def context(text: str, start: int, end: int, width: int = 40) -> tuple[str, str, str]:
    """The words before a place, the place, and the words after, each on one line."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    if start - width > 0:
        before = "\u2026" + before.split(" ", 1)[-1] if " " in before else "\u2026" + before
    if end + width < len(text):
        after = after.rsplit(" ", 1)[0] + "\u2026" if " " in after else after + "\u2026"
    return (
        " ".join(before.split()) + (" " if before[-1:].isspace() else ""),
        shorten(text[start:end], 80),
        (" " if after[:1].isspace() else "") + " ".join(after.split()),
    )


@dataclass(frozen=True)
class SearchHit:
    """A document that holds the query: its title, the places in its text, and the words
    around the first few places (before, the place, after)."""

    document_id: int
    title: str
    places: tuple[tuple[int, int], ...]
    contexts: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class SearchResult:
    query: SearchQuery
    hits: tuple[SearchHit, ...]
    more: bool  # more documents match than `hits` holds
