"""Rejections in curated sets: the disagreements a curator rejected, so that they are not
listed as open again when the set is reopened.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "curation_rejection",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "set_id",
            sa.Integer,
            sa.ForeignKey("annotation_set.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("annotators", sa.JSON, nullable=False, server_default="[]"),
        sa.UniqueConstraint("set_id", "item", name="uq_curation_rejection_item"),
    )


def downgrade() -> None:
    op.drop_table("curation_rejection")
