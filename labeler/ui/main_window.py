"""MainWindow: the project switcher, document list, editor, panels, menus and status bar.

What the window works on (project, document, annotator) is its `WindowWorkspace`: the window
and its parts set it there and follow its signals, rather than reading a combo box back.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QSettings,
    QSignalBlocker,
    Qt,
)
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QToolBar,
    QWidget,
)

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.domain.schema import LabelSchema
from labeler.services.schema_editing import AppliedSchema
from labeler.services.wording import plural
from labeler.services.workspace import Services
from labeler.ui import window_docks
from labeler.ui.curation.curation_controller import CurationController
from labeler.ui.dialogs.export_dialog import ExportDialog
from labeler.ui.dialogs.import_dialog import ImportDialog, dropped_paths
from labeler.ui.dialogs.new_project_dialog import NewProjectDialog
from labeler.ui.dialogs.progress_dialog import ProgressDialog
from labeler.ui.document_navigation import DocumentNavigation
from labeler.ui.documents.document_list_model import DocumentListModel
from labeler.ui.editor.document_editor import DocumentEditor
from labeler.ui.editor.help_overlay import HelpOverlay
from labeler.ui.editor.suggestion_controller import SuggestionController
from labeler.ui.quality.quality_dialog import QualityDialog
from labeler.ui.schema.schema_choosers import SchemaChoosers
from labeler.ui.schema.schema_dialog import SchemaDialog
from labeler.ui.who_said_what.who_said_what_dialog import WhoSaidWhatDialog
from labeler.ui.window_actions import WindowActions
from labeler.ui.window_dialogs import EMPTY_HINT, WindowDialogs
from labeler.ui.window_status import WindowStatus
from labeler.ui.window_team import WindowTeam
from labeler.ui.window_training import WindowTraining
from labeler.ui.window_workspace import WindowWorkspace


def default_annotator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


class MainWindow(QMainWindow):
    def __init__(
        self,
        services: Services,
        annotator: str | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._settings = settings if settings is not None else QSettings()
        login = services.team.identity()
        # A team account annotates under its login name only: the window is never told another.
        self._login = login.name if login.is_account else None
        self.workspace = WindowWorkspace(
            self._login or annotator or str(self._settings.value("annotator", default_annotator())),
            self,
        )
        self.schema_choosers: SchemaChoosers | None = None  # how the schema dialog asks (tests)
        self.setWindowTitle("labeler")
        self.resize(1400, 860)

        self.project_box = QComboBox(self)
        self.project_box.setObjectName("project_box")
        self.project_box.setMinimumContentsLength(24)
        toolbar = QToolBar("Project", self)
        toolbar.setObjectName("project_toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(" Project: ", self))
        toolbar.addWidget(self.project_box)
        self.addToolBar(toolbar)

        self.editor = DocumentEditor(LabelSchema("none", ()), self)
        self.text_view = self.editor.view
        self.suggestions = SuggestionController(self.editor, services.suggestions, self)
        self.curation = CurationController(self.editor, services.curation, self)
        self.setCentralWidget(self.editor)
        window_docks.build_docks(self, services)

        self.status = WindowStatus(self, self.workspace, self.documents)
        self.saved_label = self.status.saved_label
        self.position_label = self.status.position_label
        self.annotator_label = self.status.annotator_label
        self.dialogs = WindowDialogs(self, services)
        self.navigation = DocumentNavigation(self)
        self.training = WindowTraining(self, services)

        self.help_overlay = HelpOverlay(self)
        self.actions = WindowActions(self)
        self.actions.fit_account(login.may_lead, self._login is not None)
        self.guidelines.set_editable(login.may_lead)  # whoever may change the schema
        self.team = WindowTeam(self, services)
        self.live = self.team.live
        self.help_overlay.set_sections(self.actions.sections(self.editor.label_actions()))
        window_docks.size_docks(self)
        self.setAcceptDrops(True)
        self._connect()
        window_docks.restore_layout(self, self._settings)
        self.reload_projects()

    # -- building
    def _connect(self) -> None:
        self.project_box.currentTextChanged.connect(self.open_project)
        self.workspace.project_changed.connect(self._follow_project)
        self.workspace.document_changed.connect(self._follow_document)
        self.workspace.annotator_changed.connect(self._follow_annotator)
        self.document_view.selectionModel().selectionChanged.connect(self._on_selection)
        self.filter_bar.changed.connect(self._apply_filter)
        self.documents.modelReset.connect(self.status.show_position)
        self.documents.layoutChanged.connect(self.status.show_position)
        self.editor.message.connect(self.status.message)
        self.guidelines.message.connect(self.status.message)
        self.suggestions.message.connect(self.status.message)
        self.curation.message.connect(self.status.message)
        self.who_said_what.place_chosen.connect(self.open_at)
        self.workspace.project_changed.connect(self.search_panel.set_project)
        self.search_panel.place_chosen.connect(self.open_text_at)
        self.search_panel.label_all_requested.connect(self.label_places)
        self.editor.saved.connect(self.status.show_saved)

    # -- settings
    def save_layout(self) -> None:
        window_docks.save_layout(self, self._settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.store_time()  # the active time on the open document
        self.save_layout()
        # A closed window asks the database nothing more: no feed, no pending re-reads.
        self.team.stop()
        self.navigation.stop()
        self.training.stop()
        super().closeEvent(event)

    # -- the annotator
    @property
    def annotator(self) -> str:
        """Who annotates: the workspace's annotator (setting it switches to their sets)."""
        return self.workspace.annotator

    @annotator.setter
    def annotator(self, name: str) -> None:
        self.workspace.set_annotator(name)

    def ask_annotator(self) -> None:
        if self._login is not None:
            self.status.message(f"On this team database you annotate as {self._login}, your login")
            return
        self.dialogs.ask_annotator()

    def _follow_annotator(self, name: str) -> None:
        """Another annotator: their statuses in the list, their set of the open document."""
        self._settings.setValue("annotator", name)
        self.status.show_annotator()
        if self.workspace.project is not None:
            self.fit_assignment(self.workspace.project)
        self.status.message(f"Now annotating as {name}")
        if self.workspace.document_id is not None:
            self.open_document(self.workspace.document_id)

    # -- import and export
    def current_project(self) -> str | None:
        return self.workspace.project_name

    def show_import(self, paths: Iterable[Path] = ()) -> ImportDialog | None:
        return self.dialogs.show_import(paths)

    def show_export(self) -> ExportDialog | None:
        return self.dialogs.show_export()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event) and self.current_project() is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event)
        event.acceptProposedAction()
        self.show_import(paths)

    # -- projects and documents
    def reload_projects(self) -> None:
        """Lists the projects again; opens the one open before, else the one open last time."""
        names = [p.name for p in self._services.projects.list()]
        self.project_box.blockSignals(True)
        self.project_box.clear()
        self.project_box.addItems(names)
        self.project_box.blockSignals(False)
        current = self.workspace.project_name
        last = current if current is not None else self._settings.value("last_project")
        if names:
            self.open_project(last if last in names else names[0])
        else:
            self.text_view.setPlaceholderText(
                "No projects yet.\n\nProject → New project… makes one, or the command line:\n"
                "    labeler project create NAME"
            )

    def open_project(self, name: str) -> None:
        """Makes the project of this name the workspace's (the project box and list follow)."""
        if name:
            self.workspace.set_project(self._services.projects.get(name))

    def refresh_projects(self) -> None:
        """Adds to the project box the projects made meanwhile (by the command line, or by
        someone else on a shared database), keeping the open one; on F5 and on focus."""
        names = [p.name for p in self._services.projects.list()]
        shown = [self.project_box.itemText(i) for i in range(self.project_box.count())]
        if names == shown:
            return
        if self.workspace.project_name in names:
            with QSignalBlocker(self.project_box):
                self.project_box.clear()
                self.project_box.addItems(names)
                self.project_box.setCurrentText(self.workspace.project_name or "")
        else:  # the open project is gone, or there was none
            self.workspace.set_project(None)
            self.reload_projects()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Not once closed: the platform may say "active" late, after the database closed.
        active = self.isVisible() and self.isActiveWindow()
        if event.type() == QEvent.Type.ActivationChange and active:
            self.refresh_projects()

    def _follow_project(self, project: Project | None) -> None:
        """Another project: its schema, its documents (the list follows the workspace itself),
        back at the one it was left at."""
        if project is not None and project.schema != self.editor.schema:
            self._use_schema(project)
        self.suggestions.set_project(project)
        self.editor.close_document()  # who said what follows the editor's model
        self.guidelines.show_project(project)
        if project is None:
            self.setWindowTitle("labeler")
            return
        self.fit_assignment(project)
        name = project.name
        self.setWindowTitle(f"{name} — labeler")  # the first document's title follows
        self._settings.setValue("last_project", name)
        if self.project_box.currentText() != name:
            with QSignalBlocker(self.project_box):
                self.project_box.setCurrentText(name)
        count = self.documents.rowCount()
        self.text_view.setPlaceholderText(EMPTY_HINT.format(project=name) if count == 0 else "")
        self.statusBar().showMessage(
            f"{plural(count, 'document')} · {self._services.database}", 5000
        )
        if count:
            # Back where this project was left, else at the top.
            last = self._settings.value(f"last_document/{name}")
            row = self.documents.row_of(int(last)) if str(last or "").isdigit() else None  # type: ignore[arg-type]
            self.document_view.selectRow(row or 0)
        self.status.show_position()

    def _use_schema(self, project: Project) -> None:
        """The editor, label palette and F1 help take the project's schema."""
        self.editor.set_schema(project.schema)
        self.labels_dock.setWidget(self.editor.palette_widget)
        self.help_overlay.set_sections(self.actions.sections(self.editor.label_actions()))

    def show_new_project(self) -> NewProjectDialog:
        return self.dialogs.show_new_project()

    def show_schema_editor(self) -> SchemaDialog | None:
        return self.dialogs.show_schema_editor()

    def after_schema_change(self, done: AppliedSchema) -> None:
        """Takes the new schema; undo histories of the old one go, the document reopens."""
        project = self._services.projects.get(done.project.name)
        reopen = self.workspace.document_id
        self.editor.close_document()
        self.editor.forget_all()
        self.workspace.set_project(project)  # the same project read again: held, not announced
        self._use_schema(project)
        self.documents.set_project(project)
        self.workspace.set_document(None)
        row = self.documents.row_of(reopen) if reopen is not None else None
        if row is not None:
            self.document_view.selectRow(row)
        if reopen is not None and self.workspace.document_id is None:
            self.open_document(reopen)
        self.status.show_position()
        self.status.message(f"Schema of {project.name} changed: {done.impact.summary()}")

    @property
    def progress_dialog(self) -> ProgressDialog | None:
        return self.team.progress_dialog

    def show_progress(self) -> None:
        self.team.show_progress()

    def fit_assignment(self, project: Project) -> None:
        self.team.fit_assignment(project)

    def _apply_filter(self) -> None:
        self.documents.set_query(self.filter_bar.query(self.documents.query))
        current = self.workspace.document_id
        row = self.documents.row_of(current) if current is not None else None
        if row is not None:
            self.document_view.selectRow(row)
        self.status.show_position()

    def _on_selection(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        doc_id = self.documents.data(indexes[0], DocumentListModel.DocumentIdRole)
        if doc_id is not None and doc_id != self.workspace.document_id:
            self.open_document(doc_id)

    def open_document(self, document_id: int) -> None:
        """Opens the workspace annotator's set of a document of the workspace's project."""
        project, annotator = self.workspace.project, self.workspace.annotator
        if project is None:
            return
        try:
            session = self._services.annotations.open(project, document_id, annotator, lazy=True)
        except LabelerError as error:
            self.status.message(f"Cannot open the document: {error}")
            return
        self.curation.leave()  # the lanes' room goes before the text is laid out

        def others() -> list[AnnotationSet]:  # asked for only while this set has no spans
            sets = self._services.documents.annotation_sets(project, document_id)
            return [s for s in sets if s.annotator != annotator]

        self.editor.open(session, others)
        self.workspace.set_document(document_id)
        title = session.document.title or "untitled"
        self.setWindowTitle(f"{title} — labeler")
        self.saved_label.setText("✓ Saved")
        self.text_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _follow_document(self, document_id: int | None) -> None:
        """The list shows the open document (when listed) and where it is; the project
        remembers it for the next run."""
        project = self.workspace.project
        if document_id is None:
            self.setWindowTitle(f"{project.name} — labeler" if project is not None else "labeler")
        if document_id is not None and project is not None:
            self._settings.setValue(f"last_document/{project.name}", document_id)
            row = self.documents.row_of(document_id)
            if row is not None and self.document_view.currentIndex().row() != row:
                self.document_view.selectRow(row)
        self.status.show_position()

    def open_text_at(self, document_id: int, start: int, end: int) -> None:
        self.navigation.open_text_at(document_id, start, end)

    def label_places(self, document_id: int, places: list[tuple[int, int]], label: str) -> None:
        self.navigation.label_places(document_id, places, label)

    def show_search(self) -> None:
        """Brings the search box forward, its words selected for typing over."""
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_panel.box.selectAll()

    def open_at(self, document_id: int, span_id: int) -> None:
        self.navigation.open_at(document_id, span_id)

    def show_who_said_what(self) -> WhoSaidWhatDialog | None:
        return self.dialogs.show_who_said_what()

    def show_quality(self) -> QualityDialog | None:
        return self.dialogs.show_quality()

    def curate_document(self, document_id: int | None = None) -> bool:
        """Opens a document (None: the open one) in curation mode; on the open one in curation
        mode already, goes back to the annotator's own set."""
        project, here = self.workspace.project, self.workspace.document_id
        if project is None:
            return False
        if document_id is None and self.curation.active and here is not None:
            self.curation.leave()
            self.open_document(here)
            self.status.message("Left curation mode")
            return False
        document_id = here if document_id is None else document_id
        if document_id is None:
            return False
        self.navigation.show_document(document_id)
        try:
            curation = self._services.curation.open(
                project, document_id, self.annotator, later=True
            )
        except LabelerError as error:
            self.status.message(f"Cannot curate this document: {error}")
            return False
        self.curation.begin(curation)
        self.workspace.set_document(document_id)
        self.setWindowTitle(f"Curating: {curation.session.document.title or 'untitled'} — labeler")
        self.text_view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def reload_document(self) -> None:
        """Reopens the document from the database, dropping its undo history; takes the
        project's schema first if it was changed elsewhere (with all undo histories). The
        projects made meanwhile join the project box."""
        self.refresh_projects()
        document_id, name = self.workspace.document_id, self.workspace.project_name
        if document_id is not None and name is not None:
            project = self._services.projects.get(name)
            # The text too: a first edit is checked against it (comments included).
            self.workspace.set_project(project)  # the same project read again: not announced
            if project.schema != self.editor.schema:
                self.editor.close_document()  # its spans may have labels the new one lacks
                self._use_schema(project)
                self.editor.forget_all()
            self.editor.forget(document_id)
            self.open_document(document_id)
            self.status.message("Reloaded from the database")

    def go_to(self, step: int) -> bool:
        """Opens the document `step` rows away in the list; False at either end."""
        return self.navigation.go_to(step)

    def finish(self, status: Status) -> None:
        """Marks the open document done or skipped, then opens the next one."""
        self.navigation.finish(status)
