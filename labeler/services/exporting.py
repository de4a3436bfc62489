"""Export use case: choose documents and annotations, split them, stream them to a writer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.curated import CuratedMark
from labeler.domain.document import Document
from labeler.domain.errors import LabelerError
from labeler.domain.project import Project
from labeler.domain.snippets import quoted
from labeler.domain.splits import SplitRatios, split_of
from labeler.formats import registry
from labeler.formats.records import ExportItem
from labeler.quality.merging import merge_sets
from labeler.services.collector import fewer_collections
from labeler.services.export_target import ExportTarget
from labeler.services.folder_swap import recover_pending
from labeler.services.wording import plural
from labeler.storage.database import Database
from labeler.storage.document_repository import SharedDocuments
from labeler.storage.store import Store

ANY_STATUS: frozenset[Status] = frozenset(Status)


class ExportCancelled(LabelerError):
    """The person cancelled the export; nothing was written."""


class NothingToExport(LabelerError):
    """The options chose no document; nothing was written (so a retry needs no overwrite).

    `by_status` is True when the statuses asked for (or the format's default) left them out.
    """

    def __init__(self, message: str, by_status: bool) -> None:
        super().__init__(message)
        self.by_status = by_status


CLI_CHOICES = (
    "--annotator NAME for one annotator's sets, or --merge to merge the sets of each document "
    "into one (spans that overlap another annotator's are left out and counted), or --curated "
    "to take each document's finished curated set (`labeler curate` starts them)"
)


class SeveralAnnotators(LabelerError):
    """A one-set format, and documents that several chosen annotators have a set on: whose
    set goes out is a person's choice, never the name that sorts first."""

    def __init__(
        self, format_name: str, shared: SharedDocuments, choices: str = CLI_CHOICES
    ) -> None:
        self.format_name = format_name
        self.shared = shared
        super().__init__(self.describe(choices))

    def describe(self, choices: str) -> str:
        """The refusal, ending with the ways to choose (`choices`, in the asker's words)."""
        shared = self.shared
        named = "; ".join(
            f"{quoted(title) if title else f'document {doc_id}'} ({', '.join(names)})"
            for doc_id, title, names in shared.examples
        )
        more = ", ..." if shared.count > len(shared.examples) else ""
        verb = "has" if shared.count == 1 else "have"
        return (
            f"{self.format_name} holds one annotation set per document, and "
            f"{plural(shared.count, 'document')} {verb} sets by several annotators "
            f"({', '.join(shared.annotators)}): {named}{more}. Nothing was written; choose "
            f"whose sets go out: {choices}."
        )


@dataclass(frozen=True)
class ExportOptions:
    """What goes out. None means no filter, except for statuses: None takes the format's default,
    every status for a lossless format (the native JSONL) and `done` for the others."""

    statuses: frozenset[Status] | None = None
    annotators: tuple[str, ...] | None = None
    layers: tuple[str, ...] | None = None
    labels: tuple[str, ...] | None = None
    merge: bool = False  # the chosen annotators' sets as one set, for one-set formats
    curated: bool = False  # each document's curated set, if done; others are left out
    split: SplitRatios = field(default_factory=SplitRatios)
    seed: int = 0
    # Each document's stored suggestions too, apart from its sets (Label Studio predictions,
    # the native format's `suggestions`); only formats that hold them apart take this.
    suggestions: bool = False


@dataclass
class ExportReport:
    documents: int = 0
    spans_by_label: Counter[str] = field(default_factory=Counter)
    relations: int = 0
    documents_by_split: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)  # documents not exported, by reason
    not_carried: Counter[str] = field(default_factory=Counter)  # what the format could not hold
    outputs: list[Path] = field(default_factory=list)
    splits: list[str] = field(default_factory=list)  # the splits asked for, in order
    suggestions: int = 0  # stored suggestions written apart from the sets (when asked)

    def describe(self) -> list[str]:
        """The summary a person reads after an export, a line each."""
        spans = sum(self.spans_by_label.values())
        lines = [
            f"Wrote {plural(self.documents, 'document')} ({plural(spans, 'span')}, "
            f"{plural(self.relations, 'relation')})."
        ]
        if self.suggestions:
            lines.append(f"  and {plural(self.suggestions, 'suggestion')}, apart from the sets")
        lines.extend(f"  {path}" for path in self.outputs)
        if len(self.splits) > 1:
            for split in self.splits:
                n = self.documents_by_split.get(split, 0)
                lines.append(f"  {split:<6}{n:>8,} " + ("document" if n == 1 else "documents"))
        lines.extend(f"  {label:<14}{n:>8,}" for label, n in sorted(self.spans_by_label.items()))
        lines.extend(
            f"left out {plural(n, 'document')}: {why}" for why, n in sorted(self.left_out.items())
        )
        lines.extend(f"not carried ({n:,}): {why}" for why, n in sorted(self.not_carried.items()))
        return lines


