"""The versions of each project's model trained in the loop, and the lead's settings for it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col
from sqlmodel import select as select_rows

from labeler.domain.trained_model import LabelScore, TrainedModel, TrainingPolicy
from labeler.storage.tables import (
    AnnotationSetRow,
    DocumentRow,
    TrainedModelRow,
    TrainingSettingRow,
)


def _model(row: TrainedModelRow) -> TrainedModel:
    per_label = {
        label: LabelScore(
            float(v["precision"]), float(v["recall"]), float(v["f1"]), int(v["support"])
        )
        for label, v in dict(row.per_label).items()
    }
    return TrainedModel(
        version=row.version,
        created=row.created_at,
        folder=row.folder,
        documents=row.documents,
        held_out=row.held_out,
        precision=row.precision,
        recall=row.recall,
        f1=row.f1,
        per_label=per_label,
    )


class ModelRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_version(self, project_id: int) -> int:
        """The version the project's next model takes: one past the highest so far."""
        highest = self._session.execute(
            select(func.max(col(TrainedModelRow.version))).where(
                col(TrainedModelRow.project_id) == project_id
            )
        ).scalar()
        return int(highest or 0) + 1

    def add(self, project_id: int, model: TrainedModel) -> None:
        per_label: dict[str, Any] = {
            label: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "support": s.support}
            for label, s in model.per_label.items()
        }
        self._session.add(
            TrainedModelRow(
                project_id=project_id,
                version=model.version,
                created_at=model.created,
                folder=model.folder,
                documents=model.documents,
                held_out=model.held_out,
                precision=model.precision,
                recall=model.recall,
                f1=model.f1,
                per_label=per_label,
            )
        )
        self._session.flush()

    def versions(self, project_id: int) -> list[TrainedModel]:
        """The project's models, oldest first."""
        rows = self._session.exec(
            select_rows(TrainedModelRow)
            .where(col(TrainedModelRow.project_id) == project_id)
            .order_by(col(TrainedModelRow.version))
        ).all()
        return [_model(r) for r in rows]

    def finished_documents(self, project_id: int) -> int:
        """How many of the project's documents have a done set (someone's or a curated one)."""
        count = self._session.execute(
            select(func.count(func.distinct(col(AnnotationSetRow.document_id))))
            .join(DocumentRow, col(DocumentRow.id) == col(AnnotationSetRow.document_id))
            .where(
                col(DocumentRow.project_id) == project_id,
                col(AnnotationSetRow.status) == "done",
            )
        ).scalar()
        return int(count or 0)

    def policy(self, project_id: int) -> TrainingPolicy:
        row = self._session.get(TrainingSettingRow, project_id)
        if row is None:
            return TrainingPolicy()
        return TrainingPolicy(row.min_f1, row.retrain_every)

    def set_policy(self, project_id: int, policy: TrainingPolicy) -> None:
        row = self._session.get(TrainingSettingRow, project_id)
        if row is None:
            row = TrainingSettingRow(project_id=project_id, min_f1=0.0, retrain_every=0)
        row.min_f1 = policy.min_f1
        row.retrain_every = policy.retrain_every
        self._session.add(row)
        self._session.flush()
