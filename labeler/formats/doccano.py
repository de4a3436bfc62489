"""doccano JSONL: one example a line, spans as character offsets, relations between them.

Writing: doccano's relation-extraction export, one object a line: `id` (the document's id, or
its position in the file), `text`, `entities` (`{"id", "label", "start_offset", "end_offset"}`,
numbered from 1 within the line) and `relations` (`{"id", "from_id", "to_id", "type"}`), both
left out for an item without an annotation set. As doccano does, the document's metadata goes
to the top level beside `title` and `date`; a metadata key that would clash with one of those
names is written inside a `meta` object instead. doccano has one label set per example: an
export where several annotators have a set on a document is refused until a person chooses one
or a merge (services.exporting); a writer handed several sets writes the first and counts the
others. The annotator and status, span attributes and relation attributes have no place in
doccano and are counted as not carried.

Reading: both doccano shapes, and a line may mix them: sequence labelling (`"label": [[start,
end, "LABEL"], ...]`, also under the older name `labels`) and relation extraction (`entities`
and `relations` as above; relations name entities by their `id`). doccano's `id` is kept as the
metadata key `doccano_id`, non-empty `Comments` as `Comments`, and every other key as metadata,
as the native reader does. A line with labels becomes one annotation set with the importer's
default annotator and status. Bad lines (invalid JSON, offsets outside the text, a relation
naming an unknown entity id) are yielded as InputErrors naming the file and line, and reading
goes on.

Document labels are doccano's categories: written as `cats` (as doccano's intent detection
has them beside `entities`), the values of the schema's choice attributes, each as its value
or, where two attributes share a value, as `attribute:value`; free text and ratings are counted
as not carried. Read from `cats` and from a `label` list of names (text classification), and
put under the document attribute that has each value when imported (domain.document_labels).

Offsets count UTF-16 code units both ways, because doccano's annotation screen (1.8.4, run in a
browser) places a span at JavaScript string indices: code-point offsets were drawn shifted
after an emoji, and a file its screen wrote holds UTF-16 offsets. doccano lines carry no text
of their spans, so a file counted in code points (labeler wrote those before) cannot be told
apart where no offset falls inside a character outside the Basic Multilingual Plane; read such
a file with `ReadOptions.extra["offsets"] = "codepoints"` (`--offsets codepoints`). An offset
that splits a surrogate pair, or lies past the text, in the unit read is refused, and the
message says whether the span fits counted in the other unit.

The format is registered for `.jsonl`, which the native JSONL format also claims and registers
first (this module imports it), so a `.jsonl` file is read as doccano only when asked for by
name (`--format doccano`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from labeler.domain.annotation import AnnotationSet
from labeler.domain.attribution_links import sid
from labeler.domain.document import Document
from labeler.domain.document_labels import categories_of
from labeler.domain.errors import InputError, Location
from labeler.domain.offsets import CODE_POINTS, OFFSETS_OPTION, UTF16, CountedText, check_unit
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import shown_json
from labeler.formats import jsonl
from labeler.formats.jsonl import RecordProblem, read_json_lines
from labeler.formats.records import (
    ExportItem,
    RawAnnotationSet,
    ReadOptions,
    Record,
    WriteReport,
    first_set,
)
from labeler.formats.registry import Format, register

ID_META = "doccano_id"  # metadata key that keeps doccano's example id
_NO_CATEGORY = "document labels of free text or ratings (doccano categories are names only)"
_WRITTEN = {
    "id",
    "text",
    "title",
    "date",
    "meta",
    "entities",
    "relations",
    "label",
    "labels",
    "cats",
}
_READ = {"id", "meta", "label", "labels", "entities", "relations", "Comments", "cats"}


# ---------------------------------------------------------------- writing


def _entities(
    s: AnnotationSet, counted: CountedText, report: WriteReport
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    number: dict[int, int] = {}
    entities: list[dict[str, Any]] = []
    for n, span in enumerate(s.sorted_spans(), 1):
        number[sid(span)] = n
        start, end = counted.to_unit(span.start, UTF16), counted.to_unit(span.end, UTF16)
        entities.append({"id": n, "label": span.label, "start_offset": start, "end_offset": end})
        if span.attributes:
            report.note("span attributes not carried (doccano has none)")
    ordered = sorted(s.relations.values(), key=lambda r: (number[r.head], number[r.tail], r.type))
    relations: list[dict[str, Any]] = []
    for n, r in enumerate(ordered, 1):
        relations.append(
            {"id": n, "from_id": number[r.head], "to_id": number[r.tail], "type": r.type}
        )
        if r.attributes:
            report.note("relation attributes not carried (doccano has none)")
    return entities, relations


def line_to_json(item: ExportItem, number: int, report: WriteReport) -> dict[str, Any]:
    """One document and its first annotation set as a doccano relation-extraction line."""
    doc = item.document
    out: dict[str, Any] = {"id": doc.id if doc.id is not None else number, "text": doc.text}
    if doc.title:
        out["title"] = doc.title
    if doc.date:
        out["date"] = doc.date.isoformat()
    nested: dict[str, Any] = {}
    for key, value in doc.meta.items():
        if key == ID_META:
            continue  # doccano's id from an earlier import; the line's id replaces it
        if key in _WRITTEN:
            nested[key] = value
        else:
            out[key] = value
    if nested:
        out["meta"] = nested
    chosen = first_set(item, report)
    if chosen is None:
        return out  # no labels: the line reads back as a document without an annotation set
    report.note("annotators and statuses not carried (doccano lines have neither)")
    out["entities"], out["relations"] = _entities(chosen, CountedText(doc.text), report)
    if chosen.document_labels:
        categories, lost = categories_of(chosen.schema, chosen.document_labels)
        out["cats"] = categories
        report.note(_NO_CATEGORY, lost)
    return out


def write(path: Path, items: Iterable[ExportItem], schema: LabelSchema) -> WriteReport:
    del schema  # labels and relation types are written by name
    report = WriteReport()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for count, item in enumerate(items, 1):
            out.write(json.dumps(line_to_json(item, count, report), ensure_ascii=False))
            out.write("\n")
            report.documents = count
    return report


# ---------------------------------------------------------------- reading (shared with prodigy)


def native_fields(obj: dict[str, Any], options: ReadOptions, reserved: set[str]) -> dict[str, Any]:
    """A native JSONL object holding a line's text, title, date and metadata.

    A `meta` object is merged into the metadata (kept under `meta` if it is not an object);
    every top-level key outside `reserved` and the text, title and date columns joins it.
    """
    columns = (options.text_column, options.title_column, options.date_column)
    native = {k: obj[k] for k in columns if k in obj}
    given = obj.get("meta")
    meta = dict(given) if isinstance(given, dict) else {} if given is None else {"meta": given}
    skip = reserved | set(columns) | {"meta"}
    meta.update((k, v) for k, v in obj.items() if k not in skip)
    native["meta"] = meta
    return native


# ---------------------------------------------------------------- reading


def _categories(value: Any, key: str) -> list[str]:
    """Document categories (text classification's `label`, intent detection's `cats`)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordProblem(f"field {key!r} must be a list of category names")
    return list(value)


