"""Label Studio JSON: a list of tasks, each with its text and its annotations.

Writing: a JSON array (streamed, one task at a time) of `{"id", "data": {"text", "title",
"date", "meta"}, "annotations", "predictions": []}`, with one annotation per annotation set
(`was_cancelled` is true for a skipped set; Label Studio's `completed_by` names one of its own
users by id, so the annotator's name and the set's status go in the task's `meta.labeler`
instead, and are restored from there). A span is a `labels` result of the single `Labels`
control "label"; a relation a `relation` result; each span attribute a `choices` result of
the control named after the attribute, with the span's result id (per-region choices). Relation
attributes have no place in Label Studio and are not written. Beside the JSON goes the labelling
config, `<stem>.config.xml`, to paste into the project's settings.

Offsets: Label Studio counts JavaScript string positions, UTF-16 code units, so offsets are
converted both ways. A text with CRLF line breaks is converted before the line breaks are
normalised, so its offsets count the CR as Label Studio does.

Reading: a JSON array of tasks or a single task object; a task may wrap its fields in `data` or
give them at the top level. Each annotation becomes an annotation set, named by `completed_by`
(a name, an e-mail in `{"email": ...}`, or `user N` for a numeric id); a cancelled annotation
has status skipped. Each prediction becomes a set too, named `predictions` (then `predictions
2`, ...) with status todo, so a person can review it. A region with several labels, a relation
without a label, a bidirectional relation, choices not attached to a region, and results of
other kinds are reported as errors rather than dropped. An error's line is the line where its
task begins.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.attribution_links import sid
from labeler.domain.document import Document
from labeler.domain.errors import InputError, Location
from labeler.domain.offsets import Utf16Map, normalize_newlines
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import shown, shown_json
from labeler.formats.decoding import decode
from labeler.formats.json_array import json_array_items
from labeler.formats.labelstudio_config import LABELS, TEXT, labeling_config
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

# ---------------------------------------------------------------- writing


def _results(s: AnnotationSet, utf16: Utf16Map, prefix: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    region: dict[int, str] = {}
    for n, span in enumerate(s.sorted_spans(), 1):
        rid = region[sid(span)] = f"{prefix}{n}"
        where = {"start": utf16.to_utf16(span.start), "end": utf16.to_utf16(span.end)}
        value = {**where, "text": span.text}
        results.append(
            {
                "id": rid,
                "from_name": LABELS,
                "to_name": TEXT,
                "type": "labels",
                "value": {**value, "labels": [span.label]},
            }
        )
        results.extend(
            {
                "id": rid,
                "from_name": name,
                "to_name": TEXT,
                "type": "choices",
                "value": {**value, "choices": [span.attributes[name]]},
            }
            for name in sorted(span.attributes)
        )
    relations = sorted(s.relations.values(), key=lambda r: (region[r.head], region[r.tail], r.type))
    results.extend(
        {
            "type": "relation",
            "from_id": region[r.head],
            "to_id": region[r.tail],
            "direction": "right",
            "labels": [r.type],
        }
        for r in relations
    )
    return results


TASK_META = "labeler"


def task_to_json(item: ExportItem, number: int) -> dict[str, Any]:
    """One document and its annotation sets as a Label Studio task."""
    doc = item.document
    utf16 = Utf16Map(doc.text)
    annotations = [
        {
            "id": k,
            "was_cancelled": s.status == Status.SKIPPED,
            "result": _results(s, utf16, f"a{k}-s"),
        }
        for k, s in enumerate(item.sets, 1)
    ]
    return {
        "id": doc.id if doc.id is not None else number,
        "data": {
            "text": doc.text,
            "title": doc.title,
            "date": doc.date.isoformat() if doc.date else None,
            "meta": doc.meta,
        },
        "annotations": annotations,
        "predictions": [],
        # Label Studio's completed_by is the id of one of its own users, which an export cannot
        # know; who made each annotation, and its status, travel in the task's meta instead.
        "meta": {
            TASK_META: {
                "annotators": [s.annotator for s in item.sets],
                "statuses": [s.status.value for s in item.sets],
            }
        },
    }


def config_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.config.xml")


def write(path: Path, items: Iterable[ExportItem], schema: LabelSchema) -> WriteReport:
    config_path(path).write_text(labeling_config(schema), "utf-8", newline="\n")
    report = WriteReport()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("[")
        for count, item in enumerate(items, 1):
            out.write("\n" if count == 1 else ",\n")
            out.write(json.dumps(task_to_json(item, count), ensure_ascii=False))
            report.documents = count
            report.note(
                "relation attributes not carried (Label Studio relations have none)",
                sum(1 for s in item.sets for r in s.relations.values() if r.attributes),
            )
        out.write("\n]\n")
    return report


# ---------------------------------------------------------------- reading


class _Bad(Exception):
    """A problem with one task."""


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad(f"{what} must be a whole number, not {shown_json(value)}")
    return value


def _one(value: Any, what: str) -> str:
    if not isinstance(value, list) or len(value) != 1 or not isinstance(value[0], str):
        raise _Bad(f"{what} must be a list of one string, not {shown_json(value)}")
    return value[0]


class _TaskText:
    """A task's text with the conversions its offsets need."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.utf16 = Utf16Map(original)
        self.text, self.remap = normalize_newlines(original)

    def span(self, value: Any, what: str) -> tuple[int, int]:
        """Code-point [start, end) of the normalised text for a region's UTF-16 value."""
        if not isinstance(value, dict):
            raise _Bad(f"{what}: 'value' must be an object")
        start = _int(value.get("start"), f"{what} start")
        end = _int(value.get("end"), f"{what} end")
        try:
            s, e = self.utf16.from_utf16(start), self.utf16.from_utf16(end)
        except ValueError as exc:
            raise _Bad(f"{what} [{start}, {end}): {exc}") from None
        if s >= e:
            raise _Bad(f"{what} [{start}, {end}) is empty")
        given = value.get("text")
        if given is not None and given != self.original[s:e]:
            raise _Bad(
                f"{what} [{start}, {end}) says its text is {shown(given)} "
                f"but the text there is {shown(self.original[s:e])}"
            )
        return self.remap(s), self.remap(e)


