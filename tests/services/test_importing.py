"""Import through the service on both engines: all or nothing, duplicates, --skip-bad."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labeler.domain.errors import InputError
from labeler.services.documents import DocumentService
from labeler.services.exporting import ExportService
from labeler.services.importing import ImportCancelled, ImportService
from labeler.services.projects import ProjectService
from tests.lean_import import LeanImporter


@pytest.fixture(params=["usual", "lean"])
def services(migrated_db, migrated_db_url: str, request: pytest.FixtureRequest):
    """The services, importing the usual way or (on SQLite) the lean way of labeler import."""
    db = migrated_db
    projects = ProjectService(db)
    projects.create("News", "news")
    importer = ImportService(db)
    if request.param == "lean":
        if not migrated_db_url.startswith("sqlite"):
            pytest.skip("the lean import is for SQLite files only")
        importer = LeanImporter(migrated_db_url, importer)  # type: ignore[assignment]
    return projects, importer, DocumentService(db), ExportService(db)


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_folder_in_several_encodings(services, tmp_path: Path) -> None:
    projects, importer, documents, _ = services
    folder = tmp_path / "articles"
    _write(folder / "a.txt", "date 2026-03-01 Port strike ends\r\nDockers returned to work.\r\n")
    _write(folder / "sub" / "b.txt", "\ufeffCouncil passes budget\nThe council voted 7-2.\n")
    _write(folder / "sub" / "c.txt", "Flood aid arrives 😀\nRelief came.\n".encode("utf-16"))
    _write(folder / ".hidden" / "d.txt", "not an article")
    report = importer.import_paths("News", [folder])
    assert (report.imported, report.files, report.duplicates, report.skipped) == (3, 3, [], [])
    project = projects.get("News")
    rows = documents.summaries(project)
    assert [(r.title, r.date and r.date.isoformat()) for r in rows] == [
        ("Port strike ends", "2026-03-01"),
        ("Council passes budget", None),
        ("Flood aid arrives 😀", None),
    ]
    first = documents.get(rows[0].id)
    assert "\r" not in first.text
    assert first.text.startswith("Dockers returned to work.")


def test_bad_file_stops_the_batch_and_stores_nothing(services, tmp_path: Path) -> None:
    projects, importer, documents, _ = services
    good = _write(tmp_path / "good.txt", "A good article\nWith text.")
    bad = _write(tmp_path / "bad.txt", b"Title\nbroken \xff byte\n")
    with pytest.raises(InputError, match=r"bad\.txt:2: .*0xff"):
        importer.import_paths("News", [good, bad])
    assert documents.count(projects.get("News")) == 0


def test_skip_bad_imports_the_rest_and_reports_each_skip(services, tmp_path: Path) -> None:
    projects, importer, documents, _ = services
    lines = [
        json.dumps(
            {"text": "Ana met Ben in Oslo.", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}
        ),
        "{not json",
        json.dumps({"text": "Out of range.", "spans": [{"start": 5, "end": 99, "label": "ORG"}]}),
        json.dumps({"text": "Unknown label.", "spans": [{"start": 0, "end": 7, "label": "PERSN"}]}),
        json.dumps(
            {
                "text": "Overlap here.",
                "spans": [
                    {"start": 0, "end": 7, "label": "ORG"},
                    {"start": 4, "end": 12, "label": "GPE"},
                ],
            }
        ),
        json.dumps({"text": "Fine as well."}),
    ]
    path = _write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"mixed\.jsonl:2:"):
        importer.import_paths("News", [path])
    assert documents.count(projects.get("News")) == 0
    report = importer.import_paths("News", [path], skip_bad=True)
    assert report.imported == 2
    assert [e.location.line for e in report.skipped] == [2, 3, 4, 5]
    assert "'PERSN' is not in schema" in str(report.skipped[2])
    assert "overlap" in str(report.skipped[3])
    assert documents.count(projects.get("News")) == 2


def test_same_text_twice_is_a_duplicate_not_stored_twice(services, tmp_path: Path) -> None:
    projects, importer, documents, _ = services
    a = _write(tmp_path / "a.txt", "Headline\nSame body.")
    b = _write(tmp_path / "b.txt", "Headline\r\nSame body.")  # equal once newlines are normalised
    report = importer.import_paths("News", [a, b])
    assert report.imported == 1
    assert len(report.duplicates) == 1 and "b.txt" in report.duplicates[0]
    again = importer.import_paths("News", [a])
    assert again.imported == 0
    assert "not stored again" in again.duplicates[0]
    assert documents.count(projects.get("News")) == 1


def test_csv_with_a_chosen_text_column(services, tmp_path: Path) -> None:
    from labeler.formats.records import ReadOptions

    projects, importer, documents, _ = services
    path = _write(
        tmp_path / "a.csv", "headline,body,url\nFirst,Body one.,u1\nSecond,Body two.,u2\n"
    )
    report = importer.import_paths(
        "News", [path], options=ReadOptions(text_column="body", title_column="headline")
    )
    assert report.imported == 2
    rows = documents.summaries(projects.get("News"))
    doc = documents.get(rows[1].id)
    assert (doc.title, doc.text, doc.meta.get("url")) == ("Second", "Body two.", "u2")


def test_native_jsonl_round_trip_between_projects(services, tmp_path: Path) -> None:
    projects, importer, _documents, exporter = services
    record = {
        "title": "Troops",
        "date": "2026-02-03",
        "meta": {"source": "Wire"},
        "text": '"The troops", Kim said, "are engineers" 😀.',
        "annotations": [
            {
                "annotator": "ana",
                "status": "done",
                "spans": [
                    {"id": 1, "start": 0, "end": 12, "label": "CONTENT"},
                    {"id": 2, "start": 14, "end": 17, "label": "SOURCE"},
                    {"id": 3, "start": 14, "end": 17, "label": "PERSON"},
                    {
                        "id": 4,
                        "start": 18,
                        "end": 22,
                        "label": "CUE",
                        "attributes": {"type": "assertion"},
                    },
                    {"id": 5, "start": 24, "end": 39, "label": "CONTENT"},
                ],
                "relations": [
                    {"type": "source", "head": 4, "tail": 2},
                    {"type": "content", "head": 4, "tail": 1},
                    {"type": "continues", "head": 1, "tail": 5},
                    {"type": "refers_to", "head": 2, "tail": 3},
                ],
            }
        ],
    }
    src = _write(tmp_path / "in.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    importer.import_paths("News", [src])
    out1 = tmp_path / "out1.jsonl"
    exporter.export("News", "jsonl", out1)
    projects.create("Copy", "news")
    importer.import_paths("Copy", [out1])
    out2 = tmp_path / "out2.jsonl"
    report = exporter.export("Copy", "jsonl", out2)
    assert out1.read_text(encoding="utf-8") == out2.read_text(encoding="utf-8")
    assert report.documents == 1 and report.relations == 4
    exported = json.loads(out1.read_text(encoding="utf-8"))
    [ann] = exported["annotations"]
    assert ann["annotator"] == "ana" and ann["status"] == "done"
    by_id = {s["id"]: s for s in ann["spans"]}
    triples = {
        (by_id[r["head"]]["label"], r["type"], by_id[r["tail"]]["label"]) for r in ann["relations"]
    }
    assert triples == {
        ("CUE", "source", "SOURCE"),
        ("CUE", "content", "CONTENT"),
        ("CONTENT", "continues", "CONTENT"),
        ("SOURCE", "refers_to", "PERSON"),
    }
    assert {s["text"] for s in ann["spans"]} >= {'"The troops"', "Kim", "said"}


def _line(annotator: str, label: str = "PERSON") -> str:
    return json.dumps(
        {
            "text": "Ada Lind met the press.",
            "annotations": [
                {
                    "annotator": annotator,
                    "status": "done",
                    "spans": [{"start": 0, "end": 8, "label": label}],
                }
            ],
        }
    )


def test_the_same_text_from_a_second_annotator_keeps_both_sets(services, tmp_path: Path) -> None:
    projects, importer, documents, _ = services
    first = _write(tmp_path / "ana.jsonl", _line("ana") + "\n" + _line("ben") + "\n")
    report = importer.import_paths("News", [first])
    assert report.imported == 1 and report.spans == 2
    assert "the annotations by ben were added to it" in report.duplicates[0]
    # Later, from another file: a third annotator joins; ana's second try is refused, and said.
    later = _write(tmp_path / "more.jsonl", _line("cai", "ORG") + "\n" + _line("ana", "ORG") + "\n")
    report = importer.import_paths("News", [later])
    assert report.imported == 0 and report.spans == 1
    assert "the annotations by cai were added to it" in report.duplicates[0]
    assert (
        "1 span by ana not imported (ana already has an annotation set there)"
        in (report.duplicates[1])
    )
    project = projects.get("News")
    (row,) = documents.summaries(project)
    sets = {s.annotator: s for s in documents.annotation_sets(project, row.id)}
    assert sorted(sets) == ["ana", "ben", "cai"]
    assert [sp.label for sp in sets["ana"].spans.values()] == ["PERSON"]


def test_a_cancelled_import_stores_nothing(services, tmp_path: Path) -> None:
    projects, importer, documents, _ = services
    folder = tmp_path / "many"
    for n in range(30):
        _write(folder / f"{n:02d}.txt", f"Article {n}\nText number {n}.")
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 20  # two thirds in

    with pytest.raises(ImportCancelled, match="nothing was stored"):
        importer.import_paths("News", [folder], cancelled=cancelled)
    assert documents.count(projects.get("News")) == 0
