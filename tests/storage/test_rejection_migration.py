"""Migration 0013 on both engines: the curation_rejection table comes and goes."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect

from labeler.storage.migrate import alembic_config


def test_the_rejections_table_comes_and_goes(db_url: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0013")
        columns = {c["name"] for c in inspect(conn).get_columns("curation_rejection")}
        assert columns == {"id", "set_id", "item", "annotators"}
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0011")
        assert "curation_rejection" not in inspect(conn).get_table_names()
    engine.dispose()
