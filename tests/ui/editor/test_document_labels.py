"""Document labels in the window, by keys alone: Ctrl+Shift+D gives the keyboard to the
Document labels panel, Space ticks a topic, a letter or an arrow chooses a value, Tab moves on,
Esc goes back to the text; each choice is stored at once and undone by Ctrl+Z."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QListWidget

from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from tests.ui.support import add_project, press

TEXTS = ["Ada Lindqvist said the port of Valmera will reopen on Monday."]
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    add_project(services, tmp_path, TEXTS)
    return services


def stored(services: Services, window: MainWindow) -> dict[str, tuple[str, ...]]:
    project = services.projects.get(window.current_project() or "")
    doc_id = window.editor.session.document.id  # type: ignore[union-attr]
    sets = [s for s in services.documents.annotation_sets(project, doc_id) if s.annotator == "ana"]
    return sets[0].document_labels if sets else {}


def focused() -> object:
    return QApplication.focusWidget()


def test_document_labels_by_keys_are_stored_shown_and_undone(
    qtbot, window: MainWindow, services: Services
) -> None:
    panel = window.editor.document_labels
    assert window.editor.session is not None
    press(qtbot, window, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    topic = panel.field("topic")
    assert isinstance(topic, QListWidget) and focused() is topic

    # Topics: Space ticks the current one (the first), the arrow keys move.
    qtbot.keyClick(topic, Qt.Key.Key_Space)
    qtbot.keyClick(topic, Qt.Key.Key_Down)
    qtbot.keyClick(topic, Qt.Key.Key_Space)
    assert stored(services, window) == {"topic": ("politics", "economy")}
    assert panel.shown("topic") == ("politics", "economy")

    # Genre: Tab, then the first letter of a value.
    qtbot.keyClick(topic, Qt.Key.Key_Tab)
    genre = panel.field("genre")
    assert isinstance(genre, QComboBox) and focused() is genre
    qtbot.keyClicks(genre, "o")
    assert genre.currentText() == "opinion"
    # Check-worthy: Tab, then Down from "no value" to the first value.
    qtbot.keyClick(genre, Qt.Key.Key_Tab)
    worthy = panel.field("check_worthy")
    assert focused() is worthy
    qtbot.keyClick(worthy, Qt.Key.Key_Down)
    assert stored(services, window) == {
        "topic": ("politics", "economy"),
        "genre": ("opinion",),
        "check_worthy": ("yes",),
    }
    assert panel.shown("check_worthy") == ("yes",)
    if os.environ.get("LABELER_SHOTS"):
        window.resize(1400, 900)
        window.grab().save(os.environ["LABELER_SHOTS"])

    # Esc: back to the text, where Ctrl+Z undoes the last choice, stored and shown.
    qtbot.keyClick(worthy, Qt.Key.Key_Escape)
    assert focused() is window.text_view
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert stored(services, window) == {"topic": ("politics", "economy"), "genre": ("opinion",)}
    assert panel.shown("check_worthy") == ()
    assert worthy.currentText() == "\u2014"
    # Unticking a topic by key stores the rest.
    press(qtbot, window, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(topic, Qt.Key.Key_Space)  # economy, still the current row
    assert stored(services, window)["topic"] == ("politics",)
    assert panel.shown("topic") == ("politics",)


def test_a_schema_without_document_labels_says_so(
    qtbot, services: Services, settings, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.toml"
    plain.write_text(
        '[schema]\nname = "plain"\n[layers.entity.labels.PERSON]\ncolor = "#e57373"\n', "utf-8"
    )
    add_project(services, tmp_path, ["Ada spoke."], schema=str(plain), name="Plain")
    from tests.ui.support import show_window

    window = show_window(qtbot, services, "ana", settings)
    window.open_project("Plain")
    panel = window.editor.document_labels
    assert not panel.focus_first()
    assert "no document labels" in panel._hint.text()
