"""A format from another installed package (an entry point in the group `labeler.formats`)
is offered by `labeler formats`, the format services and import and export, with no edit of
labeler; a plugin that is broken or takes a built-in's name is left out and reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from labeler.app import main
from labeler.formats import registry
from labeler.services import formats
from tests.format_plugin import installed_plugin


@pytest.fixture
def plugin(tmp_path: Path) -> Iterator[Path]:
    with installed_plugin(tmp_path):
        yield tmp_path


def test_the_plugin_format_is_listed_and_offered_to_import_and_export(plugin: Path, capsys) -> None:
    assert main(["formats"]) == 0
    out, err = capsys.readouterr()
    line = next(x for x in out.splitlines() if x.startswith("tabbed "))
    assert line.split()[1:3] == ["import/export", ".tab"]
    assert "one article a line" in line
    assert "jsonl" in out and "native JSON Lines" in out  # labeler's own keeps its name
    assert "a second jsonl" not in out
    assert err.splitlines() == [
        "warning: format plugin 'gone' (labeler_tabbed_missing:FORMAT) not loaded: "
        "ModuleNotFoundError: No module named 'labeler_tabbed_missing'",
        "warning: format plugin 'jsonl' (labeler_tabbed:CLASH) left out: "
        "labeler already has a format of that name",
        "warning: format plugin 'odd' (labeler_tabbed:NOT_A_FORMAT) left out: "
        "it is not a labeler Format",
    ]
    assert "tabbed" in [f.name for f in formats.readers()]
    assert "tabbed" in [f.name for f in formats.writers()]
    assert formats.describe("tabbed").extensions == (".tab",)
    assert registry.for_path(Path("x.jl")) is None  # the clashing plugin's ending is not taken


def test_import_and_export_go_through_the_plugin(plugin: Path, capsys) -> None:
    db = str(plugin / "cli.db")
    articles = plugin / "articles.tab"
    articles.write_text("Port strike\tDockers walked out 😀.\nFerry late\tThe ferry was late.\n")
    assert main(["project", "create", "News", "--db", db]) == 0
    assert main(["import", str(articles), "--project", "News", "--db", db]) == 0
    assert "Imported 2 documents" in capsys.readouterr().out
    out = plugin / "out.tab"
    args = ["export", "-p", "News", "-f", "tabbed", "-o", str(out), "--status", "any"]
    assert main([*args, "--db", db]) == 0
    assert "Wrote 2 documents" in capsys.readouterr().out
    assert out.read_text("utf-8") == articles.read_text("utf-8")


def test_without_the_plugin_its_format_is_unknown(capsys, tmp_path: Path) -> None:
    registry.reload_plugins()
    assert "tabbed" not in [f.name for f in formats.all_formats()]
    db = str(tmp_path / "cli.db")
    assert main(["project", "create", "News", "--db", db]) == 0
    args = ["export", "-p", "News", "-f", "tabbed", "-o", str(tmp_path / "x.tab")]
    assert main([*args, "--db", db]) == 1
    assert "unknown format 'tabbed'" in capsys.readouterr().err
