"""`labeler formats` and `labeler project list` answered before Typer loads: the same output as
the full command line, and the full command line whenever the quick answer cannot be given."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.app import open_services, open_window, quick_projects
from labeler.cli import build_cli
from labeler.cli.quick import quick_answer
from tests.support import run_cli


def full_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command line without the quick answers."""
    code = build_cli(open_services, open_window)(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "q.db")
    for name in ("Zeta", "Alpha"):
        assert run_cli(capsys, "project", "create", name, "--db", path)[0] == 0
    notes = tmp_path / "a.txt"
    notes.write_text("2026-01-02 Budget\nThe council met.\n", encoding="utf-8")
    assert run_cli(capsys, "import", str(notes), "-p", "Alpha", "--db", path)[0] == 0
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["project", "list"],
        ["project", "list", "--json"],
        ["--db", "{db}", "project", "list"],
        ["project", "list", "--db={db}", "--json"],
    ],
)
def test_project_list_says_what_the_full_command_says(
    db: str, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    args = [a.format(db=db) for a in args]
    if not any(a.startswith("--db") for a in args):
        args += ["--db", db]
    assert quick_answer(args, quick_projects) == 0
    quick = capsys.readouterr()
    assert full_cli(capsys, *args) == (0, quick.out, quick.err)
    assert "Alpha" in quick.out
    assert "1 document" in quick.out or '"documents": 1' in quick.out


def test_formats_says_what_the_full_command_says(capsys: pytest.CaptureFixture[str]) -> None:
    assert quick_answer(["formats"], None) == 0
    quick = capsys.readouterr()
    assert full_cli(capsys, "formats") == (0, quick.out, quick.err)
    assert quick.out.startswith("brat ")


@pytest.mark.parametrize(
    "args",
    [
        ["project", "list", "--verbose"],  # not a plain form: Typer says what is wrong
        ["project", "list", "--db"],
        ["project", "list", "--db", "a.db", "--db", "b.db"],
        ["formats", "--help"],
        ["documents", "-p", "Alpha"],
    ],
)
def test_other_command_lines_go_to_the_full_command_line(args: list[str]) -> None:
    assert quick_answer(args, quick_projects) is None


def test_a_database_that_is_not_there_goes_to_the_full_command_line(tmp_path: Path) -> None:
    missing = tmp_path / "new.db"
    assert quick_answer(["project", "list", "--db", str(missing)], quick_projects) is None
    assert not missing.exists()  # and the quick reader made no file


def test_a_server_url_goes_to_the_full_command_line() -> None:
    url = "postgresql+psycopg://someone@127.0.0.1:1/none"
    assert quick_answer(["project", "list", "--db", url], quick_projects) is None
