"""AnnotatedTextView: an article's text with its spans drawn as backgrounds and stacked bars."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from labeler.domain.annotation import AnnotationSet, Relation, Span
from labeler.domain.schema import LabelSchema
from labeler.services.annotating import EditSession
from labeler.ui.editor import text_geometry
from labeler.ui.editor.annotation_model import AnnotationModel
from labeler.ui.editor.span_marks import Mark, SpanMarks
from labeler.ui.editor.span_painter import BAR_ROOM, Line, SpanPainter, visible_lines
from labeler.ui.editor.text_input import TextInput
from labeler.ui.relations.arc_painter import ArcPainter
from labeler.ui.relations.arc_room import ArcRoom
from labeler.ui.relations.relation_overlay import (
    arcs_on_screen,
    dashed_pen,
    paint_link_preview,
    paint_relation_ends,
)

_LINE_DISTANCE = BAR_ROOM
_DOCUMENT_MARGIN = 24
_MEASURED = 2_000  # characters measured at a time to bound what the first screen shows
_MIN_POINTS, _MAX_POINTS = 7.0, 40.0

# What may act on spans beyond the first screen (ShortcutOverride precedes a label hotkey).
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
    }
)


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
    # What to run after the first screen's paint (see after_next_paint); on the class, as Qt
    # sends events before __init__ is through.
    _after_paint: Callable[[], None] | None = None
    _measured = QSize()  # the viewport's size when screen_end was last measured
    _first_screen: EditSession | None = None  # shown with its first screen only

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._input = TextInput(self)  # first: Qt sends events while the view is set up
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
        self._relations: dict[int, Relation] = {}
        self._links: dict[int, set[int]] = {}  # span id -> ids of the relations touching it
        # Paragraphs given room above their lines for arcs: block number -> relation ends in it.
        self._room = ArcRoom(self, _LINE_DISTANCE)
        self._selected_relation: int | None = None
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
        document = QTextDocument(self)
        document.setUndoRedoEnabled(False)
        document.setDocumentMargin(_DOCUMENT_MARGIN)
        document.setDefaultFont(self._document_font())
        # News in a left-to-right language: a paragraph that opens with an Arabic or Hebrew
        # name stays left to right (its right-to-left runs still read right to left).
        option = document.defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.LeftToRight)
        document.setDefaultTextOption(option)
        root = document.rootFrame().frameFormat()
        # The last line's bars stay in view.
        root.setBottomMargin(_DOCUMENT_MARGIN + 2 * _LINE_DISTANCE)
        document.rootFrame().setFrameFormat(root)
        cursor = QTextCursor(document)
        block = QTextBlockFormat()
        # Room under every line for the bar lanes; new blocks inherit the format as text goes in.
        block.setLineHeight(
            _LINE_DISTANCE, QTextBlockFormat.LineHeightTypes.LineDistanceHeight.value
        )
        cursor.setBlockFormat(block)
        cursor.insertText(text)
        self.setDocument(document)
        # Qt drops the editor's first document itself, but not the ones set later.
        if self._document is not None:
            self._document.deleteLater()
        self._document = document
        self._marks.reset(text, spans)
        self._selected = None
        self._selected_relation = None
        self._set_link_head(None)
        self._room.reset(document, self._marks, text)
        self._relations = {}
        self.set_relations(relations, first_screen_first=True, expected=expected)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.viewport().update()

    def screen_end(self, text: str) -> int:
        """Where the paragraphs on screen end at most, in code points, when the view shows
        the start of `text`.

        Counted from the font's measures, paragraph by paragraph: each takes at least as many
        lines as its width fills, and at least one. (Asking Qt's layout would lay out more.)
        """
        self._measured = self.viewport().size()
        metrics = QFontMetricsF(self._document_font())
        width = max(self.viewport().width() - 2 * _DOCUMENT_MARGIN, 1.0)
        lines_left = self.viewport().height() / metrics.height() + 1
        position = 0
        while position < len(text) and lines_left > 0:
            stop = text.find("\n", position, position + _MEASURED)
            stop = stop + 1 if stop >= 0 else min(len(text), position + _MEASURED)
            lines_left -= max(1, metrics.horizontalAdvance(text[position:stop]) // width)
            position = stop
        if 0 < position < len(text) and text[position - 1] != "\n":  # the whole paragraph
            stop = text.find("\n", position)
            position = stop + 1 if stop >= 0 else len(text)
        return position

    def after_next_paint(self, callback: Callable[[], None]) -> None:
        """Calls `callback` in the turn of the event loop after the view's first paint of its
        first screen (in the next turn if the view is hidden and will not paint).

        Sooner if need be: before the view handles a key, a click or a wheel turn, or paints
        anything but its first screen.
        """
        if self.isVisible():
            self._after_paint = callback
        else:
            QTimer.singleShot(0, self, callback)

    def _run_after_paint(self) -> None:
        callback, self._after_paint = self._after_paint, None
        if callback is not None:
            callback()

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
        self._first_screen = session

    def follow(self, model: AnnotationModel) -> None:
        """Draws the model's open set and each change of it."""

        def opened(session: EditSession | None) -> None:
            first_screen, self._first_screen = self._first_screen, None
            if session is None:
                self.set_content("", ())
            elif session is first_screen:  # its text is here, with its first screen's spans
                annotations = session.annotations
                self.set_spans(annotations)
                self.set_relations(annotations.relations.values(), first_screen_first=True)
            else:
                annotations = session.annotations
                self.set_content(session.document.text, annotations, annotations.relations.values())

        def reloaded() -> None:
            annotations = model.annotations
            if annotations is not None:
                self.set_spans(annotations)
                self.set_relations(annotations.relations.values())

        model.opened.connect(opened)
        model.reloaded.connect(reloaded)
        model.span_added.connect(self.add_span)
        model.span_removed.connect(lambda span: self.remove_span(span.id))
        model.span_changed.connect(lambda _old, new: self.update_span(new))
        model.relation_added.connect(self.add_relation)
        model.relation_removed.connect(lambda relation: self.remove_relation(relation.id))
        model.relation_changed.connect(lambda _old, new: self.update_relation(new))

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
        for relation_id in list(self._links.get(span_id, ())):
            self.remove_relation(relation_id)
        self._marks.remove(span_id)
        if self._selected == span_id:
            self.select_span(None)
        if self.link_head == span_id:
            self._set_link_head(None)
        self.viewport().update()

    def update_span(self, span: Span) -> None:
        self._marks.update(span)
        for relation_id in self._links.get(span.id, ()):  # type: ignore[arg-type]
            self._room.remove(relation_id)  # the span may have moved to another paragraph
            self._room.add(self._relations[relation_id])
        self.viewport().update()

    # -- relations
    def set_relations(
        self,
        relations: Iterable[Relation],
        *,
        first_screen_first: bool = False,
        expected: Iterable[int] = (),
    ) -> None:
        """Replaces every relation drawn.

        `first_screen_first` (a document just opened, shown from its start): paragraphs past
        the first screen get their arc room in the next turn of the event loop, after the
        first paint. `expected`: see set_content.
        """
        self._relations = {r.id: r for r in relations if r.id is not None}
        self._links = {}
        for r in self._relations.values():
            self._links.setdefault(r.head, set()).add(r.id)  # type: ignore[arg-type]
            self._links.setdefault(r.tail, set()).add(r.id)  # type: ignore[arg-type]
        if self._selected_relation not in self._relations:
            self.select_relation(None)
        self._room.set_all(
            self._relations, first_screen_first=first_screen_first, expected=expected
        )
        self.viewport().update()

    def add_relation(self, relation: Relation) -> None:
        assert relation.id is not None
        self._relations[relation.id] = relation
        self._links.setdefault(relation.head, set()).add(relation.id)
        self._links.setdefault(relation.tail, set()).add(relation.id)
        self._room.add(relation)
        self.viewport().update()

    def remove_relation(self, relation_id: int) -> None:
        if relation_id not in self._relations:
            return
        self._room.remove(relation_id)
        relation = self._relations.pop(relation_id)
        for span_id in (relation.head, relation.tail):
            self._links.get(span_id, set()).discard(relation_id)
        if self._selected_relation == relation_id:
            self.select_relation(None)
        self.viewport().update()

    def update_relation(self, relation: Relation) -> None:
        self.remove_relation(relation.id)  # type: ignore[arg-type]
        self.add_relation(relation)

    def set_arcs_visible(self, visible: bool) -> None:
        """Shows or hides the relations' arcs, giving back the room they take above lines."""
        if visible == self._room.shown:
            return
        if not visible:
            self.select_relation(None)
        self._room.set_shown(visible)
        self.viewport().update()

    @property
    def relations(self) -> dict[int, Relation]:
        return dict(self._relations)

    @property
    def arcs(self) -> ArcPainter:
        return self._arcs

    @property
    def selected_relation(self) -> int | None:
        return self._selected_relation

    def select_relation(self, relation_id: int | None) -> None:
        """Selects an arc (None: none); selecting one lets go of the selected span."""
        if relation_id is not None and relation_id not in self._relations:
            relation_id = None
        if relation_id is not None and self._selected is not None:
            self.select_span(None, reveal=False)
        changed = relation_id != self._selected_relation
        self._selected_relation = relation_id
        self.viewport().update()
        if changed:
            self.selected_relation_changed.emit(relation_id)

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
        top = self.cursorForPosition(QPoint(0, 0)).position()
        self._point_size = min(max(points, _MIN_POINTS), _MAX_POINTS)
        self.document().setDefaultFont(self._document_font())
        cursor = QTextCursor(self.document())
        cursor.setPosition(top)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.cursorRect(cursor).top() - 4)
        self.viewport().update()

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
        if span_id is not None and self._selected_relation is not None:
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
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (
            self._marks.from_utf16(cursor.selectionStart()),
            self._marks.from_utf16(cursor.selectionEnd()),
        )

    def select_range(self, start: int, end: int) -> None:
        """Selects [start, end) in code points, as a person would with the mouse."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._marks.to_utf16(start))
        cursor.setPosition(self._marks.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def caret(self) -> int:
        return self._marks.from_utf16(self.textCursor().position())

    # -- hit tests
    def _position_at(self, point: QPoint) -> int | None:
        """The character under a viewport point, in UTF-16 units; None off the text."""
        return text_geometry.character_at(self, point)

    def span_ids_at(self, point: QPoint) -> list[int]:
        """Spans under a viewport point, shortest first: bars first, then the text's spans."""
        found = [span_id for rect, span_id in self._painter.bars if rect.contains(QPointF(point))]
        position = self._position_at(point)
        if position is not None:
            found += [m.id for m in self._marks.at(position, self.visible_layers())]
        return list(dict.fromkeys(found))

    # -- events: the input state decides; what it leaves is a read-only QTextEdit's
    def viewportEvent(self, event: QEvent) -> bool:
        if self._after_paint is not None and event.type() in _INPUT:
            self._run_after_paint()  # a click or a wheel turn on the text
        return super().viewportEvent(event)

    def event(self, event: QEvent) -> bool:
        if self._after_paint is not None and event.type() in _INPUT:
            self._run_after_paint()
        if self._input.event(event):
            return True
        if event.type() == QEvent.Type.ToolTip:
            self._show_tooltip(event)  # type: ignore[arg-type]
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

    def _show_tooltip(self, event: QHelpEvent) -> None:
        ids = self.span_ids_at(event.pos())
        lines = []
        relation = self._relations.get(self.arcs.relation_at(QPointF(event.pos())))  # type: ignore[arg-type]
        if relation is not None and relation.note:  # an arc's note
            lines.append(f"<b>{relation.type}</b> \u270e {html.escape(relation.note)}")
        if not ids and not lines:
            QToolTip.hideText()
            return
        for span_id in ids:
            mark = self._marks.get(span_id)
            if mark is not None:
                lines.append(f"<b>{mark.label}</b> <i>{mark.layer}</i>")
                if mark.note:
                    lines.append(f"\u270e {html.escape(mark.note)}")
        QToolTip.showText(event.globalPos(), "<br>".join(lines), self.viewport())

    # -- painting
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._painter.set_base(self.palette())
            self._arcs.set_base(self.palette())
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Backgrounds under the text, the text, then bars, outline and tag over it."""
        size = self.viewport().size()
        if self._after_paint is not None and (
            self.verticalScrollBar().value() > 0
            or size.width() > self._measured.width()
            or size.height() > self._measured.height()
        ):
            # Scrolled, or grown past the screen measured, before the rest of the set came:
            # it comes now.
            self._run_after_paint()
        viewport = self.viewport()
        lines = visible_lines(self, _LINE_DISTANCE)
        layers = self.visible_layers()
        marks = self._marks
        selected = self._selected
        with QPainter(viewport) as painter:
            self._painter.paint_backgrounds(painter, lines, marks, layers, selected)
        super().paintEvent(event)
        with QPainter(viewport) as painter:
            self._painter.paint_bars(painter, lines, marks, layers, selected)
            self._painter.paint_note_markers(painter, lines, marks, layers)
            if self._relations and self._room.shown:
                mark = marks.get(selected) if selected is not None else None
                tag = (
                    self._painter.selection_tag(painter.font(), mark.label, self._point_size)
                    if mark is not None
                    else None
                )
                self._paint_arcs(painter, lines, layers, tag[0] if tag else None)
            else:
                self._arcs.shapes = []
            mark = marks.get(selected) if selected is not None else None
            if mark is not None:
                self._painter.paint_selection(painter, mark.label, self._point_size)
            self._paint_link_preview(painter, lines)
            self._paint_relation_ends(painter, lines)
            for overlay in self.overlays:  # suggestions (SuggestionController) and the like
                overlay(painter, lines)
        if self._after_paint is not None:
            QTimer.singleShot(0, self, self._after_paint)
            self._after_paint = None

    def _paint_arcs(
        self, painter: QPainter, lines: list[Line], layers: list[str], tag: QRectF | None
    ) -> None:
        """The arcs of the relations that touch a span on screen, in shown layers, their
        labels off the selected span's tag."""
        ends, relations = arcs_on_screen(self._marks, self._links, self._relations, lines, layers)
        self._arcs.paint(
            painter, lines, ends, relations, self._selected, self._selected_relation, tag
        )

    def _paint_link_preview(self, painter: QPainter, lines: list[Line]) -> None:
        head_id = self._input.preview_head
        head = self._marks.get(head_id) if head_id is not None else None
        if head is None:
            return
        target: QPointF | Mark | None = self._input.pointer
        if target is None and self._selected is not None and self._selected != head_id:
            target = self._marks.get(self._selected)
        paint_link_preview(painter, dashed_pen(self.palette()), head, target, lines)

    def _paint_relation_ends(self, painter: QPainter, lines: list[Line]) -> None:
        relation = self._relations.get(self._selected_relation)  # type: ignore[arg-type]
        if relation is not None:
            ends = [self._marks.get(relation.head), self._marks.get(relation.tail)]
            pen = dashed_pen(self.palette())
            paint_relation_ends(painter, pen, [m for m in ends if m is not None], lines)
