"""Undo commands for every annotation edit; each calls the edit session, which stores the change
and whose annotation set then tells the views (see annotation_model)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status
from labeler.domain.errors import LabelerError
from labeler.domain.snippets import quoted
from labeler.services.annotating import EditSession


class EditReport(QObject):
    """Where commands say how an undo or redo went, for the status bar."""

    noted = Signal(str)  # "Undo: label “Seoul” GPE"
    failed = Signal(str, object)  # what was tried, the LabelerError


class EditCommand(QUndoCommand):
    """An edit that has already been stored once when it is pushed.

    `apply()` makes the change the first time and may raise (a broken rule, a conflict):
    then nothing is pushed. The stack's first call of redo() is skipped, since the change is
    made; later undo/redo calls that fail report the error and drop the command.
    """

    def __init__(self, session: EditSession, report: EditReport, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.report = report
        self._pushed = False

    def apply(self) -> None:
        self._do()

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._guard("Redo", self._do)

    def undo(self) -> None:
        self._guard("Undo", self._undo)

    def _guard(self, action: str, step: Callable[[], None]) -> None:
        try:
            step()
        except LabelerError as error:
            self.report.failed.emit(f"{action} {self.text()}", error)
            self.setObsolete(True)
        else:
            self.report.noted.emit(f"{action}: {self.text()}")

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class AddSpanCommand(EditCommand):
    def __init__(
        self,
        session: EditSession,
        report: EditReport,
        start: int,
        end: int,
        label: str,
        attributes: dict[str, str] | None = None,
    ) -> None:
        super().__init__(session, report, f"label {label}")
        self._request = (start, end, label)
        self._attributes = attributes
        self.span: Span | None = None

    def _do(self) -> None:
        start, end, label = self._request
        span_id = self.span.id if self.span is not None else None
        self.span = self.session.add_span(start, end, label, self._attributes, span_id=span_id)
        self.setText(f"label {quoted(self.span.text)} {label}")

    def _undo(self) -> None:
        assert self.span is not None
        assert self.span.id is not None
        self.session.remove_span(self.span.id)


class DeleteSpanCommand(EditCommand):
    """Deletes a span with its relations; undo brings both back with their ids."""

    def __init__(self, session: EditSession, report: EditReport, span_id: int) -> None:
        span = session.annotations.spans[span_id]
        super().__init__(session, report, f"delete {quoted(span.text)} {span.label}")
        self._span_id = span_id
        self._removed: tuple[Span, list[Relation]] | None = None

    def _do(self) -> None:
        self._removed = self.session.remove_span(self._span_id)

    def _undo(self) -> None:
        assert self._removed is not None
        span, relations = self._removed
        self.session.restore_span(span, relations)


class ChangeSpanCommand(EditCommand):
    """Relabels, resizes or sets attributes of one span."""

    def __init__(
        self,
        session: EditSession,
        report: EditReport,
        span_id: int,
        text: str,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attributes: dict[str, str] | None = None,
    ) -> None:
        super().__init__(session, report, text)
        self._span_id = span_id
        self._start, self._end, self._label, self._attributes = start, end, label, attributes
        self._old: Span | None = None

    @property
    def span(self) -> Span | None:
        """The span as the change left it (None once undone away)."""
        return self.session.annotations.spans.get(self._span_id)

    def _do(self) -> None:
        self._old = self.session.update_span(
            self._span_id,
            start=self._start,
            end=self._end,
            label=self._label,
            attributes=self._attributes,
        )

    def _undo(self) -> None:
        old = self._old
        assert old is not None
        self.session.update_span(
            self._span_id,
            start=old.start,
            end=old.end,
            label=old.label,
            attributes=dict(old.attributes),
        )


def relation_text(session: EditSession, relation: Relation) -> str:
    """How a relation is named in undo texts: its type between the words it links."""
    spans = session.annotations.spans
    head, tail = spans.get(relation.head), spans.get(relation.tail)
    if head is None or tail is None:
        return relation.type
    return f"{quoted(head.text, 24)} →{relation.type}→ {quoted(tail.text, 24)}"


class AddRelationCommand(EditCommand):
    """Links two spans; redo after undo brings the relation back under its id."""

    def __init__(
        self, session: EditSession, report: EditReport, type_: str, head: int, tail: int
    ) -> None:
        super().__init__(session, report, f"link {type_}")
        self._request = (type_, head, tail)
        self.relation: Relation | None = None

    def _do(self) -> None:
        type_, head, tail = self._request
        relation_id = self.relation.id if self.relation is not None else None
        self.relation = self.session.add_relation(type_, head, tail, relation_id)
        self.setText(f"link {relation_text(self.session, self.relation)}")

    def _undo(self) -> None:
        assert self.relation is not None
        assert self.relation.id is not None
        self.session.remove_relation(self.relation.id)


class DeleteRelationCommand(EditCommand):
    def __init__(self, session: EditSession, report: EditReport, relation_id: int) -> None:
        relation = session.annotations.relations[relation_id]
        super().__init__(session, report, f"unlink {relation_text(session, relation)}")
        self._relation = relation

    def _do(self) -> None:
        assert self._relation.id is not None
        self.session.remove_relation(self._relation.id)

    def _undo(self) -> None:
        r = self._relation
        self.session.add_relation(r.type, r.head, r.tail, r.id, r.attributes)


class RetypeRelationCommand(EditCommand):
    def __init__(
        self, session: EditSession, report: EditReport, relation_id: int, type_: str
    ) -> None:
        relation = session.annotations.relations[relation_id]
        super().__init__(session, report, f"make {relation.type} a {type_} link")
        self._id = relation_id
        self._types = (relation.type, type_)

    def _do(self) -> None:
        self.session.retype_relation(self._id, self._types[1])

    def _undo(self) -> None:
        self.session.retype_relation(self._id, self._types[0])


class SetStatusCommand(EditCommand):
    def __init__(self, session: EditSession, report: EditReport, status: Status) -> None:
        super().__init__(session, report, f"mark {status.word}")
        self._status = status
        self._old: Status | None = None

    def _do(self) -> None:
        self._old = self.session.set_status(self._status)

    def _undo(self) -> None:
        assert self._old is not None
        self.session.set_status(self._old)


class CopySetCommand(EditCommand):
    """Starts from another annotator's spans and relations; undo removes the copies."""

    def __init__(self, session: EditSession, report: EditReport, other: AnnotationSet) -> None:
        super().__init__(session, report, f"start from {other.annotator}'s annotations")
        self._other = other
        self._ids: list[int] = []
        self._removed: list[tuple[Span, list[Relation]]] | None = None

    def _do(self) -> None:
        if self._removed is None:
            spans = self.session.copy_from(self._other)
            self._ids = [s.id for s in spans if s.id is not None]
        else:
            self.session.restore_spans(self._removed)

    def _undo(self) -> None:
        self._removed = self.session.remove_spans(self._ids)


