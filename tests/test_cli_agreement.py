"""`labeler agreement`: the table a person reads, and JSON for scripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.agreement_corpus import corpus_file
from tests.support import run_cli as run


@pytest.fixture
def db(tmp_path: Path) -> str:
    return corpus_file(tmp_path / "cli.db")


def test_table_by_pair(capsys, db: str) -> None:
    code, out, err = run(capsys, "agreement", "--project", "News", "--db", db)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == (
        "2 documents compared by ana, ben, cy (sets marked done); "
        "1 left out with fewer than two of them."
    )
    head = lines[1].split()
    assert head == ["layer", "measure", "ana|ben", "ana|cy", "ben|cy", "all", "units"]
    row = next(line for line in lines if line.startswith("entity") and "span_f1_exact" in line)
    assert row.split() == [
        "entity",
        "span_f1_exact",
        "1.000",
        "0.000",
        "0.000",
        "0.429",
        "14",
    ]  # 2*3/14
    assert any("claim span_f1_exact (ana|ben): neither annotator has any" in line for line in lines)


def test_json_for_scripts(capsys, db: str) -> None:
    code, out, _ = run(
        capsys,
        "agreement",
        "--project",
        "News",
        "--annotators",
        "ana,ben",
        "--layers",
        "entity",
        "--status",
        "any",
        "--json",
        "--db",
        db,
    )
    assert code == 0
    data = json.loads(out)
    assert data["annotators"] == ["ana", "ben"] and data["layers"] == ["entity"]
    assert (data["documents"], data["left_out"], data["status"]) == (2, 1, "any")
    f1 = next(
        f
        for f in data["figures"]
        if f["measure"] == "span_f1_exact"
        and f["pair"] == "all"
        and f["label"] == ""
        and f["layer"] == "entity"
    )
    assert (f1["value"], f1["units"], f1["matches"], f1["documents"]) == (1.0, 6, 3, 2)
    assert {d["document_id"] for d in data["by_document"]} == {1, 2}


def test_by_label_and_by_document(capsys, db: str) -> None:
    _, out, _ = run(capsys, "agreement", "-p", "News", "--by", "label", "--db", db)
    gpe = next(line for line in out.splitlines() if " GPE " in line and "span_f1_overlap" in line)
    assert gpe.split()[:6] == ["entity", "GPE", "span_f1_overlap", "0.667", "6", "2"]
    _, out, _ = run(capsys, "agreement", "-p", "News", "--by", "document", "--db", db)
    rows = out.splitlines()[3:]
    assert rows[0].split()[0] == "1" and rows[0].endswith("ana,ben,cy / Article 1")
    assert rows[1].split()[:2] == ["2", "1.000"]


def test_unknown_annotator_is_one_line(capsys, db: str) -> None:
    code, _, err = run(capsys, "agreement", "-p", "News", "--annotators", "zoe", "--db", db)
    assert code == 1
    assert err.startswith("error: no annotation sets by 'zoe' in project 'News'")
