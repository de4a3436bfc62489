"""`labeler documents` with each annotator's status, and an export that chooses nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import run_cli as run


def person(text: str, words: str) -> dict[str, object]:
    start = text.index(words)
    end = start + len(words)
    return {"layer": "entity", "label": "PERSON", "start": start, "end": end, "text": words}


@pytest.fixture
def db(capsys, tmp_path: Path) -> str:
    """Two articles: the first worked on by ana (done) and bo (in progress), the second by
    nobody."""
    db = str(tmp_path / "team.db")
    first = "Ana Reyes said the port would reopen."
    records = [
        {
            "title": "Port",
            "text": first,
            "annotations": [
                {"annotator": "ana", "status": "done", "spans": [person(first, "Ana Reyes")]},
                {"annotator": "bo", "status": "in_progress", "spans": []},
            ],
        },
        {"title": "Ferry", "text": "The ferry was late."},
    ]
    source = tmp_path / "team.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    assert run(capsys, "project", "create", "News", "--db", db)[0] == 0
    code, _, err = run(capsys, "import", str(source), "--project", "News", "--db", db)
    assert code == 0, err
    return db


def test_documents_shows_each_annotator_s_status(capsys, db: str, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "documents", "-p", "News", "--json", "--db", db)
    rows = json.loads(out)
    assert [(r["title"], r["annotators"]) for r in rows] == [
        ("Port", {"ana": "done", "bo": "in_progress"}),
        ("Ferry", {}),
    ]
    code, out, _ = run(capsys, "documents", "-p", "News", "--db", db)
    port = next(line for line in out.splitlines() if line.endswith("Port"))
    assert "ana done, bo in_progress" in port
    # One annotator's view: their status and their span counts.
    for who, status, entities in (("ana", "done", 1), ("bo", "in_progress", 0), ("cy", "todo", 0)):
        code, out, _ = run(
            capsys, "documents", "-p", "News", "--annotator", who, "--json", "--db", db
        )
        assert code == 0
        assert (json.loads(out)[0]["status"], json.loads(out)[0]["spans"]["entity"]) == (
            status,
            entities,
        )
    code, out, _ = run(capsys, "project", "list", "--db", db)
    assert "2 documents" in out
    run(capsys, "project", "create", "One", "--db", db)
    code, out, _ = run(capsys, "project", "list", "--db", db)
    assert "0 documents" in out
    one = tmp_path / "one.txt"
    one.write_text("The ferry was late.", "utf-8")
    run(capsys, "import", str(one), "-p", "One", "--db", db)
    code, out, _ = run(capsys, "project", "list", "--db", db)
    assert [line.split()[-2:] for line in out.splitlines() if line.startswith("One")] == [
        ["1", "document"]
    ]


def test_an_export_that_chooses_nothing_writes_nothing_and_says_why(
    capsys, db: str, tmp_path: Path
) -> None:
    out = tmp_path / "out.conll"
    args = ["export", "-p", "News", "-f", "conll", "-o", str(out), "--annotator", "bo"]
    code, text, err = run(capsys, *args, "--db", db)
    assert code == 1
    assert err.strip() == (
        "error: nothing written: none of the 2 documents of 'News' has an annotation set with "
        "status done and annotator bo; use --status any, or mark documents done"
    )
    assert not out.exists()
    # The retry needs no --overwrite.
    code, text, err = run(capsys, *args, "--status", "any", "--db", db)
    assert code == 0, err
    assert "Wrote 1 document " in text and out.exists()
    code, _, err = run(capsys, "export", "-p", "None", "-o", str(tmp_path / "x.jsonl"), "--db", db)
    assert code == 1
    run(capsys, "project", "create", "Empty", "--db", db)
    empty = tmp_path / "empty.jsonl"
    code, _, err = run(capsys, "export", "-p", "Empty", "-o", str(empty), "--db", db)
    assert code == 1 and "project 'Empty' has no documents" in err
    assert not empty.exists()
