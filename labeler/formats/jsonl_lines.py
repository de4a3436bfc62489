"""The native JSON Lines format's lines, written as text: the same bytes json.dumps gives for
the records (its default separators, ensure_ascii off), without building a dict per span and
relation first; an export of 100,000 spans spent most of its writing time on those dicts."""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _string
from typing import Any

from labeler.domain.annotation import AnnotationSet
from labeler.domain.document_labels import labels_to_json
from labeler.formats import jsonl_curated
from labeler.formats.records import ExportItem, WriteReport
from labeler.formats.suggested import suggestions_json

_value = json.JSONEncoder(ensure_ascii=False).encode  # any JSON value, as json.dumps writes it


# Control characters json writes as \u00XX: rare in a text, and found quickly in its bytes.
_RARE = bytes(c for c in range(0x20) if chr(c) not in "\t\n\r")


def long_string(text: str) -> str:
    """A document's text as a JSON string, as _string writes it: for an ASCII text that holds
    no rare control character, str.replace does its escapes in a fraction of the time."""
    if not text.isascii():
        return _string(text)
    plain = text.encode("ascii")
    if len(plain.translate(None, _RARE)) != len(plain):
        return _string(text)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def _object(value: dict[str, Any]) -> str:
    return _value(value) if value else "{}"


def _fields(fields: dict[str, Any]) -> str:
    """More fields of an object, each after a comma."""
    return "".join(f", {_string(name)}: {_value(value)}" for name, value in fields.items())


# A span's layer and label as written, by label and layer: a schema has a few dozen labels,
# an export has a hundred thousand spans, and json escapes each string again otherwise.
_heads: dict[str, dict[str, str]] = {}


def _head(layer: str, label: str) -> str:
    if len(_heads) > 10_000:  # names from many schemas over a long session: start again
        _heads.clear()
    head = f'"layer": {_string(layer)}, "label": {_string(label)}, '
    _heads.setdefault(label, {})[layer] = head
    return head


def set_text(s: AnnotationSet) -> str:
    """One annotation set as the native format writes it; spans numbered from 1."""
    number: dict[int, int] = {}
    curated = s.curated is not None
    spans: list[str] = []
    heads = _heads
    for n, span in enumerate(s.sorted_spans(), 1):
        span_id = span.id
        assert span_id is not None, "every span of a set has an id"
        number[span_id] = n
        label = heads.get(span.label)
        named = label.get(span.layer) if label is not None else None
        if named is None:
            named = _head(span.layer, span.label)
        attributes = span.attributes
        text = (
            f'{{"id": {n}, {named}"start": {span.start}, "end": {span.end}, '
            f'"text": {_string(span.text)}, '
            f'"attributes": {_value(attributes) if attributes else "{}"}'
        )
        if span.note:
            text += f', "note": {_string(span.note)}'
        if curated:
            text += _fields(jsonl_curated.span_fields(s, span_id))
        spans.append(text + "}")
    relations: list[tuple[tuple[int, int, str], str]] = []
    for r in s.relations.values():
        head, tail = number[r.head], number[r.tail]
        extra = f', "note": {_string(r.note)}' if r.note else ""
        if curated:
            extra += _fields(jsonl_curated.relation_fields(s, r.id))
        relations.append(
            (
                (head, tail, r.type),
                f'{{"type": {_string(r.type)}, "head": {head}, "tail": {tail}, '
                f'"attributes": {_object(r.attributes)}{extra}}}',
            )
        )
    relations.sort(key=lambda pair: pair[0])
    fields = f'{{"annotator": {_string(s.annotator)}'
    if curated:
        fields += _fields(jsonl_curated.set_fields(s))
    fields += f', "status": {_string(s.status.value)}'
    if s.note:
        fields += f', "note": {_string(s.note)}'
    if s.document_labels:
        fields += f', "document_labels": {_value(labels_to_json(s.document_labels))}'
    return (
        f'{fields}, "active_seconds": {s.active_seconds}, "spans": [{", ".join(spans)}], '
        f'"relations": [{", ".join(text for _, text in relations)}]}}'
    )


def item_line(item: ExportItem, report: WriteReport, end: str = "") -> str:
    """One document and its sets as a line of the native format, followed by `end` (the
    writer's newline: one string less to copy than adding it after)."""
    doc = item.document
    line = (
        f'{{"title": {_string(doc.title)}, '
        f'"date": {_string(doc.date.isoformat()) if doc.date else "null"}, '
        f'"meta": {_object(doc.meta)}, "text": {long_string(doc.text)}, '
        f'"annotations": [{", ".join(set_text(s) for s in item.sets)}]'
    )
    if item.suggestions:
        line += f', "suggestions": {_value(suggestions_json(item.suggestions, doc.text, report))}'
    return f"{line}}}{end}"
