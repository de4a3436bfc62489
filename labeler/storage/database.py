"""The database: an engine on SQLite (default) or PostgreSQL, with transactions for the services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, OperationalError
from sqlmodel import Session

from labeler.domain.errors import LabelerError, NotAllowedError, StorageError
from labeler.storage.migrate import MigrationOutcome, migrate
from labeler.storage.quick_read import database_files
from labeler.storage.store import Store


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's begin event issue BEGIN itself (the driver's implicit one skips DDL).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Writers take the write lock up front (a deferred transaction that later writes can fail
    # busy); readers begin deferred, and WAL lets them read while a writer works.
    options = conn.get_execution_options()
    conn.exec_driver_sql(f"PRAGMA busy_timeout={int(options.get(_WAIT_MS, _DEFAULT_WAIT_MS))}")
    if options.get(_READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


_READ_ONLY = "labeler_read_only"
_INSUFFICIENT_PRIVILEGE = "42501"  # SQLSTATE of a refused grant or row-level security policy


def refusal(exc: DBAPIError) -> NotAllowedError | None:
    """The database's refusal of an account's action as one line, or None if it is not one."""
    if getattr(exc.orig, "sqlstate", None) != _INSUFFICIENT_PRIVILEGE:
        return None
    reason = str(exc.orig).splitlines()[0] if str(exc.orig) else "permission denied"
    return NotAllowedError(f"not allowed for your account: the database refused it ({reason})")


_WAIT_MS = "labeler_wait_ms"
_DEFAULT_WAIT_MS = 10_000


def make_engine(url: str) -> Engine:
    """An engine for a database URL or a plain SQLite file path."""
    if "://" not in url:
        path = Path(url).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{path}"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise LabelerError(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    raise LabelerError(
        f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
    )


def _damaged(exc: DatabaseError) -> bool:
    """Whether the driver says the file is no database or a damaged one (SQLite's plain
    DatabaseError), rather than a rule broken (integrity, data) or the server unreachable."""
    return type(exc) is DatabaseError


_LOGIN_PROBLEMS = (
    ("password authentication failed", "wrong password or user name"),
    ("no password supplied", "no password given (in the URL, PGPASSWORD or ~/.pgpass)"),
    ("connection refused", "the server is unreachable"),
    ("could not translate host name", "the server is unreachable"),
    ("timeout expired", "the server is unreachable"),
    ("does not exist", "no such database or user"),
)


def _why_not(exc: OperationalError) -> str:
    """What a person can do about a failed connection, as a prefix of the driver's words."""
    said = str(exc.orig).lower()
    for words, meaning in _LOGIN_PROBLEMS:
        if words in said:
            return f"{meaning}; "
    return ""


class Database:
    """Owns the engine; hands out transactions as Stores of repositories."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.outcome: MigrationOutcome | None = None
        self._closed = False
        # Pool events follow the engine into the pool that dispose() puts in place.
        event.listen(self.engine, "checkin", self._on_checkin)

    def _on_checkin(self, dbapi_connection: Any, record: Any) -> None:
        """Once closed, a connection given back (by a thread that was still reading when
        close() came, or that read after it) is closed, not kept in a pool nobody will close:
        left there, the driver's connection would be collected still open."""
        if self._closed and dbapi_connection is not None:
            record.invalidate()

    def open(self) -> MigrationOutcome:
        """Brings the schema up to date (creating it when new); refuses a newer database."""
        self._closed = False
        try:
            self.outcome = migrate(self.engine)
        except OperationalError as exc:
            raise LabelerError(
                f"cannot open database {self.display_url}: {_why_not(exc)}{exc.orig}"
            ) from None
        except DatabaseError as exc:
            if not _damaged(exc):
                raise
            raise LabelerError(
                f"cannot open database {self.display_url}: it is not a database or it is "
                f"damaged ({exc.orig})"
            ) from None
        return self.outcome

    @property
    def files(self) -> list[Path]:
        """The files an embedded database lives in (none for a server)."""
        url = make_url(self.engine.url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return []
        return database_files(Path(url.database))

    @property
    def display_url(self) -> str:
        """The database as a person names it: a file's path, or a server URL without password."""
        url = make_url(self.engine.url)
        if url.get_backend_name() == "sqlite" and url.database:
            return url.database
        return url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self, wait_ms: int | None = None) -> Iterator[Store]:
        """A unit of work: committed when the block ends, rolled back if it raises.

        `wait_ms` bounds how long an embedded database waits for another writer (an import,
        say) before giving up with StorageError; an annotator's edit should not hang the window.
        """
        engine = self.engine
        if wait_ms is not None:
            engine = engine.execution_options(**{_WAIT_MS: wait_ms})
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                yield Store(session)
        except OperationalError as exc:
            raise StorageError(
                f"not stored: the database is busy or unreachable ({exc.orig})"
            ) from exc
        except DatabaseError as exc:
            refused = refusal(exc)  # an account's action the database's rules refuse
            if refused is not None:
                raise refused from exc
            if not _damaged(exc):
                raise
            raise StorageError(f"the database {self.display_url} is damaged ({exc.orig})") from exc

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """A transaction that only reads: on SQLite it does not wait for, or block, writers."""
        reader = self.engine.execution_options(**{_READ_ONLY: True})
        try:
            with Session(reader, expire_on_commit=False) as session, session.begin():
                yield Store(session)
        except DatabaseError as exc:
            refused = refusal(exc)  # an account's action the database's rules refuse
            if refused is not None:
                raise refused from exc
            if not _damaged(exc):
                raise
            raise StorageError(f"the database {self.display_url} is damaged ({exc.orig})") from exc

    def close(self) -> None:
        """Closes every idle connection, and each busy one as soon as it is given back."""
        self._closed = True
        self.engine.dispose()
