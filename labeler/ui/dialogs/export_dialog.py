"""ExportDialog: format, filters and split; export off the GUI thread, with a summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.annotation import Status
from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.domain.splits import SplitRatios
from labeler.services import formats
from labeler.services.curation import CURATED
from labeler.services.exporting import ExportOptions, ExportReport, SeveralAnnotators
from labeler.services.workspace import Services
from labeler.ui.dialogs.task_dialog import TaskDialog
from labeler.ui.dialogs.task_runner import Progress

DIALOG_CHOICES = (
    "one annotator's, under Whose sets (or one name typed under Annotators), or all of them "
    "merged into one set per document (spans that overlap another annotator's are left out), "
    "or the curated (gold) sets"
)
_MERGED = object()  # the Whose sets item that ticks Merge
_GOLD = object()  # the Whose sets item that ticks Curated


class ExportDialog(TaskDialog):
    """Exports one project; `exported` carries the ExportReport when it is done."""

    exported = Signal(object)

    def __init__(self, services: Services, project: Project, parent: QWidget | None = None) -> None:
        super().__init__("Export", parent)
        self._services = services
        self._project = project
        self.failure_prefix = "Nothing was written"
        self.setWindowTitle(f"Export {project.name}")
        self.resize(620, 560)

        self.format_box = QComboBox(self)
        for fmt in formats.writers():  # the native, lossless format first
            self.format_box.addItem(f"{fmt.name} — {fmt.description}", fmt.name)
        self.out_path = QLineEdit(self)
        choose = QPushButton("Choose…", self)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_path, 1)
        out_row.addWidget(choose)

        self.status_boxes = {s: QCheckBox(s.word, self) for s in Status}
        status_row = QHBoxLayout()
        for box in self.status_boxes.values():
            status_row.addWidget(box)
        status_row.addStretch(1)
        self.layer_boxes = {
            layer.name: QCheckBox(layer.name, self) for layer in project.schema.layers
        }
        layer_row = QHBoxLayout()
        for box in self.layer_boxes.values():
            box.setChecked(True)
            layer_row.addWidget(box)
        layer_row.addStretch(1)
        self.labels = QLineEdit(self)
        self.labels.setPlaceholderText("all labels (or names, comma-separated)")
        self.annotators = QLineEdit(self)
        self.annotators.setPlaceholderText("all annotators (or names, comma-separated)")
        self.merge = QCheckBox("Merge the annotators' sets into one per document", self)
        self.curated = QCheckBox(
            "Curated (gold) sets: documents without a finished one are left out", self
        )
        self.suggestions = QCheckBox("Suggestions too, apart from the annotations", self)
        self.suggestions.setToolTip(
            "Each document's stored suggestions: Label Studio predictions, or the native "
            "JSONL's suggestions list. Other formats have no place for them."
        )
        # Shown when a one-set format meets documents that several annotators have a set on:
        # the same choice as the command line's --annotator NAME or --merge, in one place.
        self.whose = QComboBox(self)
        self.whose.setToolTip("Whose annotation set goes out for each document")
        self.whose_label = QLabel("Whose sets:", self)
        self._whose_items: list[str | object | None] = []
        self.split = QLineEdit("100", self)
        self.split.setPlaceholderText("80/10/10")
        self.split.setToolTip("Shares of train/dev/test in percent, e.g. 80/10/10; 100: one file")
        self.seed = QSpinBox(self)
        self.seed.setRange(0, 1_000_000)
        split_row = QHBoxLayout()
        split_row.addWidget(self.split)
        split_row.addWidget(QLabel("seed", self))
        split_row.addWidget(self.seed)
        split_row.addStretch(1)

        form = QFormLayout()
        form.addRow("Format:", self.format_box)
        form.addRow("Write to:", out_row)
        form.addRow("Statuses:", status_row)
        form.addRow("Layers:", layer_row)
        form.addRow("Labels:", self.labels)
        form.addRow("Annotators:", self.annotators)
        form.addRow("", self.merge)
        form.addRow("", self.curated)
        form.addRow("", self.suggestions)
        form.addRow(self.whose_label, self.whose)
        self.whose.setVisible(False)
        self.whose_label.setVisible(False)
        form.addRow("Train/dev/test:", split_row)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.add_task_widgets(layout)

        self.format_box.currentIndexChanged.connect(self._format_changed)
        choose.clicked.connect(self._choose_output)
        self.whose.activated.connect(self._whose_chosen)
        self._format_changed()

    def format(self) -> formats.FormatInfo:
        return formats.describe(self.format_box.currentData())

    def _format_changed(self) -> None:
        """Statuses follow the format: every one for the lossless native file, else done."""
        fmt = self.format()
        self.whose.setVisible(False)  # offered again if this format, too, needs the choice
        self.whose_label.setVisible(False)
        for status, box in self.status_boxes.items():
            box.setChecked(fmt.lossless or status is Status.DONE)
        self.suggestions.setEnabled(fmt.suggestions)  # Label Studio and the native JSONL
        if not fmt.suggestions:
            self.suggestions.setChecked(False)
        text = self.out_path.text().strip()
        if text:
            path = Path(text)
            if fmt.writes_folder:
                self.out_path.setText(str(path.with_suffix("")))
            else:
                self.out_path.setText(str(path.with_suffix(fmt.extensions[0])))

    def _choose_output(self) -> None:
        fmt = self.format()
        many = fmt.writes_folder or self._ratios().names() != ["train"]
        if many:
            name = QFileDialog.getExistingDirectory(self, "Export into a folder")
        else:
            name, _ = QFileDialog.getSaveFileName(
                self, "Export to a file", f"{self._project.name}{fmt.extensions[0]}"
            )
        if name:
            self.out_path.setText(name)

    def _ratios(self) -> SplitRatios:
        try:
            return SplitRatios.parse(self.split.text() or "100")
        except LabelerError:
            return SplitRatios()

    def options(self) -> ExportOptions:
        """The chosen filters; LabelerError when a choice is not valid."""
        statuses = frozenset(s for s, box in self.status_boxes.items() if box.isChecked())
        if not statuses:
            raise LabelerError("choose at least one status")
        layers = tuple(name for name, box in self.layer_boxes.items() if box.isChecked())
        if not layers:
            raise LabelerError("choose at least one layer")
        names = tuple(n.strip() for n in self.annotators.text().split(",") if n.strip())
        labels = tuple(n.strip() for n in self.labels.text().split(",") if n.strip())
        for label in labels:
            self._project.schema.label(label)  # a RuleError names an unknown one
        if self.curated.isChecked() and (self.merge.isChecked() or names):
            raise LabelerError("curated sets go out alone: untick Merge and clear Annotators")
        return ExportOptions(
            statuses=statuses,
            annotators=names or None,
            layers=None if len(layers) == len(self.layer_boxes) else layers,
            labels=labels or None,
            merge=self.merge.isChecked(),
            curated=self.curated.isChecked(),
            split=SplitRatios.parse(self.split.text().strip() or "100"),
            seed=self.seed.value(),
            suggestions=self.suggestions.isChecked(),
        )

    def start(self) -> None:
        if self.runner.is_running():
            return
        try:
            options = self.options()
        except LabelerError as exc:
            self.status.setText(str(exc))
            return
        text = self.out_path.text().strip()
        if not text:
            self.status.setText("Choose where to write the export.")
            return
        out, fmt_name = Path(text), self.format().name
        refusal = self._services.exporter.several_annotators(self._project.name, fmt_name, options)
        if refusal is not None:
            self._offer_choice(refusal)
            return
        overwrite = out.is_file()
        if overwrite and not self.confirm_replace(out):
            return
        exporter, project = self._services.exporter, self._project.name

        def job(progress: Progress, cancelled: Callable[[], bool]) -> ExportReport:
            return exporter.export(
                project,
                fmt_name,
                out,
                options,
                progress=lambda done, total: progress(
                    done, total, f"Exporting: {done:,} of {total:,}"
                ),
                cancelled=cancelled,
                overwrite=overwrite,
            )

        self.run(job, "Exporting…")

    def _offer_choice(self, refusal: SeveralAnnotators) -> None:
        """Says why nothing was written, and offers the annotators and a merge to choose from."""
        self.status.setText(refusal.describe(DIALOG_CHOICES))
        people = [n for n in refusal.shared.annotators if n != CURATED]
        self._whose_items = [None, *people, _MERGED, _GOLD]
        self.whose.clear()
        self.whose.addItem("choose…")
        self.whose.addItems([f"{name}'s sets" for name in people])
        self.whose.addItem("all of them, merged")
        self.whose.addItem("the curated (gold) sets")
        self.whose.setVisible(True)
        self.whose_label.setVisible(True)

    def _whose_chosen(self, index: int) -> None:
        choice = self._whose_items[index] if 0 <= index < len(self._whose_items) else None
        if choice is None:
            return
        self.merge.setChecked(choice is _MERGED)
        self.curated.setChecked(choice is _GOLD)
        if isinstance(choice, str):
            self.annotators.setText(choice)
        self.status.setText("Chosen; press Export to write.")

    def confirm_replace(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self,
            "Replace the file?",
            f"{path} exists. Replace it with this export?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def summary(self, result: ExportReport) -> str:
        return "\n".join(result.describe())

    def announce(self, result: ExportReport) -> None:
        self.exported.emit(result)
