"""Documents: bulk insert, duplicate look-up, the list's queries and summaries, reads for export."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    SQLColumnExpression,
    and_,
    case,
    func,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from labeler.domain.annotation import Status
from labeler.domain.document import Document, DocumentQuery, DocumentSummary
from labeler.domain.errors import NotFoundError
from labeler.domain.project import overall_status
from labeler.storage import bulk_documents
from labeler.storage.bulk import driver_of, fetch_rows
from labeler.storage.plain_read import SharedDocuments, chunks
from labeler.storage.session_read import reader_of
from labeler.storage.status_pages import status_page
from labeler.storage.tables import (
    AnnotationSetRow,
    AnnotatorRow,
    AssignmentRow,
    DocumentRow,
    SpanRow,
)

# The list sorts statuses in the order work goes, not alphabetically.
_STATUS_RANK = {Status.TODO: 0, Status.IN_PROGRESS: 1, Status.DONE: 2, Status.SKIPPED: 3}
_CASEFOLD_CONTAINS = "labeler_casefold_contains"


def _casefold_contains(haystack: str | None, needle: str) -> bool:
    return haystack is not None and needle in haystack.casefold()


def _like_pattern(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _annotator_id(name: str) -> Any:
    return select(col(AnnotatorRow.id)).where(col(AnnotatorRow.name) == name).scalar_subquery()


def _sets_of_document(annotator: str | None) -> list[ColumnElement[bool]]:
    """The annotation sets a list row counts: the annotator's, or everyone's."""
    on = [col(AnnotationSetRow.document_id) == col(DocumentRow.id)]
    if annotator is not None:
        on.append(col(AnnotationSetRow.annotator_id) == _annotator_id(annotator))
    return on


def _status_rank(annotator: str | None) -> ColumnElement[int]:
    """Per document row: the rank of the annotator's status, or of the overall status."""
    return case(
        (_status_is(Status.TODO, annotator), _STATUS_RANK[Status.TODO]),
        (_status_is(Status.SKIPPED, annotator), _STATUS_RANK[Status.SKIPPED]),
        (_status_is(Status.DONE, annotator), _STATUS_RANK[Status.DONE]),
        else_=_STATUS_RANK[Status.IN_PROGRESS],
    )


def _having(statuses: Iterable[Status], annotator: str | None, negate: bool = False) -> Any:
    """The documents with a set (of `annotator`, or anyone's) in one of `statuses`: a
    subquery the database runs once, through the index on (status, document)."""
    values = [s.value for s in statuses]
    status = col(AnnotationSetRow.status)
    where = [status.not_in(values) if negate else status.in_(values)]
    if annotator is not None:
        where.append(col(AnnotationSetRow.annotator_id) == _annotator_id(annotator))
    return select(col(AnnotationSetRow.document_id)).where(*where)


def _status_is(status: Status, annotator: str | None) -> ColumnElement[bool]:
    """The documents whose status (the annotator's, or the overall one) is `status`.

    As `overall_status` decides (or the annotator's own set), written as membership in a few sets of
    document ids, each read once, rather than as a subquery run for every document: on a
    million documents that is the difference between seconds and a fraction of one.
    """
    doc = col(DocumentRow.id)
    todo, busy, done, skipped = Status.TODO, Status.IN_PROGRESS, Status.DONE, Status.SKIPPED
    if status == todo:  # no set, or only todo sets
        return doc.not_in(_having([todo], annotator, negate=True))
    if annotator is not None or (status == busy and annotator is not None):
        return doc.in_(_having([status], annotator))
    if status == skipped:  # sets, all skipped
        return and_(
            doc.in_(_having([skipped], None)), doc.not_in(_having([skipped], None, negate=True))
        )
    if status == done:  # a done set, and the others done or skipped
        return and_(doc.in_(_having([done], None)), doc.not_in(_having([todo, busy], None)))
    # in progress: a set in progress, or a todo set beside a set that is further on
    return or_(
        doc.in_(_having([busy], None)),
        and_(doc.in_(_having([todo], None)), doc.in_(_having([done, skipped], None))),
    )


def _span_total(annotator: str | None) -> ColumnElement[int]:
    """Per document row: how many spans the annotator's set (or all sets) holds."""
    return (
        select(func.count(col(SpanRow.id)))
        .join(AnnotationSetRow, col(AnnotationSetRow.id) == col(SpanRow.set_id))
        .where(*_sets_of_document(annotator))
        .correlate(DocumentRow)
        .scalar_subquery()
    )


