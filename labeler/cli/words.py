"""Words of the command line that need no Typer: comma-separated names, one-line messages."""

from __future__ import annotations


def one_line(message: object) -> str:
    """A message on one line: drivers sometimes add hints on lines of their own."""
    return "; ".join(part.strip() for part in str(message).splitlines() if part.strip())


def names(value: str | None) -> tuple[str, ...] | None:
    """A comma-separated option as names; None when not given or empty."""
    if value is None:
        return None
    found = tuple(n.strip() for n in value.split(",") if n.strip())
    return found or None
