"""What the text view's keys and mouse do: one input state at a time decides, the view paints.

The view hands every key and mouse event to its `TextInput`, which passes it to the current
state: `IdleState` (selecting, labelling, stepping), `LinkState` (after R: the next span chosen
is a relation's other end) or `DragLinkState` (Ctrl+drag from a span to another). A state
answers True when it has dealt with an event; otherwise the view does what a read-only
`QTextEdit` does with it. States say what happens through the view's signals and selection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent

if TYPE_CHECKING:
    from labeler.ui.editor.text_view import AnnotatedTextView

_RESIZE_KEYS = {
    (Qt.Key.Key_Right, False): ("end", 1),
    (Qt.Key.Key_Left, False): ("end", -1),
    (Qt.Key.Key_Left, True): ("start", -1),
    (Qt.Key.Key_Right, True): ("start", 1),
}
_CLICK_SLOP = 3  # pixels a press may move and still be a click, not a drag


def _is_enter(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers()


def _is_plain(event: QKeyEvent, key: Qt.Key) -> bool:
    return event.key() == key and not event.modifiers()


class InputState:
    """A mode of the text view's input; every handler answers whether it dealt with the event."""

    def __init__(self, owner: TextInput) -> None:
        self.owner = owner
        self.view = owner.view

    @property
    def link_head(self) -> int | None:
        """The span a relation is being made from by keyboard (after R), or None."""
        return None

    @property
    def preview_head(self) -> int | None:
        """The span the link being made is drawn from, or None when none is."""
        return None

    def key_press(self, event: QKeyEvent) -> bool:
        return False

    def mouse_press(self, event: QMouseEvent) -> bool:
        return False

    def mouse_move(self, event: QMouseEvent) -> bool:
        return False

    def mouse_release(self, event: QMouseEvent) -> bool:
        return False

    def click(self, point: QPoint) -> None:
        """A left click that selected no text, after the view placed the caret."""


class IdleState(InputState):
    """Selecting text and spans, labelling, resizing, deleting; R or Ctrl+drag starts a link."""

    def key_press(self, event: QKeyEvent) -> bool:
        view = self.view
        key, mods = event.key(), event.modifiers()
        if _is_plain(event, Qt.Key.Key_R) and view.selected_span is not None:
            self.owner.set_link_head(view.selected_span)
            return True
        relation = view.selected_relation
        if relation is not None:
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                view.relation_delete_requested.emit(relation)
                return True
            if _is_enter(event):
                view.relation_edit_requested.emit(relation)
                return True
            if _is_plain(event, Qt.Key.Key_Escape):
                view.select_relation(None)
                return True
        if view.selected_span is not None and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            view.delete_requested.emit(view.selected_span)
            return True
        if _is_plain(event, Qt.Key.Key_Escape):
            cursor = view.textCursor()
            cursor.clearSelection()
            view.setTextCursor(cursor)
            view.select_span(None)
            return True
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if alt and shift and (key, ctrl) in _RESIZE_KEYS:
            if view.selected_span is not None:
                edge, tokens = _RESIZE_KEYS[(key, ctrl)]
                view.resize_requested.emit(view.selected_span, edge, tokens)
            return True
        if alt and not ctrl:
            # A label hotkey with Alt held: keep the exact characters selected.
            plain = QKeySequence(event.keyCombination().toCombined()).toString()
            label = view.label_of_hotkey(plain.replace("Alt+", ""))
            if label is not None:
                view.label_key.emit(label, True)
                return True
        return False

    def mouse_press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            return False
        ids = self.view.span_ids_at(event.position().toPoint())
        if not ids:
            return False
        # Ctrl+drag from a span to another links them; the selected span leads if it is here.
        selected = self.view.selected_span
        head = selected if selected in ids else ids[0]
        heads = [head] + [i for i in ids if i != head]
        self.owner.set_state(DragLinkState(self.owner, heads, event.position(), back_to=self))
        return True

    def click(self, point: QPoint) -> None:
        view = self.view
        relation_id = view.arcs.relation_at(QPointF(point))
        if relation_id is not None:
            view.select_relation(relation_id)
            return
        ids = view.span_ids_at(point)
        if not ids:
            view.select_span(None, reveal=False)
            view.select_relation(None)
            view.span_clicked.emit(None)
            return
        # Clicking again where spans overlap steps to the next one under the pointer.
        selected = view.selected_span
        span_id = ids[(ids.index(selected) + 1) % len(ids)] if selected in ids else ids[0]
        view.select_span(span_id, reveal=False)
        view.span_clicked.emit(span_id)


class LinkState(IdleState):
    """After R: Tab goes to the other span, R or Enter links to it, a click on a span links to
    that span, Esc (or a click elsewhere) stops. Other keys work as when idle."""

    def __init__(self, owner: TextInput, head: int) -> None:
        super().__init__(owner)
        self.head = head

    @property
    def link_head(self) -> int:
        return self.head

    @property
    def preview_head(self) -> int:
        return self.head

    def key_press(self, event: QKeyEvent) -> bool:
        if _is_plain(event, Qt.Key.Key_R) or _is_enter(event):
            selected = self.view.selected_span
            if selected is not None and selected != self.head:
                self.finish([selected])
            return True
        if _is_plain(event, Qt.Key.Key_Escape):
            self.owner.set_link_head(None)
            return True
        return super().key_press(event)

    def mouse_move(self, event: QMouseEvent) -> bool:
        self.owner.set_pointer(event.position())
        return False  # the view still extends a text selection being dragged

    def click(self, point: QPoint) -> None:
        ids = self.view.span_ids_at(point)
        if any(i != self.head for i in ids):
            self.finish(ids)
        else:
            self.owner.set_link_head(None)

    def finish(self, tails: list[int]) -> None:
        """Asks for a relation from the head to the likeliest of `tails`; link mode ends."""
        self.owner.set_link_head(None)
        tails = [t for t in tails if t != self.head]
        if tails:
            self.view.link_requested.emit([self.head], tails)


