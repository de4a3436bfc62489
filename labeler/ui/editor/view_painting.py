"""What a text view paints over its text: bars, note markers, arcs, selection, link preview."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainter, QPalette

from labeler.ui.editor.span_marks import Mark, SpanMarks
from labeler.ui.editor.span_painter import Line, SpanPainter
from labeler.ui.editor.text_input import TextInput
from labeler.ui.editor.view_relations import ViewRelations
from labeler.ui.relations.arc_painter import ArcPainter
from labeler.ui.relations.relation_overlay import (
    arcs_on_screen,
    dashed_pen,
    paint_link_preview,
    paint_relation_ends,
)


@dataclass
class OverText:
    """The state of a view that its paint over the text reads (one paint's worth)."""

    spans: SpanPainter
    arcs: ArcPainter
    marks: SpanMarks
    relations: ViewRelations
    layers: list[str]
    selected: int | None
    point_size: float
    input: TextInput
    palette: QPalette


def paint_over_text(painter: QPainter, lines: list[Line], view: OverText) -> None:
    """Bars, note markers, arcs, the selection's outline and tag, then the link preview and
    the selected relation's ends."""
    marks, selected = view.marks, view.selected
    view.spans.paint_bars(painter, lines, marks, view.layers, selected)
    view.spans.paint_note_markers(painter, lines, marks, view.layers)
    mark = marks.get(selected) if selected is not None else None
    drawn = view.relations
    if drawn.by_id and drawn.room.shown:
        tag = (
            view.spans.selection_tag(painter.font(), mark.label, view.point_size)
            if mark is not None
            else None
        )
        # The arcs of the relations that touch a span on screen, in shown layers, their
        # labels off the selected span's tag.
        ends, relations = arcs_on_screen(marks, drawn.links, drawn.by_id, lines, view.layers)
        view.arcs.paint(
            painter,
            lines,
            ends,
            relations,
            selected,
            drawn.selected,
            tag[0] if tag else None,
        )
    else:
        view.arcs.shapes = []
    if mark is not None:
        view.spans.paint_selection(painter, mark.label, view.point_size)
    _paint_link_preview(painter, lines, view)
    _paint_relation_ends(painter, lines, view)


def _paint_link_preview(painter: QPainter, lines: list[Line], view: OverText) -> None:
    head_id = view.input.preview_head
    head = view.marks.get(head_id) if head_id is not None else None
    if head is None:
        return
    target: QPointF | Mark | None = view.input.pointer
    if target is None and view.selected is not None and view.selected != head_id:
        target = view.marks.get(view.selected)
    paint_link_preview(painter, dashed_pen(view.palette), head, target, lines)


def _paint_relation_ends(painter: QPainter, lines: list[Line], view: OverText) -> None:
    relation = view.relations.by_id.get(view.relations.selected)  # type: ignore[arg-type]
    if relation is not None:
        ends = [view.marks.get(relation.head), view.marks.get(relation.tail)]
        pen = dashed_pen(view.palette)
        paint_relation_ends(painter, pen, [m for m in ends if m is not None], lines)
