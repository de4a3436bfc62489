"""The Sample project a new user sees, and choosing what an export holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labeler.domain.annotation import Status
from labeler.domain.errors import LabelerError
from labeler.domain.splits import SplitRatios
from labeler.services.documents import DocumentService
from labeler.services.exporting import ANY_STATUS, ExportCancelled, ExportOptions, ExportService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.services.sample import SAMPLE_ANNOTATOR, SAMPLE_PROJECT, seed_sample


@pytest.fixture
def sample(migrated_db):
    db = migrated_db
    projects = ProjectService(db)
    importer = ImportService(db)
    seed_sample(projects, importer)
    return projects, DocumentService(db), ExportService(db), importer


def test_sample_articles_are_news_with_some_annotated_in_every_layer(sample) -> None:
    projects, documents, _, _ = sample
    project = projects.get(SAMPLE_PROJECT)
    rows = documents.summaries(project)
    assert 4 <= len(rows) <= 6
    annotated = [r for r in rows if r.span_total]
    assert 2 <= len(annotated) < len(rows)  # some pre-annotated, some left to do
    for row in rows:
        text = documents.get(row.id).text
        assert row.date is not None and row.title
        assert '"' in text or "said" in text
    for row in annotated:
        assert set(row.span_counts) == {"entity", "claim", "attribution"}
        (s,) = documents.annotation_sets(project, row.id)
        assert s.annotator == SAMPLE_ANNOTATOR
        assert s.status in (Status.IN_PROGRESS, Status.DONE)
        text = documents.get(row.id).text
        assert all(text[x.start : x.end] == x.text for x in s.spans.values())
        types = {r.type for r in s.relations.values()}
        assert {"source", "content", "attributed_to"} <= types


def test_export_filters_by_status_and_layer(sample, tmp_path: Path) -> None:
    _, _, exporter, _ = sample
    out = tmp_path / "done.jsonl"
    options = ExportOptions(statuses=frozenset({Status.DONE}), layers=("entity",))
    report = exporter.export(SAMPLE_PROJECT, "jsonl", out, options)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert report.documents == len(lines) == 1
    assert report.left_out == {"no annotation set with status done": 4}
    (annotations,) = lines[0]["annotations"]
    assert {s["layer"] for s in annotations["spans"]} == {"entity"}
    assert annotations["relations"] == []  # relations to spans left out go too
    assert set(report.spans_by_label) <= {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "DATE",
        "CARDINAL",
        "PERCENT",
    }


def test_splits_are_files_in_a_folder_and_stable(sample, tmp_path: Path) -> None:
    _, _, exporter, _ = sample
    options = ExportOptions(split=SplitRatios.parse("60/20/20"), seed=3)
    first = exporter.export(SAMPLE_PROJECT, "jsonl", tmp_path / "a", options)
    again = exporter.export(SAMPLE_PROJECT, "jsonl", tmp_path / "b", options)
    assert [p.name for p in first.outputs] == ["train.jsonl", "dev.jsonl", "test.jsonl"]
    assert first.documents_by_split == again.documents_by_split
    assert sum(first.documents_by_split.values()) == 5
    for name in ("train.jsonl", "dev.jsonl", "test.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_brat_folder_imports_as_pairs_without_duplicates(sample, tmp_path: Path) -> None:
    projects, documents, exporter, importer = sample
    exporter.export(SAMPLE_PROJECT, "brat", tmp_path / "brat", ExportOptions(statuses=ANY_STATUS))
    projects.create("Copy", "news")
    report = importer.import_paths("Copy", [tmp_path / "brat"])
    assert report.duplicates == []
    assert report.skipped == []
    assert report.imported == 5
    original = documents.summaries(projects.get(SAMPLE_PROJECT))
    copied = documents.summaries(projects.get("Copy"))
    assert [r.span_counts for r in copied] == [r.span_counts for r in original]


def test_training_formats_take_done_sets_by_default_and_say_what_they_cannot_carry(
    sample, tmp_path: Path
) -> None:
    _, _, exporter, _ = sample
    report = exporter.export(SAMPLE_PROJECT, "brat", tmp_path / "brat")
    assert report.documents == 1
    assert report.left_out == {"no annotation set with status done": 4}
    assert report.not_carried == {
        "titles, dates and metadata not carried (brat has no place for them)": 1
    }
    everything = exporter.export(SAMPLE_PROJECT, "jsonl", tmp_path / "all.jsonl")
    assert (everything.documents, everything.left_out) == (5, {})


def test_a_cancelled_export_removes_what_it_began(sample, tmp_path: Path) -> None:
    _, _, exporter, _ = sample
    place = tmp_path / "exports"
    place.mkdir()
    folder = place / "splits"
    options = ExportOptions(split=SplitRatios.parse("50/50"))
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3  # partway through

    with pytest.raises(ExportCancelled, match="cancelled"):
        exporter.export(SAMPLE_PROJECT, "jsonl", folder, options, cancelled=cancelled)
    assert not folder.exists()
    kept = place / "kept.jsonl"
    kept.write_text("already here\n", encoding="utf-8")
    with pytest.raises(ExportCancelled):
        exporter.export(SAMPLE_PROJECT, "jsonl", kept, cancelled=lambda: True, overwrite=True)
    assert kept.read_text(encoding="utf-8") == "already here\n"  # untouched
    assert sorted(p.name for p in place.iterdir()) == ["kept.jsonl"]  # no staging left


def test_an_export_never_empties_a_folder_it_did_not_write(sample, tmp_path: Path) -> None:
    _, _, exporter, _ = sample
    mine = tmp_path / "my files"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(LabelerError, match="is a folder; name the file"):
        exporter.export(SAMPLE_PROJECT, "jsonl", mine)
    options = ExportOptions(split=SplitRatios.parse("80/20"))
    with pytest.raises(LabelerError, match="not an earlier labeler export"):
        exporter.export(SAMPLE_PROJECT, "jsonl", mine, options)
    with pytest.raises(LabelerError, match="not an earlier labeler export"):
        exporter.export(SAMPLE_PROJECT, "brat", mine)
    assert [p.name for p in mine.iterdir()] == ["thesis.docx"]
    assert (mine / "thesis.docx").read_bytes() == b"precious"


def test_a_second_export_replaces_the_first_whole(sample, tmp_path: Path) -> None:
    _, _, exporter, _ = sample
    out = tmp_path / "splits"
    exporter.export(
        SAMPLE_PROJECT, "jsonl", out, ExportOptions(split=SplitRatios.parse("50/25/25"))
    )
    assert sorted(p.name for p in out.iterdir() if p.suffix) == [
        "dev.jsonl",
        "test.jsonl",
        "train.jsonl",
    ]
    exporter.export(SAMPLE_PROJECT, "jsonl", out, ExportOptions(split=SplitRatios.parse("50/50")))
    assert sorted(p.name for p in out.iterdir() if p.suffix) == ["dev.jsonl", "train.jsonl"]
    brat = tmp_path / "brat"
    everything = ExportOptions(statuses=ANY_STATUS)
    exporter.export(SAMPLE_PROJECT, "brat", brat, everything)
    assert len(list(brat.glob("*.ann"))) == 5
    exporter.export(SAMPLE_PROJECT, "brat", brat)  # done only: one document
    assert len(list(brat.glob("*.ann"))) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".labeler-export-")]


def test_an_existing_file_is_replaced_only_when_asked_and_the_database_never(
    sample, tmp_path: Path, migrated_db
) -> None:
    _, _, exporter, _ = sample
    mine = tmp_path / "article.txt"
    mine.write_text("my own article", encoding="utf-8")
    with pytest.raises(LabelerError, match="exists; choose another name"):
        exporter.export(SAMPLE_PROJECT, "jsonl", mine)
    assert mine.read_text(encoding="utf-8") == "my own article"
    exporter.export(SAMPLE_PROJECT, "jsonl", mine, overwrite=True)
    assert mine.read_text(encoding="utf-8").count("\n") == 5
    for database_file in migrated_db.files[:1]:  # SQLite: the file itself; a server has none
        with pytest.raises(LabelerError, match="is the project's database"):
            exporter.export(SAMPLE_PROJECT, "jsonl", database_file, overwrite=True)


def test_merge_gives_one_set_per_document(sample, tmp_path: Path) -> None:
    projects, _, exporter, importer = sample
    line = {
        "text": TEXT_TWO_ANNOTATORS,
        "annotations": [
            {
                "annotator": "ana",
                "status": "done",
                "spans": [{"start": 0, "end": 8, "label": "PERSON"}],
            },
            {
                "annotator": "ben",
                "status": "done",
                "spans": [
                    {"start": 4, "end": 13, "label": "ORG"},
                    {"start": 9, "end": 13, "label": "CUE"},
                ],
            },
        ],
    }
    source = tmp_path / "two.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    projects.create("Two", "news")
    importer.import_paths("Two", [source])
    out = tmp_path / "merged.jsonl"
    report = exporter.export("Two", "jsonl", out, ExportOptions(merge=True))
    (written,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    (merged,) = written["annotations"]
    assert merged["annotator"] == "merged"
    assert [(s["label"], s["text"]) for s in merged["spans"]] == [
        ("PERSON", "Ada Lind"),
        ("CUE", "said"),
    ]
    assert report.not_carried == {
        "spans overlapping another annotator's, left out of the merged set": 1
    }


TEXT_TWO_ANNOTATORS = "Ada Lind said so."
