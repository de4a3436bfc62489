"""bulk_rows' SQLite converters store what SQLAlchemy's types store, so that rows written by the
lean import and rows written through the ORM read back alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import JSON, Date, DateTime
from sqlalchemy.dialects import sqlite

from labeler.storage.bulk_rows import sqlite_driver
from labeler.storage.tables import JsonType


def _sqlalchemy(kind: Any) -> Any:
    dialect = sqlite.dialect()
    return kind.dialect_impl(dialect).bind_processor(dialect)


def _never(*_args: object) -> Any:
    raise AssertionError("no SQL is run here")


DRIVER = sqlite_driver(_never, _never)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 3, 14, 9, 5, 7, 123, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=2))),
        datetime(1999, 1, 2, 3, 4, 5),
    ],
)
def test_times_are_written_as_sqlalchemy_writes_them(value: datetime) -> None:
    assert DRIVER.when(value) == _sqlalchemy(DateTime(timezone=True))(value)


@pytest.mark.parametrize("value", [date(2026, 3, 14), date(5, 1, 9)])
def test_dates_are_written_as_sqlalchemy_writes_them(value: date) -> None:
    assert DRIVER.day(value) == _sqlalchemy(Date())(value)


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"source": "wire", "n": 3, "nested": {"list": [1, 2.5, None, True]}},
        {"city": "Bergen 🙂", "quote": 'said "no"\n', "ø": ["æ", "\u2028"]},
        ["ann", "bo"],
    ],
)
def test_json_is_written_as_sqlalchemy_writes_it(value: Any) -> None:
    assert DRIVER.json(value) == _sqlalchemy(JsonType)(value)
    assert DRIVER.plain_json(value) == _sqlalchemy(JSON())(value)
