"""An export's work on a plain reader: choose documents and annotations, split them, stream them
to a writer. The same code runs under ExportService (SQLAlchemy's connection, any engine) and
under the lean command line (sqlite3 alone)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from pathlib import Path

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.curated import CuratedMark
from labeler.domain.document import Document
from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.domain.splits import split_of
from labeler.formats import registry
from labeler.formats.records import ExportItem, WriteReport
from labeler.quality.merging import merge_sets
from labeler.services.collector import fewer_collections
from labeler.services.export_choice import (
    CONFLICT,
    DOCUMENT_LABELS_LOST,
    DOCUMENT_NOTES,
    GOLD_LEFT,
    LABELS_DISAGREE,
    NO_GOLD,
    NOTES,
    Choice,
    ExportCancelled,
    ExportOptions,
    ExportReport,
    SeveralAnnotators,
    filtered,
    notes_in,
)
from labeler.services.export_halves import halves_allowed, write_halves
from labeler.services.export_target import ExportTarget
from labeler.storage.plain_read import PlainReader


def several_annotators_in(
    reader: PlainReader, project: Project, fmt: registry.Format, choice: Choice
) -> SeveralAnnotators | None:
    """The refusal a one-set format needs when no choice picks one set per document."""
    if fmt.all_sets or choice.options.merge or choice.options.curated:
        return None
    shared = reader.shared(project.id, choice.statuses, choice.options.annotators)
    return SeveralAnnotators(fmt.name, shared) if shared.count else None


def export_format(format_name: str, options: ExportOptions) -> registry.Format:
    """The format to export to, refusing one that cannot write or hold what is asked."""
    fmt = registry.get(format_name)
    if fmt.write is None and fmt.write_splits is None:
        raise LabelerError(f"format {fmt.name!r} cannot be exported")
    if options.suggestions and not fmt.suggestions:
        carriers = ", ".join(f.name for f in registry.all_formats() if f.suggestions)
        raise LabelerError(
            f"format {fmt.name!r} has no place for suggestions apart from annotations; "
            f"these have: {carriers}"
        )
    return fmt


def export_from(
    reader: PlainReader,
    files: tuple[Path, ...],
    pending: Path | None,
    project_name: str,
    fmt: registry.Format,
    out: Path,
    options: ExportOptions,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    overwrite: bool = False,
    halves: bool = False,
) -> ExportReport:
    """ExportService.export on what `reader` reads, in its caller's transaction; `files` are
    the database's own (never replaced), `pending` the folder of notes of exports under way.
    With `halves`, a format written a document a line may be written in two processes (see
    export_halves)."""
    choice = Choice.of(fmt, options)
    names = options.split.names()
    report = ExportReport(splits=names)
    with fewer_collections():
        project = reader.project(project_name)
        for layer in options.layers or ():
            project.schema.layer(layer)  # raises naming the unknown layer
        for label in options.labels or ():
            project.schema.label(label)
        refusal = several_annotators_in(reader, project, fmt, choice)
        if refusal is not None:
            raise refusal
        total = reader.document_count(project.id) * len(names)
        counter = _Progress(total, progress, cancelled)

        def items(split: str) -> Iterator[ExportItem]:
            return _items(reader, project, choice, split, report, counter)

        def write(target: Path, split: str) -> WriteReport:
            """The split written to target: in two processes where export_halves may."""
            write_items = fmt.write
            assert write_items is not None
            watched = progress is not None or cancelled is not None
            count = total // len(names) if halves and not watched else 0
            middle = reader.document_at(project.id, count // 2) if halves_allowed(count) else None
            if middle is None:
                return write_items(target, items(split), project.schema)

            def some(counted: ExportReport, start: int, stop: int | None) -> Iterator[ExportItem]:
                return _items(reader, project, choice, split, counted, counter, start, stop)

            def written(path: Path, found: Iterable[ExportItem]) -> WriteReport:
                return write_items(path, found, project.schema)

            return write_halves(written, target, some, middle, report)

        folder = fmt.write_splits is not None or fmt.folder or len(names) > 1
        place = ExportTarget(out, folder, overwrite, files, pending)
        with place as staged:
            if fmt.write_splits is not None:
                splits = {n: items(n) for n in names}
                written = fmt.write_splits(staged, splits, project.schema)
                report.not_carried.update(written.notes)
                report.outputs.append(out)
            else:
                assert fmt.write is not None
                for split in names:
                    target = staged
                    if len(names) > 1:
                        staged.mkdir(exist_ok=True)
                        name = split if fmt.folder else f"{split}{fmt.extensions[0]}"
                        target = staged / name
                    written = write(target, split)
                    report.not_carried.update(written.notes)
                    report.outputs.append(out / target.name if len(names) > 1 else out)
            if report.documents == 0:
                raise choice.nothing(project.name, reader.document_count(project.id))
            place.commit()
    return report


_label = attrgetter("label")


def _items(
    reader: PlainReader,
    project: Project,
    choice: Choice,
    split: str,
    report: ExportReport,
    progress: _Progress,
    start: int = 0,
    stop: int | None = None,
) -> Iterator[ExportItem]:
    """The items of a split, of the documents with ids from `start` and before `stop`."""
    options = choice.options
    filtering = choice.statuses is not None or options.annotators is not None
    several_splits = len(options.split.names()) > 1
    for batch in reader.documents(project.id, start=start, stop=stop):
        progress.steps(len(batch))
        labels: list[str] = []  # of every span the batch exports, counted once per batch
        if several_splits:  # only this split's: their sets are read once, in its own pass
            batch = [d for d in batch if split_of(d.digest, options.seed, options.split) == split]
        ids = [_stored_id(d) for d in batch]
        sets = reader.sets_for(ids, project.schema)
        gold = reader.curated_sets(ids)
        stored = reader.suggestions(ids) if options.suggestions else {}
        for doc, doc_id in zip(batch, ids, strict=True):
            if options.curated:
                chosen = [
                    filtered(s, options.layers, options.labels)
                    for s in sets.get(doc_id, [])
                    if doc_id in gold and s.annotator == gold[doc_id][0] and s.status is Status.DONE
                ]
                if not chosen:
                    report.left_out[NO_GOLD] += 1
                    continue
            else:
                chosen = [
                    filtered(s, options.layers, options.labels)
                    for s in sets.get(doc_id, [])
                    if (choice.statuses is None or s.status in choice.statuses)
                    and (options.annotators is None or s.annotator in options.annotators)
                    and (choice.lossless or doc_id not in gold or s.annotator != gold[doc_id][0])
                ]
                if doc_id in gold and not choice.lossless:
                    report.not_carried[GOLD_LEFT] += 1
            if doc_id in gold:
                _mark_curated(reader, chosen, *gold[doc_id][:2])
            if filtering and not chosen:
                report.left_out[choice.why_not()] += 1
                continue
            if options.merge and chosen:
                outcome = merge_sets(chosen)
                chosen = [outcome.merged]
                if outcome.conflicts:
                    report.not_carried[CONFLICT] += outcome.conflicts
                if outcome.label_conflicts:
                    report.not_carried[LABELS_DISAGREE] += outcome.label_conflicts
            for s in chosen:
                labels += map(_label, s.spans.values())
                report.relations += len(s.relations)
                lost = 0 if choice.notes else notes_in(s)
                if lost:
                    report.not_carried[NOTES] += lost
                if s.note and not choice.document_notes:
                    report.not_carried[DOCUMENT_NOTES] += 1
                if not choice.document_labels and s.document_labels:
                    report.not_carried[DOCUMENT_LABELS_LOST] += len(s.document_labels)
            report.documents += 1
            report.documents_by_split[split] += 1
            suggested = stored.get(doc_id, [])
            report.suggestions += len(suggested)
            yield ExportItem(doc, chosen, suggested)
        report.spans_by_label.update(labels)


def _mark_curated(
    reader: PlainReader, chosen: list[AnnotationSet], name: str, curator: str
) -> None:
    """Marks the document's curated set among `chosen` with its curator and sources."""
    for s in chosen:
        if s.annotator == name and s.id is not None:
            spans, relations = reader.sources(s.id)
            s.curated = CuratedMark(
                curator,
                {i: n for i, n in spans.items() if n},
                {i: n for i, n in relations.items() if n},
            )


def _stored_id(document: Document) -> int:
    assert document.id is not None, "documents read from storage have ids"
    return document.id


class _Progress:
    """Counts documents looked at, tells the caller every few hundred, and checks for cancel."""

    def __init__(
        self,
        total: int,
        callback: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.total = total
        self.done = 0
        self._callback = callback
        self._cancelled = cancelled

    def steps(self, n: int) -> None:
        """Counts n documents looked at, one by one when someone watches, else at once."""
        if self._callback is None and self._cancelled is None:
            self.done += n
            return
        for _ in range(n):
            self.step()

    def step(self) -> None:
        self.done += 1
        if self._cancelled is not None and self._cancelled():
            raise ExportCancelled("export cancelled; nothing was written")
        if self._callback is not None and (self.done % 200 == 0 or self.done == self.total):
            self._callback(self.done, self.total)
