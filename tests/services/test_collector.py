"""The collector setting for bulk work comes back afterwards, also when the work fails."""

from __future__ import annotations

import gc

import pytest

from labeler.services.collector import fewer_collections


def test_thresholds_come_back_after_nested_use_and_errors() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] > before[0]
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] > before[0]  # the outer use still holds it
    assert gc.get_threshold() == before
    with pytest.raises(ValueError, match="boom"), fewer_collections():
        raise ValueError("boom")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


class _Kept:
    """An object the collector tracks (a dict of plain values it may not)."""


def test_what_the_block_keeps_joins_the_oldest_generation() -> None:
    with fewer_collections():
        kept = [_Kept() for _ in range(5_000)]
    assert gc.get_count()[0] < 1_000  # the next young collection does not walk them
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(kept[0]) in oldest
    assert id(kept[-1]) in oldest
    assert gc.get_freeze_count() == 0
