"""`labeler project schema` and `set-schema`: print the TOML, count what a change loses, ask."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from labeler.app import open_services
from tests.test_cli import run


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database with project News and one document with two LAW spans of ana's."""
    path = str(tmp_path / "cli.db")
    services = open_services(path)
    try:
        project = services.projects.create("News", "news")
        article = tmp_path / "article.txt"
        article.write_text("The Act and the Bill.", "utf-8")
        services.importer.import_paths(project.name, [article])
        doc_id = services.documents.summaries(project)[0].id
        session = services.annotations.open(project, doc_id, "ana")
        session.add_span(4, 7, "LAW")
        session.add_span(16, 20, "LAW")
    finally:
        services.close()
    return path


def law_spans(db: str) -> list[str]:
    services = open_services(db)
    try:
        project = services.projects.get("News")
        doc_id = services.documents.summaries(project)[0].id
        sets = services.documents.annotation_sets(project, doc_id)
        return sorted(f"{s.label}:{s.text}" for s in sets[0].spans.values())
    finally:
        services.close()


def test_schema_prints_the_stored_toml(capsys, db: str, news_toml: str) -> None:
    code, out, _ = run(capsys, "project", "schema", "News", "--db", db)
    assert code == 0 and out == news_toml.rstrip("\n") + "\n"


def test_set_schema_renames_with_rename_and_shows_the_edits(
    capsys, db: str, news_toml: str, tmp_path: Path
) -> None:
    edited = tmp_path / "team.toml"
    edited.write_text(news_toml.replace("labels.LAW]", "labels.STATUTE]"), "utf-8")
    rename = ("--rename", "label:LAW=STATUTE")
    code, out, err = run(capsys, "project", "set-schema", "News", str(edited), *rename, "--db", db)
    assert code == 0, err
    assert "rename label LAW → STATUTE" in out and "2 spans relabelled" in out
    assert law_spans(db) == ["STATUTE:Act", "STATUTE:Bill"]


def test_set_schema_counts_a_removal_and_asks_first(
    capsys, monkeypatch, db: str, news_toml: str, tmp_path: Path
) -> None:
    edited = tmp_path / "team.toml"
    edited.write_text(news_toml.replace("labels.LAW]", "labels.STATUTE]"), "utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, out, err = run(capsys, "project", "set-schema", "News", str(edited), "--db", db)
    assert code == 130 and "Aborted" in err
    assert "remove label LAW: 2 spans" in out and "In all: 2 spans deleted." in out
    assert law_spans(db) == ["LAW:Act", "LAW:Bill"]
    code, out, err = run(capsys, "project", "set-schema", "News", str(edited), "--yes", "--db", db)
    assert code == 0, err
    assert law_spans(db) == []
    code, out, _ = run(capsys, "project", "schema", "News", "--db", db)
    assert "labels.STATUTE]" in out


def test_a_bad_rename_is_one_line(capsys, db: str, tmp_path: Path, news_toml: str) -> None:
    edited = tmp_path / "team.toml"
    edited.write_text(news_toml, "utf-8")
    code, _, err = run(
        capsys, "project", "set-schema", "News", str(edited), "--rename", "LAW", "--db", db
    )
    assert code == 1 and err.startswith("error: --rename 'LAW': use label:OLD=NEW")


def test_set_schema_remove_deletes_a_name_the_file_keeps(
    capsys, db: str, news_toml: str, tmp_path: Path
) -> None:
    same = tmp_path / "same.toml"
    same.write_text(news_toml, "utf-8")
    remove = ("--remove", "label:LAW", "--yes")
    code, out, err = run(capsys, "project", "set-schema", "News", str(same), *remove, "--db", db)
    assert code == 0, err
    assert "remove label LAW: 2 spans" in out and "add label LAW to entity" in out
    assert law_spans(db) == []
    code, _, err = run(
        capsys, "project", "set-schema", "News", str(same), "--remove", "LAW", "--db", db
    )
    assert code == 1 and err.startswith("error: --remove 'LAW': use label:NAME")
