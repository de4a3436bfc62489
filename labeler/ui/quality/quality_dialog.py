"""QualityDialog: agreement between a project's annotators, measured off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.project import Project
from labeler.quality.figures import ALL, StatusFilter
from labeler.services.agreement import AgreementService
from labeler.services.suggesting import SuggestionService
from labeler.ui.dialogs.task_runner import Progress, TaskRunner
from labeler.ui.quality.pair_matrix import PairMatrixView
from labeler.ui.quality.quality_models import (
    SORT_ROLE,
    DocumentAgreementModel,
    LabelFigureModel,
    SuggestionTallyModel,
)
from labeler.ui.row_table import row_table

if TYPE_CHECKING:  # numpy, under the measures, loads when agreement is measured
    from labeler.quality.agreement import AgreementReport


class QualityDialog(QDialog):
    """Agreement in a project: a pair-by-pair heat map per layer and measure, the pooled
    figures per label, and the documents with the least agreement first; and, given the
    suggestion service, how each recommender's suggestions fared (read when that tab shows).

    `document_chosen(document id)` carries a double-click on a document to the window.
    """

    document_chosen = Signal(int)

    def __init__(
        self,
        service: AgreementService,
        project: Project,
        parent: QWidget | None = None,
        suggestions: SuggestionService | None = None,
    ) -> None:
        super().__init__(parent)
        self._suggestions = suggestions
        self._service = service
        self._project = project
        self._again = False  # the status filter changed while measuring: measure again
        self.report: AgreementReport | None = None
        self.setWindowTitle(f"Agreement in {project.name}")
        self.resize(980, 620)

        self.status_box = QComboBox(self)
        self.status_box.setObjectName("status_box")
        self.status_box.addItem("Sets marked done", StatusFilter.DONE)
        self.status_box.addItem("Sets of any status", StatusFilter.ANY)
        self.summary = QLabel(self)
        self.summary.setObjectName("quality_summary")
        self.summary.setWordWrap(True)

        self.group_box = QComboBox(self)
        self.group_box.setObjectName("group_box")
        self.measure_box = QComboBox(self)
        self.measure_box.setObjectName("measure_box")
        for box in (self.group_box, self.measure_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.matrix = PairMatrixView(self)
        scroll = QScrollArea(self)
        scroll.setWidget(self.matrix)
        scroll.setWidgetResizable(True)
        pairs = QWidget(self)
        choose = QHBoxLayout()
        choose.addWidget(QLabel("Layer:", pairs))
        choose.addWidget(self.group_box)
        choose.addWidget(QLabel("Measure:", pairs))
        choose.addWidget(self.measure_box)
        choose.addStretch(1)
        pairs_layout = QVBoxLayout(pairs)
        pairs_layout.addLayout(choose)
        pairs_layout.addWidget(scroll, 1)

        self.labels = LabelFigureModel()
        self.label_table = self._sorted_table(self.labels, "label_table")
        self.documents = DocumentAgreementModel()
        self.document_table = self._sorted_table(self.documents, "document_table")
        self.document_table.doubleClicked.connect(self._on_document_double_clicked)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(pairs, "Pairs")
        self.tabs.addTab(self.label_table, "Labels")
        self.tabs.addTab(self.document_table, "Documents")
        self.tallies = SuggestionTallyModel()
        self.tally_table = self._sorted_table(self.tallies, "suggestion_table")
        if suggestions is not None:
            self.tabs.addTab(self.tally_table, "Suggestions")
            self.tabs.currentChanged.connect(self._on_tab)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("Compare:", self))
        top.addWidget(self.status_box)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

        self.runner = TaskRunner(self)
        self.runner.progressed.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.status_box.currentIndexChanged.connect(lambda _i: self.measure())
        self.group_box.currentIndexChanged.connect(lambda _i: self._fill_measures())
        self.measure_box.currentIndexChanged.connect(lambda _i: self._show_matrix())
        self.measure()

    def _sorted_table(
        self, model: LabelFigureModel | DocumentAgreementModel, name: str
    ) -> QTableView:
        """A table over `model` that a click on a header sorts; the report's order (least
        agreement first) until then."""
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        table = row_table(proxy, name, self)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.horizontalHeader().setStretchLastSection(True)
        table.setSortingEnabled(True)
        return table

    def _on_tab(self, index: int) -> None:
        if self.tabs.widget(index) is self.tally_table:
            self.count_suggestions()

    def count_suggestions(self) -> None:
        """Reads again how the suggestions fared (one grouped query: quick on the GUI thread)."""
        if self._suggestions is not None:
            self.tallies.set_rows(self._suggestions.tallies(self._project))
            self.tally_table.resizeColumnsToContents()

    def measure(self) -> None:
        """Measures agreement with the chosen status filter, off the GUI thread."""
        if self.runner.is_running():
            self._again = True
            self.runner.cancel()
            return
        self._again = False
        status = StatusFilter(self.status_box.currentData())  # Qt hands back a plain str
        service, project = self._service, self._project
        self.summary.setText("Measuring…")

        def job(progress: Progress, cancelled: Callable[[], bool]) -> AgreementReport:
            return service.measure(
                project,
                status=status,
                progress=lambda done, total: progress(done, total, "documents"),
                cancelled=cancelled,
            )

        self.runner.start(job)

    def _on_progress(self, done: int, total: int, _what: str) -> None:
        self.summary.setText(f"Measuring… {done:,} of {total:,} documents read")

    def _on_failed(self, message: str) -> None:
        if self._again:
            self.measure()
            return
        self.summary.setText(f"Could not measure agreement: {message}")

    def _on_finished(self, report: AgreementReport) -> None:
        if self._again:
            self.measure()
            return
        self.report = report
        self.summary.setText(
            f"{report.documents:,} documents compared by {', '.join(report.annotators)}; "
            f"{report.left_out:,} left out with fewer than two of them."
        )
        self.labels.set_rows([f for f in report.figures if f.pair == ALL])
        self.documents.set_rows(report.by_document)
        chosen = self.group_box.currentText()
        self.group_box.blockSignals(True)
        self.group_box.clear()
        self.group_box.addItems(list(dict.fromkeys(f.layer for f in report.figures)))
        self.group_box.setCurrentIndex(max(self.group_box.findText(chosen), 0))
        self.group_box.blockSignals(False)
        self._fill_measures()

    def _fill_measures(self) -> None:
        if self.report is None:
            return
        group = self.group_box.currentText()
        chosen = self.measure_box.currentText()
        found = dict.fromkeys(
            str(f.measure)
            for f in self.report.figures
            if f.layer == group and f.label == "" and f.pair != ALL
        )
        self.measure_box.blockSignals(True)
        self.measure_box.clear()
        self.measure_box.addItems(list(found))
        self.measure_box.setCurrentIndex(max(self.measure_box.findText(chosen), 0))
        self.measure_box.blockSignals(False)
        self._show_matrix()

    def _show_matrix(self) -> None:
        if self.report is None:
            return
        group, measure = self.group_box.currentText(), self.measure_box.currentText()
        figures = [
            f
            for f in self.report.figures
            if f.layer == group and f.measure == measure and f.label == "" and f.pair != ALL
        ]
        self.matrix.set_figures(self.report.annotators, figures)

    def _on_document_double_clicked(self, index: QModelIndex) -> None:
        proxy = self.document_table.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        row = proxy.mapToSource(index).row()
        self.document_chosen.emit(self.documents.row(row).document_id)

    def done(self, result: int) -> None:
        self.runner.cancel()
        self.runner.wait(5)
        super().done(result)
