"""ImportDialog: choose files and how to read them; import off the GUI thread, with cancel."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from labeler.formats import registry
from labeler.formats.records import ReadOptions
from labeler.services.importing import DEFAULT_ANNOTATOR, ImportProgress, ImportReport
from labeler.services.workspace import Services
from labeler.ui.task_runner import Progress, TaskRunner

AUTO = "Recognise by file name"


def dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The local files and folders a drag carries."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class ImportDialog(QDialog):
    """Imports files into one project; `imported` carries the ImportReport when it is done."""

    imported = Signal(object)

    def __init__(
        self,
        services: Services,
        project: str,
        paths: Iterable[Path] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._project = project
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
        for fmt in registry.all_formats():
            if fmt.read is not None:
                self.format_box.addItem(f"{fmt.name} — {fmt.description}", fmt.name)
        self.text_column = QLineEdit("text", self)
        self.annotator = QLineEdit(DEFAULT_ANNOTATOR, self)
        self.skip_bad = QCheckBox("Skip bad records and report them (else nothing is stored)", self)
        form = QFormLayout()
        form.addRow("Format:", self.format_box)
        form.addRow("Text column (CSV, JSONL):", self.text_column)
        form.addRow("Annotator of imported spans:", self.annotator)
        form.addRow("", self.skip_bad)

        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.status = QLabel("Drop files or folders here, or add them.", self)
        self.status.setWordWrap(True)
        self.report_view = QPlainTextEdit(self)
        self.report_view.setReadOnly(True)
        self.report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report_view.setVisible(False)

        self.buttons = QDialogButtonBox(self)
        self.start_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Files and folders (folders are read recursively):", self))
        layout.addWidget(self.file_list, 1)
        layout.addLayout(file_buttons)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.report_view, 1)
        layout.addWidget(self.buttons)

        self.runner = TaskRunner(self)
        self.runner.progressed.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        add_files.clicked.connect(self._choose_files)
        add_folder.clicked.connect(self._choose_folder)
        remove.clicked.connect(self._remove_selected)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel_or_close)
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
        options = ReadOptions(text_column=self.text_column.text().strip() or "text")
        annotator = self.annotator.text().strip() or DEFAULT_ANNOTATOR
        skip_bad = self.skip_bad.isChecked()
        importer, project = self._services.importer, self._project

        def job(progress: Progress, cancelled: Callable[[], bool]) -> ImportReport:
            def tell(p: ImportProgress) -> None:
                progress(p.files_done, p.files_total, f"{p.records:,} records · {p.current}")

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

        self._set_running(True)
        self.status.setText("Importing…")
        self.runner.start(job)

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)  # busy until the first report
        self.start_button.setEnabled(not running)
        for widget in (self.file_list, self.format_box, self.text_column, self.annotator):
            widget.setEnabled(not running)
        self.skip_bad.setEnabled(not running)

    def _on_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"Importing: {what}")

    def _on_finished(self, report: ImportReport) -> None:
        self._set_running(False)
        self.start_button.setEnabled(False)
        self.status.setText("Done.")
        self.report_view.setPlainText(
            "\n".join([report.headline(self._project), *report.problems()])
        )
        self.report_view.setVisible(True)
        self.cancel_button.setText("Close")
        self.imported.emit(report)

    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self.status.setText(f"Nothing was imported: {message}")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _cancel_or_close(self) -> None:
        if self.runner.is_running():
            self.status.setText("Cancelling…")
            self.runner.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        if self.runner.is_running():  # Escape or the window's close button while importing
            self.runner.cancel()
            return
        super().reject()
