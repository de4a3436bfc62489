"""`labeler curate` and `labeler export --curated`: gold sets made in batch, then exported and
read back by spaCy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from labeler.domain.annotation import Status
from labeler.services.annotating import AnnotationService
from labeler.services.curation import CURATED
from labeler.services.projects import ProjectService
from labeler.storage.database import Database
from tests.agreement_corpus import corpus_file
from tests.support import run_cli as run


@pytest.fixture
def db(tmp_path: Path) -> str:
    return corpus_file(tmp_path / "cli.db")


def _finish(db: str, document_id: int) -> None:
    database = Database(f"sqlite:///{db}")
    database.open()
    try:
        project = ProjectService(database).get("News")
        gold = AnnotationService(database).open(project, document_id, CURATED, curating=True)
        gold.set_status(Status.DONE)
    finally:
        database.close()


def test_curate_then_export_gold_to_spacy(capsys, db: str, tmp_path: Path) -> None:
    code, out, err = run(
        capsys, "curate", "--project", "News", "--curator", "lee", "--min-agree", "2", "--db", db
    )
    assert code == 0, err
    assert out.splitlines() == [
        "document 1: 2 disagreements",  # cy's ORG Lind and FAC mine
        "document 2: 1 disagreements",  # cy's LOC Bergen
        "document 3: 1 disagreements",  # ana's DATE Monday; cy has an empty set
        "Started 3 curated sets; 4 disagreements to decide; 0 documents skipped.",
    ]
    # one-set formats refuse several annotators, naming --curated
    out_file = tmp_path / "gold.spacy"
    code, _, err = run(
        capsys, "export", "--project", "News", "-f", "spacy", "-o", str(out_file), "--db", db
    )
    assert code != 0 and "--curated" in err
    # no curated set is done yet: nothing to write
    code, _, err = run(
        capsys,
        "export",
        "--project",
        "News",
        "-f",
        "spacy",
        "-o",
        str(out_file),
        "--curated",
        "--db",
        db,
    )
    assert code != 0 and "finished (done) curated set" in err
    _finish(db, 2)
    code, out, err = run(
        capsys,
        "export",
        "--project",
        "News",
        "-f",
        "spacy",
        "-o",
        str(out_file),
        "--curated",
        "--db",
        db,
    )
    assert code == 0, err
    assert "Wrote 1 document" in out
    assert "left out 2 documents: no finished (done) curated set" in out
    docs = list(DocBin().from_disk(out_file).get_docs(spacy.blank("en").vocab))
    assert [(e.text, e.label_) for d in docs for e in d.ents] == [("Bergen", "GPE")]
    # the native JSONL carries every set, the curated ones flagged as such
    jsonl = tmp_path / "all.jsonl"
    code, out, err = run(capsys, "export", "--project", "News", "-o", str(jsonl), "--db", db)
    assert code == 0, err
    assert "curated sets" not in out
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    gold = [s for r in records for s in r["annotations"] if s["annotator"] == CURATED]
    assert len(gold) == 3
    assert all(s["curated"] and s["curator"] for s in gold)
    # an ordinary export in another format leaves them out and says so
    brat = tmp_path / "brat"
    code, out, err = run(
        capsys, "export", "--project", "News", "-f", "brat", "--merge", "-o", str(brat), "--db", db
    )
    assert code == 0, err
    assert "curated sets (export them with --curated)" in out
    # a document chosen by id, already curated: skipped with the reason
    code, out, err = run(
        capsys, "curate", "--project", "News", "--curator", "lee", "--documents", "2", "--db", db
    )
    assert code == 0, err
    assert out.splitlines()[0] == "document 2: skipped, document 2 has a curated set already"
