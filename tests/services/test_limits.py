"""The limits of names and text hold alike on SQLite and PostgreSQL, with a clear refusal."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from labeler.app import open_services
from labeler.domain.document import Document
from labeler.domain.errors import ConflictError, InputError, RuleError
from labeler.domain.limits import TITLE_MAX
from labeler.domain.schema_toml import parse_schema
from labeler.services.annotating import AnnotationService
from labeler.services.documents import DocumentService
from labeler.services.exporting import ANY_STATUS, ExportOptions
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.services.resources import builtin_schemas

TEXT = "Ana said Ørsted hired 12 people."


@pytest.fixture
def env(migrated_db, migrated_db_url):
    db = migrated_db
    project = ProjectService(db).create("News", "news")
    with db.transaction() as store:
        (doc_id,) = store.documents.add_many(project.id, [Document(TEXT, "First")])
    return db, project, doc_id, migrated_db_url


def test_a_first_edit_that_meets_another_first_edit_of_the_same_new_annotator(env) -> None:
    db, project, doc_id, url = env
    if not url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer in at a time: nothing runs at once there")
    session = AnnotationService(db).open(project, doc_id, "newcomer")
    outcome: dict[str, object] = {}

    def first_edit() -> None:
        try:
            outcome["span"] = session.add_span(0, 3, "PERSON")
        except Exception as error:
            outcome["error"] = error

    engine = sa.create_engine(url)
    try:
        with engine.connect() as other:
            # The same annotator's first edit in another window: the name is being added.
            other.begin()
            other.execute(sa.text("INSERT INTO annotator (name) VALUES ('newcomer')"))
            editing = threading.Thread(target=first_edit)
            editing.start()
            editing.join(0.5)
            assert editing.is_alive()  # waits on the other window's new name
            other.commit()
        editing.join(10)
    finally:
        engine.dispose()
    assert "error" not in outcome, outcome
    assert outcome["span"].text == "Ana"


def test_two_first_edits_of_one_new_annotator_on_one_document_end_in_a_conflict(env) -> None:
    db, project, doc_id, url = env
    if not url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer in at a time: nothing runs at once there")
    first = AnnotationService(db).open(project, doc_id, "newcomer")
    second = AnnotationService(db).open(project, doc_id, "newcomer")
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def edit(session, start, end) -> None:
        barrier.wait()
        try:
            outcomes.append(session.add_span(start, end, "PERSON"))
        except Exception as error:
            outcomes.append(error)

    threads = [
        threading.Thread(target=edit, args=(first, 0, 3)),
        threading.Thread(target=edit, args=(second, 9, 15)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(outcomes) == 2
    assert all(isinstance(e, ConflictError) for e in errors), errors
    assert len(errors) <= 1


def test_names_over_the_limit_or_with_nul_are_refused_alike(env) -> None:
    db, project, doc_id, _url = env
    projects = ProjectService(db)
    with pytest.raises(RuleError, match="at most 200"):
        projects.create("P" * 201, "news")
    with pytest.raises(RuleError, match="NUL"):
        projects.create("Bad\x00name", "news")
    assert projects.create("P" * 200, "news").name == "P" * 200
    service = AnnotationService(db)
    with pytest.raises(RuleError, match="at most 200"):
        service.open(project, doc_id, "a" * 201)
    with pytest.raises(RuleError, match="NUL"):
        service.open(project, doc_id, "an\x00na")
    long_name = "ä" * 200
    session = service.open(project, doc_id, long_name)
    session.add_span(0, 3, "PERSON")
    with db.reading() as store:
        assert store.annotations.set_of(doc_id, long_name, project.schema) is not None


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return path


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"text": "Ana said\x00 it."}, "text holds a NUL character"),
        ({"text": "Ana said it.", "title": "A\x00B"}, "title holds a NUL"),
        ({"text": "Ana said it.", "source": {"desk": "x\x00"}}, "metadata.source.desk holds a NUL"),
        ({"text": "Ana said it.", "meta": {"k\x00": 1}}, "a key of metadata holds a NUL"),
        (
            {
                "text": "Ana said it.",
                "annotations": [
                    {"annotator": "a" * 201, "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}
                ],
            },
            "at most 200",
        ),
    ],
)
def test_an_import_with_what_no_database_stores_is_refused_naming_the_line(
    env, tmp_path, record, reason
) -> None:
    db, _project, _doc_id, _url = env
    good = {"text": "A first, good article."}
    path = _jsonl(tmp_path / "in.jsonl", [good, record])
    with pytest.raises(InputError, match=rf"in\.jsonl:2: .*{reason}"):
        ImportService(db).import_paths("News", [path])
    with db.reading() as store:
        project = store.projects.get("News")
        assert store.documents.count(project.id) == 1  # only the fixture's document


def test_a_long_title_is_cut_the_same_on_both_engines(env, tmp_path) -> None:
    db, project, _doc_id, _url = env
    path = _jsonl(tmp_path / "in.jsonl", [{"text": "Some words.", "title": "T" * 5000}])
    ImportService(db).import_paths("News", [path])
    titles = [row.title for row in DocumentService(db).summaries(project)]
    assert "T" * (TITLE_MAX - 1) + "…" in titles


def test_a_schema_name_over_the_limit_is_refused_with_its_line() -> None:
    text = builtin_schemas()["news"].read_text("utf-8")
    long_label = "L" * 101
    broken = text.replace("[layers.entity.labels.PERSON]", f"[layers.entity.labels.{long_label}]")
    with pytest.raises(InputError, match=r"news\.toml:\d+: .*at most 100"):
        parse_schema(broken, "news.toml")
    nul_value = text.replace('"quantity"', '"quan\\u0000tity"', 1)
    with pytest.raises(InputError, match="NUL"):
        parse_schema(nul_value, "news.toml")


ODD = [
    {
        "text": 'Zoë «Ørsted» said 😀 "yes"; O\'Brien\ttold \u200bRadio 𝔘 it was fine.\n'
        "Second line — with – dashes.",
        "title": "Zoë's 'odd' «title» 😀 " + "x" * 900,
        "date": "2026-12-05",
        "desk": {"name": "Ünïcode desk", "tags": ["a\u2028b", "c\\d", ""], "n": 12},
        "annotations": [
            {
                "annotator": "Zoë O'Brien-Ørsted 😀 " + "z" * 170,
                "status": "done",
                "spans": [
                    {"id": 1, "start": 0, "end": 3, "label": "PERSON"},
                    {"id": 2, "start": 13, "end": 17, "label": "CUE"},
                ],
            },
            {
                "annotator": "名前",
                "status": "in_progress",
                "spans": [{"id": 1, "start": 5, "end": 11, "label": "ORG"}],
            },
        ],
    }
]


def test_a_project_with_odd_names_moves_sqlite_postgresql_sqlite_unchanged(
    tmp_path, postgres
) -> None:
    first = open_services(f"sqlite:///{tmp_path / 'one.db'}")
    name = "Proj «ö» 😀 " + "p" * 180
    first.projects.create(name, "news")
    first.importer.import_paths(name, [_jsonl(tmp_path / "odd.jsonl", ODD)])
    out1 = tmp_path / "one.jsonl"
    first.exporter.export(name, "jsonl", out1, ExportOptions(statuses=ANY_STATUS))
    first.close()

    middle = open_services(postgres.new_database())
    middle.projects.create(name, "news")
    middle.importer.import_paths(name, [out1], format_name="jsonl")
    out2 = tmp_path / "two.jsonl"
    middle.exporter.export(name, "jsonl", out2, ExportOptions(statuses=ANY_STATUS))
    middle.close()

    last = open_services(f"sqlite:///{tmp_path / 'three.db'}")
    last.projects.create(name, "news")
    last.importer.import_paths(name, [out2], format_name="jsonl")
    out3 = tmp_path / "three.jsonl"
    last.exporter.export(name, "jsonl", out3, ExportOptions(statuses=ANY_STATUS))
    last.close()

    def records(path: Path) -> list[dict]:
        # Not splitlines(): a line separator (U+2028) inside a string is no end of a record.
        return [json.loads(line) for line in path.read_text("utf-8").split("\n") if line]

    assert records(out1) == records(out2) == records(out3)
    (record,) = records(out3)
    assert record["text"] == ODD[0]["text"]
    assert {a["annotator"] for a in record["annotations"]} == {
        a["annotator"] for a in ODD[0]["annotations"]
    }


def test_an_import_longer_than_a_batch_still_finds_duplicates_and_stores_all_or_nothing(
    env, tmp_path, monkeypatch
) -> None:
    db, project, _doc_id, _url = env
    monkeypatch.setattr("labeler.services.import_run._FLUSH", 2)  # batches of two records
    spans = [{"start": 0, "end": 3, "label": "PERSON"}]
    records = [
        {
            "text": "Ana said one.",
            "title": "One",
            "annotations": [{"annotator": "ana", "spans": spans}],
        },
        {"text": "Bo said two."},
        {"text": "Cy said three."},
        # The first text again, two batches later: bo's set joins the stored document.
        {"text": "Ana said one.", "annotations": [{"annotator": "bo", "spans": spans}]},
        # ... and ana's again is refused, as she has a set there already.
        {"text": "Ana said one.", "annotations": [{"annotator": "ana", "spans": spans}]},
    ]
    report = ImportService(db).import_paths("News", [_jsonl(tmp_path / "a.jsonl", records)])
    assert report.imported == 3
    assert len(report.duplicates) == 2
    assert "the annotations by bo were added to it" in report.duplicates[0]
    assert "by ana not imported" in report.duplicates[1]
    first = next(r.id for r in DocumentService(db).summaries(project) if r.title == "One")
    assert {s.annotator for s in DocumentService(db).annotation_sets(project, first)} == {
        "ana",
        "bo",
    }
    # A bad record in the fourth batch: nothing of the earlier batches stays.
    bad = [{"text": f"Text number {n}."} for n in range(7)] + [{"text": 5}]
    with pytest.raises(InputError, match=r"b\.jsonl:8"):
        ImportService(db).import_paths("News", [_jsonl(tmp_path / "b.jsonl", bad)])
    assert DocumentService(db).count(project) == 4
