"""Full-text search on both engines: the index migration 0005_search makes and keeps current."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from labeler.domain.document import Document
from labeler.domain.errors import RuleError
from labeler.domain.search import SearchQuery
from labeler.services.searching import SearchService
from labeler.storage.migrate import alembic_config

ARTICLES = [
    Document("The flood aid reached Bergen on Monday.", "Storm in the north"),
    Document("Aid for the flood came late, said 😀 the mayor.", "Late help"),
    Document("Élan and ÉLAN: the flood-aid budget rose.", "Budget"),
    Document("Nothing to see here.", "Flood warning lifted"),
]


def _ids(result) -> list[int]:
    return [hit.document_id for hit in result.hits]


def test_words_phrases_titles_and_places(open_db, news_toml: str) -> None:
    db = open_db()
    db.open()
    with db.transaction() as store:
        project = store.projects.create("P", news_toml)
        other = store.projects.create("Other", news_toml)
        ids = store.documents.add_many(project.id, ARTICLES)
        store.documents.add_many(other.id, [Document("flood aid elsewhere", "x")])
    search = SearchService(db)

    words = search.search(project, "AID flood")
    assert _ids(words) == ids[:3]  # every word, any order, any case; not the other project
    first = words.hits[0]
    assert [ARTICLES[0].text[a:b] for a, b in first.places] == ["flood", "aid"]

    phrase = search.search(project, '"flood aid"')
    assert _ids(phrase) == [ids[0], ids[2]]  # "flood-aid": punctuation between words counts not
    text2 = ARTICLES[2].text
    assert [text2[a:b] for a, b in phrase.hits[1].places] == ["flood-aid"]
    emoji = search.search(project, "mayor")
    [(start, end)] = emoji.hits[0].places
    assert ARTICLES[1].text[start:end] == "mayor"  # code points, after the emoji

    title_only = search.search(project, "warning")
    assert _ids(title_only) == [ids[3]]
    assert title_only.hits[0].places == ()

    assert [ARTICLES[2].text[a:b] for a, b in search.search(project, "élan").hits[0].places] == [
        "Élan",
        "ÉLAN",
    ]
    assert _ids(search.search(project, "zebra")) == []


def test_limit_and_paging(open_db, news_toml: str) -> None:
    db = open_db()
    db.open()
    with db.transaction() as store:
        project = store.projects.create("P", news_toml)
        ids = store.documents.add_many(
            project.id, [Document(f"budget line {n}", f"n{n}") for n in range(7)]
        )
    search = SearchService(db)
    page = search.search(project, "budget", limit=3)
    assert (_ids(page), page.more) == (ids[:3], True)
    rest = search.search(project, "budget", limit=10, after=ids[2])
    assert (_ids(rest), rest.more) == (ids[3:], False)


def test_documents_stored_before_the_migration_are_found(db_url: str, open_db) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0003")
        conn.execute(
            text(
                "INSERT INTO project (id, name, schema_toml, created_at) "
                "VALUES (1, 'Old', :toml, '2026-01-01 00:00:00')"
            ),
            {"toml": '[schema]\nname = "x"\n[layers.a.labels.A]\ncolor = "#aabbcc"\n'},
        )
        conn.execute(
            text(
                "INSERT INTO document (id, project_id, title, text, digest, meta, created_at) "
                "VALUES (5, 1, 'Old news', 'The harbour strike ended.', 'd5', '{}', "
                "'2026-01-01 00:00:00')"
            )
        )
    engine.dispose()
    db = open_db()
    db.open()
    project = db_project(db, "Old")
    assert _ids(SearchService(db).search(project, "harbour strike")) == [5]


def db_project(db, name: str):
    with db.reading() as store:
        return store.projects.get(name)


def test_a_query_without_words_is_refused() -> None:
    with pytest.raises(RuleError, match="at least one word"):
        SearchQuery.parse(' "" -- ')
    assert SearchQuery.parse('"Flood  Aid"') == SearchQuery(("flood", "aid"), phrase=True)
    assert SearchQuery.parse('"flood"').phrase is False
