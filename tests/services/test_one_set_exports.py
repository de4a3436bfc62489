"""Formats holding one annotation set per document: whose set goes out is chosen, not guessed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labeler.domain.annotation import Status
from labeler.formats import registry
from labeler.services.exporting import ExportOptions, ExportService, SeveralAnnotators
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService

SHARED = "Ada Lind said so. UNESCO agreed."
ALONE = "Bo Reed left."
DRAFT = "Cy Ng stayed."


def annotation(annotator: str, status: str, *spans: tuple[int, int, str]) -> dict:
    return {
        "annotator": annotator,
        "status": status,
        "spans": [{"start": s, "end": e, "label": label} for s, e, label in spans],
    }


@pytest.fixture
def two(open_db, tmp_path: Path) -> ExportService:
    """A project where ana and ben both have a done set on one document ("Shared")."""
    db = open_db()
    db.open()
    lines = [
        {
            "title": "Shared",
            "text": SHARED,
            "annotations": [
                annotation("ana", "done", (0, 8, "PERSON"), (18, 24, "ORG")),
                annotation("ben", "done", (0, 8, "PERSON")),
            ],
        },
        {
            "title": "Alone",
            "text": ALONE,
            "annotations": [annotation("ana", "done", (0, 7, "PERSON"))],
        },
        {
            # ben's set is not done: the training formats leave it out unless asked
            "title": "Draft",
            "text": DRAFT,
            "annotations": [
                annotation("ana", "done", (0, 5, "PERSON")),
                annotation("ben", "in_progress", (0, 2, "PERSON")),
            ],
        },
    ]
    source = tmp_path / "two.jsonl"
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    ProjectService(db).create("Two", "news")
    ImportService(db).import_paths("Two", [source])
    return ExportService(db)


ONE_SET = sorted(
    f.name for f in registry.all_formats() if (f.write or f.write_splits) and not f.all_sets
)


def test_the_one_set_formats_are_the_training_and_tool_formats() -> None:
    assert ONE_SET == ["brat", "conll", "doccano", "hf", "prodigy", "spacy", "xmi"]


@pytest.mark.parametrize("name", ONE_SET)
def test_several_annotators_on_a_document_refuse_and_write_nothing(two, tmp_path, name) -> None:
    out = tmp_path / f"out-{name}"
    with pytest.raises(SeveralAnnotators) as caught:
        two.export("Two", name, out)
    assert not out.exists()
    assert str(caught.value) == (
        f"{name} holds one annotation set per document, and 1 document has sets by several "
        "annotators (ana, ben): “Shared” (ana, ben). Nothing was written; choose whose sets go "
        "out: --annotator NAME for one annotator's sets, or --merge to merge the sets of each "
        "document into one (spans that overlap another annotator's are left out and counted), "
        "or --curated to take each document's finished curated set (`labeler curate` starts "
        "them)."
    )


def test_the_statuses_asked_for_decide_who_is_on_a_document(two, tmp_path) -> None:
    options = ExportOptions(statuses=frozenset(Status), annotators=("ana", "ben"))
    with pytest.raises(SeveralAnnotators) as caught:
        two.export("Two", "doccano", tmp_path / "o.jsonl", options)
    assert caught.value.shared.count == 2
    assert [title for _, title, _ in caught.value.shared.examples] == ["Shared", "Draft"]
    assert two.several_annotators("Two", "doccano", options) is not None
    assert two.several_annotators("Two", "doccano", ExportOptions()) is not None
    assert two.several_annotators("Two", "jsonl", options) is None
    assert two.several_annotators("Two", "doccano", ExportOptions(annotators=("ben",))) is None


def entity_count(path: Path) -> int:
    return sum(len(json.loads(x).get("entities", [])) for x in path.read_text("utf-8").splitlines())


def test_one_annotator_or_a_merge_and_the_summary_counts_what_was_written(two, tmp_path) -> None:
    out = tmp_path / "ben.jsonl"
    report = two.export("Two", "doccano", out, ExportOptions(annotators=("ben",)))
    assert (report.documents, dict(report.spans_by_label)) == (1, {"PERSON": 1})
    assert entity_count(out) == 1
    assert report.left_out == {"no annotation set with status done and annotator ben": 2}
    out = tmp_path / "merged.jsonl"
    report = two.export("Two", "doccano", out, ExportOptions(merge=True))
    assert report.documents == 3
    assert sum(report.spans_by_label.values()) == entity_count(out) == 4
    assert "annotation sets after the first not exported" not in report.not_carried


def test_formats_that_hold_every_set_write_them_all(two, tmp_path) -> None:
    out = tmp_path / "all.json"
    report = two.export("Two", "labelstudio", out)
    tasks = json.loads(out.read_text("utf-8"))
    regions = sum(
        1 for t in tasks for a in t["annotations"] for r in a["result"] if r["type"] == "labels"
    )
    assert sum(report.spans_by_label.values()) == regions == 5
