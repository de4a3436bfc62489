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
