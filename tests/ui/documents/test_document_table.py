"""The document list's table: a row chosen before the window shows reads no rows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QHeaderView, QWidget

from labeler.domain.document import Document
from labeler.services.documents import DocumentService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database
from labeler.ui.documents.document_list_model import DocumentListModel
from labeler.ui.documents.document_table import FITTED_COLUMNS, document_table
from tests.ui.documents.test_document_list import CountingService

ROWS = 1_000  # five pages of 200


def test_choosing_a_row_while_hidden_reads_one_page_and_columns_fit_once_shown(
    qtbot, tmp_path: Path
) -> None:
    db = Database(str(tmp_path / "table.db"))
    db.open()
    project = ProjectService(db).create("News", "news")
    with db.transaction() as store:
        ids = store.documents.add_many(
            project.id,  # type: ignore[arg-type]
            [Document(f"Article {n}.", f"Title {n:04d}") for n in range(ROWS)],
        )
    service = CountingService(DocumentService(db))
    model = DocumentListModel(service)  # type: ignore[arg-type]
    window = QWidget()
    qtbot.addWidget(window)
    view = document_table(model, window)
    model.set_project(project)

    view.selectRow(0)  # as the window does for the last project, before it is shown
    assert service.pages == []  # no row measured for the columns' widths
    header = view.horizontalHeader()
    assert all(
        header.sectionResizeMode(c) == QHeaderView.ResizeMode.Interactive for c in FITTED_COLUMNS
    )

    view.resize(600, 300)
    window.show()
    qtbot.waitExposed(window)
    view.viewport().repaint()
    assert all(
        header.sectionResizeMode(c) == QHeaderView.ResizeMode.ResizeToContents
        for c in FITTED_COLUMNS
    )
    assert view.indexAt(QPoint(5, 5)).data() == "Title 0000"
    assert service.pages == [ids[:200]]  # the rows on screen only
    assert header.sectionSize(1) < 11 * view.fontMetrics().horizontalAdvance("0")  # no dates
    assert view.selectionModel().selectedRows()[0].row() == 0
    db.close()
