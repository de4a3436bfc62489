"""Worker processes forked as an export starts, before this process loads spaCy: an export's
fixed costs overlap on the cores instead of following one another.

The first worker (the leader) is forked at once and imports what the work needs (spaCy, without
its command line: about half a second of CPU) while this process reads the first documents from
the database; the leader then does the first batch and forks the other workers from itself, so
spaCy is loaded once, and they share the rest. Each worker takes the next batch from one queue
and sends back its results (a document's finished lines, its row, its tokens); this process
only reads, sends, puts the results back in order and writes them. A worker's failure is
raised here as `WorkerFailed`, naming its cause; the export's file is then left unwritten.
Workers whose exporting process was killed end by themselves.

In a command-line process (`parallel.FORK`: no other thread) the leader is forked from it.
Beside other threads (the window's), forking is unsafe: the leader is forked instead by a
server (multiprocessing's forkserver, a fresh process started once a run, `server`), which has
spaCy and the writers loaded already; while it starts the leader (at once, or while it loads
on the first export), this process does the jobs itself. Linux only (the liveness checks read
/proc); elsewhere `parallel.per_document` runs as it always has.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import io
import itertools
import logging
import operator
import os
import pickle
import queue
import signal
import sys
import threading
import traceback
import types
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from labeler.domain.errors import LabelerError
from labeler.domain.spans import Relation, Span
from labeler.formats.records import WriteReport

J = TypeVar("J")
T = TypeVar("T")
logger = logging.getLogger(__name__)

READ_AHEAD = 80  # batches sent before their results come back: the reading runs ahead while
# the leader loads spaCy, and reads 5,000 articles (the benchmark's) in that time, not half of
# them and then waiting (80 batches of 64: about 30 MB of its texts)
_WAIT = 0.5  # seconds between looks at whether the workers still live
_HELPER_PID = -1  # the index of the message that names a helper's process id
_END = object()
SERVER_PRELOAD = ["labeler.formats.worker_preload"]


class WorkerFailed(LabelerError):
    """A worker process of an export failed or died; nothing was written."""


Message = tuple[int, Any, str | None]  # batch index, results and notes, or the error's text


def server() -> Any:
    """multiprocessing's forkserver context, its server started (once a run of the program;
    it ends with the program): a fresh process, safe to start beside a window's threads, that
    imports what the tokenising writers' workers need (`worker_preload`: spaCy, the writers)
    and then forks each export's first worker in milliseconds."""
    import multiprocessing
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(SERVER_PRELOAD)
    forkserver.ensure_running()  # returns at once: the server loads while this process reads
    return context


def server_cpu_seconds() -> float:
    """The CPU seconds of this run's server and of the workers it forked that have ended
    (they are its children, not this process's: benchmarks add them); 0 without one."""
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            times = stat.read().rpartition(")")[2].split()[11:15]  # its own and its children's
    except (OSError, IndexError):
        return 0.0
    return sum(map(int, times)) / os.sysconf("SC_CLK_TCK")


@contextmanager
def main_left_out() -> Iterator[None]:
    """Workers started meanwhile (spawned, or forked by a server) do not run the program's main
    script again: they need only labeler's modules, and a script without an
    `if __name__ == "__main__"` guard (one that calls the export service, say) would export
    again in each worker."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def per_document(
    work: Callable[[J, WriteReport], T],
    jobs: Iterator[J],
    report: WriteReport,
    count: int,
    batch_size: int,
    preload: Callable[[], None] | None = None,
    server: Any = None,
) -> Iterator[T]:
    """`work(job, report)` for each job, in order, in `count` workers forked now; the first
    runs `preload` (by default: loads spaCy for tokenising) before its first batch. Given a
    `server` (see `server`), the first worker is forked by it, not by this process, and the
    jobs read meanwhile are done here until it runs."""
    preload = preload or load_spacy
    import multiprocessing

    context = server or multiprocessing.get_context("fork")
    tasks: Any = context.Queue()
    # The workers send their results synchronously (a SimpleQueue has no sending thread): a
    # worker dying in its work can then never die holding the queue's lock for writers, which
    # would stop the others sending (and the leader, waiting to send, from ever ending).
    results: Any = context.SimpleQueue()
    leader = context.Process(
        target=_leader, args=(work, tasks, results, count - 1, preload), daemon=False
    )
    helpers: list[int] = []
    held: dict[int, list[T]] = {}
    sent = received = 0

    def take() -> Iterator[T]:
        """The results of the oldest batch sent, once it is back (later ones are held)."""
        nonlocal received
        while received not in held:
            index, payload, error = _next_message(results, leader, helpers)
            if index == _HELPER_PID:
                helpers.append(payload)
            elif error is not None:
                raise WorkerFailed(f"an export worker failed: {error}")
            else:
                done, notes = payload
                report.notes.update(notes)
                held[index] = done
        received += 1
        yield from held.pop(received - 1)

    try:
        if server is None:
            leader.start()  # before anything is put: no queue thread is running here yet
        elif not (yield from _done_here_while_starting(leader, work, jobs, report)):
            yield from (work(job, report) for job in jobs)  # no server: all done here
            return
        while batch := list(itertools.islice(jobs, batch_size)):
            tasks.put((sent, packed(batch)))
            sent += 1
            if sent - received > READ_AHEAD:
                yield from take()
        for _ in range(count):
            tasks.put(None)
        while received < sent:
            yield from take()
        leader.join()
    finally:
        tasks.cancel_join_thread()  # unread batches are dropped, not waited for
        if leader.pid is not None and leader.exitcode is None:
            for pid in helpers:
                _stop(pid)
            leader.terminate()
            leader.join()
        tasks.close()
        results.close()


def _done_here_while_starting(
    leader: Any, work: Callable[[J, WriteReport], T], jobs: Iterator[J], report: WriteReport
) -> Generator[T, None, bool]:
    """Starts the leader from the server in a thread, doing jobs here until it runs (at once
    from a running server; a second or so while a new one loads spaCy). Whether it started."""
    failed: list[BaseException] = []

    def start() -> None:
        try:
            with main_left_out():
                leader.start()
        except Exception as exc:  # logged: this process works on alone
            logger.warning("no export workers (%s); exporting in one process", exc)
            failed.append(exc)

    starting = threading.Thread(target=start, name="export-worker-start", daemon=True)
    starting.start()
    try:
        while starting.is_alive():
            job = next(jobs, _END)
            if job is _END:
                break
            yield work(cast(J, job), report)
    finally:
        starting.join()  # (a failure here, or the export given up: the caller ends the leader)
    return not failed


def packed(jobs: list[Any]) -> bytes:
    """A batch of jobs pickled, with spans and relations (about 20 a document) as the
    arguments of their constructor: a third less of this process's time than their dataclass
    state, and less of the workers'."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(jobs)
    return out.getvalue()


