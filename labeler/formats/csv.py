"""CSV files: a header row, then one document a row; the text column is chosen by name.

The title and date columns are used when present; every other column is kept as metadata.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from labeler.domain.document import Document
from labeler.domain.errors import InputError, Location
from labeler.domain.offsets import normalize_newlines
from labeler.domain.snippets import shown
from labeler.formats.decoding import decode
from labeler.formats.records import ReadOptions, Record
from labeler.formats.registry import Format, register

csv.field_size_limit(1 << 30)  # an article may be far longer than the module's 128 KB default


def _delimiter(path: Path, text: str) -> str:
    """Tab for .tsv; otherwise whichever of comma, semicolon and tab the header uses most."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    header = text.partition("\n")[0]
    return max(",;\t", key=header.count)


def _rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]] | InputError]]:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Location(source), f"cannot read the file ({exc.strerror})") from None
    text = decode(data, source)
    # strict: a stray quote is an error on its line, not the rest of the file in one field.
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(path, text), strict=True
    )
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(Location(source, 1), "the file is empty; expected a header row") from None
    except csv.Error as exc:
        raise InputError(Location(source, 1), f"bad CSV: {exc}") from None

    def rows() -> Iterator[tuple[int, list[str]] | InputError]:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # the row is bad; the reader goes on with the next line
                yield InputError(Location(source, reader.line_num), f"bad CSV: {exc}")
                continue
            yield start, row

    return [h.strip() for h in header], rows()


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    source = str(path)
    try:
        header, rows = _rows(path)
        if options.text_column not in header:
            raise InputError(
                Location(source, 1),
                f"no column {options.text_column!r} in the header "
                f"(columns: {', '.join(header)}); choose one with --text-column",
            )
        for item in rows:
            if isinstance(item, InputError):
                yield item
                continue
            number, row = item
            if not any(cell.strip() for cell in row):
                continue
            location = Location(source, number)
            if len(row) != len(header):
                yield InputError(
                    location, f"the row has {len(row)} fields but the header has {len(header)}"
                )
                continue
            values = dict(zip(header, row, strict=True))
            text, _ = normalize_newlines(values.pop(options.text_column))
            if not text.strip():
                yield InputError(location, f"column {options.text_column!r} is empty")
                continue
            title = values.pop(options.title_column, "").strip()
            when = None
            raw_date = values.pop(options.date_column, "").strip()
            if raw_date:
                try:
                    when = date.fromisoformat(raw_date[:10])
                except ValueError:
                    yield InputError(
                        location, f"date {shown(raw_date)} is not a date like 2026-03-14"
                    )
                    continue
            meta = {k: v for k, v in values.items() if k}
            yield Record(Document(text, title=title, date=when, meta=meta), location)
    except InputError as exc:
        yield exc


register(
    Format(
        name="csv",
        description="CSV with a header row; the text column chosen by name (--text-column)",
        extensions=(".csv", ".tsv"),
        read=read,
    )
)
