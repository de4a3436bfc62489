"""Live changes: who changed which document's annotation set, as it happens (on a server)."""

from __future__ import annotations

from collections.abc import Callable

from labeler.storage.change_feed import ChangeFeed
from labeler.storage.database import Database

Stop = Callable[[], None]


class LiveService:
    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def available(self) -> bool:
        """True on PostgreSQL; a SQLite file has one user, and nobody else to follow."""
        return self._db.engine.dialect.name == "postgresql"

    def watch(self, on_change: Callable[[int], None]) -> Stop | None:
        """Calls `on_change(document_id)`, from another thread, whenever anyone changes an
        annotation set of a document; returns the function that stops it (None on SQLite)."""
        if not self.available:
            return None
        feed = ChangeFeed(
            self._db.engine.url.render_as_string(hide_password=False),
            lambda document_id, _annotator_id: on_change(document_id),
        )
        feed.start()
        return feed.stop
