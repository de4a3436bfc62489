"""What an annotation set announces when it changes, and who listens: plain Python, no Qt.

An AnnotationSet tells its subscribers of every change twice: `before` (the set still holds
the old state, so a list view can say which row goes or where one comes) and after. Most
subscribers want only the second.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labeler.domain.spans import Relation, Span, Status


@dataclass(frozen=True, slots=True)
class SpanAdded:
    span: Span


@dataclass(frozen=True, slots=True)
class SpanRemoved:
    """A span went; the relations that touched it went first, each with its own event."""

    span: Span


@dataclass(frozen=True, slots=True)
class SpanChanged:
    """A span got another range, label or attribute values; its id stays."""

    old: Span
    new: Span


@dataclass(frozen=True, slots=True)
class RelationAdded:
    relation: Relation


@dataclass(frozen=True, slots=True)
class RelationRemoved:
    relation: Relation


@dataclass(frozen=True, slots=True)
class RelationChanged:
    old: Relation
    new: Relation


@dataclass(frozen=True, slots=True)
class StatusChanged:
    old: Status
    new: Status


@dataclass(frozen=True, slots=True)
class NoteChanged:
    """The document's note (the note on the annotation set itself) changed."""

    old: str
    new: str


@dataclass(frozen=True, slots=True)
class DocumentLabelChanged:
    """A document label (the value of a `[document]` attribute) changed; empty: not set."""

    name: str
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SetReloaded:
    """Many spans and relations changed at once (a copy, a batch undone): read it all again."""


Change = (
    SpanAdded
    | SpanRemoved
    | SpanChanged
    | RelationAdded
    | RelationRemoved
    | RelationChanged
    | StatusChanged
    | NoteChanged
    | DocumentLabelChanged
    | SetReloaded
)
Listener = Callable[[Change], None]


class AnnotationEvents:
    """The subscribers of one annotation set, called in the order they subscribed."""

    __slots__ = ("_after", "_before")

    def __init__(self) -> None:
        self._before: list[Listener] = []
        self._after: list[Listener] = []

    def subscribe(self, listener: Listener, *, before: bool = False) -> None:
        """Calls `listener` with each change: after it is made, or just `before`."""
        (self._before if before else self._after).append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        for listeners in (self._before, self._after):
            if listener in listeners:
                listeners.remove(listener)

    def __bool__(self) -> bool:
        """Whether anyone listens (a set nobody watches makes no event objects)."""
        return bool(self._before or self._after)

    def before(self, change: Change) -> None:
        for listener in list(self._before):
            listener(change)

    def after(self, change: Change) -> None:
        for listener in list(self._after):
            listener(change)
