"""The document list's table view, set up for a lazy model of many rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from labeler.ui.documents.document_list_model import DocumentListModel


def document_table(model: DocumentListModel, parent: QWidget) -> QTableView:
    """The document list's table: one row chosen at a time, sorted by a header click."""
    view = QTableView(parent)
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
    header.setResizeContentsPrecision(0)  # size columns from the rows on screen only
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in (1, 2, 3, 4):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return view