def _label_spans(value: Any, key: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise RecordProblem(f"field {key!r} must be a list of [start, end, label]")
    spans: list[dict[str, Any]] = []
    for n, raw in enumerate(value, 1):
        if not isinstance(raw, list) or len(raw) != 3:
            raise RecordProblem(f'{key} {n} must be [start, end, "LABEL"], not {shown_json(raw)}')
        spans.append({"id": (key, n), "start": raw[0], "end": raw[1], "label": raw[2]})
    return spans


def _entity_spans(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise RecordProblem("field 'entities' must be a list")
    spans: list[dict[str, Any]] = []
    for n, raw in enumerate(value, 1):
        if not isinstance(raw, dict):
            raise RecordProblem(f"entity {n} must be an object")
        for key in ("label", "start_offset", "end_offset"):
            if key not in raw:
                raise RecordProblem(f"entity {n} has no {key!r}")
        key = raw.get("id", ("entity", n))
        if isinstance(key, bool) or not isinstance(key, int | str | tuple):
            raise RecordProblem(
                f"entity {n} id must be a number or a string, not {shown_json(key)}"
            )
        spans.append(
            {
                "id": key,
                "start": raw["start_offset"],
                "end": raw["end_offset"],
                "label": raw["label"],
            }
        )
    return spans


def _relations(value: Any, ids: set[Any]) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise RecordProblem("field 'relations' must be a list")
    relations: list[dict[str, Any]] = []
    for n, raw in enumerate(value, 1):
        if not isinstance(raw, dict):
            raise RecordProblem(f"relation {n} must be an object")
        for key in ("from_id", "to_id", "type"):
            if key not in raw:
                raise RecordProblem(f"relation {n} has no {key!r}")
        for key in ("from_id", "to_id"):
            if isinstance(raw[key], list | dict) or raw[key] not in ids:
                raise RecordProblem(
                    f"relation {n} {key} {shown_json(raw[key])} is not the id of an entity"
                )
        relations.append({"type": raw["type"], "head": raw["from_id"], "tail": raw["to_id"]})
    return relations


def _to_code_points(spans: list[dict[str, Any]], text: Any, unit: str) -> None:
    """The spans' offsets, counted in `unit` in the line's text, as code points."""
    if not isinstance(text, str) or unit == CODE_POINTS:
        return  # no text: the native reader says so; code points: as the native reader reads
    counted = CountedText(text)
    for n, span in enumerate(spans, 1):
        start, end = span["start"], span["end"]
        if not all(type(x) is int for x in (start, end)):
            continue  # the native reader names the offset that is not a whole number
        try:
            span["start"], span["end"] = counted.span(start, end, unit)
        except ValueError as exc:
            raise RecordProblem(f"span {n} ({span['label']}) {exc}") from None


def parse_line(
    obj: Any, options: ReadOptions, unit: str = UTF16
) -> tuple[Document, list[RawAnnotationSet]]:
    """A document and its annotation set (if it has labels) from one decoded doccano line;
    its offsets counted in `unit`."""
    if not isinstance(obj, dict):
        raise RecordProblem("a line must hold a JSON object")
    native = native_fields(obj, options, _READ)
    meta = native["meta"]
    if "id" in obj:
        meta[ID_META] = obj["id"]
    if obj.get("Comments"):
        meta["Comments"] = obj["Comments"]
    spans: list[dict[str, Any]] = []
    categories = _categories(obj["cats"], "cats") if obj.get("cats") else []
    label_key = "label" if "label" in obj else "labels"
    labels = obj.get(label_key)
    if isinstance(labels, list) and labels and all(isinstance(v, str) for v in labels):
        categories += _categories(labels, label_key)  # text classification: categories
        labels = []
    if label_key in obj:
        spans.extend(_label_spans(labels, label_key))
    entities = obj.get("entities")
    if isinstance(entities, list) and entities and all(isinstance(e, list) for e in entities):
        # Intent detection and slot filling: doccano writes its slots as [start, end, label].
        spans.extend(_label_spans(entities, "entities"))
    elif "entities" in obj:
        spans.extend(_entity_spans(entities))
    _to_code_points(spans, obj.get(options.text_column), unit)
    if spans or "relations" in obj or label_key in obj or "entities" in obj:
        ids = {s["id"] for s in spans}
        native["spans"] = spans
        native["relations"] = _relations(obj.get("relations", []), ids)
    if categories:
        native.setdefault("spans", [])
    document, sets = jsonl.parse_line(native, options)
    if categories:
        sets[0].categories = list(dict.fromkeys(categories))
    return document, sets


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    try:
        unit = check_unit(options.extra.get(OFFSETS_OPTION, UTF16))
    except ValueError as exc:
        yield InputError(Location(str(path)), str(exc))
        return
    yield from read_json_lines(path, options, lambda obj, opts: parse_line(obj, opts, unit))


register(
    Format(
        name="doccano",
        description="doccano JSONL: sequence labelling or relation extraction (spans, relations)",
        extensions=(".jsonl",),
        read=read,
        write=write,
        document_labels=True,
    )
)
