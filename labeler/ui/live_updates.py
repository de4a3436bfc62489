"""LiveUpdates: other people's changes on a team database, delivered on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from labeler.services.live import LiveService


class LiveUpdates(QObject):
    """Emits `changed(document_id)` on the GUI thread whenever anyone changes an annotation
    set; nothing on SQLite. Call stop() before the window goes."""

    changed = Signal(int)

    def __init__(self, live: LiveService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The feed calls from its own thread; a signal crossing threads is queued to ours.
        self._stop = live.watch(self.changed.emit)

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()
            self._stop = None
