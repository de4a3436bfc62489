"""Refuse any change to a document's text once imported, in the database itself.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MESSAGE = "document text is immutable after import"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER document_text_immutable BEFORE UPDATE OF text ON document "
            "WHEN NEW.text IS NOT OLD.text "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
    else:
        op.execute(
            "CREATE FUNCTION document_text_immutable() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER document_text_immutable BEFORE UPDATE OF text ON document "
            "FOR EACH ROW WHEN (NEW.text IS DISTINCT FROM OLD.text) "
            "EXECUTE FUNCTION document_text_immutable()"
        )


def downgrade() -> None:
    op.execute("DROP TRIGGER document_text_immutable" + ("" if _sqlite() else " ON document"))
    if not _sqlite():
        op.execute("DROP FUNCTION document_text_immutable()")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"
