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

import hashlib
import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.attribution_links import sid
from labeler.domain.document import Document
from labeler.domain.errors import InputError
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import shown_json
from labeler.formats import jsonl
from labeler.formats.doccano import native_fields
from labeler.formats.jsonl import RecordProblem, read_json_lines
from labeler.formats.parallel import per_document
from labeler.formats.records import (
    ExportItem,
    RawAnnotationSet,
    ReadOptions,
    Record,
    WriteReport,
    first_set,
)
from labeler.formats.registry import Format, register
from labeler.formats.spacy_docbin import document_lang
from labeler.formats.token_arrays import TokenArrays, tokenise

ANSWERS = {"accept": Status.DONE, "reject": Status.SKIPPED, "ignore": Status.SKIPPED}
_WRITTEN_ANSWER = {Status.DONE: "accept", Status.SKIPPED: "ignore"}
_READ = {"tokens", "spans", "relations", "answer"}


def hash32(*parts: str) -> int:
    """A stable signed 32-bit hash of some strings (Prodigy's hashes are signed 32-bit ints)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


# ---------------------------------------------------------------- writing

SpanKey = tuple[int, int, str]


def _spans(
    s: AnnotationSet, tokens: TokenArrays, report: WriteReport
) -> tuple[dict[SpanKey, dict[str, Any]], dict[int, SpanKey]]:
    """The set's spans on token boundaries, by (start, end, label); and each span id's key."""
    written: dict[SpanKey, dict[str, Any]] = {}
    key_of: dict[int, SpanKey] = {}
    for span in s.sorted_spans():
        if span.attributes:
            report.note("span attributes not carried (Prodigy spans have none)")
        aligned = tokens.token_range(span.start, span.end)
        if aligned is None:
            report.note("spans covering no token, not exported (nor their relations)")
            continue
        first, after, moved = aligned
        if moved:
            report.note("spans moved to token boundaries")
        key = (tokens.starts[first], tokens.ends[after - 1], span.label)
        if key in written:
            report.note("spans identical to another once on token boundaries, merged")
        else:
            written[key] = {
                "start": key[0],
                "end": key[1],
                "token_start": first,
                "token_end": after - 1,
                "label": span.label,
            }
        key_of[sid(span)] = key
    return written, key_of


def _relations(
    s: AnnotationSet,
    written: dict[SpanKey, dict[str, Any]],
    key_of: dict[int, SpanKey],
    report: WriteReport,
) -> list[dict[str, Any]]:
    relations: dict[tuple[SpanKey, SpanKey, str], dict[str, Any]] = {}
    for r in s.relations.values():
        if r.attributes:
            report.note("relation attributes not carried (Prodigy relations have none)")
        head, child = key_of.get(r.head), key_of.get(r.tail)
        if head is None or child is None:
            report.note("relations of spans not exported, not exported")
            continue
        if (head, child, r.type) in relations:
            report.note("relations identical to another once spans were merged, merged")
            continue
        head_span, child_span = written[head], written[child]
        relations[head, child, r.type] = {
            "head": head_span["token_end"],
            "child": child_span["token_end"],
            "head_span": head_span,
            "child_span": child_span,
            "label": r.type,
        }
    return [relations[k] for k in sorted(relations)]


_TOKEN = '{"text": "%s", "start": %d, "end": %d, "id": %d, "ws": %s}, '
_WS = ("false", "true")
_ESCAPED = re.compile(r'["\\\x00-\x1f]')  # what JSON escapes in a string (ensure_ascii=False)


def _tokens_json(arrays: TokenArrays) -> str:
    """The task's `tokens` list as json.dumps writes it, formatted as one string: a dict per
    token handed to json.dumps cost more than tokenising did. A token's text is written as it
    is unless it holds a character JSON escapes (found in the text, not token by token)."""
    n = len(arrays)
    words = arrays.texts()
    for mark in _ESCAPED.finditer(arrays.text):
        i = bisect_right(arrays.starts, mark.start()) - 1
        if mark.start() < arrays.ends[i]:  # not the space after the token
            words[i] = encode_basestring(arrays.token_text(i))[1:-1]
    values: list[object] = [None] * (5 * n)
    values[0::5] = words
    values[1::5] = arrays.starts
    values[2::5] = arrays.ends
    values[3::5] = range(n)
    values[4::5] = map(_WS.__getitem__, arrays.spaces)
    return "[" + (_TOKEN * n % tuple(values))[:-2] + "]"


def task_line(item: ExportItem, report: WriteReport) -> str:
    """One document and its first annotation set as a Prodigy task: a line of JSON (no end)."""
    doc = item.document
    tokens = tokenise(doc.text, document_lang(doc))
    chosen = first_set(item, report)
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    if chosen is not None:
        written, key_of = _spans(chosen, tokens, report)
        spans = [written[k] for k in sorted(written)]
        relations = _relations(chosen, written, key_of, report)
    input_hash = hash32(doc.text)
    labelled = json.dumps([spans, relations], ensure_ascii=False, sort_keys=True)
    head: dict[str, Any] = {"text": doc.text}
    if doc.title:
        head["title"] = doc.title
    if doc.date:
        head["date"] = doc.date.isoformat()
    head.update(
        {
            "meta": doc.meta,
            "_input_hash": input_hash,
            "_task_hash": hash32(str(input_hash), labelled),
        }
    )
    tail: dict[str, Any] = {}
    if chosen is not None:  # without a set, no spans: the task reads back without one
        tail["spans"], tail["relations"] = spans, relations
        answer = _WRITTEN_ANSWER.get(chosen.status)
        if answer is not None:
            tail["answer"] = answer
        elif chosen.status == Status.IN_PROGRESS:
            report.note("in-progress status not carried (written unanswered, read back as todo)")
        tail["_annotator_id"] = chosen.annotator
    # The task's keys in order (the tokens after the hashes), as one json.dumps of it writes.
    line = json.dumps(head, ensure_ascii=False)[:-1]
    line += ', "tokens": ' + _tokens_json(tokens)
    if tail:
        return line + ", " + json.dumps(tail, ensure_ascii=False)[1:]
    return line + "}"


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
