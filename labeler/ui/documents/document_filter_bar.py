"""DocumentFilterBar: the text and status filters above the document list."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from labeler.domain.annotation import Status
from labeler.domain.document import DocumentQuery

DEBOUNCE_MS = 250  # typing pauses this long before the list filters

STATUS_CHOICES: tuple[tuple[str, Status | None], ...] = (
    ("All statuses", None),
    *((status.word.capitalize(), status) for status in Status),
)


class DocumentFilterBar(QWidget):
    """A filter text (title or text, applied once typing pauses) and a status to show.

    `changed` fires when either filter changes; `query(base)` applies them to a query.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text_edit = QLineEdit(self)
        self.text_edit.setObjectName("document_filter_text")
        self.text_edit.setPlaceholderText("Filter by title or text")
        self.text_edit.setClearButtonEnabled(True)
        self.status_box = QComboBox(self)
        self.status_box.setObjectName("document_filter_status")
        for label, status in STATUS_CHOICES:
            self.status_box.addItem(label, status)

        # Shown when the annotator has documents assigned in the project (see show_assignment).
        self.assigned_box = QCheckBox("Mine", self)
        self.assigned_box.setObjectName("document_filter_assigned")
        self.assigned_box.setToolTip("Only the documents assigned to you, in their order")
        self.assigned_box.hide()
        # Active learning: the annotator's remaining documents, least confident model first.
        self.confidence_box = QCheckBox("Least sure first", self)
        self.confidence_box.setObjectName("document_filter_confidence")
        self.confidence_box.setToolTip(
            "Your remaining documents in the order of the project's model's confidence, "
            "least confident first: they teach the model most"
        )
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("assignment_progress")
        self.progress_label.hide()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._fire_text)
        self._applied_text = ""

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.status_box)
        layout.addWidget(self.assigned_box)
        layout.addWidget(self.confidence_box)
        layout.addWidget(self.progress_label)

        self.text_edit.textChanged.connect(self._on_text)
        self.text_edit.returnPressed.connect(self._apply_text_now)
        self.status_box.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.assigned_box.toggled.connect(lambda _on: self.changed.emit())

    def text(self) -> str:
        return self.text_edit.text().strip()

    def status(self) -> Status | None:
        return STATUS_CHOICES[max(self.status_box.currentIndex(), 0)][1]

    def query(self, base: DocumentQuery) -> DocumentQuery:
        """`base` (its order and annotator) with this bar's text, status and assignment
        filters."""
        assigned = not self.assigned_box.isHidden() and self.assigned_box.isChecked()
        return replace(base, text=self.text(), status=self.status(), assigned=assigned)

    def show_assignment(self, has_assigned: bool, progress: str = "") -> None:
        """Offers the "Mine" filter, on, where the annotator has documents assigned (without
        firing `changed`), with their progress ("12 / 340 done")."""
        if has_assigned and self.assigned_box.isHidden():
            with QSignalBlocker(self.assigned_box):
                self.assigned_box.setChecked(True)
        self.assigned_box.setHidden(not has_assigned)
        self.progress_label.setText(progress)
        self.progress_label.setHidden(not has_assigned)

    def set_query(self, query: DocumentQuery) -> None:
        """Shows a query's filters without firing `changed`."""
        statuses = [status for _label, status in STATUS_CHOICES]
        with QSignalBlocker(self.text_edit), QSignalBlocker(self.status_box):
            self.text_edit.setText(query.text)
            self.status_box.setCurrentIndex(statuses.index(query.status))
        self._debounce.stop()
        self._applied_text = self.text()

    def _on_text(self, _text: str) -> None:
        if self.text() == self._applied_text:
            self._debounce.stop()  # back to what is shown (or only spaces added): nothing to do
            return
        self._debounce.start()  # restarted by every keystroke

    def _apply_text_now(self) -> None:
        if self._debounce.isActive():
            self._debounce.stop()
            self._fire_text()

    def _fire_text(self) -> None:
        self._applied_text = self.text()
        self.changed.emit()
