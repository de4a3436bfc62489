"""CurationLanes: every annotator's spans as a thin lane each under every line, under the
curated set's own bars; what is still open solid and outlined, what is settled faint."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from labeler.domain.annotation import AnnotationSet
from labeler.domain.schema import LabelSchema
from labeler.quality.curation import SpanKey, span_key
from labeler.ui.editor.span_marks import SpanMarks
from labeler.ui.editor.span_painter import BAR_ROOM, Line, part

ROW = 3  # px height of one layer's row in an annotator's lane
ROW_PITCH = 4  # px from one layer's row to the next
GAP = 4  # px between two annotators' lanes
FIRST = 3  # px between the curated set's bars and the first lane
_CURRENT = QColor(30, 90, 200)
_SETTLED_ALPHA = 70


def lane_pitch(layers: int) -> int:
    """The px from one annotator's lane to the next: a row per layer, then a gap."""
    return max(layers, 1) * ROW_PITCH + GAP


def lane_room(annotators: int, layers: int) -> int:
    """The px under the bars that `annotators` lanes of `layers` rows take."""
    return FIRST + annotators * lane_pitch(layers) if annotators else 0


class CurationLanes:
    """Paints, for the lines on screen, one lane per annotator (in the order given); a span
    is drawn in its label's colour, solid with a dark edge while `is_open(key)`, faint once
    settled. The current disagreement's places get a blue frame over the text and lanes."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._marks: list[SpanMarks] = []
        self._sets: list[AnnotationSet] = []
        self._colors: dict[str, QColor] = {}
        self._rows: dict[str, int] = {}  # layer -> its row in every lane
        self.layers: Callable[[], Sequence[str]] = lambda: ()
        self.is_open: Callable[[SpanKey], bool] = lambda _key: False
        self.current: list[tuple[int, int]] = []  # UTF-16 ranges of the current disagreement
        self.drawn: list[tuple[str, QRectF, bool]] = []  # last paint: annotator, lane, open

    def show(self, text: str, schema: LabelSchema, sets: dict[str, AnnotationSet]) -> None:
        """Draws these annotators' sets over `text` (empty: none)."""
        self.names = sorted(sets)
        self._sets = [sets[n] for n in self.names]
        self._marks = []
        shared: SpanMarks | None = None
        for chosen in self._sets:
            marks = SpanMarks()
            if shared is None:
                marks.reset(text, chosen)
                shared = marks
            else:
                marks.share_map(shared)
                marks.reset(None, chosen)
            self._marks.append(marks)
        self._colors = {label.name: QColor(label.color) for label in schema.labels()}
        self._rows = {layer.name: n for n, layer in enumerate(schema.layers)}
        self.current = []

    def paint(self, painter: QPainter, lines: list[Line]) -> None:
        self.drawn = []
        if not self._marks or not lines:
            return
        layers = list(self.layers())
        painter.save()
        pitch = lane_pitch(len(self._rows))
        font = QFont(painter.font())
        font.setPixelSize(max(8, pitch - GAP))
        painter.setFont(font)
        for line in lines:
            if line[1] <= line[0]:
                continue  # an empty line: nobody's spans
            top = line[2].bottom() + BAR_ROOM + FIRST
            for n, (marks, chosen) in enumerate(zip(self._marks, self._sets, strict=True)):
                y = top + n * pitch
                self._paint_number(painter, line, n, y, pitch - GAP)
                for mark in marks.in_range(line[0], line[1], layers):
                    key = span_key(chosen.spans[mark.id])
                    is_open = self.is_open(key)
                    rect = part(mark, line)
                    row = y + self._rows.get(mark.layer, 0) * ROW_PITCH
                    lane = QRectF(rect.left(), row, rect.width(), ROW)
                    color = QColor(self._colors.get(mark.label, QColor("#999999")))
                    if not is_open:
                        color.setAlpha(_SETTLED_ALPHA)
                    painter.fillRect(lane, color)
                    if is_open:  # a dark edge marks what is still to decide
                        painter.fillRect(
                            QRectF(lane.left(), lane.bottom(), lane.width(), 1), color.darker(200)
                        )
                    self.drawn.append((self.names[n], lane, is_open))
        self._paint_current(painter, lines)
        painter.restore()

    def _paint_number(self, painter: QPainter, line: Line, n: int, y: float, height: int) -> None:
        """The annotator's number in the margin, left of their lane (the bar above names them)."""
        box = QRectF(line[2].left() - 16, y - 1, 12, height + 2)
        painter.setPen(QColor(110, 110, 110))
        painter.drawText(
            box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(n + 1)
        )

    def _paint_current(self, painter: QPainter, lines: list[Line]) -> None:
        if not self.current:
            return
        painter.setPen(QPen(_CURRENT, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        height = BAR_ROOM + lane_room(len(self._marks), len(self._rows))
        for start, end in self.current:
            for line in lines:
                if end <= line[0] or start >= line[1]:
                    continue
                _, _, rect, x_of = line
                left = x_of(max(start, line[0]))
                right = x_of(min(end, line[1]))
                painter.drawRoundedRect(
                    QRectF(
                        left - 2, rect.top() - 1, max(right - left, 2) + 4, rect.height() + height
                    ),
                    3,
                    3,
                )
