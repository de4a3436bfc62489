"""The window on a team database: others' changes followed live, the annotators' progress,
and the documents assigned to the annotator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from labeler.domain.project import Project
from labeler.services.assigning import AssignmentReport
from labeler.services.workspace import Services
from labeler.ui.dialogs.assign_dialog import AssignDialog
from labeler.ui.dialogs.progress_dialog import ProgressDialog
from labeler.ui.live_updates import LiveUpdates

if TYPE_CHECKING:
    from labeler.ui.main_window import MainWindow


class WindowTeam:
    """A MainWindow's team parts (its show_progress, fit_assignment… delegate here)."""

    def __init__(self, window: MainWindow, services: Services) -> None:
        self._window = window
        self._services = services
        self.progress_dialog: ProgressDialog | None = None
        self.assign_dialog: AssignDialog | None = None
        # Others' changes on a team database: list rows and progress follow within a moment;
        # the open document is never reloaded under the annotator's hands.
        self.live = LiveUpdates(services.live, window)
        self.live.changed.connect(self._on_remote_change)
        # Who has which document open, for the lead's progress view (team databases only).
        self._present_in: Project | None = None
        window.workspace.document_changed.connect(self._present)

    def stop(self) -> None:
        """A closed window asks the database nothing more: no feed, no progress dialog."""
        self.live.stop()
        if self.progress_dialog is not None:
            self.progress_dialog.close()
        if self._present_in is not None:
            self._services.team.present(self._present_in, None)
            self._present_in = None

    def _present(self, document_id: int | None) -> None:
        if not self._services.live.available:
            return  # SQLite: one person, nobody to tell
        if document_id is None:
            if self._present_in is not None:
                self._services.team.present(self._present_in, None)
                self._present_in = None
            return
        project = self._window.workspace.project
        if project is not None:
            self._services.team.present(project, document_id)
            self._present_in = project

    def show_progress(self) -> None:
        """The progress of the project's annotators, kept current (View menu)."""
        project = self._window.workspace.project
        if project is None:
            return
        if self.progress_dialog is not None:
            self.progress_dialog.close()
        self.progress_dialog = ProgressDialog(self._services.assignments, project, self._window)
        self.progress_dialog.show()

    def show_assign(self) -> None:
        """The lead's dialog that hands out the project's documents (Project menu)."""
        project = self._window.workspace.project
        if project is None:
            return
        self.assign_dialog = AssignDialog(self._services.assignments, project, self._window)
        self.assign_dialog.assigned.connect(self._on_assigned)
        self.assign_dialog.show()

    def _on_assigned(self, report: AssignmentReport) -> None:
        project = self._window.workspace.project
        if project is not None:
            self.fit_assignment(project)
        if self.progress_dialog is not None and self.progress_dialog.isVisible():
            self.progress_dialog.changed()
        self._window.status.message("Assigned: " + "; ".join(report.lines()))

    def _on_remote_change(self, document_id: int) -> None:
        if not self._window.isVisible():
            return
        self._window.navigation.row_changed(document_id)  # the open document stays as it is
        if self.progress_dialog is not None and self.progress_dialog.isVisible():
            self.progress_dialog.changed()

    def fit_assignment(self, project: Project) -> None:
        """The annotator's assigned documents by default, with their progress, if any."""
        window = self._window
        progress = self._services.assignments.progress(project)
        mine = next((p for p in progress if p.annotator == window.annotator), None)
        window.filter_bar.show_assignment(mine is not None, str(mine) if mine else "")
        query = window.filter_bar.query(window.documents.query)
        if query != window.documents.query:
            window.documents.set_query(query)
