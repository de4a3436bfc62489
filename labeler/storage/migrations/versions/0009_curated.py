"""Curated (gold) sets: a flag and the curator's name on the set; which annotators had each
span and relation of a curated set.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("annotation_set") as batch:
        batch.add_column(
            sa.Column("curated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("curator", sa.String(200), nullable=True))
    for table in ("span", "relation"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("sources", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    for table in ("span", "relation"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("sources")
    with op.batch_alter_table("annotation_set") as batch:
        batch.drop_column("curator")
        batch.drop_column("curated")
