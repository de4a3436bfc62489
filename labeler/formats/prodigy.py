"""Prodigy JSONL: one task a line, with spaCy tokens, token-aligned spans and relations.

Writing: a task for the `spans.manual` / `rel.manual` recipes: `text`, `title` and `date` (when
set), `meta` (the document's metadata, which Prodigy shows on the card), `_input_hash` and
`_task_hash` (signed 32-bit integers, as Prodigy's; stable hashes of the text, and of the text
with its spans and relations), `tokens` (`{"text", "start", "end", "id", "ws"}` from a blank
spaCy pipeline of the document's `meta["lang"]`, default "en"), and, when the item has an
annotation set, `spans` (`{"start", "end", "token_start", "token_end", "label"}`, `token_end`
inclusive), `relations` (`{"head", "child", "head_span", "child_span", "label"}`), `answer` and
`_annotator_id` (the annotator's name).

- `head` and `child` are the index of the LAST token of the head and child spans: Prodigy's
  relations UI records that token, and explosion's `rel_component` project reads them so.
  `head_span` and `child_span` repeat the spans in full, so nothing depends on that choice.
- Prodigy wants spans on token boundaries: a span off them is grown to the tokens it touches
  (white space at its edges dropped first, as for spaCy) and counted in the WriteReport; a span
  covering no token is left out with its relations; spans that become identical are merged.
- `answer`: a `done` set is "accept", a `skipped` set "ignore"; a `todo` or `in_progress` set is
  written without an answer, as an unanswered task (`in_progress` is counted as not carried,
  since it reads back as `todo`). "reject" is never written.
- Only the FIRST annotation set of an item is written (one task holds one annotator's answer);
  the others are counted. Span and relation attributes have no place in Prodigy and are
  counted as not carried. Spans of all layers share one task, so spans may overlap: open such
  files with `spans.manual` or `rel.manual`, not `ner.manual`, which refuses overlaps.

Reading: spans are taken by their character offsets `start`/`end` (code points, checked to lie
inside the text); token ids and `tokens` are not needed. A relation's head and child are the
spans at the offsets of its `head_span`/`child_span` (matched by label as well when it is
given); without those, the span whose `token_end` is the `head`/`child` token. `answer` maps
back: "accept" -> done, "reject" and "ignore" -> skipped (the annotator turned the task down;
labeler has no "rejected" status), no answer -> todo. `_annotator_id` names the annotation set
(Prodigy writes `dataset-session` there); other keys beginning with `_` are Prodigy's own and
are dropped; any other key is kept as metadata. Bad lines are yielded as InputErrors naming the
file and line, and reading goes on.

The format is registered for `.jsonl`, which the native JSONL format claims first, so a
`.jsonl` file is read as Prodigy only when asked for by name (`--format prodigy`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from labeler.domain.annotation import Status
from labeler.domain.document import Document
from labeler.domain.errors import InputError
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import shown_json
from labeler.formats import jsonl
from labeler.formats.doccano import native_fields
from labeler.formats.jsonl import RecordProblem, read_json_lines
from labeler.formats.parallel import per_document
from labeler.formats.prodigy_task import task_line
from labeler.formats.records import (
    ExportItem,
    RawAnnotationSet,
    ReadOptions,
    Record,
    WriteReport,
)
from labeler.formats.registry import Format, register

ANSWERS = {"accept": Status.DONE, "reject": Status.SKIPPED, "ignore": Status.SKIPPED}
_READ = {"tokens", "spans", "relations", "answer"}


# ---------------------------------------------------------------- writing (see prodigy_task)


def write(path: Path, items: Iterable[ExportItem], schema: LabelSchema) -> WriteReport:
    del schema  # labels and relation types are written by name
    report = WriteReport()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for count, line in enumerate(per_document(task_line, items, report, tokenised=True), 1):
            out.write(line)
            out.write("\n")
            report.documents = count
    return report


# ---------------------------------------------------------------- reading


def _span_list(value: Any) -> list[dict[str, Any]]:
    """The task's spans for the native checks, numbered from 1; exact repeats dropped."""
    if not isinstance(value, list):
        raise RecordProblem("field 'spans' must be a list")
    spans: list[dict[str, Any]] = []
    seen: set[tuple[Any, Any, Any]] = set()
    for n, raw in enumerate(value, 1):
        if not isinstance(raw, dict):
            raise RecordProblem(f"span {n} must be an object")
        key = (raw.get("start"), raw.get("end"), raw.get("label"))
        if all(type(x) in (int, str) for x in key):
            if key in seen:
                continue
            seen.add(key)
        spans.append({"id": n, **{k: raw[k] for k in ("start", "end", "label") if k in raw}})
    return spans


