"""The window's status bar: messages, whether the open document is saved, where it is in the
list, and who annotates."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from labeler.ui.documents.document_list_model import DocumentListModel
from labeler.ui.window_workspace import WindowWorkspace


class WindowStatus:
    """The status bar's labels and messages of a MainWindow."""

    def __init__(
        self, window: QMainWindow, workspace: WindowWorkspace, documents: DocumentListModel
    ) -> None:
        self._window = window
        self._workspace = workspace
        self._documents = documents
        self.saved_label = QLabel(window)
        self.saved_label.setObjectName("saved_label")
        self.position_label = QLabel(window)
        self.position_label.setObjectName("position_label")
        self.annotator_label = QLabel(window)
        self.annotator_label.setObjectName("annotator_label")
        for label in (self.saved_label, self.position_label, self.annotator_label):
            label.setContentsMargins(8, 0, 8, 0)
            window.statusBar().addPermanentWidget(label)
        self.show_annotator()

    def message(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 8000)

    def show_saved(self, ok: bool, text: str) -> None:
        self.saved_label.setText("✓ Saved" if ok else "⚠ Not saved")
        self.saved_label.setToolTip(text)
        if not ok:
            self.message(text)

    def show_position(self) -> None:
        document_id = self._workspace.document_id
        row = self._documents.row_of(document_id) if document_id else None
        total = f"{self._documents.rowCount()}{'+' if self._documents.canFetchMore() else ''}"
        where = f"{row + 1} / {total}" if row is not None else f"- / {total}"
        self.position_label.setText(where)

    def show_annotator(self) -> None:
        self.annotator_label.setText(f"Annotator: {self._workspace.annotator}")
        self.annotator_label.setToolTip("Annotator: File → Change annotator name…")
