"""Plain text and CSV readers: titles, date headers, encodings, newlines and clear errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from labeler.domain.errors import InputError
from labeler.formats import registry
from labeler.formats.records import ReadOptions, Record
from tests.formats.support import only_error, only_record


def read(path: Path, fmt: str, **options: str) -> list[Record | InputError]:
    return list(registry.get(fmt).read(path, ReadOptions(**options)))  # type: ignore[misc]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
    ],
)
def test_date_header_in_every_accepted_encoding(
    tmp_path: Path, encoding: str, prefix: bytes
) -> None:
    content = "date 2026-03-14 Port strike 🙂 ends\r\n\r\nDockers returned.\rTalks go on.\r\n"
    path = tmp_path / "a.txt"
    path.write_bytes(prefix + content.encode(encoding))
    doc = only_record(read(path, "text")).document
    assert doc.title == "Port strike 🙂 ends"
    assert doc.date == date(2026, 3, 14)
    assert doc.text == "Dockers returned.\nTalks go on."
    assert doc.meta == {"source_file": str(path)}


def test_any_other_first_line_is_the_title_and_stays_in_the_text(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text("Council passes budget\nThe council voted 7-2.\n", encoding="utf-8")
    doc = only_record(read(path, "text")).document
    assert (doc.title, doc.date) == ("Council passes budget", None)
    assert doc.text == "Council passes budget\nThe council voted 7-2."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Title\nok line\nbad \xff here\n", r"x\.txt:3: invalid UTF-8 byte 0xff at column 5"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"x\.txt: looks like a binary file"),
        (b"", r"x\.txt:1: the file holds no text"),
        (b"date 2026-02-30 Leap\nText", r"x\.txt:1: date header '2026-02-30' is not a date"),
        (b"date 2026-02-03 Only a header\n\n", r"x\.txt:2: .*no article text"),
    ],
)
def test_bad_text_files_name_file_line_and_reason(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        raise only_error(read(path, "text"))


def test_csv_with_a_chosen_text_column_keeps_the_rest_as_metadata(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(
        'id,headline,body,date,desk\r\n1,Strike ends,"Dockers went back.\r\nTalks, they said, '
        'go on.",2026-03-14,Business\r\n\r\n2,Budget,"The council voted ""yes"".",,Local\r\n',
        encoding="utf-8-sig",
    )
    items = read(path, "csv", text_column="body", title_column="headline")
    assert all(isinstance(i, Record) for i in items)
    first, second = (i.document for i in items)  # type: ignore[union-attr]
    assert first.text == "Dockers went back.\nTalks, they said, go on."
    assert (first.title, first.date, first.meta) == (
        "Strike ends",
        date(2026, 3, 14),
        {"id": "1", "desk": "Business"},
    )
    assert second.text == 'The council voted "yes".'
    assert [i.location.line for i in items] == [2, 5]  # type: ignore[union-attr]


def test_semicolon_and_tab_separated_files(tmp_path: Path) -> None:
    semi = tmp_path / "a.csv"
    semi.write_text("title;text\nOne;First, with a comma.\n", encoding="utf-8")
    tab = tmp_path / "b.tsv"
    tab.write_text("title\ttext\nTwo\tSecond; with a semicolon.\n", encoding="utf-8")
    assert only_record(read(semi, "csv")).document.text == "First, with a comma."
    assert only_record(read(tab, "csv")).document.text == "Second; with a semicolon."


def test_csv_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("title,text\nGood,Fine text\nShort\nEmpty,\n", encoding="utf-8")
    items = read(path, "csv")
    assert isinstance(items[0], Record)
    assert [str(e) for e in items[1:]] == [
        f"{path}:3: the row has 1 fields but the header has 2",
        f"{path}:4: column 'text' is empty",
    ]
    with pytest.raises(InputError, match=r"bad\.csv:1: no column 'body'.*--text-column"):
        raise only_error(read(path, "csv", text_column="body"))


def test_a_stray_quote_is_an_error_on_its_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        'title,text\nT1,"He said ""hi"" then\nT2,Second article\nT3,Third article\n',
        encoding="utf-8",
    )
    items = read(path, "csv")
    errors = [i for i in items if isinstance(i, InputError)]
    records = [i for i in items if isinstance(i, Record)]
    assert errors, items
    assert all(": bad CSV" in str(e) or "fields" in str(e) for e in errors)
    assert "T2" not in "".join(r.document.text for r in records if r.document.title == "T1")
