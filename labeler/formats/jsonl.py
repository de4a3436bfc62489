"""The native JSON Lines format: one document a line, lossless.

A line holds the document (`text`, `title`, `date`, `meta`) and `annotations`: one entry per
annotator, with the set's `status`, its `spans` (numbered by `id`), its `relations` (which
name spans by those ids) and its `document_labels` (`{"topic": ["politics"]}`). Simpler files
may give `spans` and `relations` at the top level; any other top-level key is kept as
metadata. Offsets count Unicode code points of the text.
A top-level `suggestions` list holds spans a recommender proposed (`start`, `end`, `label`,
optional `score` and `recommender`), or frames of them (`spans`, `links`: see `suggested`):
they are imported as suggestions, not annotations, and exported only when asked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.document import Document
from labeler.domain.document_labels import labels_from_json
from labeler.domain.errors import InputError, Location
from labeler.domain.offsets import normalize_newlines
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import clip, shown, shown_json
from labeler.formats import json_decoding, jsonl_curated
from labeler.formats.decoding import read_lines
from labeler.formats.jsonl_lines import item_line, set_text
from labeler.formats.records import (
    ExportItem,
    RawAnnotationSet,
    RawRelation,
    RawSpan,
    ReadOptions,
    Record,
    WriteReport,
)
from labeler.formats.registry import Format, register
from labeler.formats.suggested import read_suggestions

_RESERVED = {"meta", "annotations", "spans", "relations", "suggestions"}


class RecordProblem(Exception):
    """A problem with one line; becomes an InputError naming the line."""


# ---------------------------------------------------------------- writing


def set_to_json(s: AnnotationSet) -> dict[str, Any]:
    """One annotation set as the native format writes it; spans numbered from 1."""
    found: dict[str, Any] = json.loads(set_text(s))
    return found


def write(path: Path, items: Iterable[ExportItem], schema: LabelSchema) -> WriteReport:
    del schema  # the native format carries layers and labels by name
    report = WriteReport()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for item in items:
            out.write(item_line(item, report, "\n"))
            report.documents += 1
    return report


# ---------------------------------------------------------------- reading


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordProblem(f"{what} must be a whole number, not {shown_json(value)}")
    return value


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise RecordProblem(f"{what} must be a string, not {shown_json(value)}")
    return value


def _attributes(value: Any, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RecordProblem(f"{what} attributes must be an object")
    return {
        _str(k, f"{what} attribute name"): _str(v, f"{what} attribute {shown(k)}")
        for k, v in value.items()
    }


def _span_problem(raw: Any, n: int, original: str, where: str) -> RecordProblem:
    """What is wrong with one span; the slow, careful path taken only for bad input."""
    what = f"{where}span {n}"
    if not isinstance(raw, dict):
        return RecordProblem(f"{what} must be an object")
    for key in ("start", "end", "label"):
        if key not in raw:
            return RecordProblem(f"{what} has no {key!r}")
    try:
        start = _int(raw["start"], f"{what} start")
        end = _int(raw["end"], f"{what} end")
        label = _str(raw["label"], f"{what} label")
        given = raw.get("text")
        if given is not None:
            _str(given, f"{what} text")
    except RecordProblem as exc:
        return exc
    if not 0 <= start < end <= len(original):
        return RecordProblem(
            f"{what} ({clip(label)} [{start}, {end})) lies outside the text "
            f"(length {len(original)}) or is empty"
        )
    return RecordProblem(
        f"{what} ({clip(label)} [{start}, {end})) says its text is {shown(given)} "
        f"but the text there is {shown(original[start:end])}"
    )


def _spans(value: Any, original: str, remap: Callable[[int], int], where: str) -> list[RawSpan]:
    if not isinstance(value, list):
        raise RecordProblem(f"{where}spans must be a list")
    length = len(original)
    shifted = "\r" in original  # offsets count the CRs that normalisation removes
    spans: list[RawSpan] = []
    append = spans.append
    # The common, valid case is checked inline: this loop runs for every span of an import.
    for n, raw in enumerate(value, 1):
        try:
            start, end, label = raw["start"], raw["end"], raw["label"]
            given = raw.get("text")
        except (KeyError, TypeError, AttributeError):
            raise _span_problem(raw, n, original, where) from None
        if (
            type(start) is not int
            or type(end) is not int
            or type(label) is not str
            or not 0 <= start < end <= length
            or (given is not None and given != original[start:end])
        ):
            raise _span_problem(raw, n, original, where)
        attributes = raw.get("attributes")
        attributes = _attributes(attributes, f"{where}span {n}") if attributes else {}
        if shifted:
            start, end = remap(start), remap(end)
        key = raw.get("id", n)
        if type(key) not in (int, str) and not _hashable(key):
            raise RecordProblem(f"{where}span {n} id must be a number or a string")
        note = _str(raw.get("note", ""), f"{where}span {n} note")
        sources = jsonl_curated.sources_of(raw, f"{where}span {n}") if "sources" in raw else []
        append(RawSpan(start, end, label, attributes, None, key, note=note, sources=sources))
    return spans


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:  # a list or an object: JSON gives no other unhashable values
        return False
    return True


def _relations(value: Any, keys: set[Any], where: str) -> list[RawRelation]:
    if not isinstance(value, list):
        raise RecordProblem(f"{where}relations must be a list")
    relations: list[RawRelation] = []
    for n, raw in enumerate(value, 1):
        what = f"{where}relation {n}"
        if not isinstance(raw, dict):
            raise RecordProblem(f"{what} must be an object")
        for key in ("type", "head", "tail"):
            if key not in raw:
                raise RecordProblem(f"{what} has no {key!r}")
        for end in ("head", "tail"):
            if not _hashable(raw[end]) or raw[end] not in keys:
                raise RecordProblem(f"{what} {end} {shown_json(raw[end])} is not the id of a span")
        relations.append(
            RawRelation(
                _str(raw["type"], f"{what} type"),
                raw["head"],
                raw["tail"],
                _attributes(raw.get("attributes"), what),
                _str(raw.get("note", ""), f"{what} note"),
                jsonl_curated.sources_of(raw, what),
            )
        )
    return relations


def _set(
    raw: dict[str, Any], original: str, remap: Callable[[int], int], where: str
) -> RawAnnotationSet:
    spans = _spans(raw.get("spans", []), original, remap, where)
    keys = [s.key for s in spans]
    if len(set(keys)) != len(keys):
        raise RecordProblem(f"{where}two spans share an id")
    relations = _relations(raw.get("relations", []), set(keys), where)
    status = None
    if raw.get("status") is not None:
        try:
            status = Status(raw["status"])
        except ValueError:
            allowed = ", ".join(s.value for s in Status)
            raise RecordProblem(
                f"{where}status {shown(raw['status'])} is not one of {allowed}"
            ) from None
    annotator = raw.get("annotator")
    if annotator is not None:
        annotator = _str(annotator, f"{where}annotator").strip() or None
    note = _str(raw.get("note", ""), f"{where}note")
    seconds = raw.get("active_seconds", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise RecordProblem(f"{where}active_seconds {shown(seconds)} is not a whole number >= 0")
    try:
        labels = labels_from_json(raw.get("document_labels"), f"{where}document_labels")
    except ValueError as exc:
        raise RecordProblem(str(exc)) from None
    return RawAnnotationSet(
        annotator,
        status,
        spans,
        relations,
        note=note,
        active_seconds=seconds,
        document_labels=labels,
        curator=jsonl_curated.curator_of(raw, where),
    )


def parse_line(obj: Any, options: ReadOptions) -> tuple[Document, list[RawAnnotationSet]]:
    """A document and its annotation sets from one decoded JSON line."""
    if not isinstance(obj, dict):
        raise RecordProblem("a line must hold a JSON object")
    column = options.text_column
    if column not in obj:
        raise RecordProblem(f"no {column!r} field")
    original = _str(obj[column], f"field {column!r}")
    if not original.strip():
        raise RecordProblem(f"field {column!r} is empty")
    text, remap = normalize_newlines(original)
    title = obj.get(options.title_column) or ""
    title = _str(title, f"field {options.title_column!r}")
    when = None
    raw_date = obj.get(options.date_column)
    if raw_date is not None and raw_date != "":
        try:
            when = date.fromisoformat(_str(raw_date, f"field {options.date_column!r}")[:10])
        except ValueError:
            raise RecordProblem(f"date {shown(raw_date)} is not a date like 2026-03-14") from None
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise RecordProblem("field 'meta' must be an object")
    meta = dict(meta)
    taken = {column, options.title_column, options.date_column} | _RESERVED
    meta.update((k, v) for k, v in obj.items() if k not in taken)
    sets: list[RawAnnotationSet] = []
    if "spans" in obj or "relations" in obj:
        sets.append(_set(obj, original, remap, ""))
    if obj.get("suggestions"):
        sets.extend(_suggestions(obj["suggestions"], original, remap))
    annotations = obj.get("annotations") or []
    if not isinstance(annotations, list):
        raise RecordProblem("field 'annotations' must be a list")
    for n, raw in enumerate(annotations, 1):
        if not isinstance(raw, dict):
            raise RecordProblem(f"annotation set {n} must be an object")
        sets.append(_set(raw, original, remap, f"annotation set {n}: "))
    return Document(text, title=title.strip(), date=when, meta=meta), sets


def _suggestions(value: Any, original: str, remap: Callable[[int], int]) -> list[RawAnnotationSet]:
    """The `suggestions` list: one set of suggestions per recommender named (default 'import')."""
    try:
        return read_suggestions(
            value, lambda spans, where: _spans(spans, original, remap, where), _str
        )
    except ValueError as exc:
        raise RecordProblem(str(exc)) from None


LineParser = Callable[[Any, ReadOptions], tuple[Document, list[RawAnnotationSet]]]
"""Turns one decoded JSON line into a document and its sets; raises RecordProblem."""


def read_json_lines(
    path: Path, options: ReadOptions, parse: LineParser
) -> Iterator[Record | InputError]:
    """Each line of a JSON Lines file parsed into a record; each bad line as an InputError."""
    source = str(path)
    empty = True
    for item in read_lines(path):
        if isinstance(item, InputError):
            empty = False
            yield item
            if item.location.line is None:
                return  # the whole file is unreadable
            continue
        number, line = item
        if not line.strip():
            continue
        empty = False
        location = Location(source, number)
        try:
            obj = json_decoding.loads(line)
        except json_decoding.JsonProblem as exc:
            yield InputError(location, str(exc))
            continue
        try:
            document, sets = parse(obj, options)
        except (RecordProblem, jsonl_curated.CuratedProblem) as exc:
            yield InputError(location, str(exc))
            continue
        yield Record(document, location, sets)
    if empty:
        yield InputError(Location(source), "the file holds no documents")


def foreign_format(obj: Any) -> str | None:
    """The other tool whose JSONL a line looks like, when its spans would pass for metadata."""
    if not isinstance(obj, dict):
        return None
    label, entities = obj.get("label"), obj.get("entities")
    if isinstance(label, list) and label and all(isinstance(x, list) for x in label):
        return "doccano"
    if isinstance(entities, list) and any(
        isinstance(x, dict) and "start_offset" in x for x in entities
    ):
        return "doccano"
    if "_task_hash" in obj or "_input_hash" in obj or isinstance(obj.get("tokens"), list):
        return "prodigy"
    return None


def _parse_native(obj: Any, options: ReadOptions) -> tuple[Document, list[RawAnnotationSet]]:
    other = foreign_format(obj)
    if other is not None:
        raise RecordProblem(
            f"this looks like a {other} line, whose spans the native format would keep as "
            f"metadata; import the file with --format {other}"
        )
    return parse_line(obj, options)


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    return read_json_lines(path, options, _parse_native)


register(
    Format(
        name="jsonl",
        description="native JSON Lines: text, metadata, every annotator's spans and relations",
        extensions=(".jsonl", ".ndjson"),
        read=read,
        write=write,
        all_sets=True,
        lossless=True,
        notes=True,
        document_notes=True,
        document_labels=True,
        suggestions=True,
    )
)
