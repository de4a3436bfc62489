"""AnnotationModel: the open annotation set's changes as Qt signals, for the views to follow.

The set announces its own changes (labeler.domain.annotation_events); this adapter passes
them on as signals, and says when another document's session is opened. Views connect to it;
nothing here keeps a copy of the set.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from labeler.domain.annotation import AnnotationSet
from labeler.domain.annotation_events import (
    Change,
    DocumentLabelChanged,
    NoteChanged,
    RelationAdded,
    RelationChanged,
    RelationRemoved,
    SetReloaded,
    SpanAdded,
    SpanChanged,
    SpanRemoved,
    StatusChanged,
)
from labeler.domain.schema import LabelSchema
from labeler.services.annotating import EditSession


class AnnotationModel(QObject):
    """The edit session shown (or None) and every change of its annotation set.

    `changing` comes while the set still holds the old state (for item models that must say
    which row goes); `changed` and the signals by kind come after. `opened` comes with each
    session shown, its text and set new; `reloaded` when the same set changed wholesale.
    One edit may bring several changes (a span with the relations it brings);
    `edit_finished` comes after the last, for views that rebuild rather than follow each.
    """

    changing = Signal(object)  # a Change, before the set changes
    changed = Signal(object)  # a Change, after
    opened = Signal(object)  # the EditSession now shown, or None
    span_added = Signal(object)  # Span
    span_removed = Signal(object)  # Span
    span_changed = Signal(object, object)  # Span as it was, Span as it is
    relation_added = Signal(object)  # Relation
    relation_removed = Signal(object)  # Relation
    relation_changed = Signal(object, object)  # Relation as it was, as it is
    status_changed = Signal(object)  # Status
    note_changed = Signal(str)  # the document's note
    document_label_changed = Signal(str, object)  # a document attribute, its values now
    reloaded = Signal()
    edit_finished = Signal()  # the changes of one edit (a command, its undo or redo) are made

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session: EditSession | None = None

    @property
    def session(self) -> EditSession | None:
        return self._session

    @property
    def annotations(self) -> AnnotationSet | None:
        return None if self._session is None else self._session.annotations

    @property
    def schema(self) -> LabelSchema | None:
        return None if self._session is None else self._session.schema

    def open(self, session: EditSession | None) -> None:
        """Follows another session's set (None: none); the views show it at once."""
        old = self._session
        if old is not None:
            old.annotations.events.unsubscribe(self._before)
            old.annotations.events.unsubscribe(self._after)
        self._session = session
        if session is not None:
            session.annotations.events.subscribe(self._before, before=True)
            session.annotations.events.subscribe(self._after)
        self.opened.emit(session)

    def finish_edit(self) -> None:
        """Says that an edit's changes are all made (the editor calls it after each)."""
        self.edit_finished.emit()

    def _before(self, change: Change) -> None:
        self.changing.emit(change)

    def _after(self, change: Change) -> None:
        self.changed.emit(change)
        match change:
            case SpanAdded(span):
                self.span_added.emit(span)
            case SpanRemoved(span):
                self.span_removed.emit(span)
            case SpanChanged(old, new):
                self.span_changed.emit(old, new)
            case RelationAdded(relation):
                self.relation_added.emit(relation)
            case RelationRemoved(relation):
                self.relation_removed.emit(relation)
            case RelationChanged(old_relation, new_relation):
                self.relation_changed.emit(old_relation, new_relation)
            case StatusChanged(_, status):
                self.status_changed.emit(status)
            case NoteChanged(_, note):
                self.note_changed.emit(note)
            case DocumentLabelChanged(name, _, values):
                self.document_label_changed.emit(name, values)
            case SetReloaded():
                self.reloaded.emit()
