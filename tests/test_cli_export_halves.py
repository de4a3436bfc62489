"""A command-line export of JSON lines written in two processes (export_halves): the same file
and the same words as the full command line, also when the forked process fails."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from labeler.services import export_halves, export_run
from labeler.services.workers import forked_workers_allowed
from tests.test_cli_quick_export import db, files_under, full_cli, quick, rich_db

__all__ = ["db", "rich_db"]  # the fixtures, used here

CASES = [
    [],
    ["--status", "done,in_progress", "--suggestions"],
    ["--annotator", "ana", "--layers", "entity,claim", "--labels", "PERSON,CLAIM"],
    ["--curated"],
    ["--merge", "--status", "any"],
    ["--split", "50/25/25", "--seed", "3", "--status", "any"],
]


@pytest.fixture
def halves(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Halves allowed for the few documents of the test database (though threads an earlier
    test left may run: the second process only reads and writes its file); the middles written
    at."""
    monkeypatch.setattr(export_run, "halves_allowed", lambda documents: documents >= 2)
    middles: list[int] = []
    real = export_run.write_halves

    def spied(*args: Any) -> Any:
        middles.append(args[3])
        return real(*args)

    monkeypatch.setattr(export_run, "write_halves", spied)
    return middles


@pytest.mark.parametrize("options", CASES, ids=[" ".join(c) or "plain" for c in CASES])
def test_the_halves_make_the_file_one_process_makes(
    db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    halves: list[int],
    options: list[str],
) -> None:
    out = tmp_path / "out.jsonl"
    args = ["export", "-p", "News", "-f", "jsonl", "-o", str(out), "--db", db, *options]
    said = quick(capsys, args)
    assert said[0] == 0, said
    splits = 3 if "--split" in options else 1
    assert len(halves) == splits, "the export was not written in two processes"
    written = files_under(out)
    shutil.move(out, tmp_path / "quick")
    assert full_cli(capsys, args) == said
    assert files_under(out) == written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db", "out.jsonl", "quick"]


def test_when_the_forked_process_fails_this_one_writes_its_half(
    db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    halves: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(*args: object) -> None:
        os._exit(1)

    monkeypatch.setattr(export_halves, "_second_half", failing)
    out = tmp_path / "out.jsonl"
    args = ["export", "-p", "News", "-f", "jsonl", "-o", str(out), "--db", db]
    said = quick(capsys, args)
    assert said[0] == 0 and halves, said
    written = files_under(out)
    shutil.move(out, tmp_path / "quick")
    assert full_cli(capsys, args) == said
    assert files_under(out) == written


@pytest.mark.parametrize("kernel", [True, False], ids=["copy_file_range", "read and write"])
def test_the_second_half_is_appended_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: bool
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.write_bytes(b"first\n" * 1000)
    second.write_bytes("zweite Hälfte\n".encode() * 100_000)
    if not kernel:

        def refused(*args: object) -> int:
            raise OSError("not here")

        monkeypatch.setattr(os, "copy_file_range", refused)
    export_halves._append(first, second)
    assert first.read_bytes() == b"first\n" * 1000 + "zweite Hälfte\n".encode() * 100_000


def test_halves_only_where_forking_is_allowed_and_for_many_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export_halves.parallel, "threads", lambda: 1)
    monkeypatch.setattr(export_halves.parallel, "processes", lambda: 2)
    with forked_workers_allowed():
        assert export_halves.halves_allowed(export_halves.AT_LEAST)
        assert not export_halves.halves_allowed(export_halves.AT_LEAST - 1)
        monkeypatch.setattr(export_halves.parallel, "processes", lambda: 1)
        assert not export_halves.halves_allowed(10 * export_halves.AT_LEAST)
    monkeypatch.setattr(export_halves.parallel, "processes", lambda: 2)
    assert not export_halves.halves_allowed(10 * export_halves.AT_LEAST)  # not forking here
