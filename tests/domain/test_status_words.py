"""Every status has one word that people read, defined once on Status."""

from __future__ import annotations

from labeler.domain.annotation import Status


def test_each_status_reads_as_words() -> None:
    assert [s.word for s in Status] == ["to do", "in progress", "done", "skipped"]
    assert Status("in_progress").word == "in progress"
