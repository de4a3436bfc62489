"""CurationReader: a reopened curation's annotators' sets read and their merge planned on a
worker thread (with its own database session), so the curated set is on screen at once and
the lanes follow when ready."""

from __future__ import annotations

import contextlib
import threading

from PySide6.QtCore import QObject, Qt, Signal

from labeler.domain.annotation import AnnotationSet
from labeler.domain.errors import LabelerError
from labeler.quality.curation import CurationPlan
from labeler.services.curation import Curation, CurationService

Outcome = tuple[dict[str, AnnotationSet], CurationPlan] | str  # the sets and plan, or a problem


class CurationReader(QObject):
    """Reads one curation at a time; `done(curation, outcome)` comes on the GUI thread, once
    per read, unless take() handed the outcome over first."""

    done = Signal(object, object)  # curation, outcome
    _finished = Signal(object)  # curation, from the worker

    def __init__(self, service: CurationService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._curation: Curation | None = None
        self._worker: threading.Thread | None = None
        self._outcome: list[Outcome] = []
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._curation is not None

    def read(self, curation: Curation) -> None:
        """Starts reading `curation` (a read under way for another is dropped)."""
        box: list[Outcome] = []
        self._curation, self._outcome = curation, box
        self._worker = threading.Thread(
            target=self._work, args=(curation, box), name="curation", daemon=True
        )
        self._worker.start()

    def drop(self) -> None:
        """Forgets the read under way: its outcome is never delivered."""
        self._curation, self._worker, self._outcome = None, None, []

    def take(self, curation: Curation) -> Outcome | None:
        """Waits for the read of `curation` to end and hands its outcome over here (it is not
        delivered by `done` then); None if `curation` is not being read."""
        if curation is not self._curation or self._worker is None:
            return None
        self._worker.join()
        outcome = self._outcome[0]
        self.drop()
        return outcome

    def _work(self, curation: Curation, box: list[Outcome]) -> None:
        outcome: Outcome
        try:
            outcome = self._service.plan_for(curation)
        except LabelerError as error:
            outcome = str(error)
        except Exception as error:  # a worker's failure is reported, never raised into Qt
            outcome = f"reading the annotators' sets failed: {type(error).__name__}: {error}"
        box.append(outcome)
        with contextlib.suppress(RuntimeError):  # the window may have closed meanwhile
            self._finished.emit(curation)

    def _deliver(self, curation: Curation) -> None:
        if curation is not self._curation or not self._outcome:
            return  # dropped, or taken already
        outcome = self._outcome[0]
        self.drop()
        self.done.emit(curation, outcome)
