"""WhoSaidWhatDialog: who said what in every document of a project, read off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.project import Project
from labeler.domain.who_said_what import AttributionRow
from labeler.services.who_said_what import WhoSaidWhatService
from labeler.ui.dialogs.task_runner import Progress, TaskRunner
from labeler.ui.who_said_what.who_said_what_panel import ChoosePath, WhoSaidWhatPanel, ask_csv_path


class WhoSaidWhatDialog(QDialog):
    """The project-wide table: one annotator's attributions, or everyone's, with the document.

    `panel.place_chosen(document id, span id)` carries a double-click to the window.
    """

    def __init__(
        self,
        service: WhoSaidWhatService,
        project: Project,
        annotator: str | None = None,
        choose_path: ChoosePath = ask_csv_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._project = project
        self._reload = False  # the annotator changed while reading: read again at the end
        self.setWindowTitle(f"Who said what in {project.name}")
        self.resize(1100, 560)

        self.annotator_box = QComboBox(self)
        self.annotator_box.setObjectName("annotator_box")
        self.annotator_box.addItem("All annotators", None)
        for name in service.annotators(project):
            self.annotator_box.addItem(name, name)
        at = self.annotator_box.findData(annotator) if annotator is not None else -1
        self.annotator_box.setCurrentIndex(max(at, 0))
        self.status = QLabel(self)
        self.status.setObjectName("who_said_what_status")
        self.panel = WhoSaidWhatPanel(with_document=True, choose_path=choose_path, parent=self)
        self.panel.set_schema(project.schema)
        self.panel.export_name = f"{project.name} - who said what.csv"
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel("Annotator:", self))
        top.addWidget(self.annotator_box)
        top.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)

        self.runner = TaskRunner(self)
        self.runner.progressed.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.annotator_box.currentIndexChanged.connect(lambda _i: self.load())
        self.load()

    def annotator(self) -> str | None:
        """The annotator whose rows are shown; None for all."""
        return self.annotator_box.currentData()

    def load(self) -> None:
        """Reads the rows of the chosen annotator off the GUI thread."""
        if self.runner.is_running():
            self._reload = True
            self.runner.cancel()
            return
        self._reload = False
        annotator = self.annotator()
        self.status.setText("Reading the documents…")
        service, project = self._service, self._project

        def job(progress: Progress, cancelled: Callable[[], bool]) -> list[AttributionRow]:
            return service.rows(
                project,
                annotator,
                lambda done, total: progress(done, total, "documents"),
                cancelled,
            )

        self.runner.start(job)

    def _on_progress(self, done: int, total: int, _what: str) -> None:
        self.status.setText(f"Reading the documents… {done:,} of {total:,}")

    def _on_finished(self, rows: list[AttributionRow]) -> None:
        if self._reload:
            self.load()
            return
        self.status.setText("")
        self.panel.set_rows(rows)

    def _on_failed(self, message: str) -> None:
        if self._reload:
            self.load()
            return
        self.status.setText(f"Could not read the rows: {message}")

    def done(self, result: int) -> None:
        self.runner.cancel()
        self.runner.wait(5)
        super().done(result)
