"""The lean import (labeler import on an up-to-date SQLite file, without SQLAlchemy) stores what
the usual import stores, refuses what it refuses, and leaves the rest to the usual path."""

from __future__ import annotations

import functools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from labeler.domain.errors import InputError, Location, StorageError
from labeler.services import import_reader
from labeler.services.exporting import ExportService
from labeler.services.import_run import ImportProgress
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.services.quick_import import quick_import
from labeler.storage import bulk_rows, quick_write
from labeler.storage.database import Database

TEXT = "🙂 Ada Lovelace said\r\nthe port of Bergen lost $15 million, officials warned."


def _region(rid: str, start: int, end: int, label: str) -> dict[str, Any]:
    value = {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "value": value}


def _rich_tasks() -> list[dict[str, Any]]:
    """Tasks with what a Label Studio file can carry: meta, title, date, emoji, CRLF, two
    annotators, a cancelled annotation, a draft, per-region choices, relations, document
    labels, and a second task of the same text by another annotator."""
    said = TEXT.index("said")
    ada = TEXT.index("Ada Lovelace")
    bergen = TEXT.index("Bergen")
    money = TEXT.index("$15 million")
    claim_end = TEXT.index(", officials")
    content = TEXT.index("the port")
    first = [
        _region("s", ada, ada + len("Ada Lovelace"), "SOURCE"),
        _region("c", said, said + 4, "CUE"),
        _region("t", content, claim_end, "CONTENT"),
        _region("g", bergen, bergen + 6, "GPE"),
        _region("m", money, money + len("$15 million"), "MONEY"),
        {
            "id": "c",
            "from_name": "type",
            "to_name": "text",
            "type": "choices",
            "value": {"start": said, "end": said + 4, "choices": ["assertion"]},
        },
        {
            "type": "relation",
            "from_id": "c",
            "to_id": "s",
            "direction": "right",
            "labels": ["source"],
        },
        {
            "type": "relation",
            "from_id": "t",
            "to_id": "c",
            "direction": "left",
            "labels": ["content"],
        },
        {
            "from_name": "topic",
            "to_name": "text",
            "type": "choices",
            "value": {"choices": ["economy"]},
        },
    ]
    return [
        {
            "id": 1,
            "data": {"text": TEXT, "title": " Port news ", "date": "2026-03-14", "desk": "wire"},
            "meta": {"labeler": {"annotators": ["ann"], "statuses": ["in_progress"]}},
            "annotations": [
                {"id": 1, "completed_by": {"email": "ann@example.org"}, "result": first},
                {"id": 2, "completed_by": 7, "was_cancelled": True, "result": []},
            ],
            "drafts": [
                {"user": "bo@example.org", "result": [_region("d", ada, ada + 3, "PERSON")]}
            ],
        },
        {"data": {"text": "A second article, with no annotations at all.", "meta": {"n": 2}}},
        {
            "data": {"text": TEXT},
            "annotations": [
                {"completed_by": 9, "result": [_region("x", bergen, bergen + 6, "GPE")]}
            ],
        },
    ]


