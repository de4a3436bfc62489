"""An import's work in its transaction: read, check, and store the records a batch at a time.

Runs on a bulk_rows Driver: the usual import gets it from the SQLAlchemy session
(services.importing), the lean one from a plain sqlite3 connection (services.quick_import).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from labeler.domain.annotation import AnnotationSet
from labeler.domain.errors import InputError, LabelerError
from labeler.domain.schema import LabelSchema
from labeler.domain.suggestion import Suggestion
from labeler.formats import registry
from labeler.formats.records import ReadOptions, Record
from labeler.services.import_checks import check_record, empty_file
from labeler.services.import_suggestions import suggestions_of
from labeler.services.wording import plural
from labeler.storage import bulk_documents, bulk_rows
from labeler.storage.bulk_rows import Driver, NewSet

_FLUSH = 1000  # documents checked for duplicates and inserted together

StoreSuggestions = Callable[[int, list[Suggestion]], int]
"""Stores a document's suggestions; returns how many were new."""


class ImportCancelled(LabelerError):
    """The person cancelled the import; nothing of it was stored."""


@dataclass
class ImportReport:
    files: int = 0
    imported: int = 0
    spans: int = 0
    suggestions: int = 0
    duplicates: list[str] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # links in folders that were not followed

    def headline(self, project: str) -> str:
        """One line on what was imported."""
        return (
            f"Imported {plural(self.imported, 'document')} ({plural(self.spans, 'span')}) "
            f"from {plural(self.files, 'file')} into {project!r}."
            + (f" {plural(self.suggestions, 'suggestion')} stored." if self.suggestions else "")
            + (
                f" {plural(len(self.duplicates), 'duplicate')} not stored again."
                if self.duplicates
                else ""
            )
            + (f" {plural(len(self.skipped), 'bad record')} skipped." if self.skipped else "")
            + (
                f" {plural(len(self.links), 'link')} out of the chosen folders not followed."
                if self.links
                else ""
            )
        )

    def problems(self) -> list[str]:
        """A line for each duplicate and each skipped record."""
        return (
            [f"skipped link {link}" for link in self.links]
            + [f"duplicate {d}" for d in self.duplicates]
            + [f"skipped {e}" for e in self.skipped]
        )


@dataclass(frozen=True)
class ImportProgress:
    files_done: int
    files_total: int
    records: int
    current: str


@dataclass
class Prepared:
    """A record read and checked: its annotation sets and suggestions, ready to store."""

    record: Record
    sets: list[AnnotationSet]
    annotators: set[str] = field(default_factory=set)  # who has a set on the document
    riders: list[Prepared] = field(default_factory=list)  # later records of the same text
    suggestions: list[Suggestion] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.annotators |= {s.annotator for s in self.sets}


@dataclass(slots=True)
class _Held:
    """A text stored already (before this import, or by an earlier batch of it)."""

    doc_id: int
    annotators: set[str]  # who has a set on it


