"""Undo and redo reach every view through the annotation model: text, span list, attributes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from labeler.domain.annotation_events import SpanAdded, SpanChanged, SpanRemoved
from labeler.services.workspace import Services
from labeler.ui.editor.annotation_model import AnnotationModel
from labeler.ui.main_window import MainWindow
from tests.ui.support import add_project

TEXT = (
    "🚢 Officials in Valmera said on Monday that talks would resume.\n"
    "Ilse Marquard of the union 😀 warned that the strike would cost millions."
)
UNDO = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
REDO = (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    """The project "News" with one article, TEXT."""
    add_project(services, tmp_path, [TEXT])
    return services


def key(
    qtbot, window: MainWindow, pressed: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(window.text_view, pressed, modifiers)


def listed(window: MainWindow) -> list[tuple[str, str]]:
    """The span list as shown: (label, text) per row."""
    model = window.editor.span_model
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]


def drawn(window: MainWindow) -> list[str]:
    return [m.label for m in window.text_view.marks.in_range(0, 10_000)]


def stored_labels(services: Services, window: MainWindow) -> list[tuple[str, dict]]:
    session = window.editor.session
    assert session is not None
    project = services.projects.get("News")
    sets = services.documents.annotation_sets(project, session.document.id)  # type: ignore[arg-type]
    return sorted((s.label, s.attributes) for s in sets[0].spans.values()) if sets else []


def test_undo_and_redo_update_text_list_and_attributes_through_the_model(
    qtbot, window: MainWindow, services: Services
) -> None:
    told: list[object] = []
    window.editor.model.changed.connect(told.append)
    view = window.text_view
    attributes = window.editor.attribute_editor
    start = TEXT.index("talks would resume")
    view.select_range(start, start + len("talks would resume"))
    key(qtbot, window, Qt.Key.Key_C)  # CLAIM
    combo = attributes.combo("checkworthy")
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the first value: one more command
    value = combo.currentText()
    assert stored_labels(services, window) == [("CLAIM", {"checkworthy": value})]
    assert listed(window) == [("CLAIM", "talks would resume")]
    view.setFocus()

    key(qtbot, window, *UNDO)  # the attribute goes: the panel follows the set
    assert stored_labels(services, window) == [("CLAIM", {})]
    assert attributes.combo("checkworthy").currentText() == "\u2014"
    assert isinstance(told[-1], SpanChanged)

    key(qtbot, window, *UNDO)  # the claim goes: from the text, the list and the panel
    assert stored_labels(services, window) == []
    assert drawn(window) == [] and listed(window) == []
    assert attributes.span_id() is None
    assert isinstance(told[-1], SpanRemoved)

    key(qtbot, window, *REDO)  # back, selected, listed, shown in the panel
    assert drawn(window) == ["CLAIM"]
    assert listed(window) == [("CLAIM", "talks would resume")]
    assert attributes.span_id() == view.selected_span is not None
    assert isinstance(told[-1], SpanAdded)
    table = window.editor.span_panel.table
    assert [i.row() for i in table.selectionModel().selectedRows()] == [0]

    key(qtbot, window, *REDO)  # and its value
    assert attributes.combo("checkworthy").currentText() == value
    assert stored_labels(services, window) == [("CLAIM", {"checkworthy": value})]
    assert window.statusBar().currentMessage().startswith("Redo: set checkworthy")


def test_a_relabel_moves_the_row_and_undo_moves_it_back(
    qtbot, window: MainWindow, services: Services
) -> None:
    view = window.text_view
    for word, hotkey in (("Valmera", Qt.Key.Key_G), ("Ilse Marquard", Qt.Key.Key_P)):
        start = TEXT.index(word)
        view.select_range(start, start + len(word))
        key(qtbot, window, hotkey)
    assert listed(window) == [("GPE", "Valmera"), ("PERSON", "Ilse Marquard")]
    start = TEXT.index("Officials")
    view.select_range(start, start + len("Officials"))
    key(qtbot, window, Qt.Key.Key_S)  # SOURCE, in the attribution layer: listed after
    assert listed(window)[-1] == ("SOURCE", "Officials")
    key(qtbot, window, Qt.Key.Key_C)  # relabelled a claim: the row moves to the claim layer
    assert listed(window)[-1] == ("CLAIM", "Officials")
    assert [label for label, _ in stored_labels(services, window)] == ["CLAIM", "GPE", "PERSON"]
    key(qtbot, window, *UNDO)
    assert listed(window)[-1] == ("SOURCE", "Officials")
    assert sorted(drawn(window)) == ["GPE", "PERSON", "SOURCE"]
    assert window.editor.attribute_editor.span_id() == view.selected_span


def test_the_span_list_model_passes_the_model_tester(qtmodeltester, window: MainWindow) -> None:
    qtmodeltester.check(window.editor.span_model)


def test_the_model_follows_the_session_it_is_given(window: MainWindow) -> None:
    session = window.editor.session
    assert session is not None
    model = AnnotationModel()
    opened: list[object] = []
    model.opened.connect(opened.append)
    model.open(session)
    assert model.annotations is session.annotations and opened == [session]
    told: list[object] = []
    model.span_added.connect(told.append)
    span = session.add_span(TEXT.index("Valmera"), TEXT.index("Valmera") + 7, "GPE")
    assert told == [span]
    model.open(None)
    session.remove_span(span.id)  # type: ignore[arg-type]
    assert told == [span] and opened == [session, None]
