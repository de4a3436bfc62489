"""Table models over an agreement report: the pooled figures per label, and the documents."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from labeler.quality.figures import Figure
from labeler.services.suggesting import SuggestionTally

if TYPE_CHECKING:  # numpy, under the measures, loads when agreement is measured
    from labeler.quality.agreement import DocumentAgreement  # noqa: F401 (the base below)

_Row = TypeVar("_Row")
Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""A value to sort a column by (numbers as numbers; an undefined figure sorts first)."""


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


class _RowsModel(QAbstractTableModel, Generic[_Row]):
    """Read-only rows of a report; columns given as (title, text of a row, sort value)."""

    columns: Sequence[tuple[str, Callable[[Any], str], Callable[[Any], Any]]] = ()
    numbers: frozenset[int] = frozenset()  # columns of figures and counts, aligned right

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[_Row] = []

    def set_rows(self, rows: Sequence[_Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> _Row:
        return self._rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        _, text, sort = self.columns[index.column()]
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text(row)
        if role == SORT_ROLE:
            return sort(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numbers:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section][0]
        return None


def _undefined_first(value: float | None) -> float:
    return -2.0 if value is None else value


class LabelFigureModel(_RowsModel[Figure]):
    """Pooled figures, one row per layer, label and measure, with their counts and notes."""

    numbers = frozenset({3, 4, 5, 6})
    columns = (
        ("Layer", lambda f: f.layer, lambda f: f.layer),
        ("Label", lambda f: f.label or "(all)", lambda f: f.label),
        ("Measure", lambda f: str(f.measure), lambda f: str(f.measure)),
        ("Value", lambda f: _figure(f.value), lambda f: _undefined_first(f.value)),
        ("Units", lambda f: f"{f.units:,}", lambda f: f.units),
        (
            "Matches",
            lambda f: "" if f.matches is None else f"{f.matches:,}",
            lambda f: f.matches or 0,
        ),
        ("Documents", lambda f: f"{f.documents:,}", lambda f: f.documents),
        ("Note", lambda f: f.note, lambda f: f.note),
    )


class DocumentAgreementModel(_RowsModel["DocumentAgreement"]):
    """The documents compared, the least agreement first."""

    numbers = frozenset({1, 2, 3, 4})
    columns = (
        ("Title", lambda d: d.title, lambda d: d.title.casefold()),
        ("Span F1", lambda d: _figure(d.span_f1), lambda d: _undefined_first(d.span_f1)),
        (
            "Tokens agreeing",
            lambda d: _figure(d.token_agreement),
            lambda d: _undefined_first(d.token_agreement),
        ),
        ("Spans", lambda d: f"{d.spans:,}", lambda d: d.spans),
        ("Tokens", lambda d: f"{d.tokens:,}", lambda d: d.tokens),
        ("Annotators", lambda d: ", ".join(d.annotators), lambda d: ", ".join(d.annotators)),
    )


class SuggestionTallyModel(_RowsModel[SuggestionTally]):
    """Per recommender (all its labels, then each label): suggestions accepted and rejected,
    and the share accepted."""

    numbers = frozenset({2, 3, 4})
    columns = (
        ("Recommender", lambda t: t.recommender, lambda t: t.recommender),
        ("Label", lambda t: t.label or "(all)", lambda t: t.label),
        ("Accepted", lambda t: f"{t.accepted:,}", lambda t: t.accepted),
        ("Rejected", lambda t: f"{t.rejected:,}", lambda t: t.rejected),
        (
            "Acceptance",
            lambda t: "-" if t.rate is None else f"{t.rate:.0%}",
            lambda t: _undefined_first(t.rate),
        ),
    )
