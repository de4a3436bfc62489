"""Putting a new export folder in place of an old one so that, killed at any moment, the target
holds the old or the new export, and what a killed export left behind is cleaned next time."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

STAGING_PREFIX = ".labeler-export-"
"""Staging folders beside the target: an export writes there, then moves its result in place."""

OWNER = ".owner"
"""In a staging folder: the id of the process writing there, so no other process removes it."""

JOURNAL_PREFIX = ".labeler-swap-"
"""A journal beside the target while it is swapped without an atomic exchange."""

_STALE_SECONDS = 3600  # a staging folder with no owner to ask counts as left behind after this

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swaps two folders in one step (Linux renameat2 RENAME_EXCHANGE); False if unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here: a command that writes one file (most exports) never loads it
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    done: int = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0  # EINVAL or ENOSYS: the file system cannot; the journal path takes over


def _sync_folder(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _journal(out: Path) -> Path:
    return out.parent / f"{JOURNAL_PREFIX}{out.name}.json"


def replace_folder(staged: Path, out: Path, aside: Path) -> None:
    """Puts the folder `staged` at `out`; an old folder there goes to `aside` (which the caller
    removes). Where the system cannot swap two folders in one step, a journal beside `out`
    names both, so `recover_exports` finishes the move if the process dies in between."""
    if not out.exists():
        os.replace(staged, out)
        return
    if _exchange(staged, out):
        os.replace(staged, aside)  # the old export, now under the staging name
        return
    journal = _journal(out)
    parent = out.parent
    record = {
        "pid": os.getpid(),
        "target": out.name,
        "new": os.path.relpath(staged, parent),
        "old": os.path.relpath(aside, parent),
    }
    draft = journal.with_suffix(".tmp")
    with draft.open("w", encoding="utf-8") as handle:
        json.dump(record, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(draft, journal)
    _sync_folder(parent)
    os.replace(out, aside)
    os.replace(staged, out)
    _sync_folder(parent)
    journal.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return True  # no safe way to ask; the age of the folder decides instead
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _left_behind(staging: Path) -> bool:
    pid = _owner(staging / OWNER)
    if pid is not None and not _alive(pid):
        return True
    try:
        age = time.time() - staging.stat().st_mtime
    except OSError:
        return False
    return (pid is None or os.name == "nt") and age > _STALE_SECONDS


def recover_exports(parent: Path) -> list[str]:
    """Finishes the swaps a killed export left half done in `parent` (the new export goes in
    place; the old one if the new is gone) and removes staging folders no live export owns.
    Returns a line for each thing done."""
    done: list[str] = []
    for journal in sorted(parent.glob(f"{JOURNAL_PREFIX}*.json")):
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            pid, target = int(record["pid"]), parent / str(record["target"])
            new, old = parent / str(record["new"]), parent / str(record["old"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not ours to judge; left as found
        if _alive(pid):
            continue
        if not target.exists():
            for found, which in ((new, "new"), (old, "earlier")):
                if found.is_dir():
                    os.replace(found, target)
                    done.append(f"{target}: the {which} export put back in place")
                    break
        journal.unlink(missing_ok=True)
    for staging in sorted(parent.glob(f"{STAGING_PREFIX}*")):
        if staging.is_dir() and _left_behind(staging):
            shutil.rmtree(staging, ignore_errors=True)
            done.append(f"{staging}: removed, left behind by an export that did not finish")
    for draft in parent.glob(f"{JOURNAL_PREFIX}*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - draft.stat().st_mtime > _STALE_SECONDS:
                draft.unlink()
    return done


def note_pending(index: Path, parent: Path) -> Path:
    """Records in the folder `index` that an export is under way in `parent`, so that the next
    start of the app can put right what it leaves if it is killed; returns the note to remove."""
    index.mkdir(parents=True, exist_ok=True)
    note = index / f"{os.getpid()}-{time.monotonic_ns()}.txt"
    note.write_text(f"{os.getpid()}\n{parent.resolve()}\n", encoding="utf-8")
    return note


def recover_pending(index: Path) -> list[str]:
    """At start: recovers the folders of exports noted in `index` whose process is gone."""
    done: list[str] = []
    if not index.is_dir():
        return done
    for note in sorted(index.glob("*.txt")):
        try:
            pid_line, parent_line = note.read_text(encoding="utf-8").splitlines()[:2]
            pid, parent = int(pid_line), Path(parent_line)
        except (OSError, ValueError):
            note.unlink(missing_ok=True)
            continue
        if _alive(pid):
            continue
        if parent.is_dir():
            done += recover_exports(parent)
        note.unlink(missing_ok=True)
    return done
