"""A team on one database: accounts, their roles, and who the current connection is."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from labeler.domain.errors import RuleError
from labeler.domain.limits import check_annotator
from labeler.domain.spans import Status

_ACCOUNT_NAME = re.compile(r"[a-z_][a-z0-9_.\-]{0,62}")


class Role(StrEnum):
    LEAD = "lead"
    ANNOTATOR = "annotator"
    OWNER = "owner"  # the database's owner, or anyone on SQLite: bound by no team rule


@dataclass(frozen=True)
class Identity:
    """Who is connected: on a server, the login name (None on SQLite) and its role."""

    name: str | None
    role: Role

    @property
    def is_account(self) -> bool:
        """A team account, whose annotator name is its login name and nothing else."""
        return self.role in (Role.LEAD, Role.ANNOTATOR)

    @property
    def may_lead(self) -> bool:
        """May import, change schemas, assign, curate and export."""
        return self.role != Role.ANNOTATOR


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    projects: tuple[str, ...] = ()


def check_account_name(name: str) -> str:
    """A login name as the database keeps it unquoted: lower case letters, digits, _ . -"""
    name = name.strip()
    if not _ACCOUNT_NAME.fullmatch(name) or name.startswith(("pg_", "labeler_")):
        raise RuleError(
            f"account name {name!r}: use 1-63 lower-case letters, digits, '_', '.' or '-', "
            "starting with a letter or '_' (not pg_ or labeler_)"
        )
    return check_annotator(name)  # an account's name is its annotator name: not `curated`


@dataclass(frozen=True)
class Progress:
    """One annotator's assigned documents and how far they are with them."""

    annotator: str
    assigned: int
    done: int
    in_progress: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return f"{self.done} / {self.assigned} done"


@dataclass(frozen=True)
class DoneOnDay:
    """How many annotation sets of a project were marked done on one day (by their last
    change), and by whom."""

    day: dt.date
    by_annotator: tuple[tuple[str, int], ...]

    @property
    def done(self) -> int:
        return sum(n for _, n in self.by_annotator)


@dataclass(frozen=True)
class LastTouched:
    """What an annotator works on now: the document they have open (`open_now`, since `at`),
    else the one they changed last in the project (at `at`)."""

    annotator: str
    document_id: int
    title: str
    status: Status
    at: dt.datetime
    open_now: bool = False

    def ago(self, now: dt.datetime) -> str:
        """'just now', '5 min ago', '3 h ago', '2 days ago'."""
        seconds = max(0, int((now - self.at).total_seconds()))
        if seconds < 60:
            return "just now"
        if seconds < 3600:
            return f"{seconds // 60} min ago"
        if seconds < 86400:
            return f"{seconds // 3600} h ago"
        days = seconds // 86400
        return f"{days} day{'' if days == 1 else 's'} ago"