class SetNoteCommand(EditCommand):
    """Sets the note of a span, of a relation, or (neither given) of the document."""

    def __init__(
        self,
        session: EditSession,
        report: EditReport,
        note: str,
        *,
        span_id: int | None = None,
        relation_id: int | None = None,
    ) -> None:
        what = "document"
        if span_id is not None or relation_id is not None:
            what = "span" if span_id is not None else "relation"
        super().__init__(session, report, f"note on the {what}" if note else f"clear {what} note")
        self._note = note
        self._old = ""
        self._where = {"span_id": span_id, "relation_id": relation_id}

    def _do(self) -> None:
        self._old = self.session.set_note(self._note, **self._where)

    def _undo(self) -> None:
        self.session.set_note(self._old, **self._where)


class SetDocumentLabelCommand(EditCommand):
    """Sets a document label (no values: clears it)."""

    def __init__(
        self, session: EditSession, report: EditReport, name: str, values: tuple[str, ...]
    ) -> None:
        shown = ", ".join(values)
        text = f"document {name} {quoted(shown, 30)}" if values else f"clear document {name}"
        super().__init__(session, report, text)
        self._name = name
        self._values = values
        self._old: tuple[str, ...] = ()

    def _do(self) -> None:
        self._old = self.session.set_document_label(self._name, self._values)

    def _undo(self) -> None:
        self.session.set_document_label(self._name, self._old)
