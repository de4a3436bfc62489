"""The document list's table view, set up for a lazy model of many rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from labeler.ui.documents.document_list_model import DocumentListModel

FITTED_COLUMNS = (1, 2, 3, 4)  # date, status, spans, time: as wide as what they show


class DocumentTable(QTableView):
    """A table whose short columns fit their contents once it is on screen.

    A hidden table sizes a column to its contents from every row of the model (Qt only
    narrows the measure to the rows on screen while the table is visible), so with
    thousands of documents choosing a row before the window showed read each of them. Until
    the first show the columns keep a width from the font; then they fit what is on screen.
    """

    def showEvent(self, event: QShowEvent) -> None:
        header = self.horizontalHeader()
        if header.sectionResizeMode(FITTED_COLUMNS[0]) != QHeaderView.ResizeMode.ResizeToContents:
            for column in FITTED_COLUMNS:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        super().showEvent(event)


def document_table(model: DocumentListModel, parent: QWidget) -> QTableView:
    """The document list's table: one row chosen at a time, sorted by a header click."""
    view = DocumentTable(parent)
    view.setObjectName("document_view")
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    header = view.horizontalHeader()
    # Import order until a header is clicked (Qt's default indicator would sort by title).
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setResizeContentsPrecision(0)  # size columns from the rows on screen only
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    digit = view.fontMetrics().horizontalAdvance("0")
    for column in FITTED_COLUMNS:  # fitted to the rows on screen from the first show on
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, 11 * digit)
    return view
