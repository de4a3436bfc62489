"""The team's rules on the tables added beside it: suggestions, rejections, accepted spans'
recommenders and the search index; curated sets kept for leads.

On PostgreSQL, row-level security on `suggestion`, `suggestion_rejection`, `span_source` and
`document_search`, and (when the team's group roles exist) the grants and policies that let an
annotator read their projects' suggestions and search index and keep their own rejections and
accepted spans' recommenders; a curated set is no annotator's to write. A database migrated
before this revision had those tables open to leads only. On SQLite nothing: one person, one
file.

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

from labeler.storage import team_policies

revision = "0015"
down_revision = "0011"
branch_labels = None
depends_on = None

NEWER = ("suggestion", "suggestion_rejection", "span_source", "document_search")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    team_policies.enable_row_security(bind)
    if team_policies.groups_exist(bind):
        team_policies.install_policies(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    team_policies.remove_policies(bind, NEWER)
