"""Annotates the wire story in docs/wire/ as a new annotator would, through the real window:
keys for labels (the attribution links itself), then checks who said what and shoots the
dense paragraph. Prints lines per screen there and what who said what names.

    python scripts/wire_story_session.py [FOLDER]      # screenshots to FOLDER (docs/screenshots)

Runs offscreen (or on $DISPLAY with QT_QPA_PLATFORM=xcb) on a throwaway data folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from labeler.app import open_services
from labeler.ui.editor.span_painter import BAR_ROOM, visible_lines
from labeler.ui.main_window import MainWindow

STORY = Path(__file__).resolve().parent.parent / "docs" / "wire" / "harbour-tariffs.txt"
KEYS = {"SOURCE": "s", "CUE": "v", "CONTENT": "t", "PERSON": "p", "ORG": "o", "MONEY": "m"}
# (label, words, which occurrence): entities first, then each attribution's source, cue, content.
WORK: list[tuple[str, str, int]] = [
    ("PERSON", "Lena Vogt", 0),
    ("ORG", "Nordic Shippers' Council", 1),
    ("SOURCE", "Lena Vogt, the head of the Nordic Shippers' Council", 0),
    ("CUE", "said", 0),
    ("CONTENT", "the levy would add roughly 310 million crowns to her members' costs in 2027", 0),
    ("MONEY", "310 million crowns", 0),
    ("PERSON", "Pieter Haas", 0),
    ("SOURCE", "Pieter Haas, a spokesman for the ministry", 0),
    ("CUE", "said", 1),
    ("CONTENT", "Every crown raised will be spent on the quays and the channel", 0),
    ("PERSON", "Amira Lund", 0),
    ("SOURCE", "Port director Amira Lund", 0),
    ("CUE", "warned", 0),
    ("CONTENT", "without new income the authority would run a deficit of 85 million crowns", 0),
    ("PERSON", "Jonas Berg", 0),
    ("ORG", "Fjordbank", 0),
    ("SOURCE", "Jonas Berg, an economist at Fjordbank", 0),
    ("CUE", "said", 2),
    ("CONTENT", 'the increase was "modest by European standards"', 0),
    ("ORG", "Havnearbejderne", 0),
    ("SOURCE", "the union representing 2,300 dockworkers, Havnearbejderne", 0),
    ("CUE", "said in a statement", 0),
    ("CONTENT", 'the rise "puts every third job at risk" if carriers reroute', 0),
    ("PERSON", "Henrik Saari", 0),
    ("SOURCE", "Its chief executive, Henrik Saari", 0),
    ("CUE", "told", 2),
    ("CONTENT", "the company expected volumes to recover by the second quarter of 2027", 0),
    ("PERSON", "Karin Ek", 0),
    ("SOURCE", "the chief operating officer of Stena Freight, Karin Ek", 0),
    ("CUE", "said", 5),
    ("CONTENT", 'a single rise of this size "does not change where we sail"', 0),
]


SPEAKERS = [  # who said what, in reading order: the entity each source names
    "Lena Vogt",
    "Pieter Haas",
    "Amira Lund",
    "Jonas Berg",
    "Havnearbejderne",
    "Henrik Saari",
    "Karin Ek",
]


def place(text: str, words: str, occurrence: int) -> tuple[int, int]:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(words, at + 1)
    return at, at + len(words)


def lines_on_screen(window: MainWindow, words: str) -> int:
    """Scrolls the line of `words` to the top; the lines of text then on screen, whole."""
    view = window.text_view
    text = window.editor.session.document.text  # type: ignore[union-attr]
    start = view.marks.to_utf16(text.index(words))
    cursor = view.textCursor()
    cursor.setPosition(start)
    top = view.cursorRect(cursor).top() + view.verticalScrollBar().value()
    view.verticalScrollBar().setValue(int(top) - 60)
    QApplication.processEvents()
    height = view.viewport().height()
    return sum(
        1
        for line in visible_lines(view, BAR_ROOM)
        if line[2].top() >= 0 and line[2].bottom() <= height
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="docs/screenshots", type=Path)
    folder: Path = parser.parse_args(argv).folder
    folder.mkdir(parents=True, exist_ok=True)
    _app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as scratch:
        services = open_services(str(Path(scratch) / "wire.db"))
        services.projects.create("Wire", "news")
        services.importer.import_paths("Wire", [STORY])
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(services, "newcomer", settings)
        window.resize(1400, 860)
        window.show()
        window.activateWindow()  # label keys are the window's shortcuts: it must be active
        QTest.qWaitForWindowActive(window)
        window.open_project("Wire")
        window.document_view.selectRow(0)
        QApplication.processEvents()
        session = window.editor.session
        assert session is not None
        text = session.document.text
        view = window.text_view
        before = lines_on_screen(window, "Analysts were divided")
        for label, words, occurrence in WORK:
            view.select_range(*place(text, words, occurrence))
            QTest.keyClick(view, KEYS[label])
            QApplication.processEvents()
        spans = session.annotations.spans
        print(f"{len(spans)} spans, {len(session.annotations.relations)} relations")
        print(f"arc levels {view.arcs.pitch} px apart")
        for row in window.who_said_what.rows_shown():
            print(
                f"  {row.cue!r:24} {row.source[:40]!r:44} -> {row.entity_label} {row.entity_text!r}"
            )
        after = lines_on_screen(window, "Analysts were divided")
        document = view.document()
        lines = 0
        block = document.begin()
        while block.isValid():
            document.documentLayout().blockBoundingRect(block)
            lines += block.layout().lineCount()
            block = block.next()
        named = [row.entity_text for row in window.who_said_what.rows_shown()]
        print("who said what names the right speakers:", named == SPEAKERS)
        print(f"the story: {lines} lines, {document.size().height():.0f} px high")
        print(f"lines on screen at the analysts' paragraph: {before} bare, {after} annotated")
        cue = next(
            s
            for s in spans.values()
            if s.label == "CUE" and text[s.start : s.end] == "said in a statement"
        )
        QTest.qWait(1000)  # the document list re-reads the row a moment after the edits
        view.select_span(cue.id)
        QApplication.processEvents()
        view.grab().save(str(folder / "wire-dense.png"))
        window.grab().save(str(folder / "wire-editor.png"))
        print(folder / "wire-dense.png", folder / "wire-editor.png")
        window.close()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
