"""Opening a database already at the newest revision skips Alembic; anything else migrates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from labeler.storage.database import Database
from labeler.storage.migrate import head_revision, newest_revision


def test_the_file_names_give_alembics_head() -> None:
    assert newest_revision() == head_revision()


def test_an_up_to_date_database_opens_without_alembic(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    first = Database(str(path))
    assert first.open().created
    first.close()
    probe = (
        "import sys\n"
        "from labeler.storage.database import Database\n"
        f"db = Database({str(path)!r})\n"
        "outcome = db.open()\n"
        "db.close()\n"
        "print(outcome.created, outcome.from_revision, outcome.to_revision)\n"
        "print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    head = head_revision()
    assert result.stdout.split() == ["False", head, head, "False"]
