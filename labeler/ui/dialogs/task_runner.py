"""TaskRunner: runs one long service call (an import, an export) off the GUI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from labeler.domain.errors import LabelerError

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
"""Called by the job from its thread: (done, total, what it is doing)."""

Job = Callable[[Progress, Callable[[], bool]], Any]
"""The work: takes a progress callback and a `cancelled()` test, returns the result."""


class TaskRunner(QObject):
    """Runs a job on a worker thread; its signals arrive on the thread the runner lives in."""

    progressed = Signal(int, int, str)
    finished = Signal(object)  # the job's result
    failed = Signal(str)  # one line for the person, LabelerError's message when it is one

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._active = False  # cleared just before the last signal, so its slots may start anew

    def is_running(self) -> bool:
        return self._active

    def start(self, job: Job) -> None:
        if self.is_running():
            raise RuntimeError("a task is already running")
        self._cancel.clear()
        self._active = True
        self._thread = threading.Thread(target=self._run, args=(job,), daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Asks the job to stop at its next check; it ends with `failed`."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Blocks until the job ends (for closing the window); True when it has."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self, job: Job) -> None:
        try:
            result = job(self.progressed.emit, self._cancel.is_set)
        except LabelerError as exc:
            self._active = False
            self.failed.emit(str(exc))
        except Exception as exc:  # the worker's last guard: the window must hear of it
            log.exception("background task failed")
            self._active = False
            self.failed.emit(f"unexpected {type(exc).__name__}: {exc}")
        else:
            self._active = False
            self.finished.emit(result)
