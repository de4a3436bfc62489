"""The notes, document labels and active time of an edit session: a part of EditSession kept
apart for its size. A note (on a span, a relation or the document) and a document label are
edits like any other; active time is only counted here, and stored with the session's next
write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from labeler.domain.annotation import AnnotationSet, Status
from labeler.domain.errors import RuleError
from labeler.storage.annotation_repository import AnnotationRepository
from labeler.storage.store import Store

T = TypeVar("T")


class NotesAndTime:
    """Mixed into EditSession, whose annotation set and one-transaction `_write` it uses."""

    _pending_seconds: float = 0.0  # active time not yet stored: written with the next edit

    if TYPE_CHECKING:

        @property
        def annotations(self) -> AnnotationSet: ...

        def _write(
            self,
            change: Callable[[AnnotationRepository, int], T],
            status: Status | None = None,
            note: str | None = None,
            then: Callable[[Store, T], None] | None = None,
        ) -> T: ...

    def set_note(
        self, note: str, *, span_id: int | None = None, relation_id: int | None = None
    ) -> str:
        """Sets the note of a span, of a relation or (neither given) of the document;
        returns the note it had."""
        note = note.strip()
        sset = self.annotations
        if span_id is not None:
            span = sset.spans.get(span_id)
            if span is None:
                raise RuleError(f"span {span_id} does not exist")
            if span.note != note:
                new_span = replace(span, note=note)
                self._write(lambda repo, _set_id: repo.update_span(new_span))
                sset.replace_span(new_span)
            return span.note
        if relation_id is not None:
            relation = sset.relations.get(relation_id)
            if relation is None:
                raise RuleError(f"relation {relation_id} does not exist")
            if relation.note != note:
                new_relation = replace(relation, note=note)
                self._write(lambda repo, _set_id: repo.update_relation(new_relation))
                sset.replace_relation(new_relation)
            return relation.note
        old = sset.note
        if note != old:
            self._write(lambda _repo, _set_id: None, note=note)
            sset.set_note(note)
        return old

    def set_document_label(self, name: str, values: tuple[str, ...]) -> tuple[str, ...]:
        """Sets a document label (no values: unsets it), stored at once; returns the values
        it had."""
        sset = self.annotations
        old = sset.document_labels.get(name, ())
        if values == old:
            return old
        if values:
            sset.schema.document_attribute(name).check(values)
        labels = {**sset.document_labels, name: values}
        if not values:
            del labels[name]
        self._write(lambda repo, set_id: repo.store_document_labels(set_id, labels))
        return sset.set_document_label(name, values)

    def add_active_time(self, seconds: float) -> None:
        """Counts seconds of active work on the document; stored with the next edit or by
        `store_time`, never by a write of its own per input."""
        self._pending_seconds += max(0.0, seconds)

    @property
    def active_seconds(self) -> int:
        """The stored seconds of active work and those still pending."""
        return self.annotations.active_seconds + int(self._pending_seconds)

    def store_time(self) -> None:
        """Writes the pending active time (on switching documents, on closing). A set not yet
        stored (nothing annotated) is not made for it: its time waits for the first edit."""
        if int(self._pending_seconds) >= 1 and self.annotations.id is not None:
            self._write(lambda _repo, _set_id: None, status=self.annotations.status)
