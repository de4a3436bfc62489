"""Projects, documents, annotators, annotation sets, spans and relations.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JsonType = sa.JSON().with_variant(JSONB(), "postgresql")


def _fk(name: str, target: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target, ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "project",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("schema_toml", sa.String, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "annotator",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("project_id", "project.id"),
        sa.Column("title", sa.String(1000), nullable=False),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("text", sa.String, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("meta", JsonType, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("project_id", "digest", name="uq_document_project_digest"),
    )
    op.create_index("ix_document_project_id", "document", ["project_id"])
    op.create_table(
        "annotation_set",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("document_id", "document.id"),
        _fk("annotator_id", "annotator.id"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "document_id", "annotator_id", name="uq_annotation_set_document_annotator"
        ),
    )
    op.create_index("ix_annotation_set_document_id", "annotation_set", ["document_id"])
    op.create_table(
        "span",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("set_id", "annotation_set.id"),
        sa.Column("layer", sa.String(100), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("start_offset", sa.Integer, nullable=False),
        sa.Column("end_offset", sa.Integer, nullable=False),
        sa.Column("text", sa.String, nullable=False),
        sa.Column("attributes", JsonType, nullable=False),
    )
    op.create_index("ix_span_set_id", "span", ["set_id"])
    op.create_table(
        "relation",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("set_id", "annotation_set.id"),
        sa.Column("type", sa.String(100), nullable=False),
        _fk("head_id", "span.id"),
        _fk("tail_id", "span.id"),
        sa.Column("attributes", JsonType, nullable=False),
    )
    op.create_index("ix_relation_set_id", "relation", ["set_id"])
    op.create_index("ix_relation_head_id", "relation", ["head_id"])
    op.create_index("ix_relation_tail_id", "relation", ["tail_id"])


def downgrade() -> None:
    for table in ("relation", "span", "annotation_set", "document", "annotator", "project"):
        op.drop_table(table)
