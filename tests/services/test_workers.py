"""Forked export workers: allowed while a command-line export runs, not after it."""

from __future__ import annotations

from labeler.formats import parallel
from labeler.services.workers import forked_workers_allowed


def test_forked_workers_are_allowed_only_meanwhile() -> None:
    assert parallel.FORK is False
    with forked_workers_allowed():
        assert parallel.FORK is True
    assert parallel.FORK is False
