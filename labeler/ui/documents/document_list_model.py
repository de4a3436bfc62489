"""DocumentListModel: a lazy table over a project's documents, fetching only the rows it shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from labeler.domain.annotation import Status
from labeler.domain.document import DocumentQuery, DocumentSummary, duration_text
from labeler.domain.project import Project
from labeler.services.documents import DocumentService
from labeler.ui.window_workspace import WindowWorkspace

_PAGE = 200
_MAX_PAGES = 50  # pages kept in the cache; the least recently used is dropped first

Index = QModelIndex | QPersistentModelIndex


def _status_word(status: str) -> str:
    try:
        return Status(status).word
    except ValueError:  # not one of ours: shown as stored
        return status


class DocumentListModel(QAbstractTableModel):
    """Rows are the ids matching a DocumentQuery, in its order; a row's summary (title, date,
    status, span count) is fetched with its page of rows when a view first asks for it.

    With a confidence order (active learning, see set_confidence_order) the documents with a
    score come first, least confident first, and the Confidence column shows their scores."""

    COLUMNS = ("Title", "Date", "Status", "Spans", "Time", "Confidence")
    CONFIDENCE = 5  # the column of the model's confidence
    # By column; any other column: import order.
    SORT_KEYS = ("title", "date", "status", "spans", "time")
    DocumentIdRole = Qt.ItemDataRole.UserRole + 1
    confidence_order_changed = Signal(bool)  # on or off

    def __init__(self, documents: DocumentService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._documents = documents
        self._project: Project | None = None
        self._query = DocumentQuery()
        # The matching ids: a lazy sequence from the service (pages read as rows are shown).
        self._ids: Sequence[int] = []
        self._rows: dict[int, int] | None = None  # document id -> row, for a plain list
        self._pages: dict[int, list[DocumentSummary | None]] = {}
        self._confidence: dict[int, float] | None = None  # document id -> the model's score

    # -- what the list shows
    def set_project(self, project: Project | None) -> None:
        self._project = project
        self._reset()

    @property
    def project(self) -> Project | None:
        return self._project

    @property
    def query(self) -> DocumentQuery:
        """What the list shows: filters, order and annotator."""
        return self._query

    def set_query(self, query: DocumentQuery) -> None:
        """Shows the documents matching `query`: its filters, order and annotator.

        A change of order alone keeps the rows, so views keep their selection and current row.
        """
        old = self._query
        self._query = query
        if replace(old, sort=query.sort, descending=query.descending) == query:
            self._reorder()
        else:
            self._reset()

    @property
    def confidence_order(self) -> bool:
        """Whether the rows are in the model's confidence order (least confident first)."""
        return self._confidence is not None

    def set_confidence_order(self, scores: dict[int, float] | None) -> None:
        """Puts the documents with a score first, least confident first (ties by id), the
        others after them in the query's order; None goes back to the query's order alone."""
        if scores is None and self._confidence is None:
            return
        self._confidence = dict(scores) if scores is not None else None
        self._reorder()
        self.confidence_order_changed.emit(scores is not None)

    def follow(self, workspace: WindowWorkspace) -> None:
        """Shows the workspace's project, with its annotator's statuses, as they change."""
        self.set_project(workspace.project)
        self.set_annotator(workspace.annotator)
        workspace.project_changed.connect(self.set_project)
        workspace.annotator_changed.connect(self.set_annotator)

    def set_annotator(self, name: str | None) -> None:
        """Shows statuses and span counts of this annotator (overall ones for None)."""
        self.set_query(replace(self._query, annotator=name))

    def refresh(self) -> None:
        """Reads the matching documents again, keeping the query (after an import, say)."""
        self._reset()

    def refresh_document(self, document_id: int) -> None:
        """Shows a document's new status and span count after an edit; its row stays put."""
        row = self.row_of(document_id)
        if row is None:
            return
        self._pages.pop(row // _PAGE, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    def _fetch_ids(self) -> Sequence[int]:
        if self._project is None:
            return []
        ids = self._documents.ids(self._project, self._query)
        scores = self._confidence
        if scores is None:
            return ids
        every = list(ids)  # reads every id: only while the confidence order is on
        ranked = sorted((i for i in every if i in scores), key=lambda i: (scores[i], i))
        return ranked + [i for i in every if i not in scores]

    def _reset(self) -> None:
        self.beginResetModel()
        self._ids = self._fetch_ids()
        self._rows = None
        self._pages.clear()
        self.endResetModel()

    def _reorder(self) -> None:
        ids = self._fetch_ids()
        # Comparing the sets would read every id of a lazy list: its count has to do there.
        lazy = not isinstance(ids, list)
        if len(ids) != len(self._ids) or (not lazy and set(ids) != set(self._ids)):
            # The documents changed meanwhile (an import, an edit): not a mere reordering.
            self._reset()
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = self._ids
        self._ids = ids
        self._rows = None
        self._pages.clear()
        moved = self.persistentIndexList()
        rows = [self.row_of(old_ids[i.row()]) for i in moved]
        targets = [
            self.index(row, i.column()) if row is not None else QModelIndex()
            for i, row in zip(moved, rows, strict=True)
        ]
        self.changePersistentIndexList(moved, targets)
        self.layoutChanged.emit()

    # -- rows
    def document_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, document_id: int) -> int | None:
        finder = getattr(self._ids, "row_of", None)  # a lazy list finds rows itself
        if finder is not None:
            row: int | None = finder(document_id)
            while row is None and self.canFetchMore():  # a growing list: read on to it
                self.fetchMore()
                row = finder(document_id)
            return row
        if self._rows is None:
            self._rows = {doc_id: row for row, doc_id in enumerate(self._ids)}
        return self._rows.get(document_id)

    def summary(self, row: int) -> DocumentSummary | None:
        if not 0 <= row < len(self._ids):
            return None
        page = row // _PAGE
        rows = self._pages.pop(page, None)
        if rows is None:
            ids = self._ids[page * _PAGE : (page + 1) * _PAGE]
            fetched = self._documents.summaries_for_ids(ids, self._query.annotator)
            # A document deleted since the ids were read leaves its row empty, not shifted.
            by_id = {s.id: s for s in fetched}
            rows = [by_id.get(i) for i in ids]
            if len(self._pages) >= _MAX_PAGES:
                del self._pages[next(iter(self._pages))]
        self._pages[page] = rows  # re-inserted: most recently used last
        return rows[row - page * _PAGE]

    # -- Qt model interface
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """A list filtered by status grows as it is scrolled (DocumentIds.more)."""
        has_more = getattr(self._ids, "has_more", None)
        return not parent.isValid() and has_more is not None and bool(has_more())

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        ids: Any = self._ids
        found = ids.more()
        if found:
            first = len(ids)
            self.beginInsertRows(QModelIndex(), first, first + len(found) - 1)
            ids.take(found)
            self._pages.pop(first // _PAGE, None)  # the cached page the new rows join
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section]
            if role == Qt.ItemDataRole.InitialSortOrderRole:
                return Qt.SortOrder.AscendingOrder  # a newly clicked column starts ascending
            if role == Qt.ItemDataRole.ToolTipRole and section in (2, 3):
                whose = self._query.annotator
                return f"{self.COLUMNS[section]} of {whose}" if whose else "Over all annotators"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Orders the rows by a column (clicking a header); column -1 is import order. The
        confidence order gives way to it; its own column orders nothing."""
        if column == self.CONFIDENCE:
            return
        self.set_confidence_order(None)
        key = self.SORT_KEYS[column] if 0 <= column < len(self.SORT_KEYS) else "id"
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort=key, descending=descending))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == self.DocumentIdRole:
            return self._ids[index.row()]  # known without fetching the page
        if index.column() == self.CONFIDENCE:
            return self._confidence_data(self._ids[index.row()], role)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (3, 4):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        row = self.summary(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, index.column())
        return _display(row, index.column())

    def _confidence_data(self, document_id: int, role: int) -> Any:
        score = (self._confidence or {}).get(document_id)
        if score is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{score:.2f}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"The model's confidence: {score:.2f}, the certainty of its least certain "
                "entity (0.5 a coin flip, 1 sure of every one)"
            )
        return None


def _display(row: DocumentSummary, column: int) -> Any:
    if column == 0:
        return row.title or f"(untitled {row.id})"
    if column == 1:
        return row.date.isoformat() if row.date else ""
    if column == 2:
        return _status_word(row.status)
    if column == 3:
        return row.span_total
    if column == 4:
        return duration_text(row.active_seconds)
    return None


def _tooltip(row: DocumentSummary, column: int) -> str | None:
    if column == 0:
        return row.title or None
    if column == 4 and row.active_seconds:
        return f"{row.active_seconds} s of active annotation (pauses left out)"
    if column == 3 and row.span_counts:
        return ", ".join(f"{layer}: {n}" for layer, n in sorted(row.span_counts.items()))
    return None
