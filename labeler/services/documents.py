"""Reading documents for lists and views: counts, pages of summaries, one document's text."""

from __future__ import annotations

from labeler.domain.annotation import AnnotationSet
from labeler.domain.document import Document, DocumentSummary
from labeler.domain.project import Project
from labeler.storage.database import Database


class DocumentService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def count(self, project: Project) -> int:
        with self._db.reading() as store:
            return store.documents.count(project.id)  # type: ignore[arg-type]

    def summaries(
        self, project: Project, offset: int = 0, limit: int | None = None
    ) -> list[DocumentSummary]:
        with self._db.reading() as store:
            return store.documents.summaries(project.id, offset, limit)  # type: ignore[arg-type]

    def get(self, document_id: int) -> Document:
        with self._db.reading() as store:
            return store.documents.get(document_id)

    def annotation_sets(self, project: Project, document_id: int) -> list[AnnotationSet]:
        with self._db.reading() as store:
            sets = store.annotations.sets_for([document_id], project.schema)
        return sets.get(document_id, [])
