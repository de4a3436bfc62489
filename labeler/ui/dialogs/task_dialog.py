"""TaskDialog: the part the import and export dialogs share: run, progress, cancel, summary."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from labeler.ui.dialogs.task_runner import Job, TaskRunner


class TaskDialog(QDialog):
    """A dialog that runs one job off the GUI thread; subclasses build the form and the job."""

    def __init__(self, start_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.report_view = QPlainTextEdit(self)
        self.report_view.setReadOnly(True)
        self.report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report_view.setVisible(False)
        self.buttons = QDialogButtonBox(self)
        self.start_button = self.buttons.addButton(
            start_label, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)

        self.runner = TaskRunner(self)
        self.runner.progressed.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel_or_close)

    def add_task_widgets(self, layout: QVBoxLayout) -> None:
        """Puts the progress bar, the status line, the summary and the buttons under the form."""
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.report_view, 1)
        layout.addWidget(self.buttons)

    # -- for subclasses
    def start(self) -> None:
        raise NotImplementedError

    def summary(self, result: Any) -> str:
        """The text shown when the job has ended well."""
        raise NotImplementedError

    def announce(self, result: Any) -> None:
        """Tells the rest of the window that the job ended well."""

    failure_prefix = "Nothing was done"

    def run(self, job: Job, what: str) -> None:
        self.set_running(True)
        self.status.setText(what)
        self.runner.start(job)

    def set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)  # busy until the first report
        self.start_button.setEnabled(not running)

    # -- the runner's signals
    def _on_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if what:
            self.status.setText(what)

    def _on_finished(self, result: Any) -> None:
        self.set_running(False)
        self.status.setText("Done.")
        self.report_view.setPlainText(self.summary(result))
        self.report_view.setVisible(True)
        self.cancel_button.setText("Close")
        self.announce(result)

    def _on_failed(self, message: str) -> None:
        self.set_running(False)
        self.status.setText(f"{self.failure_prefix}: {message}")

    def _cancel_or_close(self) -> None:
        if self.runner.is_running():
            self.status.setText("Cancelling…")
            self.runner.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        if self.runner.is_running():  # Escape or the close button while working: cancel first
            self.runner.cancel()
            return
        super().reject()
