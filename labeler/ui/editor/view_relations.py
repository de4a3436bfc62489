"""The relations a text view draws: which span each touches, the arc room above lines, and
the selected arc."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from labeler.domain.annotation import Relation
from labeler.ui.relations.arc_room import ArcRoom

if TYPE_CHECKING:
    from labeler.ui.editor.text_view import AnnotatedTextView


class ViewRelations:
    """A view's relations; the view delegates to it and repaints (AnnotatedTextView)."""

    def __init__(self, view: AnnotatedTextView, pitch: Callable[[], float]) -> None:
        self._view = view
        self.by_id: dict[int, Relation] = {}
        self.links: dict[int, set[int]] = {}  # span id -> ids of the relations touching it
        # The lines given room above them for arcs.
        self.room = ArcRoom(view, pitch)
        self.selected: int | None = None

    def set_all(
        self,
        relations: Iterable[Relation],
        *,
        expected: Iterable[int] = (),
    ) -> None:
        """See AnnotatedTextView.set_relations."""
        self.by_id = {r.id: r for r in relations if r.id is not None}
        self.links = {}
        for r in self.by_id.values():
            self.links.setdefault(r.head, set()).add(r.id)  # type: ignore[arg-type]
            self.links.setdefault(r.tail, set()).add(r.id)  # type: ignore[arg-type]
        if self.selected not in self.by_id:
            self.select(None)
        self.room.set_all(self.by_id, expected=expected)
        self._view.viewport().update()

    def add(self, relation: Relation) -> None:
        assert relation.id is not None
        self.by_id[relation.id] = relation
        self.links.setdefault(relation.head, set()).add(relation.id)
        self.links.setdefault(relation.tail, set()).add(relation.id)
        self.room.add(relation)
        self._view.viewport().update()

    def remove(self, relation_id: int) -> None:
        if relation_id not in self.by_id:
            return
        self.room.remove(relation_id)
        relation = self.by_id.pop(relation_id)
        for span_id in (relation.head, relation.tail):
            self.links.get(span_id, set()).discard(relation_id)
        if self.selected == relation_id:
            self.select(None)
        self._view.viewport().update()

    def span_moved(self, span_id: int) -> None:
        """Gives the relations touching a span their room again (it may have moved to another
        paragraph)."""
        for relation_id in self.links.get(span_id, ()):
            self.room.remove(relation_id)
            self.room.add(self.by_id[relation_id])

    def set_arcs_visible(self, visible: bool) -> None:
        """Shows or hides the arcs, giving back the room they take above lines."""
        if visible == self.room.shown:
            return
        if not visible:
            self.select(None)
        self.room.set_shown(visible)
        self._view.viewport().update()

    def select(self, relation_id: int | None) -> None:
        """Selects an arc (None: none); selecting one lets go of the selected span."""
        view = self._view
        if relation_id is not None and relation_id not in self.by_id:
            relation_id = None
        if relation_id is not None and view.selected_span is not None:
            view.select_span(None, reveal=False)
        changed = relation_id != self.selected
        self.selected = relation_id
        view.viewport().update()
        if changed:
            view.selected_relation_changed.emit(relation_id)
