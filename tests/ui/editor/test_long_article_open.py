"""A long article opens with its first screen's spans and arcs before its whole set is read;
the rest follows just after that paint, and nothing on screen moves when it comes; the arcs
far down get their room as the view comes to them (test_relations.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow

LINE = "Ana Lind said the port would reopen and that talks would go on into the night."
PARAGRAPHS = 1_500  # about 120,000 characters: long enough to open first screen first
TEXT = "\n".join([LINE] * PARAGRAPHS)


def paragraph(n: int) -> int:
    return n * (len(LINE) + 1)


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    spans, relations = [], []
    for n in range(PARAGRAPHS):
        at = paragraph(n)
        spans += [
            {"id": 2 * n + 1, "start": at, "end": at + 8, "label": "SOURCE"},
            {"id": 2 * n + 2, "start": at + 9, "end": at + 13, "label": "CUE"},
        ]
        if n % 10 == 0:  # arcs in every tenth paragraph
            relations.append({"type": "source", "head": 2 * n + 2, "tail": 2 * n + 1})
    # From the first paragraph's cue to the last paragraph's source: drawn from the start.
    relations.append({"type": "source", "head": 2, "tail": 2 * PARAGRAPHS - 1})
    line = {
        "title": "Long",
        "text": TEXT,
        "annotations": [{"annotator": "ana", "spans": spans, "relations": relations}],
    }
    source = tmp_path / "long.jsonl"
    source.write_text(json.dumps(line) + "\n", "utf-8")
    services.projects.create("News", "news")
    services.importer.import_paths("News", [source], annotator="ana")
    return services


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    window.resize(1000, 700)
    return window


def test_first_screen_first_then_the_rest_without_moving_anything(qtbot, window) -> None:
    editor, view = window.editor, window.editor.view
    qtbot.waitUntil(lambda: editor.session is not None and len(view.marks) == 2 * PARAGRAPHS)
    document_id = editor.session.document.id
    editor.forget(document_id)  # opened afresh from the database, as after a restart
    editor.close_document()
    window.open_document(document_id)
    assert editor.model.session is None  # the whole set is not read yet...
    shown = len(view.marks)
    assert 4 <= shown < 200  # ...but the first screen's spans are drawn
    assert 2 in view.marks
    assert 2 * PARAGRAPHS - 1 in view.marks  # the far end of an arc that starts on screen
    assert len(view.relations) < 20
    assert _room(view, 0) > 0  # the first paragraph's arc has its room from the start
    view.viewport().repaint()
    top = [_top_of_paragraph(view, n) for n in (1, 11, 12)]
    qtbot.waitUntil(lambda: len(view.marks) == 2 * PARAGRAPHS)
    assert _room(view, 1000) == 0  # far down: its room comes as the view does
    session = editor.model.session
    assert session is not None
    assert session.loaded
    assert len(view.relations) == len(session.annotations.relations) == PARAGRAPHS // 10 + 1
    assert editor.span_model.rowCount() == 2 * PARAGRAPHS
    assert [_top_of_paragraph(view, n) for n in (1, 11, 12)] == top


def test_a_key_pressed_before_the_rest_came_acts_on_the_whole_set(qtbot, window) -> None:
    editor, view = window.editor, window.editor.view
    qtbot.waitUntil(lambda: editor.session is not None and len(view.marks) == 2 * PARAGRAPHS)
    document_id = editor.session.document.id
    editor.forget(document_id)
    editor.close_document()
    window.open_document(document_id)
    assert len(view.marks) < 2 * PARAGRAPHS
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert len(view.marks) == 2 * PARAGRAPHS  # the rest came first
    assert view.selected_span == 1  # the span at the caret
    qtbot.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # back: wraps round
    assert view.selected_span == 2 * PARAGRAPHS  # to the last span of the text


def _top_of_paragraph(view, n: int) -> int:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.marks.to_utf16(paragraph(n)))
    return view.cursorRect(cursor).top()


def _room(view, n: int) -> float:
    return sum(view.line_room(n).values())
