"""Alembic environment: runs on the connection labeler hands it (see storage/migrate.py)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine
from sqlmodel import SQLModel

import labeler.storage.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from labeler.storage.search_repository import outside_search_index

target_metadata = SQLModel.metadata
config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        # Run from the alembic command line: `-x url=sqlite:///file.db`.
        url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///labeler.db")
        with create_engine(url).begin() as conn:
            _configure_and_run(conn)
    else:
        _configure_and_run(connection)


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=outside_search_index,  # made by 0005_search, not SQLModel tables
    )
    with context.begin_transaction():
        context.run_migrations()


run()
