"""Indexes for the document list's status filter and sort on large projects.

The list finds the documents of a status through the sets of that status (for everyone, or
one annotator): (status, document_id) and (annotator_id, status, document_id) let the database
read just those sets' document ids instead of every set.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_annotation_set_status", "annotation_set", ["status", "document_id"])
    op.create_index(
        "ix_annotation_set_annotator_status",
        "annotation_set",
        ["annotator_id", "status", "document_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_annotation_set_annotator_status", "annotation_set")
    op.drop_index("ix_annotation_set_status", "annotation_set")
