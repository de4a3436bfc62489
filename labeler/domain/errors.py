"""Errors the domain raises, each carrying what a person needs to fix the input."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MESSAGE_LIMIT = 1000
"""The most characters of an error message: the input it quotes cannot make it longer."""


def bounded(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """The message, cut to `limit` characters if a quoted piece of input made it longer."""
    if len(message) <= limit:
        return message
    return f"{message[:limit]}\u2026 (message cut: {len(message) - limit:,} more characters)"


class LabelerError(Exception):
    """Base of every error the app reports to a person as one clear line."""

    def __init__(self, *args: object) -> None:
        if args and isinstance(args[0], str):
            args = (bounded(args[0]), *args[1:])
        super().__init__(*args)


class RuleError(LabelerError):
    """An annotation breaks a rule of the domain or of the label schema."""


class NotFoundError(LabelerError):
    """A named project, document or annotator does not exist."""


class ConflictError(LabelerError):
    """Someone else changed the same row since it was read."""


class StorageError(LabelerError):
    """The database could not do what was asked: busy, locked, unreachable, full."""


class NotAllowedError(LabelerError):
    """The account (a team database's role) may not do this; the database refused it."""


@dataclass(frozen=True)
class Location:
    """Where in an input a problem is: a file and, when known, a 1-based line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


class InputError(LabelerError):
    """Bad input: names the file, the line and the reason."""

    def __init__(self, location: Location, reason: str) -> None:
        self.location = location
        self.reason = bounded(reason)
        super().__init__(f"{location}: {self.reason}")


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """'; did you mean 'X'?' for the closest known name, or '' when none is close."""
    import difflib  # here: only a mistyped name needs it, and it loads slowly

    hint = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {hint[0]!r}?" if hint else ""
