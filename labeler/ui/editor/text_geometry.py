"""Where things are in a QTextEdit: the character under a point, scrolling a range into view.

Positions here are Qt's, in UTF-16 units; the text view converts to code points.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextEdit


def character_at(edit: QTextEdit, point: QPoint) -> int | None:
    """The character under a viewport point; None off the text."""
    x = point.x() + edit.horizontalScrollBar().value()
    doc_point = QPointF(x, point.y() + edit.verticalScrollBar().value())
    position = edit.document().documentLayout().hitTest(doc_point, Qt.HitTestAccuracy.ExactHit)
    if position < 0:
        return None
    # hitTest gives the nearest caret place; the character is the one whose extent holds
    # the point, on either side (right-to-left runs run the other way).
    for candidate in (position, position - 1):
        extent = _character_extent(edit, candidate)
        if extent is not None and extent[0] <= x <= extent[1]:
            return candidate
    return None


def _character_extent(edit: QTextEdit, position: int) -> tuple[float, float] | None:
    """The document x-range of the character at `position`."""
    if position < 0:
        return None
    block = edit.document().findBlock(position)
    if not block.isValid() or position >= block.position() + block.length() - 1:
        return None
    layout = block.layout()
    line = layout.lineForTextPosition(position - block.position())
    if not line.isValid():
        return None
    a = line.cursorToX(position - block.position())[0]
    b = line.cursorToX(position + 1 - block.position())[0]
    x0 = layout.position().x()
    return x0 + min(a, b), x0 + max(a, b)


def reveal(edit: QTextEdit, start: int, end: int) -> None:
    """Scrolls so that [start, end) is on screen (if it is not already)."""
    cursor = QTextCursor(edit.document())
    cursor.setPosition(start)
    first = edit.cursorRect(cursor)
    cursor.setPosition(min(end, edit.document().characterCount() - 1))
    last = edit.cursorRect(cursor)
    if first.top() >= 0 and last.bottom() <= edit.viewport().height():
        return
    edit.setTextCursor(cursor)
    edit.ensureCursorVisible()
    cursor.setPosition(start)
    edit.setTextCursor(cursor)
    edit.ensureCursorVisible()


def keep_room_below_caret(edit: QTextEdit, room: float) -> None:
    """Scrolls a little further when the caret's line is on screen but `room` under it is not."""
    rect = edit.cursorRect()
    below = rect.bottom() + room - edit.viewport().height()
    if below > 0 and rect.top() >= 0:
        bar = edit.verticalScrollBar()
        bar.setValue(int(bar.value() + below))


def keep_top_in_place(edit: QTextEdit, change: Callable[[], None]) -> None:
    """Runs `change` (a new font, say), then scrolls the passage that was at the top of the
    view back to the top."""
    top = edit.cursorForPosition(QPoint(0, 0)).position()
    change()
    cursor = QTextCursor(edit.document())
    cursor.setPosition(top)
    bar = edit.verticalScrollBar()
    bar.setValue(bar.value() + edit.cursorRect(cursor).top() - 4)
    edit.viewport().update()


def selected_range(edit: QTextEdit, from_utf16: Callable[[int], int]) -> tuple[int, int] | None:
    """The selected text as [start, end) converted by `from_utf16`; None when none is selected."""
    cursor = edit.textCursor()
    if not cursor.hasSelection():
        return None
    return from_utf16(cursor.selectionStart()), from_utf16(cursor.selectionEnd())


def select_range(edit: QTextEdit, start: int, end: int) -> None:
    """Selects [start, end) in UTF-16 units, as a person would with the mouse."""
    cursor = QTextCursor(edit.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
