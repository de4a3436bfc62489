"""The plain reader (plain_read) on a SQLAlchemy session's connection: the usual path's way
to the reading code the lean one runs on sqlite3 alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from labeler.storage.plain_read import Connection, Cursor, PlainReader


def reader_of(session: Session) -> PlainReader:
    """The plain reads on a session's connection, in its transaction (its pending changes
    flushed first, as its own queries would); the driver's errors come as SQLAlchemy's, as
    its own queries' do, so the callers' handling (a refusal, a damaged file) holds."""
    session.flush()
    connection = session.connection()
    dialect = connection.dialect
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    return PlainReader(_SessionConnection(connection.connection, dialect.loaded_dbapi.Error), mark)


class _SessionConnection:
    """A driver connection whose cursors raise the driver's errors as SQLAlchemy's."""

    def __init__(self, connection: Connection, error: type[Exception]) -> None:
        self._connection = connection
        self._error = error

    def cursor(self) -> _SessionCursor:
        return _SessionCursor(self._connection.cursor(), self._error)


class _SessionCursor:
    def __init__(self, cursor: Cursor, error: type[Exception]) -> None:
        self._cursor = cursor
        self._error = error
        self._statement: tuple[str, Sequence[Any]] = ("", ())

    def execute(self, sql: str, params: Sequence[Any], /) -> Any:
        self._statement = (sql, params)
        try:
            return self._cursor.execute(sql, params)
        except self._error as exc:
            raise self._wrapped(exc) from exc

    def fetchall(self) -> Sequence[Any]:
        try:
            return self._cursor.fetchall()
        except self._error as exc:
            raise self._wrapped(exc) from exc

    def close(self) -> None:
        self._cursor.close()

    def _wrapped(self, exc: Exception) -> Exception:
        sql, params = self._statement
        return DBAPIError.instance(sql, params, exc, self._error)
