"""What an import reads and checks: the files of the paths given, each record against the schema."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status, id_of, make_span
from labeler.domain.curated import CuratedMark
from labeler.domain.document_labels import labels_from_categories
from labeler.domain.errors import InputError, LabelerError, Location, RuleError
from labeler.domain.limits import CURATED, check_annotator, check_document_fields
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import clip, shown
from labeler.domain.spans import built_span
from labeler.formats import registry
from labeler.formats.records import RawAnnotationSet, RawSpan, Record
from labeler.services.folder_files import folder_files


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
    plain = _plain_spans(text, raw.spans, _layers_of(schema))
    if plain is not None and not raw.relations and raw.curator is None:
        work.add_spans(plain)
        return work
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


_layer_map: list[tuple[LabelSchema, dict[str, str]]] = []  # the last schema's, at most


def _layers_of(schema: LabelSchema) -> dict[str, str]:
    """Each label of the schema -> its layer's name, made once for the schema an import
    checks against (compared by identity: hashing a schema costs more than the map)."""
    if _layer_map and _layer_map[0][0] is schema:
        return _layer_map[0][1]
    layers = {label.name: label.layer for label in schema.labels()}
    _layer_map[:] = [(schema, layers)]
    return layers


def _plain_spans(text: str, raws: list[RawSpan], layers: dict[str, str]) -> list[Span] | None:
    """The spans as make_span builds them (local ids -1, -2, ...) when every one is plain: a
    known label, inside the text, its text (if given) the text there, no attributes, note or
    layer of its own; None when one is not (the full check then says what is wrong).

    The usual import's spans, a hundred thousand at a time, take this way in a third of the
    time (no call per span to check what a plain span cannot break)."""
    size = len(text)
    spans: list[Span] = []
    append = spans.append
    for n, rs in enumerate(raws, 1):
        start, end, label = rs.start, rs.end, rs.label
        layer = layers.get(label)
        if (
            layer is None
            or type(start) is not int
            or type(end) is not int
            or not 0 <= start < end <= size
            or rs.attributes
            or rs.note
            or rs.layer is not None
        ):
            return None
        covered = text[start:end]
        if rs.text is not None and rs.text != covered:
            return None
        append(built_span(start, end, label, layer, covered, {}, -n, ""))
    return spans


def empty_file(path: Path, fmt: registry.Format) -> InputError:
    return InputError(Location(str(path)), f"the file holds no documents ({fmt.name} format)")
