"""MainWindow: the project switcher, document list, editor, panels, menus and status bar.

What the window works on (project, document, annotator) is its `WindowWorkspace`: the window
and its parts set it there and follow its signals, rather than reading a combo box back.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QSettings,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QScrollArea,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.domain.schema import LabelSchema
from labeler.services.importing import ImportReport
from labeler.services.schema_editing import AppliedSchema
from labeler.services.wording import plural
from labeler.services.workspace import Services
from labeler.ui.dialogs.export_dialog import ExportDialog
from labeler.ui.dialogs.import_dialog import ImportDialog, dropped_paths
from labeler.ui.dialogs.new_project_dialog import NewProjectDialog
from labeler.ui.dialogs.progress_dialog import ProgressDialog
from labeler.ui.documents.document_filter_bar import DocumentFilterBar
from labeler.ui.documents.document_list_model import DocumentListModel
from labeler.ui.documents.document_table import document_table
from labeler.ui.documents.search_panel import SearchPanel
from labeler.ui.editor.document_editor import DocumentEditor
from labeler.ui.editor.help_overlay import HelpOverlay
from labeler.ui.editor.suggestion_controller import SuggestionController
from labeler.ui.guidelines_panel import GuidelinesPanel
from labeler.ui.live_updates import LiveUpdates
from labeler.ui.quality.quality_dialog import QualityDialog
from labeler.ui.schema.schema_choosers import SchemaChoosers
from labeler.ui.schema.schema_dialog import SchemaDialog
from labeler.ui.who_said_what.who_said_what_dialog import WhoSaidWhatDialog
from labeler.ui.who_said_what.who_said_what_panel import WhoSaidWhatPanel
from labeler.ui.window_actions import WindowActions
from labeler.ui.window_workspace import WindowWorkspace

EMPTY_HINT = (
    "No documents in this project yet.\n\n"
    "Drop article files or folders here, or choose File → Import… (Ctrl+I).\n\n"
    "From the command line:\n"
    '    labeler import FOLDER_OR_FILES --project "{project}"'
)


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

        self.documents = DocumentListModel(services.documents, self)
        self.documents.follow(self.workspace)
        self.filter_bar = DocumentFilterBar(self)
        self.document_view = document_table(self.documents, self)
        document_panel = QWidget(self)
        column = QVBoxLayout(document_panel)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.filter_bar)
        column.addWidget(self.document_view, 1)

        self.editor = DocumentEditor(LabelSchema("none", ()), self)
        self.text_view = self.editor.view
        self.suggestions = SuggestionController(self.editor, services.suggestions, self)
        self.setCentralWidget(self.editor)
        self.document_dock = self._dock("Documents", "documents_dock", document_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.document_dock)
        self.search_panel = SearchPanel(services.search, self)
        self.search_dock = self._dock("Search", "search_dock", self.search_panel)
        self.tabifyDockWidget(self.document_dock, self.search_dock)
        self.document_dock.raise_()
        self.labels_dock = self._dock("Labels", "labels_dock", self.editor.palette_widget)
        self.spans_dock = self._dock("Spans", "spans_dock", self.editor.span_panel)
        # In a scroll area: the attribute form changing size never relays out the whole window.
        attributes = QScrollArea(self)
        attributes.setWidgetResizable(True)
        attributes.setFrameShape(QScrollArea.Shape.NoFrame)
        attributes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        attributes.setWidget(self.editor.attribute_editor)
        self.attributes_dock = self._dock("Attributes", "attributes_dock", attributes)
        for dock in (self.labels_dock, self.spans_dock, self.attributes_dock):
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.who_said_what = WhoSaidWhatPanel(parent=self)
        self.who_said_what.follow(self.editor.model)
        self.who_said_what_dock = self._dock(
            "Who said what", "who_said_what_dock", self.who_said_what
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.who_said_what_dock)
        self.guidelines = GuidelinesPanel(services.projects.set_guidelines, self)
        self.guidelines_dock = self._dock("Guidelines", "guidelines_dock", self.guidelines)
        self.tabifyDockWidget(self.who_said_what_dock, self.guidelines_dock)
        self.who_said_what_dock.raise_()
        # The side columns run the full height; who said what sits under the text only.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("saved_label")
        self.position_label = QLabel(self)
        self.position_label.setObjectName("position_label")
        self.annotator_label = QLabel(self)
        self.annotator_label.setObjectName("annotator_label")
        for label in (self.saved_label, self.position_label, self.annotator_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)
        self._show_annotator()

        self.help_overlay = HelpOverlay(self)
        self.actions = WindowActions(self)
        self.actions.fit_account(login.may_lead, self._login is not None)
        self.progress_dialog: ProgressDialog | None = None
        # Others' changes on a team database: list rows and progress follow within a moment;
        # the open document is never reloaded under the annotator's hands.
        self.live = LiveUpdates(services.live, self)
        self.live.changed.connect(self._on_remote_change)
        self.help_overlay.set_sections(self.actions.sections(self.editor.label_actions()))
        self.resizeDocks([self.document_dock], [340], Qt.Orientation.Horizontal)
        # Wide enough for the news schema's labels in two columns, so all of them show.
        self.resizeDocks([self.labels_dock], [310], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [self.labels_dock, self.spans_dock, self.attributes_dock],
            [420, 160, 280],
            Qt.Orientation.Vertical,
        )
        self.resizeDocks([self.who_said_what_dock], [200], Qt.Orientation.Vertical)
        self.setAcceptDrops(True)
        self._connect()
        self._restore_layout()
        self.reload_projects()

    # -- building
    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        return dock

    def _connect(self) -> None:
        self.project_box.currentTextChanged.connect(self.open_project)
        self.workspace.project_changed.connect(self._follow_project)
        self.workspace.document_changed.connect(self._follow_document)
        self.workspace.annotator_changed.connect(self._follow_annotator)
        self.document_view.selectionModel().selectionChanged.connect(self._on_selection)
        self.filter_bar.changed.connect(self._apply_filter)
        self.documents.modelReset.connect(self._show_position)
        self.documents.layoutChanged.connect(self._show_position)
        self.editor.message.connect(self._show_message)
        self.guidelines.message.connect(self._show_message)
        self.suggestions.message.connect(self._show_message)
        self.who_said_what.place_chosen.connect(self.open_at)
        self.workspace.project_changed.connect(self.search_panel.set_project)
        self.search_panel.place_chosen.connect(self.open_text_at)
        self.search_panel.label_all_requested.connect(self.label_places)
        self.editor.saved.connect(self._show_saved)
        # The list's status and span count follow edits a moment later, not on every key.
        self._list_refresh = QTimer(self)
        self._list_refresh.setSingleShot(True)
        self._list_refresh.setInterval(400)
        self._list_refresh.timeout.connect(self._refresh_list_rows)
        self._stale_rows: set[int] = set()
        self.editor.model.changed.connect(self._on_annotations_changed)

    # -- settings
    def _restore_layout(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self._settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        points = self._settings.value("editor/point_size")
        if points is not None:
            self.text_view.set_point_size(float(points))  # type: ignore[arg-type]

    def save_layout(self) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.setValue("editor/point_size", self.text_view.point_size)
        self._settings.setValue("annotator", self.annotator)
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.store_time()  # the active time on the open document
        self.save_layout()
        # A closed window asks the database nothing more: no feed, no pending re-reads.
        self.live.stop()
        self._list_refresh.stop()
        if self.progress_dialog is not None:
            self.progress_dialog.close()
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
        """Asks for the annotator's name; later edits are stored under the new name."""
        if self._login is not None:
            self._show_message(f"On this team database you annotate as {self._login}, your login")
            return
        name, ok = QInputDialog.getText(
            self,
            "Annotator",
            "Your name, stored with every annotation you make:",
            text=self.annotator,
        )
        if ok and name.strip():
            self.workspace.set_annotator(name.strip())

    def _follow_annotator(self, name: str) -> None:
        """Another annotator: their statuses in the list, their set of the open document."""
        self._settings.setValue("annotator", name)
        self._show_annotator()
        if self.workspace.project is not None:
            self._fit_assignment(self.workspace.project)
        self._show_message(f"Now annotating as {name}")
        if self.workspace.document_id is not None:
            self.open_document(self.workspace.document_id)

    # -- import and export
    def current_project(self) -> str | None:
        return self.workspace.project_name

    def show_import(self, paths: Iterable[Path] = ()) -> ImportDialog | None:
        """Opens the import dialog for the current project, with these files chosen."""
        project = self.current_project()
        if project is None:
            self.statusBar().showMessage("Create a project first: labeler project create NAME")
            return None
        dialog = ImportDialog(self._services, project, paths, self)
        dialog.imported.connect(self._after_import)
        dialog.schema_changed.connect(self._after_schema_change)
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
        if self.workspace.document_id is None and self.documents.rowCount():
            self.document_view.selectRow(0)

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
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
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
        self._fit_assignment(project)
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
        self._show_position()

    def _use_schema(self, project: Project) -> None:
        """The editor, label palette and F1 help take the project's schema."""
        self.editor.set_schema(project.schema)
        self.labels_dock.setWidget(self.editor.palette_widget)
        self.help_overlay.set_sections(self.actions.sections(self.editor.label_actions()))

    def show_new_project(self) -> NewProjectDialog:
        """Asks for a new project's name and schema; the window opens it once made."""
        dialog = NewProjectDialog(self._services.projects, self.schema_choosers, self)
        dialog.created.connect(self._after_new_project)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _after_new_project(self, project: Project) -> None:
        self.reload_projects()
        self.workspace.set_project(project)
        self._show_message(f"Project {project.name} made: import articles with Ctrl+I")

    def show_schema_editor(self) -> SchemaDialog | None:
        """Opens the current project's schema to edit; the window follows once it is applied."""
        name = self.current_project()
        if name is None:
            return None
        project = self._services.projects.get(name)
        dialog = SchemaDialog(self._services.schemas, project, self.schema_choosers, self)
        dialog.applied.connect(self._after_schema_change)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _after_schema_change(self, done: AppliedSchema) -> None:
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
        self._show_position()
        self._show_message(f"Schema of {project.name} changed: {done.impact.summary()}")

    def show_progress(self) -> None:
        """The progress of the project's annotators, kept current (View menu)."""
        project = self.workspace.project
        if project is None:
            return
        if self.progress_dialog is not None:
            self.progress_dialog.close()
        self.progress_dialog = ProgressDialog(self._services.assignments, project, self)
        self.progress_dialog.show()

    def _on_remote_change(self, document_id: int) -> None:
        if not self.isVisible():
            return
        self._stale_rows.add(document_id)  # its row re-reads; the open document stays as it is
        self._list_refresh.start()
        if self.progress_dialog is not None and self.progress_dialog.isVisible():
            self.progress_dialog.changed()

    def _fit_assignment(self, project: Project) -> None:
        """The annotator's assigned documents by default, with their progress, if any."""
        mine = next(
            (
                p
                for p in self._services.assignments.progress(project)
                if p.annotator == self.annotator
            ),
            None,
        )
        self.filter_bar.show_assignment(mine is not None, str(mine) if mine else "")
        query = self.filter_bar.query(self.documents.query)
        if query != self.documents.query:
            self.documents.set_query(query)

    def _apply_filter(self) -> None:
        self.documents.set_query(self.filter_bar.query(self.documents.query))
        current = self.workspace.document_id
        row = self.documents.row_of(current) if current is not None else None
        if row is not None:
            self.document_view.selectRow(row)
        self._show_position()

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
            self._show_message(f"Cannot open the document: {error}")
            return

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
        self._show_position()

    def _go_to(self, document_id: int) -> None:
        """Opens a document, by its row in the list when it is listed."""
        if document_id != self.workspace.document_id:
            row = self.documents.row_of(document_id)
            if row is not None:
                self.document_view.selectRow(row)
                self.document_view.scrollTo(self.documents.index(row, 0))
            if document_id != self.workspace.document_id:  # not in the filtered list
                self.open_document(document_id)

    def open_text_at(self, document_id: int, start: int, end: int) -> None:
        """Opens a document and selects [start, end) of its text, in code points (a search hit)."""
        self._go_to(document_id)
        if self.workspace.document_id != document_id:
            return
        self.text_view.select_range(start, end)
        self.text_view.ensureCursorVisible()
        self.activateWindow()
        self.text_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def label_places(self, document_id: int, places: list[tuple[int, int]], label: str) -> None:
        """Opens a document and labels each of the places (a search's) as one undo step."""
        self._go_to(document_id)
        if self.workspace.document_id != document_id:
            return
        done = self.editor.label_ranges(places, label)
        self._show_message(f"Labelled {plural(done, 'place')} {label} (one undo step)")

    def show_search(self) -> None:
        """Brings the search box forward, its words selected for typing over."""
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_panel.box.selectAll()

    def open_at(self, document_id: int, span_id: int) -> None:
        """Opens a document (by its row in the list when it is listed) and selects a span."""
        self._go_to(document_id)
        session = self.editor.session
        if session is None or span_id not in session.annotations.spans:
            self._show_message("That span is not in your annotations of this document")
            return
        self.editor.view.select_span(span_id)
        self.activateWindow()
        self.text_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_who_said_what(self) -> WhoSaidWhatDialog | None:
        """Opens who said what in every document of the current project."""
        project = self.workspace.project
        if project is None:
            return None
        dialog = WhoSaidWhatDialog(
            self._services.who_said_what, project, self.workspace.annotator, parent=self
        )
        dialog.panel.place_chosen.connect(self.open_at)
        self.workspace.project_changed.connect(dialog.close)  # its rows are of this project
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the window opens the places double-clicked in it
        return dialog

    def show_quality(self) -> QualityDialog | None:
        """Opens agreement between the annotators of the current project."""
        project = self.workspace.project
        if project is None:
            return None
        dialog = QualityDialog(self._services.agreement, project, parent=self)
        dialog.document_chosen.connect(self.open_document)
        self.workspace.project_changed.connect(dialog.close)  # its figures are of this project
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: the window opens the documents double-clicked in it
        return dialog

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
            self._show_message("Reloaded from the database")

    def go_to(self, step: int) -> bool:
        """Opens the document `step` rows away in the list; False at either end."""
        document_id = self.workspace.document_id
        current = self.documents.row_of(document_id) if document_id else None
        row = (current if current is not None else -1) + step
        if not 0 <= row < self.documents.rowCount():
            self._show_message("No more documents in this list")
            return False
        self.statusBar().clearMessage()
        self.document_view.selectRow(row)
        self.document_view.scrollTo(self.documents.index(row, 0))
        return True

    def finish(self, status: Status) -> None:
        """Marks the open document done or skipped, then opens the next one."""
        # The row to go on from is taken first: a status filter may drop this document.
        document_id = self.workspace.document_id
        current = self.documents.row_of(document_id) if document_id else None
        title = self.windowTitle().removesuffix(" — labeler")
        if not self.editor.set_status(status):
            return
        self._refresh_list_rows()  # the finished document's row shows its status at once
        if self.workspace.project is not None:
            self._fit_assignment(self.workspace.project)
        next_row = current if current is not None else 0
        if self.documents.row_of(self.workspace.document_id or -1) is not None:
            next_row += 1
        word = status.word
        if next_row < self.documents.rowCount():
            self.document_view.selectRow(next_row)
            self._show_message(f"Marked {word} and saved: {title}")
        else:
            self._show_message(f"Marked {word} and saved: {title}. That was the last document.")
        self._show_position()

    def _on_annotations_changed(self, _change: object) -> None:
        session = self.editor.session
        if session is not None and session.document.id is not None:
            self._stale_rows.add(session.document.id)
            self._list_refresh.start()

    def _refresh_list_rows(self) -> None:
        stale, self._stale_rows = self._stale_rows, set()
        for document_id in stale:
            self.documents.refresh_document(document_id)

    # -- status bar
    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _show_saved(self, ok: bool, text: str) -> None:
        self.saved_label.setText("✓ Saved" if ok else "⚠ Not saved")
        self.saved_label.setToolTip(text)
        if not ok:
            self._show_message(text)

    def _show_position(self) -> None:
        total = self.documents.rowCount()
        document_id = self.workspace.document_id
        row = self.documents.row_of(document_id) if document_id else None
        where = f"{row + 1} / {total}" if row is not None else f"- / {total}"
        self.position_label.setText(where)

    def _show_annotator(self) -> None:
        self.annotator_label.setText(f"Annotator: {self.annotator}")
        self.annotator_label.setToolTip("Annotator: File → Change annotator name…")
