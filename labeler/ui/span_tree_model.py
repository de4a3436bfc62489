"""SpanTreeModel: a document's spans as a tree of layers, each with its spans in text order."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from labeler.domain.annotation import Span
from labeler.domain.schema import LabelSchema
from labeler.ui.colors import label_color

SpanIdRole = Qt.ItemDataRole.UserRole + 1

_HEADERS = ("Text", "Label", "Where")
TEXT_COLUMN, LABEL_COLUMN, WHERE_COLUMN = range(3)
_TEXT_LIMIT = 60
# internalId 0 marks a layer row; a span row carries its layer's row + 1, so parent() needs no
# Python object behind the index.
_LAYER_ID = 0

_Index = QModelIndex | QPersistentModelIndex
_Key = tuple[int, int, int]


def _key(span: Span) -> _Key:
    return (span.start, span.end, span.id)  # type: ignore[return-value]


def short_text(text: str, limit: int = _TEXT_LIMIT) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + "…"


class SpanTreeModel(QAbstractItemModel):
    """Layers of the schema as top rows; each layer's spans, sorted by (start, end, id), below.

    Edits are incremental: each layer keeps a sorted list of keys, searched with bisect.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._schema: LabelSchema | None = None
        self._layers: list[str] = []
        self._layer_row: dict[str, int] = {}
        self._keys: list[list[_Key]] = []
        self._spans: dict[int, Span] = {}

    # -- the API the editor calls
    def set_spans(self, schema: LabelSchema, spans: Iterable[Span]) -> None:
        """Shows `spans` under the layers of `schema`, replacing whatever was shown."""
        layers = [layer.name for layer in schema.layers]
        layer_row = {name: row for row, name in enumerate(layers)}
        keys: list[list[_Key]] = [[] for _ in layers]
        by_id: dict[int, Span] = {}
        for span in spans:
            if span.id is None:
                raise ValueError(f"span {span.label} [{span.start}, {span.end}) has no id")
            if span.layer not in layer_row:
                raise ValueError(f"span {span.id} is on layer {span.layer!r}, not in the schema")
            if span.id in by_id:
                raise ValueError(f"span id {span.id} is given twice")
            by_id[span.id] = span
            keys[layer_row[span.layer]].append(_key(span))
        for layer_keys in keys:
            layer_keys.sort()
        self.beginResetModel()
        self._schema = schema
        self._layers, self._layer_row, self._keys, self._spans = layers, layer_row, keys, by_id
        self.endResetModel()

    def add_span(self, span: Span) -> None:
        """Inserts one span at its place in its layer."""
        self._check(span)
        layer_row = self._layer_row[span.layer]
        keys = self._keys[layer_row]
        key = _key(span)
        row = bisect_left(keys, key)
        self.beginInsertRows(self._layer_index(layer_row), row, row)
        keys.insert(row, key)
        self._spans[span.id] = span  # type: ignore[index]
        self.endInsertRows()
        self._layer_count_changed(layer_row)

    def remove_span(self, span_id: int) -> None:
        """Removes the span with `span_id`; unknown ids raise KeyError."""
        span = self._spans[span_id]
        layer_row = self._layer_row[span.layer]
        keys = self._keys[layer_row]
        row = bisect_left(keys, _key(span))
        self.beginRemoveRows(self._layer_index(layer_row), row, row)
        del keys[row]
        del self._spans[span_id]
        self.endRemoveRows()
        self._layer_count_changed(layer_row)

    def update_span(self, span: Span) -> None:
        """Shows a changed span (label, offsets, text or layer), moving its row if needed."""
        self._check(span, known=True)
        old = self._spans[span.id]  # type: ignore[index]
        if old.layer != span.layer:
            self.remove_span(old.id)  # type: ignore[arg-type]
            self.add_span(span)
            return
        layer_row = self._layer_row[span.layer]
        keys = self._keys[layer_row]
        old_row = bisect_left(keys, _key(old))
        new_key = _key(span)
        # The place among the other keys, then in the numbering before the move.
        place = bisect_left(keys, new_key, 0, old_row)
        if place == old_row:
            place = bisect_left(keys, new_key, old_row + 1) - 1
        parent = self._layer_index(layer_row)
        destination = place if place < old_row else place + 1
        if place != old_row:
            self.beginMoveRows(parent, old_row, old_row, parent, destination)
            del keys[old_row]
            keys.insert(place, new_key)
            self._spans[span.id] = span  # type: ignore[index]
            self.endMoveRows()
        else:
            keys[old_row] = new_key
            self._spans[span.id] = span  # type: ignore[index]
        row = place
        self.dataChanged.emit(
            self.index(row, 0, parent), self.index(row, len(_HEADERS) - 1, parent)
        )

    def index_of(self, span_id: int) -> QModelIndex:
        """The first-column index of the span's row; invalid if the span is not shown."""
        span = self._spans.get(span_id)
        if span is None:
            return QModelIndex()
        layer_row = self._layer_row[span.layer]
        row = bisect_left(self._keys[layer_row], _key(span))
        return self.createIndex(row, 0, layer_row + 1)

    def span_id(self, index: _Index) -> int | None:
        """The id of the span on `index`'s row; None on a layer row or an invalid index."""
        if not index.isValid() or index.internalId() == _LAYER_ID:
            return None
        return self._keys[index.internalId() - 1][index.row()][2]

    def span_by_id(self, span_id: int) -> Span | None:
        """The span shown under `span_id`, if any."""
        return self._spans.get(span_id)

    def layer_index(self, layer: str) -> QModelIndex:
        """The first-column index of a layer's row; invalid for a layer not in the schema."""
        row = self._layer_row.get(layer)
        return QModelIndex() if row is None else self._layer_index(row)

    # -- QAbstractItemModel
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _LAYER_ID)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _LAYER_ID:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _LAYER_ID)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._layers)
        if parent.internalId() == _LAYER_ID and parent.column() == 0:
            return len(self._keys[parent.row()])
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(_HEADERS)

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _LAYER_ID:
            return Qt.ItemFlag.ItemIsEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_HEADERS)
        ):
            return _HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _LAYER_ID:
            return self._layer_data(index, role)
        span = self._spans[self._keys[index.internalId() - 1][index.row()][2]]
        column = index.column()
        if role == SpanIdRole:
            return span.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TEXT_COLUMN:
                return short_text(span.text)
            if column == LABEL_COLUMN:
                return span.label
            return f"{span.start}\u2013{span.end}"  # an en dash
        if role == Qt.ItemDataRole.ToolTipRole and column == TEXT_COLUMN:
            return span.text if len(span.text) <= 1000 else span.text[:999] + "…"
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL_COLUMN:
            return self._color(span.label)
        return None

    # -- helpers
    def _layer_data(self, index: _Index, role: int) -> Any:
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole and index.column() == TEXT_COLUMN:
            return f"{self._layers[row]} ({len(self._keys[row])})"
        if role == Qt.ItemDataRole.ToolTipRole and self._schema is not None:
            return self._schema.layers[row].description or None
        return None

    def _color(self, label: str) -> Any:
        if self._schema is None or not self._schema.has_label(label):
            return None
        return label_color(self._schema.label(label))

    def _layer_index(self, row: int) -> QModelIndex:
        return self.createIndex(row, 0, _LAYER_ID)

    def _layer_count_changed(self, row: int) -> None:
        index = self._layer_index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    def _check(self, span: Span, *, known: bool = False) -> None:
        if span.id is None:
            raise ValueError(f"span {span.label} [{span.start}, {span.end}) has no id")
        if span.layer not in self._layer_row:
            raise ValueError(f"span {span.id} is on layer {span.layer!r}, not in the schema")
        if known and span.id not in self._spans:
            raise KeyError(span.id)
        if not known and span.id in self._spans:
            raise ValueError(f"span {span.id} is already shown")
