"""Keeps Qt's layout of a long text whole while the arc room changes character formats.

Qt lays a text out lazily, a step at a time from the top. A format change made before it is
through ends that for good: the paragraphs below the part laid out so far are never placed,
so the document is as short as that part, the scroll bar spans only it, and every jump further
down lays out, and places wrongly, what it reaches. So the layout is finished in idle time
(a slice of text per timer tick), and a room change made before it is done either finishes it
first (anywhere below the top of the text) or, at the top where that would cost the whole
layout at once, starts Qt's lazy layout again after it.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextEdit

SLICE = 10_000  # characters laid out per idle tick (a few ms on a long article)


class FullLayout:
    """Whether Qt has laid out all of one document, and the idle steps that get it there."""

    def __init__(self, view: QTextEdit) -> None:
        self._view = view
        self._document: QTextDocument | None = None
        self._done = False
        self._reached = 0  # where the idle steps have laid out to, UTF-16 units
        self._timer = QTimer(view)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    def start(self, document: QTextDocument | None) -> None:
        """Qt lays `document` out afresh (a new text, width or type): finish it in idle time."""
        self._document, self._done, self._reached = document, False, 0
        if document is None:
            self._timer.stop()
        else:
            self._timer.start()

    def before_change(self, at_top: bool) -> bool:
        """Call before changing formats; True: call after_change once they are changed."""
        if self._done or self._document is None:
            return False
        if at_top:
            return True
        self._finish()
        return False

    def after_change(self) -> None:
        """Starts Qt's lazy layout again (the format change ended it), from the top."""
        document = self._document
        if document is not None:
            document.setPageSize(document.pageSize())  # Qt's cue for a layout from scratch
            self.start(document)

    @property
    def done(self) -> bool:
        return self._done

    def _finish(self) -> None:
        document = self._document
        assert document is not None
        document.documentLayout().blockBoundingRect(document.lastBlock())
        self._done = True
        self._timer.stop()

    def _step(self) -> None:
        document = self._document
        if document is None or document is not self._view.document():
            self._timer.stop()  # the view shows another text (this one may be gone)
            return
        self._reached += SLICE
        if self._reached >= document.characterCount():
            self._finish()
            return
        document.documentLayout().blockBoundingRect(document.findBlock(self._reached))
