"""A wire story annotated as a new annotator would, by label keys in the window (the work of
scripts/wire_story_session.py): who said what names each speaker, the person heading a source
included, and only the lines arcs end on get room above them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import Qt

from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "wire_story_session.py"


def _session_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wire_story_session", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WIRE = _session_script()


@pytest.fixture
def services(services: Services) -> Services:
    services.projects.create("Wire", "news")
    services.importer.import_paths("Wire", [WIRE.STORY])
    return services


def test_a_wire_story_by_label_keys_names_every_speaker(qtbot, window: MainWindow) -> None:
    window.open_project("Wire")
    window.document_view.selectRow(0)
    qtbot.waitUntil(lambda: window.editor.session is not None)
    session = window.editor.session
    assert session is not None
    text = session.document.text
    view = window.text_view
    for label, words, occurrence in WIRE.WORK:
        view.select_range(*WIRE.place(text, words, occurrence))
        qtbot.keyClick(view, WIRE.KEYS[label])
    stored = session.annotations
    assert len(stored.spans) == len(WIRE.WORK)
    named = [row.entity_text for row in window.who_said_what.rows_shown()]
    assert named == WIRE.SPEAKERS
    # Each cue linked to its source and content: 7 attributions, 2 links each.
    kinds = [r.type for r in stored.relations.values()]
    assert kinds.count("source") == kinds.count("content") == 7
    # The line holding only the middle of Jonas Berg's quote has no arcs: no room either.
    middle = view.marks.to_utf16(text.index("increase was"))
    block = view.document().findBlock(middle)
    line = block.layout().lineForTextPosition(middle - block.position()).lineNumber()
    assert line not in view.line_room(block.blockNumber())
    assert view.line_room(block.blockNumber())  # while the lines its arcs end on have some
    qtbot.keyClick(view, Qt.Key.Key_Escape)
