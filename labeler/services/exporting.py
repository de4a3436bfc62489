"""Export use case: choose documents and annotations, split them, stream them to a writer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.domain.splits import SplitRatios, split_of
from labeler.formats import registry
from labeler.formats.records import ExportItem
from labeler.storage.database import Database
from labeler.storage.store import Store


@dataclass(frozen=True)
class ExportOptions:
    """What goes out. None means no filter; statuses None takes every status."""

    statuses: frozenset[Status] | None = None
    annotators: tuple[str, ...] | None = None
    layers: tuple[str, ...] | None = None
    split: SplitRatios = field(default_factory=SplitRatios)
    seed: int = 0


@dataclass
class ExportReport:
    documents: int = 0
    spans_by_label: Counter[str] = field(default_factory=Counter)
    relations: int = 0
    documents_by_split: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)
    outputs: list[Path] = field(default_factory=list)


def _filtered(s: AnnotationSet, layers: tuple[str, ...] | None) -> AnnotationSet:
    if layers is None:
        return s
    kept = {i: sp for i, sp in s.spans.items() if sp.layer in layers}
    relations = {i: r for i, r in s.relations.items() if r.head in kept and r.tail in kept}
    return AnnotationSet(s.schema, s.annotator, s.status, kept, relations, s.id, s.version)


class ExportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def export(
        self,
        project_name: str,
        format_name: str,
        out: Path,
        options: ExportOptions | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ExportReport:
        """Writes the chosen part of a project to `out`; with several splits, one output each.

        One split goes to `out` itself; several go into the folder `out`, as train/dev/test
        files (or folders, for formats that write folders).
        """
        options = options or ExportOptions()
        fmt = registry.get(format_name)
        if fmt.write is None:
            raise LabelerError(f"format {fmt.name!r} cannot be exported")
        names = options.split.names()
        report = ExportReport()
        with self._db.transaction() as store:
            project = store.projects.get(project_name)
            if options.layers is not None:
                for layer in options.layers:
                    project.schema.layer(layer)  # raises naming the unknown layer
            total = store.documents.count(project.id) * len(names)  # type: ignore[arg-type]
            for split in names:
                target = out
                if len(names) > 1:
                    out.mkdir(parents=True, exist_ok=True)
                    target = out / (split if fmt.folder else f"{split}{fmt.extensions[0]}")
                items = self._items(store, project, options, split, report, progress, total)
                fmt.write(target, items, project.schema)
                report.outputs.append(target)
        return report

    def _items(
        self,
        store: Store,
        project: Project,
        options: ExportOptions,
        split: str,
        report: ExportReport,
        progress: Callable[[int, int], None] | None,
        total: int,
    ) -> Iterator[ExportItem]:
        seen = sum(report.documents_by_split.values()) + sum(report.left_out.values())
        for batch in store.documents.iter_documents(project.id):  # type: ignore[arg-type]
            sets = store.annotations.sets_for([d.id for d in batch], project.schema)  # type: ignore[misc]
            for doc in batch:
                seen += 1
                if split_of(doc.digest, options.seed, options.split) != split:
                    continue
                chosen = [
                    _filtered(s, options.layers)
                    for s in sets.get(doc.id, [])  # type: ignore[arg-type]
                    if (options.statuses is None or s.status in options.statuses)
                    and (options.annotators is None or s.annotator in options.annotators)
                ]
                filtering = options.statuses is not None or options.annotators is not None
                if filtering and not chosen:
                    report.left_out["no annotation set with the chosen status/annotator"] += 1
                    continue
                for s in chosen:
                    report.spans_by_label.update(sp.label for sp in s.spans.values())
                    report.relations += len(s.relations)
                report.documents += 1
                report.documents_by_split[split] += 1
                yield ExportItem(doc, chosen)
            if progress is not None:
                progress(seen, total)
