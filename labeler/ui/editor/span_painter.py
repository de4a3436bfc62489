"""SpanPainter: draws the spans of the lines on screen: backgrounds, stacked bars, the selection."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
    QTextLine,
)
from PySide6.QtWidgets import QTextEdit

from labeler.domain.schema import LabelSchema, LayerStyle
from labeler.ui.colors import background_color, bar_color, readable_text_color
from labeler.ui.editor.span_marks import Mark, SpanMarks, assign_lanes

LANES = 3  # bar lanes of full height under each line
BAR = 3  # px height of one bar
PITCH = 4  # px from one lane to the next
MAX_LANES = 7  # deeper stacks get thinner bars (down to 1 px); beyond this they share one
GAP = 2  # px between the text and the first lane
BAR_ROOM = GAP + LANES * PITCH + 2  # px under every line for the bars

# A line on screen: its [start, end) in UTF-16 units, its text's rectangle, x of a position.
Line = tuple[int, int, QRectF, Callable[[int], float]]


def visible_lines(view: QTextEdit, below: int) -> list[Line]:
    """Every line of `view` on screen, with `below` px of room under each counted as its own."""
    dx = -view.horizontalScrollBar().value()
    dy = -view.verticalScrollBar().value()
    height = view.viewport().height()
    layout = view.document().documentLayout()
    top = view.cursorForPosition(QPoint(0, 0)).block()
    # A line with arc room above it is taller than its text (arc_room.py): its text keeps to
    # the bottom, at the type's own ascent above the baseline.
    metrics = QFontMetricsF(view.document().defaultFont())
    ascent, descent = metrics.ascent(), metrics.descent()
    result: list[Line] = []
    block = top.previous() if top.previous().isValid() else top
    while block.isValid():
        block_rect = layout.blockBoundingRect(block)
        if block_rect.top() + dy > height:
            break
        if block_rect.bottom() + dy >= 0:
            text_layout = block.layout()
            origin = text_layout.position()
            base = block.position()
            for i in range(text_layout.lineCount()):
                line = text_layout.lineAt(i)
                y = origin.y() + line.y() + dy
                if y > height or y + line.height() + below < 0:
                    continue
                x = origin.x() + dx
                above = max(line.ascent() - ascent, 0.0)  # the arc room
                under = max(line.descent() - descent, 0.0)
                tall = line.height() - above - under
                rect = QRectF(x + line.x(), y + above, line.naturalTextWidth(), tall)
                start = base + line.textStart()

                def x_of(
                    position: int, _line: QTextLine = line, _base: int = base, _x: float = x
                ) -> float:
                    return _x + _line.cursorToX(position - _base)[0]

                result.append((start, start + line.textLength(), rect, x_of))
        block = block.next()
    return result


def part(mark: Mark, line: Line) -> QRectF:
    """The rectangle of the part of `mark` on one line (right-to-left runs included)."""
    start, end, rect, x_of = line
    a = x_of(max(mark.start, start))
    b = x_of(min(mark.end, end))
    left, right = min(a, b), max(a, b)
    return QRectF(left, rect.top(), max(right - left, 2.0), rect.height())


class SpanPainter:
    """Colours by label and style for the palette in use; the bars of the last paint.

    Only the lines on screen are drawn, so an article's length costs nothing here.
    """

    def __init__(self, palette: QPalette) -> None:
        self._styles: dict[str, LayerStyle] = {}
        self._colors: dict[str, QColor] = {}
        self._fills: dict[tuple[LayerStyle, str], QColor] = {}
        self.bars: list[tuple[QRectF, int]] = []  # for hit tests: bar, span id
        self._outline: list[QRectF] = []
        self._anchors: list[QRectF] = []  # the text the selected span covers
        self.noted: list[tuple[QRectF, int]] = []  # the note markers of the last paint
        self.set_base(palette)

    def set_schema(self, schema: LabelSchema) -> None:
        self._styles = {layer.name: layer.style for layer in schema.layers}
        self._colors = {label.name: QColor(label.color) for label in schema.labels()}
        self._fills.clear()

    def set_base(self, palette: QPalette) -> None:
        self._base = palette.color(QPalette.ColorRole.Base)
        self._text = palette.color(QPalette.ColorRole.Text)
        self._fills.clear()

    def fill(self, label: str, style: LayerStyle) -> QColor:
        color = self._fills.get((style, label))
        if color is None:
            source = self._colors.get(label, QColor("#999999"))
            color = (
                background_color(source, self._base)
                if style is LayerStyle.BACKGROUND
                else bar_color(source, self._base)
            )
            self._fills[(style, label)] = color
        return color

    def _layers(self, layers: Sequence[str], background: bool) -> list[str]:
        return [n for n in layers if (self._styles.get(n) is LayerStyle.BACKGROUND) == background]

    def paint_backgrounds(
        self,
        painter: QPainter,
        lines: list[Line],
        marks: SpanMarks,
        layers: Sequence[str],
        selected: int | None,
    ) -> None:
        """Background spans, under the text."""
        self._outline, self._anchors = [], []
        names = self._layers(layers, background=True)
        for line in lines:
            for mark in marks.in_range(line[0], line[1], names):
                rect = part(mark, line)
                painter.fillRect(rect, self.fill(mark.label, LayerStyle.BACKGROUND))
                if mark.id == selected:
                    self._outline.append(rect)
                    self._anchors.append(rect)

    def paint_bars(
        self,
        painter: QPainter,
        lines: list[Line],
        marks: SpanMarks,
        layers: Sequence[str],
        selected: int | None,
    ) -> None:
        """Bar spans in lanes under the text; every bar of a deep stack stays visible."""
        self.bars = []
        names = self._layers(layers, background=False)
        lanes: dict[int, int] = {}
        if lines:
            lanes = assign_lanes(marks.in_range(lines[0][0], lines[-1][1], names), MAX_LANES)
        for line in lines:
            on_line = list(marks.in_range(line[0], line[1], names))
            depth = max((lanes.get(m.id, 0) for m in on_line), default=0) + 1
            # A deep stack shares the line's room with thinner bars.
            pitch = PITCH if depth <= LANES else max(2, (LANES * PITCH) // depth)
            thickness = BAR if depth <= LANES else pitch - 1
            for mark in on_line:
                rect = part(mark, line)
                top = rect.bottom() + GAP + lanes.get(mark.id, MAX_LANES - 1) * pitch
                bar = QRectF(rect.left(), top, rect.width(), thickness)
                painter.fillRect(bar, self.fill(mark.label, LayerStyle.BAR))
                self.bars.append((QRectF(bar.left(), top, bar.width(), pitch), mark.id))
                if mark.id == selected:
                    self._outline.append(bar)
                    self._anchors.append(rect)

    def paint_note_markers(
        self, painter: QPainter, lines: list[Line], marks: SpanMarks, layers: Sequence[str]
    ) -> None:
        """A small corner at the end of each span that has a note (as a spreadsheet's cell)."""
        self.noted = []
        for line in lines:
            for mark in marks.in_range(line[0], line[1], layers):
                if not mark.note or not line[0] < mark.end <= line[1]:
                    continue
                rect = part(mark, line)
                size = min(6.0, rect.height() / 2)
                right = rect.right() if mark.end > mark.start else rect.left()
                corner = QPolygonF(
                    [
                        QPointF(right - size, rect.top()),
                        QPointF(right, rect.top()),
                        QPointF(right, rect.top() + size),
                    ]
                )
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._colors.get(mark.label, self._text).darker(150))
                painter.drawPolygon(corner)
                self.noted.append((corner.boundingRect(), mark.id))

    def selection_tag(self, base: QFont, label: str, points: float) -> tuple[QRectF, QFont] | None:
        """Where the selected span's tag goes (above its first piece) and its font; None
        when no span is selected on screen. Known before the arcs are drawn, so their
        labels keep off it."""
        if not self._anchors:
            return None
        first = min(self._anchors, key=lambda r: (r.top(), r.left()))
        font = QFont(base)
        font.setPointSizeF(max(points * 0.6, 7.0))
        font.setBold(True)
        metrics = QFontMetricsF(font)
        height = metrics.height() + 2
        tag = QRectF(
            first.left() - 1, first.top() - height - 2, metrics.horizontalAdvance(label) + 8, height
        )
        if tag.top() < 0:
            tag.moveTop(first.bottom() + 2)
        return tag, font

    def paint_selection(self, painter: QPainter, label: str, points: float) -> None:
        """An outline round the selected span's pieces and its label in a tag above them."""
        placed = self.selection_tag(painter.font(), label, points)
        if not self._outline or placed is None:
            return
        painter.setPen(QPen(self._text, 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for rect in self._outline:
            painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 2, 2)
        tag, font = placed
        painter.setFont(font)
        fill = self.fill(label, LayerStyle.BAR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(tag, 3, 3)
        painter.setPen(readable_text_color(fill))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, label)
