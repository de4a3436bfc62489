"""Bulk work with fewer runs of Python's cyclic garbage collector."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_users = 0
_saved: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Runs the block with the cyclic collector rarely on.

    An import or export makes millions of small objects (spans, dicts) that live until their
    batch is stored or written; the collector would walk them again and again, which costs a
    quarter of an import's time. Nothing is leaked: the thresholds come back afterwards, and
    reference counting frees the objects as usual. Nested and concurrent uses share one setting.

    What the block made and kept (a loaded article's spans) joins the oldest generation on the
    way out: left young, it would be walked by the next young collection, tens of
    milliseconds just after an article opens. Cycles made in the block wait for a full
    collection instead.
    """
    global _users, _saved
    with _lock:
        if _users == 0:
            _saved = gc.get_threshold()
            gc.freeze()  # what exists already is not walked again
            # A young collection walks every object made since the last one that still
            # lives: an import's batch of 1,000 records holds some 200,000, walked again
            # and again at 100,000 (a tenth of the import's time); at 1,000,000 never.
            gc.set_threshold(1_000_000, 50, 1000)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                gc.set_threshold(*_saved)
                gc.freeze()  # every generation, young ones too, into the frozen set...
                gc.unfreeze()  # ...which goes back as the oldest generation
