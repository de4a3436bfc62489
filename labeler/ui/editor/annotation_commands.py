"""Undo commands for every annotation edit; each stores its change before the window shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from labeler.domain.annotation import AnnotationSet, Relation, Span, Status
from labeler.domain.errors import LabelerError
from labeler.domain.snippets import quoted
from labeler.services.annotating import EditSession


class EditorSurface(Protocol):
    """What a command tells about the change it made, so the views can follow."""

    def shown_added(self, span: Span) -> None: ...
    def shown_removed(self, span_id: int) -> None: ...
    def shown_changed(self, span: Span) -> None: ...
    def shown_status(self, status: Status) -> None: ...
    def shown_relation_added(self, relation: Relation) -> None: ...
    def shown_relation_removed(self, relation_id: int) -> None: ...
    def shown_relation_changed(self, relation: Relation) -> None: ...
    def shown_all(self) -> None: ...
    def failed(self, action: str, error: LabelerError) -> None: ...
    def note(self, text: str) -> None: ...


class EditCommand(QUndoCommand):
    """An edit that has already been stored once when it is pushed.

    `apply()` makes the change the first time and may raise (a broken rule, a conflict):
    then nothing is pushed. The stack's first call of redo() is skipped, since the change is
    made; later undo/redo calls that fail report the error and drop the command.
    """

    def __init__(self, session: EditSession, surface: EditorSurface, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.surface = surface
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
            self.surface.failed(f"{action} {self.text()}", error)
            self.setObsolete(True)
        else:
            self.surface.note(f"{action}: {self.text()}")

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class AddSpanCommand(EditCommand):
    def __init__(
        self, session: EditSession, surface: EditorSurface, start: int, end: int, label: str
    ) -> None:
        super().__init__(session, surface, f"label {label}")
        self._request = (start, end, label)
        self.span: Span | None = None

    def _do(self) -> None:
        start, end, label = self._request
        span_id = self.span.id if self.span is not None else None
        self.span = self.session.add_span(start, end, label, span_id=span_id)
        self.setText(f"label {quoted(self.span.text)} {label}")
        self.surface.shown_added(self.span)

    def _undo(self) -> None:
        assert self.span is not None
        assert self.span.id is not None
        self.session.remove_span(self.span.id)
        self.surface.shown_removed(self.span.id)


class DeleteSpanCommand(EditCommand):
    """Deletes a span with its relations; undo brings both back with their ids."""

    def __init__(self, session: EditSession, surface: EditorSurface, span_id: int) -> None:
        span = session.annotations.spans[span_id]
        super().__init__(session, surface, f"delete {quoted(span.text)} {span.label}")
        self._span_id = span_id
        self._removed: tuple[Span, list[Relation]] | None = None

    def _do(self) -> None:
        self._removed = self.session.remove_span(self._span_id)
        self.surface.shown_removed(self._span_id)

    def _undo(self) -> None:
        assert self._removed is not None
        span, relations = self._removed
        self.session.restore_span(span, relations)
        self.surface.shown_added(span)
        for relation in relations:
            self.surface.shown_relation_added(relation)


class ChangeSpanCommand(EditCommand):
    """Relabels, resizes or sets attributes of one span."""

    def __init__(
        self,
        session: EditSession,
        surface: EditorSurface,
        span_id: int,
        text: str,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attributes: dict[str, str] | None = None,
    ) -> None:
        super().__init__(session, surface, text)
        self._span_id = span_id
        self._change = {"start": start, "end": end, "label": label, "attributes": attributes}
        self._old: Span | None = None

    @property
    def span(self) -> Span | None:
        """The span as the change left it (None once undone away)."""
        return self.session.annotations.spans.get(self._span_id)

    def _do(self) -> None:
        self._old = self.session.update_span(self._span_id, **self._change)  # type: ignore[arg-type]
        self.surface.shown_changed(self.session.annotations.spans[self._span_id])

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
        self.surface.shown_changed(self.session.annotations.spans[self._span_id])


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
        self, session: EditSession, surface: EditorSurface, type_: str, head: int, tail: int
    ) -> None:
        super().__init__(session, surface, f"link {type_}")
        self._request = (type_, head, tail)
        self.relation: Relation | None = None

    def _do(self) -> None:
        type_, head, tail = self._request
        relation_id = self.relation.id if self.relation is not None else None
        self.relation = self.session.add_relation(type_, head, tail, relation_id)
        self.setText(f"link {relation_text(self.session, self.relation)}")
        self.surface.shown_relation_added(self.relation)

    def _undo(self) -> None:
        assert self.relation is not None
        assert self.relation.id is not None
        self.session.remove_relation(self.relation.id)
        self.surface.shown_relation_removed(self.relation.id)


class DeleteRelationCommand(EditCommand):
    def __init__(self, session: EditSession, surface: EditorSurface, relation_id: int) -> None:
        relation = session.annotations.relations[relation_id]
        super().__init__(session, surface, f"unlink {relation_text(session, relation)}")
        self._relation = relation

    def _do(self) -> None:
        assert self._relation.id is not None
        self.session.remove_relation(self._relation.id)
        self.surface.shown_relation_removed(self._relation.id)

    def _undo(self) -> None:
        r = self._relation
        self.session.add_relation(r.type, r.head, r.tail, r.id, r.attributes)
        self.surface.shown_relation_added(self.session.annotations.relations[r.id])  # type: ignore[index]


class RetypeRelationCommand(EditCommand):
    def __init__(
        self, session: EditSession, surface: EditorSurface, relation_id: int, type_: str
    ) -> None:
        relation = session.annotations.relations[relation_id]
        super().__init__(session, surface, f"make {relation.type} a {type_} link")
        self._id = relation_id
        self._types = (relation.type, type_)

    def _do(self) -> None:
        self.session.retype_relation(self._id, self._types[1])
        self.surface.shown_relation_changed(self.session.annotations.relations[self._id])

    def _undo(self) -> None:
        self.session.retype_relation(self._id, self._types[0])
        self.surface.shown_relation_changed(self.session.annotations.relations[self._id])


class SetStatusCommand(EditCommand):
    def __init__(self, session: EditSession, surface: EditorSurface, status: Status) -> None:
        super().__init__(session, surface, f"mark {status.value.replace('_', ' ')}")
        self._status = status
        self._old: Status | None = None

    def _do(self) -> None:
        self._old = self.session.set_status(self._status)
        self.surface.shown_status(self._status)

    def _undo(self) -> None:
        assert self._old is not None
        self.session.set_status(self._old)
        self.surface.shown_status(self._old)


class CopySetCommand(EditCommand):
    """Starts from another annotator's spans and relations; undo removes the copies."""

    def __init__(self, session: EditSession, surface: EditorSurface, other: AnnotationSet) -> None:
        super().__init__(session, surface, f"start from {other.annotator}'s annotations")
        self._other = other
        self._ids: list[int] = []
        self._removed: list[tuple[Span, list[Relation]]] | None = None

    def _do(self) -> None:
        if self._removed is None:
            spans = self.session.copy_from(self._other)
            self._ids = [s.id for s in spans if s.id is not None]
        else:
            self.session.restore_spans(self._removed)
        self.surface.shown_all()

    def _undo(self) -> None:
        self._removed = self.session.remove_spans(self._ids)
        self.surface.shown_all()
