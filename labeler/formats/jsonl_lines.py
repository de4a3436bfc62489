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


def _object(value: dict[str, Any]) -> str:
    return _value(value) if value else "{}"


def _fields(fields: dict[str, Any]) -> str:
    """More fields of an object, each after a comma."""
    return "".join(f", {_string(name)}: {_value(value)}" for name, value in fields.items())


def set_text(s: AnnotationSet) -> str:
    """One annotation set as the native format writes it; spans numbered from 1."""
    number: dict[int, int] = {}
    curated = s.curated is not None
    spans: list[str] = []
    for n, span in enumerate(s.sorted_spans(), 1):
        span_id = span.id
        assert span_id is not None, "every span of a set has an id"
        number[span_id] = n
        extra = ""
        if span.note:
            extra = f', "note": {_string(span.note)}'
        if curated:
            extra += _fields(jsonl_curated.span_fields(s, span_id))
        spans.append(
            f'{{"id": {n}, "layer": {_string(span.layer)}, "label": {_string(span.label)}, '
            f'"start": {span.start}, "end": {span.end}, "text": {_string(span.text)}, '
            f'"attributes": {_object(span.attributes)}{extra}}}'
        )
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


def item_line(item: ExportItem, report: WriteReport) -> str:
    """One document and its sets as a line of the native format (without its newline)."""
    doc = item.document
    line = (
        f'{{"title": {_string(doc.title)}, '
        f'"date": {_string(doc.date.isoformat()) if doc.date else "null"}, '
        f'"meta": {_object(doc.meta)}, "text": {_string(doc.text)}, '
        f'"annotations": [{", ".join(set_text(s) for s in item.sets)}]'
    )
    if item.suggestions:
        line += f', "suggestions": {_value(suggestions_json(item.suggestions, doc.text, report))}'
    return line + "}"
