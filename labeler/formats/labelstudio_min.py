"""Label Studio's JSON_MIN export: one flat object per annotation.

A row holds the task's data keys (`text`, and any others) at the top level beside `id` (the
task's), `annotator` (a user id, or an e-mail), `annotation_id`, `created_at`, `updated_at`,
`lead_time` and, where Label Studio computed it, `agreement`; and one key per control of the
labelling config, named by the control's `name`. A Labels control gives a list of regions
`{start, end, text, labels}`. Label Studio leaves relations out of this form, and flattens a
Choices or TextArea control with one value to the bare value, so a per-region choice loses its
region: for relations and span attributes, export JSON.

Read here: a row is one annotation set of its task; consecutive rows of one task (same `id` and
text) are one document with a set each. Every list of regions becomes spans, whatever its key; a
per-region choice that kept its region (`{start, end, choices}`, Label Studio's form for several
values) joins the one region at that place, as the attribute named by its key. Any other
control's value (a list of other objects, or a bare choice or text, which JSON_MIN has cut off
from its region) refuses the row rather than being read as data or dropped; a key is a control's
when it holds a list of objects or stands between `id` and `annotator`, where Label Studio
writes its controls. The other keys are task data (the document's metadata). The per-annotation
keys (`annotation_id`, times, `lead_time`, `agreement`) have no place in a document and are not
kept. A row with `annotation_id` but no regions is a set without spans (the annotator found
nothing); a row of a task nobody annotated (no `annotation_id`) is a document without a set.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from labeler.domain.annotation import Status
from labeler.formats.labelstudio_people import numbered
from labeler.formats.records import RawAnnotationSet, RawSpan, Record

ANNOTATION_KEYS = frozenset(
    {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement"}
)
_TASK_FORMS = ("data", "annotations", "predictions", "completions")

SpanOf = Callable[[Any, str], tuple[int, int]]
"""A region's value -> its code-point [start, end) in the document; raises on a bad one."""

OneOf = Callable[[Any, str], str]
"""A list that must hold one string -> that string; raises otherwise."""


def _results(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _placed(value: Any) -> bool:
    return _results(value) and all("start" in v and "end" in v for v in value)


def is_min_row(obj: dict[str, Any]) -> bool:
    """Whether a flat task object is a JSON_MIN row rather than a task of the JSON form."""
    if any(key in obj for key in _TASK_FORMS):
        return False
    return "annotation_id" in obj or any(_placed(v) for v in obj.values())


def placed_keys(obj: dict[str, Any]) -> set[str]:
    """The keys of an object that hold regions (lists of objects with start and end)."""
    return {key for key, value in obj.items() if _placed(value)}


def control_keys(obj: dict[str, Any]) -> set[str]:
    """The keys of a row that hold a control's results: every list of objects, and every key
    between the task's `id` and `annotator` (Label Studio writes a row as the task's data,
    then `id`, then one key per control, then `annotator`; JSON keeps that order)."""
    found = {key for key, value in obj.items() if _results(value)}
    keys = list(obj)
    if "id" in obj and "annotator" in obj and keys.index("id") < keys.index("annotator"):
        found.update(keys[keys.index("id") + 1 : keys.index("annotator")])
    return found


def task_data(obj: dict[str, Any]) -> dict[str, Any]:
    """A row's task data: what is neither a control's results nor a per-annotation key."""
    controls = control_keys(obj)
    return {k: v for k, v in obj.items() if k not in controls and k not in ANNOTATION_KEYS}


def annotator(obj: dict[str, Any]) -> str | None:
    """The set's name: the e-mail Label Studio gives, or `user N` for a user id."""
    who = obj.get("annotator")
    if isinstance(who, str):
        return who.strip() or None
    if isinstance(who, int) and not isinstance(who, bool):
        return f"user {who}"
    return None


def row_set(obj: dict[str, Any], span_of: SpanOf, one: OneOf) -> RawAnnotationSet | None:
    """The annotation set of one row, or None for a row of a task nobody annotated.

    Raises ValueError for a control it cannot read; span_of and one raise their own errors.
    """
    controls = sorted(control_keys(obj))
    if obj.get("annotation_id") is None and not controls:
        return None
    spans: list[RawSpan] = []
    choices: list[tuple[str, dict[str, Any]]] = []
    for key in controls:
        if obj[key] == []:
            continue  # a control with nothing in it
        if not _results(obj[key]):
            shown = json.dumps(obj[key], ensure_ascii=False)[:80]
            raise ValueError(
                f"control {key!r} holds {shown}: JSON_MIN writes a choice or text this way, "
                "cut off from the region it belongs to (or for the whole document), so labeler "
                "cannot place it; export the project as JSON (not JSON_MIN) to import it"
            )
        for n, value in enumerate(obj[key], 1):
            where = f"{key} {n}"
            if "start" in value and "end" in value and "labels" in value:
                start, end = span_of(value, f"region {where}")
                label = one(value.get("labels"), f"region {where} labels")
                spans.append(RawSpan(start, end, label, {}, None, (key, n)))
            elif "start" in value and "end" in value and "choices" in value:
                choices.append((key, value))
            else:
                shown = json.dumps(value, ensure_ascii=False)[:80]
                raise ValueError(
                    f"{key!r} holds {shown}, results of a control labeler does not read "
                    "(it reads regions with labels, and choices that name their region)"
                )
    for key, value in choices:
        start, end = span_of(value, f"choices {key!r}")
        at = [s for s in spans if (s.start, s.end) == (start, end)]
        if len(at) != 1:
            how = "no region lies" if not at else f"{len(at)} regions lie"
            raise ValueError(
                f"choices {key!r} at [{value['start']}, {value['end']}) belong to one region, "
                f"and {how} there"
            )
        at[0].attributes[key] = one(value.get("choices"), f"choices {key!r}")
    return RawAnnotationSet(annotator(obj), Status.DONE, spans)


class TaskRows:
    """Holds a record back until the next shows whether it continues the same task: the
    JSON_MIN form gives each annotation of a task a row, and those rows are one document."""

    def __init__(self) -> None:
        self._held: Record | None = None
        self._key: Any = None

    def add(self, obj: Any, record: Record) -> Iterator[Record]:
        key = obj.get("id") if isinstance(obj, dict) and is_min_row(obj) else None
        held = self._held
        if (
            held is not None
            and key is not None
            and key == self._key
            and held.document.text == record.document.text
        ):
            held.sets.extend(record.sets)
            return
        yield from self.flush()
        self._held, self._key = record, key

    def flush(self) -> Iterator[Record]:
        if self._held is not None:
            held, self._held = self._held, None
            names = numbered([s.annotator for s in held.sets])
            for raw, name in zip(held.sets, names, strict=True):
                raw.annotator = name
            yield held