def _filtered(
    s: AnnotationSet, layers: tuple[str, ...] | None, labels: tuple[str, ...] | None
) -> AnnotationSet:
    if layers is None and labels is None:
        return s
    kept = {
        i: sp
        for i, sp in s.spans.items()
        if (layers is None or sp.layer in layers) and (labels is None or sp.label in labels)
    }
    relations = {i: r for i, r in s.relations.items() if r.head in kept and r.tail in kept}
    return AnnotationSet(
        s.schema,
        s.annotator,
        s.status,
        kept,
        relations,
        s.id,
        s.version,
        s.note,
        s.active_seconds,
        dict(s.document_labels),
    )


@dataclass(frozen=True)
class _Choice:
    """The options with the format's defaults filled in."""

    statuses: frozenset[Status] | None  # None: any status, and documents without a set too
    options: ExportOptions
    notes: bool = True  # the format writes notes
    document_notes: bool = True  # the format writes the document's note (the set's own)
    document_labels: bool = True  # the format writes document labels (or counts their loss)
    lossless: bool = False  # the format carries every set, curated ones flagged as such

    @staticmethod
    def of(fmt: registry.Format, options: ExportOptions) -> _Choice:
        statuses = options.statuses
        if statuses is None:
            statuses = ANY_STATUS if fmt.lossless else frozenset({Status.DONE})
        return _Choice(
            None if statuses == ANY_STATUS else statuses,
            options,
            notes=fmt.notes,
            document_notes=fmt.document_notes,
            document_labels=fmt.document_labels,
            lossless=fmt.lossless,
        )

    def why_not(self) -> str:
        return "no " + self.wanted()

    def wanted(self) -> str:
        if self.options.curated:
            return "finished (done) curated set"
        parts = []
        if self.statuses is not None:
            parts.append("status " + " or ".join(sorted(s.value for s in self.statuses)))
        if self.options.annotators is not None:
            parts.append("annotator " + " or ".join(self.options.annotators))
        return "annotation set with " + " and ".join(parts)

    def nothing(self, project: str, total: int) -> NothingToExport:
        """The refusal of an export that chose no document."""
        if total == 0:
            return NothingToExport(f"nothing written: project {project!r} has no documents", False)
        every = "the document" if total == 1 else f"the {total:,} documents"
        return NothingToExport(
            f"nothing written: none of {every} of {project!r} has a"
            f"{'n' if not self.options.curated else ''} {self.wanted()}",
            self.statuses is not None and not self.options.curated,
        )


_NO_GOLD = "no finished (done) curated set"
_GOLD_LEFT = "curated sets (export them with --curated)"
_CONFLICT = "spans overlapping another annotator's, left out of the merged set"
_NOTES = "notes on spans and relations (the format has no place for them)"
_DOCUMENT_NOTES = "notes on documents (the format has no place for them)"
DOCUMENT_LABELS_LOST = "document labels (the format has no place for them)"
_LABELS_DISAGREE = "document labels another annotator gave other values (the first one's kept)"


def _notes_in(s: AnnotationSet) -> int:
    return sum(1 for sp in s.spans.values() if sp.note) + sum(
        1 for r in s.relations.values() if r.note
    )


