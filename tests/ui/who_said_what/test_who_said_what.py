"""Who said what in the window: the dock of the open document and the project-wide dialog,
driven with the mouse and keys, checked against what they show and what is stored."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView

from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from labeler.ui.who_said_what.who_said_what_dialog import WhoSaidWhatDialog
from labeler.ui.who_said_what.who_said_what_model import WhoSaidWhatModel
from labeler.ui.who_said_what.who_said_what_panel import WhoSaidWhatPanel
from tests.attribution_articles import write_articles
from tests.ui.support import add_project


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    """The three attribution articles, annotated by ana and ben."""
    add_project(services, tmp_path)
    services.importer.import_paths("News", [write_articles(tmp_path / "articles.jsonl")])
    return services


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    """The window, large enough for the dock's columns."""
    window.resize(1400, 900)
    return window


def shown(panel: WhoSaidWhatPanel, *headers: str) -> list[tuple[str, ...]]:
    """The table's text, row by row, in the columns named, as the view shows it."""
    model = panel.table.model()
    columns = [panel.model.column_of(h) for h in headers]
    return [tuple(model.index(row, c).data() for c in columns) for row in range(model.rowCount())]


def click_header(qtbot, panel: WhoSaidWhatPanel, header: str) -> None:
    bar = panel.table.horizontalHeader()
    section = panel.model.column_of(header)
    x = bar.sectionViewportPosition(section) + bar.sectionSize(section) // 2
    qtbot.mouseClick(bar.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def double_click_row(qtbot, panel: WhoSaidWhatPanel, row: int) -> None:
    table = panel.table
    index = table.model().index(row, panel.model.column_of("Cue"))
    table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def stored_set(services: Services, title: str, annotator: str = "ana"):
    project = services.projects.get("News")
    (doc,) = [s for s in services.documents.summaries(project) if s.title == title]
    sets = services.documents.annotation_sets(project, doc.id)
    return doc.id, next(s for s in sets if s.annotator == annotator)


def cue_id(annotations, words: str) -> int:
    (found,) = [s.id for s in annotations.spans.values() if s.label == "CUE" and s.text == words]
    return found


def open_dialog(qtbot, window: MainWindow) -> WhoSaidWhatDialog:
    window.actions.who_said_what_action.trigger()
    dialog = window.findChild(WhoSaidWhatDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.runner.is_running() and dialog.status.text() == "")
    return dialog


def test_the_dock_shows_the_open_documents_attributions_and_follows_edits(
    qtbot, window: MainWindow, services: Services
) -> None:
    panel = window.who_said_what
    assert window.who_said_what_dock.windowTitle() == "Who said what"
    assert window.editor.session is not None
    assert window.editor.session.document.title == "Port strike"
    assert shown(panel, "Source", "Cue", "Content", "Claim", "Claim type", "Entity") == [
        (
            "Ilse Marquard",
            "said",
            '"We will stay out," … "Our members have not had a raise."',
            "Our members have not had a raise",
            "event",
            "Ilse Marquard (PERSON)",
        ),
        (
            "Economists at Halden Bank",
            "warned",
            "growth could slow",
            "growth could slow",
            "prediction",
            "Halden Bank (ORG)",
        ),
    ]
    assert panel.count_label.text() == "2 attributions"
    # An edit: deleting the cue "warned" (and so its relations) removes its row at once.
    _, before = stored_set(services, "Port strike")
    window.editor.delete_span(cue_id(before, "warned"))
    _, after = stored_set(services, "Port strike")
    assert [s.text for s in after.spans.values() if s.label == "CUE"] == ["said"]
    assert shown(panel, "Cue") == [("said",)]
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shown(panel, "Cue") == [("said",), ("warned",)]  # undo brings it back, at once
    qtbot.keyClick(
        window.text_view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert shown(panel, "Cue") == [("said",)]
    # Another document: the dock shows its rows at once.
    window.go_to(1)
    assert shown(panel, "Source", "Claim type") == [("The council", "quantity")]
    window.go_to(1)
    assert panel.table.model().rowCount() == 0
    assert panel.count_label.text() == "0 attributions"


def test_clicking_a_header_sorts_and_typing_and_choosing_filter(qtbot, window: MainWindow) -> None:
    panel = window.who_said_what
    assert shown(panel, "Cue") == [("said",), ("warned",)]  # reading order, unsorted
    click_header(qtbot, panel, "Cue")
    assert shown(panel, "Cue") == [("said",), ("warned",)]
    click_header(qtbot, panel, "Cue")
    assert shown(panel, "Cue") == [("warned",), ("said",)]
    click_header(qtbot, panel, "Claim type")
    assert shown(panel, "Claim type") == [("event",), ("prediction",)]

    qtbot.keyClicks(panel.source_filter, "halden")
    assert shown(panel, "Source") == [("Economists at Halden Bank",)]
    assert panel.count_label.text() == "1 of 2 attributions shown"
    panel.source_filter.clear()
    box = panel.claim_type_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "All claim types",
        "quantity",
        "prediction",
        "causal",
        "comparison",
        "event",
        "rule or policy",
        "other",
    ]
    box.setCurrentIndex(box.findData("event"))
    assert shown(panel, "Source", "Claim type") == [("Ilse Marquard", "event")]
    qtbot.keyClicks(panel.source_filter, "Halden")
    assert shown(panel, "Source") == []
    box.setCurrentIndex(0)
    assert shown(panel, "Source") == [("Economists at Halden Bank",)]


def test_double_click_in_the_dock_selects_the_cue_in_the_editor(
    qtbot, window: MainWindow, services: Services
) -> None:
    panel = window.who_said_what
    _, stored = stored_set(services, "Port strike")
    assert window.editor.view.selected_span is None
    with qtbot.waitSignal(panel.place_chosen) as signal:
        double_click_row(qtbot, panel, 1)
    doc_id, _ = stored_set(services, "Port strike")
    assert signal.args == [doc_id, cue_id(stored, "warned")]
    assert window.editor.view.selected_span == cue_id(stored, "warned")


def test_the_project_dialog_lists_every_document_and_opens_the_place(
    qtbot, window: MainWindow, services: Services
) -> None:
    dialog = open_dialog(qtbot, window)
    panel = dialog.panel
    assert dialog.annotator() == "ana"
    assert shown(panel, "Document", "Annotator", "Source", "Cue") == [
        ("Port strike", "ana", "Ilse Marquard", "said"),
        ("Port strike", "ana", "Economists at Halden Bank", "warned"),
        ("Flood barrier", "ana", "The council", "said"),
    ]
    box = dialog.annotator_box
    assert [box.itemText(i) for i in range(box.count())] == ["All annotators", "ana", "bo"]
    box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.table.model().rowCount() == 4)
    assert ("Port strike", "bo") in shown(panel, "Document", "Annotator")

    click_header(qtbot, panel, "Document")  # ascending: "Flood barrier" first
    assert shown(panel, "Document", "Cue")[0] == ("Flood barrier", "said")
    doc_id, stored = stored_set(services, "Flood barrier")
    double_click_row(qtbot, panel, 0)
    assert window.editor.session is not None
    assert window.editor.session.document.id == doc_id
    assert window.document_view.currentIndex().row() == window.documents.row_of(doc_id)
    assert window.editor.view.selected_span == cue_id(stored, "said")
    # bo's row: the document opens, but the span is not in ana's set.
    bo_row = shown(panel, "Annotator").index(("bo",))
    double_click_row(qtbot, panel, bo_row)
    assert window.editor.session.document.title == "Port strike"
    assert window.editor.view.selected_span is None
    assert "not in your annotations" in window.statusBar().currentMessage()


