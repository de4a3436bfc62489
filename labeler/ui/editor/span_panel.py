"""SpanPanel: the open document's spans, a count per layer, and a click to go to one."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.annotation import AnnotationSet
from labeler.domain.schema import LabelSchema
from labeler.ui.editor.span_list_model import SpanListModel
from labeler.ui.row_table import row_table


class SpanPanel(QWidget):
    """A table of spans (label, text), grouped by layer; a click or Enter chooses one."""

    span_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("span_panel")
        self.model = SpanListModel(self)
        self.counts = _CountsLabel(self._counts_text, self)
        self.counts.setObjectName("span_counts")
        self.table = row_table(self.model, "span_list", self)
        self.table.setShowGrid(False)
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        columns.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        columns.setHighlightSections(False)
        self.model.counts_changed.connect(self.counts.set_due)
        self.table.clicked.connect(self._on_chosen)
        self.table.activated.connect(self._on_chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        self._schema: LabelSchema | None = None

    def show_set(self, schema: LabelSchema, annotations: AnnotationSet | None) -> None:
        """Lists a set's spans (None: none) and follows its changes."""
        if schema is not self._schema:
            self._schema = schema
            metrics = self.fontMetrics()
            names = [label.name for label in schema.labels()] or ["Label"]
            width = max(metrics.horizontalAdvance(name) for name in names) + 32  # and a swatch
            self.table.setColumnWidth(0, width)
        self.model.set_annotations(schema, annotations)

    def set_layers(self, layers: Sequence[str] | None) -> None:
        self.model.set_layers(layers)

    def select(self, span_id: int | None) -> None:
        """Highlights a span's row and scrolls to it; None clears the highlight."""
        selection = self.table.selectionModel()
        index = self.model.index_of(span_id) if span_id is not None else QModelIndex()
        if not index.isValid():
            selection.clearSelection()
            return
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def _on_chosen(self, index: QModelIndex) -> None:
        span_id = self.model.span_id(index)
        if span_id is not None:
            self.span_chosen.emit(span_id)

    def _counts_text(self) -> str:
        if self._schema is None:
            return ""
        parts = [
            f"{layer.name} {self.model.layer_count(layer.name)}" for layer in self._schema.layers
        ]
        return " · ".join(parts)


class _CountsLabel(QLabel):
    """The spans per layer, counted when the label is next painted: a document just opened
    shows its text first, and edits repaint this line, not the table beside it."""

    def __init__(self, count: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = count
        self._due = False

    def set_due(self) -> None:
        self._due = True
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._due:
            self._due = False
            self.setText(self._count())
        super().paintEvent(event)
