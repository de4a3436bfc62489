"""HelpOverlay: lists the shortcuts over the window; Esc, F1 or a click closes it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QWidget

from labeler.ui.editor.help_overlay import HelpOverlay, action_text, split_columns


@pytest.fixture
def window(qtbot) -> QWidget:
    widget = QWidget()
    widget.resize(1200, 780)
    editor = QPlainTextEdit("Some article text.", widget)
    editor.setObjectName("editor")
    layout = QHBoxLayout(widget)
    layout.addWidget(editor)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    return widget


def _action(parent: QWidget, text: str, *keys: str) -> QAction:
    action = QAction(text, parent)
    action.setShortcuts([QKeySequence(k) for k in keys])
    return action


def _texts(overlay: HelpOverlay, name: str) -> list[str]:
    return [label.text() for label in overlay.findChildren(QLabel, name)]


@pytest.fixture
def overlay(window: QWidget) -> HelpOverlay:
    widget = HelpOverlay(window)
    widget.set_sections(
        [
            (
                "Document",
                [
                    _action(window, "&Save", "Ctrl+S"),
                    _action(window, "Save && &close", "Ctrl+Shift+W"),
                    _action(window, "Properties…"),  # no shortcut: not listed
                    _action(window, "&Undo", "Ctrl+Z", "Alt+Backspace"),
                ],
            ),
            ("Nothing here", [_action(window, "Print")]),
            ("Labels", [_action(window, "PERSON", "P"), _action(window, "PRODUCT", "Shift+P")]),
        ]
    )
    return widget


def test_hidden_until_toggled(qtbot, window: QWidget, overlay: HelpOverlay) -> None:
    assert not overlay.isVisible()
    overlay.toggle()
    assert overlay.isVisible()
    assert overlay.geometry() == window.rect()
    qtbot.waitUntil(overlay.hasFocus)
    overlay.toggle()
    assert not overlay.isVisible()


def test_lists_the_actions_and_their_shortcuts(overlay: HelpOverlay) -> None:
    overlay.toggle()
    texts = _texts(overlay, "helpText")
    keys = _texts(overlay, "helpKey")
    native = QKeySequence.SequenceFormat.NativeText
    assert texts == ["Save", "Save & close", "Undo", "PERSON", "PRODUCT"]
    assert keys == [
        QKeySequence("Ctrl+S").toString(native),
        QKeySequence("Ctrl+Shift+W").toString(native),
        QKeySequence("Ctrl+Z").toString(native)
        + ", "
        + QKeySequence("Alt+Backspace").toString(native),
        "p",  # a plain letter as typed: "P" would read as Shift+P
        QKeySequence("Shift+P").toString(native),
    ]
    assert _texts(overlay, "helpSection") == ["Document", "Labels"]
    for label in overlay.findChildren(QLabel):
        if label.text():
            assert label.isVisible()
            assert label.width() >= label.sizeHint().width(), label.text()  # nothing clipped


@pytest.mark.parametrize("key", [Qt.Key.Key_Escape, Qt.Key.Key_F1])
def test_esc_and_f1_close_it_and_give_the_focus_back(qtbot, window, overlay, key) -> None:
    editor = window.findChild(QPlainTextEdit, "editor")
    overlay.toggle()
    qtbot.waitUntil(overlay.hasFocus)
    qtbot.keyClick(overlay, key)
    assert not overlay.isVisible()
    qtbot.waitUntil(editor.hasFocus)


def test_a_click_closes_it(qtbot, overlay: HelpOverlay) -> None:
    overlay.toggle()
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert not overlay.isVisible()
    overlay.toggle()
    card = overlay.findChild(QWidget, "helpCard")
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=card.rect().center())
    assert not overlay.isVisible()


def test_window_shortcuts_wait_while_it_shows(qtbot, window: QWidget, overlay) -> None:
    undo = _action(window, "Undo", "Ctrl+Z")
    window.addAction(undo)
    overlay.toggle()
    qtbot.waitUntil(overlay.hasFocus)
    with qtbot.assertNotEmitted(undo.triggered, wait=50):
        qtbot.keyClick(overlay, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert overlay.isVisible()


def test_follows_the_parents_size(qtbot, window: QWidget, overlay: HelpOverlay) -> None:
    overlay.toggle()
    window.resize(900, 600)
    qtbot.waitUntil(lambda: overlay.size() == window.size())
    card = overlay.findChild(QWidget, "helpCard")
    assert overlay.rect().contains(card.geometry())
    assert abs(card.geometry().center().x() - overlay.rect().center().x()) <= 1


def test_forty_shortcuts_fit_a_1200_by_780_window(qtbot, window: QWidget) -> None:
    overlay = HelpOverlay(window)
    labels = [_action(window, f"LABEL_{i}", f"Shift+{chr(65 + i)}") for i in range(23)]
    editing = [_action(window, f"Editing command {i}", f"Ctrl+Alt+{i}") for i in range(10)]
    view = [_action(window, f"View command {i}", f"Ctrl+F{i + 1}") for i in range(7)]
    overlay.set_sections([("Labels", labels), ("Editing", editing), ("View", view)])
    overlay.toggle()
    card = overlay.findChild(QWidget, "helpCard")
    columns = overlay.findChild(QWidget, "helpColumns")
    assert columns.layout().count() == 2
    assert card.sizeHint().height() <= window.height() - 48
    assert card.sizeHint().width() <= window.width() - 48
    assert overlay.rect().contains(card.geometry())
    assert len(_texts(overlay, "helpKey")) == 40


def test_mnemonics_are_stripped(qapp) -> None:
    assert action_text(QAction("&Open…")) == "Open"
    assert action_text(QAction("Find && &Replace")) == "Find & Replace"


def test_columns_split_between_sections_when_that_balances() -> None:
    rows = [("x", "X")]
    few = [("A", rows * 3), ("B", rows * 4)]
    assert split_columns(few) == [few]
    many = [("A", rows * 10), ("B", rows * 9)]
    assert split_columns(many) == [[many[0]], [many[1]]]


def test_a_long_section_is_split_with_its_title_repeated() -> None:
    rows = [(f"r{i}", "K") for i in range(30)]
    first, second = split_columns([("Labels", rows), ("Help", [("Help", "F1")])])
    assert first == [("Labels", rows[:16])]
    assert second == [("Labels (continued)", rows[16:]), ("Help", [("Help", "F1")])]


def test_keys_a_widget_handles_itself_are_listed_from_the_action_data(
    window: QWidget, overlay: HelpOverlay
) -> None:
    handled = QAction("Delete selected span\tDel", window)  # the menu shows the keys after a tab
    handled.setData("Del, Backspace")
    silent = QAction("No keys at all", window)
    overlay.set_sections([("Spans", [handled, silent])])
    overlay.toggle()
    assert _texts(overlay, "helpText") == ["Delete selected span"]
    assert _texts(overlay, "helpKey") == ["Del, Backspace"]
