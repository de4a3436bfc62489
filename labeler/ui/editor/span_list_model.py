"""SpanListModel: the open set's spans as a flat table, grouped by layer in reading order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.annotation_events import (
    Change,
    SetReloaded,
    SpanAdded,
    SpanChanged,
    SpanRemoved,
)
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import shorten
from labeler.ui.colors import label_color

_Index = QModelIndex | QPersistentModelIndex
_TEXT_LIMIT = 80
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_ROOT = QModelIndex()


class SpanListModel(QAbstractTableModel):
    """Rows are the spans of the layers shown, a layer after another in schema order.

    An adapter, not a copy: a row is found in the annotation set's own index of spans by
    layer and reading order, and the set's change events become row insertions, removals and
    moves (told before the set changes, finished after). A flat table rather than a tree: a
    view asks only for the rows on screen, so opening a document with 20,000 spans costs
    nothing here until the list is painted (the row count of all layers is the set's size).
    """

    COLUMNS = ("Label", "Text")
    SpanIdRole = Qt.ItemDataRole.UserRole + 1
    counts_changed = Signal()  # how many spans each layer has may have changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._layers: list[str] = []
        self._shown: list[str] | None = None  # None: every layer, until told otherwise
        self._set: AnnotationSet | None = None
        self._colors: dict[str, QColor] = {}
        self._finish: Callable[[], None] | None = None  # ends the row change begun before

    # -- content
    def set_annotations(self, schema: LabelSchema, annotations: AnnotationSet | None) -> None:
        """Lists this set's spans (None: none) and follows its changes."""
        self.beginResetModel()
        if self._set is not None:
            self._set.events.unsubscribe(self._before)
            self._set.events.unsubscribe(self._after)
        self._layers = [layer.name for layer in schema.layers]
        if self._shown is not None and set(self._shown) - set(self._layers):
            self._shown = None
        self._colors = {label.name: label_color(label) for label in schema.labels()}
        self._set = annotations
        if annotations is not None:
            annotations.events.subscribe(self._before, before=True)
            annotations.events.subscribe(self._after)
        self._finish = None
        self.endResetModel()
        self.counts_changed.emit()

    def set_layers(self, layers: Sequence[str] | None) -> None:
        """Shows only these layers' spans (in schema order); None: every layer."""
        shown = None if layers is None else [name for name in self._layers if name in layers]
        if shown == self._layers:
            shown = None
        if shown != self._shown:
            self.beginResetModel()
            self._shown = shown
            self.endResetModel()

    # -- the set's changes
    def _before(self, change: Change) -> None:
        match change:
            case SpanAdded(span):
                row = self._row_for(span)
                if row is not None:
                    self.beginInsertRows(_ROOT, row, row)
                    self._finish = self.endInsertRows
            case SpanRemoved(span):
                row = self._row_for(span)
                if row is not None:
                    self.beginRemoveRows(_ROOT, row, row)
                    self._finish = self.endRemoveRows
            case SpanChanged(old, new):
                self._before_change(old, new)
            case SetReloaded():
                self.beginResetModel()
                self._finish = self.endResetModel

    def _before_change(self, old: Span, new: Span) -> None:
        source = self._row_for(old)
        if old.layer == new.layer and (old.start, old.end) == (new.start, new.end):
            if source is not None:
                self._finish = lambda: self._cells_changed(source)
            return
        # Where the new place is, counted in rows as they are now (the old one still there).
        target = self._row_for(new)
        if source is None and target is None:
            return
        if source is None:
            assert target is not None
            self.beginInsertRows(_ROOT, target, target)
            self._finish = self.endInsertRows
        elif target is None:
            self.beginRemoveRows(_ROOT, source, source)
            self._finish = self.endRemoveRows
        elif target in (source, source + 1):  # the row stays where it is
            self._finish = lambda: self._cells_changed(source)
        else:
            self.beginMoveRows(_ROOT, source, source, _ROOT, target)
            self._finish = self.endMoveRows

    def _after(self, change: Change) -> None:
        finish, self._finish = self._finish, None
        if finish is not None:
            finish()
        if isinstance(change, (SpanAdded, SpanRemoved, SpanChanged, SetReloaded)):
            self.counts_changed.emit()

    def _cells_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    # -- look-ups
    def _shown_layers(self) -> list[str]:
        return self._layers if self._shown is None else self._shown

    def _row_for(self, span: Span) -> int | None:
        """The row where `span` is, or would go, among the rows as they are; None if its
        layer is hidden."""
        if self._set is None or span.id is None or span.layer not in self._shown_layers():
            return None
        index = self._set.index
        offset = 0
        for name in self._shown_layers():
            if name == span.layer:
                return offset + index.position(span.id, span)
            offset += index.count(name)
        return None

    def _at(self, row: int) -> Span | None:
        if self._set is None or row < 0:
            return None
        index = self._set.index
        for name in self._shown_layers():
            keys = index.keys(name)
            if row < len(keys):
                return self._set.spans[keys[row][2]]
            row -= len(keys)
        return None

    def row_of(self, span_id: int) -> int | None:
        span = self._set.spans.get(span_id) if self._set is not None else None
        return None if span is None else self._row_for(span)

    def index_of(self, span_id: int) -> QModelIndex:
        row = self.row_of(span_id)
        return QModelIndex() if row is None else self.index(row, 0)

    def span_id(self, index: _Index) -> int | None:
        span = self._at(index.row()) if index.isValid() else None
        return None if span is None else span.id

    def span_by_id(self, span_id: int) -> Span | None:
        return None if self._set is None else self._set.spans.get(span_id)

    def layer_count(self, layer: str) -> int:
        return 0 if self._set is None else self._set.index.count(layer)

    # -- Qt model interface
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._set is None:
            return 0
        if self._shown is None:  # every layer: no need of the index (not built on open)
            return len(self._set.spans)
        index = self._set.index
        return sum(index.count(name) for name in self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        span = self._at(index.row())
        if span is None:
            return None
        column = index.column()
        if role == self.SpanIdRole:
            return span.id
        if role == Qt.ItemDataRole.DisplayRole:
            return span.label if column == 0 else shorten(span.text, _TEXT_LIMIT)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._colors.get(span.label)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{span.label} ({span.layer}), {span.start} to {span.end}\n{span.text}"
        return None
