"""Suggestions stored per document, rejections per annotator, and accepted spans' sources."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from labeler.domain.suggestion import Suggestion, proposal_to_dict
from labeler.storage.plain_read import chunks
from labeler.storage.session_read import reader_of
from labeler.storage.tables import (
    AnnotationSetRow,
    AnnotatorRow,
    DocumentRow,
    SpanRow,
    SpanSourceRow,
    SuggestionRejectionRow,
    SuggestionRow,
    table_of,
)


class SuggestionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _insert_new(self, table: Any) -> Any:
        """An INSERT that skips rows whose unique key is taken (same on SQLite and PostgreSQL)."""
        dialect = self._session.get_bind().dialect.name
        return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)

    def store(self, document_id: int, suggestions: Iterable[Suggestion]) -> int:
        """Stores suggestions for a document; one already stored (same recommender and
        proposal) is kept as it is. Returns how many were new."""
        rows = []
        for s in suggestions:
            start, end = s.extent or (0, 0)
            rows.append(
                {
                    "document_id": document_id,
                    "recommender": s.recommender,
                    "key": s.key,
                    "start_offset": start,
                    "end_offset": end,
                    "score": s.score,
                    "proposal": proposal_to_dict(s.proposal),
                }
            )
        if not rows:
            return 0
        table = table_of(SuggestionRow)
        statement = self._insert_new(table).on_conflict_do_nothing(
            index_elements=["document_id", "recommender", "key"]
        )
        before = self._count(document_id)
        self._session.execute(statement, rows)
        return self._count(document_id) - before

    def _count(self, document_id: int) -> int:
        # executemany's rowcount is not reliable across drivers: count what is there.
        return (
            self._session.scalar(
                select(func.count()).where(col(SuggestionRow.document_id) == document_id)
            )
            or 0
        )

    def stored(self, document_ids: Sequence[int]) -> dict[int, list[Suggestion]]:
        """The suggestions stored for these documents, best first, by document id."""
        return reader_of(self._session).suggestions(document_ids)

    def clear(self, document_ids: Sequence[int], recommender: str) -> None:
        """Forgets a recommender's stored suggestions on these documents."""
        for part in chunks(list(document_ids)):
            self._session.execute(
                delete(table_of(SuggestionRow)).where(
                    col(SuggestionRow.document_id).in_(part),
                    col(SuggestionRow.recommender) == recommender,
                )
            )

    def reject(self, document_id: int, annotator_id: int, suggestion: Suggestion) -> None:
        """Remembers that this annotator rejected this proposal on this document."""
        statement = self._insert_new(table_of(SuggestionRejectionRow)).on_conflict_do_nothing(
            index_elements=["document_id", "annotator_id", "key"]
        )
        self._session.execute(
            statement,
            {
                "document_id": document_id,
                "annotator_id": annotator_id,
                "key": suggestion.key,
                "recommender": suggestion.recommender,
            },
        )

    def unreject(self, document_id: int, annotator_id: int, key: str) -> None:
        """Forgets a rejection (its undo)."""
        self._session.execute(
            delete(table_of(SuggestionRejectionRow)).where(
                col(SuggestionRejectionRow.document_id) == document_id,
                col(SuggestionRejectionRow.annotator_id) == annotator_id,
                col(SuggestionRejectionRow.key) == key,
            )
        )

    def rejected(self, document_id: int, annotator: str) -> set[str]:
        """The keys of the proposals this annotator rejected on this document."""
        return set(
            self._session.scalars(
                select(col(SuggestionRejectionRow.key))
                .join(
                    AnnotatorRow, col(AnnotatorRow.id) == col(SuggestionRejectionRow.annotator_id)
                )
                .where(
                    col(SuggestionRejectionRow.document_id) == document_id,
                    col(AnnotatorRow.name) == annotator,
                )
            )
        )

    def record_source(self, span_id: int, recommender: str) -> None:
        """Says which recommender proposed a span (an accepted suggestion)."""
        self._session.execute(
            insert(table_of(SpanSourceRow)).values(span_id=span_id, recommender=recommender)
        )

    def sources(self, span_ids: Sequence[int]) -> dict[int, str]:
        """The recommender of each of these spans that came from a suggestion."""
        found: dict[int, str] = {}
        for part in chunks(list(span_ids)):
            for span_id, recommender in self._session.execute(
                select(col(SpanSourceRow.span_id), col(SpanSourceRow.recommender)).where(
                    col(SpanSourceRow.span_id).in_(part)
                )
            ):
                found[span_id] = recommender
        return found

    def labelled_texts(self, project_id: int, limit: int = 50_000) -> dict[str, str]:
        """Each text labelled in the project (the most often labelled first, at most `limit`),
        with the label it was given most often: one grouped query, not every set loaded."""
        counted = (
            select(col(SpanRow.text), col(SpanRow.label), func.count().label("n"))
            .join(AnnotationSetRow, col(AnnotationSetRow.id) == col(SpanRow.set_id))
            .join(DocumentRow, col(DocumentRow.id) == col(AnnotationSetRow.document_id))
            .where(col(DocumentRow.project_id) == project_id)
            .group_by(col(SpanRow.text), col(SpanRow.label))
            .order_by(func.count().desc(), col(SpanRow.text), col(SpanRow.label))
            .limit(limit)
        )
        found: dict[str, str] = {}
        for text, label, _n in self._session.execute(counted):
            found.setdefault(text, label)
        return found

    def decisions(self, project_id: int) -> dict[tuple[str, str], tuple[int, int]]:
        """Per (recommender, label), how many suggested spans were accepted and rejected in
        the project (each span of a frame counts under its own label; a suggested relation
        under its type). Two grouped queries: no set is loaded."""
        counts: dict[tuple[str, str], list[int]] = {}
        for recommender, label, n in self._session.execute(
            select(col(SpanSourceRow.recommender), col(SpanRow.label), func.count())
            .join(SpanRow, col(SpanRow.id) == col(SpanSourceRow.span_id))
            .join(AnnotationSetRow, col(AnnotationSetRow.id) == col(SpanRow.set_id))
            .join(DocumentRow, col(DocumentRow.id) == col(AnnotationSetRow.document_id))
            .where(col(DocumentRow.project_id) == project_id)
            .group_by(col(SpanSourceRow.recommender), col(SpanRow.label))
        ):
            counts.setdefault((recommender, label), [0, 0])[0] += n
        for recommender, key, n in self._session.execute(
            select(
                col(SuggestionRejectionRow.recommender),
                col(SuggestionRejectionRow.key),
                func.count(),
            )
            .join(DocumentRow, col(DocumentRow.id) == col(SuggestionRejectionRow.document_id))
            .where(col(DocumentRow.project_id) == project_id)
            .group_by(col(SuggestionRejectionRow.recommender), col(SuggestionRejectionRow.key))
        ):
            for label in labels_of(key):
                counts.setdefault((recommender, label), [0, 0])[1] += n
        return {k: (a, r) for k, (a, r) in sorted(counts.items())}


def labels_of(key: str) -> list[str]:
    """The labels a proposal key names: its span's, each of a frame's spans', or a
    relation's type."""
    if key.startswith("span:"):
        return [key.rsplit(":", 1)[1]]
    if key.startswith("frame:"):
        spans = key[len("frame:") :].split("|", 1)[0]
        return [part.rsplit(":", 1)[1] for part in spans.split(";")]
    return [key.split(":", 2)[1]]  # a relation: its type
