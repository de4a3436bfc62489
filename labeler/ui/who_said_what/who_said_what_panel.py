"""WhoSaidWhatPanel: a table of attributions, filtered by source and claim type, sorted by a
click on a header, exported as CSV; a double-click goes to the attribution's place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.annotation_events import Change
from labeler.domain.errors import LabelerError
from labeler.domain.schema import LabelSchema
from labeler.domain.who_said_what import (
    CLAIM_TYPE,
    AttributionRow,
    attribution_rows,
    touches_attributions,
)
from labeler.services.who_said_what import write_csv
from labeler.services.wording import plural
from labeler.ui.row_table import row_table
from labeler.ui.who_said_what.who_said_what_model import WhoSaidWhatFilter, WhoSaidWhatModel

if TYPE_CHECKING:
    from labeler.ui.editor.annotation_model import AnnotationModel

ChoosePath = Callable[[QWidget, str], str | None]
"""Asks where to write the CSV, given a suggested file name; None or "" when cancelled."""

_WIDTHS = {"Document": 180, "Source": 150, "Entity": 120, "Cue": 80, "Content": 240, "Claim": 180}


def ask_csv_path(parent: QWidget, suggested: str) -> str | None:
    name, _ = QFileDialog.getSaveFileName(
        parent, "Export who said what", suggested, "CSV files (*.csv)"
    )
    return name or None


class WhoSaidWhatPanel(QWidget):
    """One row per attribution; `place_chosen(document id, span id)` on a double-click or Enter."""

    place_chosen = Signal(int, int)

    def __init__(
        self,
        with_document: bool = False,
        choose_path: ChoosePath = ask_csv_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("who_said_what_panel")
        self.choose_path = choose_path  # the file dialog, or what a test puts in its place
        self._schema: LabelSchema | None = None
        self._model: AnnotationModel | None = None
        self.export_name = "who said what.csv"

        self.model = WhoSaidWhatModel(with_document, self)
        self.proxy = WhoSaidWhatFilter(self)
        self.proxy.setSourceModel(self.model)

        self.source_filter = QLineEdit(self)
        self.source_filter.setObjectName("source_filter")
        self.source_filter.setPlaceholderText("Filter by source…")
        self.source_filter.setClearButtonEnabled(True)
        self.claim_type_box = QComboBox(self)
        self.claim_type_box.setObjectName("claim_type_box")
        self.claim_type_box.setToolTip("Only attributions with a claim of this type")
        self.claim_type_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._fill_claim_types(())
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setObjectName("export_csv")
        self.export_button.setToolTip("Writes the rows shown, in the order shown")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("who_said_what_count")

        self.table = row_table(self.proxy, "who_said_what_table", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultSectionSize(100)
        for column in range(self.model.columnCount()):
            name = self.model.headerData(column, Qt.Orientation.Horizontal)
            header.resizeSection(column, _WIDTHS.get(name, 100))
        self.table.setSortingEnabled(True)
        # No sort until a header is clicked: the rows come in reading order.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.source_filter, 1)
        bar.addWidget(self.claim_type_box)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self._stale = False  # an edit came while the panel was hidden
        self._edited = False  # the edit being made changes attributions
        self.source_filter.textChanged.connect(self.proxy.set_source_text)
        self.claim_type_box.currentIndexChanged.connect(self._on_claim_type)
        self.export_button.clicked.connect(self.export_csv)
        # Activated: a double-click, or Enter on the current row (keyboard alone).
        self.table.activated.connect(self._on_activated)
        self.proxy.rowsInserted.connect(self._show_count)
        self.proxy.rowsRemoved.connect(self._show_count)
        self.proxy.modelReset.connect(self._show_count)
        self.proxy.layoutChanged.connect(self._show_count)
        self._show_count()

    # -- content
    def set_schema(self, schema: LabelSchema) -> None:
        """Offers the schema's claim types in the filter (keeping the choice if it is one)."""
        if schema is self._schema:
            return
        self._schema = schema
        attribute = next((a for a in schema.attributes if a.name == CLAIM_TYPE), None)
        self._fill_claim_types(attribute.values if attribute is not None else ())

    def _fill_claim_types(self, values: Sequence[str]) -> None:
        chosen = self.claim_type_box.currentData()
        self.claim_type_box.blockSignals(True)
        self.claim_type_box.clear()
        self.claim_type_box.addItem("All claim types", None)
        for value in values:
            self.claim_type_box.addItem(value.replace("_", " "), value)
        at = self.claim_type_box.findData(chosen) if chosen is not None else 0
        self.claim_type_box.setCurrentIndex(max(at, 0))
        self.claim_type_box.blockSignals(False)
        self.proxy.set_claim_type(self.claim_type_box.currentData())

    def set_rows(self, rows: Sequence[AttributionRow]) -> None:
        self.model.set_rows(rows)

    def rows_shown(self) -> list[AttributionRow]:
        """The rows that pass the filters, in the order shown."""
        return self.proxy.shown_rows()

    # -- following the editor's open document
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.show_editor()

    def follow(self, model: AnnotationModel) -> None:
        """Shows the attributions of the model's open set, following each change."""
        self._model = model
        model.opened.connect(lambda _session: self.show_editor())
        model.changed.connect(self._on_change)
        model.edit_finished.connect(self._on_edit_finished)

    def _on_change(self, change: Change) -> None:
        # The rows are rebuilt once an edit is finished, not for each of its changes.
        annotations = self._model.annotations if self._model is not None else None
        if annotations is not None and touches_attributions(annotations, change):
            self._edited = True

    def _on_edit_finished(self) -> None:
        if self._edited:
            self._edited = False
            self.show_editor()

    def show_editor(self) -> None:
        """Shows the attributions of the followed set now (or, while the panel is hidden,
        as soon as it is shown again)."""
        if not self.isVisible() and self._model is not None:
            self._stale = True
            return
        self._stale = False
        session = self._model.session if self._model is not None else None
        if session is None:
            self.set_rows(())
            return
        self.set_schema(session.schema)
        document = session.document
        self.export_name = f"{document.title or 'document'} - who said what.csv"
        self.set_rows(attribution_rows(session.annotations, document.id, document.title))

    # -- actions
    def _on_claim_type(self, _index: int) -> None:
        self.proxy.set_claim_type(self.claim_type_box.currentData())

    def _on_activated(self, index: QModelIndex) -> None:
        row = self.proxy.data(index, WhoSaidWhatModel.RowRole)
        if row is not None and row.document_id is not None and row.span_id is not None:
            self.place_chosen.emit(row.document_id, row.span_id)

    def export_csv(self) -> bool:
        """Asks where, then writes the rows shown as CSV; True when written."""
        path = self.choose_path(self, self.export_name)
        if not path:
            return False
        try:
            count = write_csv(self.rows_shown(), path)
        except LabelerError as error:
            self.count_label.setText(f"Not exported: {error}")
            return False
        self.count_label.setText(f"Exported {plural(count, 'attribution')} to {path}")
        return True

    def _show_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = plural(total, "attribution")
        self.count_label.setText(text if shown == total else f"{shown} of {text} shown")
