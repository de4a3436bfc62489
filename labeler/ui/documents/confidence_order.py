"""ConfidenceOrder: the document list in the model's confidence order (active learning).

Turned on, it asks the training service for the model's confidence on the annotator's remaining
documents on a worker thread (the service caches the scores per model version), then the list
shows them least confident first with their scores; turned off, the list's own order is back.
A new model, another project or another annotator computes the order afresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSignalBlocker, Signal
from PySide6.QtWidgets import QCheckBox, QTableView

from labeler.services.training import TrainingService
from labeler.ui.dialogs.task_runner import Progress, TaskRunner
from labeler.ui.documents.document_list_model import DocumentListModel
from labeler.ui.window_workspace import WindowWorkspace


class ConfidenceOrder(QObject):
    message = Signal(str)
    ordered = Signal()  # the list shows the confidence order (tests wait for it)

    def __init__(
        self,
        service: TrainingService,
        workspace: WindowWorkspace,
        documents: DocumentListModel,
        view: QTableView,
        box: QCheckBox,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._workspace = workspace
        self._documents = documents
        self._view = view
        self.box = box
        self.runner = TaskRunner(self)
        self._asked = 0  # which request the runner answers: later ones win
        self._again = False  # asked again while one ran: computed once that one ends
        view.setColumnHidden(DocumentListModel.CONFIDENCE, True)
        # Shown beside the title, where a narrow list still has it in sight.
        view.horizontalHeader().moveSection(DocumentListModel.CONFIDENCE, 1)
        box.toggled.connect(self._on_toggled)
        documents.confidence_order_changed.connect(self._follow_list)
        self.runner.finished.connect(self._on_scores)
        self.runner.failed.connect(self._on_failed)
        workspace.project_changed.connect(lambda _p: self.refresh())
        workspace.annotator_changed.connect(lambda _a: self.refresh())

    def refresh(self) -> None:
        """Computes the order again if it is on (a new model, project or annotator)."""
        if self.box.isChecked():
            self._compute()

    def _on_toggled(self, on: bool) -> None:
        if on:
            self._compute()
        else:
            self._asked += 1  # a computation still running is not shown
            self._documents.set_confidence_order(None)

    def _compute(self) -> None:
        project, annotator = self._workspace.project, self._workspace.annotator
        if project is None:
            self._uncheck()
            return
        self._asked += 1
        if self.runner.is_running():
            self.runner.cancel()
            self._again = True
            return
        asked, service = self._asked, self._service

        def job(_progress: Progress, cancelled: object) -> tuple[int, dict[int, float]]:
            return asked, service.confidences(project, annotator, cancelled)  # type: ignore[arg-type]

        self.message.emit("Working out the model's confidence on your remaining documents…")
        self.runner.start(job)

    def _on_scores(self, result: tuple[int, dict[int, float]]) -> None:
        asked, scores = result
        if self._again_if_asked() or asked != self._asked or not self.box.isChecked():
            return
        self._documents.set_confidence_order(scores)
        self.message.emit(
            f"{len(scores)} remaining documents, least confident first "
            "(untick “Least sure first” for the list's order)"
        )
        self.ordered.emit()

    def _again_if_asked(self) -> bool:
        again, self._again = self._again, False
        if again and self.box.isChecked():
            self._compute()
        return again

    def _on_failed(self, why: str) -> None:
        if self._again_if_asked():
            return
        self._uncheck()
        self.message.emit(f"No confidence order: {why}")

    def _uncheck(self) -> None:
        with QSignalBlocker(self.box):
            self.box.setChecked(False)
        self._documents.set_confidence_order(None)

    def _follow_list(self, on: bool) -> None:
        """The column shows while the order is on; a header click that ends it unticks."""
        self._view.setColumnHidden(DocumentListModel.CONFIDENCE, not on)
        if not on and self.box.isChecked():
            with QSignalBlocker(self.box):
                self.box.setChecked(False)
