"""Import use case: read files, check them against the project's schema, store all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labeler.domain.annotation import (
    DEFAULT_ANNOTATOR,
    AnnotationSet,
    Relation,
    Span,
    Status,
    id_of,
    make_span,
)
from labeler.domain.curated import CuratedMark
from labeler.domain.document_labels import labels_from_categories
from labeler.domain.errors import InputError, LabelerError, Location, RuleError
from labeler.domain.limits import CURATED, check_annotator, check_document_fields
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import clip, shown
from labeler.domain.suggestion import Suggestion
from labeler.formats import registry
from labeler.formats.records import RawAnnotationSet, ReadOptions, Record
from labeler.services.collector import fewer_collections
from labeler.services.folder_files import folder_files
from labeler.services.import_suggestions import suggestions_of
from labeler.services.wording import plural
from labeler.storage.annotation_repository import NewSet
from labeler.storage.database import Database
from labeler.storage.store import Store

_FLUSH = 1000  # documents checked for duplicates and inserted together


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
class _Prepared:
    record: Record
    sets: list[AnnotationSet]
    annotators: set[str] = field(default_factory=set)  # who has a set on the document
    riders: list[_Prepared] = field(default_factory=list)  # later records of the same text
    suggestions: list[Suggestion] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.annotators |= {s.annotator for s in self.sets}


@dataclass(slots=True)
class _Held:
    """A text stored already (before this import, or by an earlier batch of it)."""

    doc_id: int
    annotators: set[str]  # who has a set on it


def collect_files(
    paths: Iterable[Path],
    format_name: str | None = None,
    *,
    follow_links: bool = False,
    skipped_links: list[str] | None = None,
) -> list[tuple[Path, registry.Format]]:
    """The files to read, folders expanded recursively, each with the format that reads it.

    A symbolic link met in a folder that points outside the chosen folders is not read (it is
    listed in `skipped_links`) unless `follow_links` is set.
    """
    forced = registry.get(format_name) if format_name else None
    if forced is not None and forced.read is None:
        raise LabelerError(f"format {forced.name!r} cannot be imported")
    paths = list(paths)
    found: list[tuple[Path, registry.Format]] = []
    markers = registry.dataset_markers()
    roots = [p.resolve() for p in paths if p.is_dir()]
    skipped = skipped_links if skipped_links is not None else []
    for path in paths:
        if path.is_dir():
            files = folder_files(path, roots, follow_links, skipped)
            # A folder holding a dataset marker (dataset_dict.json) is one dataset: only the
            # marker is read, the files beside and below it belong to it.
            datasets = [f.parent for f in files if f.name in markers]
            for child in files:
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue  # hidden files and folders (.git, .DS_Store) are not articles
                if child.name not in markers and any(d in child.parents for d in datasets):
                    continue
                if registry.is_companion(child):
                    continue  # read with its partner (a brat .txt with its .ann)
                if forced is None:
                    fmt = registry.for_path(child)
                elif child.name.lower().endswith(forced.extensions):
                    fmt = forced  # in a folder, a named format reads the files named for it
                else:
                    fmt = None
                if fmt is not None:
                    found.append((child, fmt))
        elif path.is_file():
            fmt = forced or registry.for_path(path)
            if fmt is None:
                known = ", ".join(
                    sorted({ext for f in registry.all_formats() if f.read for ext in f.extensions})
                )
                raise InputError(
                    Location(str(path)),
                    f"cannot tell the format of '{path.suffix or path.name}' files "
                    f"(known: {known}; or name one with --format)",
                )
            found.append((path, fmt))
        else:
            raise InputError(Location(str(path)), "no such file or folder")
    return found


def check_record(
    record: Record, schema: LabelSchema, default_annotator: str
) -> list[AnnotationSet]:
    """The record's annotation sets, checked against the schema; InputError names its line."""
    sets: list[AnnotationSet] = []
    seen: set[str] = set()
    document = record.document
    try:
        check_document_fields(document.text, document.title, document.meta)
    except RuleError as exc:
        raise InputError(record.location, str(exc)) from None
    for raw in record.sets:
        if raw.recommender is not None:
            continue  # suggestions, not annotations: see suggestions_of
        if (
            not raw.spans
            and not raw.relations
            and raw.status is None
            and not raw.document_labels
            and not raw.categories
        ):
            # A file without annotations for this document (an empty brat .ann, a CoNLL
            # document of O tags) says nothing of its status: no set, the document stays todo.
            continue
        try:
            name = check_annotator(
                raw.annotator or default_annotator, curating=raw.curator is not None
            )
            if raw.curator is not None and name != CURATED:
                raise RuleError(
                    f"a curated set is stored under the annotator name {CURATED!r}, "
                    f"not {shown(name)}"
                )
        except RuleError as exc:
            raise InputError(record.location, str(exc)) from None
        if name in seen:
            raise InputError(record.location, f"annotator {shown(name)} has two annotation sets")
        seen.add(name)
        try:
            sets.append(_check_set(record.document.text, raw, name, schema))
        except RuleError as exc:
            raise InputError(record.location, str(exc)) from None
    return sets


