"""The dialogs the window opens: import, export, new project, schema, who said what,
agreement and the annotator's name; and what the window does once they are through."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from labeler.domain.errors import LabelerError
from labeler.domain.limits import check_annotator
from labeler.domain.project import Project
from labeler.services.importing import ImportReport
from labeler.services.workspace import Services
from labeler.ui.dialogs.export_dialog import ExportDialog
from labeler.ui.dialogs.import_dialog import ImportDialog
from labeler.ui.dialogs.new_project_dialog import NewProjectDialog
from labeler.ui.quality.quality_dialog import QualityDialog
from labeler.ui.schema.schema_dialog import SchemaDialog
from labeler.ui.who_said_what.who_said_what_dialog import WhoSaidWhatDialog

if TYPE_CHECKING:
    from labeler.ui.main_window import MainWindow

EMPTY_HINT = (
    "No documents in this project yet.\n\n"
    "Drop article files or folders here, or choose File → Import… (Ctrl+I).\n\n"
    "From the command line:\n"
    '    labeler import FOLDER_OR_FILES --project "{project}"'
)


class WindowDialogs:
    """Opens a MainWindow's dialogs (its show_… methods) and follows what they do."""

    def __init__(self, window: MainWindow, services: Services) -> None:
        self._window = window
        self._services = services

    def ask_annotator(self) -> None:
        """Asks for the annotator's name; later edits are stored under the new name."""
        window = self._window
        name, ok = QInputDialog.getText(
            window,
            "Annotator",
            "Your name, stored with every annotation you make:",
            text=window.annotator,
        )
        if not ok or not name.strip():
            return
        try:
            window.workspace.set_annotator(check_annotator(name))
        except LabelerError as error:
            window.status.message(f"Not changed: {error}")

    def show_import(self, paths: Iterable[Path] = ()) -> ImportDialog | None:
        """Opens the import dialog for the current project, with these files chosen."""
        window = self._window
        project = window.current_project()
        if project is None:
            window.statusBar().showMessage("Create a project first: labeler project create NAME")
            return None
        dialog = ImportDialog(self._services, project, paths, window)
        dialog.imported.connect(self._after_import)
        dialog.schema_changed.connect(window.after_schema_change)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_export(self) -> ExportDialog | None:
        project = self._window.current_project()
        if project is None:
            return None
        dialog = ExportDialog(self._services, self._services.projects.get(project), self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _after_import(self, report: ImportReport) -> None:
        window = self._window
        window.documents.refresh()
        project = window.current_project() or ""
        window.text_view.setPlaceholderText(
            EMPTY_HINT.format(project=project) if window.documents.rowCount() == 0 else ""
        )
        window.statusBar().showMessage(report.headline(project))
        if window.workspace.document_id is None and window.documents.rowCount():
            window.document_view.selectRow(0)

    def show_new_project(self) -> NewProjectDialog:
        """Asks for a new project's name and schema; the window opens it once made."""
        window = self._window
        dialog = NewProjectDialog(self._services.projects, window.schema_choosers, window)
        dialog.created.connect(self._after_new_project)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _after_new_project(self, project: Project) -> None:
        window = self._window
        window.reload_projects()
        window.workspace.set_project(project)
        window.status.message(f"Project {project.name} made: import articles with Ctrl+I")

    def show_schema_editor(self) -> SchemaDialog | None:
        """Opens the current project's schema to edit; the window follows once it is applied."""
        window = self._window
        name = window.current_project()
        if name is None:
            return None
        project = self._services.projects.get(name)
        dialog = SchemaDialog(self._services.schemas, project, window.schema_choosers, window)
        dialog.applied.connect(window.after_schema_change)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_who_said_what(self) -> WhoSaidWhatDialog | None:
        """Opens who said what in every document of the current project."""
        window = self._window
        project = window.workspace.project
        if project is None:
            return None
        dialog = WhoSaidWhatDialog(
            self._services.who_said_what, project, window.workspace.annotator, parent=window
        )
        dialog.panel.place_chosen.connect(window.open_at)
        window.workspace.project_changed.connect(dialog.close)  # its rows are of this project
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the window opens the places double-clicked in it
        return dialog

    def show_quality(self) -> QualityDialog | None:
        """Opens agreement between the annotators of the current project."""
        window = self._window
        project = window.workspace.project
        if project is None:
            return None
        dialog = QualityDialog(
            self._services.agreement, project, parent=window, suggestions=self._services.suggestions
        )
        dialog.document_chosen.connect(window.curate_document)
        window.workspace.project_changed.connect(dialog.close)  # its figures are of this project
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the window opens the documents double-clicked in it
        return dialog
