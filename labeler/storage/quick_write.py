"""Opens an up-to-date SQLite database for an import with the standard library's sqlite3
alone (see services.quick_import): the lean path of `labeler import`. Anything unusual (a
server URL, a missing file, an older or newer schema, a bundle, an unknown project) answers
None, and the caller opens the database the ordinary way."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

from labeler.domain.errors import StorageError
from labeler.storage.bulk_rows import Driver, sqlite_driver
from labeler.storage.quick_read import sqlite_file
from labeler.storage.schema_version import newest_revision

BUSY_MS = 10_000  # how long to wait for another writer, as Database does
# SQLite's page cache for the import's connection, in KiB (64 MiB at most, taken as pages are
# dirtied): with the default 2 MiB, a large import spills its pages into the WAL mid-transaction
# and writes many again; held until the commit, each is written once (a 5,000-task import of
# 31 MB: 0.05 s less CPU).
CACHE_KIB = 65_536


class _Aside:
    """Runs statements in order on a helper thread, on a connection that nobody else uses
    until wait() returns: SQLite's C code leaves the interpreter to the main thread, which
    reads the next batch meanwhile. After a failed statement the rest are not run (the
    transaction is rolled back)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._queue: deque[tuple[str, tuple[Any, ...]]] = deque()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self, sql: str, params: Sequence[Any]) -> None:
        with self._lock:
            self._queue.append((sql, tuple(params)))
            if self._thread is None:  # else the running thread takes it
                self._thread = threading.Thread(
                    target=self._drain, name="labeler-import-sql", daemon=True
                )
                self._thread.start()

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._thread = None
                    return
                sql, params = self._queue.popleft()
            if self._error is not None:
                continue
            try:
                self._connection.execute(sql, params)
            except BaseException as exc:  # raised again in the main thread, by wait()
                self._error = exc

    def wait(self) -> None:
        """Returns once every statement started has run; raises what the first failed one
        raised."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join()
        error, self._error = self._error, None
        if error is not None:
            raise error


class LeanWrite:
    """A plain sqlite3 connection in a write transaction (BEGIN IMMEDIATE), as Database
    would open it: WAL, foreign keys on, synchronous NORMAL, a 10 s busy timeout."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self._aside = aside = _Aside(connection)

        def run(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
            aside.wait()
            return connection.execute(sql, params).fetchall()

        def run_many(sql: str, rows: list[tuple[Any, ...]]) -> None:
            aside.wait()
            connection.executemany(sql, rows)

        self.driver: Driver = sqlite_driver(run, run_many, aside.start, staging=True)

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
        self._aside.wait()
        self.connection.execute("COMMIT")

    def close(self) -> None:
        """Rolls back what was not committed, and closes the connection."""
        # A failed statement's error was raised already, or the rollback undoes it.
        with contextlib.suppress(sqlite3.Error):
            self._aside.wait()
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
        conn = sqlite3.connect(
            path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False
        )
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
        conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        conn.execute("PRAGMA temp_store=MEMORY")  # rows staged for the helper thread (bulk_rows)
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
