"""ProgressDialog: each annotator's assigned documents of a project by status, the documents
done per day, and what each annotator works on now; kept current."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.project import Project
from labeler.services.assigning import AssignmentService
from labeler.ui.dialogs.done_chart import DonePerDayChart

COLUMNS = ("Annotator", "Done", "In progress", "Skipped", "To do", "Assigned")
NOW_COLUMNS = ("Annotator", "Document", "Status", "When")


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
        self.chart = DonePerDayChart(parent=self)
        self.now = QTableWidget(0, len(NOW_COLUMNS), self)
        self.now.setObjectName("progress_now")
        self.now.setHorizontalHeaderLabels(NOW_COLUMNS)
        self.now.verticalHeader().hide()
        self.now.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for table in (self.table, self.now):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("Done per day (last 14 days)", self))
        layout.addWidget(self.chart)
        layout.addWidget(QLabel("Who works on what now", self))
        layout.addWidget(self.now, 1)
        self.resize(560, 520)
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
            else "Nothing is assigned yet: Project → Assign documents…, or labeler assign"
        )
        now = dt.datetime.now(dt.UTC)
        self.chart.set_days(self._assignments.done_per_day(self._project), now.date())
        touched = self._assignments.last_touched(self._project)
        self.now.setRowCount(len(touched))
        for row, t in enumerate(touched):
            title = t.title or f"(untitled {t.document_id})"
            when = f"open since {t.ago(now)}" if t.open_now else f"changed {t.ago(now)}"
            values = (t.annotator, title, t.status.word, when)
            for column, value in enumerate(values):
                self.now.setItem(row, column, QTableWidgetItem(value))
