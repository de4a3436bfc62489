"""Export use case: stream a project's documents and annotation sets into a format's writer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from labeler.domain.errors import LabelerError
from labeler.formats import registry
from labeler.formats.records import ExportItem
from labeler.storage.database import Database


@dataclass
class ExportReport:
    documents: int = 0
    spans_by_label: Counter[str] = field(default_factory=Counter)
    relations: int = 0


class ExportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def export(
        self,
        project_name: str,
        format_name: str,
        out: Path,
        progress: Callable[[int, int], None] | None = None,
    ) -> ExportReport:
        """Writes the whole project to `out` in the named format; returns what went out."""
        fmt = registry.get(format_name)
        if fmt.write is None:
            raise LabelerError(f"format {fmt.name!r} cannot be exported")
        report = ExportReport()
        with self._db.transaction() as store:
            project = store.projects.get(project_name)
            total = store.documents.count(project.id)  # type: ignore[arg-type]

            def items() -> Iterator[ExportItem]:
                for batch in store.documents.iter_documents(project.id):  # type: ignore[arg-type]
                    sets = store.annotations.sets_for([d.id for d in batch], project.schema)  # type: ignore[misc]
                    for doc in batch:
                        doc_sets = sets.get(doc.id, [])  # type: ignore[arg-type]
                        for s in doc_sets:
                            report.spans_by_label.update(sp.label for sp in s.spans.values())
                            report.relations += len(s.relations)
                        report.documents += 1
                        yield ExportItem(doc, doc_sets)
                    if progress is not None:
                        progress(report.documents, total)

            fmt.write(out, items(), project.schema)
        return report
