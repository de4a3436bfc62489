"""RelationController: the editor's relation edits, link keys and numbered menus.

DocumentEditor owns one: linking two spans with a type the schema allows, changing and
deleting a relation, the links a recommender brings with a new span (quick attribution),
and the attribute values set from the text with Ctrl+1, Ctrl+2 … Every change goes through
the editor's `run`, which stores it and puts it on the undo stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu

from labeler.assist.recommender import QuickAttributionRecommender, Recommender
from labeler.domain.snippets import quoted
from labeler.domain.suggestion import SuggestedRelation
from labeler.services.annotating import EditSession
from labeler.ui.choice_menu import pop_choices
from labeler.ui.editor.annotation_commands import (
    AddRelationCommand,
    DeleteRelationCommand,
    EditCommand,
    EditReport,
    RetypeRelationCommand,
    relation_text,
)
from labeler.ui.editor.annotation_model import AnnotationModel
from labeler.ui.editor.text_view import AnnotatedTextView

Run = Callable[..., bool]
"""Stores a command and pushes it (DocumentEditor._run): (command, follow=None) -> done."""
SetAttribute = Callable[[int, str, "str | None"], None]


class RelationController(QObject):
    """Relation edits and the menus that ask which, for the editor's text view."""

    message = Signal(str)  # a passing note for the status bar

    def __init__(
        self,
        model: AnnotationModel,
        view: AnnotatedTextView,
        report: EditReport,
        run: Run,
        set_attribute: SetAttribute,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self.view = view
        self._report = report
        self._run = run
        self._set_attribute = set_attribute
        # Rules first; more recommenders (dictionaries, models) join this list.
        self.recommenders: list[Recommender] = [QuickAttributionRecommender()]
        self.chooser: QMenu | None = None  # the last type or value menu shown
        view.link_requested.connect(self.link_spans)
        view.link_mode_changed.connect(self._on_link_mode)
        view.selected_relation_changed.connect(self._on_relation_selected)
        view.relation_delete_requested.connect(self.delete_relation)
        view.relation_edit_requested.connect(self.choose_relation_type)

    @property
    def session(self) -> EditSession | None:
        return self._model.session

    def attribution_links(self, command: EditCommand) -> list[EditCommand]:
        """The links a newly labelled span brings, as the recommenders propose them."""
        session = self.session
        span = getattr(command, "span", None)
        if session is None or span is None:
            return []
        text = session.document.text
        links: list[EditCommand] = []
        for recommender in self.recommenders:
            for suggestion in recommender.suggest(text, session.annotations, span):
                proposal = suggestion.proposal
                if isinstance(proposal, SuggestedRelation):
                    if proposal.replaces is not None:
                        links.append(
                            DeleteRelationCommand(session, self._report, proposal.replaces)
                        )
                    links.append(
                        AddRelationCommand(
                            session, self._report, proposal.type, proposal.head, proposal.tail
                        )
                    )
        return links

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
        pairs = [(f, s) for f in firsts for s in seconds if f != s and f in spans and s in spans]
        if not pairs:
            return
        annotations = session.annotations
        options: list[tuple[str, int, int]] = []
        b_id = pairs[0][1]
        a, b = spans[pairs[0][0]], spans[b_id]
        for first_id, second_id in pairs:
            first, second = spans[first_id], spans[second_id]
            # The other way round too, unless both have one label: then the way the annotator
            # went (from the first piece of a quote to the next) is the direction meant.
            ways = [(first_id, second_id)]
            if first.label != second.label:
                ways.append((second_id, first_id))
            for head, tail in ways:
                for rel in session.schema.relation_types_for(spans[head].label, spans[tail].label):
                    if not annotations.has_link(rel.name, head, tail):
                        options.append((rel.name, head, tail))
            if options:
                a, b, b_id = first, second, second_id
                break
        if not options:
            allowed = session.schema.relation_types_for(a.label, b.label) or (
                session.schema.relation_types_for(b.label, a.label)
            )
            why = (
                "they are linked already"
                if allowed
                else (f"the schema allows no relation between {a.label} and {b.label}")
            )
            self.message.emit(f"Not linked: {quoted(a.text)} and {quoted(b.text)}: {why}")
            return
        if len(options) == 1:
            self._run(AddRelationCommand(session, self._report, *options[0]))
            return
        choices = [
            (f"{t}:  {quoted(spans[h].text, 20)} → {quoted(spans[tl].text, 20)}", (t, h, tl))
            for t, h, tl in options
        ]
        self.chooser = pop_choices(
            self.view,
            f"Link {quoted(a.text, 24)} and {quoted(b.text, 24)} as",
            choices,
            lambda link: self._run(AddRelationCommand(session, self._report, *link)),
            self._popup_point(b_id),
        )

    def delete_relation(self, relation_id: int | None = None) -> None:
        session = self.session
        relation_id = self.view.selected_relation if relation_id is None else relation_id
        if (
            session is None
            or relation_id is None
            or relation_id not in session.annotations.relations
        ):
            return
        self._run(DeleteRelationCommand(session, self._report, relation_id))

    def retype_relation(self, relation_id: int, type_: str) -> None:
        session = self.session
        if session is not None:
            self._run(RetypeRelationCommand(session, self._report, relation_id, type_))

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
            for r in session.schema.relation_types_for(head.label, tail.label)
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
        if session is None or span_id is None or span is None:
            self.message.emit("Select a span first, then Ctrl+1, Ctrl+2… set its attributes")
            return
        attributes = session.schema.attributes_for(span.label)
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
            lambda value: self._set_attribute(span_id, attribute.name, value),
            self._popup_point(span_id),
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

    def show_relation(self, relation_id: int) -> None:
        self.view.select_relation(relation_id)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_relation_selected(self, relation_id: int | None) -> None:
        session = self.session
        relation = session.annotations.relations.get(relation_id) if session else None
        if session is not None and relation is not None:
            self.message.emit(
                f"{relation_text(session, relation)}: Enter changes its type, Delete removes it"
            )
