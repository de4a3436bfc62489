"""Notes and active time in the window, driven by keys: Ctrl+N on a span or relation,
Ctrl+Shift+N for the document; the note is stored, undone, shown in the Attributes panel,
in the tooltip and as a marker; the time counted from input is stored on leaving."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from tests.support import offsets as find
from tests.ui.support import add_project, drag_select, point_of, press

TEXTS = [
    "Ada Lindqvist met officials from Valmera on Monday.",
    "Second article: the port of Valmera reopened.",
]


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    add_project(services, tmp_path, TEXTS)
    return services


def stored_set(services: Services, window: MainWindow, doc_id: int | None = None):
    project = services.projects.get(window.current_project() or "")
    doc_id = doc_id if doc_id is not None else window.editor.session.document.id  # type: ignore[union-attr]
    sets = [s for s in services.documents.annotation_sets(project, doc_id) if s.annotator == "ana"]
    return sets[0] if sets else None


def write_note(qtbot, window: MainWindow, keys: Qt.KeyboardModifier, text: str) -> None:
    press(qtbot, window, Qt.Key.Key_N, keys)
    dialog = window.editor.notes.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.text.selectAll()
    qtbot.keyClicks(dialog.text, text)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.editor.notes.dialog is None)


@pytest.mark.qt_log_ignore("does not support raise")  # the tooltip, on the offscreen platform
def test_a_span_note_by_key_is_stored_shown_and_undone(qtbot, window: MainWindow, services) -> None:
    start, end = find(TEXTS[0], "Ada Lindqvist")
    drag_select(qtbot, window, start, end)
    press(qtbot, window, Qt.Key.Key_P)
    span_id = window.text_view.selected_span
    assert span_id is not None
    write_note(qtbot, window, Qt.KeyboardModifier.ControlModifier, "a minister, or not?")
    assert stored_set(services, window).spans[span_id].note == "a minister, or not?"
    # Shown: in the Attributes panel, as a marker at the span's end, in the tooltip.
    assert window.editor.attribute_editor.note_text() == "Note: a minister, or not?"
    view = window.text_view
    view.viewport().repaint()
    assert [sid for _rect, sid in view._painter.noted] == [span_id]
    point = point_of(window, start + 2)
    hover = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view, hover)
    assert "a minister, or not?" in QToolTip.text()
    assert "PERSON" in QToolTip.text()
    # Undo takes the note away again, in the database and on screen.
    view.setFocus()
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_set(services, window).spans[span_id].note == ""
    assert window.editor.attribute_editor.note_text() == ""
    view.viewport().repaint()
    assert view._painter.noted == []


@pytest.mark.qt_log_ignore("does not support raise")  # the tooltip, on the offscreen platform
def test_a_relation_note_by_key(qtbot, window: MainWindow, services) -> None:
    editor = window.editor
    session = editor.session
    source = session.add_span(*find(TEXTS[0], "Ada Lindqvist"), "SOURCE")
    cue = session.add_span(*find(TEXTS[0], "met"), "CUE")
    relation = session.add_relation("source", cue.id, source.id)
    view = window.text_view
    view.select_relation(relation.id)
    view.setFocus()
    write_note(qtbot, window, Qt.KeyboardModifier.ControlModifier, "the ministry speaks")
    assert stored_set(services, window).relations[relation.id].note == "the ministry speaks"
    # Shown on the span's relation in the Attributes panel, and over the arc's label.
    editor.view.select_span(source.id)
    buttons = [b.text() for b in editor.attribute_editor.relation_buttons()]
    assert any("the ministry speaks" in text for text in buttons)
    view.viewport().repaint()
    (label,) = [rect for _, rect, rid in view.arcs.shapes if rid == relation.id and rect]
    point = label.center().toPoint()
    QApplication.sendEvent(
        view, QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    )
    assert "the ministry speaks" in QToolTip.text()


def test_the_document_note_by_key(qtbot, window: MainWindow, services) -> None:
    window.text_view.setFocus()
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    write_note(qtbot, window, mods, "Paragraph two is a quote from AP.")
    assert stored_set(services, window).note == "Paragraph two is a quote from AP."
    attribute_editor = window.editor.attribute_editor
    assert attribute_editor.note_text() == "Document note: Paragraph two is a quote from AP."
    # Undone and redone as any edit.
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_set(services, window).note == ""
    assert attribute_editor.note_text() == ""
    press(qtbot, window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored_set(services, window).note == "Paragraph two is a quote from AP."
    assert attribute_editor.note_text() == "Document note: Paragraph two is a quote from AP."
    # Escape leaves the note as it was.
    press(qtbot, window, Qt.Key.Key_N, mods)
    dialog = window.editor.notes.dialog
    assert dialog is not None
    assert dialog.text.toPlainText() == "Paragraph two is a quote from AP."
    qtbot.keyClicks(dialog.text, " more")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.editor.notes.dialog is None)
    assert stored_set(services, window).note == "Paragraph two is a quote from AP."


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_active_time_is_counted_from_input_and_stored_on_leaving(
    qtbot, window: MainWindow, services
) -> None:
    clock = FakeClock()
    timer = window.editor.timer
    timer.clock._clock = clock  # type: ignore[attr-defined]
    first = window.editor.session.document.id  # type: ignore[union-attr]
    timer.enter(window.editor.session)  # counting from the fake clock's now
    start, end = find(TEXTS[0], "Valmera")
    clock.now += 40
    drag_select(qtbot, window, start, end)  # 40 s of work before the drag
    clock.now += 20
    press(qtbot, window, Qt.Key.Key_G)  # the edit stores the 60 s counted so far
    assert stored_set(services, window).active_seconds == 60
    clock.now += 900  # a quarter of an hour away: left out
    press(qtbot, window, Qt.Key.Key_Right)
    clock.now += 15
    press(qtbot, window, Qt.Key.Key_Right)
    assert stored_set(services, window).active_seconds == 60  # no write per key
    second = window.documents.document_id(1)
    window.open_document(second)  # leaving the document stores its time
    assert stored_set(services, window, first).active_seconds == 75
    # The document list shows it.
    row = window.documents.row_of(first)
    qtbot.waitUntil(lambda: window.documents.summary(row).active_seconds == 75)  # type: ignore[union-attr]
    window.documents.refresh_document(first)
    assert window.documents.index(row, 4).data() == "1 min"
    # Back on the first document: closing the window stores what was counted since.
    window.open_document(first)
    clock.now += 30
    press(qtbot, window, Qt.Key.Key_Right)
    window.close()
    assert stored_set(services, window, first).active_seconds == 105
    QApplication.processEvents()
