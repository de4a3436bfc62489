"""An index for the pages of the document list filtered by a status (storage.status_pages).

A page asks of each document whether it has a set of some status; (document_id, status)
answers from the index alone, without reading the sets' rows.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_annotation_set_document_status",
        "annotation_set",
        ["document_id", "status", "annotator_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_annotation_set_document_status", "annotation_set")
