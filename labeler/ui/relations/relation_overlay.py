"""What the text view draws of relations besides their arcs: which arcs are on screen, the
dashed line of a link being made, and the outline of a chosen relation's spans."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter, QPalette, QPen

from labeler.domain.annotation import Relation
from labeler.ui.editor.span_marks import Mark, SpanMarks
from labeler.ui.editor.span_painter import Line, part


def arcs_on_screen(
    marks: SpanMarks,
    links: Mapping[int, set[int]],
    relations: Mapping[int, Relation],
    lines: list[Line],
    layers: Sequence[str],
) -> tuple[dict[int, Mark], list[Relation]]:
    """The relations that touch a span on these lines, both ends in shown layers, with the
    marks of their ends (on screen or not)."""
    ends: dict[int, Mark] = {}
    found: dict[int, Relation] = {}
    if not lines:
        return ends, []
    shown = set(layers)
    for mark in marks.in_range(lines[0][0], lines[-1][1], layers):
        for relation_id in links.get(mark.id, ()):
            relation = relations[relation_id]
            head, tail = marks.get(relation.head), marks.get(relation.tail)
            if head is None or tail is None or head.layer not in shown or tail.layer not in shown:
                continue
            found[relation_id] = relation
            ends[head.id] = head
            ends[tail.id] = tail
    return ends, list(found.values())


def dashed_pen(palette: QPalette) -> QPen:
    """What marks a relation in the making or chosen: a dashed line in the text colour."""
    pen = QPen(palette.color(QPalette.ColorRole.Text), 1.5)
    pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def top_centre(mark: Mark, lines: list[Line]) -> QPointF | None:
    """The middle of the top of a span's first part on screen, if it is on screen."""
    for line in lines:
        if line[0] <= mark.start < line[1]:
            rect = part(mark, line)
            return QPointF(rect.center().x(), rect.top())
    return None


def paint_link_preview(
    painter: QPainter, pen: QPen, head: Mark, target: QPointF | Mark | None, lines: list[Line]
) -> None:
    """A dashed line from the span a link starts at to the pointer or the span chosen."""
    start = top_centre(head, lines)
    end = top_centre(target, lines) if isinstance(target, Mark) else target
    if start is None or end is None:
        return
    painter.setPen(pen)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.drawLine(start, end)
    painter.drawEllipse(end, 3, 3)


def paint_relation_ends(
    painter: QPainter, pen: QPen, ends: Sequence[Mark], lines: list[Line]
) -> None:
    """A dashed outline round both spans of the chosen relation, wherever they are on screen:
    the arc between them may run across lines."""
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for mark in ends:
        for line in lines:
            if line[0] < mark.end and mark.start < line[1]:
                painter.drawRoundedRect(part(mark, line).adjusted(-2, -1, 2, 1), 3, 3)
