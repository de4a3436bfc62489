"""AnnotatedTextView: an article's text with its spans drawn as backgrounds and stacked bars."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from labeler.domain.annotation import AnnotationSet, Relation, Span
from labeler.domain.schema import LabelSchema
from labeler.services.annotating import EditSession
from labeler.ui.editor import text_geometry, view_following
from labeler.ui.editor.annotation_model import AnnotationModel
from labeler.ui.editor.first_screen import FirstScreen
from labeler.ui.editor.span_marks import SpanMarks
from labeler.ui.editor.span_painter import BAR_ROOM, Line, SpanPainter, visible_lines
from labeler.ui.editor.span_tooltip import show_tooltip
from labeler.ui.editor.text_document import new_document
from labeler.ui.editor.text_input import TextInput
from labeler.ui.editor.view_painting import OverText, paint_over_text
from labeler.ui.editor.view_relations import ViewRelations
from labeler.ui.relations.arc_painter import ArcPainter

_LINE_DISTANCE = BAR_ROOM
_DOCUMENT_MARGIN = 24
_MEASURED = 2_000  # characters measured at a time to bound what the first screen shows
_MIN_POINTS, _MAX_POINTS = 7.0, 40.0


class AnnotatedTextView(QTextEdit):
    """Read-only text with a caret; draws only the spans of the lines on screen.

    Offsets in and out are code points; Qt's UTF-16 positions stay inside this class.
    The view keeps no annotation state of its own beyond where to draw: it follows the
    annotation model (follow), which tells it of each stored change. What keys and the mouse
    do is decided by its input state (text_input.py); the view paints, hit-tests and keeps
    the selection.
    """

    span_clicked = Signal(object)  # span id, or None for a click on unlabelled text
    label_key = Signal(str, bool)  # label whose hotkey was pressed with Alt: exact characters
    delete_requested = Signal(int)
    resize_requested = Signal(int, str, int)  # span id, "start" or "end", tokens (+1/-1)
    selected_span_changed = Signal(object)
    # Relations: R or Ctrl+drag links two spans; an arc is selected by a click.
    # The spans a link may start from and go to, likeliest first (spans overlap under a
    # pointer: the editor takes the first pair the schema allows a relation between).
    link_requested = Signal(list, list)
    link_mode_changed = Signal(object)  # the span a link is being made from, or None
    selected_relation_changed = Signal(object)  # relation id or None
    relation_delete_requested = Signal(int)
    relation_edit_requested = Signal(int)  # Enter on a selected arc: change its type

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # First: Qt sends events while the view is set up.
        self._first = FirstScreen(self)  # what runs after the first screen's paint
        self._input = TextInput(self)
        self.setObjectName("text_view")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setMouseTracking(True)
        self._marks = SpanMarks()
        self._selected: int | None = None
        self._hidden: set[str] = set()
        self._painter = SpanPainter(self.palette())
        # Painted over the spans on every paint: (painter, lines on screen).
        self.overlays: list[Callable[[QPainter, list[Line]], None]] = []
        self._arcs = ArcPainter(self.palette())
        self._arcs.set_font(self.font())
        self._line_distance = _LINE_DISTANCE  # room under each line: bars, and lanes if any
        self._relations = ViewRelations(self, lambda: self._arcs.pitch)
        self._hotkeys: dict[str, str] = {}
        self._point_size = max(self.font().pointSizeF(), 10.0) * 1.25
        self._document: QTextDocument | None = None
        self.set_schema(schema)
        self.set_content("", ())

    # -- content
    def set_schema(self, schema: LabelSchema) -> None:
        """Draws with a project's schema; every layer shows again, as in a new palette."""
        self._schema = schema
        self._hidden = set()
        self._painter.set_schema(schema)
        self._hotkeys = {
            QKeySequence(label.hotkey).toString(): label.name
            for label in schema.labels()
            if label.hotkey
        }
        self.viewport().update()

    def set_content(
        self,
        text: str,
        spans: Iterable[Span] | AnnotationSet,
        relations: Iterable[Relation] = (),
        expected: Iterable[int] = (),
    ) -> None:
        """Shows a new text with its spans (an annotation set's: drawn from the set itself,
        which must then tell each change) and relations; the caret goes to the start.

        `expected`: where the end spans of relations to be drawn later begin (code points);
        their paragraphs get room for arcs now: nothing moves when they come.
        """
        document = new_document(
            self, text, self._document_font(), _DOCUMENT_MARGIN, self._line_distance
        )
        self.setDocument(document)
        # Qt drops the editor's first document itself, but not the ones set later.
        if self._document is not None:
            self._document.deleteLater()
        self._document = document
        self._marks.reset(text, spans)
        self._selected = None
        self._relations.selected = None
        self._set_link_head(None)
        self._relations.room.reset(document, self._marks, text)
        self._relations.by_id = {}
        self.set_relations(relations, expected=expected)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.viewport().update()

    def set_lane_room(self, pixels: int) -> None:
        """Room under each line's bars for more lanes (curation: one per annotator), from the
        next text shown (set_content) on."""
        self._line_distance = _LINE_DISTANCE + pixels

    def screen_end(self, text: str) -> int:
        """Where the paragraphs on screen end at most, in code points, when the view shows
        the start of `text`.

        See text_document.screen_end.
        """
        return self._first.screen_end(text, self._document_font(), _DOCUMENT_MARGIN)

    def after_next_paint(self, callback: Callable[[], None]) -> None:
        """Calls `callback` in the turn of the event loop after the view's first paint of its
        first screen (in the next turn if the view is hidden and will not paint).

        Sooner if need be: before the view handles a key, a click or a wheel turn, or paints
        anything but its first screen.
        """
        self._first.after_next_paint(callback)

    def show_first_screen(
        self,
        session: EditSession,
        spans: Iterable[Span],
        relations: Iterable[Relation],
        expected: Iterable[int],
    ) -> None:
        """Shows a session's text with what its first screen draws (EditSession.part), before
        its model opens it: then only the rest of its spans and relations come."""
        self.set_content(session.document.text, spans, relations, expected)
        self._first.session = session

    def take_first_screen(self) -> EditSession | None:
        """The session shown with its first screen only (show_first_screen), once."""
        return self._first.take_session()

    def follow(self, model: AnnotationModel) -> None:
        """Draws the model's open set and each change of it (view_following.py)."""
        view_following.follow(self, model)

    def set_spans(self, spans: Iterable[Span] | AnnotationSet) -> None:
        """Replaces every span drawn, keeping the text."""
        self._marks.reset(None, spans)
        if self._selected is not None and self._selected not in self._marks:
            self.select_span(None, reveal=False)
        self.viewport().update()

    def add_span(self, span: Span) -> None:
        self._marks.add(span)
        self.viewport().update()

    def remove_span(self, span_id: int) -> None:
        """Stops drawing a span and the relations that touched it."""
        for relation_id in list(self._relations.links.get(span_id, ())):
            self.remove_relation(relation_id)
        self._marks.remove(span_id)
        if self._selected == span_id:
            self.select_span(None)
        if self.link_head == span_id:
            self._set_link_head(None)
        self.viewport().update()

    def update_span(self, span: Span) -> None:
        self._marks.update(span)
        self._relations.span_moved(span.id)  # type: ignore[arg-type]
        self.viewport().update()

    # -- relations
    def set_relations(
        self,
        relations: Iterable[Relation],
        *,
        expected: Iterable[int] = (),
    ) -> None:
        """Replaces every relation drawn; the paragraphs near the screen get their arc room
        now, the rest as the view comes near them (arc_room.py). `expected`: see set_content.
        """
        self._relations.set_all(relations, expected=expected)

    def add_relation(self, relation: Relation) -> None:
        self._relations.add(relation)

    def remove_relation(self, relation_id: int) -> None:
        self._relations.remove(relation_id)

    def update_relation(self, relation: Relation) -> None:
        self.remove_relation(relation.id)  # type: ignore[arg-type]
        self.add_relation(relation)

    def set_arcs_visible(self, visible: bool) -> None:
        """Shows or hides the relations' arcs, giving back the room they take above lines."""
        self._relations.set_arcs_visible(visible)

    def line_room(self, block_number: int) -> dict[int, int]:
        """The arc room above the lines of a paragraph: line index -> px (arc_room.py)."""
        return self._relations.room.line_room(block_number)

    @property
    def relations(self) -> dict[int, Relation]:
        return dict(self._relations.by_id)

    @property
    def arcs(self) -> ArcPainter:
        return self._arcs

    @property
    def selected_relation(self) -> int | None:
        return self._relations.selected

    def select_relation(self, relation_id: int | None) -> None:
        """Selects an arc (None: none); selecting one lets go of the selected span."""
        self._relations.select(relation_id)

    @property
    def input(self) -> TextInput:
        """What decides what keys and the mouse do: the current input state."""
        return self._input

    @property
    def link_head(self) -> int | None:
        """The span a relation is being made from (after R), or None."""
        return self._input.link_head

    def _set_link_head(self, span_id: int | None) -> None:
        """Starts a link from a span, or (None) ends the one being made (new text, head gone)."""
        self._input.set_link_head(span_id)

    def label_of_hotkey(self, keys: str) -> str | None:
        """The label whose hotkey is `keys` ("p", "Shift+P"), or None."""
        return self._hotkeys.get(keys)

    @property
    def marks(self) -> SpanMarks:
        return self._marks

    @property
    def bars(self) -> list[tuple[QRectF, int]]:
        """The bars of the last paint, in viewport coordinates, with their span ids."""
        return list(self._painter.bars)

    # -- layers and zoom
    def set_layer_visible(self, layer: str, visible: bool) -> None:
        if visible:
            self._hidden.discard(layer)
        else:
            self._hidden.add(layer)
            mark = self._marks.get(self._selected) if self._selected is not None else None
            if mark is not None and mark.layer == layer:
                self.select_span(None)
        self.viewport().update()

    def visible_layers(self) -> list[str]:
        return [layer.name for layer in self._schema.layers if layer.name not in self._hidden]

    def _document_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(self._point_size)
        return font

    @property
    def point_size(self) -> float:
        return self._point_size

    def set_point_size(self, points: float) -> None:
        """Sets the type size, keeping the passage at the top of the view in place."""
        self._point_size = min(max(points, _MIN_POINTS), _MAX_POINTS)

        def retype() -> None:
            self.document().setDefaultFont(self._document_font())
            self._relations.room.refresh()  # new lines, and the room in the new type

        text_geometry.keep_top_in_place(self, retype)

    def zoom(self, steps: int) -> None:
        self.set_point_size(self._point_size * (1.1**steps))

    # -- selection
    @property
    def selected_span(self) -> int | None:
        return self._selected

    def select_span(
        self, span_id: int | None, *, reveal: bool = True, caret_at_end: bool = False
    ) -> None:
        """Outlines a span (None: no span), moving the caret to its start (or end)."""
        if span_id is not None and span_id not in self._marks:
            span_id = None
        changed = span_id != self._selected
        self._selected = span_id
        if span_id is not None and self._relations.selected is not None:
            self.select_relation(None)
        if span_id is not None:
            mark = self._marks.get(span_id)
            assert mark is not None
            if reveal:
                self.reveal(mark.start, mark.end)
            cursor = self.textCursor()
            cursor.setPosition(mark.end if caret_at_end else mark.start)
            self.setTextCursor(cursor)
            if reveal or caret_at_end:
                self._keep_bars_in_view()
        self.viewport().update()
        if changed:
            self.selected_span_changed.emit(span_id)

    def reveal(self, start: int, end: int) -> None:
        """Scrolls so that [start, end) in UTF-16 units is on screen (if it is not already)."""
        text_geometry.reveal(self, start, end)

    def selected_range(self) -> tuple[int, int] | None:
        """The selected text as [start, end) code points, or None when nothing is selected."""
        return text_geometry.selected_range(self, self._marks.from_utf16)

    def select_range(self, start: int, end: int) -> None:
        """Selects [start, end) in code points, as a person would with the mouse."""
        text_geometry.select_range(self, self._marks.to_utf16(start), self._marks.to_utf16(end))

    def caret(self) -> int:
        return self._marks.from_utf16(self.textCursor().position())

    # -- hit tests
    def span_ids_at(self, point: QPoint) -> list[int]:
        """Spans under a viewport point, shortest first: bars first, then the text's spans."""
        found = [span_id for rect, span_id in self._painter.bars if rect.contains(QPointF(point))]
        position = text_geometry.character_at(self, point)  # UTF-16 units; None off the text
        if position is not None:
            found += [m.id for m in self._marks.at(position, self.visible_layers())]
        return list(dict.fromkeys(found))

    # -- events: the input state decides; what it leaves is a read-only QTextEdit's
    def viewportEvent(self, event: QEvent) -> bool:
        self._first.before_event(event)  # a click or a wheel turn on the text
        return super().viewportEvent(event)

    def event(self, event: QEvent) -> bool:
        self._first.before_event(event)
        if self._input.event(event):
            return True
        if event.type() == QEvent.Type.ToolTip:
            show_tooltip(self, event)  # type: ignore[arg-type]
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._input.key_press(event):
            return
        super().keyPressEvent(event)
        self._keep_bars_in_view()

    def _keep_bars_in_view(self) -> None:
        """Scrolls a little further when the caret's line is on screen but its bars are not."""
        text_geometry.keep_room_below_caret(self, BAR_ROOM)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._input.mouse_press(event):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._input.mouse_move(event):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._input.mouse_release(event):
            return
        super().mouseReleaseEvent(event)
        self._input.released(event)

    # -- painting
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._painter.set_base(self.palette())
            self._arcs.set_base(self.palette())
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self._document is not None:
            # The desktop's font changed: the arcs' labels follow it, the text its family.
            self._arcs.set_font(self.font())
            self.set_point_size(self._point_size)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._relations.room.refresh()  # the lines broke elsewhere
        else:
            self._relations.room.follow_screen()  # more paragraphs may show

    def paintEvent(self, event: QPaintEvent) -> None:
        """Backgrounds under the text, the text, then bars, outline and tag over it."""
        self._first.before_paint()
        viewport = self.viewport()
        lines = visible_lines(self, self._line_distance)
        layers = self.visible_layers()
        marks = self._marks
        selected = self._selected
        with QPainter(viewport) as painter:
            self._painter.paint_backgrounds(painter, lines, marks, layers, selected)
        super().paintEvent(event)
        with QPainter(viewport) as painter:
            over_text = OverText(
                self._painter,
                self._arcs,
                marks,
                self._relations,
                layers,
                selected,
                self._point_size,
                self._input,
                self.palette(),
            )
            paint_over_text(painter, lines, over_text)
            for overlay in self.overlays:  # suggestions (SuggestionController) and the like
                overlay(painter, lines)
        self._first.after_paint()
