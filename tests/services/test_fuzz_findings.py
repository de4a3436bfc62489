"""Inputs the fuzzing of the readers found, kept as plain regression tests: each is refused
with one line naming the file, and nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labeler.domain.errors import InputError
from labeler.services.documents import DocumentService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database

TEXT = "Ada Lindqvist said the strike cost Bergen dearly."


@pytest.fixture
def world(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'findings.db'}")
    db.open()
    projects = ProjectService(db)
    projects.create("News", "news")
    yield projects, ImportService(db), DocumentService(db)
    db.close()


def _refused(world, path: Path, fmt: str | None = None) -> InputError:
    projects, importer, documents = world
    with pytest.raises(InputError) as caught:
        importer.import_paths("News", [path], format_name=fmt)
    assert documents.summaries(projects.get("News")) == []
    assert str(caught.value).startswith(str(path))
    assert len(str(caught.value)) < 400
    return caught.value


@pytest.mark.parametrize("offset", ["9" * 5000, "\u00b2", "\u0663"])  # long, superscript, Arabic
def test_brat_offsets_that_are_no_plain_numbers(world, tmp_path: Path, offset: str) -> None:
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    ann = tmp_path / "doc.ann"
    ann.write_text(f"T1\tPERSON 0 {offset}\tAda\n", encoding="utf-8")
    error = _refused(world, ann)
    assert error.location.line == 1
    assert "bad offsets" in error.reason


def _task(results: list[dict]) -> list[dict]:
    region = {
        "id": "r1",
        "type": "labels",
        "from_name": "label",
        "to_name": "text",
        "value": {"start": 0, "end": 13, "labels": ["PERSON"]},
    }
    return [{"data": {"text": TEXT}, "annotations": [{"result": [region, *results]}]}]


@pytest.mark.parametrize(
    "result",
    [
        {"id": {}, "type": "choices", "from_name": "x", "value": {"choices": ["a"]}},
        {"type": "relation", "from_id": {"a": 1}, "to_id": "r1", "labels": ["refers_to"]},
        {"type": "relation", "from_id": "r1", "to_id": [1], "labels": ["refers_to"]},
    ],
)
def test_label_studio_ids_that_are_objects_or_lists(world, tmp_path: Path, result) -> None:
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(_task([result])), encoding="utf-8")
    error = _refused(world, path)
    # Choices that name no region are a document label: 'x' is none of the schema's.
    reasons = ("no labelled region", "which is no region", "document attribute 'x' is not")
    assert any(reason in error.reason for reason in reasons), error.reason
