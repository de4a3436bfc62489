"""Active time counted from the moments of input, with a fake clock."""

from __future__ import annotations

from labeler.domain.active_time import ActiveClock


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_gaps_between_inputs_count_and_long_pauses_do_not() -> None:
    clock = FakeClock()
    active = ActiveClock(clock, pause=180)
    assert active.input() == 0  # not started: nothing counts
    active.start()
    clock.now += 20
    assert active.input() == 20
    clock.now += 180
    assert active.input() == 180  # a gap of exactly the limit is still work
    clock.now += 600  # away for ten minutes
    assert active.input() == 0
    clock.now += 5
    assert active.input() == 5  # counting goes on from the input after the pause
    active.stop()
    clock.now += 5
    assert active.input() == 0
