"""A long article's first screen first: what a view runs after its first paint, and the
session it shows with its first screen's spans only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTextEdit

from labeler.services.annotating import EditSession
from labeler.ui.editor import text_document

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


class FirstScreen:
    """A view's first screen: how far it reaches, and what comes after its first paint."""

    def __init__(self, view: QTextEdit) -> None:
        self._view = view
        self._after_paint: Callable[[], None] | None = None
        self._measured = QSize()  # the viewport's size when screen_end was last measured
        self.session: EditSession | None = None  # shown with its first screen only

    def screen_end(self, text: str, font: QFont, margin: int) -> int:
        """See AnnotatedTextView.screen_end."""
        self._measured = self._view.viewport().size()
        return text_document.screen_end(text, self._measured, font, margin)

    def after_next_paint(self, callback: Callable[[], None]) -> None:
        """See AnnotatedTextView.after_next_paint."""
        if self._view.isVisible():
            self._after_paint = callback
        else:
            QTimer.singleShot(0, self._view, callback)

    def take_session(self) -> EditSession | None:
        session, self.session = self.session, None
        return session

    def run(self) -> None:
        callback, self._after_paint = self._after_paint, None
        if callback is not None:
            callback()

    def before_event(self, event: QEvent) -> None:
        """Runs what waits for the first paint before a key, a click or a wheel turn."""
        if self._after_paint is not None and event.type() in _INPUT:
            self.run()

    def before_paint(self) -> None:
        """Runs what waits if the view paints anything but its first screen."""
        size = self._view.viewport().size()
        if self._after_paint is not None and (
            self._view.verticalScrollBar().value() > 0
            or size.width() > self._measured.width()
            or size.height() > self._measured.height()
        ):
            # Scrolled, or grown past the screen measured, before the rest of the set came:
            # it comes now.
            self.run()

    def after_paint(self) -> None:
        """Runs what waits in the next turn of the event loop, after this paint."""
        if self._after_paint is not None:
            QTimer.singleShot(0, self._view, self._after_paint)
            self._after_paint = None
