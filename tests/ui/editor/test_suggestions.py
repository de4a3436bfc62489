"""Suggestions in the editor, driven by keys: drawn as outlines, accepted as undoable spans that
name their recommender, rejected for good, computed off the GUI thread, a failing or hanging
recommender reported without holding up the editor."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from labeler.assist.string_matcher import StringMatcherRecommender
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from labeler.ui.quality.quality_dialog import QualityDialog
from tests.failing_recommenders import Hanging, Raising
from tests.ui.support import add_project, drag_select, press

TEXTS = [
    "🚢 Officials from Valmera met at the port.\n"
    '"We need a deal," said Ilse Marquard of the union 😀 in Valmera.',
    "Second article: the port of Halden reopened.",
]
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    """The project News with TEXTS, and a gazetteer's suggestions stored for it."""
    add_project(services, tmp_path, TEXTS)
    project = services.projects.get("News")
    gazetteer = StringMatcherRecommender({"Valmera": "GPE", "Halden": "GPE"}, "gazetteer")
    services.suggestions.pre_annotate(project, gazetteer)
    return services


def shown(window: MainWindow) -> list[tuple[str, str, str]]:
    text = window.editor.session.document.text  # type: ignore[union-attr]
    return [
        (text[s.start : s.end], s.label, x.recommender)
        for x in window.suggestions.suggestions
        for s in x.spans
    ]


def stored(
    services: Services, window: MainWindow, project: str = "News"
) -> list[tuple[str, str, str | None]]:
    session = services.annotations.open(
        services.projects.get(project),
        window.editor.session.document.id,
        "ana",  # type: ignore[union-attr]
    )
    sources = services.suggestions.sources(session)
    return sorted(
        (s.text, s.label, sources.get(s.id, "")) for s in session.annotations.spans.values()
    )  # type: ignore[arg-type]


def wait_for_suggestions(qtbot, window: MainWindow, count: int) -> None:
    qtbot.waitUntil(lambda: len(shown(window)) == count, timeout=20_000)


def test_suggestions_are_outlined_and_accepted_by_key_as_an_undoable_span(
    qtbot, window: MainWindow, services: Services
) -> None:
    wait_for_suggestions(qtbot, window, 5)
    assert sorted(shown(window)) == sorted(
        [
            ("Valmera", "GPE", "gazetteer"),
            ("Valmera", "GPE", "gazetteer"),
            ("Ilse Marquard", "SOURCE", "attribution rules"),
            ("said", "CUE", "attribution rules"),
            ("We need a deal", "CONTENT", "attribution rules"),
        ]
    )
    view = window.text_view
    view.viewport().repaint()
    # Drawn as outlines only: the text view's spans (marks) hold none of them.
    assert len(window.suggestions.painter.outlines) == 5
    assert list(view.marks.in_range(0, 10_000)) == []
    assert stored(services, window) == []
    view.setFocus()
    press(qtbot, window, Qt.Key.Key_Down, ALT)  # to the first suggestion: Valmera
    press(qtbot, window, Qt.Key.Key_A, ALT)
    assert stored(services, window) == [("Valmera", "GPE", "gazetteer")]
    assert [m.label for m in view.marks.in_range(0, 10_000)] == ["GPE"]
    assert len(shown(window)) == 4
    window.editor.undo_group.undo()
    assert stored(services, window) == []
    assert len(shown(window)) == 5  # the suggestion is back with its acceptance undone
    window.editor.undo_group.redo()
    assert stored(services, window) == [("Valmera", "GPE", "gazetteer")]
    assert len(shown(window)) == 4


def test_a_frame_is_accepted_with_its_links_and_a_label_all_at_once(
    qtbot, window: MainWindow, services: Services
) -> None:
    wait_for_suggestions(qtbot, window, 5)
    view = window.text_view
    view.setFocus()
    text = TEXTS[0]
    cursor = view.textCursor()
    cursor.setPosition(view.marks.to_utf16(text.index("said") + 1))
    view.setTextCursor(cursor)
    press(qtbot, window, Qt.Key.Key_A, ALT)  # the caret is in the cue: the frame
    session = window.editor.session
    assert {s.label for s in session.annotations.spans.values()} == {"SOURCE", "CUE", "CONTENT"}  # type: ignore[union-attr]
    assert {r.type for r in session.annotations.relations.values()} == {"source", "content"}  # type: ignore[union-attr]
    cursor.setPosition(view.marks.to_utf16(text.index("Valmera")))
    view.setTextCursor(cursor)
    press(qtbot, window, Qt.Key.Key_A, ALT | Qt.KeyboardModifier.ShiftModifier)
    assert [x for x in stored(services, window) if x[1] == "GPE"] == [
        ("Valmera", "GPE", "gazetteer")
    ] * 2
    assert shown(window) == []
    window.editor.undo_group.undo()  # both at once, one step
    assert [x for x in stored(services, window) if x[1] == "GPE"] == []


def test_a_rejected_suggestion_is_not_shown_again_on_that_document(
    qtbot, window: MainWindow, services: Services
) -> None:
    wait_for_suggestions(qtbot, window, 5)
    window.text_view.setFocus()
    press(qtbot, window, Qt.Key.Key_Up, ALT)  # the last: the second Valmera
    press(qtbot, window, Qt.Key.Key_X, ALT)
    assert len(shown(window)) == 4
    assert stored(services, window) == []
    window.document_view.selectRow(1)
    qtbot.waitUntil(lambda: shown(window) == [("Halden", "GPE", "gazetteer")], timeout=20_000)
    window.document_view.selectRow(0)
    wait_for_suggestions(qtbot, window, 4)
    assert [x for x in shown(window) if x[0] == "Valmera"] == [("Valmera", "GPE", "gazetteer")]


