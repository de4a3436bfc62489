"""Reading documents for lists and views: counts, queries, summaries, one document's text."""

from __future__ import annotations

from collections.abc import Sequence

from labeler.domain.annotation import AnnotationSet
from labeler.domain.document import Document, DocumentQuery, DocumentSummary
from labeler.domain.project import Project
from labeler.storage.database import Database


class DocumentService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def count(self, project: Project) -> int:
        with self._db.reading() as store:
            return store.documents.count(project.id)

    def summaries(
        self, project: Project, offset: int = 0, limit: int | None = None
    ) -> list[DocumentSummary]:
        with self._db.reading() as store:
            return store.documents.summaries(project.id, offset, limit)

    def ids(self, project: Project, query: DocumentQuery) -> list[int]:
        """Ids of the project's documents that match `query`, in display order."""
        with self._db.reading() as store:
            return store.documents.query_ids(project.id, query)

    def summaries_for_ids(
        self, ids: Sequence[int], annotator: str | None = None
    ) -> list[DocumentSummary]:
        """List rows for these ids, in the same order.

        Status and span counts are `annotator`'s (todo and none where they have no annotation
        set), or the overall ones when no annotator is given.
        """
        with self._db.reading() as store:
            return store.documents.summaries_for_ids(ids, annotator)

    def statuses_by_annotator(self, ids: Sequence[int]) -> dict[int, dict[str, str]]:
        """Each annotator's status on each of these documents (only those with a set), by
        document id, annotators in alphabetical order."""
        found: dict[int, dict[str, str]] = {}
        with self._db.reading() as store:
            on = store.annotations.annotators_on(ids)
            for name in sorted({n for names in on.values() for n in names}):
                theirs = [i for i in ids if name in on.get(i, ())]
                for row in store.documents.summaries_for_ids(theirs, name):
                    found.setdefault(row.id, {})[name] = row.status
        return found

    def get(self, document_id: int) -> Document:
        with self._db.reading() as store:
            return store.documents.get(document_id)

    def annotation_sets(self, project: Project, document_id: int) -> list[AnnotationSet]:
        with self._db.reading() as store:
            sets = store.annotations.sets_for([document_id], project.schema)
        return sets.get(document_id, [])
