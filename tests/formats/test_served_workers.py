"""In-process exports (the window's, on a thread) spread their tokenising over workers forked by
a server process: the same bytes, in order, with the notes; failures raised here; no process
left behind."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from labeler.domain.schema import LabelSchema
from labeler.formats import forked, parallel
from labeler.formats.records import WriteReport
from tests.formats.test_parallel_export import (
    _dies_on_seven,
    _fails_on_seven,
    _items,
    _pid,
    _square,
    _written,
)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> None:
    """Served workers from the first jobs on, two of them, with a running server (so that the
    jobs go to the workers, not to this process while the server loads)."""
    monkeypatch.setattr(parallel, "FORK", False)
    monkeypatch.setattr(parallel, "EARLY", True)
    monkeypatch.setattr(parallel, "SERVED", True)
    monkeypatch.setattr(parallel, "SERVER_FROM", 0)
    monkeypatch.setattr(parallel, "SERVED_AFTER", 0)
    monkeypatch.setattr(parallel, "BATCH", 2)
    monkeypatch.setattr(parallel, "PROCESSES", 2)
    monkeypatch.setattr(parallel, "spare_cores", lambda: 2.0)  # however busy the machine
    ready = forked.server().Process(target=os.getpid)
    with forked.main_left_out():
        ready.start()  # returns once the server forked it: the server has loaded
    ready.join()
    monkeypatch.setattr(forked, "_done_here_while_starting", _started_at_once)


def _started_at_once(leader: Any, *args: Any) -> Iterator[Any]:
    """Every job goes to the workers (none done here while the first starts)."""
    with forked.main_left_out():
        leader.start()
    return True
    yield  # a generator, as the one it stands for


def _in_a_thread(run: Callable[[], Any]) -> Any:
    """`run()` on another thread, as the window runs its exports; its result or its error."""
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append(run())
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _jobs(work: Callable[[int, WriteReport], Any], count: int, report: WriteReport) -> list[Any]:
    return list(parallel.per_document(work, range(count), report, tokenised=True))


def _ended(pids: set[int]) -> bool:
    deadline = time.monotonic() + 10
    while any(map(forked._alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(map(forked._alive, pids))


@pytest.mark.parametrize("name", ["prodigy", "spacy", "conll", "hf", "xmi"])
def test_served_workers_write_the_same_bytes_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema: LabelSchema, name: str, served: None
) -> None:
    items = _items(schema) * 2  # several batches for each worker
    with monkeypatch.context() as alone:
        alone.setattr(parallel, "SERVED", False)
        one = _written(tmp_path / "alone", name, items, schema)
    spread = _in_a_thread(lambda: _written(tmp_path / "spread", name, items, schema))
    assert spread == one


def test_served_workers_keep_the_order_and_the_notes_and_end(served: None) -> None:
    report = WriteReport()
    squares = _in_a_thread(lambda: _jobs(_square, 40, report))
    assert squares == [n * n for n in range(40)]
    assert report.notes == {"odd": 20}
    pids = _in_a_thread(lambda: _jobs(_pid, 40, WriteReport()))
    workers = set(pids) - {os.getpid()}
    assert len(workers) == 2  # the leader and the helper it forked
    assert os.getpid() not in pids
    assert _ended(workers)


def test_a_served_worker_failure_is_raised_here_and_no_worker_is_left(served: None) -> None:
    with pytest.raises(forked.WorkerFailed, match="ValueError: no tokenizer for language 'zz'"):
        _in_a_thread(lambda: _jobs(_fails_on_seven, 40, WriteReport()))
    with pytest.raises(forked.WorkerFailed, match="ended unexpectedly"):
        _in_a_thread(lambda: _jobs(_dies_on_seven, 40, WriteReport()))
    assert _ended(_server_children())


def _server_children() -> set[int]:
    """The processes the server forked that still run (or wait to be reaped)."""
    from multiprocessing import forkserver

    server = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]
    found = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == server:
                found.add(int(entry.name))
    return found


def test_small_exports_start_no_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "spare_cores", lambda: 2.0)
    monkeypatch.setattr(parallel, "FORK", False)
    monkeypatch.setattr(parallel, "EARLY", True)
    monkeypatch.setattr(parallel, "PROCESSES", 2)
    monkeypatch.setattr(parallel, "SERVER_FROM", 20)
    monkeypatch.setattr(parallel, "SERVED_AFTER", 30)
    started: list[bool] = []
    monkeypatch.setattr(forked, "server", lambda: started.append(True))
    assert _jobs(_pid, 20, WriteReport()) == [os.getpid()] * 20
    assert started == []


class _NoServer:
    """A server context whose workers cannot start (as where the server could not run)."""

    def Queue(self) -> Any:
        import multiprocessing

        return multiprocessing.get_context("spawn").Queue()

    def SimpleQueue(self) -> Any:
        import multiprocessing

        return multiprocessing.get_context("spawn").SimpleQueue()

    def Process(self, **kwargs: Any) -> Any:
        return _Unstartable()


class _Unstartable:
    pid = None

    def start(self) -> None:
        raise OSError("no server")


class _SlowServer(_NoServer):
    """One whose server takes a while (loading spaCy): the first jobs are done here."""

    def Process(self, **kwargs: Any) -> Any:
        import multiprocessing

        return _SlowStart(multiprocessing.get_context("forkserver").Process(**kwargs))


class _SlowStart:
    def __init__(self, process: Any) -> None:
        self.process = process

    def start(self) -> None:
        time.sleep(0.3)
        self.process.start()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.process, name)


def test_no_served_workers_on_a_busy_machine(monkeypatch: pytest.MonkeyPatch, served: None) -> None:
    monkeypatch.setattr(parallel, "spare_cores", lambda: 0.3)  # two cores, load 2.7
    assert _in_a_thread(lambda: _jobs(_pid, 40, WriteReport())) == [os.getpid()] * 40


def test_jobs_are_done_here_while_the_first_worker_starts() -> None:
    report = WriteReport()
    jobs = forked.per_document(_square, iter(range(40)), report, 2, 2, server=_SlowServer())
    assert list(jobs) == [n * n for n in range(40)]
    assert report.notes == {"odd": 20}


def test_without_a_server_the_work_is_done_here() -> None:
    report = WriteReport()
    jobs = forked.per_document(_square, iter(range(10)), report, 2, 2, server=_NoServer())
    assert list(jobs) == [n * n for n in range(10)]
    assert report.notes == {"odd": 5}


EXITS = """
import os
from multiprocessing import forkserver
from labeler.formats import forked, parallel
from labeler.formats.records import WriteReport
from tests.formats.test_served_workers import _slow_pid
ready = forked.server().Process(target=os.getpid)
ready.start()  # once the server has loaded
ready.join()
parallel.EARLY, parallel.PROCESSES, parallel.SERVER_FROM, parallel.SERVED_AFTER = True, 2, 0, 2
parallel.SPARE = -100  # however busy the machine
pids = list(parallel.per_document(_slow_pid, range(300), WriteReport(), tokenised=True))
print(forkserver._forkserver._forkserver_pid, len(set(pids) - {os.getpid()}))
"""


def _slow_pid(job: int, report: WriteReport) -> int:
    time.sleep(0.002)
    return os.getpid()


def test_a_program_that_used_served_workers_ends_and_so_does_its_server() -> None:
    done = subprocess.run(
        [sys.executable, "-c", EXITS],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr
    server, workers = map(int, done.stdout.split())
    assert workers >= 1
    assert _ended({server})
