"""The reading half of a lean import in a process of its own: forked as the import starts (on
Linux, from a process with no other thread), it reads and checks the files while this process
stores what it has read, so the two run side by side on two cores instead of one after the
other (a 5,000-task Label Studio file: its JSON, regions and checks are half the import).

The reader writes each checked record as plain values (marshal), a few dozen at a time, in the
order it read them, with the progress lines, to a file in memory, and the length of each chunk
down a pipe (which never fills: no thread here has to empty it, and the reader never waits).
This process builds the same objects again (without checking them twice) and stores them as it
would have stored its own. A bad record ends the reading: its InputError, file and line, is
raised here when the records before it have been taken, as when one process reads. A record
with suggestions, or any failure of the reader, ends the lean import (nothing stored): the
usual path then imports the files. quick_import.READER_PROCESS = False keeps the reading here.
"""

from __future__ import annotations

import marshal
import os
import signal
import struct
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import date
from typing import Any

from labeler.domain.annotation import AnnotationSet, Relation, Status
from labeler.domain.curated import CuratedMark
from labeler.domain.document import Document
from labeler.domain.errors import InputError, Location
from labeler.domain.schema import LabelSchema
from labeler.domain.spans import built_span
from labeler.formats import parallel
from labeler.formats.records import Record
from labeler.services.import_run import ImportProgress, Prepared

Events = Iterator[Prepared | ImportProgress]
_DOCUMENT_FIELDS = ("text", "title", "date", "meta", "id", "digest")
assert tuple(f.name for f in fields(Document)) == _DOCUMENT_FIELDS, "Document's fields changed"
_CHUNK = 25  # records sent at once
_HEADER = struct.Struct("<Q")
_RECORD, _PROGRESS, _ERROR, _USUAL, _FAILED, _END = range(6)


class ReaderUsual(Exception):
    """The reader met what the usual path imports (suggestions): nothing was stored."""


class ReaderFailed(RuntimeError):
    """The reading process failed or died; its cause, when it could tell it."""


MAX_BYTES = 256 << 20
"""The largest input read aside: the reader's records stay in memory (its stream is never
cut) until the import ends, about as many bytes as the files hold."""


def can_fork(input_bytes: int) -> bool:
    """Whether the reading of files of this size may go to a forked process here: Linux, no
    other thread, not even one of a C library (a thread's locks would be copied held, and the
    reader could hang), a core to spare (the load of the last minute below the cores this
    process may use: on a busy machine the reader would only add its own work), and files no
    larger than MAX_BYTES."""
    if sys.platform != "linux" or not hasattr(os, "memfd_create") or input_bytes > MAX_BYTES:
        return False
    # Threads of C libraries (a BLAS, Arrow) count too: /proc lists every one of the process.
    alone = parallel.threads() == 1
    return alone and os.getloadavg()[0] < len(os.sched_getaffinity(0))


def read_aside(read: Callable[[], Events], schema: LabelSchema) -> Events:
    """The events `read()` yields, read and checked in a forked process; started at once."""
    stream = os.memfd_create("labeler-import-reader")  # the records, in memory
    readable, writable = os.pipe()  # the length of each chunk, once it is in the stream
    pid = os.fork()
    if pid == 0:  # the reader: never returns, never touches what the parent opened
        os.close(readable)
        _child(read, stream, writable)
    os.close(writable)
    return _received(pid, stream, readable, schema)


def _child(read: Callable[[], Events], stream: int, lengths: int) -> None:
    code = 0
    try:
        batch: list[tuple[Any, ...]] = []
        try:
            for event in read():
                if isinstance(event, ImportProgress):
                    batch.append((_PROGRESS, *_progress_values(event)))
                    continue
                if event.suggestions:
                    batch.append((_USUAL,))
                    break
                batch.append(_packed(event))
                if len(batch) >= _CHUNK:
                    _send(stream, lengths, batch)
                    batch = []
            else:
                batch.append((_END,))
        except InputError as exc:
            batch.append((_ERROR, exc.location.file, exc.location.line, exc.reason))
        except BaseException:  # the parent names it and goes the usual way
            batch.append((_FAILED, traceback.format_exc()))
        _send(stream, lengths, batch)
    except BaseException:  # the parent is gone (broken pipe), or this process cannot write
        code = 1
    os._exit(code)  # no clean-up: the database connection is the parent's