def _check_set(text: str, raw: RawAnnotationSet, name: str, schema: LabelSchema) -> AnnotationSet:
    work = AnnotationSet(
        schema,
        name,
        status=raw.status or Status.DONE,
        note=raw.note,
        active_seconds=raw.active_seconds,
    )
    labels = dict(raw.document_labels)
    if raw.categories:
        labels.update(labels_from_categories(schema, raw.categories))
    try:
        schema.check_document_labels(labels)
    except RuleError as exc:
        raise RuleError(f"document labels: {exc}") from None
    work.document_labels = labels
    spans: list[Span] = []
    keys: dict[Any, int] = {}
    for n, rs in enumerate(raw.spans, 1):
        try:
            span = make_span(text, rs.start, rs.end, rs.label, schema, rs.attributes, -n, rs.note)
        except RuleError as exc:
            raise RuleError(f"span {n} ({clip(rs.label)} [{rs.start}, {rs.end})): {exc}") from None
        if rs.layer is not None and span.layer != rs.layer:
            raise RuleError(
                f"span {n} ({clip(rs.label)} [{rs.start}, {rs.end})): label {clip(rs.label)} is "
                f"of layer {span.layer!r}, but this file holds the {rs.layer} layer only"
            )
        if rs.text is not None and rs.text != span.text:
            raise RuleError(
                f"span {n} ({clip(rs.label)} [{rs.start}, {rs.end})) says its text is "
                f"{shown(rs.text)} but the text there is {shown(span.text)}"
            )
        spans.append(span)
        try:
            keys[rs.key if rs.key is not None else n] = -n
        except TypeError:
            raise RuleError(f"span {n} has an id that is not a number or a string") from None
    work.add_spans(spans)
    if raw.curator is not None:
        work.curated = CuratedMark(
            raw.curator, {-n: rs.sources for n, rs in enumerate(raw.spans, 1) if rs.sources}
        )
    for n, rr in enumerate(raw.relations, 1):
        try:
            head, tail = keys.get(rr.head), keys.get(rr.tail)
        except TypeError:  # an id that cannot be one (a list, an object)
            head = tail = None
        if head is None or tail is None:
            raise RuleError(f"relation {n} ({rr.type}) names a span that is not in its set")
        if work.has_link(rr.type, head, tail):
            continue  # the same link twice in a file: it is kept once
        try:
            added = work.add_relation(
                Relation(rr.type, head, tail, dict(rr.attributes), None, rr.note)
            )
        except RuleError as exc:
            raise RuleError(f"relation {n}: {exc}") from None
        if work.curated is not None and rr.sources:
            work.curated.relations[id_of(added)] = rr.sources
    return work


def _empty(path: Path, fmt: registry.Format) -> InputError:
    return InputError(Location(str(path)), f"the file holds no documents ({fmt.name} format)")


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
            batch = _Batch(store, project.id, report)
            records = 0
            for done, (path, fmt) in enumerate(files):
                assert fmt.read is not None
                before = records
                for item in fmt.read(path, options):
                    if cancelled is not None and cancelled():
                        raise ImportCancelled("import cancelled; nothing was stored")
                    records += 1
                    if isinstance(item, InputError):
                        self._bad(item, skip_bad, report)
                        continue
                    try:
                        sets = check_record(item, project.schema, annotator)
                        suggested = suggestions_of(item, project.schema)
                    except InputError as exc:
                        self._bad(exc, skip_bad, report)
                        continue
                    batch.add(_Prepared(item, sets, suggestions=suggested))
                    if progress is not None and records % 200 == 0:
                        progress(ImportProgress(done, len(files), records, str(path)))
                if records == before:  # importing nothing from a file is almost always a mistake
                    self._bad(_empty(path, fmt), skip_bad, report)
                if progress is not None:
                    progress(ImportProgress(done + 1, len(files), records, str(path)))
            batch.flush()
        return report

    @staticmethod
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

    def __init__(self, store: Store, project_id: int, report: ImportReport) -> None:
        self._store = store
        self._project_id = project_id
        self._report = report
        self._pending: list[_Prepared] = []
        # Digest -> the record of the batch that holds this text. Only the batch is kept: a
        # text stored by an earlier batch is found in the database, like one stored before
        # this import, so memory stays bounded however long the import.
        self._first: dict[str, _Prepared] = {}
        self._attach: list[tuple[int, AnnotationSet]] = []  # sets for stored documents
        self._suggested: list[tuple[int, list[Suggestion]]] = []  # for stored documents

    def add(self, item: _Prepared) -> None:
        digest = item.record.document.digest
        first = self._first.get(digest)
        if first is not None:
            first.riders.append(item)  # settled at the flush, once stored sets are known
            return
        self._first[digest] = item
        self._pending.append(item)
        if len(self._pending) >= _FLUSH:
            self.flush()

    def _merge(self, first: _Prepared | _Held, item: _Prepared, where: str) -> None:
        """A record whose text `first` holds: its sets join `first`'s document if they can."""
        if isinstance(first, _Prepared):
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
            if isinstance(first, _Prepared):
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
        stored = self._store.documents.find_digests(
            self._project_id, (p.record.document.digest for p in pending)
        )
        on_stored = self._store.annotations.annotators_on([hit[0] for hit in stored.values()])
        fresh: list[_Prepared] = []
        holder: _Prepared | _Held
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
        doc_ids = self._store.documents.add_many(
            self._project_id, [p.record.document for p in fresh]
        )
        attach, self._attach = self._attach, []
        placed = [(i, s) for i, p in zip(doc_ids, fresh, strict=True) for s in p.sets] + attach
        names = {s.annotator for _, s in placed}
        annotator_ids = self._store.annotations.annotator_ids(names)
        self._store.annotations.add_sets(
            [NewSet.of(doc_id, annotator_ids[s.annotator], s) for doc_id, s in placed]
        )
        suggested, self._suggested = self._suggested, []
        suggested += [(i, p.suggestions) for i, p in zip(doc_ids, fresh, strict=True)]
        for doc_id, suggestions in suggested:
            self._report.suggestions += self._store.suggestions.store(doc_id, suggestions)
        self._report.imported += len(fresh)
        self._report.spans += sum(len(s.spans) for _, s in placed)
