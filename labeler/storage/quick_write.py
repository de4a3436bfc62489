"""Opens an up-to-date SQLite database for an import with the standard library's sqlite3
alone (see services.quick_import): the lean path of `labeler import`. Anything unusual (a
server URL, a missing file, an older or newer schema, a bundle, an unknown project) answers
None, and the caller opens the database the ordinary way."""

from __future__ import annotations

import sqlite3

from labeler.storage.bulk_rows import Driver, plain_sqlite
from labeler.storage.quick_read import sqlite_file
from labeler.storage.schema_version import newest_revision


class LeanWrite:
    """A plain sqlite3 connection in a write transaction (BEGIN IMMEDIATE), as Database
    would open it: WAL, foreign keys on, synchronous NORMAL, a 10 s busy timeout."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.driver: Driver = plain_sqlite(connection)

    def project(self, name: str) -> tuple[int, str] | None:
        """The id and schema TOML of the project; None if there is none of that name, or if
        the database is a bundle (its annotator may not import: the usual path says so)."""
        taken_by = self.connection.execute(
            "SELECT count(DISTINCT annotator_id) FROM bundle_origin"
        ).fetchone()[0]
        if taken_by:
            return None
        found = self.connection.execute(
            "SELECT id, schema_toml FROM project WHERE name = ?", (name,)
        ).fetchone()
        return (found[0], found[1]) if found is not None else None

    def commit(self) -> None:
        self.connection.execute("COMMIT")

    def close(self) -> None:
        """Rolls back what was not committed, and closes the connection."""
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")
        self.connection.close()


def open_for_import(url: str) -> LeanWrite | None:
    """A write transaction on the database `url` names, if it is a SQLite file at the newest
    revision; None otherwise (and for any error opening it: the usual path reports it)."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("BEGIN IMMEDIATE")
        found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        conn.close()
        return None
    if found != [(newest_revision(),)]:
        conn.execute("ROLLBACK")
        conn.close()
        return None
    return LeanWrite(conn)
