"""AssignDialog: the lead hands out a project's documents (what `labeler assign` does), with the
counts each annotator would get shown before anything changes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.services.assigning import AssignmentReport, AssignmentService


class AssignDialog(QDialog):
    """Annotators (checked), documents per annotator, overlap and seed; the preview follows
    every change, and Assign applies it."""

    assigned = Signal(object)  # the AssignmentReport

    def __init__(
        self, assignments: AssignmentService, project: Project, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Assign the documents of {project.name}")
        self._assignments = assignments
        self._project = project
        self.annotators = QListWidget(self)
        self.annotators.setObjectName("assign_annotators")
        chosen = set(assignments.assigned_annotators(project))
        for name in assignments.candidates(project):
            item = QListWidgetItem(name, self.annotators)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
        self.per_document = QSpinBox(self)
        self.per_document.setObjectName("assign_per_document")
        self.per_document.setRange(1, max(1, self.annotators.count()))
        self.overlap = QDoubleSpinBox(self)
        self.overlap.setObjectName("assign_overlap")
        self.overlap.setRange(0, 100)
        self.overlap.setDecimals(0)
        self.overlap.setSuffix(" %")
        self.seed = QSpinBox(self)
        self.seed.setObjectName("assign_seed")
        self.seed.setRange(0, 2_000_000_000)
        self.preview_label = QLabel(self)
        self.preview_label.setObjectName("assign_preview")
        self.preview_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.assign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.assign_button.setText("Assign")
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Annotators:", self.annotators)
        form.addRow("Annotators per document:", self.per_document)
        form.addRow("Documents for everyone:", self.overlap)
        form.addRow("Seed:", self.seed)
        form.addRow("Preview:", self.preview_label)
        form.addRow(self.buttons)
        self.annotators.itemChanged.connect(lambda _item: self.preview())
        for box in (self.per_document, self.seed):
            box.valueChanged.connect(lambda _value: self.preview())
        self.overlap.valueChanged.connect(lambda _value: self.preview())
        self.resize(440, 420)
        self.preview()

    def chosen(self) -> list[str]:
        """The annotators checked, in the list's order."""
        items = (self.annotators.item(i) for i in range(self.annotators.count()))
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def _deal(self, apply: bool) -> AssignmentReport | None:
        names = self.chosen()
        self.per_document.setMaximum(max(1, len(names)))
        if not names:
            self.preview_label.setText("Check the annotators to give documents to.")
            self.assign_button.setEnabled(False)
            return None
        deal = self._assignments.assign if apply else self._assignments.preview
        try:
            report = deal(
                self._project,
                names,
                self.per_document.value(),
                self.overlap.value() / 100,
                self.seed.value(),
            )
        except LabelerError as error:
            self.preview_label.setText(f"Not possible: {error}")
            self.assign_button.setEnabled(False)
            return None
        self.assign_button.setEnabled(True)
        self.preview_label.setText("\n".join(report.lines()))
        return report

    def preview(self) -> AssignmentReport | None:
        """What Assign would give each annotator; nothing is changed."""
        return self._deal(apply=False)

    def apply(self) -> AssignmentReport | None:
        """Assigns as previewed and closes; a refusal is said here and the dialog stays."""
        report = self._deal(apply=True)
        if report is not None:
            self.assigned.emit(report)
            self.accept()
        return report
