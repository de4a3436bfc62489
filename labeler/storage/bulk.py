"""Fast bulk writes and reads: ids reserved up front, rows sent with the driver's executemany.

SQLAlchemy's per-row work (compiling parameters, running type processors, RETURNING) costs
more than SQLite itself on large imports. Here each column's type processor is looked up once,
constant values are processed once, and ids are reserved before the insert so that no
RETURNING is needed to link spans to their sets and relations to their spans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from sqlalchemy import JSON, Date, DateTime, Table
from sqlmodel import Session

from labeler.storage import bulk_rows
from labeler.storage.bulk_rows import Driver, sqlite_driver
from labeler.storage.plain_read import load_json as load_json  # read helpers live there
from labeler.storage.tables import JsonType


def _same(value: Any) -> Any:
    return value


def driver_of(session: Session) -> Driver:
    """The session's connection, in its transaction, for the writes of bulk_rows; errors come
    wrapped by SQLAlchemy as from any other statement.

    SQLite takes bulk_rows' own converters (the ones the lean import uses); PostgreSQL the
    converters of SQLAlchemy's types for its driver.
    """
    connection = session.connection()
    dialect = connection.dialect

    def run(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        result = connection.exec_driver_sql(sql, tuple(params))
        return [tuple(row) for row in result] if result.returns_rows else []

    def run_many(sql: str, rows: list[tuple[Any, ...]]) -> None:
        connection.exec_driver_sql(sql, rows)

    if dialect.name != "postgresql":
        return sqlite_driver(run, run_many)

    def processor(kind: Any) -> Callable[[Any], Any]:
        found = kind.dialect_impl(dialect).bind_processor(dialect)
        return cast("Callable[[Any], Any]", found) if found is not None else _same

    return Driver(
        run,
        run_many,
        True,
        processor(DateTime(timezone=True)),
        processor(Date()),
        processor(JsonType),
        processor(JSON()),
    )


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` fresh primary keys for `table`, to insert explicitly in this transaction
    (see bulk_rows.reserve_ids)."""
    return bulk_rows.reserve_ids(driver_of(session), table.name, count)


class BulkInsert:
    """An INSERT of fixed columns into one table, fed with tuples in the columns' order."""

    def __init__(self, session: Session, table: Table, columns: Sequence[str]) -> None:
        self._session = session
        dialect = session.get_bind().dialect
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self._sql = (
            f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join([mark] * len(columns))})"
        )
        self._processors: list[Callable[[Any], Any] | None] = [
            table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
        ]

    def process(self, index: int, value: Any) -> Any:
        """A value as the driver takes it, for a column that holds one value in every row."""
        processor = self._processors[index]
        return processor(value) if processor is not None else value

    def json(self, index: int) -> Callable[[Any], Any]:
        """A fast converter for a JSON column: empty objects, the common case, are shared."""
        empty = self.process(index, {})
        processor = self._processors[index]

        def convert(value: Any) -> Any:
            if not value:
                return empty
            return processor(value) if processor is not None else value

        return convert

    def run(self, rows: Iterable[tuple[Any, ...]]) -> None:
        batch = list(rows)
        if batch:
            self._session.connection().exec_driver_sql(self._sql, batch)


def fetch_rows(session: Session, query: Any) -> list[tuple[Any, ...]]:
    """A SELECT's rows as the driver returns them, with no per-row work by SQLAlchemy.

    For large reads of plain columns (ints and strings); columns that need a type's result
    processing (dates, JSON) must be converted by the caller.
    """
    connection = session.connection()
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params: Any = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        # The DB-API types it as a sequence; sqlite3 and psycopg both return a list of tuples.
        return cast("list[tuple[Any, ...]]", cursor.fetchall())
    finally:
        cursor.close()


class PreparedSelect:
    """A SELECT with named parameters, compiled once per kind of database and run like
    fetch_rows: for the queries an editor runs on every open, where compiling costs more
    than reading."""

    def __init__(self, query: Any) -> None:
        self._query = query
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}

    def rows(self, session: Session, **params: Any) -> list[tuple[Any, ...]]:
        connection = session.connection()
        dialect = connection.dialect
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self._query.compile(dialect=dialect)
            order = tuple(compiled.positiontup) if compiled.positional else None
            found = self._compiled[dialect.name] = (str(compiled), order)
        sql, order = found
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql, tuple(params[name] for name in order) if order else params)
            return cast("list[tuple[Any, ...]]", cursor.fetchall())  # as in fetch_rows
        finally:
            cursor.close()
