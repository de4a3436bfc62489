"""The command line starts without loading what a command does not use: no database libraries
for --help and formats, and no spaCy, Qt, datasets or Alembic for a command that only reads
projects of an up-to-date database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "spacy", "PySide6", "datasets", "cassis", "numpy")

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


@pytest.mark.parametrize("args", [["--help"], ["formats"], ["project", "--help"]])
def test_help_and_formats_load_no_heavy_library(args: list[str]) -> None:
    assert loaded_by(*args) == []


def test_listing_projects_loads_the_database_libraries_only(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    # Creating the database runs the migrations; opening it again at the newest needs no Alembic.
    created = loaded_by("project", "create", "News", "--db", db)
    assert created == ["sqlalchemy", "sqlmodel", "alembic"]
    assert loaded_by("project", "list", "--db", db) == ["sqlalchemy", "sqlmodel"]
