"""Ids are never handed out twice: a high-water mark per table for the embedded database.

SQLite gives a new row the highest id plus one, so the id of the last span deleted comes back
with the next span made. Undo puts a deleted span back under the id it had, and must find it
free: the ids reserved so far are kept here, and reserve_ids starts above them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("document", "annotation_set", "span", "relation")


def upgrade() -> None:
    floor = op.create_table(
        "id_floor",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("last_id", sa.Integer(), nullable=False),
    )
    bind = op.get_bind()
    rows = [
        {
            "name": name,
            "last_id": bind.execute(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {name}")).scalar(),
        }
        for name in TABLES
    ]
    op.bulk_insert(floor, rows)


def downgrade() -> None:
    op.drop_table("id_floor")