def _several_annotators(
    store: Store, project: Project, fmt: registry.Format, choice: _Choice
) -> SeveralAnnotators | None:
    """The refusal a one-set format needs when no choice picks one set per document."""
    if fmt.all_sets or choice.options.merge or choice.options.curated:
        return None
    shared = store.documents.shared(project.id, choice.statuses, choice.options.annotators)
    return SeveralAnnotators(fmt.name, shared) if shared.count else None


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
        fmt = registry.get(format_name)
        if fmt.write is None and fmt.write_splits is None:
            raise LabelerError(f"format {fmt.name!r} cannot be exported")
        if options.suggestions and not fmt.suggestions:
            carriers = ", ".join(f.name for f in registry.all_formats() if f.suggestions)
            raise LabelerError(
                f"format {fmt.name!r} has no place for suggestions apart from annotations; "
                f"these have: {carriers}"
            )
        choice = _Choice.of(fmt, options)
        names = options.split.names()
        report = ExportReport(splits=names)
        with fewer_collections(), self._db.reading() as store:
            project = store.projects.get(project_name)
            for layer in options.layers or ():
                project.schema.layer(layer)  # raises naming the unknown layer
            for label in options.labels or ():
                project.schema.label(label)
            refusal = _several_annotators(store, project, fmt, choice)
            if refusal is not None:
                raise refusal
            total = store.documents.count(project.id) * len(names)
            counter = _Progress(total, progress, cancelled)

            def items(split: str) -> Iterator[ExportItem]:
                return self._items(store, project, choice, split, report, counter)

            folder = fmt.write_splits is not None or fmt.folder or len(names) > 1
            place = ExportTarget(out, folder, overwrite, tuple(self._db.files), self._pending)
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
                        written = fmt.write(target, items(split), project.schema)
                        report.not_carried.update(written.notes)
                        report.outputs.append(out / target.name if len(names) > 1 else out)
                if report.documents == 0:
                    raise choice.nothing(project.name, store.documents.count(project.id))
                place.commit()
        return report

    def several_annotators(
        self, project_name: str, format_name: str, options: ExportOptions
    ) -> SeveralAnnotators | None:
        """Why export would refuse for want of a choice of annotator, or None if it would not."""
        fmt = registry.get(format_name)
        with self._db.reading() as store:
            project = store.projects.get(project_name)
            return _several_annotators(store, project, fmt, _Choice.of(fmt, options))

    def _items(
        self,
        store: Store,
        project: Project,
        choice: _Choice,
        split: str,
        report: ExportReport,
        progress: _Progress,
    ) -> Iterator[ExportItem]:
        options = choice.options
        filtering = choice.statuses is not None or options.annotators is not None
        for batch in store.documents.iter_documents(project.id):
            for _ in batch:
                progress.step()
            # Only this split's documents: their sets are loaded once, in the pass of their split.
            batch = [d for d in batch if split_of(d.digest, options.seed, options.split) == split]
            ids = [_stored_id(d) for d in batch]
            sets = store.annotations.sets_for(ids, project.schema)
            gold = store.curation.curated_sets(ids)
            stored = store.suggestions.stored(ids) if options.suggestions else {}
            for doc, doc_id in zip(batch, ids, strict=True):
                if options.curated:
                    chosen = [
                        _filtered(s, options.layers, options.labels)
                        for s in sets.get(doc_id, [])
                        if doc_id in gold
                        and s.annotator == gold[doc_id][0]
                        and s.status is Status.DONE
                    ]
                    if not chosen:
                        report.left_out[_NO_GOLD] += 1
                        continue
                else:
                    chosen = [
                        _filtered(s, options.layers, options.labels)
                        for s in sets.get(doc_id, [])
                        if (choice.statuses is None or s.status in choice.statuses)
                        and (options.annotators is None or s.annotator in options.annotators)
                        and (
                            choice.lossless or doc_id not in gold or s.annotator != gold[doc_id][0]
                        )
                    ]
                    if doc_id in gold and not choice.lossless:
                        report.not_carried[_GOLD_LEFT] += 1
                if doc_id in gold:
                    _mark_curated(store, chosen, *gold[doc_id][:2])
                if filtering and not chosen:
                    report.left_out[choice.why_not()] += 1
                    continue
                if options.merge and chosen:
                    outcome = merge_sets(chosen)
                    chosen = [outcome.merged]
                    if outcome.conflicts:
                        report.not_carried[_CONFLICT] += outcome.conflicts
                    if outcome.label_conflicts:
                        report.not_carried[_LABELS_DISAGREE] += outcome.label_conflicts
                for s in chosen:
                    report.spans_by_label.update(sp.label for sp in s.spans.values())
                    report.relations += len(s.relations)
                    lost = 0 if choice.notes else _notes_in(s)
                    if lost:
                        report.not_carried[_NOTES] += lost
                    if s.note and not choice.document_notes:
                        report.not_carried[_DOCUMENT_NOTES] += 1
                    if not choice.document_labels and s.document_labels:
                        report.not_carried[DOCUMENT_LABELS_LOST] += len(s.document_labels)
                report.documents += 1
                report.documents_by_split[split] += 1
                suggested = stored.get(doc_id, [])
                report.suggestions += len(suggested)
                yield ExportItem(doc, chosen, suggested)


def _mark_curated(store: Store, chosen: list[AnnotationSet], name: str, curator: str) -> None:
    """Marks the document's curated set among `chosen` with its curator and sources."""
    for s in chosen:
        if s.annotator == name and s.id is not None:
            spans, relations = store.curation.sources(s.id)
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

    def step(self) -> None:
        self.done += 1
        if self._cancelled is not None and self._cancelled():
            raise ExportCancelled("export cancelled; nothing was written")
        if self._callback is not None and (self.done % 200 == 0 or self.done == self.total):
            self._callback(self.done, self.total)
