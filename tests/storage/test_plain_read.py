"""The plain reader on a session's connection: the driver's errors come as SQLAlchemy's (the
services turn those into refusals and 'damaged' messages), and values come alike from both
engines' drivers (JSON as text or decoded, dates as text or dates)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import OperationalError, ProgrammingError

from labeler.domain.document import Document
from labeler.storage.database import Database
from labeler.storage.plain_read import load_json
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


def test_json_values_as_text_or_decoded() -> None:
    assert load_json('{"a": [1]}') == {"a": [1]} == load_json({"a": [1]})
    assert load_json("{}") == {} == load_json(None)
