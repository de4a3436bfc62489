"""Suggestions: stored per document, rejections per annotator, and the source of accepted spans.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

JsonType = sa.JSON().with_variant(JSONB(), "postgresql")


def _fk(column: str, target: str) -> sa.Column[int]:
    return sa.Column(
        column, sa.Integer(), sa.ForeignKey(target, ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("document_id", "document.id"),
        sa.Column("recommender", sa.String(100), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("proposal", JsonType, nullable=False),
        sa.UniqueConstraint("document_id", "recommender", "key", name="uq_suggestion_key"),
    )
    op.create_index("ix_suggestion_document_id", "suggestion", ["document_id"])
    op.create_table(
        "suggestion_rejection",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("document_id", "document.id"),
        _fk("annotator_id", "annotator.id"),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("recommender", sa.String(100), nullable=False),
        sa.UniqueConstraint(
            "document_id", "annotator_id", "key", name="uq_suggestion_rejection_key"
        ),
    )
    op.create_index("ix_suggestion_rejection_document_id", "suggestion_rejection", ["document_id"])
    op.create_table(
        "span_source",
        sa.Column(
            "span_id",
            sa.Integer(),
            sa.ForeignKey("span.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("recommender", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("span_source")
    op.drop_index("ix_suggestion_rejection_document_id", "suggestion_rejection")
    op.drop_table("suggestion_rejection")
    op.drop_index("ix_suggestion_document_id", "suggestion")
    op.drop_table("suggestion")
