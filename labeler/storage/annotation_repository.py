"""Annotators and annotation sets with their spans and relations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status
from labeler.domain.schema import LabelSchema
from labeler.storage.document_repository import chunks
from labeler.storage.tables import (
    AnnotationSetRow,
    AnnotatorRow,
    RelationRow,
    SpanRow,
)


@dataclass(frozen=True)
class NewSet:
    """An annotation set to insert: spans and relations carry local ids, remapped on insert."""

    document_id: int
    annotator_id: int
    status: Status
    spans: Sequence[Span]
    relations: Sequence[Relation]


def _table(model: Any) -> Any:
    return model.__table__


class AnnotationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def annotator_ids(self, names: Iterable[str]) -> dict[str, int]:
        """The ids of these annotators, creating the ones not yet known."""
        wanted = sorted(set(names))
        if not wanted:
            return {}
        known = dict(
            self._session.execute(
                select(AnnotatorRow.name, AnnotatorRow.id).where(AnnotatorRow.name.in_(wanted))
            ).all()
        )
        missing = [{"name": n} for n in wanted if n not in known]
        if missing:
            table = _table(AnnotatorRow)
            ids = self._session.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), missing
            ).scalars()
            known.update(zip((m["name"] for m in missing), ids, strict=True))
        return known

    def add_sets(self, new_sets: Sequence[NewSet]) -> None:
        """Inserts annotation sets with their spans and relations, in few statements."""
        if not new_sets:
            return
        now = datetime.now(UTC)
        set_table = _table(AnnotationSetRow)
        set_ids = list(
            self._session.execute(
                insert(set_table).returning(set_table.c.id, sort_by_parameter_order=True),
                [
                    {
                        "document_id": s.document_id,
                        "annotator_id": s.annotator_id,
                        "status": s.status.value,
                        "version": 1,
                        "updated_at": now,
                    }
                    for s in new_sets
                ],
            ).scalars()
        )
        span_rows = [
            {
                "set_id": set_id,
                "layer": sp.layer,
                "label": sp.label,
                "start_offset": sp.start,
                "end_offset": sp.end,
                "text": sp.text,
                "attributes": sp.attributes,
            }
            for set_id, s in zip(set_ids, new_sets, strict=True)
            for sp in s.spans
        ]
        if not span_rows:
            return
        span_table = _table(SpanRow)
        if not any(s.relations for s in new_sets):
            self._session.execute(insert(span_table), span_rows)
            return
        span_ids = iter(
            self._session.execute(
                insert(span_table).returning(span_table.c.id, sort_by_parameter_order=True),
                span_rows,
            ).scalars()
        )
        relation_rows = []
        for set_id, s in zip(set_ids, new_sets, strict=True):
            real = {sp.id: next(span_ids) for sp in s.spans}
            relation_rows.extend(
                {
                    "set_id": set_id,
                    "type": r.type,
                    "head_id": real[r.head],
                    "tail_id": real[r.tail],
                    "attributes": r.attributes,
                }
                for r in s.relations
            )
        if relation_rows:
            self._session.execute(insert(_table(RelationRow)), relation_rows)

    def sets_for(
        self, document_ids: Sequence[int], schema: LabelSchema
    ) -> dict[int, list[AnnotationSet]]:
        """Every annotation set of these documents, keyed by document id."""
        result: dict[int, list[AnnotationSet]] = {}
        for part in chunks(list(document_ids)):
            sets: dict[int, AnnotationSet] = {}
            owner: dict[int, int] = {}
            for row, name in self._session.execute(
                select(AnnotationSetRow, AnnotatorRow.name)
                .join(AnnotatorRow, AnnotatorRow.id == AnnotationSetRow.annotator_id)
                .where(AnnotationSetRow.document_id.in_(part))
                .order_by(AnnotationSetRow.document_id, AnnotatorRow.name)
            ):
                sets[row.id] = AnnotationSet(
                    schema=schema,
                    annotator=name,
                    status=Status(row.status),
                    id=row.id,
                    version=row.version,
                )
                owner[row.id] = row.document_id
                result.setdefault(row.document_id, []).append(sets[row.id])
            if not sets:
                continue
            set_ids = list(sets)
            for r in self._session.execute(
                select(
                    SpanRow.id,
                    SpanRow.set_id,
                    SpanRow.layer,
                    SpanRow.label,
                    SpanRow.start_offset,
                    SpanRow.end_offset,
                    SpanRow.text,
                    SpanRow.attributes,
                ).where(SpanRow.set_id.in_(set_ids))
            ):
                sets[r.set_id].spans[r.id] = Span(
                    r.start_offset, r.end_offset, r.label, r.layer, r.text, r.attributes or {}, r.id
                )
            for r in self._session.execute(
                select(RelationRow).where(RelationRow.set_id.in_(set_ids))
            ).scalars():
                sets[r.set_id].relations[r.id] = Relation(  # type: ignore[index]
                    r.type, r.head_id, r.tail_id, r.attributes or {}, r.id
                )
        return result
