"""Helpers the format tests share: picking the one record or error, and sets as tuples."""

from __future__ import annotations

from labeler.domain.annotation import AnnotationSet
from labeler.domain.errors import InputError
from labeler.formats.records import Record


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
