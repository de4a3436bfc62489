"""Folder imports and symbolic links: a link out of the chosen folders is named and not read,
unless asked; links inside them and link loops do no harm."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.app import main
from labeler.services.documents import DocumentService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """chosen/ holds one article, a link to a folder outside, a link to a file outside, a link
    to its own article and a link back to itself; outside/ holds a private file."""
    chosen, outside = tmp_path / "chosen", tmp_path / "outside"
    (chosen / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "private.txt").write_text("Private notes\nNot for the project.", "utf-8")
    (chosen / "a.txt").write_text("Port strike ends\nDockers went back.", "utf-8")
    (chosen / "outdir").symlink_to(outside, target_is_directory=True)
    (chosen / "sub" / "private_link.txt").symlink_to(outside / "private.txt")
    (chosen / "sub" / "same.txt").symlink_to(chosen / "a.txt")
    (chosen / "sub" / "loop").symlink_to(chosen, target_is_directory=True)
    return chosen


@pytest.fixture
def world(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'links.db'}")
    db.open()
    projects = ProjectService(db)
    projects.create("News", "news")
    yield projects, ImportService(db), DocumentService(db)
    db.close()


def _titles(world) -> list[str]:
    projects, _, documents = world
    return [r.title for r in documents.summaries(projects.get("News"))]


def test_links_out_of_the_chosen_folders_are_named_and_not_read(world, tree: Path) -> None:
    _, importer, _ = world
    report = importer.import_paths("News", [tree])
    assert _titles(world) == ["Port strike ends"]
    assert report.files == 2  # a.txt and the link to it (a duplicate)
    outside = tree.parent / "outside"
    assert report.links == [
        f"{tree / 'outdir'}: a link to {outside}, outside the chosen folders, not read "
        "(--follow-links reads it)",
        f"{tree / 'sub' / 'private_link.txt'}: a link to {outside / 'private.txt'}, outside "
        "the chosen folders, not read (--follow-links reads it)",
    ]
    assert "2 links out of the chosen folders not followed." in report.headline("News")
    assert [p for p in report.problems() if p.startswith("skipped link")] == [
        f"skipped link {line}" for line in report.links
    ]


def test_follow_links_reads_them_once_each(world, tree: Path) -> None:
    _, importer, _ = world
    report = importer.import_paths("News", [tree], follow_links=True)
    assert report.links == []
    assert sorted(_titles(world)) == ["Port strike ends", "Private notes"]
    assert report.imported == 2


def test_a_link_into_another_chosen_folder_is_read(world, tree: Path) -> None:
    _, importer, _ = world
    report = importer.import_paths("News", [tree, tree.parent / "outside"])
    assert report.links == []
    assert sorted(_titles(world)) == ["Port strike ends", "Private notes"]


def test_the_command_line_says_so_and_follows_when_asked(capsys, tree: Path) -> None:
    db = str(tree.parent / "cli.db")
    assert main(["project", "create", "News", "--db", db]) == 0
    assert main(["import", str(tree), "--project", "News", "--db", db]) == 0
    out, err = capsys.readouterr()
    assert "2 links out of the chosen folders not followed" in out
    assert f"skipped link {tree / 'outdir'}: a link to" in err
    assert main(["import", str(tree), "--project", "News", "--db", db, "--follow-links"]) == 0
    out, _ = capsys.readouterr()
    assert "Imported 1 document" in out
