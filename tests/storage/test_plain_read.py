"""The plain reader on a session's connection: the driver's errors come as SQLAlchemy's (the
services turn those into refusals and 'damaged' messages), and values come alike from both
engines' drivers (JSON as text or decoded, dates as text or dates)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import FrozenInstanceError
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError, ProgrammingError

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status
from labeler.domain.annotation import make_span as span_of
from labeler.domain.document import Document
from labeler.domain.schema_toml import parse_schema
from labeler.storage.annotation_repository import NewSet
from labeler.storage.database import Database
from labeler.storage.plain_read import (
    Connection,
    PlainReader,
    documents_of,
    load_json,
    spans_by_set,
)
from labeler.storage.session_read import reader_of


def test_a_driver_error_comes_as_sqlalchemys(migrated_db: Database) -> None:
    with pytest.raises((OperationalError, ProgrammingError)), migrated_db.reading() as store:
        reader_of(store.session).rows("SELECT nope FROM project")


def test_documents_read_alike_from_either_driver(migrated_db: Database, news_toml: str) -> None:
    with migrated_db.transaction() as store:
        project = store.projects.create("News", news_toml)
        store.documents.add_many(
            project.id,
            [
                Document("First text.", "One", date(2026, 3, 14), {"desk": "Business", "n": 2}),
                Document("Second text.", "Two"),
            ],
        )
    with migrated_db.reading() as store:
        reader = reader_of(store.session)
        assert reader.project("News").name == "News"
        assert reader.document_count(project.id) == 2
        [batch] = list(reader.documents(project.id))
    assert [(d.title, d.date, d.meta) for d in batch] == [
        ("One", date(2026, 3, 14), {"desk": "Business", "n": 2}),
        ("Two", None, {}),
    ]
    made = [Document("First text.", "One", date(2026, 3, 14), {"desk": "Business", "n": 2})]
    made.append(Document("Second text.", "Two"))
    assert [(d.text, d.digest, d.id is not None) for d in batch] == [
        (d.text, d.digest, True) for d in made
    ]


def test_documents_read_are_the_documents_document_makes() -> None:
    long_title = "A title " * 200
    rows = [
        (4, "Zoë", "2026-03-14", "Text one.", '{"desk": "Bü"}', "d1"),
        (5, long_title, None, "Text two.", "{}", "d2"),
    ]
    first, second = documents_of(rows)
    made = Document("Text one.", "Zoë", date(2026, 3, 14), {"desk": "Bü"}, id=4)
    assert first == made
    assert second == Document("Text two.", long_title, id=5)  # the title cut as Document cuts it
    assert second.title != long_title
    assert (first.digest, second.digest) == ("d1", "d2")  # as stored, not hashed again
    with pytest.raises(FrozenInstanceError):
        first.text = "changed"  # type: ignore[misc]
    assert repr(first) == repr(made)


def test_json_values_as_text_or_decoded() -> None:
    assert load_json('{"a": [1]}') == {"a": [1]} == load_json({"a": [1]})
    assert load_json("{}") == {} == load_json(None)


def test_spans_read_are_the_spans_span_makes() -> None:
    rows = [
        (7, 1, "entity", "PERSON", 0, 8, "Ada Lind", "{}", ""),
        (7, 2, "claim", "CLAIM", 3, 20, "Lind said so", '{"checkworthy": "yes"}', "sure?"),
        (8, 3, "entity", "GPE", 5, 9, "Oslo", "{}", ""),
    ]
    found = spans_by_set(rows)
    assert found == {
        7: {
            1: Span(0, 8, "PERSON", "entity", "Ada Lind", {}, 1, ""),
            2: Span(3, 20, "CLAIM", "claim", "Lind said so", {"checkworthy": "yes"}, 2, "sure?"),
        },
        8: {3: Span(5, 9, "GPE", "entity", "Oslo", {}, 3, "")},
    }
    span = found[8][3]
    with pytest.raises(FrozenInstanceError):
        span.start = 1  # type: ignore[misc]
    assert repr(span) == repr(Span(5, 9, "GPE", "entity", "Oslo", {}, 3, ""))


def test_spans_read_alike_as_json_groups_or_rows(migrated_db: Database, news_toml: str) -> None:
    schema = parse_schema(news_toml)
    doc = Document('Ana 😀 said "Ørsted"\\ hired\n\t12 people.\x01', "T")
    work = AnnotationSet(schema, "ana")
    source = work.add_span(span_of(doc.text, 0, 3, "SOURCE", schema))
    cue = work.add_span(span_of(doc.text, 6, 10, "CUE", schema, {"type": "assertion"}))
    work.add_span(span_of(doc.text, 11, 30, "ORG", schema, note='sure? "no"\n😀'))
    work.add_relation(Relation("source", cue.id, source.id))  # type: ignore[arg-type]
    with migrated_db.transaction() as store:
        project = store.projects.create("P", news_toml)
        [doc_id] = store.documents.add_many(project.id, [doc])
        ids = store.annotations.annotator_ids(["ana", "ben"])
        store.annotations.add_sets(
            [
                NewSet(
                    doc_id,
                    ids["ana"],
                    Status.DONE,
                    [*work.spans.values()],
                    [*work.relations.values()],
                ),
                NewSet(doc_id, ids["ben"], Status.TODO, [], []),
            ]
        )
    with migrated_db.reading() as store:
        grouped = reader_of(store.session)
        connection = store.session.connection()
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        rows = PlainReader(connection.connection, mark, json_groups=False)
        without_json = PlainReader(_WithoutJson(connection.connection), mark)
        found = grouped.sets_for([doc_id], schema)[doc_id]
        assert found == rows.sets_for([doc_id], schema)[doc_id]
        assert found == without_json.sets_for([doc_id], schema)[doc_id]  # rows read instead
    ana, ben = found

    def content(spans: Iterable[Span]) -> list[tuple[object, ...]]:
        return sorted((s.start, s.end, s.label, s.text, s.attributes, s.note) for s in spans)

    assert content(ana.spans.values()) == content(work.spans.values())
    assert len(ana.relations) == 1
    assert ben.spans == {}


class _WithoutJson:
    """A connection to a SQLite built without its JSON functions."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def cursor(self) -> Any:
        cursor = self._connection.cursor()
        execute = cursor.execute

        def refusing(sql: str, params: Any) -> Any:
            if "json_group_array" in sql:
                raise sqlite3.OperationalError("no such function: json_group_array")
            return execute(sql, params)

        return SimpleNamespace(execute=refusing, fetchall=cursor.fetchall, close=cursor.close)


def test_documents_from_an_id_and_before_another(migrated_db: Database, news_toml: str) -> None:
    with migrated_db.transaction() as store:
        project = store.projects.create("News", news_toml)
        store.documents.add_many(project.id, [Document(f"Text {n}.", f"T{n}") for n in range(7)])
    with migrated_db.reading() as store:
        reader = reader_of(store.session)
        ids = [d.id for batch in reader.documents(project.id) for d in batch]
        middle = reader.document_at(project.id, 3)
        assert middle == ids[3] and reader.document_at(project.id, 7) is None
        first = [d.id for b in reader.documents(project.id, batch=2, stop=middle) for d in b]
        second = [d.id for b in reader.documents(project.id, batch=2, start=middle) for d in b]
    assert (first, second) == (ids[:3], ids[3:])
