"""Many small files of one folder written by a helper process, for writers of a file per document.

Creating a file costs system time that varies with the file system (on ext4 without a journal,
up to twenty times more soon after many files were deleted). A thread cannot take that cost off
the writer: it needs the GIL back after every system call, and a busy writer holds it for the
switch interval (5 ms) each time. A small Python process of its own (no imports, started once)
reads the files from a pipe and creates them while the writer makes the next ones, on the other
core. The first files are written here, so a small export starts no process; a frozen
application (no Python to start) writes every file here.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from types import TracebackType

# The helper: reads (name length, data length, name, data) records from stdin until it ends and
# writes each file (none cut short); on a failure it says why on stderr, as
# "errno<TAB>reason<TAB>file", and stops.
_HELPER = """
import os, sys
folder, read = os.fsencode(sys.argv[1]), sys.stdin.buffer.read
flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
while len(head := read(8)) == 8:
    name, size = read(int.from_bytes(head[:4], "little")), int.from_bytes(head[4:], "little")
    data = memoryview(read(size))
    if len(data) < size:  # the writer stopped short: no file cut short
        break
    path = os.path.join(folder, name)
    try:
        fd = os.open(path, flags, 0o666)
        try:
            while data:
                data = data[os.write(fd, data):]
        finally:
            os.close(fd)
    except OSError as exc:
        sys.stderr.write(f"{exc.errno}\\t{exc.strerror}\\t{os.fsdecode(path)}")
        sys.exit(1)
"""

# Files written here before the helper starts: an export this small gains less than starting a
# Python process costs (about 20 ms).
DIRECT = 100
PIPE_BYTES = 1 << 20  # Linux's largest pipe for a user (/proc/sys/fs/pipe-max-size)


class FileSink:
    """Writes files into `folder`: the first `direct` (default DIRECT) here, the rest through a
    helper process (unless `helper` is False). `close` (or leaving the `with` block) waits until
    every file is written, and raises the OSError a file met, as writing it here would have."""

    def __init__(self, folder: Path, direct: int | None = None, helper: bool = True) -> None:
        self.folder = folder
        self.pid = os.getpid()  # a forked worker holding a copy writes its own files
        if not helper or getattr(sys, "frozen", False) or not sys.executable:
            direct = -1  # never the helper
        self._direct = DIRECT if direct is None else direct
        self._process: subprocess.Popen[bytes] | None = None

    def write(self, name: str, data: bytes) -> None:
        """Writes `data` to the file `name` in the folder (replacing it)."""
        if self._process is None or os.getpid() != self.pid:  # (a forked copy: never the pipe)
            if self._direct != 0 or os.getpid() != self.pid:
                (self.folder / name).write_bytes(data)
                self._direct -= 1
                return
            try:
                self._process = self._start()
            except OSError:  # no Python to start after all: every file written here
                self._direct = -1
                self.write(name, data)
                return
        encoded = os.fsencode(name)
        head = len(encoded).to_bytes(4, "little") + len(data).to_bytes(4, "little") + encoded
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(head + data)  # one system call, not two
        except BrokenPipeError:  # the helper stopped on a failure: say which
            self.close()
            raise

    def _start(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _HELPER, str(self.folder)],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
        )
        if sys.platform == "linux" and process.stdin is not None:  # room for dozens of files
            import fcntl

            with contextlib.suppress(OSError):
                fcntl.fcntl(process.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        return process

    def close(self) -> None:
        """Waits for every file; raises OSError if one could not be written."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            _, failure = process.communicate()
        except BrokenPipeError:  # the helper stopped before the last bytes were flushed
            process.wait()
            assert process.stderr is not None
            failure = process.stderr.read()
        if process.returncode:
            errno, reason, file = ([*failure.decode(errors="replace").split("\t", 2), "", ""])[:3]
            if errno.isdigit():
                raise OSError(int(errno), reason, file)
            raise OSError(f"writing the files failed: {failure.decode(errors='replace')}")

    def __enter__(self) -> FileSink:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
            return
        with contextlib.suppress(OSError):  # already failing: wait, and keep the first error
            self.close()
