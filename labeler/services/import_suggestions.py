"""Suggestions an imported file carries (sets of a recommender, not of an annotator), checked."""

from __future__ import annotations

from labeler.domain.errors import InputError, RuleError
from labeler.domain.schema import LabelSchema
from labeler.domain.suggestion import SuggestedSpan, Suggestion
from labeler.formats.records import Record

DEFAULT_SCORE = 0.5  # a file that gives no score: neither sure nor unsure


def suggestions_of(record: Record, schema: LabelSchema) -> list[Suggestion]:
    """The suggestions of a record's recommender sets, checked against the schema;
    InputError names the record's line and the suggestion."""
    found: list[Suggestion] = []
    for raw in record.sets:
        if raw.recommender is None:
            continue
        if raw.relations:
            raise InputError(record.location, "suggested relations are not read; only spans")
        for n, rs in enumerate(raw.spans, 1):
            try:
                if not schema.has_label(rs.label):
                    raise RuleError(f"unknown label {rs.label!r}")
                if rs.attributes:
                    schema.check_attributes(rs.label, rs.attributes)
            except RuleError as exc:
                raise InputError(record.location, f"suggestion {n}: {exc}") from None
            score = DEFAULT_SCORE if rs.score is None else rs.score
            proposed = SuggestedSpan(rs.start, rs.end, rs.label, dict(rs.attributes))
            found.append(Suggestion(proposed, score, raw.recommender))
    return found
