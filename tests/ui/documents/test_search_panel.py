"""The search box in the window: typing words, the documents and places shown, and jumping
from a place to the text, checked against what the widgets show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow

ARTICLES = [
    {"text": "Ships waited. 🙂 The flood aid reached Bergen; flood aid is late.", "title": "North"},
    {"text": "Aid came before the flood.", "title": "South"},
    {"text": "Nothing here.", "title": "Flood aid report"},
]


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    services.projects.create("News", "news")
    source = tmp_path / "a.jsonl"
    source.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    services.importer.import_paths("News", [source])
    return services


def search_for(qtbot, window: MainWindow, words: str) -> None:
    window.show_search()
    box = window.search_panel.box
    assert box.hasFocus() or window.search_dock.isVisible()
    qtbot.keyClicks(box, words)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_a_phrase_lists_documents_and_places_and_a_place_opens_selected(qtbot, window) -> None:
    search_for(qtbot, window, '"flood aid"')
    tree = window.search_panel.results
    rows = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert rows == ["North  (2)", "Flood aid report  (title)"]
    assert window.search_panel.summary.text() == "2 documents, 2 places"
    north = tree.topLevelItem(0)
    assert [north.child(i).text(0) for i in range(north.childCount())] == [
        "Ships waited. 🙂 The flood aid reached Bergen; flood aid is late.",
        "…🙂 The flood aid reached Bergen; flood aid is late.",
    ]
    second = north.child(1)
    tree.expandItem(north)
    tree.setCurrentItem(second)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    text = ARTICLES[0]["text"]
    assert window.text_view.toPlainText() == text
    start = text.index("flood aid is")
    assert window.text_view.selected_range() == (start, start + len("flood aid"))
    assert window.text_view.textCursor().selectedText() == "flood aid"
    assert "North" in window.windowTitle()

    title_only = tree.topLevelItem(1)
    tree.setCurrentItem(title_only)
    rect = tree.visualItemRect(title_only)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.text_view.toPlainText() == ARTICLES[2]["text"]
    assert window.text_view.selected_range() is None


def test_words_in_any_order_and_nothing_found(qtbot, window) -> None:
    search_for(qtbot, window, "aid flood")
    assert window.search_panel.results.topLevelItemCount() == 3
    window.search_panel.box.clear()
    search_for(qtbot, window, "zebra")
    assert window.search_panel.results.topLevelItemCount() == 0
    assert window.search_panel.summary.text() == "No document holds zebra."
    window.search_panel.box.clear()
    search_for(qtbot, window, "...")
    assert "at least one word" in window.search_panel.summary.text()


def test_label_every_place_of_a_document_is_one_undo_step(qtbot, window, services) -> None:
    search_for(qtbot, window, '"flood aid"')
    panel = window.search_panel
    tree = panel.results
    assert not panel.label_button.isEnabled()
    tree.setCurrentItem(tree.topLevelItem(0))
    assert panel.label_button.isEnabled()
    panel.label_box.setCurrentText("EVENT")
    qtbot.mouseClick(panel.label_button, Qt.MouseButton.LeftButton)

    project = services.projects.get("News")
    document_id = tree.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole + 1)[0]

    def stored() -> list[tuple[str, str]]:
        sets = services.documents.annotation_sets(project, document_id)
        mine = [s for s in sets if s.annotator == "ana"]
        return sorted((sp.text, sp.label) for s in mine for sp in s.spans.values())

    assert stored() == [("flood aid", "EVENT"), ("flood aid", "EVENT")]
    assert sorted(window.editor.session.annotations.spans.values(), key=lambda s: s.start)[0].text
    assert window.editor.undo_stack.count() == 1
    window.actions.undo_action.trigger()
    assert stored() == []
    assert window.editor.session.annotations.spans == {}
