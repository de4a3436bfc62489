"""ArcPainter: relations drawn as labelled arcs in the room above the lines of the text.

An arc leaves the head span's top, rises to its level, runs across and comes down with an
arrow on the tail span. When the two spans lie on different lines, the arc runs from the
earlier span to the right edge of its line and comes in again from the left edge of the
other span's line, as brat draws them. Arcs on one line are stacked in levels, narrow ones
low, so that their labels do not sit on each other.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPolygonF,
)

from labeler.domain.annotation import Relation
from labeler.ui.editor.span_marks import Mark
from labeler.ui.editor.span_painter import Line, part

LEVELS = 3  # arc levels above a line; more arcs than fit share the top one
PITCH = 12  # px from one level to the next with the smallest labels (set_font: the real one)
LIFT = 3  # px between the text and the lowest level
ARC_ROOM = LIFT + LEVELS * PITCH + 2  # px above a line where LEVELS arcs or more end (PITCH)
_SPREAD = 5  # px between the ends of several arcs on one span
_ARROW = 4  # px, half the width of an arrow head
_LOOP = 18  # px, the least width of an arc: two spans on the same words get a visible loop


@dataclass
class _End:
    """Where one end of an arc meets its span: the line it is on (index) and x."""

    line: int
    x: float
    top: float


@dataclass
class _Piece:
    """The part of one arc drawn on one line: from x0 to x1 at some level."""

    relation: Relation
    line: int
    x0: float
    x1: float
    down0: bool  # the arc comes down to a span at x0 (else it runs off the line's edge)
    down1: bool
    arrow_at: float | None  # x of the arrow head on this piece, if the tail is here
    label: bool
    level: int = 0


class ArcPainter:
    """Draws the arcs of the relations whose spans are on screen; keeps their shapes for clicks."""

    def __init__(self, palette: QPalette) -> None:
        self.shapes: list[tuple[QPainterPath, QRectF | None, int]] = []  # stroke, label, id
        self.set_font(QFont())
        self._bounds = (0.0, 0.0)  # the text's left and right on screen, in the last paint
        self._avoid: QRectF | None = None
        self.set_base(palette)

    def set_font(self, ui_font: QFont) -> None:
        """Labels in small UI text of the desktop's font (`ui_font`, the widget's): see
        label_font."""
        self._font = label_font(ui_font)
        self._metrics = QFontMetricsF(self._font)
        self.pitch = math.ceil(self._metrics.height()) + 1  # px from one level to the next

    def set_base(self, palette: QPalette) -> None:
        self._base = palette.color(QPalette.ColorRole.Base)
        self._text = palette.color(QPalette.ColorRole.Text)
        self._dim = QColor(self._text)
        self._dim.setAlphaF(0.55)

    def relation_at(self, point: QPointF) -> int | None:
        """The relation whose label or arc lies under a viewport point, labels first."""
        for _, label, relation_id in reversed(self.shapes):
            if label is not None and label.contains(point):
                return relation_id
        for stroke, _, relation_id in reversed(self.shapes):
            if stroke.contains(point):
                return relation_id
        return None

    def paint(
        self,
        painter: QPainter,
        lines: list[Line],
        marks: Mapping[int, Mark],
        relations: Iterable[Relation],
        selected_span: int | None,
        selected_relation: int | None,
        avoid: QRectF | None = None,
    ) -> None:
        """Draws `relations` between `marks` (the visible spans by id) on the lines on screen;
        no label goes where `avoid` is (the selected span's tag, drawn later)."""
        self.shapes = []
        if not lines:
            return
        left = min(line[2].left() for line in lines)
        right = max(line[2].right() for line in lines)
        pieces = self._pieces(lines, marks, list(relations), left, right)
        _assign_levels(pieces, self._metrics)
        self._bounds = (left, right)
        self._avoid = avoid
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self._font)

        # Arcs of the selected span or the selected arc are drawn last, over the others.
        def strong(piece: _Piece) -> bool:
            r = piece.relation
            return r.id == selected_relation or selected_span in (r.head, r.tail)

        ordered = sorted(pieces, key=strong)
        labels = [
            self._draw(painter, p, lines[p.line], strong(p), p.relation.id == selected_relation)
            for p in ordered
        ]
        # Labels last, over every arc's line: no line runs through a label.
        for piece, (rect, emphasis) in zip(ordered, labels, strict=True):
            if rect is not None:
                self._draw_label(
                    painter, piece, rect, emphasis, piece.relation.id == selected_relation
                )

    def _pieces(
        self,
        lines: list[Line],
        marks: Mapping[int, Mark],
        relations: list[Relation],
        left: float,
        right: float,
    ) -> list[_Piece]:
        ends: dict[int, list[tuple[float, int]]] = {}  # span id -> (x of the far end, relation)
        for r in relations:
            head, tail = marks.get(r.head), marks.get(r.tail)
            if head is None or tail is None or r.id is None:
                continue
            ends.setdefault(r.head, []).append((tail.start, r.id))
            ends.setdefault(r.tail, []).append((head.start, r.id))
        # Several arcs on one span leave it side by side, ordered by where they go.
        offsets: dict[tuple[int, int], float] = {}
        for span_id, far in ends.items():
            far.sort()
            n = len(far)
            for k, (_, relation_id) in enumerate(far):
                offsets[(span_id, relation_id)] = (k - (n - 1) / 2) * _SPREAD

        def end_of(mark: Mark, relation_id: int) -> _End | None:
            for i, line in enumerate(lines):
                if line[0] <= mark.start < line[1] or (mark.start == line[1] == mark.end):
                    rect = part(mark, line)
                    shift = offsets.get((mark.id, relation_id), 0.0)
                    room = max(rect.width() / 2 - 2, 0.0)
                    x = rect.center().x() + max(-room, min(room, shift))
                    return _End(i, x, rect.top())
            return None

        pieces: list[_Piece] = []
        for r in relations:
            head, tail = marks.get(r.head), marks.get(r.tail)
            if head is None or tail is None or r.id is None:
                continue
            h, t = end_of(head, r.id), end_of(tail, r.id)
            if h is None and t is None:
                continue
            head_first = (head.start, head.id) <= (tail.start, tail.id)
            first, second = (h, t) if head_first else (t, h)
            if first is not None and second is not None and first.line == second.line:
                x0, x1 = sorted((first.x, second.x))
                tail_x = (second if head_first else first).x  # t, known here not to be None
                if x1 - x0 < _LOOP:  # the same words (a SOURCE on its PERSON): a small loop
                    centre = (x0 + x1) / 2
                    x0, x1 = centre - _LOOP / 2, centre + _LOOP / 2
                    tail_x = x1 if head_first else x0
                pieces.append(_Piece(r, first.line, x0, x1, True, True, tail_x, True))
                continue
            # On different lines (or one end off screen): a piece on each line on screen.
            if first is not None:
                arrow = first.x if first is t else None
                pieces.append(_Piece(r, first.line, first.x, right, True, False, arrow, first is h))
            if second is not None:
                arrow = second.x if second is t else None
                label = second is h or first is None
                pieces.append(_Piece(r, second.line, left, second.x, False, True, arrow, label))
        return pieces

    def _draw(
        self, painter: QPainter, piece: _Piece, line: Line, emphasis: bool, selected: bool
    ) -> tuple[QRectF | None, bool]:
        """Draws a piece's line and arrow; returns where its label goes, drawn after."""
        top = line[2].top()
        y = top - LIFT - (piece.level + 0.5) * self.pitch
        color = self._text if emphasis else self._dim
        pen = QPen(color, 2.0 if selected else 1.2 if emphasis else 1.0)
        path = QPainterPath()
        radius = min(4.0, (top - y) / 2)
        if piece.down0:
            path.moveTo(piece.x0, top - 1)
            path.lineTo(piece.x0, y + radius)
            path.quadTo(piece.x0, y, piece.x0 + radius, y)
        else:
            path.moveTo(piece.x0, y)
        if piece.down1:
            path.lineTo(piece.x1 - radius, y)
            path.quadTo(piece.x1, y, piece.x1, y + radius)
            path.lineTo(piece.x1, top - 1)
        else:
            path.lineTo(piece.x1, y)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        if piece.arrow_at is not None:
            x = piece.arrow_at
            painter.setBrush(color)
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(x, top - 1),
                        QPointF(x - _ARROW, top - 7),
                        QPointF(x + _ARROW, top - 7),
                    ]
                )
            )
        label_rect = (
            self._placed(_label_rect(piece, self._metrics, y, self.pitch)) if piece.label else None
        )
        stroker = QPainterPathStroker()
        stroker.setWidth(6)
        relation_id = piece.relation.id
        assert relation_id is not None, "pieces are made for relations with ids only"
        self.shapes.append((stroker.createStroke(path), label_rect, relation_id))
        return label_rect, emphasis

    def _placed(self, rect: QRectF) -> QRectF:
        """A label kept inside the text's width and off the selected span's tag."""
        left, right = self._bounds
        rect.moveLeft(max(left, min(rect.left(), right - rect.width())))
        avoid = self._avoid
        if avoid is not None and rect.intersects(avoid):
            after = rect.translated(avoid.right() + 3 - rect.left(), 0)
            before = rect.translated(avoid.left() - 3 - rect.right(), 0)
            rect = after if after.right() <= right or before.left() < left else before
        return rect

    def _draw_label(
        self, painter: QPainter, piece: _Piece, rect: QRectF, emphasis: bool, selected: bool
    ) -> None:
        color = self._text if emphasis else self._dim
        painter.setPen(QPen(color, 1.5 if selected else 1.0))
        painter.setBrush(self._base)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(color)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, piece.relation.type)


