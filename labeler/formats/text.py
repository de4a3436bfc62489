"""Plain text articles: one file, one document.

A first line `date YYYY-MM-DD Title` gives the date and the title, and the article is the rest
of the file. Any other first line is the title, and the article is the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from labeler.domain.document import Document
from labeler.domain.errors import InputError, Location
from labeler.domain.snippets import shown
from labeler.formats.decoding import read_text_file
from labeler.formats.records import ReadOptions, Record
from labeler.formats.registry import Format, register

_HEADER = re.compile(r"date[ \t]+(\d{4}-\d{1,2}-\d{1,2})(?:[ \t]+(.*))?", re.IGNORECASE)


def parse_article(text: str, source: str) -> Document:
    """The document a text file holds; InputError for an empty file or a bad date header."""
    first, _, rest = text.partition("\n")
    header = _HEADER.fullmatch(first.strip())
    meta = {"source_file": source}
    if header is None:
        body = text.strip("\n")
        if not body.strip():
            raise InputError(Location(source, 1), "the file holds no text")
        return Document(body, title=first.strip(), meta=meta)
    raw_date, title = header.group(1), (header.group(2) or "").strip()
    try:
        when = date.fromisoformat(raw_date)
    except ValueError:
        raise InputError(
            Location(source, 1), f"date header {shown(raw_date)} is not a date like 2026-03-14"
        ) from None
    body = rest.strip("\n")
    if not body.strip():
        raise InputError(Location(source, 2), "the file has a date header but no article text")
    return Document(body, title=title, date=when, meta=meta)


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    try:
        text = read_text_file(path)
        yield Record(parse_article(text, str(path)), Location(str(path), 1))
    except InputError as exc:
        yield exc


register(
    Format(
        name="text",
        description="plain text, one article a file (first line: title or 'date YYYY-MM-DD Title')",
        extensions=(".txt", ".text"),
        read=read,
    )
)
