"""Export use case: a project's chosen documents and annotations to a file or folder of a format.

The work itself (export_run) reads through a plain reader on the database connection of a
reading transaction; the options, report and refusals are in export_choice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from labeler.formats import registry
from labeler.services.export_choice import (
    ANY_STATUS,
    CLI_CHOICES,
    DOCUMENT_LABELS_LOST,
    Choice,
    ExportCancelled,
    ExportOptions,
    ExportReport,
    NothingToExport,
    SeveralAnnotators,
)
from labeler.services.export_run import export_format, export_from, several_annotators_in
from labeler.services.folder_swap import recover_pending
from labeler.storage.database import Database
from labeler.storage.session_read import reader_of

__all__ = [
    "ANY_STATUS",
    "CLI_CHOICES",
    "DOCUMENT_LABELS_LOST",
    "ExportCancelled",
    "ExportOptions",
    "ExportReport",
    "ExportService",
    "NothingToExport",
    "SeveralAnnotators",
]


class ExportService:
    def __init__(self, db: Database, pending: Path | None = None) -> None:
        self._db = db
        self._pending = pending  # notes of exports under way, read by recover() at the next start

    def recover(self) -> list[str]:
        """Puts right what exports killed since the last start left: a folder half replaced
        goes back in place, staging folders are removed. A line for each thing done."""
        return recover_pending(self._pending) if self._pending is not None else []

    def export(
        self,
        project_name: str,
        format_name: str,
        out: Path,
        options: ExportOptions | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        overwrite: bool = False,
    ) -> ExportReport:
        """Writes the chosen part of a project to `out`; with several splits, one output each.

        One split goes to `out` itself; several go into the folder `out`, as train/dev/test
        files (or folders, for formats that write folders). A format that writes a whole
        dataset (Hugging Face) gets every split at once and fills the folder `out`.
        A cancelled or failed export changes nothing on disk. An existing file is replaced only
        with `overwrite`; a folder only when it holds an earlier export; the database never.
        """
        options = options or ExportOptions()
        fmt = export_format(format_name, options)
        with self._db.reading() as store:
            return export_from(
                reader_of(store.session),
                tuple(self._db.files),
                self._pending,
                project_name,
                fmt,
                out,
                options,
                progress,
                cancelled,
                overwrite,
            )

    def several_annotators(
        self, project_name: str, format_name: str, options: ExportOptions
    ) -> SeveralAnnotators | None:
        """Why export would refuse for want of a choice of annotator, or None if it would not."""
        fmt = registry.get(format_name)
        with self._db.reading() as store:
            reader = reader_of(store.session)
            project = reader.project(project_name)
            return several_annotators_in(reader, project, fmt, Choice.of(fmt, options))
