"""The team's rules on the tables added beside it, and who has which document open.

On every engine a table `presence`: the document each person has open now, and since when
(written on a team database only; a SQLite file has one user, and it stays empty there). On
PostgreSQL also row-level security on `suggestion`, `suggestion_rejection`, `span_source`,
`document_search` and `presence`, and (when the team's group roles exist) the grants and
policies that let an annotator read their projects' suggestions and search index, keep their
own rejections, accepted spans' recommenders and presence; a curated set is no annotator's to
write. A change of presence is announced on channel `labeler_changes` like a set's, so the
lead's progress view follows it. A database migrated before this revision had those tables
open to leads only.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from labeler.storage import team_policies

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

NEWER = ("suggestion", "suggestion_rejection", "span_source", "document_search", "presence")


def _fk(name: str, target: str, *, primary_key: bool = False) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer,
        sa.ForeignKey(target, ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def upgrade() -> None:
    op.create_table(
        "presence",
        _fk("annotator_id", "annotator.id", primary_key=True),
        _fk("project_id", "project.id"),
        _fk("document_id", "document.id"),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    bind.exec_driver_sql(team_policies.NOTIFY_PRESENCE)
    team_policies.enable_row_security(bind)
    if team_policies.groups_exist(bind):
        team_policies.install_policies(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        team_policies.remove_policies(bind, NEWER)
    op.drop_table("presence")