def _by_constructor(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    """How `packed` pickles a frozen dataclass whose fields are all its constructor's: as the
    class and their values (read in one call), so any field added later is carried too."""
    fields = dataclasses.fields(cls)
    if not all(f.init for f in fields):  # its constructor would not make it again
        raise TypeError(f"{cls.__name__} has fields its constructor does not take")
    values = operator.attrgetter(*(f.name for f in fields))
    return lambda instance: (cls, values(instance))


_REDUCERS: dict[type, Callable[[Any], Any]] = {
    **copyreg.dispatch_table,
    Span: _by_constructor(Span),
    Relation: _by_constructor(Relation),
}


def _next_message(results: Any, leader: Any, helpers: list[int]) -> Message:
    """The next message from the workers; WorkerFailed when one died without sending it."""
    while True:
        if results._reader.poll(_WAIT):  # only this process reads: no lock needed to look
            message: Message = results.get()
            return message
        if leader.exitcode is not None or not all(map(_alive, helpers)):
            raise WorkerFailed(
                "an export worker process ended unexpectedly (killed, or out of memory?)"
            ) from None


def _alive(pid: int) -> bool:
    """Whether a helper (the leader's child, so not waited for here) still runs."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            state = stat.read().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has ended


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)


def load_spacy() -> None:
    """Imports spaCy for tokenising alone, leaving out its command line (`spacy.cli`: Typer,
    Rich, HTTP clients, about a third of its import), which spaCy's package imports only to
    offer `spacy.info`: a worker that tokenises never uses it. Should that spaCy need it, it is
    imported the usual way."""
    if "spacy" in sys.modules:
        return
    info = types.ModuleType("spacy.cli.info")
    info.info = _no_command_line  # type: ignore[attr-defined]
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package holding nothing else
    cli.info = info  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": info})
    try:
        import spacy
    except Exception:
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
        import spacy  # noqa: F401


def _no_command_line(*args: object, **kwargs: object) -> None:
    raise RuntimeError("spaCy's command line is not loaded in an export worker")


def _leader(
    work: Callable[[Any, WriteReport], Any],
    tasks: Any,
    results: Any,
    helpers: int,
    preload: Callable[[], None],
) -> None:
    """The first worker: loads what the work needs, does the first batch, then forks the
    helpers (sharing what it loaded) and works on beside them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # this process's caller handles Ctrl-C
    preload()
    first = _next_task(tasks, os.getppid())
    message = None if first is None else _done(work, first)
    # No queue thread has started in this process yet (nothing was put): forking is safe.
    pids = [_helper(work, tasks, results) for _ in range(helpers if first is not None else 0)]
    for pid in pids:
        results.put((_HELPER_PID, pid, None))
    if message is not None:
        results.put(message)
        _serve(work, tasks, results)
    for pid in pids:
        os.waitpid(pid, 0)  # (their CPU time is then counted in this process's children's)


def _helper(work: Callable[[Any, WriteReport], Any], tasks: Any, results: Any) -> int:
    """Forks a helper working beside the leader; its process id."""
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        _serve(work, tasks, results)
        results.close()  # its results were sent as they were put
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _serve(work: Callable[[Any, WriteReport], Any], tasks: Any, results: Any) -> None:
    """Works on batches until told to stop."""
    parent = os.getppid()
    while (task := _next_task(tasks, parent)) is not None:
        results.put(_done(work, task))


def _next_task(tasks: Any, parent: int) -> tuple[int, bytes] | None:
    """The next batch; None when told to stop. A worker whose parent died (killed, so that
    it never says stop) ends at once: nobody reads what it would send."""
    while True:
        try:
            task: tuple[int, bytes] | None = tasks.get(timeout=_WAIT)
            return task
        except queue.Empty:
            if os.getppid() != parent:
                os._exit(1)


def _done(work: Callable[[Any, WriteReport], Any], task: tuple[int, bytes]) -> Message:
    index, batch = task
    report = WriteReport()
    try:
        jobs = pickle.loads(batch)
        return index, ([work(job, report) for job in jobs], report.notes), None
    except Exception as exc:  # sent back, raised by the exporting process
        detail = traceback.format_exception_only(exc)[-1].strip()
        return index, None, detail
