"""Full-text search over a project's documents with the database's own index.

SQLite answers from the FTS5 table `document_fts`, PostgreSQL from `document_search` and its
GIN index (both made and kept current by migration 0005_search). Either finds the documents
that hold every word, or the phrase; the places within a text are found by the caller.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from labeler.domain.search import SearchQuery

# The objects migration 0005_search makes outside SQLModel's tables; schema comparisons skip them.
SEARCH_TABLES = ("document_fts", "document_search")


def is_search_table(name: str | None) -> bool:
    """A table of the full-text index (FTS5 keeps its own tables, named after the index)."""
    return name is not None and name.startswith(SEARCH_TABLES)


def outside_search_index(name: str | None, kind: str, parents: object) -> bool:
    """Alembic's `include_name`: leaves the full-text index out of schema comparisons."""
    del parents
    return not (kind == "table" and is_search_table(name))


def _fts5_query(query: SearchQuery) -> str:
    # Words are letters and digits only, so quoting each keeps FTS5's operators out of them.
    if query.phrase:
        return '"' + " ".join(query.words) + '"'
    return " ".join(f'"{w}"' for w in query.words)


class SearchRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _sqlite(self) -> bool:
        return self._session.get_bind().dialect.name == "sqlite"

    def matching(
        self, project_id: int, query: SearchQuery, limit: int, after: int = 0
    ) -> list[tuple[int, str]]:
        """(id, title) of up to `limit` matching documents with ids above `after`, by id."""
        if self._sqlite():
            # CROSS JOIN keeps FTS5 in the lead: it walks its matches in id order and stops at
            # the limit, instead of SQLite probing the index once for each of the project's rows.
            statement = text(
                "SELECT d.id, d.title FROM document_fts AS f CROSS JOIN document AS d "
                "ON d.id = f.rowid WHERE document_fts MATCH :match AND f.rowid > :after "
                "AND d.project_id = :project ORDER BY f.rowid LIMIT :limit"
            )
            params: dict[str, object] = {"match": _fts5_query(query)}
        else:
            make = "phraseto_tsquery" if query.phrase else "plainto_tsquery"
            statement = text(
                "SELECT d.id, d.title FROM document_search AS s JOIN document AS d "
                "ON d.id = s.document_id WHERE s.project_id = :project AND "
                f"s.vector @@ {make}('simple', :words) AND s.document_id > :after "
                "ORDER BY s.document_id LIMIT :limit"
            )
            params = {"words": " ".join(query.words)}
        params.update(project=project_id, after=after, limit=limit)
        return [(row[0], row[1]) for row in self._session.execute(statement, params)]

    def texts(self, ids: list[int]) -> dict[int, str]:
        """The texts of these documents, by id."""
        if not ids:
            return {}
        marks = ", ".join(f":i{n}" for n in range(len(ids)))
        rows = self._session.execute(
            text(f"SELECT id, text FROM document WHERE id IN ({marks})"),
            {f"i{n}": i for n, i in enumerate(ids)},
        )
        return {row[0]: row[1] for row in rows}
