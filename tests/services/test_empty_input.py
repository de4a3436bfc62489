"""One rule for every reader: a file that holds no documents is an error naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.domain.errors import InputError
from labeler.domain.schema_toml import parse_schema
from labeler.formats import registry
from labeler.services.documents import DocumentService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database


@pytest.fixture
def world(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    db.open()
    projects = ProjectService(db)
    projects.create("News", "news")
    yield projects, ImportService(db), DocumentService(db)
    db.close()


def _written(fmt: str, path: Path, news_toml: str) -> Path:
    """What the format's own writer makes of no documents."""
    schema = parse_schema(news_toml)
    found = registry.get(fmt)
    if found.write_splits is not None:
        found.write_splits(path, {"train": []}, schema)
        return path / "dataset_dict.json"
    assert found.write is not None
    found.write(path, [], schema)
    return path


EMPTY_FILES = {
    "empty.jsonl": b"",
    "blank_lines.jsonl": b"\n\n  \n",
    "tasks.json": b"[]",
    "tasks_spaced.json": b" [ \n ] \n",
    "header_only.csv": b"text,title\n",
    "empty.csv": b"",
    "empty.txt": b"",
    "spaces.txt": b"  \n\t\n",
    "empty.conll": b"",
    "docstart_only.conll": b"-DOCSTART- -X- O O\n\n",
}


@pytest.mark.parametrize("name", sorted(EMPTY_FILES))
def test_an_empty_file_is_refused(world, tmp_path: Path, name: str) -> None:
    projects, importer, documents = world
    path = tmp_path / name
    path.write_bytes(EMPTY_FILES[name])
    with pytest.raises(InputError) as caught:
        importer.import_paths("News", [path])
    assert caught.value.location.file == str(path)
    assert "no " in caught.value.reason or "empty" in caught.value.reason
    assert documents.summaries(projects.get("News")) == []


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("jsonl", "out.jsonl"),
        ("doccano", "out.jsonl"),
        ("prodigy", "out.jsonl"),
        ("labelstudio", "out.json"),
        ("spacy", "out.spacy"),
        ("hf", "dataset"),
    ],
)
def test_an_export_of_nothing_is_refused_on_import(
    world, tmp_path: Path, news_toml: str, fmt: str, name: str
) -> None:
    projects, importer, documents = world
    path = _written(fmt, tmp_path / name, news_toml)
    with pytest.raises(InputError, match=r"no documents|holds no") as caught:
        importer.import_paths("News", [path], format_name=fmt)
    assert caught.value.location.file.startswith(str(tmp_path / name))
    assert documents.summaries(projects.get("News")) == []


def test_with_skip_bad_an_empty_file_is_reported_and_the_rest_imported(
    world, tmp_path: Path
) -> None:
    _, importer, _ = world
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Port strike ends\nDockers went back.", "utf-8")
    (tmp_path / "in" / "b.csv").write_text("text\n", "utf-8")
    report = importer.import_paths("News", [tmp_path / "in"], skip_bad=True)
    assert report.imported == 1
    assert [str(e) for e in report.skipped] == [
        f"{tmp_path / 'in' / 'b.csv'}: the file holds no documents (csv format)"
    ]


def test_conll_refuses_labels_of_other_layers(world, tmp_path: Path) -> None:
    projects, importer, documents = world
    path = tmp_path / "claims.conll"
    path.write_text("Ada B-PERSON\nsaid O\ntaxes B-CLAIM\nrose I-CLAIM\n", "utf-8")
    with pytest.raises(InputError) as caught:
        importer.import_paths("News", [path])
    assert caught.value.reason == (
        "span 2 (CLAIM [9, 19)): label CLAIM is of layer 'claim', "
        "but this file holds the entity layer only"
    )
    assert documents.summaries(projects.get("News")) == []
