"""WhoSaidWhatModel: attribution rows as a table; WhoSaidWhatFilter: by source and claim type."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from labeler.domain.snippets import shorten
from labeler.domain.who_said_what import AttributionRow

_Index = QModelIndex | QPersistentModelIndex
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_TEXT_LIMIT = 120


def _entity(row: AttributionRow) -> str:
    if not row.entity_text:
        return ""
    return f"{row.entity_text} ({row.entity_label})"


# (header, value); the document and annotator columns show only in the project-wide view.
_DOCUMENT_COLUMNS: tuple[tuple[str, Callable[[AttributionRow], str]], ...] = (
    ("Document", lambda r: r.document_title),
    ("Annotator", lambda r: r.annotator),
)
_COLUMNS: tuple[tuple[str, Callable[[AttributionRow], str]], ...] = (
    ("Source", lambda r: r.source),
    ("Entity", _entity),
    ("Cue", lambda r: r.cue),
    ("Content", lambda r: r.content),
    ("Claim", lambda r: r.claim_text),
    ("Claim type", lambda r: r.claim_type),
    ("Checkworthy", lambda r: r.checkworthy),
    ("Verification", lambda r: r.verification),
)


class WhoSaidWhatModel(QAbstractTableModel):
    """A read-only table over a list of attribution rows, one row each, in their order."""

    RowRole = Qt.ItemDataRole.UserRole + 1  # the AttributionRow
    SpanIdRole = Qt.ItemDataRole.UserRole + 2
    DocumentIdRole = Qt.ItemDataRole.UserRole + 3

    def __init__(self, with_document: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = (_DOCUMENT_COLUMNS if with_document else ()) + _COLUMNS
        self._rows: list[AttributionRow] = []

    def set_rows(self, rows: Sequence[AttributionRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[AttributionRow]:
        return list(self._rows)

    def row_at(self, row: int) -> AttributionRow:
        return self._rows[row]

    def column_of(self, header: str) -> int:
        """The column with this header; ValueError if there is none."""
        return [name for name, _ in self._columns].index(header)

    # -- Qt model interface
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section][0] if 0 <= section < len(self._columns) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shorten(self._columns[index.column()][1](row), _TEXT_LIMIT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._columns[index.column()][1](row) or None
        if role == self.RowRole:
            return row
        if role == self.SpanIdRole:
            return row.span_id
        if role == self.DocumentIdRole:
            return row.document_id
        return None


class WhoSaidWhatFilter(QSortFilterProxyModel):
    """Sorts by the column clicked (ignoring case) and keeps the rows whose source holds
    the given text and, if one is chosen, that have a claim of the given type."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source_text = ""
        self._claim_type: str | None = None
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortLocaleAware(True)

    def set_source_text(self, text: str) -> None:
        folded = text.strip().casefold()
        if folded != self._source_text:
            self.beginFilterChange()
            self._source_text = folded
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_claim_type(self, claim_type: str | None) -> None:
        """Only rows with a claim of this type; None: every row."""
        if claim_type != self._claim_type:
            self.beginFilterChange()
            self._claim_type = claim_type
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, WhoSaidWhatModel) or source_parent.isValid():
            return True
        row = model.row_at(source_row)
        if self._source_text and self._source_text not in row.source.casefold():
            return False
        return self._claim_type is None or self._claim_type in row.claim_types

    def shown_rows(self) -> list[AttributionRow]:
        """The rows that pass the filter, in the order shown."""
        return [
            self.data(self.index(r, 0), WhoSaidWhatModel.RowRole) for r in range(self.rowCount())
        ]
