"""The per-document work of the slower writers (tokenising, building and serialising each
document) spread over worker processes, in the writer's order.

A writer hands `per_document` a picklable function of (job, report) and its jobs (usually
the export items); it gets the function's results back in the jobs' order, and the notes the
function made in each worker are added to its report. The first `SERIAL_UP_TO` jobs are done
in this process, so small exports never start a process; past them, with more than one core,
the rest go in batches to a pool of `processes()` workers, while this process reads the next
documents from the database. Only this process iterates the jobs (the database session stays
in its thread), and at most a few batches are in flight at once, so memory stays bounded.
The results are those of the serial run, byte for byte (a test compares the files).
On Linux, tokenising work (every writer that calls this) goes to the workers of `forked`:
in a command-line process (FORK), forked before anything is read, loading spaCy themselves
while this process reads; elsewhere (the window, whose exports run on a thread) forked by a
server process started once a run (SERVED), past the first SERVED_AFTER jobs. Other work, and
all work on other systems, goes to spawned workers (forked ones in a command-line process,
once this process has loaded what the work needs), past SERIAL_UP_TO jobs.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast

from labeler.formats.records import WriteReport

J = TypeVar("J")
T = TypeVar("T")

SERIAL_UP_TO = 2000  # jobs done here before workers start (starting them costs a second or more)
# Writers whose work is mostly tokenising (conll, spacy, prodigy, hf, xmi: today every writer
# that calls this) start spawned workers this many times later: each worker loads spaCy first,
# and at 5,000 documents on an idle 2-core machine they were slower than one process (CoNLL
# 5.1 s against 4.4 s, XMI 14 s against 5.3 s). brat runs in one process.
TOKENISED_LATER = 50
BATCH = 64  # jobs sent to a worker at once
PROCESSES: int | None = None  # None: one worker per core this process may run on
FORK = False
"""True in a command-line process, set by its command: with no window and no other thread, its
workers may be forked from it (started in a few milliseconds, with spaCy and labeler already
loaded) instead of spawned (each loading them again, a second or more). Tokenising writers then
start them after FORKED_AFTER jobs, the first of which loaded spaCy here (unless EARLY)."""
FORKED_AFTER = 250
EARLY = sys.platform == "linux"
"""Where FORK allows, tokenising work on small jobs goes to workers forked before anything is
read (see `forked`): they load spaCy while this process reads, and this one never loads it."""
SERVED = True
"""Where EARLY allows (Linux), tokenising work outside a command line (the window's exports
run on a thread, beside which forking is unsafe) goes to workers forked by a server process
(`forked.server`), started by the first such export and kept for the program's run: it loads
spaCy once, while this process reads, then forks each export's workers in milliseconds."""
SERVER_FROM = 50  # jobs done here before the server is started (the first time)
SERVED_AFTER = 200  # jobs done here before the served workers start (small exports: none)
EARLY_ITEMS = True  # forked early also for work on export items (hf, prodigy, spacy, xmi)
SPARE = 1.0
"""Served workers, and early-forked ones for export items, start only where the cores have
this much to spare (see `spare_cores`): sending the items to the workers and their results
back costs CPU (at 5,000 documents, in-process, prodigy 3.5 s against 2.2 s, xmi 4.5 against
3.3, hf 5.8 against 3.3), so on a busy machine they only lose (on 2 cores loaded 5 by other
work, prodigy took 2.5 to 4.9 s with them, 2.3 to 7.2 s without; hf 6.8 to 8.1 against 4.4
to 5.9)."""
_END = object()


def processes() -> int:
    """How many workers an export uses: one per usable core (1: no workers)."""
    if PROCESSES is not None:
        return PROCESSES
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def threads() -> int:
    """This process's threads: Python's, and on Linux also those native libraries started
    (Arrow's pools, once `datasets` is loaded), which a fork cannot copy either."""
    try:
        return max(threading.active_count(), len(os.listdir("/proc/self/task")))
    except OSError:  # no /proc (not Linux)
        return threading.active_count()


def spare_cores() -> float:
    """How much of the cores this process may run on is idle, by the 1-minute load average,
    less this busy process's own share of it (up to one)."""
    try:
        return processes() - max(0.0, os.getloadavg()[0] - 1)
    except (AttributeError, OSError):  # no load average here (Windows)
        return float(processes())


def _run_batch(
    work: Callable[[Any, WriteReport], Any], jobs: list[Any]
) -> tuple[list[Any], WriteReport]:
    """In a worker: the results of a batch of jobs, and the notes they made."""
    report = WriteReport()
    return [work(job, report) for job in jobs], report


def per_document(
    work: Callable[[J, WriteReport], T],
    jobs: Iterable[J],
    report: WriteReport,
    *,
    tokenised: bool = False,
    small_jobs: bool = False,
) -> Iterator[T]:
    """`work(job, report)` for each job, in order, in worker processes past the first few
    (past many more where the work is mostly tokenising: see TOKENISED_LATER; or where workers
    are forked and the jobs are small, a text and a few numbers, not export items, which cost
    more to send than to tokenise: see FORK)."""
    iterator = iter(jobs)
    fork = FORK and threads() == 1
    if tokenised and EARLY and processes() > 1:
        from labeler.formats import forked

        if fork and (small_jobs or (EARLY_ITEMS and spare_cores() >= SPARE)):
            yield from forked.per_document(work, iterator, report, processes(), BATCH)
            return
        if not fork and SERVED:
            for n, job in enumerate(itertools.islice(iterator, SERVED_AFTER)):
                if n == SERVER_FROM:
                    forked.server()  # (once a run): it loads while this process works on
                yield work(job, report)
            following = next(iterator, _END)
            if following is _END:
                return
            iterator = itertools.chain([cast(J, following)], iterator)
            if spare_cores() >= SPARE:
                server = forked.server()
                yield from forked.per_document(
                    work, iterator, report, processes(), BATCH, server=server
                )
            else:
                yield from (work(job, report) for job in iterator)
            return
    serial = SERIAL_UP_TO * (TOKENISED_LATER if tokenised else 1)
    if fork and small_jobs:
        serial = min(serial, FORKED_AFTER)
    for job in itertools.islice(iterator, serial):
        yield work(job, report)
    following = next(iterator, _END)
    if following is _END:
        return
    iterator = itertools.chain([cast(J, following)], iterator)
    count = processes()
    if count < 2:
        for job in iterator:
            yield work(job, report)
        return
    import multiprocessing  # here: a quick export of JSON lines never loads it

    # Spawn, not fork, unless told: an export may run beside the window's threads, which fork
    # cannot copy.
    from labeler.formats.forked import main_left_out

    with main_left_out():
        pool = multiprocessing.get_context("fork" if fork else "spawn").Pool(count)
    try:
        pending: deque[Any] = deque()
        batch: list[J] = []

        def results_of_oldest() -> list[T]:
            results, notes = pending.popleft().get()
            report.notes.update(notes.notes)
            return list(results)

        for job in iterator:
            batch.append(job)
            if len(batch) < BATCH:
                continue
            pending.append(pool.apply_async(_run_batch, (work, batch)))
            batch = []
            if len(pending) > 2 * count:
                yield from results_of_oldest()
        if batch:
            pending.append(pool.apply_async(_run_batch, (work, batch)))
        while pending:
            yield from results_of_oldest()
        pool.close()
    finally:
        pool.terminate()
        pool.join()
