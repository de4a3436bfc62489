"""Label Studio JSON: a list of tasks, each with its text and its annotations.

Writing: a JSON array (streamed, one task at a time) of `{"id", "data": {"text", "title",
"date", "meta"}, "annotations", "predictions": []}`, with one annotation per annotation set
(`was_cancelled` is true for a skipped set; Label Studio's `completed_by` names one of its own
users, so the annotator's name and the set's status go in the task's `meta.labeler` instead, and
are restored from there; region ids `a{k}-s{n}` say which annotator made a region). Stored
suggestions, when the export asks for them, go in `predictions` (see `suggested`). A span is a
`labels` result of the single `Labels` control "label"; a relation a `relation` result; each
span attribute a `choices` result of the control named after the attribute, with the span's
result id (per-region choices); each document label a result on the whole text
(`labelstudio_document`). Relation attributes have no place in Label Studio and are not
written. Beside the JSON goes the labelling config, `<stem>.config.xml`, to paste into the
project's settings.

Offsets: code points, both ways. Label Studio 1.23.2, run in a browser, places regions by code
points (UTF-16 offsets were drawn shifted after an emoji) and stores the regions made in its
screen in code points; its converter (label-studio-converter) slices the text by Python string
indices. A text with CRLF line breaks is counted before the line breaks are normalised, so its
offsets count the CR as Label Studio does. A region whose `text` is not the text at its offsets
is refused; when it fits counted in UTF-16 units (as labeler wrote Label Studio files before)
the message says so. `ReadOptions.extra["offsets"] = "utf16"` (`--offsets utf16`) reads such
a file; the unit also decides where a region without `text` lies.

Reading: a JSON array of tasks or a single task object; a task may wrap its fields in `data` or
give them at the top level. Each annotation becomes an annotation set, named as
`labelstudio_people` tells (our names from the task's `meta`, else Label Studio's user: e-mail,
user name, full name or `user N`; two annotations of one user are `name` and `name (2)`); a
cancelled annotation has status skipped. A draft that holds regions (an annotation not yet
submitted) becomes a set with status in progress, named by its `user`. Predictions become
suggestions of their `model_version` (with their `score`), shown to annotators to accept or
reject, never annotations; a region's own `score` wins over its prediction's. A region with
several labels, a relation without a label, a bidirectional relation, and results of other
kinds are reported as errors rather than dropped; choices, text areas and ratings that name no
region are document labels. An error's line is the line where its task begins.
Label Studio's JSON_MIN form (one flat row per annotation) is read too: see `labelstudio_min`.
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
from labeler.domain.offsets import (
    CODE_POINTS,
    OFFSETS_OPTION,
    CountedText,
    check_unit,
    normalize_newlines,
)
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import shown, shown_json
from labeler.formats.decoding import decode
from labeler.formats.json_array import json_array_items
from labeler.formats.labelstudio_config import LABELS, TEXT, labeling_config
from labeler.formats.labelstudio_document import (
    DOCUMENT_TYPES,
    document_results,
    is_document_result,
    read_document_result,
)
from labeler.formats.labelstudio_min import TaskRows, is_min_row, placed_keys, row_set, task_data
from labeler.formats.labelstudio_people import OUR_REGION_PREFIX, OurNames, numbered, user_name
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
from labeler.formats.suggested import predictions

# ---------------------------------------------------------------- writing


def _results(s: AnnotationSet, prefix: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    region: dict[int, str] = {}
    for n, span in enumerate(s.sorted_spans(), 1):
        rid = region[sid(span)] = f"{prefix}{n}"
        value = {"start": span.start, "end": span.end, "text": span.text}
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


def task_to_json(
    item: ExportItem, number: int, report: WriteReport | None = None
) -> dict[str, Any]:
    """One document and its annotation sets as a Label Studio task; its suggestions (when the
    export carries them) as predictions, never as annotations."""
    doc = item.document
    annotations = [
        {
            "id": k,
            "was_cancelled": s.status == Status.SKIPPED,
            "result": _results(s, f"{OUR_REGION_PREFIX}{k}-s")
            + document_results(s, f"{OUR_REGION_PREFIX}{k}-d"),
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
        "predictions": predictions(item.suggestions, doc.text, report or WriteReport()),
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
            out.write(json.dumps(task_to_json(item, count, report), ensure_ascii=False))
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

    def __init__(self, original: str, unit: str) -> None:
        self.original = original
        self.unit = unit
        self.text, self.remap = normalize_newlines(original)
        # Code points into a text without CR: offsets are taken as they are when they fit.
        self.plain = unit == CODE_POINTS and self.text is original
        self._counted: CountedText | None = None  # made for the first region off the usual case

    def quick(self, value: Any) -> tuple[int, int] | None:
        """The usual case, quickly: code-point offsets into a text without CR, a region's text
        (if given) the text there; None for any other (type() is int: True is no offset)."""
        if not self.plain or type(value) is not dict:
            return None
        start = value.get("start")
        end = value.get("end")
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(self.text):
            return None
        given = value.get("text")
        if given is None or type(given) is not str or self.text[start:end] == given:
            return start, end
        return None

    def span(self, value: Any, what: str) -> tuple[int, int]:
        """Code-point [start, end) of the normalised text for a region's value."""
        found = self.quick(value)
        if found is not None:
            return found
        if not isinstance(value, dict):
            raise _Bad(f"{what}: 'value' must be an object")
        given = value.get("text")
        given = given if isinstance(given, str) else None
        start = _int(value.get("start"), f"{what} start")
        end = _int(value.get("end"), f"{what} end")
        if self._counted is None:
            self._counted = CountedText(self.original)
        try:
            s, e = self._counted.span(start, end, self.unit, given)
        except ValueError as exc:
            raise _Bad(f"{what} {exc}") from None
        return self.remap(s), self.remap(e)


