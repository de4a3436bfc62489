"""A format from another installed package (an entry point in the group `labeler.formats`)
is offered by `labeler formats`, the format services and import and export, with no edit of
labeler; a plugin that is broken or takes a built-in's name is left out and reported."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from labeler.app import main
from labeler.formats import registry
from labeler.services import formats

PLUGIN = '''
"""A format from another package: one article a line, its title, a tab, its text."""

from labeler.domain.document import Document
from labeler.domain.errors import InputError, Location
from labeler.formats.records import Record, WriteReport
from labeler.formats.registry import Format


def read(path, options):
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        title, tab, text = line.partition("\\t")
        if not tab or not text.strip():
            yield InputError(Location(str(path), number), "expected TITLE, a tab, TEXT")
        else:
            yield Record(Document(text, title=title), Location(str(path), number))


def write(path, items, schema):
    report = WriteReport()
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(f"{item.document.title}\\t{item.document.text}\\n")
            report.documents += 1
            report.note("spans not carried", sum(len(s.spans) for s in item.sets))
    return report


FORMAT = Format(
    name="tabbed",
    description="one article a line: title, a tab, the text",
    extensions=(".tab",),
    read=read,
    write=write,
)
CLASH = Format(name="jsonl", description="a second jsonl", extensions=(".jl",), read=read)
NOT_A_FORMAT = "tabbed"
'''

ENTRY_POINTS = """
[labeler.formats]
tabbed = labeler_tabbed:FORMAT
jsonl = labeler_tabbed:CLASH
odd = labeler_tabbed:NOT_A_FORMAT
gone = labeler_tabbed_missing:FORMAT
"""


@pytest.fixture
def plugin(tmp_path: Path) -> Iterator[Path]:
    """The distribution labeler-tabbed installed (a module and its .dist-info on sys.path)."""
    site = tmp_path / "site"
    (site / "labeler_tabbed-1.0.dist-info").mkdir(parents=True)
    (site / "labeler_tabbed.py").write_text(PLUGIN, "utf-8")
    info = site / "labeler_tabbed-1.0.dist-info"
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: labeler-tabbed\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(ENTRY_POINTS), "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(site))
        registry.reload_plugins()
        yield tmp_path
    sys.modules.pop("labeler_tabbed", None)
    registry.reload_plugins()


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