def test_a_raising_or_hanging_recommender_is_reported_and_never_blocks_the_editor(
    qtbot, window: MainWindow, services: Services
) -> None:
    wait_for_suggestions(qtbot, window, 5)
    hanging = Hanging()
    controller = window.suggestions
    controller.recommenders_for = lambda _project: [Raising("no model here"), hanging]
    controller.set_project(window.workspace.project)
    controller.timeout = 1.0
    began = time.perf_counter()
    window.document_view.selectRow(1)
    opened = time.perf_counter() - began
    assert window.editor.session.document.text == TEXTS[1]  # type: ignore[union-attr]
    assert opened < 0.5  # the open did not wait for the recommenders
    # The editor answers keys while the hanging one runs.
    window.text_view.setFocus()
    press(qtbot, window, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert window.text_view.caret() == len(TEXTS[1])
    with qtbot.waitSignal(controller.shown, timeout=10_000):
        pass
    hanging.release.set()
    assert shown(window) == [("Halden", "GPE", "gazetteer")]  # the stored ones still come
    assert "Recommender hanging gave no answer within 1 s" in window.statusBar().currentMessage()


def table_rows(table) -> list[list[str]]:
    model = table.model()
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_quality_view_counts_what_the_keys_accepted_and_rejected(
    qtbot, window: MainWindow, services: Services
) -> None:
    wait_for_suggestions(qtbot, window, 5)
    view = window.text_view
    view.setFocus()
    press(qtbot, window, Qt.Key.Key_Down, ALT)  # the first Valmera
    press(qtbot, window, Qt.Key.Key_A, ALT)
    press(qtbot, window, Qt.Key.Key_Up, ALT)  # the last: the second Valmera
    press(qtbot, window, Qt.Key.Key_X, ALT)
    cursor = view.textCursor()
    cursor.setPosition(view.marks.to_utf16(TEXTS[0].index("said") + 1))
    view.setTextCursor(cursor)
    press(qtbot, window, Qt.Key.Key_X, ALT)  # the attribution frame
    assert shown(window) == []
    window.actions.quality_action.trigger()
    dialog = window.findChild(QualityDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.runner.is_running(), timeout=30_000)
    tabs = dialog.tabs
    at = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Suggestions")
    qtbot.mouseClick(
        tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(at).center()
    )
    assert tabs.currentWidget() is dialog.tally_table
    assert dialog.tally_table.isVisible()
    assert table_rows(dialog.tally_table) == [
        ["attribution rules", "(all)", "0", "3", "0%"],
        ["attribution rules", "CONTENT", "0", "1", "0%"],
        ["attribution rules", "CUE", "0", "1", "0%"],
        ["attribution rules", "SOURCE", "0", "1", "0%"],
        ["gazetteer", "(all)", "1", "1", "50%"],
        ["gazetteer", "GPE", "1", "1", "50%"],
    ]
    # Undoing the acceptance takes it out of the count when the tab is read again.
    window.editor.undo_group.undo()
    qtbot.mouseClick(
        tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(0).center()
    )
    qtbot.mouseClick(
        tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(at).center()
    )
    assert table_rows(dialog.tally_table)[4] == ["gazetteer", "(all)", "0", "1", "0%"]
    dialog.close()


LEARNING = [
    "Norrvik Port reopened. Staff at Norrvik Port cheered, and Norrvik Port's owners too.",
    "A week later Norrvik Port closed again.",
]


def test_a_text_labelled_is_proposed_at_its_other_places_and_in_later_documents(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    add_project(services, tmp_path, LEARNING, name="Ports")
    window.open_project("Ports")
    qtbot.waitUntil(lambda: window.editor.session is not None, timeout=10_000)
    qtbot.waitUntil(lambda: window.suggestions.pending == 0, timeout=10_000)
    assert shown(window) == []
    view = window.text_view
    view.setFocus()
    drag_select(qtbot, window, 0, len("Norrvik Port"))
    with qtbot.waitSignal(window.suggestions.learned, timeout=20_000):
        press(qtbot, window, Qt.Key.Key_F)  # FAC
    assert sorted(shown(window)) == [("Norrvik Port", "FAC", "string matcher")] * 2
    # Stepping and accepting walk on: the second acceptance takes the next one.
    press(qtbot, window, Qt.Key.Key_Down, ALT)
    press(qtbot, window, Qt.Key.Key_A, ALT)
    press(qtbot, window, Qt.Key.Key_A, ALT)
    assert shown(window) == []
    assert stored(services, window, "Ports") == [
        ("Norrvik Port", "FAC", ""),
        ("Norrvik Port", "FAC", "string matcher"),
        ("Norrvik Port", "FAC", "string matcher"),
    ]
    # The next document: the matcher made when the project opened has learned it.
    window.document_view.selectRow(1)
    qtbot.waitUntil(
        lambda: shown(window) == [("Norrvik Port", "FAC", "string matcher")], timeout=20_000
    )
    # Relabelled, it is proposed under its new label from then on.
    window.document_view.selectRow(0)
    qtbot.waitUntil(lambda: window.editor.session.document.text == LEARNING[0], timeout=10_000)  # type: ignore[union-attr]
    view.setFocus()
    drag_select(qtbot, window, 0, len("Norrvik Port"))
    with qtbot.waitSignal(window.suggestions.learned, timeout=20_000):
        press(qtbot, window, Qt.Key.Key_O)  # ORG, over the same words: a relabel
    assert ("Norrvik Port", "ORG", "") in stored(services, window, "Ports")
    window.document_view.selectRow(1)
    qtbot.waitUntil(
        lambda: shown(window) == [("Norrvik Port", "ORG", "string matcher")], timeout=20_000
    )