def _endpoint(
    raw: dict[str, Any], which: str, value: list[Any], spans: list[dict[str, Any]], what: str
) -> int:
    """The id of the span a relation's head or child names."""
    given = raw.get(f"{which}_span")
    if isinstance(given, dict):
        start, end, label = given.get("start"), given.get("end"), given.get("label")
        found: list[int] = [  # the span ids this module numbered
            s["id"]
            for s in spans
            if (s.get("start"), s.get("end")) == (start, end)
            and (label is None or s.get("label") == label)
        ]
        where = f"{which}_span [{start}, {end})" + (f" {label}" if label is not None else "")
    elif which in raw:
        token = raw[which]
        found = [
            s["id"] for s, orig in zip(spans, value, strict=False) if _token_end(orig) == token
        ]
        where = f"{which} token {shown_json(token)}"
    else:
        raise RecordProblem(f"{what} has no {which}_span")
    if not found:
        raise RecordProblem(f"{what} {where} is not a span of the task")
    if len(found) > 1:
        raise RecordProblem(f"{what} {where} matches {len(found)} spans")
    return found[0]


def _token_end(raw: Any) -> Any:
    return raw.get("token_end") if isinstance(raw, dict) else None


def _relation_list(
    value: Any, raw_spans: list[Any], spans: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise RecordProblem("field 'relations' must be a list")
    originals = [raw_spans[s["id"] - 1] for s in spans]  # ids are positions in the task
    relations: list[dict[str, Any]] = []
    for n, raw in enumerate(value, 1):
        what = f"relation {n}"
        if not isinstance(raw, dict):
            raise RecordProblem(f"{what} must be an object")
        if not isinstance(raw.get("label"), str):
            raise RecordProblem(f"{what} has no 'label'")
        head = _endpoint(raw, "head", originals, spans, what)
        child = _endpoint(raw, "child", originals, spans, what)
        relations.append({"type": raw["label"], "head": head, "tail": child})
    return relations


def parse_task(obj: Any, options: ReadOptions) -> tuple[Document, list[RawAnnotationSet]]:
    """A document and its annotation set (if it has spans or an answer) from one task."""
    if not isinstance(obj, dict):
        raise RecordProblem("a line must hold a JSON object")
    reserved = _READ | {k for k in obj if isinstance(k, str) and k.startswith("_")}
    native = native_fields(obj, options, reserved)
    answer = obj.get("answer")
    status = Status.TODO
    if answer is not None:
        if answer not in ANSWERS:
            raise RecordProblem(f"answer {shown_json(answer)} is not accept, reject or ignore")
        status = ANSWERS[answer]
    labelled = any(k in obj for k in ("spans", "relations", "answer"))
    if labelled:
        raw_spans = obj.get("spans", [])
        spans = _span_list(raw_spans)
        native["spans"] = spans
        native["relations"] = _relation_list(obj.get("relations", []), raw_spans, spans)
    document, sets = jsonl.parse_line(native, options)
    if labelled:
        annotator = obj.get("_annotator_id")
        sets[0].annotator = (annotator.strip() or None) if isinstance(annotator, str) else None
        sets[0].status = status
    return document, sets


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    return read_json_lines(path, options, parse_task)


register(
    Format(
        name="prodigy",
        description="Prodigy JSONL tasks: spaCy tokens, token-aligned spans and relations",
        extensions=(".jsonl",),
        read=read,
        write=write,
    )
)