def _stored(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row an import writes, without the times it was written at."""
    with sqlite3.connect(path) as conn:
        return {
            "document": conn.execute(
                "SELECT id, project_id, title, date, text, digest, meta FROM document ORDER BY id"
            ).fetchall(),
            "annotator": conn.execute("SELECT * FROM annotator ORDER BY id").fetchall(),
            "annotation_set": conn.execute(
                "SELECT id, document_id, annotator_id, status, version, curated, curator, note, "
                "active_seconds, document_labels FROM annotation_set ORDER BY id"
            ).fetchall(),
            "span": conn.execute("SELECT * FROM span ORDER BY id").fetchall(),
            "relation": conn.execute("SELECT * FROM relation ORDER BY id").fetchall(),
            "id_floor": conn.execute("SELECT * FROM id_floor ORDER BY name").fetchall(),
            "schema": conn.execute(
                "SELECT type, name, sql FROM sqlite_master ORDER BY name"
            ).fetchall(),
        }


def _found(path: Path, words: list[str]) -> list[list[int]]:
    """The documents the search index finds for each word, after SQLite checks the index."""
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO document_fts (document_fts) VALUES ('integrity-check')")
        return [
            [
                r[0]
                for r in conn.execute(
                    "SELECT rowid FROM document_fts WHERE document_fts MATCH ? ORDER BY rowid",
                    (f'"{word}"',),
                )
            ]
            for word in words
        ]


@pytest.fixture
def empty(migrated_sqlite: Path, tmp_path: Path) -> Path:
    """An up-to-date database file with the project News, and nothing in it."""
    path = tmp_path / "empty.db"
    shutil.copyfile(migrated_sqlite, path)
    db = Database(str(path))
    db.open()
    ProjectService(db).create("News", "news")
    db.close()
    return path


def _both_ways(empty: Path, tmp_path: Path, source: Path) -> tuple[Path, Path]:
    usual, lean = tmp_path / "usual.db", tmp_path / "lean.db"
    shutil.copyfile(empty, usual)
    shutil.copyfile(empty, lean)
    db = Database(str(usual))
    db.open()
    usual_report = ImportService(db).import_paths("News", [source])
    db.close()
    lean_report = quick_import(str(lean), "News", [source], "imported")
    assert lean_report is not None, "the lean path took the import"
    assert lean_report.headline("News") == usual_report.headline("News")
    assert lean_report.problems() == usual_report.problems()
    return usual, lean


def _exported(path: Path, out: Path) -> str:
    db = Database(str(path))
    db.open()
    ExportService(db).export("News", "jsonl", out)
    db.close()
    return out.read_text(encoding="utf-8")


def test_a_rich_label_studio_file_and_its_jsonl_are_stored_as_the_usual_import_stores_them(
    empty: Path, tmp_path: Path
) -> None:
    tasks = tmp_path / "tasks.json"
    tasks.write_text(json.dumps(_rich_tasks(), ensure_ascii=False), encoding="utf-8")
    usual, lean = _both_ways(empty, tmp_path, tasks)
    stored = _stored(lean)
    assert stored == _stored(usual)
    assert len(stored["document"]) == 2 and len(stored["relation"]) == 2
    assert {row[3] for row in stored["annotation_set"]} == {"in_progress", "skipped", "done"}
    words = ["lovelace", "bergen", "second", "port", "nothing"]
    assert _found(lean, words) == _found(usual, words) == [[1], [1], [2], [1], []]
    exported = _exported(lean, tmp_path / "lean.jsonl")
    assert exported == _exported(usual, tmp_path / "usual.jsonl")
    assert "assertion" in exported and "economy" in exported
    # The native JSONL of it, with its annotation sets, imported both ways into new files.
    native = tmp_path / "native.jsonl"
    native.write_text(exported, encoding="utf-8")
    again = tmp_path / "again"
    again.mkdir()
    usual, lean = _both_ways(empty, again, native)
    assert _stored(lean) == _stored(usual)
    assert _exported(lean, again / "lean.jsonl") == exported


def _unchanged(path: Path, before: dict[str, list[tuple[Any, ...]]]) -> None:
    assert _stored(path) == before
    assert _found(path, ["port"]) == [[]]


def test_a_bad_record_in_a_later_batch_stores_nothing_and_names_file_and_line(
    empty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("labeler.services.import_run._FLUSH", 2)  # batches of two documents
    lines = [json.dumps({"text": f"Article {n} about the port."}) for n in range(5)]
    lines.append(json.dumps({"text": "Bad.", "spans": [{"start": 0, "end": 3, "label": "NOPE"}]}))
    source = tmp_path / "news.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = _stored(empty)
    with pytest.raises(InputError) as caught:
        quick_import(str(empty), "News", [source], "imported")
    assert str(caught.value).startswith(f"{source}:6: ")
    assert "NOPE" in str(caught.value)
    _unchanged(empty, before)


def test_suggestions_an_unknown_project_and_older_files_go_the_usual_way(
    empty: Path, tmp_path: Path
) -> None:
    source = tmp_path / "predicted.json"
    task = {
        "data": {"text": TEXT},
        "predictions": [{"model_version": "m", "result": [_region("g", 40, 46, "GPE")]}],
    }
    source.write_text(json.dumps([task]), encoding="utf-8")
    before = _stored(empty)
    assert quick_import(str(empty), "News", [source], "imported") is None
    assert quick_import(str(empty), "Nope", [source], "imported") is None
    assert quick_import(str(tmp_path / "missing.db"), "News", [source], "imported") is None
    _unchanged(empty, before)
    with sqlite3.connect(empty) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert quick_import(str(empty), "News", [source], "imported") is None


KILLED = """
import os, signal, sys
from pathlib import Path
from labeler.services import import_run
from labeler.services.quick_import import quick_import
from labeler.storage import bulk_rows

def killed(*args):
    os.kill(os.getpid(), signal.SIGKILL)

import_run._FLUSH = 2
real = bulk_rows.add_sets
calls = []
def add_sets(*args):
    calls.append(1)
    real(*args)
    if len(calls) == 2:  # two batches written, documents and spans indexed and inserted
        killed()
bulk_rows.add_sets = add_sets
quick_import(sys.argv[1], "News", [Path(sys.argv[2])], "imported")
"""


def test_a_kill_in_the_middle_leaves_the_database_as_it_was(empty: Path, tmp_path: Path) -> None:
    source = tmp_path / "news.jsonl"
    source.write_text(
        "".join(json.dumps({"text": f"Article {n} about the port."}) + "\n" for n in range(7)),
        encoding="utf-8",
    )
    before = _stored(empty)
    result = subprocess.run(
        [sys.executable, "-c", KILLED, str(empty), str(source)], capture_output=True, check=False
    )
    assert result.returncode == -9, result.stderr
    _unchanged(empty, before)
    assert quick_import(str(empty), "News", [source], "imported") is not None
    assert len(_stored(empty)["document"]) == 7
    assert _found(empty, ["port"]) == [list(range(1, 8))]


def test_a_database_another_writer_holds_is_refused_as_the_usual_import_refuses_it(
    empty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("labeler.storage.quick_write.BUSY_MS", 50)
    source = tmp_path / "news.jsonl"
    source.write_text('{"text": "The port reopened."}\n', encoding="utf-8")
    other = sqlite3.connect(empty, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="not stored: the database is busy"):
            quick_import(str(empty), "News", [source], "imported")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _stored(empty)["document"] == []


ODD = 'Tab\there, bell\x07, "quotes" \\ back\u2028line 🙂 é\x7f\x1f end of the port story.'


def test_odd_characters_are_stored_as_the_usual_import_stores_them(
    empty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control characters, quotes, backslashes, emoji, line separators and a NUL character
    (in a note) are stored as the usual import stores them."""
    monkeypatch.setattr("labeler.services.import_run._FLUSH", 1)  # a batch per document

    def span(word: str, note: str) -> dict[str, Any]:
        at = ODD.index(word)
        return {"start": at, "end": at + len(word), "label": "GPE", "note": note}

    rows = [
        {"text": ODD, "spans": [span("Tab\there", "a\tnote 🙂"), span('"quotes" \\', "\\")]},
        {"text": ODD + " Again.", "spans": [span("back\u2028line", "x\x00y")]},
    ]
    source = tmp_path / "odd.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    usual, lean = _both_ways(empty, tmp_path, source)
    stored = _stored(lean)
    assert stored == _stored(usual)
    assert [row[6] for row in stored["span"]] == ["Tab\there", '"quotes" \\', "back\u2028line"]
    assert [row[8] for row in stored["span"]] == ["a\tnote 🙂", "\\", "x\x00y"]


def test_span_rows_staged_for_the_helper_thread_are_stored_as_a_direct_insert_stores_them(
    empty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lean import stages a batch's span rows in a TEMP table, and its helper thread moves
    them into the span table: the rows are the ones a direct executemany stores."""
    monkeypatch.setattr("labeler.services.import_run._FLUSH", 2)
    tasks = tmp_path / "tasks.json"
    many = [{**_rich_tasks()[2], "data": {"text": f"{TEXT} Part {n}."}} for n in range(5)]
    tasks.write_text(json.dumps(_rich_tasks() + many, ensure_ascii=False), encoding="utf-8")
    sent: list[str] = []
    real = bulk_rows.insert

    def insert(driver: Any, table: str, columns: Any, rows: Any) -> None:
        sent.append(table)
        real(driver, table, columns, rows)

    monkeypatch.setattr(bulk_rows, "insert", insert)
    staged, direct = tmp_path / "staged.db", tmp_path / "direct.db"
    shutil.copyfile(empty, staged)
    shutil.copyfile(empty, direct)
    assert quick_import(str(staged), "News", [tasks], "imported") is not None
    assert "span" not in sent and "annotation_set" in sent
    unstaged = functools.partial(quick_write.sqlite_driver, staging=False)
    monkeypatch.setattr(quick_write, "sqlite_driver", lambda *args, **_: unstaged(*args))
    assert quick_import(str(direct), "News", [tasks], "imported") is not None
    assert "span" in sent
    stored = _stored(staged)
    assert stored == _stored(direct)
    assert len(stored["span"]) == 7 + 5 and len(stored["relation"]) == 2


def _reader_tasks(tmp_path: Path) -> Path:
    tasks = tmp_path / "tasks.json"
    many = [{**_rich_tasks()[2], "data": {"text": f"{TEXT} Part {n}."}} for n in range(9)]
    tasks.write_text(json.dumps(_rich_tasks() + many, ensure_ascii=False), encoding="utf-8")
    return tasks


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Reading goes to a forked process (small batches and chunks); lists each fork. Skipped
    where the test process runs other threads (spaCy's, Arrow's, loaded by earlier tests): a
    fork could copy their locks held; run this file alone to run these tests."""
    if len(os.listdir("/proc/self/task")) > 1:
        pytest.skip("other threads run in this process: forking could hang")
    monkeypatch.setattr("labeler.services.import_run._FLUSH", 2)
    monkeypatch.setattr(import_reader, "_CHUNK", 3)
    monkeypatch.setattr(import_reader, "can_fork", lambda _size: True)
    forks: list[int] = []
    real = import_reader.read_aside

    def read_aside(*args: Any) -> Any:
        forks.append(1)
        return real(*args)

    monkeypatch.setattr(import_reader, "read_aside", read_aside)
    return forks


def test_files_read_in_a_forked_process_are_stored_as_one_process_stores_them(
    empty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forking: list[int]
) -> None:
    tasks = _reader_tasks(tmp_path)
    aside, here = tmp_path / "aside.db", tmp_path / "here.db"
    shutil.copyfile(empty, aside)
    shutil.copyfile(empty, here)
    seen_aside: list[ImportProgress] = []
    seen_here: list[ImportProgress] = []
    read_aside = quick_import(str(aside), "News", [tasks], "imported", seen_aside.append)
    assert forking == [1]
    monkeypatch.setattr("labeler.services.quick_import.READER_PROCESS", False)
    read_here = quick_import(str(here), "News", [tasks], "imported", seen_here.append)
    assert forking == [1]
    assert read_aside is not None and read_here is not None
    assert read_aside.headline("News") == read_here.headline("News")
    assert read_aside.problems() == read_here.problems() != []  # a duplicate text
    assert seen_aside == seen_here != []
    stored = _stored(aside)
    assert stored == _stored(here)
    assert len(stored["document"]) == 11 and len(stored["relation"]) == 2
    assert _found(aside, ["part"]) == _found(here, ["part"])


def test_a_bad_record_read_in_a_forked_process_names_file_and_line_and_stores_nothing(
    empty: Path, tmp_path: Path, forking: list[int]
) -> None:
    tasks = _reader_tasks(tmp_path)
    rows = json.loads(tasks.read_text(encoding="utf-8"))
    rows[9]["annotations"][0]["result"][0]["value"]["labels"] = ["NOT_A_LABEL"]
    text = json.dumps(rows, ensure_ascii=False, indent=1)
    tasks.write_text(text, encoding="utf-8")
    line = [n for n, words in enumerate(text.split("\n"), 1) if words == " {"][9]
    before = _stored(empty)
    with pytest.raises(InputError, match="NOT_A_LABEL") as caught:
        quick_import(str(empty), "News", [tasks], "imported")
    assert forking == [1]
    assert caught.value.location == Location(str(tasks), line)
    _unchanged(empty, before)


def test_a_failing_reader_process_stores_nothing_and_says_why(
    empty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forking: list[int]
) -> None:
    def broken(*_args: Any) -> Any:
        raise ZeroDivisionError("a bug in the reading")

    monkeypatch.setattr("labeler.services.import_run.suggestions_of", broken)
    before = _stored(empty)
    with pytest.raises(import_reader.ReaderFailed, match="a bug in the reading"):
        quick_import(str(empty), "News", [_reader_tasks(tmp_path)], "imported")
    assert forking == [1]
    _unchanged(empty, before)


_ALONE = "LABELER_READER_TESTS_ALONE"


@pytest.mark.skipif(sys.platform != "linux", reason="the reader process is forked on Linux only")
def test_the_reader_tests_run_in_a_process_of_their_own() -> None:
    """The forked-reader tests above skip in a process that runs other threads (as the whole
    suite's does by then); here they run in a fresh pytest process, and must all pass there."""
    if os.environ.get(_ALONE):
        pytest.skip("already the process of their own")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            __file__,
            "-k",
            "forked_process or reader_process",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, _ALONE: "1"},
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout and "skipped" not in done.stdout, done.stdout


def test_files_larger_than_the_reader_may_hold_are_read_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(import_reader.parallel, "threads", lambda: 1)
    monkeypatch.setattr(import_reader.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    if sys.platform == "linux":
        assert import_reader.can_fork(import_reader.MAX_BYTES)
    assert not import_reader.can_fork(import_reader.MAX_BYTES + 1)
