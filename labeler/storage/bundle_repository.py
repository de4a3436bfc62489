"""A bundle's record of where its sets came from, and whole sets put in place of others."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from labeler.domain.annotation import AnnotationSet
from labeler.storage.annotation_repository import AnnotationRepository
from labeler.storage.bulk_rows import NewSet
from labeler.storage.tables import AnnotationSetRow, AnnotatorRow, BundleOriginRow


@dataclass(frozen=True)
class Origin:
    """An annotator's set on a bundle's document: its version on the team database (0: none)
    and in the bundle when the bundle was written or last brought back."""

    document_id: int
    annotator: str
    server_version: int
    local_version: int


class BundleRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record(self, document_id: int, annotator_id: int, server: int, local: int) -> None:
        row = self._session.get(BundleOriginRow, (document_id, annotator_id))
        if row is None:
            self._session.add(
                BundleOriginRow(
                    document_id=document_id,
                    annotator_id=annotator_id,
                    server_version=server,
                    local_version=local,
                )
            )
        else:
            row.server_version, row.local_version = server, local
        self._session.flush()

    def origins(self) -> list[Origin]:
        rows = self._session.execute(
            select(
                col(BundleOriginRow.document_id),
                col(AnnotatorRow.name),
                col(BundleOriginRow.server_version),
                col(BundleOriginRow.local_version),
            )
            .join(AnnotatorRow, col(AnnotatorRow.id) == col(BundleOriginRow.annotator_id))
            .order_by(col(BundleOriginRow.document_id))
        )
        return [Origin(*row) for row in rows]

    def put_set(self, document_id: int, annotator_id: int, annotations: AnnotationSet) -> int:
        """Replaces the annotator's set on the document with `annotations`; returns its new
        version, above any the replaced set had, so that an open editor sees the change."""
        old = self._session.scalar(
            select(col(AnnotationSetRow.version)).where(
                col(AnnotationSetRow.document_id) == document_id,
                col(AnnotationSetRow.annotator_id) == annotator_id,
            )
        )
        self._session.execute(
            delete(AnnotationSetRow).where(
                col(AnnotationSetRow.document_id) == document_id,
                col(AnnotationSetRow.annotator_id) == annotator_id,
            )
        )
        AnnotationRepository(self._session).add_sets(
            [NewSet.of(document_id, annotator_id, annotations)]
        )
        version = (old or 0) + 1
        self._session.execute(
            update(AnnotationSetRow)
            .where(
                col(AnnotationSetRow.document_id) == document_id,
                col(AnnotationSetRow.annotator_id) == annotator_id,
            )
            .values(version=version)
        )
        return version
