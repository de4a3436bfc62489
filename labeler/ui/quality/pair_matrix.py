"""PairMatrixView: one agreement figure for every pair of annotators, painted as a heat map."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from labeler.quality.figures import Figure, pair_name

UNDEFINED = QColor("#d9d9d9")
_CELL = 72
_MARGIN = 8


def heat_color(value: float | None) -> QColor:
    """Red for no agreement (0 or below), through yellow, to green for full agreement (1)."""
    if value is None:
        return UNDEFINED
    share = min(max(value, 0.0), 1.0)
    hue = share * 120 / 360  # 0 red .. 120 green
    return QColor.fromHsvF(hue, 0.55, 0.95)


class PairMatrixView(QWidget):
    """Annotators down and across; each cell a pair's figure, coloured by its value; the
    diagonal is empty. Hovering a cell tells the counts behind the figure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pair_matrix")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._annotators: tuple[str, ...] = ()
        self._figures: dict[str, Figure] = {}

    def set_figures(self, annotators: Sequence[str], figures: Sequence[Figure]) -> None:
        """Shows the figures of one measure, one per pair (named by pair_name)."""
        self._annotators = tuple(annotators)
        self._figures = {f.pair: f for f in figures}
        self.updateGeometry()
        self.update()

    def figure_at(self, row: int, column: int) -> Figure | None:
        """The figure of the pair in that cell (either order); None on the diagonal."""
        if row == column:
            return None
        a, b = self._annotators[row], self._annotators[column]
        return self._figures.get(pair_name(a, b)) or self._figures.get(pair_name(b, a))

    def cell_text(self, row: int, column: int) -> str:
        """What the cell shows: the figure to three places, "-" where it is undefined."""
        if row == column:
            return ""
        figure = self.figure_at(row, column)
        if figure is None or figure.value is None:
            return "-"
        return f"{figure.value:.3f}"

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(a) for a in self._annotators), default=0) + 12

    def cell_rect(self, row: int, column: int) -> QRect:
        left = _MARGIN + self._label_width()
        top = _MARGIN + self.fontMetrics().height() + 8
        return QRect(left + column * _CELL, top + row * _CELL, _CELL, _CELL)

    def sizeHint(self) -> QSize:
        n = len(self._annotators)
        corner = self.cell_rect(n, n)
        return QSize(corner.left() + _MARGIN, corner.top() + _MARGIN)

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        for row in range(len(self._annotators)):
            for column in range(len(self._annotators)):
                if self.cell_rect(row, column).contains(point):
                    return row, column
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        label_width = self._label_width()
        for i, name in enumerate(self._annotators):
            top = self.cell_rect(0, i)
            painter.drawText(
                QRect(top.left(), _MARGIN, _CELL, metrics.height() + 4),
                Qt.AlignmentFlag.AlignCenter,
                name,
            )
            side = self.cell_rect(i, 0)
            painter.drawText(
                QRect(_MARGIN, side.top(), label_width - 6, _CELL),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                name,
            )
        for row in range(len(self._annotators)):
            for column in range(len(self._annotators)):
                rect = self.cell_rect(row, column)
                if row == column:
                    painter.fillRect(rect, self.palette().window())
                else:
                    figure = self.figure_at(row, column)
                    painter.fillRect(rect, heat_color(figure.value if figure else None))
                    painter.setPen(QColor("#202020"))
                    painter.drawText(
                        rect, Qt.AlignmentFlag.AlignCenter, self.cell_text(row, column)
                    )
                painter.setPen(self.palette().mid().color())
                painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            figure = self.figure_at(*cell) if cell is not None else None
            if figure is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), tooltip(figure), self)
            return True
        return super().event(event)


def tooltip(figure: Figure) -> str:
    """The counts behind a figure, and why it is undefined where it is."""
    parts = [f"{figure.measure} — {figure.pair}", f"units: {figure.units:,}"]
    if figure.matches is not None:
        parts.append(f"matches: {figure.matches:,}")
    parts.append(f"documents: {figure.documents:,}")
    if figure.note:
        parts.append(figure.note)
    return "\n".join(parts)
