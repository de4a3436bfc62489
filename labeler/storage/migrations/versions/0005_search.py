"""Full-text search over documents: the database's own index, kept current by triggers.

SQLite: an FTS5 table `document_fts` over the title and text of `document` (an external-content
table: it holds the index only, not a second copy of the text), with triggers on insert, delete
and a change of title. PostgreSQL: a table `document_search` with each document's `tsvector`
(the 'simple' configuration: words lower-cased, no stemming, any language) under a GIN index,
filled by a trigger on insert and on a change of title; a document's row goes with it. Both
are filled for the documents already stored.

PostgreSQL indexes the first 250,000 characters of a text (a tsvector holds at most 1 MB), and
records word positions up to 16,383; phrases further in are found by their words alone.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

PG_INDEXED_CHARS = 250_000

_SQLITE_UP = [
    "CREATE VIRTUAL TABLE document_fts USING fts5("
    "title, text, content='document', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "INSERT INTO document_fts (document_fts) VALUES ('rebuild')",
    "CREATE TRIGGER document_fts_insert AFTER INSERT ON document BEGIN "
    "INSERT INTO document_fts (rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER document_fts_delete AFTER DELETE ON document BEGIN "
    "INSERT INTO document_fts (document_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER document_fts_update AFTER UPDATE OF title, text ON document BEGIN "
    "INSERT INTO document_fts (document_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO document_fts (rowid, title, text) VALUES (new.id, new.title, new.text); END",
]
_SQLITE_DOWN = [
    "DROP TRIGGER document_fts_update",
    "DROP TRIGGER document_fts_delete",
    "DROP TRIGGER document_fts_insert",
    "DROP TABLE document_fts",
]

_VECTOR = (
    "to_tsvector('simple', left(coalesce({row}.title, '') || ' ' || {row}.text, "
    f"{PG_INDEXED_CHARS}))"
)
_PG_UP = [
    "CREATE TABLE document_search ("
    "document_id integer PRIMARY KEY REFERENCES document (id) ON DELETE CASCADE, "
    "project_id integer NOT NULL, "
    "vector tsvector NOT NULL)",
    "INSERT INTO document_search (document_id, project_id, vector) "
    f"SELECT d.id, d.project_id, {_VECTOR.format(row='d')} FROM document d",
    "CREATE INDEX ix_document_search_vector ON document_search USING gin (vector)",
    "CREATE INDEX ix_document_search_project ON document_search (project_id, document_id)",
    "CREATE FUNCTION labeler_document_search() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO document_search (document_id, project_id, vector) "
    f"VALUES (NEW.id, NEW.project_id, {_VECTOR.format(row='NEW')}) "
    "ON CONFLICT (document_id) DO UPDATE SET vector = EXCLUDED.vector; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER document_search_write AFTER INSERT OR UPDATE OF title ON document "
    "FOR EACH ROW EXECUTE FUNCTION labeler_document_search()",
]
_PG_DOWN = [
    "DROP TRIGGER document_search_write ON document",
    "DROP FUNCTION labeler_document_search()",
    "DROP TABLE document_search",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _SQLITE_UP if sqlite else _PG_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _SQLITE_DOWN if sqlite else _PG_DOWN:
        op.execute(statement)
