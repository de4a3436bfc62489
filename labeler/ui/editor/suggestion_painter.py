"""SuggestionPainter: suggestions drawn as dashed outlines with no fill, never like a span."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from labeler.ui.editor.span_painter import Line

_OUTLINE = QColor(120, 120, 120)
_CURRENT = QColor(30, 90, 200)


class SuggestionPainter:
    """Outlines [start, end) ranges (UTF-16 units) on the lines on screen; the current one
    (stepped to, or under the caret) thicker and blue."""

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []
        self.current: int | None = None  # index into ranges
        self.outlines: list[tuple[QRectF, int]] = []  # what the last paint drew, for tests

    def paint(self, painter: QPainter, lines: list[Line]) -> None:
        self.outlines = []
        if not self.ranges:
            return
        painter.save()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for n, (start, end) in enumerate(self.ranges):
            current = n == self.current
            pen = QPen(_CURRENT if current else _OUTLINE, 2.0 if current else 1.0)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            for line_start, line_end, rect, x_of in lines:
                if end <= line_start or start >= line_end:
                    continue
                left = x_of(max(start, line_start))
                right = x_of(min(end, line_end))
                box = QRectF(left - 1, rect.top(), max(right - left, 2.0) + 2, rect.height())
                painter.drawRect(box)
                self.outlines.append((box, n))
        painter.restore()
