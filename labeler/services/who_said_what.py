"""Who said what across a project: attribution rows of every document, and a CSV of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.domain.who_said_what import AttributionRow, attribution_rows
from labeler.formats import who_said_what_csv
from labeler.storage.database import Database

_PAGE = 500  # documents read per step: the sets of a page are turned into rows, then dropped

CSV_COLUMNS = who_said_what_csv.COLUMNS


class RowsCancelled(LabelerError):
    """Reading the rows was stopped before the end."""


class WhoSaidWhatService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def annotators(self, project: Project) -> list[str]:
        """Who has an annotation set on some document of the project, by name."""
        with self._db.reading() as store:
            ids = store.documents.ids(project.id)
            found = store.annotations.annotators_on(ids)
        return sorted(set().union(*found.values()))

    def rows(
        self,
        project: Project,
        annotator: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[AttributionRow]:
        """The attribution rows of every document of the project, in import order and then
        reading order; one annotator's, or every annotator's (by name) when None."""
        rows: list[AttributionRow] = []
        with self._db.reading() as store:
            total = store.documents.count(project.id)
            done = 0
            while done < total:
                heads = store.documents.summaries(project.id, done, _PAGE)
                if not heads:
                    break
                ids = [h.id for h in heads]
                sets = store.annotations.sets_for(ids, project.schema, annotator)
                for head in heads:
                    for found in sets.get(head.id, ()):
                        rows += attribution_rows(found, head.id, head.title)
                done += len(heads)
                if cancelled is not None and cancelled():
                    raise RowsCancelled("stopped before every document was read")
                if progress is not None:
                    progress(done, total)
        return rows


def write_csv(rows: Iterable[AttributionRow], path: str | Path) -> int:
    """Writes the rows as CSV (UTF-8, a header row of CSV_COLUMNS, one line per attribution);
    returns how many rows were written."""
    return who_said_what_csv.write(rows, path)