def label_font(ui_font: QFont) -> QFont:
    """Small UI text: a point below the desktop's font, at least its smallest readable size
    (or the font's own size, where a platform calls a larger size the smallest readable)."""
    font = QFont(ui_font)
    smallest = QFontDatabase.systemFont(QFontDatabase.SystemFont.SmallestReadableFont)
    points = ui_font.pointSizeF()
    if points > 0:
        font.setPointSizeF(max(points - 1, min(smallest.pointSizeF(), points), 7.0))
    else:  # a size in pixels
        font.setPixelSize(max(ui_font.pixelSize() - 1, 10))
    return font


def _label_rect(piece: _Piece, metrics: QFontMetricsF, y: float, pitch: float) -> QRectF:
    width = metrics.horizontalAdvance(piece.relation.type) + 8
    if piece.down0 and piece.down1:
        centre = (piece.x0 + piece.x1) / 2
    elif piece.down0:  # runs off to the right: the label near the span
        centre = piece.x0 + width / 2 + 8
    else:
        centre = piece.x1 - width / 2 - 8
    return QRectF(centre - width / 2, y - (pitch - 1) / 2, width, pitch - 1)


def _assign_levels(pieces: Sequence[_Piece], metrics: QFontMetricsF) -> None:
    """Gives each piece the lowest level where it overlaps no other piece of its line."""
    by_line: dict[int, list[_Piece]] = {}
    for piece in pieces:
        by_line.setdefault(piece.line, []).append(piece)
    for on_line in by_line.values():
        taken: list[list[tuple[float, float]]] = [[] for _ in range(LEVELS)]

        def extent(p: _Piece) -> tuple[float, float]:
            a, b = p.x0, p.x1
            if p.label:
                rect = _label_rect(p, metrics, 0.0, PITCH)
                a, b = min(a, rect.left()), max(b, rect.right())
            return a - 2, b + 2

        for piece in sorted(on_line, key=lambda p: (p.x1 - p.x0, p.x0)):
            a, b = extent(piece)
            level = next(
                (n for n, spans in enumerate(taken) if all(b <= c or d <= a for c, d in spans)),
                LEVELS - 1,
            )
            taken[level].append((a, b))
            piece.level = level
