"""Curated sets in the native JSONL: exported flagged curated with their curator and who had
each span and relation, imported back as curated sets; the name curated refused otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labeler.app import open_services
from labeler.domain.annotation import Status
from labeler.domain.document import DocumentQuery
from labeler.domain.errors import LabelerError
from labeler.services.exporting import ANY_STATUS, ExportOptions
from labeler.services.workspace import Services
from tests.curation_corpus import TEXT, stored_article


@pytest.fixture
def services(tmp_path: Path) -> Services:
    from labeler.storage.database import Database

    db = Database(f"sqlite:///{tmp_path / 'first.db'}")
    db.open()
    stored_article(db)
    db.close()
    services = open_services(str(tmp_path / "first.db"))
    yield services
    services.close()


def test_a_curated_set_goes_out_and_comes_back_curated(services: Services, tmp_path: Path) -> None:
    project = services.projects.get("News")
    [doc_id] = services.documents.ids(project, DocumentQuery())
    curation = services.curation.start(project, doc_id, "lee")
    gps = next(d for d in curation.disagreements if d.kind == "span" and d.span[3] == "GPE")
    services.curation.accept(curation, gps, "ana")
    link = next(d for d in curation.disagreements if d.kind == "relation" and "ana" in d.had())
    services.curation.accept(curation, link, "ana")  # brings its SOURCE "Ada Lind" too
    ada = next(d for d in curation.disagreements if d.kind == "span" and d.had() == ["cy"])
    services.curation.reject(curation, ada)
    curation.session.set_status(Status.DONE)

    out = tmp_path / "out.jsonl"
    services.exporter.export("News", "jsonl", out, ExportOptions(statuses=ANY_STATUS))
    [line] = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    by_name = {s["annotator"]: s for s in line["annotations"]}
    assert set(by_name) == {"ana", "ben", "cy", "curated"}
    gold = by_name["curated"]
    assert (gold["curated"], gold["curator"]) == (True, "lee")
    assert "curated" not in by_name["ana"]
    sources = {(s["label"], s["text"]): s.get("sources") for s in gold["spans"]}
    assert sources[("PERSON", "Ada Lind")] == ["ana", "ben", "cy"]
    assert sources[("GPE", "Oslo")] == ["ana", "ben"]
    assert sources[("SOURCE", "Ada Lind")] == ["ana", "ben"]
    assert [r["sources"] for r in gold["relations"]] == [["ana", "ben"]]

    fresh = open_services(str(tmp_path / "second.db"))
    try:
        fresh.projects.create("Copy", "news")
        report = fresh.importer.import_paths("Copy", [out], format_name="jsonl")
        assert report.imported == 1, report
        copy = fresh.projects.get("Copy")
        [copy_id] = fresh.documents.ids(copy, DocumentQuery())
        again = fresh.curation.resume(copy, copy_id)
        assert again.curator == "lee"
        spans, relations = fresh.curation.sources(again)
        made = again.session.annotations
        named = {(made.spans[i].label, made.spans[i].text): n for i, n in spans.items()}
        assert named[("GPE", "Oslo")] == ["ana", "ben"]
        assert list(relations.values()) == [["ana", "ben"]]
        # What the curator decided stays decided, but for the rejection (not in the file).
        assert {d.had()[0] for d in again.disagreements} <= {"cy", "ana"}
        # Exported with --curated, the gold set alone goes out, still flagged.
        gold_out = tmp_path / "gold.jsonl"
        fresh.exporter.export("Copy", "jsonl", gold_out, ExportOptions(curated=True))
        [only] = json.loads(gold_out.read_text("utf-8"))["annotations"]
        assert (only["annotator"], only["curated"], only["status"]) == ("curated", True, "done")
    finally:
        fresh.close()


def write_line(path: Path, annotation: dict) -> Path:
    path.write_text(json.dumps({"text": TEXT, "annotations": [annotation]}) + "\n", "utf-8")
    return path


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        (
            {"annotator": "curated", "spans": [{"start": 0, "end": 8, "label": "PERSON"}]},
            "reserved",
        ),
        ({"annotator": "Curated", "status": "done", "spans": []}, "reserved"),
        (
            {"annotator": "lee", "curated": True, "curator": "lee", "status": "done", "spans": []},
            "stored under",
        ),
        ({"annotator": "curated", "curated": True, "spans": []}, "curator"),
    ],
)
def test_the_name_curated_is_refused_on_import(
    services: Services, tmp_path: Path, annotation: dict, message: str
) -> None:
    path = write_line(tmp_path / "bad.jsonl", annotation)
    with pytest.raises(LabelerError, match=message):
        services.importer.import_paths("News", [path], format_name="jsonl")
