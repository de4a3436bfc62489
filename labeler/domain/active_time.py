"""Active time: how long an annotator worked with a document open, counted from their input.

Each input (a key, a click) adds the time since the one before, unless that gap is a pause
longer than `pause` seconds: then the pause is left out, as time away from the document.
"""

from __future__ import annotations

from collections.abc import Callable

PAUSE_SECONDS = 180.0  # a gap between inputs longer than this is a pause, not work


class ActiveClock:
    """Counts active seconds from the moments of input; the clock is given (a fake in tests)."""

    __slots__ = ("_clock", "_last", "pause")

    def __init__(self, clock: Callable[[], float], pause: float = PAUSE_SECONDS) -> None:
        self._clock = clock
        self.pause = pause
        self._last: float | None = None

    def start(self) -> None:
        """A document was opened: the time counts from now."""
        self._last = self._clock()

    def stop(self) -> None:
        """The document was closed: input before the next start counts nothing."""
        self._last = None

    def input(self) -> float:
        """An input now: the seconds of work it adds (0 after a pause or when stopped)."""
        if self._last is None:
            return 0.0
        now = self._clock()
        gap, self._last = now - self._last, now
        return gap if 0 < gap <= self.pause else 0.0
