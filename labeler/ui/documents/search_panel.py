"""SearchPanel: a search box over the whole project, and the documents and places it finds."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.domain.search import SearchResult
from labeler.services.searching import SearchService
from labeler.services.wording import plural

PlaceRole = Qt.ItemDataRole.UserRole + 1  # (document id, start, end) of a row


class SearchPanel(QWidget):
    """Enter words (or "a phrase") and press Enter: one row per document that holds them, with
    a row per place under it. Activating a row (double-click, Enter) emits `place_chosen`
    with the document id and the place's [start, end) in code points (0, 0 for a document
    whose title alone holds the words)."""

    place_chosen = Signal(int, int, int)
    # document id, its places [(start, end), ...], label: "label every place" was pressed
    label_all_requested = Signal(int, object, str)
    LIMIT = 200

    def __init__(self, search: SearchService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self._project: Project | None = None
        self.box = QLineEdit(self)
        self.box.setObjectName("search_box")
        self.box.setPlaceholderText('Search the project: words, or "a phrase"')
        self.box.setClearButtonEnabled(True)
        self.results = QTreeWidget(self)
        self.results.setObjectName("search_results")
        self.results.setHeaderHidden(True)
        self.results.setUniformRowHeights(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("search_summary")
        self.summary.setWordWrap(True)
        self.label_box = QComboBox(self)
        self.label_box.setObjectName("search_label_box")
        self.label_button = QPushButton("Label every place", self)
        self.label_button.setObjectName("search_label_button")
        self.label_button.setToolTip("Labels every place of the chosen document: one undo step")
        self.label_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.label_box, 1)
        row.addWidget(self.label_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.box)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        layout.addLayout(row)
        self.box.returnPressed.connect(self.run)
        self.results.itemActivated.connect(self._on_activated)
        self.results.currentItemChanged.connect(self._on_current)
        self.label_button.clicked.connect(self._on_label_all)
        self.result: SearchResult | None = None

    def set_project(self, project: Project | None) -> None:
        """Searches this project from now on; the hits of the previous one are cleared."""
        self._project = project
        self.label_box.clear()
        if project is not None:
            self.label_box.addItems([label.name for label in project.schema.labels()])
        self.results.clear()
        self.result = None
        self.summary.clear()

    def run(self) -> SearchResult | None:
        """Searches the project for the box's words; shows and returns what was found."""
        self.results.clear()
        self.result = None
        if self._project is None or not self.box.text().strip():
            self.summary.clear()
            return None
        try:
            result = self._search.search(self._project, self.box.text(), limit=self.LIMIT)
        except LabelerError as error:
            self.summary.setText(str(error))
            return None
        self.result = result
        self._show(result)
        return result

    def _show(self, result: SearchResult) -> None:
        places = sum(len(h.places) for h in result.hits)
        if not result.hits:
            self.summary.setText(f"No document holds {result.query.describe()}.")
            return
        more = f"; the first {len(result.hits)} shown" if result.more else ""
        self.summary.setText(
            f"{plural(len(result.hits), 'document')}{more}, {plural(places, 'place')}"
        )
        for hit in result.hits:
            count = f"{len(hit.places)}" if hit.places else "title"
            item = QTreeWidgetItem([f"{hit.title or f'(untitled {hit.document_id})'}  ({count})"])
            first = hit.places[0] if hit.places else (0, 0)
            item.setData(0, PlaceRole, (hit.document_id, *first))
            for (start, end), (before, words, after) in zip(hit.places, hit.contexts, strict=False):
                child = QTreeWidgetItem([f"{before}{words}{after}"])
                child.setData(0, PlaceRole, (hit.document_id, start, end))
                child.setToolTip(0, f"[{start}, {end})")
                item.addChild(child)
            self.results.addTopLevelItem(item)
        if self.results.topLevelItemCount() == 1:
            self.results.expandAll()

    def _hit_of(self, item: QTreeWidgetItem | None) -> tuple[int, list[tuple[int, int]]] | None:
        """The document of a row (a document's or a place's) and all its places."""
        if item is None or self.result is None:
            return None
        top = item.parent() or item
        document_id = top.data(0, PlaceRole)[0]
        for hit in self.result.hits:
            if hit.document_id == document_id and hit.places:
                return document_id, list(hit.places)
        return None

    def _on_current(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        self.label_button.setEnabled(self._hit_of(item) is not None)

    def _on_label_all(self) -> None:
        found = self._hit_of(self.results.currentItem())
        if found is not None and self.label_box.currentText():
            self.label_all_requested.emit(*found, self.label_box.currentText())

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        place = item.data(0, PlaceRole)
        if place is not None:
            self.place_chosen.emit(*place)
