"""Models trained in the loop: each project's versions with their figures, and its settings.

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

JsonType = sa.JSON().with_variant(JSONB(), "postgresql")


def _project() -> sa.Column[int]:
    return sa.Column(
        "project_id", sa.Integer(), sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "trained_model",
        sa.Column("id", sa.Integer(), primary_key=True),
        _project(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("folder", sa.Text(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("held_out", sa.Integer(), nullable=False),
        sa.Column("precision", sa.Float(), nullable=False),
        sa.Column("recall", sa.Float(), nullable=False),
        sa.Column("f1", sa.Float(), nullable=False),
        sa.Column("per_label", JsonType, nullable=False),
        sa.UniqueConstraint("project_id", "version", name="uq_trained_model_version"),
    )
    op.create_index("ix_trained_model_project_id", "trained_model", ["project_id"])
    op.create_table(
        "training_setting",
        sa.Column(
            "project_id",
            sa.Integer(),
            sa.ForeignKey("project.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("min_f1", sa.Float(), nullable=False),
        sa.Column("retrain_every", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("training_setting")
    op.drop_index("ix_trained_model_project_id", "trained_model")
    op.drop_table("trained_model")
