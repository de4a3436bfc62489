"""Documents: bulk insert, duplicate look-up, paged summaries for the list, reads for export."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, func, select, type_coerce
from sqlmodel import Session

from labeler.domain.annotation import Status
from labeler.domain.document import Document, DocumentSummary
from labeler.domain.errors import NotFoundError
from labeler.domain.project import overall_status
from labeler.storage.bulk import BulkInsert, load_json, reserve_ids
from labeler.storage.tables import AnnotationSetRow, DocumentRow, SpanRow

_CHUNK = 500  # ids per IN (...) list: well under every engine's parameter limit


def chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _document(row: Any) -> Document:
    return Document(text=row.text, title=row.title, date=row.date, meta=row.meta or {}, id=row.id)


class DocumentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_many(self, project_id: int, documents: Sequence[Document]) -> list[int]:
        """Inserts documents in one statement batch; returns their ids in the same order."""
        if not documents:
            return []
        table = DocumentRow.__table__  # type: ignore[attr-defined]
        insert = BulkInsert(
            self._session,
            table,
            ("id", "project_id", "title", "date", "text", "digest", "meta", "created_at"),
        )
        now = insert.process(7, datetime.now(UTC))
        meta = insert.json(6)
        day = functools.partial(insert.process, 3)
        ids = reserve_ids(self._session, table, len(documents))
        insert.run(
            (doc_id, project_id, d.title, day(d.date), d.text, d.digest, meta(d.meta), now)
            for doc_id, d in zip(ids, documents, strict=True)
        )
        return ids

    def find_digests(self, project_id: int, digests: Iterable[str]) -> dict[str, tuple[int, str]]:
        """Which of these text digests the project already holds: digest -> (id, title)."""
        found: dict[str, tuple[int, str]] = {}
        wanted = list(set(digests))
        for part in chunks(wanted):
            rows = self._session.execute(
                select(DocumentRow.digest, DocumentRow.id, DocumentRow.title).where(
                    DocumentRow.project_id == project_id, DocumentRow.digest.in_(part)
                )
            )
            for digest, doc_id, title in rows:
                found[digest] = (doc_id, title)
        return found

    def get(self, document_id: int) -> Document:
        row = self._session.get(DocumentRow, document_id)
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        return _document(row)

    def count(self, project_id: int) -> int:
        return (
            self._session.scalar(
                select(func.count())
                .select_from(DocumentRow)
                .where(DocumentRow.project_id == project_id)
            )
            or 0
        )

    def ids(self, project_id: int) -> list[int]:
        return list(
            self._session.scalars(
                select(DocumentRow.id)
                .where(DocumentRow.project_id == project_id)
                .order_by(DocumentRow.id)
            )
        )

    def summaries(
        self, project_id: int, offset: int = 0, limit: int | None = None
    ) -> list[DocumentSummary]:
        """Rows of the document list, in import order, without loading any text."""
        query = (
            select(DocumentRow.id, DocumentRow.title, DocumentRow.date)
            .where(DocumentRow.project_id == project_id)
            .order_by(DocumentRow.id)
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        heads = self._session.execute(query).all()
        return self.summaries_for(heads)

    def summaries_for(self, heads: Sequence[Any]) -> list[DocumentSummary]:
        ids = [h.id for h in heads]
        statuses: dict[int, list[Status]] = {}
        counts: dict[int, dict[str, int]] = {}
        for part in chunks(ids):
            for doc_id, status in self._session.execute(
                select(AnnotationSetRow.document_id, AnnotationSetRow.status).where(
                    AnnotationSetRow.document_id.in_(part)
                )
            ):
                statuses.setdefault(doc_id, []).append(Status(status))
            for doc_id, layer, n in self._session.execute(
                select(AnnotationSetRow.document_id, SpanRow.layer, func.count())
                .join(SpanRow, SpanRow.set_id == AnnotationSetRow.id)
                .where(AnnotationSetRow.document_id.in_(part))
                .group_by(AnnotationSetRow.document_id, SpanRow.layer)
            ):
                counts.setdefault(doc_id, {})[layer] = n
        return [
            DocumentSummary(
                id=h.id,
                title=h.title,
                date=h.date,
                status=overall_status(statuses.get(h.id, [])).value,
                span_counts=counts.get(h.id, {}),
            )
            for h in heads
        ]

    def iter_documents(self, project_id: int, batch: int = 500) -> Iterator[list[Document]]:
        """All documents of a project, in import order, a batch at a time."""
        last = 0
        while True:
            rows = (
                self._session.connection()
                .execute(
                    select(
                        DocumentRow.id,
                        DocumentRow.title,
                        DocumentRow.date,
                        DocumentRow.text,
                        type_coerce(DocumentRow.meta, String),
                    )
                    .where(DocumentRow.project_id == project_id, DocumentRow.id > last)
                    .order_by(DocumentRow.id)
                    .limit(batch)
                )
                .all()
            )
            if not rows:
                return
            yield [
                Document(text=text, title=title, date=day, meta=load_json(meta), id=doc_id)
                for doc_id, title, day, text, meta in rows
            ]
            last = rows[-1][0]
