"""Notes on spans and relations: free text an annotator attaches (brat's AnnotatorNotes).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("span", "relation"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    for table in ("span", "relation"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("note")
