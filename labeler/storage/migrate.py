"""Runs the Alembic migrations: upgrades an older database, refuses a newer or foreign one.

Alembic is imported only when a database is not already at the newest revision: opening an
up-to-date one (every command, most of the time) costs one query, not Alembic's start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from labeler.domain.errors import LabelerError
from labeler.storage.schema_version import MIGRATIONS, newest_revision

if TYPE_CHECKING:
    from alembic.config import Config


class DatabaseVersionError(LabelerError):
    """The database was written by a newer labeler, or is not a labeler database."""


@dataclass(frozen=True)
class MigrationOutcome:
    created: bool
    from_revision: str | None
    to_revision: str


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _stored_revision(connection: Connection) -> str | None:
    """The revision a database records, if it records one (and only one)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return found[0] if len(found) == 1 else None


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, target: str = "head") -> MigrationOutcome:
    """Upgrades the database to `target`; an empty database is created from scratch."""
    with engine.begin() as connection:
        if target == "head":
            stored = _stored_revision(connection)
            if stored is not None and stored == newest_revision():
                return MigrationOutcome(created=False, from_revision=stored, to_revision=stored)
        from alembic import command
        from alembic.script import ScriptDirectory
        from alembic.util import CommandError

        current = current_revision(connection)
        script = ScriptDirectory.from_config(alembic_config())
        if current is None:
            foreign = [t for t in inspect(connection).get_table_names() if t != "alembic_version"]
            if foreign:
                raise DatabaseVersionError(
                    f"{engine.url.render_as_string(hide_password=True)} is not a labeler database "
                    f"(it has tables {', '.join(sorted(foreign)[:5])} but no labeler version)"
                )
        else:
            try:
                script.get_revision(current)
            except CommandError:
                raise DatabaseVersionError(
                    f"the database was written by a newer version of labeler (schema revision "
                    f"{current}; this version knows up to {script.get_current_head()}). "
                    "Install a newer labeler to open it."
                ) from None
        command.upgrade(alembic_config(connection), target)
        now = current_revision(connection)
    assert now is not None
    return MigrationOutcome(created=current is None, from_revision=current, to_revision=now)