def _set(results: Any, text: _TaskText, where: str) -> RawAnnotationSet:
    if not isinstance(results, list):
        raise _Bad(f"{where}: 'result' must be a list")
    spans: dict[Any, tuple[int, int, str]] = {}
    choices: list[dict[str, Any]] = []
    relations: list[RawRelation] = []
    for n, r in enumerate(results, 1):
        if not isinstance(r, dict):
            raise _Bad(f"{where}: result {n} must be an object")
        kind = r.get("type")
        if kind == "labels":
            rid = r.get("id", n)
            if type(rid) not in (int, str):
                raise _Bad(f"{where}: result {n} id must be a string or a number")
            if rid in spans:
                raise _Bad(f"{where}: two regions have the id {shown(rid)}")
            start, end = text.span(r.get("value"), f"{where}: region {rid}")
            label = _one(r["value"].get("labels"), f"{where}: region {rid} labels")
            spans[rid] = (start, end, label)
        elif kind == "choices":
            choices.append(r)
        elif kind == "relation":
            relations.extend(_relation(r, f"{where}: result {n}"))
        else:
            raise _Bad(
                f"{where}: result {n} has type {shown(kind)}; labeler reads labels, choices "
                "and relation results"
            )
    attributes: dict[Any, dict[str, str]] = {rid: {} for rid in spans}
    for r in choices:
        rid = r.get("id")
        if type(rid) not in (int, str) or rid not in spans:
            raise _Bad(f"{where}: choices {shown(r.get('from_name'))} belong to no labelled region")
        name = r.get("from_name")
        if not isinstance(name, str):
            raise _Bad(f"{where}: choices of region {rid} have no 'from_name'")
        value = r.get("value")
        value = _one(
            value.get("choices") if isinstance(value, dict) else None,
            f"{where}: {name} of region {rid}",
        )
        attributes[rid][name] = value
    for rel in relations:
        for end in (rel.head, rel.tail):
            if type(end) not in (int, str) or end not in spans:
                raise _Bad(
                    f"{where}: relation {shown(rel.type)} names {shown(end)}, which is no region"
                )
    raw_spans = [
        RawSpan(s, e, lab, attributes[rid], None, rid) for rid, (s, e, lab) in spans.items()
    ]
    return RawAnnotationSet(spans=raw_spans, relations=relations)


