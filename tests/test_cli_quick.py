"""`labeler formats` and `labeler project list` answered before Typer loads: the same output as
the full command line, and the full command line whenever the quick answer cannot be given."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from labeler.app import open_services, open_window, quick_import, quick_projects
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


def _copies(db: str, tmp_path: Path) -> tuple[str, str]:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    shutil.copyfile(db, first)
    shutil.copyfile(db, second)
    return str(first), str(second)


@pytest.mark.parametrize(
    "args",
    [
        ["import", "{news}", "{notes}", "-p", "Alpha", "--db", "{db}"],
        ["--db", "{db}", "import", "--project=Zeta", "{news}"],
        ["import", "{bad}", "-p", "Alpha", "--db={db}"],
        ["import", "{news}", "-p", "Nope", "--db", "{db}"],  # the full line names the projects
    ],
)
def test_a_plain_import_says_and_stores_what_the_full_command_does(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    news = tmp_path / "news.jsonl"
    news.write_text('{"text": "The port reopened."}\n{"text": "The port reopened."}\n', "utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Fine."}\n{"text": 3}\n', "utf-8")
    lean_db, full_db = _copies(db, tmp_path)
    words = {"news": str(news), "notes": str(tmp_path / "a.txt"), "bad": str(bad)}
    lean_code = quick_answer([a.format(db=lean_db, **words) for a in args], None, quick_import)
    lean = capsys.readouterr()
    full = full_cli(capsys, *[a.format(db=full_db, **words) for a in args])
    if "Nope" in args:
        assert lean_code is None  # left to the full command line, which says what is wrong
        assert full[0] == 1 and "no project named 'Nope'" in full[2]
        return
    assert (lean_code, lean.out, lean.err) == full
    assert full_cli(capsys, "documents", "-p", "Alpha", "--db", lean_db) == full_cli(
        capsys, "documents", "-p", "Alpha", "--db", full_db
    )


@pytest.mark.parametrize(
    "args",
    [
        ["import", "a.json", "-p", "Alpha", "--skip-bad"],
        ["import", "a.json", "-p", "Alpha", "-p", "Zeta"],
        ["import", "-p", "Alpha"],
        ["import", "a.json"],
        ["import", "a.json", "-p", "Alpha", "--format", "jsonl"],
    ],
)
def test_an_import_with_options_goes_to_the_full_command_line(args: list[str]) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the lean import was asked")

    assert quick_answer(args, None, refuse) is None


def test_an_unexpected_failure_of_the_lean_import_leaves_it_to_the_full_command_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def failing(*_args: object) -> None:
        raise TypeError("a bug")

    assert quick_answer(["import", "a.json", "-p", "Alpha"], None, failing) is None
    assert "the lean import failed" in caplog.text
