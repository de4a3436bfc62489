"""The lean import's connection runs some statements on a helper thread (Driver.soon): in the
order given, before any other statement and the commit, and a failure among them is raised in
the caller and stores nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from labeler.storage.quick_write import open_for_import


@pytest.fixture
def database(migrated_sqlite: Path, tmp_path: Path) -> Path:
    path = tmp_path / "lean.db"
    shutil.copyfile(migrated_sqlite, path)
    return path


def _annotators(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM annotator ORDER BY id")]


def test_statements_aside_run_in_order_before_the_next_statement_and_the_commit(
    database: Path,
) -> None:
    lean = open_for_import(str(database))
    assert lean is not None
    try:
        for name in ("ann", "bo", "cy"):
            lean.driver.soon("INSERT INTO annotator (name) VALUES (?)", (name,))
        assert lean.driver.rows("SELECT name FROM annotator ORDER BY id") == [
            ("ann",),
            ("bo",),
            ("cy",),
        ]
        lean.driver.soon("INSERT INTO annotator (name) VALUES (?)", ("dee",))
        lean.commit()
    finally:
        lean.close()
    assert _annotators(database) == ["ann", "bo", "cy", "dee"]


def test_a_failed_statement_aside_is_raised_by_the_next_statement_and_nothing_is_stored(
    database: Path,
) -> None:
    lean = open_for_import(str(database))
    assert lean is not None
    try:
        lean.driver.soon("INSERT INTO annotator (name) VALUES (?)", ("ann",))
        lean.driver.soon("INSERT INTO annotator (name) VALUES (?)", ("ann",))  # unique names
        lean.driver.soon("INSERT INTO annotator (name) VALUES (?)", ("bo",))  # not run
        with pytest.raises(sqlite3.IntegrityError):
            lean.driver.rows("SELECT 1")
        assert lean.driver.rows("SELECT name FROM annotator") == [("ann",)]
        lean.driver.soon("INSERT INTO nowhere VALUES (1)")
        with pytest.raises(sqlite3.OperationalError, match="nowhere"):
            lean.commit()
    finally:
        lean.close()
    assert _annotators(database) == []
