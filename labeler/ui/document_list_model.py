"""DocumentListModel: a lazy table over a project's documents, fetching only the rows it shows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from labeler.domain.document import DocumentSummary
from labeler.domain.project import Project
from labeler.services.documents import DocumentService

_PAGE = 200
_MAX_PAGES = 50  # pages kept in the cache; the least recently used is dropped first

Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractTableModel):
    """Rows are documents in import order; a row's summary is fetched with its page when shown."""

    COLUMNS = ("Title", "Date", "Status", "Spans")
    DocumentIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, documents: DocumentService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._documents = documents
        self._project: Project | None = None
        self._count = 0
        self._pages: dict[int, list[DocumentSummary]] = {}

    def set_project(self, project: Project | None) -> None:
        self.beginResetModel()
        self._project = project
        self._pages.clear()
        self._count = self._documents.count(project) if project is not None else 0
        self.endResetModel()

    def refresh(self) -> None:
        self.set_project(self._project)

    def summary(self, row: int) -> DocumentSummary | None:
        if self._project is None or not 0 <= row < self._count:
            return None
        page = row // _PAGE
        rows = self._pages.pop(page, None)
        if rows is None:
            rows = self._documents.summaries(self._project, page * _PAGE, _PAGE)
            if len(self._pages) >= _MAX_PAGES:
                del self._pages[next(iter(self._pages))]
        self._pages[page] = rows  # re-inserted: most recently used last
        offset = row - page * _PAGE
        return rows[offset] if offset < len(rows) else None

    # -- Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section] if 0 <= section < len(self.COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.summary(index.row())
        if row is None:
            return None
        if role == self.DocumentIdRole:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return row.title or f"(untitled {row.id})"
            if column == 1:
                return row.date.isoformat() if row.date else ""
            if column == 2:
                return row.status.replace("_", " ")
            if column == 3:
                return row.span_total
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
