"""Short, one-line pieces of a text for messages, lists and headers."""

from __future__ import annotations

import json

EXCERPT = 60
"""How many characters of a value from the input an error message quotes at most."""


def shorten(text: str, limit: int = 60) -> str:
    """The text on one line (runs of white space as one space), cut to `limit` with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026"


def quoted(text: str, limit: int = 40) -> str:
    """The shortened text in curly quotes, as messages quote the words of a span."""
    return f"\u201c{shorten(text, limit)}\u201d"


def clip(text: str, limit: int = EXCERPT) -> str:
    """The text cut to `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\u2026 ({len(text) - limit:,} more characters)"


def shown(value: object, limit: int = EXCERPT) -> str:
    """A value from the input as a message quotes it: repr(), at most `limit` characters.

    A file can hold a string of a hundred megabytes; its error message must stay one short line.
    """
    if isinstance(value, str) and len(value) > limit:  # no repr of all of a huge string
        return f"{value[:limit]!r}\u2026 ({len(value) - limit:,} more characters)"
    return clip(repr(value), limit)


def shown_json(value: object, limit: int = EXCERPT) -> str:
    """A JSON value from the input as JSON text, at most `limit` characters."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return clip(text, limit)