def read_and_store(
    driver: Driver,
    project_id: int,
    schema: LabelSchema,
    files: Sequence[tuple[Path, registry.Format]],
    report: ImportReport,
    store_suggestions: StoreSuggestions,
    *,
    options: ReadOptions,
    skip_bad: bool,
    annotator: str,
    progress: Callable[[ImportProgress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    read: Iterable[Prepared | ImportProgress] | None = None,
) -> None:
    """Reads the files and stores what they hold in the open transaction, counted in `report`.

    A bad file or record raises InputError (the caller rolls back) unless skip_bad is set:
    then it is left out and listed in the report. `read`: what read_checked yields for the
    files, read elsewhere (services.import_reader); None reads them here.
    """
    batch = _Batch(driver, project_id, report, store_suggestions)
    if read is None:
        read = read_checked(
            files,
            schema,
            report,
            options=options,
            skip_bad=skip_bad,
            annotator=annotator,
            cancelled=cancelled,
        )
    for item in read:
        if isinstance(item, ImportProgress):
            if progress is not None:
                progress(item)
        else:
            batch.add(item)
    batch.flush()


def read_checked(
    files: Sequence[tuple[Path, registry.Format]],
    schema: LabelSchema,
    report: ImportReport,
    *,
    options: ReadOptions,
    skip_bad: bool,
    annotator: str,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[Prepared | ImportProgress]:
    """The files' records, each checked against the schema, with a progress line every 200
    records and at the end of each file. A bad file or record raises InputError unless
    skip_bad is set: then it is left out and listed in `report`."""
    records = 0
    for done, (path, fmt) in enumerate(files):
        assert fmt.read is not None
        before = records
        for item in fmt.read(path, options):
            if cancelled is not None and cancelled():
                raise ImportCancelled("import cancelled; nothing was stored")
            records += 1
            if isinstance(item, InputError):
                _bad(item, skip_bad, report)
                continue
            try:
                sets = check_record(item, schema, annotator)
                suggested = suggestions_of(item, schema)
            except InputError as exc:
                _bad(exc, skip_bad, report)
                continue
            # Read and checked: the raw sets go now, while their objects are still in the
            # processor's cache (freed with the batch, they cost three times as long).
            item.sets = []
            yield Prepared(item, sets, suggestions=suggested)
            if records % 200 == 0:
                yield ImportProgress(done, len(files), records, str(path))
        if records == before:  # importing nothing from a file is almost always a mistake
            _bad(empty_file(path, fmt), skip_bad, report)
        yield ImportProgress(done + 1, len(files), records, str(path))


def _bad(error: InputError, skip_bad: bool, report: ImportReport) -> None:
    if not skip_bad:
        raise error
    report.skipped.append(error)


class _Batch:
    """Collects checked records and stores them a thousand at a time.

    A text already taken (earlier in this import, or stored before) is not stored again; the
    annotation sets its record brings are added to that document when their annotators have
    none there yet, and otherwise reported as not imported.
    """

    def __init__(
        self,
        driver: Driver,
        project_id: int,
        report: ImportReport,
        store_suggestions: StoreSuggestions,
    ) -> None:
        self._driver = driver
        self._store_suggestions = store_suggestions
        self._project_id = project_id
        self._report = report
        self._pending: list[Prepared] = []
        # Digest -> the record of the batch that holds this text. Only the batch is kept: a
        # text stored by an earlier batch is found in the database, like one stored before
        # this import, so memory stays bounded however long the import.
        self._first: dict[str, Prepared] = {}
        self._attach: list[tuple[int, AnnotationSet]] = []  # sets for stored documents
        self._suggested: list[tuple[int, list[Suggestion]]] = []  # for stored documents

    def add(self, item: Prepared) -> None:
        digest = item.record.document.digest
        first = self._first.get(digest)
        if first is not None:
            first.riders.append(item)  # settled at the flush, once stored sets are known
            return
        self._first[digest] = item
        self._pending.append(item)
        if len(self._pending) >= _FLUSH:
            self.flush()

    def _merge(self, first: Prepared | _Held, item: Prepared, where: str) -> None:
        """A record whose text `first` holds: its sets join `first`'s document if they can."""
        if isinstance(first, Prepared):
            first.suggestions.extend(item.suggestions)
        elif item.suggestions:
            self._suggested.append((first.doc_id, item.suggestions))
        added, refused = [], []
        for s in item.sets:
            if s.annotator in first.annotators:
                refused.append(s)
                continue
            added.append(s)
            first.annotators.add(s.annotator)
            if isinstance(first, Prepared):
                first.sets.append(s)  # stored with it
            else:
                self._attach.append((first.doc_id, s))
        message = f"{item.record.location}: same text as {where}"
        if added:
            names = ", ".join(s.annotator for s in added)
            message += f"; the annotations by {names} were added to it"
        for s in refused:
            message += (
                f"; {plural(len(s.spans), 'span')} by {s.annotator} not imported "
                f"({s.annotator} already has an annotation set there)"
            )
        if not added and not refused:
            message += ", not stored again"
        self._report.duplicates.append(message)

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        self._first.clear()
        driver = self._driver
        stored = bulk_documents.find_digests(
            driver, self._project_id, (p.record.document.digest for p in pending)
        )
        on_stored = bulk_rows.annotators_on(driver, [hit[0] for hit in stored.values()])
        fresh: list[Prepared] = []
        holder: Prepared | _Held
        for p in pending:
            riders, p.riders = p.riders, []
            hit = stored.get(p.record.document.digest)
            if hit is None:
                fresh.append(p)
                holder = p
            else:
                doc_id, title = hit
                holder = _Held(doc_id, set(on_stored.get(doc_id, ())))
                self._merge(holder, p, f"document {doc_id} {title!r}")
            for rider in riders:
                self._merge(holder, rider, str(p.record.location))
        unindexed: list[tuple[int, int]] = []
        doc_ids = bulk_documents.add_documents(
            driver, self._project_id, [p.record.document for p in fresh], unindexed
        )
        attach, self._attach = self._attach, []
        placed = [(i, s) for i, p in zip(doc_ids, fresh, strict=True) for s in p.sets] + attach
        names = {s.annotator for _, s in placed}
        annotator_ids = bulk_rows.annotator_ids(driver, names)
        bulk_rows.add_sets(
            driver, [NewSet.of(doc_id, annotator_ids[s.annotator], s) for doc_id, s in placed]
        )
        suggested, self._suggested = self._suggested, []
        suggested += [(i, p.suggestions) for i, p in zip(doc_ids, fresh, strict=True)]
        for doc_id, suggestions in suggested:
            if suggestions:
                self._report.suggestions += self._store_suggestions(doc_id, suggestions)
        self._report.imported += len(fresh)
        self._report.spans += sum(len(s.spans) for _, s in placed)
        # Last: on the lean path it runs on a helper thread while the next batch is read.
        bulk_documents.index_documents(driver, unindexed)
