"""The edits of the curated set that a curator's decision makes: each a command, or None
when the set is as the decision wants it already."""

from __future__ import annotations

from labeler.domain.errors import LabelerError
from labeler.domain.snippets import quoted
from labeler.quality.curation import Disagreement, SpanKey
from labeler.services.annotating import EditSession
from labeler.services.curation import Curation
from labeler.ui.editor.annotation_commands import (
    AddRelationCommand,
    AddSpanCommand,
    ChangeSpanCommand,
    DeleteRelationCommand,
    DeleteSpanCommand,
    EditCommand,
    EditReport,
)


class DecisionEdits:
    """Makes the commands on `curation`'s set, reported through `report`."""

    def __init__(self, curation: Curation, report: EditReport) -> None:
        self.curation = curation
        self.report = report

    def _session(self) -> EditSession:
        return self.curation.session

    def add_span(self, key: SpanKey, who: str) -> EditCommand | None:
        if self.curation.span_id(key) is not None:
            return None
        version = self.curation.version_of(key, who)
        attributes = dict(version.attributes) if version is not None else None
        _, start, end, label = key
        return AddSpanCommand(self._session(), self.report, start, end, label, attributes)

    def add_relation(self, item: Disagreement) -> EditCommand | None:
        assert item.relation is not None
        type_, head, tail = item.relation
        head_id, tail_id = self.curation.span_id(head), self.curation.span_id(tail)
        if head_id is None or tail_id is None:
            return None
        if self._session().annotations.has_link(type_, head_id, tail_id):
            return None
        return AddRelationCommand(self._session(), self.report, type_, head_id, tail_id)

    def set_attribute(self, item: Disagreement, value: str | None) -> EditCommand | None:
        span_id = self.curation.span_id(item.span)
        if span_id is None:
            raise LabelerError(f"the curated set has no {item.span[3]} {quoted(item.text)}")
        attributes = dict(self._session().annotations.spans[span_id].attributes)
        name = item.attribute or ""
        if attributes.get(name) == value:
            return None
        if value is None:
            attributes.pop(name, None)
        else:
            attributes[name] = value
        return ChangeSpanCommand(
            self._session(), self.report, span_id, f"set {name}", attributes=attributes
        )

    def remove(self, item: Disagreement) -> EditCommand | None:
        """Takes an item out of the curated set, if it holds it."""
        session = self._session()
        if item.kind == "attribute":
            return self.set_attribute(item, None) if self.curation.span_id(item.span) else None
        if item.kind == "span":
            span_id = self.curation.span_id(item.span)
            if span_id is None:
                return None
            return DeleteSpanCommand(session, self.report, span_id)
        assert item.relation is not None
        type_, head, tail = item.relation
        ends = (type_, self.curation.span_id(head), self.curation.span_id(tail))
        for r in session.annotations.relations.values():
            if (r.type, r.head, r.tail) == ends and r.id is not None:
                return DeleteRelationCommand(session, self.report, r.id)
        return None
