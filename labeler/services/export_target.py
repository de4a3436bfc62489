"""Where an export goes: checked before writing, written aside, put in place only when done."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from labeler.domain.errors import LabelerError
from labeler.services.folder_swap import (
    OWNER,
    STAGING_PREFIX,
    note_pending,
    recover_exports,
    replace_folder,
)

EXPORT_MARK = ".labeler-export"
"""Written into every folder an export fills, so that a later export may replace it whole."""


class ExportTarget:
    """A file or a folder to export to.

    Use as a context manager: it yields the path to write to (inside a staging folder beside
    the target); `commit()` puts what was written in place. A failed or cancelled export leaves
    the disk as it was. A folder is replaced whole, so no file of an earlier export lingers;
    a folder that holds anything but an earlier export is refused, never emptied.
    """

    def __init__(
        self,
        out: Path,
        folder: bool,
        overwrite: bool = False,
        protected: tuple[Path, ...] = (),
        pending: Path | None = None,
    ) -> None:
        self.out = out
        self.folder = folder
        self.overwrite = overwrite  # may an existing file be replaced?
        self.protected = protected  # files never to replace (the database itself)
        self._staging: Path | None = None
        self._pending = pending  # a folder of notes of exports under way, for the next start
        self._note: Path | None = None

    def check(self) -> None:
        out = self.out
        if out.resolve() in self.protected:
            raise LabelerError(f"{out} is the project's database; choose another name")
        if self.folder:
            if out.exists() and not out.is_dir():
                raise LabelerError(f"{out} is a file; this export writes a folder")
            if out.is_dir() and any(out.iterdir()) and not (out / EXPORT_MARK).exists():
                raise LabelerError(
                    f"{out} holds files that are not an earlier labeler export; "
                    "choose a new or empty folder"
                )
        elif out.is_dir():
            raise LabelerError(f"{out} is a folder; name the file to write inside it")
        elif out.exists() and not self.overwrite:
            raise LabelerError(f"{out} exists; choose another name, or allow replacing it")

    def __enter__(self) -> Path:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        recover_exports(self.out.parent)  # what a killed export left here, before the checks
        self.check()
        if self._pending is not None:
            self._note = note_pending(self._pending, self.out.parent)
        self._staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.out.parent))
        (self._staging / OWNER).write_text(f"{os.getpid()}\n", encoding="utf-8")
        return self._staging / self.out.name

    def commit(self) -> None:
        assert self._staging is not None, "commit() inside the with block"
        staged = self._staging / self.out.name
        if self.folder:
            staged.mkdir(exist_ok=True)
            (staged / EXPORT_MARK).write_text("written by labeler export\n", encoding="utf-8")
            replace_folder(staged, self.out, self._staging / ".replaced")
            return
        # One file, and any files a format writes beside it (Label Studio's config XML).
        entries = [e for e in self._staging.iterdir() if e.name != OWNER]
        for entry in entries:
            if (self.out.parent / entry.name).is_dir():
                raise LabelerError(f"{self.out.parent / entry.name} is a folder; not replaced")
        for entry in entries:
            os.replace(entry, self.out.parent / entry.name)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None
        if self._note is not None:
            self._note.unlink(missing_ok=True)
            self._note = None
