"""The native JSONL format: lossless round trip, the simple form, and per-line errors."""

from __future__ import annotations

import json
from datetime import date
from functools import partial
from pathlib import Path

import pytest

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.domain.errors import InputError
from labeler.formats import jsonl
from labeler.formats.records import ExportItem, ReadOptions, Record
from tests.support import offsets

TEXT = '"Zoë 🙂 quit," said 𝒳 Corp chief Ada Lind.\nShares fell 5%.'


at = partial(offsets, TEXT)


def annotated(schema, annotator: str, status: Status) -> AnnotationSet:
    s = AnnotationSet(schema, annotator, status)
    per = s.add_span(make_span(TEXT, *at("Ada Lind"), "PERSON", schema))
    src = s.add_span(make_span(TEXT, *at("𝒳 Corp chief Ada Lind"), "SOURCE", schema))
    cue = s.add_span(make_span(TEXT, *at("said"), "CUE", schema, {"type": "assertion"}))
    content = s.add_span(make_span(TEXT, *at("Zoë 🙂 quit,"), "CONTENT", schema))
    s.add_span(make_span(TEXT, *at("5%"), "PERCENT", schema))
    s.add_relation(Relation("source", cue.id, src.id))
    s.add_relation(Relation("content", cue.id, content.id))
    s.add_relation(Relation("refers_to", src.id, per.id))
    return s


def as_tuples(s) -> tuple:
    spans = sorted(
        (x.start, x.end, x.label, TEXT[x.start : x.end], tuple(x.attributes.items()))
        for x in s.spans
    )
    by_key = {x.key: (x.start, x.label) for x in s.spans}
    relations = sorted((r.type, by_key[r.head], by_key[r.tail]) for r in s.relations)
    return s.annotator, s.status, spans, relations


def test_round_trip_keeps_everything(schema, tmp_path: Path) -> None:
    doc = Document(TEXT, "Zoë quits", date(2026, 5, 1), {"desk": "Business", "n": 3}, id=9)
    sets = [annotated(schema, "ana", Status.DONE), annotated(schema, "ben", Status.IN_PROGRESS)]
    path = tmp_path / "out.jsonl"
    assert jsonl.write(path, [ExportItem(doc, sets)], schema).documents == 1
    line = path.read_text(encoding="utf-8")
    assert "🙂" in line  # written as UTF-8, not as escapes
    (record,) = list(jsonl.read(path, ReadOptions()))
    assert isinstance(record, Record)
    assert record.document == Document(TEXT, "Zoë quits", date(2026, 5, 1), doc.meta)
    assert [as_tuples(s) for s in record.sets] == [
        ("ana", Status.DONE, *as_tuples_expected(sets[0])),
        ("ben", Status.IN_PROGRESS, *as_tuples_expected(sets[1])),
    ]


def as_tuples_expected(s: AnnotationSet) -> tuple:
    spans = sorted(
        (x.start, x.end, x.label, x.text, tuple(x.attributes.items())) for x in s.spans.values()
    )
    relations = sorted(
        (
            r.type,
            (s.spans[r.head].start, s.spans[r.head].label),
            (s.spans[r.tail].start, s.spans[r.tail].label),
        )
        for r in s.relations.values()
    )
    return spans, relations


def write_lines(tmp_path: Path, *lines: object, raw: bytes = b"") -> Path:
    path = tmp_path / "in.jsonl"
    body = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines)
    path.write_bytes(body.encode("utf-8") + raw)
    return path


