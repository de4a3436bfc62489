"""Annotators and annotation sets with their spans and relations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, insert, select, type_coerce
from sqlmodel import Session

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status
from labeler.domain.schema import LabelSchema
from labeler.storage.bulk import BulkInsert, fetch_rows, load_json, reserve_ids
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

    def annotators_on(self, document_ids: Sequence[int]) -> dict[int, set[str]]:
        """Who has an annotation set on each of these documents."""
        found: dict[int, set[str]] = {}
        for part in chunks(list(document_ids)):
            for doc_id, name in self._session.execute(
                select(AnnotationSetRow.document_id, AnnotatorRow.name)
                .join(AnnotatorRow, AnnotatorRow.id == AnnotationSetRow.annotator_id)
                .where(AnnotationSetRow.document_id.in_(part))
            ):
                found.setdefault(doc_id, set()).add(name)
        return found

    def add_sets(self, new_sets: Sequence[NewSet]) -> None:
        """Inserts annotation sets with their spans and relations, in few statements."""
        if not new_sets:
            return
        set_table = _table(AnnotationSetRow)
        sets = BulkInsert(
            self._session,
            set_table,
            ("id", "document_id", "annotator_id", "status", "version", "updated_at"),
        )
        now = sets.process(5, datetime.now(UTC))
        set_ids = reserve_ids(self._session, set_table, len(new_sets))
        sets.run(
            (set_id, s.document_id, s.annotator_id, s.status.value, 1, now)
            for set_id, s in zip(set_ids, new_sets, strict=True)
        )
        span_table = _table(SpanRow)
        spans = BulkInsert(
            self._session,
            span_table,
            ("id", "set_id", "layer", "label", "start_offset", "end_offset", "text", "attributes"),
        )
        span_attrs = spans.json(7)
        span_ids = iter(reserve_ids(self._session, span_table, sum(len(s.spans) for s in new_sets)))
        relations = BulkInsert(
            self._session,
            _table(RelationRow),
            ("set_id", "type", "head_id", "tail_id", "attributes"),
        )
        relation_attrs = relations.json(4)
        span_rows: list[tuple[Any, ...]] = []
        relation_rows: list[tuple[Any, ...]] = []
        for set_id, s in zip(set_ids, new_sets, strict=True):
            real: dict[int | None, int] = {}
            for sp in s.spans:
                real[sp.id] = span_id = next(span_ids)
                span_rows.append(
                    (
                        span_id,
                        set_id,
                        sp.layer,
                        sp.label,
                        sp.start,
                        sp.end,
                        sp.text,
                        span_attrs(sp.attributes),
                    )
                )
            relation_rows.extend(
                (set_id, r.type, real[r.head], real[r.tail], relation_attrs(r.attributes))
                for r in s.relations
            )
        spans.run(span_rows)
        relations.run(relation_rows)

    def sets_for(
        self, document_ids: Sequence[int], schema: LabelSchema
    ) -> dict[int, list[AnnotationSet]]:
        """Every annotation set of these documents, keyed by document id."""
        result: dict[int, list[AnnotationSet]] = {}
        for part in chunks(list(document_ids)):
            sets: dict[int, AnnotationSet] = {}
            for row in self._session.execute(
                select(
                    AnnotationSetRow.id,
                    AnnotationSetRow.document_id,
                    AnnotationSetRow.status,
                    AnnotationSetRow.version,
                    AnnotatorRow.name,
                )
                .join(AnnotatorRow, AnnotatorRow.id == AnnotationSetRow.annotator_id)
                .where(AnnotationSetRow.document_id.in_(part))
                .order_by(AnnotationSetRow.document_id, AnnotatorRow.name)
            ):
                sets[row.id] = AnnotationSet(
                    schema=schema,
                    annotator=row.name,
                    status=Status(row.status),
                    id=row.id,
                    version=row.version,
                )
                result.setdefault(row.document_id, []).append(sets[row.id])
            if not sets:
                continue
            set_ids = list(sets)
            # Plain tuples through the driver: JSON is decoded here, where "{}" costs nothing.
            for span_id, set_id, layer, label, start, end, covered, attrs in fetch_rows(
                self._session,
                select(
                    SpanRow.id,
                    SpanRow.set_id,
                    SpanRow.layer,
                    SpanRow.label,
                    SpanRow.start_offset,
                    SpanRow.end_offset,
                    SpanRow.text,
                    type_coerce(SpanRow.attributes, String),
                ).where(SpanRow.set_id.in_(set_ids)),
            ):
                sets[set_id].spans[span_id] = Span(
                    start,
                    end,
                    label,
                    layer,
                    covered,
                    {} if attrs == "{}" else load_json(attrs),
                    span_id,
                )
            for rel_id, set_id, rel_type, head, tail, attrs in fetch_rows(
                self._session,
                select(
                    RelationRow.id,
                    RelationRow.set_id,
                    RelationRow.type,
                    RelationRow.head_id,
                    RelationRow.tail_id,
                    type_coerce(RelationRow.attributes, String),
                ).where(RelationRow.set_id.in_(set_ids)),
            ):
                sets[set_id].relations[rel_id] = Relation(
                    rel_type, head, tail, load_json(attrs), rel_id
                )
        return result
