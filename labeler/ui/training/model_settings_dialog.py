"""ModelSettingsDialog: the lead's settings for the project's model (threshold F1, retraining)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from labeler.domain.trained_model import TrainingPolicy


class ModelSettingsDialog(QDialog):
    """Below the threshold F1 the model proposes nothing; after every N newly finished
    documents the window trains it again (0: only when asked)."""

    def __init__(
        self, project_name: str, policy: TrainingPolicy, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Model of {project_name}")
        self.min_f1 = QDoubleSpinBox(self)
        self.min_f1.setObjectName("model_min_f1")
        self.min_f1.setRange(0.0, 1.0)
        self.min_f1.setSingleStep(0.05)
        self.min_f1.setDecimals(2)
        self.min_f1.setValue(policy.min_f1)
        self.every = QSpinBox(self)
        self.every.setObjectName("model_retrain_every")
        self.every.setRange(0, 100_000)
        self.every.setSpecialValueText("only when asked")
        self.every.setSuffix(" documents")
        self.every.setValue(policy.retrain_every)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(
            QLabel("The model is measured on finished documents it was not trained on.", self)
        )
        form.addRow("Propose only when F1 is at least", self.min_f1)
        form.addRow("Train again after every", self.every)
        form.addRow(buttons)

    def policy(self) -> TrainingPolicy:
        return TrainingPolicy(round(self.min_f1.value(), 2), self.every.value())
