"""A team on one PostgreSQL database: project members, assignments, and who may see what.

On every engine: `project.others_visible` (off: annotators label blind), `project_member` (who
works on a project), `assignment` (which documents an annotator is given, in order) and
`bundle_origin` (in a bundle taken from a team database: each set's version there and here
when it was taken). On
PostgreSQL also row-level security on every table, and the grants and policies of the
`labeler_lead` and `labeler_annotator` group roles when these exist (`labeler team init` creates
them and installs the same again), and a NOTIFY on channel `labeler_changes` whenever an
annotation set changes, so that open windows follow. On SQLite nothing more: one person, one file.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from labeler.storage import team_policies

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _fk(name: str, target: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target, ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite takes one with a constant default): no table rebuild.
    op.add_column(
        "project",
        sa.Column("others_visible", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "project_member",
        _fk("project_id", "project.id"),
        _fk("annotator_id", "annotator.id"),
        sa.PrimaryKeyConstraint("project_id", "annotator_id"),
    )
    op.create_index("ix_project_member_annotator_id", "project_member", ["annotator_id"])
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk("project_id", "project.id"),
        _fk("document_id", "document.id"),
        _fk("annotator_id", "annotator.id"),
        sa.Column("position", sa.Integer, nullable=False),
        sa.UniqueConstraint("document_id", "annotator_id", name="uq_assignment_document_annotator"),
    )
    op.create_index("ix_assignment_annotator_id", "assignment", ["annotator_id", "position"])
    op.create_index("ix_assignment_project_id", "assignment", ["project_id"])
    op.create_table(
        "bundle_origin",
        _fk("document_id", "document.id"),
        _fk("annotator_id", "annotator.id"),
        sa.Column("server_version", sa.Integer, nullable=False),
        sa.Column("local_version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("document_id", "annotator_id"),
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for statement in team_policies.NOTIFY_CHANGES:
        bind.exec_driver_sql(statement)
    team_policies.enable_row_security(bind)
    if team_policies.groups_exist(bind):
        team_policies.install_policies(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        team_policies.remove_policies(bind)
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS annotation_set_notify ON annotation_set")
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS labeler_notify_set()")
    op.drop_table("bundle_origin")
    op.drop_table("assignment")
    op.drop_table("project_member")
    op.drop_column("project", "others_visible")
