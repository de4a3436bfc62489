"""The newest schema revision this labeler knows, read from the migration files without Alembic
or SQLAlchemy (opening an up-to-date database must not pay for their start-up)."""

from __future__ import annotations

import re
from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^revision = \"([^\"]+)\"", re.MULTILINE)


def newest_revision() -> str:
    """The newest migration's revision: the `revision = "..."` line of the migration file
    NNNN_what.py with the highest NNNN (a test holds it to Alembic's head)."""
    newest = max((MIGRATIONS / "versions").glob("[0-9]*_*.py"), key=lambda p: p.name)
    found = _REVISION.search(newest.read_text(encoding="utf-8"))
    return found.group(1) if found else newest.name.split("_", 1)[0]
