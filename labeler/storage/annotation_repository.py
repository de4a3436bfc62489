"""Annotators and annotation sets with their spans and relations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Executable,
    String,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status
from labeler.domain.errors import ConflictError
from labeler.domain.schema import LabelSchema
from labeler.storage import bulk_rows
from labeler.storage.bulk import PreparedSelect, driver_of, fetch_rows, reserve_ids
from labeler.storage.bulk_rows import NewSet, labels_row
from labeler.storage.plain_read import chunks, relations_of, spans_of
from labeler.storage.session_read import reader_of
from labeler.storage.tables import (
    AnnotationSetRow,
    AnnotatorRow,
    DocumentRow,
    ProjectRow,
    RelationRow,
    SpanRow,
    table_of,
)

_REOPEN = "reopen the document to see the current state"
_CHANGED_ELSEWHERE = (
    "the annotation set was changed elsewhere (in another window or another session) "
    f"since it was opened; {_REOPEN}"
)


# What a span or relation is read with; JSON comes as text, decoded only when not "{}".
_SPAN_COLUMNS = (
    col(SpanRow.id),
    col(SpanRow.layer),
    col(SpanRow.label),
    col(SpanRow.start_offset),
    col(SpanRow.end_offset),
    col(SpanRow.text),
    type_coerce(col(SpanRow.attributes), String),
    col(SpanRow.note),
)
_RELATION_COLUMNS = (
    col(RelationRow.id),
    col(RelationRow.type),
    col(RelationRow.head_id),
    col(RelationRow.tail_id),
    type_coerce(col(RelationRow.attributes), String),
    col(RelationRow.note),
)


# What an editor reads to show a long article's first screen before the rest (part_of).
_SET_ID = PreparedSelect(
    select(col(AnnotationSetRow.id))
    .join(AnnotatorRow, col(AnnotatorRow.id) == col(AnnotationSetRow.annotator_id))
    .where(
        col(AnnotationSetRow.document_id) == bindparam("document_id"),
        col(AnnotatorRow.name) == bindparam("annotator"),
    )
)
_SPANS_IN = PreparedSelect(
    select(*_SPAN_COLUMNS).where(
        col(SpanRow.set_id) == bindparam("set_id"),
        col(SpanRow.start_offset) < bindparam("end"),
        col(SpanRow.end_offset) > bindparam("start"),
    )
)
_HEAD, _TAIL = aliased(SpanRow), aliased(SpanRow)
_RELATIONS_IN = PreparedSelect(  # the relations with an end in the range
    select(*_RELATION_COLUMNS)
    .join(_HEAD, col(_HEAD.id) == col(RelationRow.head_id))
    .join(_TAIL, col(_TAIL.id) == col(RelationRow.tail_id))
    .where(
        col(RelationRow.set_id) == bindparam("set_id"),
        or_(
            and_(
                col(_HEAD.start_offset) < bindparam("end"),
                col(_HEAD.end_offset) > bindparam("start"),
            ),
            and_(
                col(_TAIL.start_offset) < bindparam("end"),
                col(_TAIL.end_offset) > bindparam("start"),
            ),
        ),
    )
)
_RELATION_ENDS = PreparedSelect(  # where the spans at the ends of every relation begin
    select(col(_HEAD.start_offset), col(_TAIL.start_offset))
    .select_from(RelationRow)
    .join(_HEAD, col(_HEAD.id) == col(RelationRow.head_id))
    .join(_TAIL, col(_TAIL.id) == col(RelationRow.tail_id))
    .where(col(RelationRow.set_id) == bindparam("set_id"))
)


class AnnotationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def annotator_ids(self, names: Iterable[str]) -> dict[str, int]:
        """The ids of these annotators, creating the ones not yet known."""
        return bulk_rows.annotator_ids(driver_of(self._session), names)

    def annotators_on(self, document_ids: Sequence[int]) -> dict[int, set[str]]:
        """Who has an annotation set on each of these documents."""
        return bulk_rows.annotators_on(driver_of(self._session), document_ids)

    def add_sets(self, new_sets: Sequence[NewSet]) -> None:
        """Inserts annotation sets with their spans and relations, in few statements."""
        bulk_rows.add_sets(driver_of(self._session), new_sets)

    def sets_for(
        self, document_ids: Sequence[int], schema: LabelSchema, annotator: str | None = None
    ) -> dict[int, list[AnnotationSet]]:
        """Every annotation set of these documents (or one annotator's), by document id."""
        return reader_of(self._session).sets_for(document_ids, schema, annotator)

    def sets_on(
        self,
        document_id: int,
        schema: LabelSchema,
        names: Sequence[str] | None = None,
        leave_out: str = "",
    ) -> list[AnnotationSet]:
        """One document's sets by these annotators (all, when None) but `leave_out`'s, read in
        one query for the spans and one for the relations."""
        reader = reader_of(self._session)
        where = "s.document_id = ? AND a.name != ?"
        params: list[Any] = [document_id, leave_out]
        if names is not None:
            where += f" AND a.name IN ({reader.marks(len(names))})"
            params += names
        return [found for _, found in reader.load(where, params, schema)]

    def set_of(self, document_id: int, annotator: str, schema: LabelSchema) -> AnnotationSet | None:
        """One annotator's set on one document, with its spans and relations; None if none."""
        found = reader_of(self._session).load(
            "s.document_id = ? AND a.name = ?", (document_id, annotator), schema
        )
        return found[0][1] if found else None

    def part_of(
        self, document_id: int, annotator: str, start: int, end: int
    ) -> tuple[dict[int, Span], dict[int, Relation], list[int]]:
        """What a view of [start, end) of one annotator's set draws, read without the rest of
        the set: the spans that overlap the range, the relations that touch them, and the
        spans at those relations' other ends; and where the spans at both ends of every
        relation of the set begin (paragraphs with arcs get room above their lines). Empty if
        the annotator has no set there."""
        session = self._session
        found = _SET_ID.rows(session, document_id=document_id, annotator=annotator)
        if not found:
            return {}, {}, []
        set_id = found[0][0]
        spans = spans_of(_SPANS_IN.rows(session, set_id=set_id, start=start, end=end))
        relations = relations_of(_RELATIONS_IN.rows(session, set_id=set_id, start=start, end=end))
        ends = {i for r in relations.values() for i in (r.head, r.tail)} - spans.keys()
        for part in chunks(sorted(ends)):
            spans.update(spans_of(self._rows(_SPAN_COLUMNS, col(SpanRow.id).in_(part))))
        starts = [at for pair in _RELATION_ENDS.rows(session, set_id=set_id) for at in pair]
        return spans, relations, starts

    def _rows(self, columns: Sequence[Any], where: Any) -> list[tuple[Any, ...]]:
        # Plain tuples through the driver: a long article's 20,000 spans would spend more
        # time in SQLAlchemy's per-row work than in SQLite.
        table = columns[0].table
        return fetch_rows(self._session, select(*columns).select_from(table).where(where))

    # -- single edits, as the editor makes them; each in the caller's transaction

    def create_set(
        self,
        document_id: int,
        annotator: str,
        status: Status,
        schema_source: str | None = None,
    ) -> tuple[int, int]:
        """A new, empty annotation set of this annotator on this document: (set id, version).

        ConflictError if the annotator has one there already (made elsewhere since it was
        read), or if the project's schema is no longer `schema_source`, the one the editor
        works with (a schema change keeps the project row locked while it runs).
        """
        if schema_source is not None:
            stored = self._session.scalar(
                select(col(ProjectRow.schema_toml))
                .join(DocumentRow, col(DocumentRow.project_id) == col(ProjectRow.id))
                .where(col(DocumentRow.id) == document_id)
                .with_for_update(read=True, of=ProjectRow)
            )
            if stored != schema_source:
                raise ConflictError(
                    "the project's schema was changed elsewhere since this document was opened"
                )
        annotator_id = self.annotator_ids([annotator])[annotator]
        exists = self._session.scalar(
            select(col(AnnotationSetRow.id)).where(
                col(AnnotationSetRow.document_id) == document_id,
                col(AnnotationSetRow.annotator_id) == annotator_id,
            )
        )
        if exists is not None:
            raise ConflictError(_CHANGED_ELSEWHERE)
        table = table_of(AnnotationSetRow)
        try:
            set_id = self._session.execute(
                insert(table)
                .values(
                    document_id=document_id,
                    annotator_id=annotator_id,
                    status=status.value,
                    version=1,
                    updated_at=datetime.now(UTC),
                )
                .returning(table.c.id)
            ).scalar_one()
        except IntegrityError:
            # Another session created it between the look-up and the insert (PostgreSQL).
            raise ConflictError(_CHANGED_ELSEWHERE) from None
        return set_id, 1

    def _core(self, statement: Executable) -> Any:
        """Runs a Core statement on the session's connection: single edits skip the ORM's
        statement handling, a good part of an edit's cost on a long article."""
        return self._session.connection().execute(statement)

    def bump(
        self,
        set_id: int,
        expected_version: int,
        status: Status | None = None,
        *,
        note: str | None = None,
        add_seconds: int = 0,
    ) -> int:
        """Moves the set to its next version (and status and note, if given, and adds
        `add_seconds` of active work); returns the new version.

        ConflictError if the set is not at `expected_version` any more: someone else wrote it.
        """
        values: dict[str, Any] = {
            "version": col(AnnotationSetRow.version) + 1,
            "updated_at": datetime.now(UTC),
        }
        if status is not None:
            values["status"] = status.value
        if note is not None:
            values["note"] = note
        if add_seconds:
            values["active_seconds"] = col(AnnotationSetRow.active_seconds) + add_seconds
        changed = self._core(
            update(table_of(AnnotationSetRow))
            .where(
                col(AnnotationSetRow.id) == set_id,
                col(AnnotationSetRow.version) == expected_version,
            )
            .values(**values)
        ).rowcount
        if changed != 1:
            raise ConflictError(_CHANGED_ELSEWHERE)
        return expected_version + 1

    def store_document_labels(self, set_id: int, labels: Mapping[str, tuple[str, ...]]) -> None:
        """Writes the set's document labels (all of them)."""
        self._core(
            update(table_of(AnnotationSetRow))
            .where(col(AnnotationSetRow.id) == set_id)
            .values(document_labels=labels_row(labels))
        )

    def insert_span(self, set_id: int, span: Span, span_id: int | None = None) -> int:
        """Stores a span in the set and returns its id.

        An explicit id restores a deleted span under the id it had (ConflictError if taken).
        """
        table = table_of(SpanRow)
        values: dict[str, Any] = {
            "set_id": set_id,
            "layer": span.layer,
            "label": span.label,
            "start_offset": span.start,
            "end_offset": span.end,
            "text": span.text,
            "attributes": dict(span.attributes),
            "note": span.note,
        }
        return self._insert_row(table, values, span_id, "span")

    def _insert_row(
        self, table: Table, values: dict[str, Any], row_id: int | None, kind: str
    ) -> int:
        """Inserts a row under a fresh id, or under `row_id` to restore a deleted one (undo);
        ConflictError if that id is taken now."""
        if row_id is None:
            row_id = reserve_ids(self._session, table, 1)[0]  # never an id used before
        elif self._session.scalar(select(table.c.id).where(table.c.id == row_id)) is not None:
            raise ConflictError(
                f"{kind} {row_id} cannot be restored: its id is taken by another {kind} now"
            )
        self._core(insert(table).values(id=row_id, **values))
        return row_id

    def update_span(self, span: Span) -> None:
        """Writes a span's layer, label, range, text and attributes, by its id."""
        changed = self._core(
            update(table_of(SpanRow))
            .where(col(SpanRow.id) == span.id)
            .values(
                layer=span.layer,
                label=span.label,
                start_offset=span.start,
                end_offset=span.end,
                text=span.text,
                attributes=dict(span.attributes),
                note=span.note,
            )
        ).rowcount
        if changed != 1:
            raise ConflictError(f"span {span.id} is not stored any more; {_REOPEN}")

    def delete_span(self, span_id: int) -> None:
        """Deletes a span and, first, every relation that touches it."""
        self._core(
            delete(table_of(RelationRow)).where(
                or_(col(RelationRow.head_id) == span_id, col(RelationRow.tail_id) == span_id)
            )
        )
        changed = self._core(delete(table_of(SpanRow)).where(col(SpanRow.id) == span_id)).rowcount
        if changed != 1:
            raise ConflictError(f"span {span_id} is not stored any more; {_REOPEN}")

    def insert_relation(
        self, set_id: int, relation: Relation, relation_id: int | None = None
    ) -> int:
        """Stores a relation in the set and returns its id.

        An explicit id restores a deleted relation under the id it had (ConflictError if taken).
        """
        table = table_of(RelationRow)
        values: dict[str, Any] = {
            "set_id": set_id,
            "type": relation.type,
            "head_id": relation.head,
            "tail_id": relation.tail,
            "attributes": dict(relation.attributes),
            "note": relation.note,
        }
        return self._insert_row(table, values, relation_id, "relation")

    def update_relation(self, relation: Relation) -> None:
        """Writes a relation's type and attributes, by its id."""
        changed = self._core(
            update(table_of(RelationRow))
            .where(col(RelationRow.id) == relation.id)
            .values(type=relation.type, attributes=dict(relation.attributes), note=relation.note)
        ).rowcount
        if changed != 1:
            raise ConflictError(f"relation {relation.id} is not stored any more; {_REOPEN}")

    def delete_relation(self, relation_id: int) -> None:
        """Deletes one relation by its id."""
        changed = self._core(
            delete(table_of(RelationRow)).where(col(RelationRow.id) == relation_id)
        ).rowcount
        if changed != 1:
            raise ConflictError(f"relation {relation_id} is not stored any more; {_REOPEN}")
