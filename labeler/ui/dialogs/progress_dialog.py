"""ProgressDialog: each annotator's assigned documents of a project, by status, kept current."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from labeler.domain.project import Project
from labeler.services.assigning import AssignmentService

COLUMNS = ("Annotator", "Done", "In progress", "Skipped", "To do", "Assigned")


class ProgressDialog(QDialog):
    """The lead's view of the work: one row per annotator. `changed()` asks for a fresh read,
    at most a few times a second however many changes arrive."""

    def __init__(
        self, assignments: AssignmentService, project: Project, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Progress of {project.name}")
        self._assignments = assignments
        self._project = project
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("progress_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.summary = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(250)
        self._later.timeout.connect(self.refresh)
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._later.stop()  # a closed view reads nothing more
        super().closeEvent(event)

    def changed(self) -> None:
        self._later.start()

    def refresh(self) -> None:
        rows = self._assignments.progress(self._project)
        self.table.setRowCount(len(rows))
        for row, p in enumerate(rows):
            todo = p.assigned - p.done - p.in_progress - p.skipped
            values = (p.annotator, p.done, p.in_progress, p.skipped, todo, p.assigned)
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(str(value)))
        done = sum(p.done for p in rows)
        assigned = sum(p.assigned for p in rows)
        self.summary.setText(
            f"{done} / {assigned} assigned documents done"
            if rows
            else "Nothing is assigned yet: labeler assign --project NAME --annotators A,B"
        )
