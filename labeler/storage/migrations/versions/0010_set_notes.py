"""A note and the active seconds on each annotation set; guidelines on each project.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("annotation_set") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("active_seconds", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("project") as batch:
        batch.add_column(sa.Column("guidelines", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("project") as batch:
        batch.drop_column("guidelines")
    with op.batch_alter_table("annotation_set") as batch:
        batch.drop_column("active_seconds")
        batch.drop_column("note")
