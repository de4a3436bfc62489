"""SpanListModel: the open document's spans as a flat table, grouped by layer in reading order."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from labeler.domain.annotation import Span
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import shorten
from labeler.ui.colors import label_color

_Index = QModelIndex | QPersistentModelIndex
_Key = tuple[int, int, int]  # (start, end, id): reading order within a layer
_TEXT_LIMIT = 80
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _key(span: Span) -> _Key:
    assert span.id is not None
    return (span.start, span.end, span.id)


class SpanListModel(QAbstractTableModel):
    """Rows are the spans of the layers shown, a layer after another in schema order.

    A flat table rather than a tree: a view of a flat model asks only for the rows on screen,
    so a document with 20,000 spans costs no more per edit than one with twenty. Each edit
    inserts, removes or moves one row, found by bisection.
    """

    COLUMNS = ("Label", "Text")
    SpanIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._layers: list[str] = []
        self._shown: list[str] | None = None  # None: every layer, until told otherwise
        self._keys: dict[str, list[_Key]] = {}
        self._spans: dict[int, Span] = {}
        self._colors: dict[str, QColor] = {}

    # -- content
    def set_spans(self, schema: LabelSchema, spans: Iterable[Span]) -> None:
        self.beginResetModel()
        self._layers = [layer.name for layer in schema.layers]
        if self._shown is None or set(self._shown) - set(self._layers):
            self._shown = list(self._layers)
        self._colors = {label.name: label_color(label) for label in schema.labels()}
        self._spans = {s.id: s for s in spans if s.id is not None}
        self._keys = {name: [] for name in self._layers}
        for span in self._spans.values():
            self._keys.setdefault(span.layer, []).append(_key(span))
        for keys in self._keys.values():
            keys.sort()
        self.endResetModel()

    def set_layers(self, layers: Sequence[str] | None) -> None:
        """Shows only these layers' spans (in schema order); None: every layer."""
        shown = None if layers is None else [name for name in self._layers if name in layers]
        if shown != self._shown:
            self.beginResetModel()
            self._shown = shown
            self.endResetModel()

    def add_span(self, span: Span) -> None:
        if span.id in self._spans:
            raise ValueError(f"span {span.id} is listed already")
        keys = self._keys.setdefault(span.layer, [])
        key = _key(span)
        at = bisect.bisect_left(keys, key)
        self._spans[key[2]] = span
        if span.layer in self._shown_layers():
            row = self._offset(span.layer) + at
            self.beginInsertRows(QModelIndex(), row, row)
            keys.insert(at, key)
            self.endInsertRows()
        else:
            keys.insert(at, key)

    def remove_span(self, span_id: int) -> None:
        span = self._spans[span_id]
        keys = self._keys[span.layer]
        at = bisect.bisect_left(keys, _key(span))
        if span.layer in self._shown_layers():
            row = self._offset(span.layer) + at
            self.beginRemoveRows(QModelIndex(), row, row)
            del keys[at]
            del self._spans[span_id]
            self.endRemoveRows()
        else:
            del keys[at]
            del self._spans[span_id]

    def update_span(self, span: Span) -> None:
        assert span.id is not None
        old = self._spans[span.id]
        if old.layer == span.layer and (old.start, old.end) == (span.start, span.end):
            self._spans[span.id] = span
            row = self.row_of(span.id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
            return
        self.remove_span(span.id)
        self.add_span(span)

    # -- look-ups
    def _shown_layers(self) -> list[str]:
        return self._layers if self._shown is None else self._shown

    def _offset(self, layer: str) -> int:
        offset = 0
        for name in self._shown_layers():
            if name == layer:
                return offset
            offset += len(self._keys.get(name, ()))
        raise KeyError(layer)

    def _at(self, row: int) -> Span | None:
        for name in self._shown_layers():
            keys = self._keys.get(name, ())
            if row < len(keys):
                return self._spans[keys[row][2]]
            row -= len(keys)
        return None

    def row_of(self, span_id: int) -> int | None:
        span = self._spans.get(span_id)
        if span is None or span.layer not in self._shown_layers():
            return None
        keys = self._keys[span.layer]
        return self._offset(span.layer) + bisect.bisect_left(keys, _key(span))

    def index_of(self, span_id: int) -> QModelIndex:
        row = self.row_of(span_id)
        return QModelIndex() if row is None else self.index(row, 0)

    def span_id(self, index: _Index) -> int | None:
        span = self._at(index.row()) if index.isValid() else None
        return None if span is None else span.id

    def span_by_id(self, span_id: int) -> Span | None:
        return self._spans.get(span_id)

    def layer_count(self, layer: str) -> int:
        return len(self._keys.get(layer, ()))

    # -- Qt model interface
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return sum(len(self._keys.get(name, ())) for name in self._shown_layers())

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
