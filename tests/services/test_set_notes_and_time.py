"""The document note and active time on an annotation set: stored with the set on both
engines, carried by the native JSONL both ways; notes on spans and relations set alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labeler.app import open_services
from labeler.domain.annotation import Status
from labeler.domain.annotation_events import NoteChanged, StatusChanged
from labeler.domain.document import Document
from labeler.domain.errors import RuleError
from labeler.services.annotating import AnnotationService
from labeler.services.exporting import ANY_STATUS, ExportOptions
from labeler.services.projects import ProjectService
from labeler.storage.migrations import versions
from tests.support import offsets

TEXT = "Ada Lindqvist met officials from Valmera on Monday."


@pytest.fixture
def env(migrated_db, migrated_db_url, connect):
    project = ProjectService(migrated_db).create("News", "news")
    with migrated_db.transaction() as store:
        (doc_id,) = store.documents.add_many(project.id, [Document(TEXT, "First")])
    service = AnnotationService(migrated_db)

    def stored():  # the set as a fresh connection reads it
        with connect(migrated_db_url).reading() as store:
            return store.annotations.set_of(doc_id, "ana", project.schema)

    return service, project, doc_id, stored


def test_notes_on_document_and_span_are_stored_and_told(env) -> None:
    service, project, doc_id, stored = env
    session = service.open(project, doc_id, "ana")
    told = []
    session.annotations.events.subscribe(told.append)
    assert session.set_note("  read the second paragraph again ") == ""
    # A note is work on the document: a set still to do is in progress after it.
    assert told == [
        StatusChanged(Status.TODO, Status.IN_PROGRESS),
        NoteChanged("", "read the second paragraph again"),
    ]
    ada = session.add_span(*offsets(TEXT, "Ada Lindqvist"), "PERSON")
    assert session.set_note("a minister?", span_id=ada.id) == ""
    sset = stored()
    assert sset.note == "read the second paragraph again"
    assert sset.spans[ada.id].note == "a minister?"
    assert sset.status is Status.IN_PROGRESS
    # Setting the old note back is what undo does.
    assert session.set_note("", span_id=ada.id) == "a minister?"
    assert stored().spans[ada.id].note == ""
    with pytest.raises(RuleError):
        session.set_note("x", span_id=12345)


def test_relation_notes(env) -> None:
    service, project, doc_id, stored = env
    session = service.open(project, doc_id, "ana")
    source = session.add_span(*offsets(TEXT, "Ada Lindqvist"), "SOURCE")
    person = session.add_span(*offsets(TEXT, "Ada Lindqvist"), "PERSON")
    relation = session.add_relation("refers_to", source.id, person.id)
    assert session.set_note("or the ministry", relation_id=relation.id) == ""
    assert stored().relations[relation.id].note == "or the ministry"
    assert session.annotations.relations[relation.id].note == "or the ministry"


def test_active_time_waits_for_the_next_write(env) -> None:
    service, project, doc_id, stored = env
    session = service.open(project, doc_id, "ana")
    session.add_active_time(30.6)
    session.store_time()  # no set yet: none is made for time alone
    assert stored() is None
    session.add_span(*offsets(TEXT, "Valmera"), "GPE")  # the edit carries the time
    assert stored().active_seconds == 30
    assert session.active_seconds == 30
    session.add_active_time(12.0)
    assert stored().active_seconds == 30  # no write of its own
    session.store_time()
    assert stored().active_seconds == 42
    assert stored().status is Status.IN_PROGRESS
    # The fraction left over is kept for later.
    session.add_active_time(0.5)
    session.store_time()
    assert stored().active_seconds == 43


def test_native_jsonl_export_and_import_carry_note_and_active_seconds(tmp_path: Path) -> None:
    services = open_services(str(tmp_path / "first.db"))
    project = services.projects.create("News", "news")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"title": "First", "text": TEXT}) + "\n", encoding="utf-8")
    services.importer.import_paths("News", [source])
    (row,) = services.documents.summaries(project)
    session = services.annotations.open(project, row.id, "ana")
    session.add_span(*offsets(TEXT, "Valmera"), "GPE")
    session.set_note("check the date")
    session.add_active_time(95)
    session.store_time()
    (row,) = services.documents.summaries_for_ids([row.id], "ana")
    assert row.active_seconds == 95  # what the document list shows
    out = tmp_path / "out.jsonl"
    services.exporter.export("News", "jsonl", out, ExportOptions(statuses=ANY_STATUS))
    (line,) = out.read_text(encoding="utf-8").splitlines()
    (exported,) = json.loads(line)["annotations"]
    assert (exported["note"], exported["active_seconds"]) == ("check the date", 95)
    # Read into another database: the set keeps both.
    again = open_services(str(tmp_path / "second.db"))
    copy = again.projects.create("News", "news")
    again.importer.import_paths("News", [out])
    (row,) = again.documents.summaries(copy)
    (copied,) = again.documents.annotation_sets(copy, row.id)
    assert (copied.note, copied.active_seconds) == ("check the date", 95)


def test_every_migration_is_named_by_its_revision() -> None:
    folder = Path(versions.__path__[0])  # type: ignore[attr-defined]
    for path in folder.glob("0*.py"):
        text = path.read_text(encoding="utf-8")
        assert f'revision = "{path.name[:4]}"' in text, path.name
    assert (folder / "0010_set_notes.py").exists()


def test_the_document_list_sorts_by_active_time(tmp_path: Path) -> None:
    from labeler.domain.document import DocumentQuery

    services = open_services(str(tmp_path / "sort.db"))
    project = services.projects.create("News", "news")
    source = tmp_path / "in.jsonl"
    rows = [{"title": f"Doc {i}", "text": f"Text number {i} of Valmera."} for i in range(3)]
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    services.importer.import_paths("News", [source])
    ids = [row.id for row in services.documents.summaries(project)]
    for doc_id, seconds in zip(ids, (50, 10, 0), strict=True):
        session = services.annotations.open(project, doc_id, "ana")
        session.add_active_time(seconds)
        session.add_span(*offsets(f"Text number {ids.index(doc_id)} of Valmera.", "Valmera"), "GPE")
    by_time = services.documents.ids(project, DocumentQuery(sort="time", annotator="ana"))
    assert list(by_time) == [ids[2], ids[1], ids[0]]
    longest = services.documents.ids(project, DocumentQuery(sort="time", descending=True))
    assert list(longest) == [ids[0], ids[1], ids[2]]


def test_every_format_but_the_native_one_counts_the_document_note_as_lost(
    tmp_path: Path,
) -> None:
    from labeler.formats import registry

    services = open_services(str(tmp_path / "notes.db"))
    project = services.projects.create("News", "news")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"title": "First", "text": TEXT}) + "\n", encoding="utf-8")
    services.importer.import_paths("News", [source])
    (row,) = services.documents.summaries(project)
    session = services.annotations.open(project, row.id, "ana")
    session.add_span(*offsets(TEXT, "Valmera"), "GPE")
    session.set_note("check the date")
    session.set_status(Status.DONE)
    lost = "notes on documents (the format has no place for them)"
    writers = [f for f in registry.all_formats() if f.write is not None]
    assert len(writers) >= 8
    for fmt in writers:
        out = tmp_path / fmt.name / f"out{fmt.extensions[0] if fmt.extensions else ''}"
        out.parent.mkdir()
        report = services.exporter.export("News", fmt.name, out, ExportOptions())
        assert report.documents == 1, fmt.name
        said = "\n".join(report.describe())
        if fmt.name == "jsonl":
            assert lost not in said
            assert "check the date" in out.read_text(encoding="utf-8")
        else:
            assert report.not_carried[lost] == 1, fmt.name
            assert f"not carried (1): {lost}" in said
