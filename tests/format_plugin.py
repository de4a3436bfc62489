"""A fake third-party package, labeler-tabbed, that adds the format `tabbed` through the entry
point group `labeler.formats` (with three broken entries beside it), installed for one test."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from labeler.formats import registry

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


@contextmanager
def installed_plugin(tmp_path: Path) -> Iterator[Path]:
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
