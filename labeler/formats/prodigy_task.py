"""A Prodigy task as a line of JSON: the string json.dumps writes of it, formatted directly.

The format itself (keys, spans on tokens, answers) is described in `prodigy`. A dict per token
or span handed to json.dumps cost more than tokenising did; here the tokens are written in one
`%` formatting whose template is the text itself, escaped as JSON, with each token's fields put
where two tokens part (see `tokens_json`), and the spans and relations each in one `%` too.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from itertools import repeat
from json.encoder import encode_basestring

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.attribution_links import sid
from labeler.formats.records import ExportItem, WriteReport, first_set
from labeler.formats.spacy_docbin import document_lang
from labeler.formats.token_arrays import TokenArrays, tokenise

WRITTEN_ANSWER = {Status.DONE: "accept", Status.SKIPPED: "ignore"}
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(x, ensure_ascii=False)


def hash32(*parts: str) -> int:
    """A stable signed 32-bit hash of some strings (Prodigy's hashes are signed 32-bit ints)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


# ---------------------------------------------------------------- tokens

# A token's fields after its text, up to its "ws" value; then the next token's "text" key.
_FIELDS = ', "start": %d, "end": %d, "id": %s, "ws": '
_BETWEEN = (_FIELDS + 'false}, {"text": ', _FIELDS + 'true}, {"text": ')  # by "ws"
_SPACE = '"' + _BETWEEN[True] + '"'  # a space between two tokens' texts in one quoted string


def _numbers(n: int) -> list[str]:
    """ "0" to str(n - 1): a token's id, formatted once (where a document has few tokens)."""
    if n > _NUMBERED:
        return list(map(str, range(n)))
    return _numbered(max(1024, 1 << (n - 1).bit_length()))[:n]


_NUMBERED = 1 << 16


@cache
def _numbered(n: int) -> list[str]:
    return list(map(str, range(n)))


def tokens_json(arrays: TokenArrays, before: str = "", after: str = "") -> str:
    """The task's `tokens` list as json.dumps writes it (a dict per token: "text", "start",
    "end", "id", "ws"), between `before` and `after`.

    The template is the text cut into its runs of tokens parted by single spaces (see
    `TokenArrays.runs`), each escaped as a JSON string (with its quotes), `%` doubled, and each
    space replaced by the fields of the token before it and the next token's key; the runs are
    joined by the fields of a token followed by no space. Only the numbers are formatted
    token by token, by `%` in C: no string is made per token. A text whose spaces are not all
    those after tokens is written from its tokens' texts, each with the "ws" it has. The line
    is made at once, `before` and `after` formatted in: each copy of it costs as much as
    formatting the tokens' texts."""
    n = len(arrays)
    if not n:
        return before + "[]" + after
    text = arrays.text
    runs = arrays.runs()
    pieces = list(map(encode_basestring, arrays.texts() if runs is None else runs))
    if "%" in text:
        pieces = list(map(str.replace, pieces, repeat("%"), repeat("%%")))
    if runs is not None:
        pieces = list(map(str.replace, pieces, repeat(" "), repeat(_SPACE)))
        parts = [_BETWEEN[False]] * (2 * len(pieces) + 1)
        parts[1::2] = pieces
    else:
        parts = [""] * (2 * n + 1)
        parts[1::2] = pieces
        parts[2:-1:2] = map(_BETWEEN.__getitem__, arrays.spaces[:-1])
    parts[0] = '%s[{"text": '
    parts[-1] = _FIELDS + ("true" if arrays.ends[-1] < len(text) else "false") + "}]%s"
    values: list[int | str] = [before] * (3 * n + 2)
    values[1:-1:3] = arrays.starts
    values[2:-1:3] = arrays.ends
    values[3:-1:3] = _numbers(n)
    values[-1] = after
    return "".join(parts) % tuple(values)


# ---------------------------------------------------------------- spans and relations

SpanKey = tuple[int, int, str]  # start, end and label on token boundaries
# A span as the task holds it, and as json.dumps(..., sort_keys=True) writes it for the hash.
_SPAN = '{"start": %d, "end": %d, "token_start": %d, "token_end": %d, "label": %s}, '
_SORTED_SPAN = '{"end": %d, "label": %s, "start": %d, "token_end": %d, "token_start": %d}, '
_RELATION = '{"head": %d, "child": %d, "head_span": %s, "child_span": %s, "label": %s}, '
_ONE_SPAN, _ONE_SORTED_SPAN = _SPAN[:-2], _SORTED_SPAN[:-2]
_SORTED_RELATION = '{"child": %d, "child_span": %s, "head": %d, "head_span": %s, "label": %s}, '


_SPAN_NOTES = (
    "span attributes not carried (Prodigy spans have none)",
    "spans covering no token, not exported (nor their relations)",
    "spans moved to token boundaries",
    "spans identical to another once on token boundaries, merged",
)


def _aligned(
    s: AnnotationSet, tokens: TokenArrays, report: WriteReport
) -> tuple[dict[SpanKey, tuple[int, int]], dict[int, SpanKey]]:
    """The set's spans on token boundaries: their first and last tokens by (start, end, label);
    and each span id's key."""
    written: dict[SpanKey, tuple[int, int]] = {}
    key_of: dict[int, SpanKey] = {}
    starts, ends = tokens.starts, tokens.ends
    token_range = tokens.token_range
    counts = dict.fromkeys(_SPAN_NOTES, 0)  # counted here, noted once
    for span in s.sorted_spans():
        if span.attributes:
            counts[_SPAN_NOTES[0]] += 1
        aligned = token_range(span.start, span.end)
        if aligned is None:
            counts[_SPAN_NOTES[1]] += 1
            continue
        first, after, moved = aligned
        if moved:
            counts[_SPAN_NOTES[2]] += 1
        key = (starts[first], ends[after - 1], span.label)
        if key in written:
            counts[_SPAN_NOTES[3]] += 1
        else:
            written[key] = (first, after - 1)
        key_of[sid(span)] = key
    for reason, count in counts.items():
        report.note(reason, count)
    return written, key_of


def _linked(
    s: AnnotationSet, key_of: dict[int, SpanKey], report: WriteReport
) -> list[tuple[SpanKey, SpanKey, str]]:
    """The set's relations as (head, child, type) keys, in order, merged where their spans were."""
    relations: set[tuple[SpanKey, SpanKey, str]] = set()
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
        relations.add((head, child, r.type))
    return sorted(relations)


def _listed(template: str, values: list[object], count: int) -> str:
    """A JSON list of `count` objects, each `template` (ending ", ") formatted in turn."""
    return "[" + (template * count % tuple(values))[:-2] + "]" if count else "[]"


def labelled_json(
    written: dict[SpanKey, tuple[int, int]], relations: list[tuple[SpanKey, SpanKey, str]]
) -> tuple[str, str, str]:
    """The task's spans and relations as JSON lists; and `[spans, relations]` as json.dumps
    with sort_keys writes it (the task hash is taken of it)."""
    keys = sorted(written)
    values: list[object] = []
    ordered: list[object] = []
    shown: dict[SpanKey, tuple[str, str]] = {}
    for key in keys:
        start, end, label = key
        first, last = written[key]
        label = encode_basestring(label)
        values += (start, end, first, last, label)
        ordered += (end, label, start, last, first)
        if relations:
            shown[key] = (
                _ONE_SPAN % (start, end, first, last, label),
                _ONE_SORTED_SPAN % (end, label, start, last, first),
            )
    spans = _listed(_SPAN, values, len(keys))
    sorted_spans = _listed(_SORTED_SPAN, ordered, len(keys))
    values, ordered = [], []
    for head, child, kind in relations:
        kind = encode_basestring(kind)
        (head_span, sorted_head), (child_span, sorted_child) = shown[head], shown[child]
        head_token, child_token = written[head][1], written[child][1]
        values += (head_token, child_token, head_span, child_span, kind)
        ordered += (child_token, sorted_child, head_token, sorted_head, kind)
    links = _listed(_RELATION, values, len(relations))
    sorted_links = _listed(_SORTED_RELATION, ordered, len(relations))
    return spans, links, "[" + sorted_spans + ", " + sorted_links + "]"


# ---------------------------------------------------------------- the task


def task_line(item: ExportItem, report: WriteReport) -> str:
    """One document and its first annotation set as a Prodigy task: a line of JSON (no end),
    its keys in the order one json.dumps of the task writes them."""
    doc = item.document
    tokens = tokenise(doc.text, document_lang(doc))
    chosen = first_set(item, report)
    spans = links = "[]"
    labelled = "[[], []]"
    if chosen is not None:
        written, key_of = _aligned(chosen, tokens, report)
        spans, links, labelled = labelled_json(written, _linked(chosen, key_of, report))
    input_hash = hash32(doc.text)
    head: list[str] = ['{"text": ', encode_basestring(doc.text)]
    if doc.title:
        head += (', "title": ', _ENCODE(doc.title))
    if doc.date:
        head += (', "date": ', _ENCODE(doc.date.isoformat()))
    task_hash = hash32(str(input_hash), labelled)
    head.append(
        f', "meta": {_ENCODE(doc.meta)}, "_input_hash": {input_hash}, "_task_hash": {task_hash}'
        ', "tokens": '
    )
    tail: list[str] = []
    if chosen is not None:  # without a set, no spans: the task reads back without one
        tail += (', "spans": ', spans, ', "relations": ', links)
        answer = WRITTEN_ANSWER.get(chosen.status)
        if answer is not None:
            tail.append(', "answer": "' + answer + '"')
        elif chosen.status == Status.IN_PROGRESS:
            report.note("in-progress status not carried (written unanswered, read back as todo)")
        tail += (', "_annotator_id": ', _ENCODE(chosen.annotator))
    tail.append("}")
    return tokens_json(tokens, "".join(head), "".join(tail))
