"""Token boundaries from a blank spaCy pipeline, and snapping spans to them."""

from __future__ import annotations

import bisect
from functools import cache
from typing import Any


@cache
def _tokenizer(lang: str) -> Any:
    import spacy  # imported late: loading spaCy takes a second and most commands never need it

    return spacy.blank(lang).tokenizer


def token_bounds(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """The [start, end) code-point range of every word token in text, by spaCy's rules for lang.

    spaCy keeps runs of extra white space as tokens of their own; they are left out here.
    """
    return [(t.idx, t.idx + len(t.text)) for t in _tokenizer(lang)(text) if not t.is_space]


def token_offsets(text: str, lang: str = "en") -> tuple[list[int], list[int]]:
    """The tokens of token_bounds as two lists, their starts and their ends, made without a
    Python object per token: for work over whole projects (agreement)."""
    found = _tokenizer(lang)(text).to_array(["IDX", "LENGTH", "IS_SPACE"])
    words = found[found[:, 2] == 0]
    starts = words[:, 0].tolist()
    return starts, (words[:, 0] + words[:, 1]).tolist()


def snap_to_tokens(start: int, end: int, bounds: list[tuple[int, int]]) -> tuple[int, int]:
    """Grows [start, end) to whole tokens; a range touching no token is returned unchanged.

    Leading and trailing white space is dropped first, so a sloppy mouse selection
    ends on the word, not after the space following it.
    """
    if not bounds or start >= end:
        return start, end
    starts = [b[0] for b in bounds]
    first = bisect.bisect_right(starts, start) - 1  # the token that begins at or before start
    if first < 0 or bounds[first][1] <= start:
        first += 1  # start lies in white space: begin at the next token
    last = bisect.bisect_left(starts, end) - 1  # the last token that begins before end
    if first > last or first >= len(bounds):
        return start, end
    return bounds[first][0], bounds[last][1]


def token_bounds_near(
    text: str, start: int, end: int, margin: int = 200, lang: str = "en"
) -> list[tuple[int, int]]:
    """The tokens of the stretch of text around [start, end), with `margin` characters each side.

    The stretch is cut at white space, and spaCy never joins characters across white space, so
    these are the tokens the whole text would have there, for the cost of a short string.
    """
    a = max(0, start - margin)
    while a > 0 and not text[a - 1].isspace():
        a -= 1
    b = min(len(text), end + margin)
    while b < len(text) and not text[b].isspace():
        b += 1
    return [(s + a, e + a) for s, e in token_bounds(text[a:b], lang)]


# Quotes (straight, curly, guillemets), brackets, stops, dashes (hyphen, en, em), ellipsis.
_EDGE_PUNCTUATION = frozenset(
    "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e()[]{}<>,.;:!?-\u2013\u2014\u2026/"
)


def is_edge_punctuation(token: str) -> bool:
    """A token of brackets, quotes or stops only: not part of a name or a claim at its edges.

    Currency signs, %, # and the like are not in it: "$60" and "9%" keep them.
    """
    return bool(token) and all(ch in _EDGE_PUNCTUATION for ch in token)


def word_bounds(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The tokens of `bounds` that are words, numbers or signs, without edge punctuation."""
    return [(s, e) for s, e in bounds if not is_edge_punctuation(text[s:e])]
