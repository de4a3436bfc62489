"""ActiveTimer: counts the open document's active time from the input on the editor's view.

Every key press and mouse press, wheel turn or move (on the text or on its viewport) adds
the time since the previous input to the session, unless it was a pause; the session
stores it with its next edit, or when the document is left (`leave`): never a write per key.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject

from labeler.domain.active_time import PAUSE_SECONDS, ActiveClock
from labeler.domain.errors import LabelerError
from labeler.services.annotating import EditSession

_COUNTED = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.ShortcutOverride,  # a key that a shortcut (a label's hotkey) takes
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
    }
)


class ActiveTimer(QObject):
    """Watches input on some widgets and counts it as work on the session given."""

    def __init__(
        self,
        watched: list[QObject],
        clock: Callable[[], float] = time.monotonic,
        pause: float = PAUSE_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = ActiveClock(clock, pause)
        self._session: EditSession | None = None
        for widget in watched:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._session is not None and event.type() in _COUNTED:
            self._session.add_active_time(self.clock.input())
        return False

    def enter(self, session: EditSession | None) -> None:
        """Counts from now on `session` (None: counts nothing)."""
        self._session = session
        if session is None:
            self.clock.stop()
        else:
            self.clock.start()

    def leave(self) -> str | None:
        """Stores the time counted on the session being left; what went wrong, if anything."""
        session, self._session = self._session, None
        self.clock.stop()
        if session is None:
            return None
        try:
            session.store_time()
        except LabelerError as error:
            return str(error)
        return None
