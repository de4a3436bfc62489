"""Suggestions an imported file carries (sets of a recommender, not of an annotator), checked.

Each span of such a set is one suggestion; spans that the set's relations link are one
frame (a cue with its source and content, say), accepted together.
"""

from __future__ import annotations

from typing import Any

from labeler.domain.errors import InputError, RuleError
from labeler.domain.schema import LabelSchema
from labeler.domain.suggestion import SuggestedFrame, SuggestedSpan, Suggestion
from labeler.formats.records import RawAnnotationSet, Record

DEFAULT_SCORE = 0.5  # a file that gives no score: neither sure nor unsure


def suggestions_of(record: Record, schema: LabelSchema) -> list[Suggestion]:
    """The suggestions of a record's recommender sets, checked against the schema;
    InputError names the record's line and the suggestion."""
    found: list[Suggestion] = []
    for raw in record.sets:
        if raw.recommender is None:
            continue
        try:
            found += _suggestions(raw, raw.recommender, schema)
        except RuleError as exc:
            raise InputError(record.location, str(exc)) from None
    return found


def _suggestions(raw: RawAnnotationSet, name: str, schema: LabelSchema) -> list[Suggestion]:
    spans: list[SuggestedSpan] = []
    scores: list[float] = []
    index: dict[Any, int] = {}
    for n, rs in enumerate(raw.spans, 1):
        if not schema.has_label(rs.label):
            raise RuleError(f"suggestion {n}: unknown label {rs.label!r}")
        if rs.attributes:
            try:
                schema.check_attributes(rs.label, rs.attributes)
            except RuleError as exc:
                raise RuleError(f"suggestion {n}: {exc}") from None
        index[rs.key if rs.key is not None else n] = len(spans)
        spans.append(SuggestedSpan(rs.start, rs.end, rs.label, dict(rs.attributes)))
        scores.append(DEFAULT_SCORE if rs.score is None else rs.score)
    # Spans joined by relations make one frame: a union of their groups.
    group = list(range(len(spans)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    links: list[tuple[str, int, int]] = []
    for n, rr in enumerate(raw.relations, 1):
        head, tail = index.get(rr.head), index.get(rr.tail)
        if head is None or tail is None:
            raise RuleError(f"suggested relation {n} ({rr.type}) names a span not suggested")
        schema.check_relation(rr.type, spans[head].label, spans[tail].label)
        links.append((rr.type, head, tail))
        group[root(head)] = root(tail)
    members: dict[int, list[int]] = {}
    for i in range(len(spans)):
        members.setdefault(root(i), []).append(i)
    found = []
    for part in members.values():
        score = min(scores[i] for i in part)
        if len(part) == 1:
            found.append(Suggestion(spans[part[0]], score, name))
            continue
        local = {i: k for k, i in enumerate(part)}
        frame = SuggestedFrame(
            tuple(spans[i] for i in part),
            tuple((t, local[h], local[k]) for t, h, k in links if h in local),
        )
        found.append(Suggestion(frame, score, name))
    return found
