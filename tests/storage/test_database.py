"""The database on both engines: migrations, immutability, refusing newer or foreign databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from labeler.domain.annotation import AnnotationSet, Relation, Status
from labeler.domain.annotation import make_span as span_of
from labeler.domain.document import Document
from labeler.domain.errors import LabelerError
from labeler.domain.schema_toml import parse_schema
from labeler.storage.annotation_repository import NewSet
from labeler.storage.database import Database
from labeler.storage.migrate import DatabaseVersionError, alembic_config, head_revision
from labeler.storage.search_repository import outside_search_index


def test_new_database_is_created_at_head_and_matches_the_tables(open_db) -> None:
    db = open_db()
    outcome = db.open()
    assert outcome.created
    assert outcome.to_revision == head_revision()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": outside_search_index})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"migrations and SQLModel tables disagree: {diff}"
    again = open_db().open()
    assert not again.created
    assert again.from_revision == head_revision()


def test_older_database_is_upgraded_with_its_data(db_url: str, open_db) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        config = alembic_config(conn)
        command.upgrade(config, "0001")
        conn.execute(
            text(
                "INSERT INTO project (id, name, schema_toml, created_at) "
                "VALUES (1, 'Old', :toml, '2026-01-01 00:00:00')"
            ),
            {"toml": '[schema]\nname = "x"\n[layers.a.labels.A]\ncolor = "#aabbcc"\n'},
        )
    engine.dispose()
    db = open_db()
    outcome = db.open()
    assert (outcome.created, outcome.from_revision, outcome.to_revision) == (
        False,
        "0001",
        head_revision(),
    )
    with db.transaction() as store:
        assert [p.name for p in store.projects.summaries()] == ["Old"]


def test_newer_database_is_refused_with_a_clear_message(db_url: str, open_db) -> None:
    open_db().open()
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DatabaseVersionError, match=r"newer version of labeler .*9999"):
        open_db().open()


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER)"))
    engine.dispose()
    with pytest.raises(DatabaseVersionError, match="not a labeler database"):
        Database(str(path)).open()


def test_document_text_cannot_change(open_db, news_toml: str) -> None:
    db = open_db()
    db.open()
    with db.transaction() as store:
        project = store.projects.create("P", news_toml)
        [doc_id] = store.documents.add_many(project.id, [Document("Original text.", "T")])
    with pytest.raises(DBAPIError, match="immutable"), db.engine.begin() as conn:
        conn.execute(text("UPDATE document SET text = 'Changed' WHERE id = :i"), {"i": doc_id})
    with db.engine.begin() as conn:  # other columns may change
        conn.execute(text("UPDATE document SET title = 'New' WHERE id = :i"), {"i": doc_id})
    with db.transaction() as store:
        assert store.documents.get(doc_id).text == "Original text."


def test_round_trip_of_documents_and_annotation_sets(open_db, news_toml: str) -> None:
    schema = parse_schema(news_toml)
    db = open_db()
    db.open()
    doc = Document("Ana 😀 said Ørsted hired 12 people.", "Title 𝔘", date(2026, 3, 1), {"url": "u"})
    work = AnnotationSet(schema, "ana")
    source = work.add_span(span_of(doc.text, 0, 3, "SOURCE", schema))
    cue = work.add_span(span_of(doc.text, 6, 10, "CUE", schema, {"type": "assertion"}))
    work.add_span(span_of(doc.text, 11, 17, "ORG", schema))
    work.add_relation(Relation("source", cue.id, source.id))  # type: ignore[arg-type]
    with db.transaction() as store:
        project = store.projects.create("P", news_toml)
        [doc_id] = store.documents.add_many(project.id, [doc])
        ids = store.annotations.annotator_ids(["ana", "ben"])
        store.annotations.add_sets(
            [
                NewSet(
                    doc_id,
                    ids["ana"],
                    Status.IN_PROGRESS,
                    list(work.spans.values()),
                    list(work.relations.values()),
                ),
                NewSet(doc_id, ids["ben"], Status.DONE, [], []),
            ]
        )
    with db.transaction() as store:
        stored = store.documents.get(doc_id)
        assert (stored.text, stored.title, stored.date, stored.meta) == (
            doc.text,
            doc.title,
            doc.date,
            doc.meta,
        )
        sets = store.annotations.sets_for([doc_id], schema)[doc_id]
        [summary] = store.documents.summaries(project.id)
    assert [s.annotator for s in sets] == ["ana", "ben"]
    ana = sets[0]
    assert ana.status is Status.IN_PROGRESS
    assert sorted((s.start, s.end, s.label, s.text, s.attributes) for s in ana.spans.values()) == [
        (0, 3, "SOURCE", "Ana", {}),
        (6, 10, "CUE", "said", {"type": "assertion"}),
        (11, 17, "ORG", "Ørsted", {}),
    ]
    [rel] = ana.relations.values()
    assert (ana.spans[rel.head].label, rel.type, ana.spans[rel.tail].label) == (
        "CUE",
        "source",
        "SOURCE",
    )
    assert summary.status == "in_progress"
    assert summary.span_counts == {"attribution": 2, "entity": 1}


def test_duplicate_project_names_and_digests(open_db, news_toml: str) -> None:
    db = open_db()
    db.open()
    with db.transaction() as store:
        project = store.projects.create("P", news_toml)
        [doc_id] = store.documents.add_many(project.id, [Document("Same text.", "A")])
    with pytest.raises(LabelerError, match="already exists"), db.transaction() as store:
        store.projects.create("P", news_toml)
    with db.transaction() as store:
        found = store.documents.find_digests(project.id, [Document("Same text.").digest, "x"])
    assert found == {Document("Same text.").digest: (doc_id, "A")}


def test_unreachable_server_is_one_clear_error() -> None:
    db = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(LabelerError, match="cannot open database"):
        db.open()


def test_a_long_read_does_not_block_a_writer(tmp_path, news_toml: str) -> None:
    """An export reads for minutes; imports and saves must not wait for it (SQLite, WAL)."""
    import threading
    import time

    from labeler.domain.document import Document

    db = Database(str(tmp_path / "locks.db"))
    db.open()
    try:
        with db.transaction() as store:
            project = store.projects.create("P", news_toml)
        reading = threading.Event()
        done = threading.Event()

        def long_read() -> None:
            with db.reading() as store:
                store.documents.count(project.id)
                reading.set()
                done.wait(5)

        reader = threading.Thread(target=long_read)
        reader.start()
        assert reading.wait(5)
        started = time.perf_counter()
        with db.transaction() as store:
            store.documents.add_many(project.id, [Document("A text written meanwhile.")])
        waited = time.perf_counter() - started
        done.set()
        reader.join()
        assert waited < 2, f"the writer waited {waited:.1f} s for a reader"
        with db.reading() as store:
            assert store.documents.count(project.id) == 1
    finally:
        db.close()


def test_a_text_file_named_as_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list\nmilk\n", encoding="utf-8")
    db = Database(str(path))
    with pytest.raises(LabelerError, match=r"notes\.db: it is not a database or it is damaged"):
        db.open()
    db.close()
    assert path.read_text(encoding="utf-8") == "shopping list\nmilk\n"


def test_a_truncated_database_is_refused(tmp_path: Path, news_toml: str) -> None:
    path = tmp_path / "cut.db"
    db = Database(str(path))
    db.open()
    with db.transaction() as store:
        project = store.projects.create("News", news_toml)
        store.documents.add_many(project.id, [Document(f"Article {n}. " * 400) for n in range(40)])
    db.close()
    path.write_bytes(path.read_bytes()[:5000])
    for name in ("cut.db-wal", "cut.db-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    again = Database(str(path))
    with pytest.raises(LabelerError, match=r"cut\.db: it is not a database or it is damaged"):
        again.open()
    again.close()


def _is_closed(dbapi_connection: Any) -> bool:
    try:
        dbapi_connection.cursor().execute("SELECT 1")
    except Exception:  # sqlite3 and psycopg each raise their own error on a closed connection
        return True
    return False


def test_no_connection_outlives_close(migrated_db: Database) -> None:
    """A read still at work when the database closes (a window's worker thread), and a read
    after it, give back connections that are closed then, not kept in a pool nobody closes
    (the collector would find them open)."""
    with migrated_db.reading() as store:
        busy = store.session.connection().connection.dbapi_connection
        migrated_db.close()
        assert not _is_closed(busy)  # the read goes on
    with migrated_db.reading() as store:
        late = store.session.connection().connection.dbapi_connection
        assert store.projects.names() == []
    assert _is_closed(busy)
    assert _is_closed(late)
