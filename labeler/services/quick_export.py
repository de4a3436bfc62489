"""`labeler export` on an up-to-date SQLite database without SQLAlchemy: the same export
(export_run on a plain reader) over sqlite3, in a fraction of the start-up time."""

from __future__ import annotations

from pathlib import Path

from labeler.services.export_choice import ExportOptions, ExportReport
from labeler.services.export_run import export_format, export_from
from labeler.services.folder_swap import recover_pending
from labeler.storage.quick_read import QuickDatabase, open_current

_LINES = {"jsonl"}
"""The formats whose file is their documents' lines one after another, nothing else: written in
two processes where that is allowed (see export_halves)."""


class QuickExporter:
    """ExportService's export (without progress or cancel) on a database read with sqlite3."""

    def __init__(self, database: QuickDatabase, pending: Path | None) -> None:
        self._database = database
        self._pending = pending

    def recover(self) -> list[str]:
        """As ExportService.recover: puts right what exports killed since the last start left."""
        return recover_pending(self._pending) if self._pending is not None else []

    def export(
        self,
        project_name: str,
        format_name: str,
        out: Path,
        options: ExportOptions | None = None,
        overwrite: bool = False,
    ) -> ExportReport:
        """As ExportService.export."""
        options = options or ExportOptions()
        fmt = export_format(format_name, options)
        with self._database.reading() as reader:
            return export_from(
                reader,
                tuple(self._database.files),
                self._pending,
                project_name,
                fmt,
                out,
                options,
                overwrite=overwrite,
                halves=fmt.name in _LINES,
            )

    def close(self) -> None:
        self._database.close()


def quick_exporter(url: str, pending: Path | None) -> QuickExporter | None:
    """An exporter on the database `url` names, when sqlite3 alone can read it and its owner
    may export (a bundle is its annotator's: the usual path refuses them); None otherwise."""
    database = open_current(url)
    if database is None:
        return None
    try:
        bundle = len(database.taken_by()) == 1
    except Exception:
        database.close()
        raise
    if bundle:
        database.close()
        return None
    return QuickExporter(database, pending)
