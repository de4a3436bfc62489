"""The tooltip over the text: the labels and notes of the spans (and the arc) under the pointer."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QToolTip

from labeler.domain.annotation import Relation
from labeler.ui.editor.span_marks import SpanMarks

if TYPE_CHECKING:
    from labeler.ui.editor.text_view import AnnotatedTextView


def tooltip_text(marks: SpanMarks, span_ids: Iterable[int], relation: Relation | None) -> str:
    """Rich text for the spans under the pointer and the arc there; empty when there is none."""
    lines = []
    if relation is not None and relation.note:  # an arc's note
        lines.append(f"<b>{relation.type}</b> \u270e {html.escape(relation.note)}")
    for span_id in span_ids:
        mark = marks.get(span_id)
        if mark is not None:
            lines.append(f"<b>{mark.label}</b> <i>{mark.layer}</i>")
            if mark.note:
                lines.append(f"\u270e {html.escape(mark.note)}")
    return "<br>".join(lines)


def show_tooltip(view: AnnotatedTextView, event: QHelpEvent) -> None:
    """Shows the tooltip for the pointer's place on `view`, or hides it over nothing."""
    relation_id = view.arcs.relation_at(QPointF(event.pos()))
    relation = view.relations.get(relation_id) if relation_id is not None else None
    text = tooltip_text(view.marks, view.span_ids_at(event.pos()), relation)
    if text:
        QToolTip.showText(event.globalPos(), text, view.viewport())
    else:
        QToolTip.hideText()
