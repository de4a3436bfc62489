"""`labeler export -f conll` from the command line: its workers are forked as the export starts
and load spaCy themselves, so this process never does; the same bytes as the full command line,
and a worker's failure is one clear error that leaves no file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from labeler.app import main, open_services, open_window, quick_export
from labeler.cli import build_cli
from labeler.cli.quick import quick_answer
from labeler.formats import conll, parallel
from labeler.formats.records import WriteReport
from tests.test_cli_startup import loaded_by

SAMPLE = Path(__file__).parent.parent / "resources" / "sample" / "articles.jsonl"


@pytest.fixture
def db(tmp_path: Path) -> str:
    db = tmp_path / "news.db"
    assert main(["project", "create", "News", "--db", str(db)]) == 0
    assert main(["import", str(SAMPLE), "-p", "News", "--db", str(db)]) == 0
    return str(db)


def _forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a command-line process (the test runner's other threads would prevent forking)."""
    monkeypatch.setattr(parallel, "threads", lambda: 1)
    monkeypatch.setattr(parallel, "EARLY", True)
    monkeypatch.setattr(parallel, "BATCH", 2)
    monkeypatch.setattr(parallel, "PROCESSES", 2)


def test_the_export_loads_no_spacy_here_and_writes_what_the_full_command_writes(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "quick.conll"
    args = ["export", "-p", "News", "-f", "conll", "--status", "any", "--db", db]
    assert loaded_by(*args, "-o", str(out)) == []  # its workers loaded spaCy
    code = build_cli(open_services, open_window)([*args, "-o", str(tmp_path / "full.conll")])
    assert code == 0, capsys.readouterr()
    written = out.read_text(encoding="utf-8")
    assert written == (tmp_path / "full.conll").read_text(encoding="utf-8")
    assert written.count("-DOCSTART-") == 5 and " B-PERSON\n" in written


def _broken_block(document: conll._Document, report: WriteReport, layer: str) -> bytes:
    raise ValueError(f"cannot tokenise {document.text[:9]!r}")


def test_a_worker_failure_is_one_clear_error_and_leaves_no_file(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _forking(monkeypatch)
    monkeypatch.setattr(conll, "_block", _broken_block)  # forked workers inherit it
    out = tmp_path / "out.conll"
    args = ["export", "-p", "News", "-f", "conll", "--status", "any", "-o", str(out), "--db", db]
    code = quick_answer(args, None, quick_export=quick_export)
    said = capsys.readouterr()
    assert code == 1 and said.out == ""
    # The first failure to come back is told (which document's depends on the workers' pace).
    assert re.fullmatch(
        r"error: an export worker failed: ValueError: cannot tokenise '.+'\n", said.err
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news.db"]