def _active_total(annotator: str | None) -> ColumnElement[int]:
    """Per document row: the active seconds of the annotator's set (or of all sets)."""
    return (
        select(func.coalesce(func.sum(col(AnnotationSetRow.active_seconds)), 0))
        .where(*_sets_of_document(annotator))
        .correlate(DocumentRow)
        .scalar_subquery()
    )


def _document(row: Any) -> Document:
    return Document(text=row.text, title=row.title, date=row.date, meta=row.meta or {}, id=row.id)


class DocumentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_many(self, project_id: int, documents: Sequence[Document]) -> list[int]:
        """Inserts documents in one statement batch; returns their ids in the same order."""
        return bulk_documents.add_documents(driver_of(self._session), project_id, documents)

    def find_digests(self, project_id: int, digests: Iterable[str]) -> dict[str, tuple[int, str]]:
        """Which of these text digests the project already holds: digest -> (id, title)."""
        return bulk_documents.find_digests(driver_of(self._session), project_id, digests)

    def get(self, document_id: int) -> Document:
        row = self._session.get(DocumentRow, document_id)
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        return _document(row)

    def count(self, project_id: int) -> int:
        return reader_of(self._session).document_count(project_id)

    def ids(self, project_id: int) -> list[int]:
        return list(
            self._session.scalars(
                select(col(DocumentRow.id))
                .where(col(DocumentRow.project_id) == project_id)
                .order_by(col(DocumentRow.id))
            )
        )

    def summaries(
        self, project_id: int, offset: int = 0, limit: int | None = None
    ) -> list[DocumentSummary]:
        """Rows of the document list, in import order, without loading any text."""
        query = (
            select(col(DocumentRow.id), col(DocumentRow.title), col(DocumentRow.date))
            .where(col(DocumentRow.project_id) == project_id)
            .order_by(col(DocumentRow.id))
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        heads = self._session.execute(query).all()
        return self.summaries_for(heads)

    def _where(self, project_id: int, query: DocumentQuery) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = [col(DocumentRow.project_id) == project_id]
        needle = query.text.strip()
        if needle:
            where.append(self._text_matches(needle))
        if query.status is not None:
            where.append(_status_is(query.status, query.annotator))
        if query.assigned and query.annotator is not None:
            where.append(
                col(DocumentRow.id).in_(
                    select(col(AssignmentRow.document_id))
                    .join(AnnotatorRow, col(AnnotatorRow.id) == col(AssignmentRow.annotator_id))
                    .where(col(AnnotatorRow.name) == query.annotator)
                )
            )
        return where

    def count_matching(self, project_id: int, query: DocumentQuery) -> int:
        """How many of the project's documents match `query`."""
        statement = (
            select(func.count()).select_from(DocumentRow).where(*self._where(project_id, query))
        )
        return self._session.scalar(statement) or 0

    def query_ids(
        self, project_id: int, query: DocumentQuery, offset: int = 0, limit: int | None = None
    ) -> list[int]:
        """Ids of the project's documents that match `query`, in its order; `limit` of them
        from `offset` on, or all.

        Ties sort by id, ascending in both directions; undated documents come last in both.
        """
        key: SQLColumnExpression[Any] | None = None
        assigned_to: ColumnElement[Any] | None = None
        if query.assigned and query.annotator is not None:
            # A join on the annotator's assignments (indexed by annotator and position), not
            # a look-up per document: the list of a project of a million documents stays quick.
            assigned_to = (
                select(col(AnnotatorRow.id))
                .where(col(AnnotatorRow.name) == query.annotator)
                .scalar_subquery()
            )
            if query.sort == "id":
                key = col(AssignmentRow.position)
        if query.sort == "title":
            key = func.lower(col(DocumentRow.title))
        elif query.sort == "date":
            key = col(DocumentRow.date)
        elif query.sort == "status":
            key = _status_rank(query.annotator)
        elif query.sort == "spans":
            key = _span_total(query.annotator)
        elif query.sort == "time":
            key = _active_total(query.annotator)
        order: list[SQLColumnExpression[Any]]
        if key is None:
            order = [col(DocumentRow.id).desc() if query.descending else col(DocumentRow.id).asc()]
        else:
            ordered = key.desc() if query.descending else key.asc()
            if query.sort == "date":
                ordered = ordered.nulls_last()
            order = [ordered, col(DocumentRow.id)]
        statement = select(col(DocumentRow.id))
        if assigned_to is not None:
            statement = statement.join(
                AssignmentRow,
                (col(AssignmentRow.document_id) == col(DocumentRow.id))
                & (col(AssignmentRow.annotator_id) == assigned_to),
            )
        statement = statement.where(*self._where(project_id, query)).order_by(*order)
        if offset:
            statement = statement.offset(offset)
        if limit is not None:
            statement = statement.limit(limit)
        return [row[0] for row in fetch_rows(self._session, statement)]

    def status_page(
        self,
        project_id: int,
        status: Status,
        annotator: str | None,
        after: int | None,
        limit: int,
        descending: bool = False,
    ) -> list[int]:
        """A page of the documents of a status, by key (see status_pages)."""
        return status_page(self._session, project_id, status, annotator, after, limit, descending)

    def _text_matches(self, needle: str) -> ColumnElement[bool]:
        """Title or text holds `needle`, ignoring case."""
        columns = (col(DocumentRow.title), col(DocumentRow.text))
        pattern = _like_pattern(needle)
        if self._session.get_bind().dialect.name != "sqlite":
            # ILIKE folds case as the database's LC_CTYPE says (only ASCII under the C locale).
            return or_(*(c.ilike(pattern, escape="\\") for c in columns))
        if needle.isascii():
            # SQLite's LIKE ignores the case of ASCII letters, in C: the fast common case.
            return or_(*(c.like(pattern, escape="\\") for c in columns))
        # SQLite folds no other letters, so a needle such as "élan" is matched in Python.
        raw = self._session.connection().connection.driver_connection
        assert raw is not None, "an open connection has a driver connection"
        raw.create_function(_CASEFOLD_CONTAINS, 2, _casefold_contains, deterministic=True)
        folded = needle.casefold()
        return or_(*(getattr(func, _CASEFOLD_CONTAINS)(c, folded, type_=Boolean) for c in columns))

    def summaries_for_ids(
        self, ids: Sequence[int], annotator: str | None = None
    ) -> list[DocumentSummary]:
        """Rows of the document list for these ids, in the same order; unknown ids are left out.

        Status and span counts are `annotator`'s (todo and none without an annotation set),
        or over all annotators when no annotator is given.
        """
        heads: dict[int, Any] = {}
        for part in chunks(list(ids)):
            for row in self._session.execute(
                select(col(DocumentRow.id), col(DocumentRow.title), col(DocumentRow.date)).where(
                    col(DocumentRow.id).in_(part)
                )
            ):
                heads[row.id] = row
        return self.summaries_for([heads[i] for i in ids if i in heads], annotator)

    def summaries_for(
        self, heads: Sequence[Any], annotator: str | None = None
    ) -> list[DocumentSummary]:
        """Summaries for rows with id, title and date: statuses and span counts added."""
        ids = [h.id for h in heads]
        statuses: dict[int, list[Status]] = {}
        counts: dict[int, dict[str, int]] = {}
        seconds: dict[int, int] = {}  # active time, summed over the sets shown
        whose = (
            []
            if annotator is None
            else [col(AnnotationSetRow.annotator_id) == _annotator_id(annotator)]
        )
        for part in chunks(ids):
            for doc_id, status, active in self._session.execute(
                select(
                    col(AnnotationSetRow.document_id),
                    col(AnnotationSetRow.status),
                    col(AnnotationSetRow.active_seconds),
                ).where(col(AnnotationSetRow.document_id).in_(part), *whose)
            ):
                statuses.setdefault(doc_id, []).append(Status(status))
                seconds[doc_id] = seconds.get(doc_id, 0) + active
            for doc_id, layer, n in self._session.execute(
                select(col(AnnotationSetRow.document_id), col(SpanRow.layer), func.count())
                .join(SpanRow, col(SpanRow.set_id) == col(AnnotationSetRow.id))
                .where(col(AnnotationSetRow.document_id).in_(part), *whose)
                .group_by(col(AnnotationSetRow.document_id), col(SpanRow.layer))
            ):
                counts.setdefault(doc_id, {})[layer] = n
        # One annotator has at most one set per document, so overall_status gives its status.
        return [
            DocumentSummary(
                id=h.id,
                title=h.title,
                date=h.date,
                status=overall_status(statuses.get(h.id, [])).value,
                span_counts=counts.get(h.id, {}),
                active_seconds=seconds.get(h.id, 0),
            )
            for h in heads
        ]

    def iter_documents(self, project_id: int, batch: int = 500) -> Iterator[list[Document]]:
        """All documents of a project, in import order, a batch at a time."""
        return reader_of(self._session).documents(project_id, batch)

    def shared(
        self,
        project_id: int,
        statuses: Iterable[Status] | None = None,
        annotators: Sequence[str] | None = None,
        examples: int = 3,
    ) -> SharedDocuments:
        """The documents of a project on which more than one annotation set lies, counting
        only the sets of these statuses and annotators (None: any)."""
        return reader_of(self._session).shared(project_id, statuses, annotators, examples)
