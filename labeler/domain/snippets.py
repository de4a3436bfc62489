"""Short, one-line pieces of a text for messages, lists and headers."""

from __future__ import annotations


def shorten(text: str, limit: int = 60) -> str:
    """The text on one line (runs of white space as one space), cut to `limit` with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026"


def quoted(text: str, limit: int = 40) -> str:
    """The shortened text in curly quotes, as messages quote the words of a span."""
    return f"\u201c{shorten(text, limit)}\u201d"
