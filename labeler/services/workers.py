"""How exports spread work over processes, as the program running them allows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def forked_workers_allowed() -> Iterator[None]:
    """For a command-line process (no window, no other thread): the exports run meanwhile may
    fork their worker processes from it, once spaCy is loaded, instead of spawning them."""
    from labeler.formats import parallel

    before, parallel.FORK = parallel.FORK, True
    try:
        yield
    finally:
        parallel.FORK = before