def _send(stream: int, lengths: int, batch: list[tuple[Any, ...]]) -> None:
    """Appends a chunk to the stream, then says how long it is (a pipe never fills with
    lengths, so the reader never waits for this process)."""
    chunk = marshal.dumps(batch)
    data = memoryview(chunk)
    while data:
        data = data[os.write(stream, data) :]
    os.write(lengths, _HEADER.pack(len(chunk)))


def _progress_values(p: ImportProgress) -> tuple[int, int, int, str]:
    return p.files_done, p.files_total, p.records, p.current


def _packed(p: Prepared) -> tuple[Any, ...]:
    doc = p.record.document
    where = p.record.location
    day = doc.date.isoformat() if doc.date is not None else None
    sets = [
        (
            s.annotator,
            s.status.value,
            s.note,
            s.active_seconds,
            s.document_labels,
            (s.curated.curator, s.curated.spans, s.curated.relations) if s.curated else None,
            [
                (sp.start, sp.end, sp.label, sp.layer, sp.text, sp.attributes, sp.id, sp.note)
                for sp in s.spans.values()
            ],
            [(r.type, r.head, r.tail, r.attributes, r.id, r.note) for r in s.relations.values()],
            s._next_local,
        )
        for s in p.sets
    ]
    return (_RECORD, doc.text, doc.title, day, doc.meta, doc.digest, where.file, where.line, sets)


def _built(values: tuple[Any, ...], schema: LabelSchema) -> Prepared:
    """The record _packed was given, built again (its spans and relations checked already)."""
    _, text, title, day, meta, digest, file, line, sets = values
    # Document(...) again, without hashing its text a second time.
    document = object.__new__(Document)
    when = date.fromisoformat(day) if day else None
    for name, value in zip(_DOCUMENT_FIELDS, (text, title, when, meta, None, digest), strict=True):
        object.__setattr__(document, name, value)
    built = [
        AnnotationSet(
            schema,
            annotator,
            Status(status),
            {sp[6]: built_span(*sp) for sp in spans},
            {r[4]: Relation(*r) for r in relations},
            note=note,
            active_seconds=seconds,
            document_labels=labels,
            curated=CuratedMark(*curated) if curated is not None else None,
            _next_local=next_local,
        )
        for annotator, status, note, seconds, labels, curated, spans, relations, next_local in sets
    ]
    return Prepared(Record(document, Location(file, line)), built)


def _received(pid: int, stream: int, lengths: int, schema: LabelSchema) -> Events:
    """The reader's events, in its order: each chunk read from the stream once the reader
    has said its length."""
    at = 0
    try:
        while True:
            header = os.read(lengths, _HEADER.size)
            while header and len(header) < _HEADER.size:
                more = os.read(lengths, _HEADER.size - len(header))
                if not more:
                    break
                header += more
            if len(header) < _HEADER.size:
                raise ReaderFailed("the reading process ended without a word")
            size = _HEADER.unpack(header)[0]
            data = os.pread(stream, size, at)
            at += size
            for values in marshal.loads(data):
                kind = values[0]
                if kind == _RECORD:
                    yield _built(values, schema)
                elif kind == _PROGRESS:
                    yield ImportProgress(*values[1:])
                elif kind == _END:
                    return
                elif kind == _ERROR:
                    raise _input_error(values[1], values[2], values[3])
                elif kind == _USUAL:
                    raise ReaderUsual
                else:
                    raise ReaderFailed(f"the reading process failed:\n{values[1]}")
    finally:
        _end(pid)
        os.close(lengths)
        os.close(stream)


def _input_error(file: str, line: int | None, reason: str) -> InputError:
    """The reader's InputError again, its reason as it was (not cut a second time)."""
    error = InputError(Location(file, line), "")
    error.reason = reason
    error.args = (f"{error.location}: {reason}",)
    return error


def _end(pid: int) -> None:
    """Stops the reader if it still runs (this process stopped taking its records), and
    waits for it."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except ChildProcessError:
        pass
