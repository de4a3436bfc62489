"""Document labels on each annotation set: the annotator's values of the schema's `[document]`
attributes, as one JSON object (JSONB on PostgreSQL).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN with a constant default: SQLite needs no table rebuild.
    op.add_column(
        "annotation_set",
        sa.Column(
            "document_labels",
            sa.JSON().with_variant(JSONB(), "postgresql"),
            nullable=False,
            server_default="{}",
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("annotation_set") as batch:
        batch.drop_column("document_labels")
