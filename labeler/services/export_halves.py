"""A command-line export of a format written a document a line (JSON lines), in two processes:
a process forked as the writing starts reads and writes the second half of the documents
while this one does the first, and the halves are joined. Reading and writing the lines is
all an export of JSON lines does, so on two cores it takes little more than half the time.

The forked process reads through its copy of this process's connection, inside the read
transaction this process opened: the same snapshot of the database, its pages kept by the
locks this process holds until the other is done. It never ends that transaction nor closes
the connection (it leaves by os._exit), so nothing of this process's state changes. Should it
fail, this process writes the second half itself; the file is the same either way.

Only where workers may be forked (a command-line process with no other thread; see
`parallel.FORK`), on Linux.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from labeler.formats import parallel
from labeler.formats.records import ExportItem, WriteReport
from labeler.services.export_choice import ExportReport

AT_LEAST = 2000
"""Documents an export must have for its second half to be written by another process: below
that, starting it costs more than it saves."""

Items = Callable[[ExportReport, int, int | None], Iterable[ExportItem]]
"""The items of the documents with ids from start and before stop (None: to the last), counted
in the given report."""
Write = Callable[[Path, Iterable[ExportItem]], WriteReport]


def halves_allowed(documents: int) -> bool:
    """Whether an export of this many documents may be written in two processes now."""
    return (
        parallel.FORK
        and sys.platform == "linux"
        and parallel.threads() == 1
        and documents >= AT_LEAST
        and parallel.processes() > 1
    )


def write_halves(
    write: Write, target: Path, items: Items, middle: int, report: ExportReport
) -> WriteReport:
    """What `write(target, items(report, 0, None))` writes and returns, the documents from
    `middle` on written by a forked process meanwhile (into a file beside `target`, appended
    to it at the end)."""
    second = target.with_name(target.name + ".second")
    reading, sending = os.pipe()
    pid = os.fork()
    if pid == 0:  # the second process: writes its half, sends what it counted, and ends
        os.close(reading)
        _second_half(write, second, items, middle, report.splits, sending)
    os.close(sending)
    try:
        written = write(target, items(report, 0, middle))
        with os.fdopen(reading, "rb") as pipe:
            message = pipe.read()
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    os.waitpid(pid, 0)
    if message:
        counted, also = _counts_of(message)
    else:  # the other process failed: its half is written here
        counted = ExportReport(splits=report.splits)
        also = write(second, items(counted, middle, None))
    _add(report, counted)
    written.documents += also.documents
    written.notes.update(also.notes)
    _append(target, second)
    second.unlink()
    return written


def _second_half(
    write: Write, second: Path, items: Items, middle: int, splits: list[str], sending: int
) -> None:
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the first process handles Ctrl-C
        counted = ExportReport(splits=splits)
        also = write(second, items(counted, middle, None))
        message = _message(counted, also)
        with os.fdopen(sending, "wb") as pipe:
            pipe.write(message)
        code = 0
    finally:
        os._exit(code)  # nothing of the first process's (its connection) is closed here


_COUNTERS = ("spans_by_label", "documents_by_split", "left_out", "not_carried")


def _message(counted: ExportReport, written: WriteReport) -> bytes:
    """What the second half counted, as the second process sends it."""
    return json.dumps(
        {
            "documents": counted.documents,
            "relations": counted.relations,
            "suggestions": counted.suggestions,
            **{name: getattr(counted, name) for name in _COUNTERS},
            "written": written.documents,
            "notes": written.notes,
        }
    ).encode()


def _counts_of(message: bytes) -> tuple[ExportReport, WriteReport]:
    """The counts _message sent."""
    found = json.loads(message)
    counted = ExportReport(
        documents=found["documents"], relations=found["relations"], suggestions=found["suggestions"]
    )
    for name in _COUNTERS:
        getattr(counted, name).update(found[name])
    return counted, WriteReport(found["written"], Counter(found["notes"]))


def _add(report: ExportReport, counted: ExportReport) -> None:
    """Adds what the second half counted to the report of the first."""
    report.documents += counted.documents
    report.relations += counted.relations
    report.suggestions += counted.suggestions
    for name in _COUNTERS:
        getattr(report, name).update(getattr(counted, name))


def _append(target: Path, second: Path) -> None:
    """Appends the second file to the first (in the kernel, where it can)."""
    with second.open("rb") as rest, target.open("r+b") as out:
        end = out.seek(0, os.SEEK_END)
        size = os.fstat(rest.fileno()).st_size
        done = 0
        try:
            while done < size:
                copied = os.copy_file_range(
                    rest.fileno(), out.fileno(), size - done, done, end + done
                )
                if not copied:
                    break
                done += copied
        except (AttributeError, OSError):
            pass  # the rest is copied below, from where the kernel stopped
        if done < size:  # no copy_file_range here, or the files' systems refuse it
            rest.seek(done)
            out.seek(end + done)
            shutil.copyfileobj(rest, out, 1 << 20)