def test_simple_form_with_top_level_spans_and_metadata(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        {
            "text": "Ada Lind\r\nleft Oslo.",
            "url": "u1",
            "spans": [{"start": 15, "end": 19, "label": "GPE"}],
        },
        "",
        {"text": "Second.", "title": "Two", "date": "2026-01-02T10:00:00Z"},
    )
    first, second = jsonl.read(path, ReadOptions())
    assert isinstance(first, Record) and isinstance(second, Record)
    # CRLF became LF and the span moved with its word.
    assert first.document.text == "Ada Lind\nleft Oslo."
    (span,) = first.sets[0].spans
    assert first.document.text[span.start : span.end] == "Oslo"
    assert first.sets[0].annotator is None
    assert first.document.meta == {"url": "u1"}
    assert (second.document.title, second.document.date) == ("Two", date(2026, 1, 2))
    assert second.location.line == 3


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "invalid JSON: Expecting property name"),
        ("[1, 2]", "a line must hold a JSON object"),
        ({"title": "no text"}, "no 'text' field"),
        ({"text": "abc", "date": "yesterday"}, "date 'yesterday' is not a date"),
        (
            {"text": "abc", "spans": [{"start": 1, "end": 9, "label": "ORG"}]},
            r"span 1 \(ORG \[1, 9\)\) lies outside",
        ),
        (
            {"text": "abc", "spans": [{"start": 0, "end": 2, "label": "ORG", "text": "bc"}]},
            "says its text is 'bc'",
        ),
        (
            {"text": "abc", "spans": [{"start": "0", "end": 2, "label": "ORG"}]},
            "start must be a whole number",
        ),
        (
            {
                "text": "abc",
                "spans": [{"id": 1, "start": 0, "end": 2, "label": "ORG"}],
                "relations": [{"type": "x", "head": 1, "tail": 7}],
            },
            "relation 1 tail 7 is not the id of a span",
        ),
        (
            {"text": "abc", "annotations": [{"status": "finished"}]},
            "annotation set 1: status 'finished'",
        ),
    ],
)
def test_a_bad_line_names_file_line_and_reason(tmp_path: Path, line: object, message: str) -> None:
    path = write_lines(tmp_path, {"text": "fine"}, line, {"text": "also fine"})
    items = list(jsonl.read(path, ReadOptions()))
    assert [type(i).__name__ for i in items] == ["Record", "InputError", "Record"]
    with pytest.raises(InputError, match=rf"in\.jsonl:2: .*{message}"):
        raise items[1]  # type: ignore[misc]


def test_an_invalid_byte_spoils_only_its_line(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path, {"text": "fine"}, "", raw=b'{"text": "bad \xff"}\n{"text": "ok"}\n'
    )
    items = list(jsonl.read(path, ReadOptions()))
    assert [type(i).__name__ for i in items] == ["Record", "InputError", "Record"]
    assert str(items[1]).endswith("in.jsonl:2: invalid UTF-8 byte 0xff at column 15")


def test_an_empty_or_binary_file_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n\n")
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\x00\x01\x02")
    assert [str(e) for e in jsonl.read(empty, ReadOptions())] == [
        f"{empty}: the file holds no documents"
    ]
    (error,) = jsonl.read(binary, ReadOptions())
    assert "binary file" in str(error)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"text": "Ada Lind", "label": [[0, 8, "PERSON"]]}, "looks like a doccano line"),
        (
            {"text": "Ada Lind", "entities": [{"start_offset": 0, "end_offset": 8}]},
            "--format doccano",
        ),
        ({"text": "Ada", "tokens": [], "_task_hash": 1}, "--format prodigy"),
        ({"text": "abc", "spans": [{"id": [1], "start": 0, "end": 1, "label": "ORG"}]}, "id must"),
        (
            {
                "text": "abc",
                "spans": [{"id": 1, "start": 0, "end": 1, "label": "ORG"}],
                "relations": [{"type": "x", "head": {"a": 1}, "tail": 1}],
            },
            "is not the id of a span",
        ),
    ],
)
def test_lines_that_would_lose_spans_are_refused(
    tmp_path: Path, line: object, message: str
) -> None:
    path = write_lines(tmp_path, line)
    (error,) = jsonl.read(path, ReadOptions())
    assert isinstance(error, InputError)
    assert message in str(error) and str(error).startswith(f"{path}:1: ")


def test_a_metadata_label_that_is_not_spans_stays_metadata(tmp_path: Path) -> None:
    path = write_lines(tmp_path, {"text": "Sports news.", "label": "sports"})
    (record,) = jsonl.read(path, ReadOptions())
    assert record.document.meta == {"label": "sports"}


def test_utf16_lines_split_only_at_line_feeds(tmp_path: Path) -> None:
    path = tmp_path / "u16.jsonl"
    body = '{"text": "one\\u2028two \u2028 three\\f"}\n{"text": "second line"}\n'
    path.write_bytes(body.encode("utf-16"))
    first, second = jsonl.read(path, ReadOptions())
    assert isinstance(first, Record) and isinstance(second, Record), (first, second)
    assert first.document.text == "one\u2028two \u2028 three\f"
    assert second.location.line == 2
