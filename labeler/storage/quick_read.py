"""Reads an up-to-date SQLite database with the standard library's sqlite3 alone, for the
commands that only list something: SQLAlchemy and SQLModel take longer to import than such a
command takes to run. Anything unusual (a server URL, a missing file, an older or newer
schema) answers None, and the caller opens the database the ordinary way."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import unquote

from labeler.storage.plain_read import PlainReader
from labeler.storage.schema_version import newest_revision

ProjectRow = tuple[int, str, str, int]  # id, name, schema TOML, documents


def sqlite_file(url: str) -> Path | None:
    """The file of an embedded database named by a path or a sqlite:/// URL; None otherwise."""
    if "://" not in url:
        return Path(url).expanduser()
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    rest = unquote(url[len(prefix) :])
    return Path(rest).expanduser() if rest and rest != ":memory:" else None


def _connect_current(path: Path) -> sqlite3.Connection | None:
    """A connection that only reads, to a database file at the newest revision, else None.

    Not SQLite's read-only mode: that leaves the WAL files behind, which the last connection
    to close removes."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path, timeout=10)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA query_only = ON")
        found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        conn.close()
        return None
    if found != [(newest_revision(),)]:
        conn.close()
        return None
    return conn


def project_listing(url: str) -> tuple[list[ProjectRow], list[str]] | None:
    """Every project with its document count, by name, and the annotators a bundle was taken
    for (a bundle is its annotator's); None when the database must be opened the usual way."""
    path = sqlite_file(url)
    conn = _connect_current(path) if path is not None else None
    if conn is None:
        return None
    try:
        with closing(conn):
            projects = conn.execute(
                "SELECT p.id, p.name, p.schema_toml, "
                "(SELECT count(*) FROM document d WHERE d.project_id = p.id) "
                "FROM project p ORDER BY p.name"
            ).fetchall()
            taken_by = conn.execute(
                "SELECT DISTINCT a.name FROM annotator a "
                "JOIN bundle_origin b ON b.annotator_id = a.id"
            ).fetchall()
    except sqlite3.Error:
        return None
    return projects, [name for (name,) in taken_by]


def database_files(path: Path) -> list[Path]:
    """The files an embedded database lives in: the file, its write-ahead log, its index."""
    main = path.expanduser().resolve()
    return [main, main.with_name(main.name + "-wal"), main.with_name(main.name + "-shm")]


class QuickDatabase:
    """An up-to-date SQLite file opened with sqlite3 alone, for a command that only reads."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.files = database_files(path)

    def taken_by(self) -> list[str]:
        """The annotators a bundle was taken for (a bundle is its annotator's)."""
        return [
            name
            for (name,) in self._connection.execute(
                "SELECT DISTINCT a.name FROM annotator a "
                "JOIN bundle_origin b ON b.annotator_id = a.id"
            )
        ]

    @contextmanager
    def reading(self) -> Iterator[PlainReader]:
        """A transaction that only reads, as one snapshot of the database."""
        self._connection.execute("BEGIN")
        try:
            yield PlainReader(self._connection, "?")
        finally:
            self._connection.rollback()

    def close(self) -> None:
        self._connection.close()


def open_current(url: str) -> QuickDatabase | None:
    """The SQLite database named by `url` opened with sqlite3, if it is a file at the newest
    revision; None when it must be opened the usual way."""
    path = sqlite_file(url)
    conn = _connect_current(path) if path is not None else None
    if conn is None or path is None:
        return None
    return QuickDatabase(conn, path)
