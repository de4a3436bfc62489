"""The command line starts without loading what a command does not use: no database libraries
for --help and formats, and no spaCy, Qt, datasets or Alembic for a command that only reads
projects of an up-to-date database."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "spacy",
    "PySide6",
    "datasets",
    "cassis",
    "numpy",
    "rich",
    "pydantic",
    "typer",
)

PROBE = """
import json, sys
from labeler.app import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": [m for m in %r if m in sys.modules]}))
"""


def loaded_by(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,), *args], capture_output=True, text=True, check=True
    )
    probe = json.loads(result.stdout.splitlines()[-1])
    assert probe["code"] == 0, result.stderr
    return probe["loaded"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["formats"], []),  # answered before Typer is loaded
        (["--help"], ["typer"]),  # plain help, without Rich
        # The root's --db option runs through Typer's pydantic coercion before a group's help.
        (["project", "--help"], ["pydantic", "typer"]),
    ],
)
def test_help_and_formats_load_no_heavy_library(args: list[str], expected: list[str]) -> None:
    assert loaded_by(*args) == expected


def test_listing_projects_loads_the_database_libraries_only(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    # Creating the database runs the migrations; opening it again at the newest needs no Alembic.
    created = loaded_by("project", "create", "News", "--db", db)
    assert created[:3] == ["sqlalchemy", "sqlmodel", "alembic"]
    # Listing an up-to-date SQLite database reads it with sqlite3 alone, before Typer loads.
    assert loaded_by("project", "list", "--db", db) == []
    assert loaded_by("project", "list", "--json", f"--db={db}") == []


def test_a_plain_import_into_an_up_to_date_database_loads_no_heavy_library(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "x.db")
    loaded_by("project", "create", "News", "--db", db)
    tasks = tmp_path / "tasks.json"
    region = {"start": 4, "end": 8, "text": "port", "labels": ["FAC"]}
    task = {
        "data": {"text": "The port reopened."},
        "annotations": [
            {
                "result": [
                    {
                        "id": "a",
                        "type": "labels",
                        "from_name": "label",
                        "to_name": "text",
                        "value": region,
                    }
                ]
            }
        ],
    }
    tasks.write_text(json.dumps([task]), encoding="utf-8")
    # Neither SQLAlchemy, SQLModel nor pydantic, nor Typer: sqlite3 and the checks alone.
    assert loaded_by("import", str(tasks), "-p", "News", "--db", db) == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT label, text FROM span").fetchall() == [("FAC", "port")]


def test_listing_a_database_of_another_revision_opens_it_the_usual_way(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    loaded_by("project", "create", "News", "--db", str(db))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    result = subprocess.run(
        [sys.executable, "-m", "labeler", "project", "list", "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "written by a newer version of labeler" in result.stderr
