"""Hostile and damaged input ends in one short line naming the file (and line), storing nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from labeler.domain.annotation import AnnotationSet, Status, make_span
from labeler.domain.document import Document
from labeler.domain.errors import InputError
from labeler.domain.schema import LabelSchema
from labeler.formats import registry
from labeler.formats.records import ExportItem
from labeler.services.documents import DocumentService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database
from tests.lean_import import LeanImporter

DEEP = "[" * 100_000 + "]" * 100_000
HUGE_NUMBER = "9" * 10_000


@pytest.fixture(params=["usual", "lean"])
def world(tmp_path: Path, request: pytest.FixtureRequest):
    """The services, importing the usual way or the lean way (labeler import's own)."""
    url = f"sqlite:///{tmp_path / 'refusals.db'}"
    db = Database(url)
    db.open()
    projects = ProjectService(db)
    projects.create("News", "news")
    importer = ImportService(db)
    lean = LeanImporter(url, importer) if request.param == "lean" else None
    yield projects, lean or importer, DocumentService(db)
    db.close()
    assert lean is None or lean.declined == 0


def _refused(world, path: Path, fmt: str | None = None, named: Path | None = None) -> InputError:
    projects, importer, documents = world
    with pytest.raises(InputError) as caught:
        importer.import_paths("News", [path], format_name=fmt)
    assert documents.summaries(projects.get("News")) == []
    message = str(caught.value)
    assert message.startswith(str(named or path))
    assert len(message) < 400 and "\n" not in message
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("deep.jsonl", '{"text": "x", "meta": {"a": ' + DEEP + "}}\n", None),
        ("deep.json", '[{"data": {"text": "x"}, "annotations": ' + DEEP + "}]", None),
        ("deep_doccano.jsonl", '{"text": "x", "label": ' + DEEP + "}\n", "doccano"),
        ("deep_prodigy.jsonl", '{"text": "x", "spans": ' + DEEP + "}\n", "prodigy"),
    ],
)
def test_deeply_nested_json_is_refused(world, tmp_path: Path, name, content, fmt) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    error = _refused(world, path, fmt)
    assert error.location.line == 1
    assert "nested too deeply" in error.reason


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("number.jsonl", '{"text": "x", "n": ' + HUGE_NUMBER + "}\n"),
        ("span.jsonl", '{"text": "x", "spans": [{"start": ' + HUGE_NUMBER + "}]}\n"),
        ("tasks.json", '[\n{"data": {"text": "x"}, "id": ' + HUGE_NUMBER + "}]"),
    ],
)
def test_a_number_of_thousands_of_digits_is_refused(world, tmp_path: Path, name, content) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    error = _refused(world, path)
    line = content.count("\n", 0, content.index("9")) + 1
    column = content.split("\n")[line - 1].index("9") + 1
    assert error.location.line == line
    assert error.reason == f"invalid JSON: a number of more than 4300 digits (column {column})"


def test_an_error_quotes_only_a_short_excerpt_of_a_huge_value(world, tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    huge = "A" * 5_000_000
    line = {"text": "x y", "spans": [{"start": huge, "end": 1, "label": "PERSON"}]}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    error = _refused(world, path)
    assert "span 1 start must be a whole number" in error.reason
    assert "AAAA" in error.reason and "more characters" in error.reason


def test_quotes_of_mismatched_span_text_are_short(world, tmp_path: Path) -> None:
    text = "B" * 1_000_000
    path = tmp_path / "text.jsonl"
    bad = {"text": text, "spans": [{"start": 0, "end": len(text), "label": "PERSON", "text": "C"}]}
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    assert "but the text there is 'BBBB" in _refused(world, path).reason


def test_an_unknown_huge_label_is_quoted_short(world, tmp_path: Path) -> None:
    path = tmp_path / "label.jsonl"
    line = {"text": "Ada spoke.", "spans": [{"start": 0, "end": 3, "label": "L" * 100_000}]}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert "is not in schema" in _refused(world, path).reason


def _hf_dataset(folder: Path, schema: LabelSchema) -> Path:
    text = "Ada Lindqvist said the strike cost Bergen dearly. " * 20
    s = AnnotationSet(schema, "alice", Status.DONE)
    s.add_span(make_span(text, 0, 13, "PERSON", schema))
    fmt = registry.get("hf")
    assert fmt.write_splits is not None
    fmt.write_splits(folder, {"train": [ExportItem(Document(text), [s])] * 3}, schema)
    return folder / "dataset_dict.json"


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_damaged_arrow_data_in_a_dataset_is_refused(
    world, tmp_path: Path, damage: str, news_toml: str
) -> None:
    from labeler.domain.schema_toml import parse_schema

    marker = _hf_dataset(tmp_path / "ds", parse_schema(news_toml))
    arrow = next((tmp_path / "ds" / "train").glob("*.arrow"))
    data = bytearray(arrow.read_bytes())
    if damage == "flip":
        # Inside the string data: the text's bytes become invalid UTF-8.
        at = data.find(b"Ada Lindqvist said")
        data[at : at + 40] = b"\xf8" * 40
    else:
        data = data[: len(data) // 2]
    arrow.write_bytes(bytes(data))
    error = _refused(world, marker, named=arrow)
    assert error.reason.startswith("damaged Arrow data")
    shutil.rmtree(tmp_path / "ds")