def _set(results: Any, text: _TaskText, where: str) -> RawAnnotationSet:
    if not isinstance(results, list):
        raise _Bad(f"{where}: 'result' must be a list")
    spans: dict[Any, RawSpan] = {}  # by region id; per-region choices fill the attributes
    choices: list[dict[str, Any]] = []
    relations: list[RawRelation] = []
    # TaskText.quick, written out: this loop runs for each of an import's regions.
    plain, body = text.plain, text.text
    size = len(body)
    for n, r in enumerate(results, 1):
        if not isinstance(r, dict):
            raise _Bad(f"{where}: result {n} must be an object")
        kind = r.get("type")
        if kind == "labels":
            rid = r.get("id", n)
            if type(rid) is not str and type(rid) is not int:
                raise _Bad(f"{where}: result {n} id must be a string or a number")
            if rid in spans:
                raise _Bad(f"{where}: two regions have the id {shown(rid)}")
            value: Any = r.get("value")
            if (
                plain
                and type(value) is dict
                and type(start := value.get("start")) is int
                and type(end := value.get("end")) is int
                and 0 <= start < end <= size
                and (
                    (given := value.get("text")) is None
                    or type(given) is not str
                    or body[start:end] == given
                )
            ):
                pass  # the usual case: code points into a text without CR, the text there
            else:
                start, end = text.span(value, f"{where}: region {rid}")
            labels = value.get("labels")
            if type(labels) is list and len(labels) == 1 and type(labels[0]) is str:
                label = labels[0]  # the usual case, quickly
            else:
                label = _one(labels, f"{where}: region {rid} labels")
            score = r.get("score")  # a prediction's regions may each carry a score
            if score is not None:
                score = float(score) if isinstance(score, int | float) and 0 <= score <= 1 else None
            spans[rid] = RawSpan(start, end, label, {}, None, rid, None, score)
        elif kind in DOCUMENT_TYPES:
            choices.append(r)
        elif kind == "relation":
            relations.extend(_relation(r, f"{where}: result {n}"))
        else:
            raise _Bad(
                f"{where}: result {n} has type {shown(kind)}; labeler reads labels, choices, "
                "textarea, rating and relation results"
            )
    raw = RawAnnotationSet()
    for r in choices:
        if is_document_result(r, set(spans)):
            try:
                label, values, kind_of = read_document_result(r, where)
            except ValueError as exc:
                raise _Bad(str(exc)) from None
            if label in raw.document_labels:
                raise _Bad(f"{where}: two results give the document label {shown(label)}")
            if values:
                raw.document_labels[label] = values
                raw.document_kinds[label] = kind_of
            continue
        if r.get("type") != "choices":
            kind = r.get("type")
            raise _Bad(f"{where}: a {kind} result on a region; labeler reads choices there")
        rid = r.get("id")
        if type(rid) not in (int, str) or rid not in spans:
            raise _Bad(f"{where}: choices {shown(r.get('from_name'))} belong to no labelled region")
        control = r.get("from_name")
        if not isinstance(control, str):
            raise _Bad(f"{where}: choices of region {rid} have no 'from_name'")
        value = r.get("value")
        value = _one(
            value.get("choices") if isinstance(value, dict) else None,
            f"{where}: {control} of region {rid}",
        )
        spans[rid].attributes[control] = value
    for rel in relations:
        for end in (rel.head, rel.tail):
            if type(end) not in (int, str) or end not in spans:
                raise _Bad(
                    f"{where}: relation {shown(rel.type)} names {shown(end)}, which is no region"
                )
    raw.spans = list(spans.values())
    raw.relations = relations
    return raw


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


