"""Import use case: read files, check them against the project's schema, store all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from labeler.domain.annotation import DEFAULT_ANNOTATOR
from labeler.formats.records import ReadOptions
from labeler.services.collector import fewer_collections
from labeler.services.import_checks import check_record, collect_files
from labeler.services.import_run import (
    ImportCancelled,
    ImportProgress,
    ImportReport,
    read_and_store,
)
from labeler.storage.database import Database

__all__ = [
    "DEFAULT_ANNOTATOR",
    "ImportCancelled",
    "ImportProgress",
    "ImportReport",
    "ImportService",
    "check_record",
    "collect_files",
]


class ImportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def import_paths(
        self,
        project_name: str,
        paths: Sequence[Path],
        *,
        format_name: str | None = None,
        options: ReadOptions | None = None,
        skip_bad: bool = False,
        annotator: str = DEFAULT_ANNOTATOR,
        progress: Callable[[ImportProgress], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        follow_links: bool = False,
    ) -> ImportReport:
        """Imports every document the paths hold, in one transaction.

        A bad file or record raises InputError and stores nothing, unless skip_bad is set:
        then it is left out and listed in the report. Links in folders that lead outside the
        chosen folders are listed in the report and not read, unless follow_links is set.
        """
        options = options or ReadOptions()
        links: list[str] = []
        files = collect_files(paths, format_name, follow_links=follow_links, skipped_links=links)
        report = ImportReport(files=len(files), links=links)
        with fewer_collections(), self._db.transaction() as store:
            project = store.projects.get(project_name)
            read_and_store(
                store.bulk(),
                project.id,
                project.schema,
                files,
                report,
                store.suggestions.store,
                options=options,
                skip_bad=skip_bad,
                annotator=annotator,
                progress=progress,
                cancelled=cancelled,
            )
        return report
