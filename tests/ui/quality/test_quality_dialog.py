"""The Quality view: opened from the menu, measured off the GUI thread, a heat map of pairs,
the figures per label, and the documents with the least agreement first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from labeler.quality.figures import ALL, Figure, Measure, StatusFilter
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from labeler.ui.quality.pair_matrix import UNDEFINED, heat_color, tooltip
from labeler.ui.quality.quality_dialog import QualityDialog
from tests.agreement_corpus import stored_corpus
from tests.ui.support import filled


@pytest.fixture
def db_path(db_path: Path) -> Path:
    return filled(db_path, stored_corpus)


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    window.resize(1200, 800)
    return window


def open_dialog(qtbot, window: MainWindow) -> QualityDialog:
    window.actions.quality_action.trigger()
    dialog = window.findChild(QualityDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(
        lambda: dialog.report is not None and not dialog.runner.is_running(), timeout=30_000
    )
    return dialog


def choose(combo, text: str) -> None:
    at = combo.findText(text)
    assert at >= 0, text
    combo.setCurrentIndex(at)


def test_heat_map_of_pairs(qtbot, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    assert dialog.summary.text() == (
        "2 documents compared by ana, ben, cy; 1 left out with fewer than two of them."
    )
    choose(dialog.group_box, "entity")
    choose(dialog.measure_box, "span_f1_exact")
    matrix = dialog.matrix
    # ana and ben agree on every entity; cy on none
    assert [matrix.cell_text(0, c) for c in range(3)] == ["", "1.000", "0.000"]
    assert matrix.cell_text(1, 0) == "1.000" and matrix.cell_text(2, 1) == "0.000"
    image = matrix.grab().toImage()
    corner = matrix.cell_rect(0, 1).topLeft()
    assert image.pixel(corner.x() + 3, corner.y() + 3) == heat_color(1.0).rgb()
    corner = matrix.cell_rect(0, 2).topLeft()
    assert image.pixel(corner.x() + 3, corner.y() + 3) == heat_color(0.0).rgb()
    assert "units: 6" in tooltip(matrix.figure_at(0, 1))
    # relations: cy has none, so the pairs with cy are undefined and drawn grey
    choose(dialog.group_box, "relations")
    assert dialog.measure_box.currentText() == "relation_f1_exact"
    assert matrix.cell_text(0, 2) == "-"
    image = matrix.grab().toImage()
    corner = matrix.cell_rect(0, 2).topLeft()
    assert image.pixel(corner.x() + 3, corner.y() + 3) == UNDEFINED.rgb()
    assert "neither annotator has any" in tooltip(matrix.figure_at(0, 2))


def test_labels_and_documents(qtbot, window: MainWindow, services: Services) -> None:
    dialog = open_dialog(qtbot, window)
    table = dialog.label_table
    shown = [
        tuple(table.model().index(r, c).data() for c in range(4))
        for r in range(table.model().rowCount())
    ]
    assert ("entity", "GPE", "span_f1_overlap", "0.667") in shown
    assert ("entity", "(all)", "fleiss_kappa", "0.391") in shown

    dialog.tabs.setCurrentWidget(dialog.document_table)
    documents = dialog.document_table
    titles = [documents.model().index(r, 0).data() for r in range(documents.model().rowCount())]
    assert titles == ["Article 1", "Article 2"]  # cy disagrees on article 1
    index = documents.model().index(1, 0)
    rect = documents.visualRect(index)
    qtbot.mouseClick(documents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(documents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    project = services.projects.get("News")
    second = next(s.id for s in services.documents.summaries(project) if s.title == "Article 2")
    qtbot.waitUntil(lambda: window.workspace.document_id == second)


def test_status_filter_measures_again(qtbot, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    first = dialog.report
    choose(dialog.status_box, "Sets of any status")
    qtbot.waitUntil(
        lambda: dialog.report is not first and not dialog.runner.is_running(), timeout=30_000
    )
    assert dialog.report.status is StatusFilter.ANY and dialog.report.documents == 3
    assert dialog.summary.text().startswith("3 documents compared")


def test_models_are_sound(qtbot, qtmodeltester, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    qtmodeltester.check(dialog.labels)
    qtmodeltester.check(dialog.documents)


def test_heat_colour_runs_red_to_green() -> None:
    assert heat_color(None) == UNDEFINED
    assert heat_color(-0.3) == heat_color(0.0)
    assert heat_color(0.0).hueF() == pytest.approx(0.0)
    assert heat_color(1.0).hueF() == pytest.approx(1 / 3, abs=0.01)
    figure = Figure(Measure.COHEN_KAPPA, "entity", "", ALL, None, 0, None, 0, "no units")
    assert tooltip(figure).splitlines()[-1] == "no units"


def test_a_click_on_a_header_sorts_the_documents(qtbot, window: MainWindow) -> None:
    dialog = open_dialog(qtbot, window)
    dialog.tabs.setCurrentWidget(dialog.document_table)
    table = dialog.document_table
    bar = table.horizontalHeader()
    x = bar.sectionViewportPosition(1) + bar.sectionSize(1) // 2  # "Span F1"
    qtbot.mouseClick(bar.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    column = [table.model().index(r, 1).data() for r in range(table.model().rowCount())]
    assert column == sorted(column)
    qtbot.mouseClick(bar.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    column = [table.model().index(r, 1).data() for r in range(table.model().rowCount())]
    assert column == sorted(column, reverse=True)
