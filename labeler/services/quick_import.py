"""`labeler import` on an up-to-date SQLite file without SQLAlchemy, SQLModel or Typer: the
same reading, checks and inserts as ImportService (services.import_run on bulk_rows), on a
plain sqlite3 connection, in one transaction. Starting up takes a tenth of the time."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from labeler.domain.errors import LabelerError
from labeler.domain.schema_toml import parse_schema
from labeler.domain.suggestion import Suggestion
from labeler.formats.records import ReadOptions
from labeler.services import import_reader
from labeler.services.collector import fewer_collections
from labeler.services.import_checks import collect_files
from labeler.services.import_run import ImportProgress, ImportReport, read_and_store, read_checked
from labeler.storage.quick_write import busy, open_for_import

READER_PROCESS = True
"""Whether the files may be read and checked in a forked process (see import_reader) while
this one stores them; where it cannot fork, this process reads them."""


class _Usual(Exception):
    """Met something the lean path leaves to the usual one; nothing was stored."""


def _no_suggestions(_document_id: int, _suggestions: list[Suggestion]) -> int:
    raise _Usual  # stored by the suggestion repository, on the usual path


def quick_import(
    url: str,
    project_name: str,
    paths: Sequence[Path],
    annotator: str,
    progress: Callable[[ImportProgress], None] | None = None,
) -> ImportReport | None:
    """Imports the paths into the project as ImportService.import_paths does with default
    options; None when the usual path must do it (nothing is stored then). A bad file or
    record raises InputError and stores nothing."""
    lean = open_for_import(url)
    if lean is None:
        return None
    try:
        found = lean.project(project_name)
        if found is None:
            return None
        project_id, schema_toml = found
        try:
            schema = parse_schema(schema_toml, f"schema of project {project_name!r}")
        except LabelerError:
            return None  # the usual path says what is wrong with it
        links: list[str] = []
        files = collect_files(paths, None, skipped_links=links)
        report = ImportReport(files=len(files), links=links)
        options = ReadOptions()

        def read() -> import_reader.Events:
            return read_checked(
                files, schema, report, options=options, skip_bad=False, annotator=annotator
            )

        with fewer_collections():
            size = sum(path.stat().st_size for path, _ in files)
            aside = READER_PROCESS and import_reader.can_fork(size)
            read_and_store(
                lean.driver,
                project_id,
                schema,
                files,
                report,
                _no_suggestions,
                options=options,
                skip_bad=False,
                annotator=annotator,
                progress=progress,
                read=import_reader.read_aside(read, schema) if aside else None,
            )
        lean.commit()
    except sqlite3.OperationalError as exc:  # cannot write: the usual path would say this
        raise busy(exc) from None
    except (_Usual, import_reader.ReaderUsual, sqlite3.Error):
        return None  # rolled back below; the usual path imports, or names the problem
    finally:
        lean.close()
    return report
