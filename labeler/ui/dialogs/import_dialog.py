"""ImportDialog: choose files and how to read them; import off the GUI thread, with cancel."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.errors import LabelerError
from labeler.domain.offsets import CODE_POINTS, OFFSETS_OPTION, UNIT_NAMES, UTF16
from labeler.services import formats
from labeler.services.formats import ReadOptions
from labeler.services.importing import DEFAULT_ANNOTATOR, ImportProgress, ImportReport
from labeler.services.label_additions import label_additions
from labeler.services.workspace import Services
from labeler.ui.dialogs.task_dialog import TaskDialog
from labeler.ui.dialogs.task_runner import Progress

AUTO = "Recognise by file name"


def _ask_to_add(parent: QWidget, additions: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Add to the schema",
        f"The files use what the schema lacks. Add it, then import?\n\n{additions}",
    )
    return answer == QMessageBox.StandardButton.Yes


def dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The local files and folders a drag carries."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class ImportDialog(TaskDialog):
    """Imports files into one project; `imported` carries the ImportReport when it is done."""

    imported = Signal(object)
    schema_changed = Signal(object)  # the AppliedSchema, when labels the files use were added

    def __init__(
        self,
        services: Services,
        project: str,
        paths: Iterable[Path] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Import", parent)
        self._services = services
        self._project = project
        self.failure_prefix = "Nothing was imported"
        self.setWindowTitle(f"Import into {project}")
        self.setAcceptDrops(True)
        self.resize(640, 520)

        self.file_list = QListWidget(self)
        add_files = QPushButton("Add files…", self)
        add_folder = QPushButton("Add folder…", self)
        remove = QPushButton("Remove", self)
        file_buttons = QHBoxLayout()
        for button in (add_files, add_folder, remove):
            file_buttons.addWidget(button)
        file_buttons.addStretch(1)

        self.format_box = QComboBox(self)
        self.format_box.addItem(AUTO, None)
        for fmt in formats.readers():
            self.format_box.addItem(f"{fmt.name} — {fmt.description}", fmt.name)
        self.text_column = QLineEdit("text", self)
        self.annotator = QLineEdit(DEFAULT_ANNOTATOR, self)
        self.offsets = QComboBox(self)
        self.offsets.addItem("as the tool counts (Label Studio: code points; doccano: UTF-16)")
        self.offsets.addItem(UNIT_NAMES[CODE_POINTS], CODE_POINTS)
        self.offsets.addItem(UNIT_NAMES[UTF16], UTF16)
        self.skip_bad = QCheckBox("Skip bad records and report them (else nothing is stored)", self)
        self.add_labels = QCheckBox(
            "Add the labels the files use that the schema lacks (shown first)", self
        )
        # Asks whether to add what it lists; tests give their own.
        self.confirm_additions: Callable[[QWidget, str], bool] = _ask_to_add
        form = QFormLayout()
        form.addRow("Format:", self.format_box)
        form.addRow("Text column (CSV, JSONL):", self.text_column)
        form.addRow("Annotator of imported spans:", self.annotator)
        form.addRow("Span offsets count (Label Studio, doccano):", self.offsets)
        form.addRow("", self.skip_bad)
        form.addRow("", self.add_labels)

        self.status.setText("Drop files or folders here, or add them.")

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Files and folders (folders are read recursively):", self))
        layout.addWidget(self.file_list, 1)
        layout.addLayout(file_buttons)
        layout.addLayout(form)
        self.add_task_widgets(layout)

        add_files.clicked.connect(self._choose_files)
        add_folder.clicked.connect(self._choose_folder)
        remove.clicked.connect(self._remove_selected)
        self.add_paths(paths)

    # -- choosing files
    def paths(self) -> list[Path]:
        return [Path(self.file_list.item(i).text()) for i in range(self.file_list.count())]

    def add_paths(self, paths: Iterable[Path]) -> None:
        known = set(self.paths())
        for path in paths:
            if path not in known:
                self.file_list.addItem(str(path))
                known.add(path)
        self.start_button.setEnabled(self.file_list.count() > 0)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Add files to import")
        self.add_paths(Path(n) for n in names)

    def _choose_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Add a folder to import")
        if name:
            self.add_paths([Path(name)])

    def _remove_selected(self) -> None:
        for item in self.file_list.selectedItems():
            self.file_list.takeItem(self.file_list.row(item))
        self.start_button.setEnabled(self.file_list.count() > 0)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_paths(dropped_paths(event))
        event.acceptProposedAction()

    # -- running
    def start(self) -> None:
        paths = self.paths()
        if not paths or self.runner.is_running():
            return
        format_name = self.format_box.currentData()
        unit = self.offsets.currentData()
        options = ReadOptions(
            text_column=self.text_column.text().strip() or "text",
            extra={OFFSETS_OPTION: unit} if unit else {},
        )
        annotator = self.annotator.text().strip() or DEFAULT_ANNOTATOR
        skip_bad = self.skip_bad.isChecked()
        if self.add_labels.isChecked() and not self._add_labels(paths, format_name, options):
            return
        importer, project = self._services.importer, self._project

        def job(progress: Progress, cancelled: Callable[[], bool]) -> ImportReport:
            def tell(p: ImportProgress) -> None:
                progress(
                    p.files_done, p.files_total, f"Importing: {p.records:,} records · {p.current}"
                )

            return importer.import_paths(
                project,
                paths,
                format_name=format_name,
                options=options,
                skip_bad=skip_bad,
                annotator=annotator,
                progress=tell,
                cancelled=cancelled,
            )

        self.run(job, "Importing…")

    def _add_labels(self, paths: list[Path], format_name: str | None, options: ReadOptions) -> bool:
        """Shows what the files use that the schema lacks and adds it if agreed; False when
        the person declined or it could not be added (then nothing is imported)."""
        try:
            current = self._services.projects.get(self._project)
            additions = label_additions(current.schema, paths, format_name, options)
            if not additions.edits:
                return True
            listed = "\n".join(str(edit) for edit in additions.edits)
            if not self.confirm_additions(self, listed):
                self.status.setText("Nothing was added or imported.")
                return False
            applied = self._services.schemas.apply(current, additions.schema)
        except LabelerError as error:
            self.status.setText(f"Nothing was imported: {error}")
            return False
        self.schema_changed.emit(applied)
        return True

    def set_running(self, running: bool) -> None:
        super().set_running(running)
        for widget in (self.file_list, self.format_box, self.text_column, self.annotator):
            widget.setEnabled(not running)
        self.offsets.setEnabled(not running)
        self.skip_bad.setEnabled(not running)
        self.add_labels.setEnabled(not running)

    def summary(self, result: ImportReport) -> str:
        return "\n".join([result.headline(self._project), *result.problems()])

    def announce(self, result: ImportReport) -> None:
        self.start_button.setEnabled(False)  # imported: a second click would only find duplicates
        self.imported.emit(result)