def parse_task(obj: Any, options: ReadOptions) -> tuple[Document, list[RawAnnotationSet]]:
    """A document and its annotation sets from one decoded task."""
    if not isinstance(obj, dict):
        raise _Bad("a task must be a JSON object")
    minimal = is_min_row(obj)
    data = task_data(obj) if minimal else obj.get("data", obj)
    if not isinstance(data, dict):
        raise _Bad("'data' must be an object")
    if data is obj and (stray := sorted(placed_keys(obj))):
        # A flat task with annotations that also holds regions beside them: neither form.
        raise _Bad(
            f"regions under {', '.join(map(repr, stray))} beside 'annotations'; "
            "labeler reads a task's regions from its annotations (or a JSON_MIN row)"
        )
    original = data.get(options.text_column)
    if not isinstance(original, str) or not original.strip():
        raise _Bad(f"no text in data field {options.text_column!r}")
    text = _TaskText(original, options.extra.get(OFFSETS_OPTION, CODE_POINTS))
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
        taken |= {"id", "annotations", "completions", "predictions", "drafts"}
    if minimal:
        meta = {**meta, **{k: v for k, v in data.items() if k not in taken}}
        try:
            raw = row_set(obj, text.span, _one)
        except ValueError as exc:
            raise _Bad(str(exc)) from None
        document = Document(text.text, title=title.strip(), date=when, meta=meta)
        return document, [raw] if raw is not None else []
    meta = {**meta, **{k: v for k, v in data.items() if k not in taken}}
    task_meta = obj.get("meta") if data is not obj else None
    ours = task_meta.get(TASK_META) if isinstance(task_meta, dict) else None
    sets: list[RawAnnotationSet] = []
    # "completions": what Label Studio before 1.0 called annotations.
    for key in ("annotations", "completions", "predictions", "drafts"):
        entries = obj.get(key) or []
        if not isinstance(entries, list):
            raise _Bad(f"'{key}' must be a list")
        if not entries:
            continue
        names = OurNames(ours, len(entries))
        for n, entry in enumerate(entries, 1):
            where = f"{key[:-1]} {n}"
            if key == "predictions" and isinstance(entry, int) and not isinstance(entry, bool):
                continue  # Label Studio's own JSON export lists its predictions by id only
            if not isinstance(entry, dict):
                raise _Bad(f"{where} must be an object")
            raw = _set(entry.get("result", []), text, where)
            if key == "predictions":
                # Suggestions of the model that made them, not annotations of a person.
                if raw.document_labels:
                    raise _Bad(
                        f"{where} gives document labels ({', '.join(raw.document_labels)}); "
                        "labeler takes suggestions of spans only: remove them from predictions "
                        "or import them as annotations"
                    )
                raw.recommender = str(entry.get("model_version") or "label studio predictions")
                _score_spans(raw, entry.get("score"))
            elif key == "drafts":
                if not raw.spans and not raw.document_labels:
                    continue  # a draft that holds nothing yet
                # A draft's user is the e-mail of the person who has not submitted it yet.
                raw.annotator = user_name({**entry, "completed_by": entry.get("user")})
                raw.status = Status.IN_PROGRESS
            else:
                place = names.place(entry, n - 1)
                raw.annotator = names.name(place) or user_name(entry)
                # An annotation in Label Studio is a submitted one: done, unless it was
                # cancelled (skipped) or this module wrote down another status.
                status = names.status(place)
                if entry.get("was_cancelled"):
                    raw.status = Status.SKIPPED
                else:
                    raw.status = status or Status.DONE
            sets.append(raw)
    for raw, name in zip(sets, numbered([s.annotator for s in sets]), strict=True):
        raw.annotator = name
    document = Document(text.text, title=title.strip(), date=when, meta=meta)
    return document, sets


def _score_spans(raw: RawAnnotationSet, score: Any) -> None:
    """A prediction's score, in [0, 1], given to its spans that have none of their own
    (others get the default)."""
    if isinstance(score, int | float) and 0 <= score <= 1:
        for span in raw.spans:
            if span.score is None:
                span.score = float(score)


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    source = str(path)
    try:
        check_unit(options.extra.get(OFFSETS_OPTION, CODE_POINTS))
    except ValueError as exc:
        yield InputError(Location(source), str(exc))
        return
    try:
        text = decode(path.read_bytes(), source)
    except OSError as exc:
        yield InputError(Location(source), f"cannot read the file ({exc.strerror})")
        return
    except InputError as exc:
        yield exc
        return
    rows = TaskRows()
    try:
        for number, (line, obj) in enumerate(json_array_items(source, text), 1):
            location = Location(source, line)
            try:
                document, sets = parse_task(obj, options)
            except _Bad as exc:
                yield from rows.flush()
                yield InputError(location, f"task {number}: {exc}")
                continue
            yield from rows.add(obj, Record(document, location, sets))
    except InputError as exc:
        yield from rows.flush()
        yield exc
    yield from rows.flush()


register(
    Format(
        name="labelstudio",
        description="Label Studio JSON tasks with labels, relations and per-region choices",
        extensions=(".json",),
        read=read,
        write=write,
        all_sets=True,
        document_labels=True,
        suggestions=True,
    )
)
