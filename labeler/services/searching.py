"""Searching a project's documents for words or a phrase, and the places they are found."""

from __future__ import annotations

from labeler.domain.project import Project
from labeler.domain.search import SearchHit, SearchQuery, SearchResult, context, find_places
from labeler.storage.database import Database

MAX_HITS = 500


class SearchService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def search(
        self,
        project: Project,
        query: str | SearchQuery,
        limit: int = 100,
        after: int = 0,
        contexts_each: int = 20,
    ) -> SearchResult:
        """The first `limit` documents (by id, above `after`) holding the query, with its places
        and the words around the first `contexts_each` of them.

        A document may hold the words only in its title: it is a hit without places.
        RuleError when the query holds no word.
        """
        parsed = query if isinstance(query, SearchQuery) else SearchQuery.parse(query)
        limit = max(1, min(limit, MAX_HITS))
        with self._db.reading() as store:
            found = store.search.matching(project.id, parsed, limit + 1, after)
            shown = found[:limit]
            texts = store.search.texts([doc_id for doc_id, _ in shown])
        pattern = parsed.pattern()
        hits = []
        for doc_id, title in shown:
            text = texts.get(doc_id, "")
            places = tuple(m.span() for m in pattern.finditer(text))
            contexts = tuple(context(text, a, b) for a, b in places[:contexts_each])
            hits.append(SearchHit(doc_id, title, places, contexts))
        return SearchResult(parsed, tuple(hits), more=len(found) > limit)

    def places(self, document_text: str, query: str | SearchQuery) -> list[tuple[int, int]]:
        """Where in a document's text the query is found."""
        parsed = query if isinstance(query, SearchQuery) else SearchQuery.parse(query)
        return find_places(document_text, parsed)
