"""Opens an up-to-date SQLite database for an import with the standard library's sqlite3
alone (see services.quick_import): the lean path of `labeler import`. Anything unusual (a
server URL, a missing file, an older or newer schema, a bundle, an unknown project) answers
None, and the caller opens the database the ordinary way."""

from __future__ import annotations

import sqlite3

from labeler.domain.errors import StorageError
from labeler.storage.bulk_rows import Driver, plain_sqlite
from labeler.storage.quick_read import sqlite_file
from labeler.storage.schema_version import newest_revision

BUSY_MS = 10_000  # how long to wait for another writer, as Database does


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


def _newest(conn: sqlite3.Connection) -> bool:
    """Whether the database is a labeler database at the newest revision."""
    try:
        found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:
        return False
    return found == [(newest_revision(),)]


def busy(exc: sqlite3.OperationalError) -> StorageError:
    """What Database.transaction says when SQLite cannot write (busy, disk full, read-only)."""
    return StorageError(f"not stored: the database is busy or unreachable ({exc})")


def open_for_import(url: str) -> LeanWrite | None:
    """A write transaction on the database `url` names, if it is a SQLite file at the newest
    revision; None otherwise (and for any error opening it: the usual path reports it).
    StorageError when another writer holds the file past the busy timeout."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        if not _newest(conn):  # before any pragma: a file of another program stays as it is
            conn.close()
            return None
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    except sqlite3.Error:
        conn.close()
        return None
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:  # another writer kept the file past BUSY_MS
        conn.close()
        raise busy(exc) from None
    if not _newest(conn):  # migrated by another process meanwhile
        conn.execute("ROLLBACK")
        conn.close()
        return None
    return LeanWrite(conn)