def _relation(r: dict[str, Any], what: str) -> list[RawRelation]:
    labels = r.get("labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise _Bad(f"{what}: a relation needs 'labels', a list of relation types")
    direction = r.get("direction", "right")
    if direction == "right":
        head, tail = r.get("from_id"), r.get("to_id")
    elif direction == "left":
        head, tail = r.get("to_id"), r.get("from_id")
    else:
        raise _Bad(
            f"{what}: relation direction {shown(direction)}; labeler needs 'right' or 'left'"
        )
    return [RawRelation(label, head, tail) for label in labels]


def _listed(ours: Any, key: str, index: int) -> str | None:
    """Entry `index` of a list in the task meta this module writes, if there is one."""
    values = ours.get(key) if isinstance(ours, dict) else None
    if isinstance(values, list) and 0 <= index < len(values) and isinstance(values[index], str):
        return values[index].strip() or None
    return None


def _annotator(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _annotator(value.get("email"))
    if isinstance(value, int) and not isinstance(value, bool):
        return f"user {value}"
    return None


def parse_task(obj: Any, options: ReadOptions) -> tuple[Document, list[RawAnnotationSet]]:
    """A document and its annotation sets from one decoded task."""
    if not isinstance(obj, dict):
        raise _Bad("a task must be a JSON object")
    data = obj.get("data", obj)
    if not isinstance(data, dict):
        raise _Bad("'data' must be an object")
    original = data.get(options.text_column)
    if not isinstance(original, str) or not original.strip():
        raise _Bad(f"no text in data field {options.text_column!r}")
    text = _TaskText(original)
    title = data.get(options.title_column) or ""
    if not isinstance(title, str):
        raise _Bad(f"field {options.title_column!r} must be a string")
    when = None
    raw_date = data.get(options.date_column)
    if raw_date:
        try:
            when = date.fromisoformat(str(raw_date)[:10])
        except ValueError:
            raise _Bad(f"date {shown(raw_date)} is not a date like 2026-03-14") from None
    meta = data.get("meta") or {}
    if not isinstance(meta, dict):
        raise _Bad("field 'meta' must be an object")
    taken = {options.text_column, options.title_column, options.date_column, "meta"}
    if data is obj:
        taken |= {"id", "annotations", "predictions"}
    meta = {**meta, **{k: v for k, v in data.items() if k not in taken}}
    task_meta = obj.get("meta") if data is not obj else None
    ours = task_meta.get(TASK_META) if isinstance(task_meta, dict) else None
    sets: list[RawAnnotationSet] = []
    for key in ("annotations", "predictions"):
        entries = obj.get(key) or []
        if not isinstance(entries, list):
            raise _Bad(f"'{key}' must be a list")
        for n, entry in enumerate(entries, 1):
            where = f"{key[:-1]} {n}"
            if not isinstance(entry, dict):
                raise _Bad(f"{where} must be an object")
            raw = _set(entry.get("result", []), text, where)
            if key == "predictions":
                raw.annotator = "predictions" if n == 1 else f"predictions {n}"
                raw.status = Status.TODO
            else:
                raw.annotator = _annotator(entry.get("completed_by")) or _listed(
                    ours, "annotators", n - 1
                )
                # An annotation in Label Studio is a submitted one: done, unless it was
                # cancelled (skipped) or this module wrote down another status.
                status = _listed(ours, "statuses", n - 1)
                if entry.get("was_cancelled"):
                    raw.status = Status.SKIPPED
                elif status in {s.value for s in Status}:
                    raw.status = Status(status)
                else:
                    raw.status = Status.DONE
            sets.append(raw)
    document = Document(text.text, title=title.strip(), date=when, meta=meta)
    return document, sets


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    source = str(path)
    try:
        text = decode(path.read_bytes(), source)
    except OSError as exc:
        yield InputError(Location(source), f"cannot read the file ({exc.strerror})")
        return
    except InputError as exc:
        yield exc
        return
    try:
        for number, (line, obj) in enumerate(json_array_items(source, text), 1):
            location = Location(source, line)
            try:
                document, sets = parse_task(obj, options)
            except _Bad as exc:
                yield InputError(location, f"task {number}: {exc}")
                continue
            yield Record(document, location, sets)
    except InputError as exc:
        yield exc


register(
    Format(
        name="labelstudio",
        description="Label Studio JSON tasks with labels, relations and per-region choices",
        extensions=(".json",),
        read=read,
        write=write,
    )
)
