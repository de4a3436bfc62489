"""Curated sets in storage: the flag and curator on a set, who had each span and relation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from labeler.storage.session_read import reader_of
from labeler.storage.tables import (
    AnnotationSetRow,
    CurationRejectionRow,
    RelationRow,
    SpanRow,
    table_of,
)


class CurationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def mark_curated(self, set_id: int, curator: str) -> None:
        """Marks a set as curated by `curator`."""
        self._session.connection().execute(
            update(table_of(AnnotationSetRow))
            .where(col(AnnotationSetRow.id) == set_id)
            .values(curated=True, curator=curator)
        )

    def curated_sets(self, document_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
        """The curated set on each of these documents: (set's annotator, curator, status)."""
        return reader_of(self._session).curated_sets(document_ids)

    def set_sources(
        self, spans: Mapping[int, Sequence[str]], relations: Mapping[int, Sequence[str]]
    ) -> None:
        """Records which annotators had each span and relation (by id) of a curated set."""
        connection = self._session.connection()
        for row, items in ((SpanRow, spans), (RelationRow, relations)):
            for item_id, names in items.items():
                connection.execute(
                    update(table_of(row))
                    .where(col(row.id) == item_id)
                    .values(sources=sorted(names))
                )

    def sources(self, set_id: int) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
        """Who had each span and each relation of a set: (by span id, by relation id)."""
        return reader_of(self._session).sources(set_id)

    def reject(self, set_id: int, item: str, annotators: Sequence[str]) -> None:
        """Records that the curator of a set rejected an item (see quality.curation.item_key)."""
        self.unreject(set_id, item)
        self._session.add(
            CurationRejectionRow(set_id=set_id, item=item, annotators=sorted(annotators))
        )
        self._session.flush()

    def unreject(self, set_id: int, item: str) -> None:
        """Forgets a rejection (the item was accepted after all, or the rejection undone)."""
        self._session.connection().execute(
            delete(table_of(CurationRejectionRow)).where(
                col(CurationRejectionRow.set_id) == set_id,
                col(CurationRejectionRow.item) == item,
            )
        )

    def rejections(self, set_id: int) -> dict[str, list[str]]:
        """The items rejected in a set, with the annotators who had each."""
        rows = self._session.execute(
            select(col(CurationRejectionRow.item), col(CurationRejectionRow.annotators)).where(
                col(CurationRejectionRow.set_id) == set_id
            )
        )
        return {item: list(names) for item, names in rows}
