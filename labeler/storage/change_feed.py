"""Changes other people make on a PostgreSQL database, as they happen (LISTEN/NOTIFY)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import make_url

from labeler.storage.team_policies import CHANNEL

log = logging.getLogger(__name__)

OnChange = Callable[[int, int], None]  # document id, annotator id


class ChangeFeed:
    """A thread listening on its own connection; `on_change` is called from that thread for
    every annotation set changed (by anyone), within a moment of its commit."""

    def __init__(self, url: str, on_change: OnChange) -> None:
        # Keywords, not a rendered URL: a password with a space or a quote in it stays whole.
        parsed = make_url(url)
        given = {
            "host": parsed.host,
            "port": parsed.port,
            "user": parsed.username,
            "password": parsed.password,
            "dbname": parsed.database,
            **{key: str(value) for key, value in parsed.query.items()},
        }
        self._params = {key: value for key, value in given.items() if value is not None}
        self._on_change = on_change
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="labeler-changes", daemon=True)

    def start(self) -> None:
        """Starts listening; returns once the listener is in place (or has failed)."""
        self._thread.start()
        self._ready.wait(10)

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def _run(self) -> None:
        # The driver loads only where there is a server to listen to.
        import psycopg
        from psycopg.conninfo import make_conninfo

        try:
            conninfo = make_conninfo("", **self._params)  # quotes each value
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                self._ready.set()
                while not self._stopping.is_set():
                    for note in conn.notifies(timeout=0.25):
                        document, annotator = (int(part) for part in note.payload.split())
                        self._on_change(document, annotator)
        except Exception:  # a lost feed makes the window less live, never breaks it
            log.exception("the change feed stopped")
        finally:
            self._ready.set()