def test_export_writes_the_rows_shown_as_csv(qtbot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, window)
    panel = dialog.panel
    target = tmp_path / "out.csv"
    asked: list[str] = []

    def choose(_parent, suggested: str) -> str:
        asked.append(suggested)
        return str(target)

    panel.choose_path = choose
    panel.claim_type_box.setCurrentIndex(panel.claim_type_box.findData("quantity"))
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert asked == ["News - who said what.csv"]
    with target.open(encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    assert [(r["document_title"], r["source"], r["claim"], r["claim_type"]) for r in records] == [
        ("Flood barrier", "The council", "the flood barrier costs $42 million", "quantity")
    ]
    assert panel.count_label.text() == f"Exported 1 attribution to {target}"
    # Cancelled: nothing is written.
    target.unlink()
    panel.choose_path = lambda _parent, _name: None
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert not target.exists()


def test_the_model_and_its_filter_pass_the_model_tester(qtmodeltester, window: MainWindow) -> None:
    panel = window.who_said_what
    assert panel.model.rowCount() == 2
    qtmodeltester.check(panel.model, force_py=True)
    qtmodeltester.check(panel.proxy, force_py=True)
    row = panel.model.index(0, 0).data(WhoSaidWhatModel.RowRole)
    assert panel.model.index(0, 0).data(WhoSaidWhatModel.SpanIdRole) == row.span_id


def test_enter_on_a_row_goes_to_the_place_too(
    qtbot, window: MainWindow, services: Services
) -> None:
    panel = window.who_said_what
    _, stored = stored_set(services, "Port strike")
    table = panel.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, 0))
    with qtbot.waitSignal(panel.place_chosen) as signal:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert signal.args[1] == cue_id(stored, "warned")
    assert window.editor.view.selected_span == cue_id(stored, "warned")


def test_a_hidden_dock_catches_up_when_shown_again(
    qtbot, window: MainWindow, services: Services
) -> None:
    panel = window.who_said_what
    assert panel.table.model().rowCount() == 2
    window.who_said_what_dock.toggleViewAction().trigger()  # closed, as a person closes it
    assert not panel.isVisible()
    _, before = stored_set(services, "Port strike")
    window.editor.delete_span(cue_id(before, "warned"))
    assert panel.table.model().rowCount() == 2  # a hidden dock does no work
    window.who_said_what_dock.toggleViewAction().trigger()
    assert panel.table.model().rowCount() == 1
    assert shown(panel, "Cue") == [("said",)]
