"""Migration 0009_curated on both engines: existing sets stay plain ones, and it goes back."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect, text

from labeler.storage.migrate import alembic_config


def test_existing_sets_are_not_curated_and_the_migration_goes_back(db_url: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0008")
        conn.execute(
            text(
                "INSERT INTO project (id, name, schema_toml, created_at) "
                "VALUES (1, 'Old', '', '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO document (id, project_id, title, text, digest, meta, created_at) "
                "VALUES (1, 1, 't', 'Ada', 'd', '{}', '2026-01-01 00:00:00')"
            )
        )
        conn.execute(text("INSERT INTO annotator (id, name) VALUES (1, 'ana')"))
        conn.execute(
            text(
                "INSERT INTO annotation_set (id, document_id, annotator_id, status, version, "
                "updated_at) VALUES (1, 1, 1, 'done', 1, '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO span (id, set_id, layer, label, start_offset, end_offset, text, "
                "attributes) VALUES (1, 1, 'entity', 'PERSON', 0, 3, 'Ada', '{}')"
            )
        )
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0009")
        row = conn.execute(text("SELECT curated, curator FROM annotation_set")).one()
        assert (bool(row[0]), row[1]) == (False, None)
        sources = conn.execute(text("SELECT sources FROM span")).scalar_one()
        assert sources in ([], "[]")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0008")
        columns = {c["name"] for c in inspect(conn).get_columns("annotation_set")}
        assert "curated" not in columns and "curator" not in columns
        assert "sources" not in {c["name"] for c in inspect(conn).get_columns("span")}
    engine.dispose()