class DragLinkState(InputState):
    """Ctrl+drag from a span: the release over another span asks for a relation between them.

    `heads` are the spans under the press, the one to link from first; the state it started
    from comes back on release (a link started with R stays started).
    """

    def __init__(
        self, owner: TextInput, heads: list[int], pointer: QPointF, back_to: InputState
    ) -> None:
        super().__init__(owner)
        self.heads = heads
        self.back_to = back_to
        owner.set_pointer(pointer)

    @property
    def link_head(self) -> int | None:
        return self.back_to.link_head

    @property
    def preview_head(self) -> int:
        return self.heads[0]

    def key_press(self, event: QKeyEvent) -> bool:
        return self.back_to.key_press(event)

    def mouse_move(self, event: QMouseEvent) -> bool:
        self.owner.set_pointer(event.position())
        return True

    def mouse_release(self, event: QMouseEvent) -> bool:
        press = self.owner.take_press()
        self.owner.set_state(self.back_to)
        self.owner.set_pointer(None)
        point = event.position().toPoint()
        if press is None or (point - press).manhattanLength() <= _CLICK_SLOP:
            return True  # a Ctrl+click, not a drag: nothing to link
        tails = [i for i in self.view.span_ids_at(point) if i != self.heads[0]]
        if tails:
            self.view.link_requested.emit(self.heads, tails)
        return True


class TextInput:
    """Hands a text view's key and mouse events to its current input state."""

    def __init__(self, view: AnnotatedTextView) -> None:
        self.view = view
        self._state: InputState = IdleState(self)
        self._press: QPoint | None = None  # where the left button went down
        self._pointer: QPointF | None = None  # where the pointer is while a link is made

    @property
    def state(self) -> InputState:
        return self._state

    @property
    def link_head(self) -> int | None:
        return self._state.link_head

    @property
    def preview_head(self) -> int | None:
        return self._state.preview_head

    @property
    def pointer(self) -> QPointF | None:
        return self._pointer

    def set_state(self, state: InputState) -> None:
        """Makes `state` the current one; the view hears when the keyboard link head changes."""
        before = self._state.link_head
        self._state = state
        self.view.viewport().update()
        if state.link_head != before:
            self.view.link_mode_changed.emit(state.link_head)

    def set_link_head(self, span_id: int | None) -> None:
        """Starts a keyboard link from a span, or (None) stops the one being made."""
        if span_id == self._state.link_head:
            return
        self._pointer = None
        base: InputState = IdleState(self) if span_id is None else LinkState(self, span_id)
        if isinstance(self._state, DragLinkState):  # the drag goes on; its release comes back here
            self._state.back_to = base
            self.view.viewport().update()
            self.view.link_mode_changed.emit(span_id)
            return
        self.set_state(base)

    def set_pointer(self, point: QPointF | None) -> None:
        self._pointer = point
        self.view.viewport().update()

    def take_press(self) -> QPoint | None:
        press, self._press = self._press, None
        return press

    # -- events, from the view
    def event(self, event: QEvent) -> bool:
        """Tab and Shift+Tab step through spans (before Qt takes them to move the focus)."""
        if event.type() != QEvent.Type.KeyPress:
            return False
        key_event: QKeyEvent = event  # type: ignore[assignment]
        if key_event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) or (
            key_event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            return False
        backwards = key_event.key() == Qt.Key.Key_Backtab or bool(
            key_event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        self.step_span(backwards)
        return True

    def step_span(self, backwards: bool = False) -> int | None:
        """Selects the next (or previous) shown span in reading order, round past the ends;
        from the caret when no span is selected. Returns its id (None: no span shown)."""
        view, marks = self.view, self.view.marks
        current = marks.get(view.selected_span) if view.selected_span is not None else None
        if current is not None:
            key = (current.start, current.id)
        else:
            key = (view.textCursor().position(), 2**62 if backwards else -(2**62))
        layers = view.visible_layers()
        mark = marks.step(key, layers, backwards)
        if mark is None:  # past an end: wrap round
            mark = marks.step((2**62, 0) if backwards else (-(2**62), 0), layers, backwards)
        if mark is None:
            return None
        view.select_span(mark.id)
        return mark.id

    def key_press(self, event: QKeyEvent) -> bool:
        return self._state.key_press(event)

    def mouse_press(self, event: QMouseEvent) -> bool:
        self._press = event.position().toPoint()
        return self._state.mouse_press(event)

    def mouse_move(self, event: QMouseEvent) -> bool:
        return self._state.mouse_move(event)

    def mouse_release(self, event: QMouseEvent) -> bool:
        """The state's own release; False leaves it to the view, which then calls `released`."""
        return self._state.mouse_release(event)

    def released(self, event: QMouseEvent) -> None:
        """After the view's own release: a left click that selected no text is a click."""
        press = self.take_press()
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        point = event.position().toPoint()
        if (point - press).manhattanLength() > _CLICK_SLOP or self.view.textCursor().hasSelection():
            return
        self._state.click(point)
