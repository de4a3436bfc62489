"""Schema changes in storage: how a project's annotations use its schema, and carrying them
over to a new schema (renames, deletions, dropped attribute values) in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Executable,
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from labeler.domain.errors import RuleError
from labeler.domain.schema import DocumentKind, LabelSchema
from labeler.domain.schema_changes import SchemaChange
from labeler.domain.schema_impact import SchemaApplied, SchemaUsage, overlap_problem
from labeler.storage.bulk import load_json
from labeler.storage.plain_read import chunks
from labeler.storage.tables import (
    AnnotationSetRow,
    DocumentRow,
    ProjectRow,
    RelationRow,
    SpanRow,
    table_of,
)

_SPANS = table_of(SpanRow)
_RELATIONS = table_of(RelationRow)
_SETS = table_of(AnnotationSetRow)
_TRIPLES_PER_STATEMENT = 50


class SchemaChangeRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _run(self, statement: Executable) -> Any:
        return self._session.connection().execute(statement)

    @staticmethod
    def _sets(project_id: int) -> Select[Any]:
        """The ids of the project's annotation sets, as a sub-select."""
        return (
            select(col(AnnotationSetRow.id))
            .join(DocumentRow, col(DocumentRow.id) == col(AnnotationSetRow.document_id))
            .where(col(DocumentRow.project_id) == project_id)
        )

    def lock(self, project_id: int) -> None:
        """Holds the project (so that no other schema change runs at once) and its annotation
        sets (so that no edit lands between counting and applying) until the transaction ends.
        PostgreSQL; SQLite's writer lock does it there."""
        self._run(
            select(col(ProjectRow.id)).where(col(ProjectRow.id) == project_id).with_for_update()
        ).all()
        self._run(self._sets(project_id).with_for_update(of=_SETS)).all()

    def usage(self, project_id: int, schema: LabelSchema) -> SchemaUsage:
        """How many of the project's spans, relations and attribute values use each part."""
        sets = self._sets(project_id)
        spans = {
            label: n
            for label, n in self._run(
                select(col(SpanRow.label), func.count())
                .where(col(SpanRow.set_id).in_(sets))
                .group_by(col(SpanRow.label))
            )
        }
        head, tail = _SPANS.alias(), _SPANS.alias()
        relations = {
            (type_name, head_label, tail_label): n
            for type_name, head_label, tail_label, n in self._run(
                select(col(RelationRow.type), head.c.label, tail.c.label, func.count())
                .join(head, head.c.id == col(RelationRow.head_id))
                .join(tail, tail.c.id == col(RelationRow.tail_id))
                .where(col(RelationRow.set_id).in_(sets))
                .group_by(col(RelationRow.type), head.c.label, tail.c.label)
            )
        }
        values: dict[tuple[str, str, str], int] = {}
        for name in dict.fromkeys(a.name for a in schema.attributes):
            # Grouped outside: PostgreSQL does not see two `->> $n` as the same expression.
            inner = (
                select(
                    col(SpanRow.label).label("label"),
                    _SPANS.c.attributes[name].as_string().label("value"),
                )
                .where(col(SpanRow.set_id).in_(sets))
                .subquery()
            )
            for label, value, n in self._run(
                select(inner.c.label, inner.c.value, func.count())
                .where(inner.c.value.is_not(None))
                .group_by(inner.c.label, inner.c.value)
            ):
                values[(label, name, value)] = n
        document: dict[tuple[str, str], int] = {}
        if schema.document_attributes:
            texts = {a.name for a in schema.document_attributes if a.kind is DocumentKind.TEXT}
            for (stored,) in self._run(
                select(type_coerce(_SETS.c.document_labels, String)).where(_SETS.c.id.in_(sets))
            ):
                for name, labels in load_json(stored).items():
                    for value in labels:
                        key = (name, "" if name in texts else value)
                        document[key] = document.get(key, 0) + 1
        return SchemaUsage(spans=spans, relations=relations, values=values, document=document)

    def overlaps(
        self, project_id: int, layer_of: Mapping[str, str], layers: Iterable[str]
    ) -> dict[str, int]:
        """Pairs of overlapping spans within one annotation set, for each of `layers`, where a
        span's layer is the one `layer_of` gives its label (spans of other labels left out)."""
        sets = self._sets(project_id)
        first, second = _SPANS.alias(), _SPANS.alias()
        found = {}
        for layer in layers:
            labels = [label for label, in_layer in layer_of.items() if in_layer == layer]
            if not labels:
                continue
            found[layer] = self._run(
                select(func.count())
                .select_from(first)
                .join(
                    second,
                    and_(
                        second.c.set_id == first.c.set_id,
                        second.c.id > first.c.id,
                        second.c.start_offset < first.c.end_offset,
                        first.c.start_offset < second.c.end_offset,
                    ),
                )
                .where(
                    first.c.set_id.in_(sets),
                    first.c.label.in_(labels),
                    second.c.label.in_(labels),
                )
            ).scalar_one()
        return found

    def apply(self, project_id: int, change: SchemaChange, usage: SchemaUsage) -> SchemaApplied:
        """Carries the project's annotations, counted in `usage` in this transaction, over to
        the new schema; moves every annotation set of the project to its next version, so that
        an editor opened on the old schema is refused. RuleError if that would leave spans
        overlapping in a layer that forbids it (the caller's transaction then rolls back)."""
        sets = self._sets(project_id)
        touched: set[int] = set()

        relations_deleted = 0
        doomed = [key for key in usage.relations if not change.keeps_relation(*key)]
        head, tail = _SPANS.alias(), _SPANS.alias()
        for part in chunks(doomed, _TRIPLES_PER_STATEMENT):
            ids = (
                select(col(RelationRow.id))
                .join(head, head.c.id == col(RelationRow.head_id))
                .join(tail, tail.c.id == col(RelationRow.tail_id))
                .where(
                    col(RelationRow.set_id).in_(sets),
                    or_(
                        *(
                            and_(col(RelationRow.type) == t, head.c.label == h, tail.c.label == tl)
                            for t, h, tl in part
                        )
                    ),
                )
            )
            touched |= self._set_ids(_RELATIONS, _RELATIONS.c.id.in_(ids))
            deleted = self._run(delete(_RELATIONS).where(_RELATIONS.c.id.in_(ids)))
            relations_deleted += deleted.rowcount

        removed = [label for label in usage.spans if change.label_for(label) is None]
        spans_deleted = 0
        if removed:
            gone = _SPANS.c.set_id.in_(sets) & _SPANS.c.label.in_(removed)
            touched |= self._set_ids(_SPANS, gone)
            span_ids = select(_SPANS.c.id).where(gone)
            relations_deleted += self._run(  # none left unless stored ones broke the schema
                delete(_RELATIONS).where(
                    or_(_RELATIONS.c.head_id.in_(span_ids), _RELATIONS.c.tail_id.in_(span_ids))
                )
            ).rowcount
            spans_deleted = self._run(delete(_SPANS).where(gone)).rowcount

        # Attribute values before labels: the change names spans by their old labels.
        spans_reattributed = self._carry_attributes(sets, change, usage, touched)

        relabel = {
            label: change.label_for(label) for label in usage.spans if change.relabels(label)
        }
        spans_relabelled = 0
        if relabel:
            where = _SPANS.c.set_id.in_(sets) & _SPANS.c.label.in_(list(relabel))
            touched |= self._set_ids(_SPANS, where)
            relayer = {label: change.layer_for(label) for label in relabel}
            spans_relabelled = self._run(
                update(_SPANS)
                .where(where)
                .values(
                    label=case(relabel, value=_SPANS.c.label),
                    layer=case(relayer, value=_SPANS.c.label),
                )
            ).rowcount

        retype = {
            t: change.relation_type_for(t)
            for t in {key[0] for key in usage.relations}
            if change.relation_type_for(t) not in (None, t)
        }
        relations_retyped = 0
        if retype:
            where = _RELATIONS.c.set_id.in_(sets) & _RELATIONS.c.type.in_(list(retype))
            touched |= self._set_ids(_RELATIONS, where)
            relations_retyped = self._run(
                update(_RELATIONS).where(where).values(type=case(retype, value=_RELATIONS.c.type))
            ).rowcount

        self._carry_document_labels(sets, change, touched)

        layers = change.layers_to_check_for_overlap()
        if layers:
            new_layers = {label.name: label.layer for label in change.new.labels()}
            problem = overlap_problem(self.overlaps(project_id, new_layers, layers))
            if problem:
                raise RuleError(f"the schema change was not applied: {problem}")

        self._bump(project_id, touched)
        return SchemaApplied(
            spans_deleted=spans_deleted,
            relations_deleted=relations_deleted,
            spans_relabelled=spans_relabelled,
            spans_reattributed=spans_reattributed,
            relations_retyped=relations_retyped,
            sets_changed=len(touched),
        )

    def _carry_attributes(
        self, sets: Select[Any], change: SchemaChange, usage: SchemaUsage, touched: set[int]
    ) -> int:
        """Renames and drops attribute values of the spans that stay; the spans rewritten."""
        labels = sorted(
            {
                label
                for label, name, value in usage.values
                if change.label_for(label) is not None
                and change.carried_value(label, name, value) != (name, value)
            }
        )
        if not labels:
            return 0
        rows = self._run(
            select(
                _SPANS.c.id,
                _SPANS.c.set_id,
                _SPANS.c.label,
                type_coerce(_SPANS.c.attributes, String),
            ).where(_SPANS.c.set_id.in_(sets), _SPANS.c.label.in_(labels))
        ).all()
        rewritten = []
        for span_id, set_id, label, text in rows:
            attributes = load_json(text)
            carried = change.carried_attributes(label, attributes)
            if carried != attributes:
                rewritten.append((span_id, carried))
                touched.add(set_id)
        if rewritten:
            self._session.connection().execute(
                update(_SPANS)
                .where(_SPANS.c.id == bindparam("span_id"))
                .values(attributes=bindparam("carried", type_=_SPANS.c.attributes.type)),
                [{"span_id": span_id, "carried": carried} for span_id, carried in rewritten],
            )
        return len(rewritten)

    def _carry_document_labels(
        self, sets: Select[Any], change: SchemaChange, touched: set[int]
    ) -> None:
        """Drops the document labels the new schema has no room for."""
        if change.old.document_attributes == change.new.document_attributes:
            return
        rows = self._run(
            select(_SETS.c.id, type_coerce(_SETS.c.document_labels, String)).where(
                _SETS.c.id.in_(sets)
            )
        ).all()
        for set_id, text in rows:
            labels = {k: tuple(v) for k, v in load_json(text).items()}
            if not labels:
                continue
            carried = change.carried_document_labels(labels)
            if carried != labels:
                touched.add(set_id)
                self._run(
                    update(_SETS)
                    .where(_SETS.c.id == set_id)
                    .values(document_labels={k: list(v) for k, v in carried.items()})
                )

    def _set_ids(self, table: Table, where: ColumnElement[bool]) -> set[int]:
        return set(self._run(select(table.c.set_id).where(where).distinct()).scalars())

    def _bump(self, project_id: int, changed: Iterable[int]) -> None:
        """Moves all the project's sets to their next version, so that an editor holding an
        older one is refused even where nothing of its set changed: it still offers the old
        schema's labels. Only the sets whose annotations changed count as updated now."""
        documents = select(col(DocumentRow.id)).where(col(DocumentRow.project_id) == project_id)
        self._run(
            update(_SETS)
            .where(_SETS.c.document_id.in_(documents))
            .values(version=_SETS.c.version + 1)
        )
        now = datetime.now(UTC)
        for part in chunks(sorted(changed)):
            self._run(update(_SETS).where(_SETS.c.id.in_(part)).values(updated_at=now))
