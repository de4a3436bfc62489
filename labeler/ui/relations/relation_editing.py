"""RelationEditing: the editor's relation edits, link keys and numbered menus, as a mixin.

DocumentEditor takes these from here so that each module stays small: linking two spans with
a type the schema allows, changing and deleting a relation, the links quick attribution
brings with a new span, and the attribute values set from the text with Ctrl+1, Ctrl+2 …
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt

from labeler.assist.quick_attribution import links_after
from labeler.domain.annotation import Span
from labeler.domain.snippets import quoted
from labeler.ui.choice_menu import pop_choices
from labeler.ui.editor.annotation_commands import (
    AddRelationCommand,
    DeleteRelationCommand,
    EditCommand,
    RetypeRelationCommand,
    relation_text,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QMenu

    from labeler.domain.schema import LabelSchema
    from labeler.services.annotating import EditSession
    from labeler.ui.editor.attribute_editor import AttributeEditor
    from labeler.ui.editor.text_view import AnnotatedTextView


class RelationEditing:
    """Relation edits of a DocumentEditor; every change goes through its `_run`."""

    if TYPE_CHECKING:  # what DocumentEditor gives
        session: EditSession | None
        schema: LabelSchema
        view: AnnotatedTextView
        attribute_editor: AttributeEditor
        chooser: QMenu | None
        message: SignalInstance

        def _run(
            self,
            command: EditCommand,
            follow: Callable[[EditCommand], list[EditCommand]] | None = None,
        ) -> bool: ...
        def set_attribute(self, span_id: int, name: str, value: str | None) -> None: ...

    def _with_attribution_links(self, command: EditCommand) -> list[EditCommand]:
        """The links a newly labelled source, cue, content or claim brings (quick attribution)."""
        session = self.session
        span = getattr(command, "span", None)
        if session is None or span is None:
            return []
        spans, marks = session.annotations.spans, self.view.marks

        def overlapping(start: int, end: int) -> list[Span]:  # from the view's index
            found = marks.in_range(marks.to_utf16(start), marks.to_utf16(end))
            return [spans[m.id] for m in found if m.id in spans]

        text = session.document.text
        links = links_after(session.annotations, text, span, overlapping)
        return [AddRelationCommand(session, self, *link) for link in links]  # type: ignore[arg-type]

    def link_spans(self, firsts: list[int], seconds: list[int]) -> None:
        """Links two spans with a relation the schema allows between them, in either direction.

        `firsts` and `seconds` are the spans under the pointer at either end, likeliest
        first: the first pair the schema allows a relation between is linked. One allowed
        type is used at once; several are offered in a numbered menu.
        """
        session = self.session
        if session is None:
            return
        spans = session.annotations.spans
        pairs = [
            (spans[f], spans[s])
            for f in firsts
            for s in seconds
            if f != s and f in spans and s in spans
        ]
        if not pairs:
            return
        have = session.annotations.links()
        options: list[tuple[str, int, int]] = []
        a, b = pairs[0]
        for first, second in pairs:
            # The other way round too, unless both have one label: then the way the annotator
            # went (from the first piece of a quote to the next) is the direction meant.
            ways = [(first, second)] + ([(second, first)] if first.label != second.label else [])
            for head, tail in ways:
                for rel in self.schema.relation_types_for(head.label, tail.label):
                    link = (rel.name, head.id, tail.id)
                    if link not in have:
                        options.append(link)  # type: ignore[arg-type]
            if options:
                a, b = first, second
                break
        if not options:
            allowed = self.schema.relation_types_for(a.label, b.label) or (
                self.schema.relation_types_for(b.label, a.label)
            )
            why = (
                "they are linked already"
                if allowed
                else (f"the schema allows no relation between {a.label} and {b.label}")
            )
            self.message.emit(f"Not linked: {quoted(a.text)} and {quoted(b.text)}: {why}")
            return
        if len(options) == 1:
            self._run(AddRelationCommand(session, self, *options[0]))
            return
        choices = [
            (f"{t}:  {quoted(spans[h].text, 20)} → {quoted(spans[tl].text, 20)}", (t, h, tl))
            for t, h, tl in options
        ]
        self.chooser = pop_choices(
            self.view,
            f"Link {quoted(a.text, 24)} and {quoted(b.text, 24)} as",
            choices,
            lambda link: self._run(AddRelationCommand(session, self, *link)),
            self._popup_point(b.id),  # type: ignore[arg-type]
        )

    def delete_relation(self, relation_id: int | None = None) -> None:
        session = self.session
        relation_id = self.view.selected_relation if relation_id is None else relation_id
        if session is None or relation_id not in session.annotations.relations:
            return
        self._run(DeleteRelationCommand(session, self, relation_id))  # type: ignore[arg-type]

    def retype_relation(self, relation_id: int, type_: str) -> None:
        session = self.session
        if session is not None:
            self._run(RetypeRelationCommand(session, self, relation_id, type_))

    def choose_relation_type(self, relation_id: int) -> None:
        """Offers the other types the schema allows for a relation's spans."""
        session = self.session
        relation = session.annotations.relations.get(relation_id) if session else None
        if session is None or relation is None:
            return
        spans = session.annotations.spans
        head, tail = spans[relation.head], spans[relation.tail]
        others = [
            r.name
            for r in self.schema.relation_types_for(head.label, tail.label)
            if r.name != relation.type
        ]
        if not others:
            self.message.emit(
                f"{relation.type} is the only relation from {head.label} to {tail.label}; "
                "Delete removes it"
            )
            return
        self.chooser = pop_choices(
            self.view,
            f"Change {relation.type} to",
            [(name, name) for name in others],
            lambda name: self.retype_relation(relation_id, name),
            self._popup_point(relation.tail),
        )

    def choose_attribute(self, index: int) -> None:
        """Ctrl+1…9: the selected span's attribute of that number, chosen from a menu."""
        session = self.session
        span_id = self.view.selected_span
        span = session.annotations.spans.get(span_id) if session and span_id is not None else None
        if span is None:
            self.message.emit("Select a span first, then Ctrl+1, Ctrl+2… set its attributes")
            return
        attributes = self.schema.attributes_for(span.label)
        if index >= len(attributes):
            self.message.emit(f"{span.label} has {len(attributes)} attributes")
            return
        attribute = attributes[index]
        current = span.attributes.get(attribute.name)
        choices: list[tuple[str, str | None]] = [
            (f"{value}{'  ✓' if value == current else ''}", value) for value in attribute.values
        ]
        choices.append(("(not set)", None))
        self.chooser = pop_choices(
            self.view,
            attribute.name.replace("_", " "),
            choices,
            lambda value: self.set_attribute(span.id, attribute.name, value),  # type: ignore[arg-type]
            self._popup_point(span.id),  # type: ignore[arg-type]
        )

    def _popup_point(self, span_id: int) -> QPoint:
        """Where a menu about a span opens: just under its start, on screen."""
        mark = self.view.marks.get(span_id)
        cursor = self.view.textCursor()
        if mark is not None:
            cursor.setPosition(mark.start)
        rect = self.view.cursorRect(cursor)
        return self.view.viewport().mapToGlobal(rect.bottomLeft() + QPoint(0, 4))

    def _on_link_mode(self, head: int | None) -> None:
        session = self.session
        span = session.annotations.spans.get(head) if session and head is not None else None
        if span is not None:
            self.message.emit(
                f"Linking from {span.label} {quoted(span.text)}: click the other span, "
                "or Tab to it and press R or Enter; Esc stops"
            )

    def _show_relations_of(self, span: Span | None) -> None:
        """Lists the selected span's relations in the Attributes panel, to reach their arcs."""
        session = self.session
        if session is None or span is None:
            self.attribute_editor.show_relations([])
            return
        spans = session.annotations.spans
        rows = []
        for r in session.annotations.relations_of(span.id):  # type: ignore[arg-type]
            if r.head == span.id:
                rows.append((r.id, f"\u2192 {r.type} {quoted(spans[r.tail].text, 22)}"))
            else:
                rows.append((r.id, f"\u2190 {r.type} from {quoted(spans[r.head].text, 22)}"))
        self.attribute_editor.show_relations(rows)  # type: ignore[arg-type]

    def _on_relation_chosen(self, relation_id: int) -> None:
        self.view.select_relation(relation_id)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_relation_selected(self, relation_id: int | None) -> None:
        session = self.session
        relation = session.annotations.relations.get(relation_id) if session else None
        if session is not None and relation is not None:
            self.message.emit(
                f"{relation_text(session, relation)}: Enter changes its type, Delete removes it"
            )
