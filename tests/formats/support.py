"""Helpers the format tests share: picking the one record or error, sets as tuples, an
attribution set to write, and JSON lines to read."""

from __future__ import annotations

import json
from pathlib import Path

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.errors import InputError
from labeler.domain.schema import LabelSchema
from labeler.formats.records import Record
from tests.support import offsets


def only_record(items: list[Record | InputError]) -> Record:
    assert len(items) == 1
    assert isinstance(items[0], Record), items[0]
    return items[0]


def only_error(items: list[Record | InputError]) -> InputError:
    assert len(items) == 1
    assert isinstance(items[0], InputError), items[0]
    return items[0]


def span_tuples(s: AnnotationSet, text: str, attributes: bool = True) -> tuple:
    """A set's spans (with attributes) and relations, by offsets and labels, checked on text."""
    assert all(text[x.start : x.end] == x.text for x in s.spans.values())
    spans = sorted(
        (
            x.start,
            x.end,
            x.label,
            *((x.text, tuple(sorted(x.attributes.items()))) if attributes else ()),
        )
        for x in s.spans.values()
    )
    where = {i: (x.start, x.end, x.label) for i, x in s.spans.items()}
    relations = sorted((r.type, where[r.head], where[r.tail]) for r in s.relations.values())
    return spans, relations


def write_lines(path: Path, *objects: object) -> Path:
    """A JSON Lines file of these objects (strings go in as they are, for broken lines)."""
    lines = [o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objects]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def attribution_set(
    schema: LabelSchema, text: str, annotator: str = "alice", status: Status = Status.DONE
) -> AnnotationSet:
    """One attribution over "𝒳 rose ... according to Ada Lind of 𝒳 Corp" in `text`: content
    and a claim on the same words, cue, source and the person it names, and a PERCENT on 5%."""

    def span(words: str, label: str, attributes: dict[str, str] | None = None):
        return s.add_span(make_span(text, *offsets(text, words), label, schema, attributes))

    s = AnnotationSet(schema, annotator, status)
    content = span("𝒳 rose", "CONTENT")
    span("𝒳 rose", "CLAIM", {"checkworthy": "yes"})
    cue = span("according to", "CUE", {"type": "assertion"})
    source = span("Ada Lind of 𝒳 Corp", "SOURCE")
    person = span("Ada Lind", "PERSON")
    span("5%", "PERCENT")
    s.add_relation(Relation("source", cue.id, source.id))  # type: ignore[arg-type]
    s.add_relation(Relation("content", cue.id, content.id))  # type: ignore[arg-type]
    s.add_relation(Relation("refers_to", source.id, person.id))  # type: ignore[arg-type]
    return s
