"""ModelPanel: the project's model in the status bar (version, P/R/F1), training and cancel.

`WindowModel` ties it to the window: the lead trains from the Project menu or the panel's
button, or the window trains by itself after every N newly finished documents (the project's
setting); a new version is taken at once by the editor's recommenders and the active-learning
order (`model_changed`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.domain.trained_model import TrainedModel, TrainingPolicy
from labeler.services.training import TrainingService
from labeler.ui.training.model_training import ModelTraining


def describe(model: TrainedModel | None, policy: TrainingPolicy) -> tuple[str, str]:
    """The panel's text and tooltip for a project's latest model."""
    if model is None:
        return "No model", "No trained model yet: Project → Train model"
    silent = model.f1 < policy.min_f1
    text = f"Model {model.figures()}" + (" (silent)" if silent else "")
    lines = [
        f"Model version {model.version}, trained {model.created:%Y-%m-%d %H:%M}",
        f"on {model.documents} finished documents, measured on {model.held_out} held out",
        "",
        "label: precision / recall / F1 (spans)",
        *(
            f"{label}: {s.precision:.2f} / {s.recall:.2f} / {s.f1:.2f} ({s.support})"
            for label, s in model.per_label.items()
        ),
        "",
        f"Threshold F1 {policy.min_f1:.2f}: "
        + ("below it, the model proposes nothing" if silent else "it proposes spans"),
    ]
    if policy.retrain_every:
        lines.append(f"Trained again after every {policy.retrain_every} newly finished documents")
    return text, "\n".join(lines)


class ModelPanel(QWidget):
    """The model's label, a progress bar and a cancel button while it trains, and a button
    that trains it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("No model", self)
        self.label.setObjectName("model_label")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("model_progress")
        self.progress.setMaximumWidth(120)
        self.progress.setFormat("training %v/%m")
        self.cancel_button = QToolButton(self)
        self.cancel_button.setObjectName("model_cancel")
        self.cancel_button.setText("Cancel")
        self.train_button = QToolButton(self)
        self.train_button.setObjectName("model_train")
        self.train_button.setText("Train")
        self.train_button.setToolTip("Train the project's model on its finished documents")
        self.may_train = True  # a lead's: an annotator's account sees the model, not the button
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        for widget in (self.label, self.progress, self.cancel_button, self.train_button):
            layout.addWidget(widget)
        self.show_training(False)

    def show_training(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.train_button.setVisible(not running and self.may_train)
        if running:
            self.progress.setRange(0, 0)  # busy until the first iteration is reported

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)


class WindowModel(QObject):
    """The window's part that trains the project's model and shows it."""

    model_changed = Signal()  # a new version was kept
    message = Signal(str)

    def __init__(
        self, service: TrainingService, panel: ModelPanel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self.panel = panel
        self.training = ModelTraining(service, self)
        self._project: Project | None = None
        self.training.progressed.connect(panel.show_progress)
        self.training.finished.connect(self._on_finished)
        panel.cancel_button.clicked.connect(self.training.cancel)
        panel.train_button.clicked.connect(self.train)

    def set_project(self, project: Project | None) -> None:
        self._project = project
        self.show_model()

    def show_model(self) -> None:
        project = self._project
        self.panel.setVisible(project is not None)
        if project is None:
            return
        try:
            text, tip = describe(self._service.latest(project), self._service.policy(project))
        except LabelerError as error:
            text, tip = "No model", str(error)
        self.panel.label.setText(text)
        self.panel.label.setToolTip(tip)

    def train(self) -> bool:
        """Starts training the open project's model (one training at a time)."""
        project = self._project
        if project is None:
            return False
        if self.training.is_running():
            self.message.emit("A model is training already: wait for it or cancel it")
            return False
        self.training.start(project)
        self.panel.show_training(True)
        self.message.emit(f"Training {project.name}'s model in the background…")
        return True

    def after_finished_document(self) -> bool:
        """Trains if the lead asked for it after every N newly finished documents and N
        have been finished since the latest version; True if it started."""
        project = self._project
        if project is None or self.training.is_running():
            return False
        try:
            due = self._service.due(project)
        except LabelerError:
            return False
        return due and self.train()

    def _on_finished(self, kept: bool, line: str) -> None:
        self.panel.show_training(False)
        self.message.emit(line)
        self.show_model()
        if kept:
            self.model_changed.emit()

    def close(self) -> None:
        """Stops a training that runs (the window closes)."""
        if self.training.is_running():
            self.training.cancel()
            self.training.wait()
