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
