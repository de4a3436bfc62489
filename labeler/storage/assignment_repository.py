"""Assignments: which documents of a project each annotator is given, in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, case, delete, false, func, or_, select
from sqlmodel import Session, col

from labeler.domain.annotation import Status
from labeler.domain.team import DoneOnDay, LastTouched, Progress
from labeler.storage.bulk import BulkInsert, reserve_ids
from labeler.storage.tables import (
    AnnotationSetRow,
    AnnotatorRow,
    AssignmentRow,
    DocumentRow,
    PresenceRow,
    SpanRow,
    table_of,
)


class AssignmentRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def started(self, project_id: int) -> dict[int, set[int]]:
        """Documents each annotator (by id) has begun: a set with spans or past todo."""
        has_spans = select(col(SpanRow.id)).where(col(SpanRow.set_id) == col(AnnotationSetRow.id))
        found: dict[int, set[int]] = {}
        for annotator_id, document_id in self._session.execute(
            select(col(AnnotationSetRow.annotator_id), col(AnnotationSetRow.document_id))
            .join(DocumentRow, col(DocumentRow.id) == col(AnnotationSetRow.document_id))
            .where(
                col(DocumentRow.project_id) == project_id,
                or_(col(AnnotationSetRow.status) != Status.TODO.value, has_spans.exists()),
            )
        ):
            found.setdefault(annotator_id, set()).add(document_id)
        return found

    def assigned(self, project_id: int) -> dict[int, list[int]]:
        """Each annotator's (by id) assigned documents, in order."""
        found: dict[int, list[int]] = {}
        for annotator_id, document_id in self._session.execute(
            select(col(AssignmentRow.annotator_id), col(AssignmentRow.document_id))
            .where(col(AssignmentRow.project_id) == project_id)
            .order_by(col(AssignmentRow.annotator_id), col(AssignmentRow.position))
        ):
            found.setdefault(annotator_id, []).append(document_id)
        return found

    def replace(self, project_id: int, lists: Mapping[int, Sequence[int]]) -> None:
        """Makes `lists` (document ids by annotator id, in order) the project's assignment."""
        self._session.execute(
            delete(AssignmentRow).where(col(AssignmentRow.project_id) == project_id)
        )
        rows = [
            (annotator_id, document_id, position)
            for annotator_id, ids in lists.items()
            for position, document_id in enumerate(ids)
        ]
        table = table_of(AssignmentRow)
        insert = BulkInsert(
            self._session, table, ("id", "project_id", "document_id", "annotator_id", "position")
        )
        ids = reserve_ids(self._session, table, len(rows))
        insert.run(
            (row_id, project_id, document_id, annotator_id, position)
            for row_id, (annotator_id, document_id, position) in zip(ids, rows, strict=True)
        )

    def document_ids(self, project_id: int, annotator: str) -> list[int]:
        """The documents assigned to `annotator` (by name) in the project, in order."""
        return list(
            self._session.scalars(
                select(col(AssignmentRow.document_id))
                .join(AnnotatorRow, col(AnnotatorRow.id) == col(AssignmentRow.annotator_id))
                .where(
                    col(AssignmentRow.project_id) == project_id,
                    col(AnnotatorRow.name) == annotator,
                )
                .order_by(col(AssignmentRow.position))
            )
        )

    def progress(self, project_id: int) -> list[Progress]:
        """Per annotator with assignments: how many documents are assigned, done, begun."""
        status = col(AnnotationSetRow.status)
        rows = self._session.execute(
            select(
                col(AnnotatorRow.name),
                func.count(),
                func.sum(case((status == Status.DONE.value, 1), else_=0)),
                func.sum(case((status == Status.IN_PROGRESS.value, 1), else_=0)),
                func.sum(case((status == Status.SKIPPED.value, 1), else_=0)),
            )
            .select_from(AssignmentRow)
            .join(AnnotatorRow, col(AnnotatorRow.id) == col(AssignmentRow.annotator_id))
            .outerjoin(
                AnnotationSetRow,
                (col(AnnotationSetRow.document_id) == col(AssignmentRow.document_id))
                & (col(AnnotationSetRow.annotator_id) == col(AssignmentRow.annotator_id)),
            )
            .where(col(AssignmentRow.project_id) == project_id)
            .group_by(col(AnnotatorRow.name))
            .order_by(col(AnnotatorRow.name))
        ).all()
        return [
            Progress(
                annotator=name,
                assigned=int(assigned),
                done=int(done or 0),
                in_progress=int(begun or 0),
                skipped=int(skipped or 0),
            )
            for name, assigned, done, begun, skipped in rows
        ]

    def _sets_of(self, project_id: int) -> Select[Any]:
        """The annotators' (not curated) sets of the project's documents."""
        return (
            select(col(AnnotationSetRow.id))
            .join(DocumentRow, col(DocumentRow.id) == col(AnnotationSetRow.document_id))
            .where(
                col(DocumentRow.project_id) == project_id,
                col(AnnotationSetRow.curated) == false(),
            )
        )

    def done_per_day(self, project_id: int, since: dt.datetime) -> list[DoneOnDay]:
        """Per day from `since` (UTC), the sets marked done, counted by their last change."""
        day = func.date(col(AnnotationSetRow.updated_at))
        rows = self._session.execute(
            select(day, col(AnnotatorRow.name), func.count())
            .join(AnnotatorRow, col(AnnotatorRow.id) == col(AnnotationSetRow.annotator_id))
            .where(
                col(AnnotationSetRow.id).in_(self._sets_of(project_id)),
                col(AnnotationSetRow.status) == Status.DONE.value,
                col(AnnotationSetRow.updated_at) >= since,
            )
            .group_by(day, col(AnnotatorRow.name))
            .order_by(day, col(AnnotatorRow.name))
        ).all()
        days: dict[dt.date, list[tuple[str, int]]] = {}
        for when, name, count in rows:
            days.setdefault(dt.date.fromisoformat(str(when)), []).append((name, int(count)))
        return [DoneOnDay(day, tuple(counts)) for day, counts in days.items()]

    def last_touched(self, project_id: int) -> list[LastTouched]:
        """Each annotator's most recently changed set in the project, by annotator."""
        latest = (
            select(
                col(AnnotationSetRow.annotator_id).label("who"),
                func.max(col(AnnotationSetRow.updated_at)).label("at"),
            )
            .where(col(AnnotationSetRow.id).in_(self._sets_of(project_id)))
            .group_by(col(AnnotationSetRow.annotator_id))
            .subquery()
        )
        rows = self._session.execute(
            select(
                col(AnnotatorRow.name),
                col(DocumentRow.id),
                col(DocumentRow.title),
                col(AnnotationSetRow.status),
                col(AnnotationSetRow.updated_at),
            )
            .join(
                latest,
                (latest.c.who == col(AnnotationSetRow.annotator_id))
                & (latest.c.at == col(AnnotationSetRow.updated_at)),
            )
            .join(AnnotatorRow, col(AnnotatorRow.id) == col(AnnotationSetRow.annotator_id))
            .join(DocumentRow, col(DocumentRow.id) == col(AnnotationSetRow.document_id))
            .where(col(DocumentRow.project_id) == project_id)
            .order_by(col(AnnotatorRow.name), col(DocumentRow.id))
        ).all()
        found: dict[str, LastTouched] = {}
        for name, document_id, title, status, at in rows:
            touched = LastTouched(name, document_id, title, Status(status), _utc(at))
            found.setdefault(name, touched)
        # Who has a document open now (a team database) says more than what they changed last.
        own_set = (col(AnnotationSetRow.document_id) == col(PresenceRow.document_id)) & (
            col(AnnotationSetRow.annotator_id) == col(PresenceRow.annotator_id)
        )
        for name, document_id, title, status, at in self._session.execute(
            select(
                col(AnnotatorRow.name),
                col(DocumentRow.id),
                col(DocumentRow.title),
                col(AnnotationSetRow.status),
                col(PresenceRow.opened_at),
            )
            .join(AnnotatorRow, col(AnnotatorRow.id) == col(PresenceRow.annotator_id))
            .join(DocumentRow, col(DocumentRow.id) == col(PresenceRow.document_id))
            .outerjoin(AnnotationSetRow, own_set)
            .where(col(PresenceRow.project_id) == project_id)
        ):
            state = Status(status) if status else Status.TODO
            found[name] = LastTouched(name, document_id, title, state, _utc(at), open_now=True)
        return [found[name] for name in sorted(found)]


def _utc(at: dt.datetime) -> dt.datetime:
    """A stored time as UTC (SQLite gives it back without its zone)."""
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
