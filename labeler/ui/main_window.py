"""MainWindow: the projects, their documents, and the open document's text."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolBar,
    QWidget,
)

from labeler.services.importing import ImportReport
from labeler.services.workspace import Services
from labeler.ui.document_list_model import DocumentListModel
from labeler.ui.export_dialog import ExportDialog
from labeler.ui.import_dialog import ImportDialog, dropped_paths

EMPTY_HINT = (
    "No documents in this project yet.\n\n"
    "Drop article files or folders here, or choose File → Import… (Ctrl+I).\n\n"
    "From the command line:\n"
    '    labeler import FOLDER_OR_FILES --project "{project}"'
)


class MainWindow(QMainWindow):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle("labeler")
        self.resize(1200, 780)

        self.project_box = QComboBox(self)
        self.project_box.setMinimumContentsLength(24)
        toolbar = QToolBar("Project", self)
        toolbar.setObjectName("project_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(" Project: ", self))
        toolbar.addWidget(self.project_box)
        self.addToolBar(toolbar)

        self.documents = DocumentListModel(services.documents, self)
        self.document_view = QTableView(self)
        self.document_view.setModel(self.documents)
        self.document_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.document_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.document_view.verticalHeader().hide()
        self.document_view.verticalHeader().setDefaultSectionSize(24)
        header = self.document_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.text_view = QPlainTextEdit(self)
        self.text_view.setReadOnly(True)
        font = QFont(self.text_view.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.15)
        self.text_view.setFont(font)
        self.text_view.document().setDocumentMargin(16)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.document_view)
        splitter.addWidget(self.text_view)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([460, 740])
        self.setCentralWidget(splitter)
        self.statusBar().showMessage(services.database)

        self._build_menu()
        self.setAcceptDrops(True)
        self.project_box.currentTextChanged.connect(self.open_project)
        self.document_view.selectionModel().selectionChanged.connect(self._on_selection)
        self.reload_projects()

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self.import_action = QAction("&Import…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(lambda: self.show_import())
        self.export_action = QAction("&Export…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.show_export)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(self.import_action)
        menu.addAction(self.export_action)
        menu.addSeparator()
        menu.addAction(quit_action)

    def current_project(self) -> str | None:
        return self.project_box.currentText() or None

    def show_import(self, paths: Iterable[Path] = ()) -> ImportDialog | None:
        """Opens the import dialog for the current project, with these files chosen."""
        project = self.current_project()
        if project is None:
            self.statusBar().showMessage("Create a project first: labeler project create NAME")
            return None
        dialog = ImportDialog(self._services, project, paths, self)
        dialog.imported.connect(self._after_import)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_export(self) -> ExportDialog | None:
        project = self.current_project()
        if project is None:
            return None
        dialog = ExportDialog(self._services, self._services.projects.get(project), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _after_import(self, report: ImportReport) -> None:
        self.documents.refresh()
        project = self.current_project() or ""
        self.text_view.setPlaceholderText(
            EMPTY_HINT.format(project=project) if self.documents.rowCount() == 0 else ""
        )
        self.statusBar().showMessage(report.headline(project))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event) and self.current_project() is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event)
        event.acceptProposedAction()
        self.show_import(paths)

    def reload_projects(self) -> None:
        names = [p.name for p in self._services.projects.list()]
        self.project_box.blockSignals(True)
        self.project_box.clear()
        self.project_box.addItems(names)
        self.project_box.blockSignals(False)
        if names:
            self.open_project(names[0])
        else:
            self.text_view.setPlaceholderText(
                "No projects yet.\n\nCreate one from the command line:\n"
                "    labeler project create NAME"
            )

    def open_project(self, name: str) -> None:
        if not name:
            return
        project = self._services.projects.get(name)
        self.documents.set_project(project)
        self.text_view.clear()
        count = self.documents.rowCount()
        self.text_view.setPlaceholderText(EMPTY_HINT.format(project=name) if count == 0 else "")
        self.statusBar().showMessage(f"{count} documents · {self._services.database}")
        if count:
            self.document_view.selectRow(0)

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        doc_id = self.documents.data(indexes[0], DocumentListModel.DocumentIdRole)
        if doc_id is not None:
            self.open_document(doc_id)

    def open_document(self, document_id: int) -> None:
        document = self._services.documents.get(document_id)
        self.text_view.setPlainText(document.text)
        self.setWindowTitle(f"{document.title or 'untitled'} — labeler")
