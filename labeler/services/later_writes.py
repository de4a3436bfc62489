"""LaterWrites: small writes stored on one worker thread, in the order given, so that a key
that makes them is not held up by the database (a curator's decisions: rejections, sources)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from labeler.domain.errors import LabelerError
from labeler.storage.database import Database
from labeler.storage.store import Store

Change = Callable[[Store], None]


class LaterWrites:
    """Runs each change in its own transaction on a worker thread, first come first stored.

    The caller keeps what it shows up to date itself; `failed(problem)` is called (on the
    worker thread) when a change could not be stored. flush() waits until every change given
    so far is stored: before the same rows are read again, and before the database closes.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._queue: queue.Queue[Change] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()
        self.failed: Callable[[str], None] = lambda _problem: None

    def submit(self, change: Change) -> None:
        with self._lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="writes", daemon=True)
                self._worker.start()
        self._queue.put(change)

    def flush(self) -> None:
        self._queue.join()

    def _run(self) -> None:
        while True:
            change = self._queue.get()
            try:
                with self._db.transaction() as store:
                    change(store)
            except LabelerError as error:
                self.failed(str(error))
            except Exception as error:  # a worker's failure is reported, never lost
                self.failed(f"{type(error).__name__}: {error}")
            finally:
                self._queue.task_done()
