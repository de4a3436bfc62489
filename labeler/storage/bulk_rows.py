"""Bulk writes on a DB-API connection, without SQLAlchemy: the annotation sets of an import (its
documents: bulk_documents), ids reserved up front, rows sent with executemany.

The repositories run these on the connection of their SQLAlchemy session; the lean import
(`labeler import` on an up-to-date SQLite file) runs them on a plain sqlite3 connection. One
copy of the SQL either way; what differs is how a value becomes a column value (`Driver`):
SQLite's converters are written here, equal to SQLAlchemy's (a test holds them equal), and a
PostgreSQL session brings SQLAlchemy's own.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status
from labeler.domain.curated import CuratedMark
from labeler.storage.plain_read import chunks

Run = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]  # one statement: its rows
RunMany = Callable[[str, list[tuple[Any, ...]]], None]  # one statement, executemany
Aside = Callable[[str, Sequence[Any]], None]  # one statement, started on a helper thread


@dataclass(frozen=True)
class Driver:
    """How to run SQL in the open transaction (placeholders written `?`), and how values
    become column values."""

    run: Run
    run_many: RunMany
    postgres: bool
    when: Callable[[datetime], Any]  # a DateTime column's value
    day: Callable[[date], Any]  # a Date column's value (never given None)
    json: Callable[[Any], Any]  # a JSON column's value (JSONB on PostgreSQL)
    plain_json: Callable[[Any], Any]  # a JSON column that stays JSON (not JSONB) on PostgreSQL
    aside: Aside | None = None  # see soon()
    # Rows may wait in a table of the connection's own (TEMP) to be moved into theirs on the
    # helper thread (see insert_soon).
    staging: bool = False

    def soon(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Runs a statement that returns no rows, here or on a helper thread while the caller
        goes on with Python work; either way within the transaction, before the driver's next
        statement (a long statement in SQLite's C code leaves the interpreter free)."""
        if self.aside is None:
            self.rows(sql, params)
        else:
            self.aside(sql, params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.run(sql.replace("?", "%s") if self.postgres else sql, tuple(params))

    def many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.run_many(sql.replace("?", "%s") if self.postgres else sql, rows)


def sqlite_when(value: datetime) -> str:
    """A DateTime as SQLAlchemy stores it in SQLite (no zone; microseconds always)."""
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


def sqlite_day(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def sqlite_driver(
    run: Run, run_many: RunMany, aside: Aside | None = None, staging: bool = False
) -> Driver:
    """A driver for SQLite, with the converters that store what SQLAlchemy's types store."""
    return Driver(
        run, run_many, False, sqlite_when, sqlite_day, json.dumps, json.dumps, aside, staging
    )


def reserve_ids(driver: Driver, table: str, count: int) -> list[int]:
    """`count` fresh primary keys for `table`, to insert explicitly in this transaction.

    An id is never handed out twice, even after its row is deleted: undo puts a deleted span
    back under its id and must find it free.
    """
    if count <= 0:
        return []
    if driver.postgres:
        return [
            r[0]
            for r in driver.rows(
                "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)",
                (table, count),
            )
        ]
    # SQLite: writers hold the database lock from BEGIN IMMEDIATE on, so these stay ours.
    floor = driver.rows("SELECT last_id FROM id_floor WHERE name = ?", (table,))
    highest = driver.rows(f"SELECT max(id) FROM {table}")[0][0] or 0
    start = max(highest, floor[0][0] if floor else 0)
    driver.rows(
        "INSERT INTO id_floor (name, last_id) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id",
        (table, start + count),
    )
    return list(range(start + 1, start + 1 + count))


def insert(
    driver: Driver, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Inserts rows (tuples in the columns' order) with one executemany."""
    driver.many(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['?'] * len(columns))})",
        list(rows),
    )


def insert_soon(
    driver: Driver, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """insert, but half of the work on the driver's helper thread when it stages rows: they
    go with executemany into a TEMP table without indexes, constraints or column types (so
    each value is kept as given), and one statement moves them into `table` while the caller
    goes on. SQLite converts them there as it would have on a direct insert."""
    if not rows:
        return
    if driver.aside is None or not driver.staging:
        insert(driver, table, columns, rows)
        return
    names = ", ".join(columns)
    staged = f"{table}_staged"
    driver.rows(f"CREATE TEMP TABLE IF NOT EXISTS {staged} ({names})")
    driver.many(f"INSERT INTO temp.{staged} VALUES ({', '.join(['?'] * len(columns))})", rows)
    driver.soon(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM temp.{staged}")
    driver.soon(f"DELETE FROM temp.{staged}")


def json_of(driver: Driver) -> Callable[[Any], Any]:
    """A fast converter for a JSON column: empty objects, the common case, are shared."""
    empty = driver.json({})

    def convert(value: Any) -> Any:
        return driver.json(value) if value else empty

    return convert


def annotators_on(driver: Driver, document_ids: Sequence[int]) -> dict[int, set[str]]:
    """Who has an annotation set on each of these documents."""
    found: dict[int, set[str]] = {}
    for part in chunks(list(document_ids)):
        for doc_id, name in driver.rows(
            "SELECT s.document_id, a.name FROM annotation_set s "
            "JOIN annotator a ON a.id = s.annotator_id "
            f"WHERE s.document_id IN ({', '.join(['?'] * len(part))})",
            tuple(part),
        ):
            found.setdefault(doc_id, set()).add(name)
    return found


def annotator_ids(driver: Driver, names: Iterable[str]) -> dict[str, int]:
    """The ids of these annotators, creating the ones not yet known."""
    wanted = sorted(set(names))
    if not wanted:
        return {}

    def known_of(part: Sequence[str]) -> dict[str, int]:
        marks = ", ".join(["?"] * len(part))
        return dict(driver.rows(f"SELECT name, id FROM annotator WHERE name IN ({marks})", part))

    known: dict[str, int] = {}
    for part in chunks(wanted):
        known.update(known_of(part))
    missing = [(n,) for n in wanted if n not in known]
    if missing:
        # Another window may add the same new name at the same moment (a first edit on
        # PostgreSQL): its row is taken as it is, never a duplicate-key error.
        driver.many(
            "INSERT INTO annotator (name) VALUES (?) ON CONFLICT (name) DO NOTHING", missing
        )
        for part in chunks([n for (n,) in missing]):
            known.update(known_of(part))
    return known


@dataclass(frozen=True)
class NewSet:
    """An annotation set to insert: spans and relations carry local ids, remapped on insert."""

    document_id: int
    annotator_id: int
    status: Status
    spans: Sequence[Span]
    relations: Sequence[Relation]
    note: str = ""
    active_seconds: int = 0
    document_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    curated: CuratedMark | None = None  # a curated set: its curator, sources by local id

    @staticmethod
    def of(document_id: int, annotator_id: int, s: AnnotationSet) -> NewSet:
        """A copy of `s` to insert: spans, relations, note, time, document labels, curated mark."""
        return NewSet(
            document_id,
            annotator_id,
            s.status,
            list(s.spans.values()),
            list(s.relations.values()),
            s.note,
            s.active_seconds,
            dict(s.document_labels),
            s.curated,
        )


_SET_COLUMNS = (
    "id",
    "document_id",
    "annotator_id",
    "status",
    "version",
    "updated_at",
    "note",
    "active_seconds",
    "document_labels",
    "curated",
    "curator",
)
_SPAN_COLUMNS = (
    "id",
    "set_id",
    "layer",
    "label",
    "start_offset",
    "end_offset",
    "text",
    "attributes",
    "note",
    "sources",
)
_RELATION_COLUMNS = ("id", "set_id", "type", "head_id", "tail_id", "attributes", "note", "sources")


def labels_row(labels: Mapping[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Document labels as their JSON column holds them."""
    return {name: list(values) for name, values in labels.items()}


def add_sets(driver: Driver, new_sets: Sequence[NewSet]) -> None:
    """Inserts annotation sets with their spans and relations, in few statements."""
    if not new_sets:
        return
    now = driver.when(datetime.now(UTC))
    as_json = json_of(driver)
    set_ids = reserve_ids(driver, "annotation_set", len(new_sets))
    insert(
        driver,
        "annotation_set",
        _SET_COLUMNS,
        (
            (
                set_id,
                s.document_id,
                s.annotator_id,
                s.status.value,
                1,
                now,
                s.note,
                s.active_seconds,
                as_json(labels_row(s.document_labels)),
                s.curated is not None,
                s.curated.curator if s.curated is not None else None,
            )
            for set_id, s in zip(set_ids, new_sets, strict=True)
        ),
    )
    no_sources = driver.plain_json([])

    def sources(names: list[str]) -> Any:
        return driver.plain_json(names) if names else no_sources

    span_ids = iter(reserve_ids(driver, "span", sum(len(s.spans) for s in new_sets)))
    empty = as_json({})
    span_rows: list[tuple[Any, ...]] = []
    relation_rows: list[tuple[Any, ...]] = []
    for set_id, s in zip(set_ids, new_sets, strict=True):
        had = s.curated or CuratedMark("")
        ids = list(itertools.islice(span_ids, len(s.spans)))
        span_rows += [
            (
                span_id,
                set_id,
                sp.layer,
                sp.label,
                sp.start,
                sp.end,
                sp.text,
                as_json(sp.attributes) if sp.attributes else empty,
                sp.note,
                sources(had.spans.get(sp.id, []))
                if had.spans and sp.id is not None
                else no_sources,
            )
            for span_id, sp in zip(ids, s.spans, strict=True)
        ]
        if not s.relations:
            continue
        real: dict[int | None, int] = {
            sp.id: span_id for span_id, sp in zip(ids, s.spans, strict=True)
        }
        relation_rows.extend(
            (
                set_id,
                r.type,
                real[r.head],
                real[r.tail],
                as_json(r.attributes),
                r.note,
                sources(had.relations.get(r.id, []) if r.id is not None else []),
            )
            for r in s.relations
        )
    insert_soon(driver, "span", _SPAN_COLUMNS, span_rows)
    relation_ids = reserve_ids(driver, "relation", len(relation_rows))
    insert(
        driver,
        "relation",
        _RELATION_COLUMNS,
        ((rel_id, *row) for rel_id, row in zip(relation_ids, relation_rows, strict=True)),
    )
