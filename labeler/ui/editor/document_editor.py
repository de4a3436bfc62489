"""DocumentEditor: the open document's text view and side panels, turning keys into commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QMenu, QVBoxLayout, QWidget

from labeler.domain.annotation import AnnotationSet, Span, Status
from labeler.domain.annotation_events import Change
from labeler.domain.errors import LabelerError
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import quoted
from labeler.services.annotating import EditSession
from labeler.services.collector import fewer_collections
from labeler.ui.editor import editor_actions
from labeler.ui.editor.active_timer import ActiveTimer
from labeler.ui.editor.annotation_commands import (
    EditCommand,
    EditReport,
    SetDocumentLabelCommand,
)
from labeler.ui.editor.annotation_model import AnnotationModel
from labeler.ui.editor.attribute_editor import AttributeEditor
from labeler.ui.editor.copy_offer import CopyOffer
from labeler.ui.editor.document_labels_panel import DocumentLabelsPanel
from labeler.ui.editor.find_bar import FindBar
from labeler.ui.editor.label_palette import LabelPalette
from labeler.ui.editor.note_editor import NoteController
from labeler.ui.editor.span_edits import SpanEdits, explained
from labeler.ui.editor.span_panel import SpanPanel
from labeler.ui.editor.text_view import AnnotatedTextView
from labeler.ui.relations.relation_controller import RelationController

_KEPT_STACKS = 20  # documents whose undo history stays reachable after moving on
# Articles at least this long show their first screen before their whole set is read.
_FIRST_SCREEN_FIRST = 100_000
_Others = Sequence[AnnotationSet] | Callable[[], Sequence[AnnotationSet]]


class DocumentEditor(QWidget):
    """The centre of the window plus the panels the window docks around it.

    The edit session is the source of truth; every change goes through a command that stores
    it, and the session's annotation set then tells the views through `model` (an
    AnnotationModel) that they follow. One undo stack per opened document.
    """

    message = Signal(str)  # a passing note for the status bar
    saved = Signal(bool, str)  # whether the last change is stored, and what to say

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("document_editor")
        self.model = AnnotationModel(self)
        # A long article shown with its first screen only: the session the model opens next.
        self._pending: tuple[EditSession, _Others] | None = None
        self.report = EditReport(self)
        self.report.noted.connect(self.message)
        self.report.failed.connect(self.failed)
        self.undo_group = QUndoGroup(self)
        # A push, undo or redo moves the index once its changes are all made.
        self.undo_group.indexChanged.connect(lambda _index: self.model.finish_edit())
        # Kept per (annotator, document): another name at the window must not reuse a set.
        self._stacks: dict[tuple[str, int], tuple[EditSession, QUndoStack]] = {}
        self._others: list[AnnotationSet] = []  # other annotators' sets on the open document
        self._changed = False  # the set changed since the last edit finished

        # The views follow the model first: the editor's own handlers below select what an
        # edit brought, which the views must be drawing by then.
        self.view = AnnotatedTextView(schema, self)
        self.view.follow(self.model)
        self.find_bar = FindBar(self.view, self)
        self.offer = CopyOffer(self)
        self.offer.chosen.connect(self.copy_from)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.offer)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.view, 1)

        self.span_panel = SpanPanel()
        self.span_model = self.span_panel.model
        self.span_panel.span_chosen.connect(self._on_span_chosen)

        self.attribute_editor = AttributeEditor()
        self.attribute_editor.follow(self.model)
        self.attribute_editor.attribute_changed.connect(self.set_attribute)
        self.schema = schema
        self.palette_widget = self._palette_for(schema)

        self.relations = RelationController(
            self.model, self.view, self.report, self._run, self.set_attribute, self
        )
        self.relations.message.connect(self.message)
        self.attribute_editor.relation_chosen.connect(self.relations.show_relation)
        self.model.opened.connect(self._on_opened)
        self.model.span_added.connect(self._on_span_added)
        self.model.span_changed.connect(self._on_span_changed)
        self.model.relation_changed.connect(lambda _old, new: self.view.select_relation(new.id))
        self.model.changed.connect(self._on_change)
        self.model.edit_finished.connect(self._after_edit)
        self.model.note_changed.connect(self.attribute_editor.set_document_note)
        self.document_labels = DocumentLabelsPanel()
        self.document_labels.follow(self.model)
        self.document_labels.label_changed.connect(self.set_document_label)
        self.document_labels.finished.connect(
            lambda: self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        self.notes = NoteController(self.view, lambda: self.session, self.report, self._run, self)
        self.notes.message.connect(self.message)
        # Active time on the open document, from input on the text: stored with the next
        # edit, or when the document is left.
        self.timer = ActiveTimer([self.view, self.view.viewport()], parent=self)

        self.view.label_key.connect(self.apply_label)
        self.view.delete_requested.connect(self.delete_span)
        self.view.resize_requested.connect(self.resize_span)
        self.view.selected_span_changed.connect(self._on_span_selected)
        self.view.cursorPositionChanged.connect(self._on_caret_moved)
        self.edits = SpanEdits(self, self._run)
        editor_actions.add_attribute_keys(self.view, self.relations.choose_attribute, self)

    @property
    def session(self) -> EditSession | None:
        """The session shown, or None."""
        if self._pending is not None:  # a long article's first screen is shown: open it now
            self._open_pending()
        return self.model.session

    @property
    def chooser(self) -> QMenu | None:
        """The last relation type or attribute value menu shown."""
        return self.relations.chooser

    def delete_relation(self, relation_id: int | None = None) -> None:
        """Deletes a relation (None: the selected one), as Delete on its arc does."""
        self.relations.delete_relation(relation_id)

    # -- schema and document
    def set_schema(self, schema: LabelSchema) -> None:
        """Rebuilds the label palette and hotkeys for a project's schema."""
        self.schema = schema
        self.view.set_schema(schema)
        old = self.palette_widget
        for action in old.actions_by_label().values():
            self.view.removeAction(action)
        self.palette_widget = self._palette_for(schema)
        self.span_panel.set_layers(None)
        old.deleteLater()  # the window docks the new palette in its place

    def _palette_for(self, schema: LabelSchema) -> LabelPalette:
        """A label palette whose hotkeys work while the text has the keyboard."""
        palette = LabelPalette(schema)
        palette.label_chosen.connect(self._on_palette_label)
        palette.layer_toggled.connect(self.view.set_layer_visible)
        palette.layer_toggled.connect(self._on_layer_toggled)
        for action in palette.actions_by_label().values():
            self.view.addAction(action)  # a widget shortcut: fires only in the text
        return palette

    def _on_layer_toggled(self, _layer: str, _visible: bool) -> None:
        self.span_panel.set_layers(self.view.visible_layers())
        self.view.setFocus()

    def label_actions(self) -> list[QAction]:
        return list(self.palette_widget.actions_by_label().values())

    def open(self, session: EditSession, others: _Others = ()) -> None:
        """Shows a document and its annotation set; its undo history comes back if kept.

        `others` are other annotators' sets on the document (or a function that reads them,
        called only if needed): while this set has no spans, the editor offers to start from
        one of them.
        """
        document_id = session.document.id
        assert document_id is not None
        self.store_time()
        key = (session.annotator, document_id)
        kept = self._stacks.pop(key, None)
        if kept is not None:
            session, stack = kept
        else:
            stack = QUndoStack(self.undo_group)
        self._stacks[key] = (session, stack)
        while len(self._stacks) > _KEPT_STACKS:
            _, (_, dropped) = next(iter(self._stacks.items()))
            del self._stacks[next(iter(self._stacks))]
            self.undo_group.removeStack(dropped)
            dropped.deleteLater()
        self.undo_group.setActiveStack(stack)
        self._pending = None
        text = session.document.text
        if not session.loaded and len(text) >= _FIRST_SCREEN_FIRST:
            # A long article whose set is not read yet: the text with what its first screen
            # draws (read alone); the model opens the session, with its whole set, in the turn
            # after that paint (or as soon as anything asks for the editor's session).
            self.model.open(None)  # the other views wait for the whole set
            spans, relations, ends = session.part(0, self.view.screen_end(text))
            self.view.show_first_screen(session, spans.values(), relations.values(), ends)
            self._pending = (session, others)
            self.view.after_next_paint(self._open_pending)
            return
        self._open_model(session, others)

    def _open_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self._open_model(*pending)

    def _open_model(self, session: EditSession, others: _Others) -> None:
        with fewer_collections():  # tens of thousands of small objects for a long article
            self.model.open(session)
        self.timer.enter(session)
        empty = not session.annotations.spans
        if callable(others):
            others = others() if empty else ()
        self._others = list(others)
        self.offer.offer(self._others if empty else [])

    def _on_opened(self, session: EditSession | None) -> None:
        # The list indexes into the set as the table asks for rows: nothing is copied.
        self.span_panel.show_set(self.schema, session.annotations if session else None)
        self.attribute_editor.set_document_note(session.annotations.note if session else "")

    def forget(self, document_id: int) -> None:
        """Drops a document's kept sessions and history (after a conflict, to reload it)."""
        for key in [k for k in self._stacks if k[1] == document_id]:
            _, stack = self._stacks.pop(key)
            self.undo_group.removeStack(stack)
            stack.deleteLater()

    def forget_all(self) -> None:
        """Drops every kept session and history (after the schema changed under them)."""
        for document_id in {key[1] for key in self._stacks}:
            self.forget(document_id)

    def store_time(self) -> None:
        """Stores the active time counted on the document shown, before another replaces it."""
        problem = self.timer.leave()
        if problem is not None:
            self.message.emit(f"Time not saved: {problem}")

    def close_document(self) -> None:
        self.store_time()
        self._pending = None
        self.undo_group.setActiveStack(None)
        self._others = []
        self.offer.offer([])  # nothing of the closed document stays offered
        self.model.open(None)

    @property
    def undo_stack(self) -> QUndoStack | None:
        return self.undo_group.activeStack()

    # -- what the set tells after an edit (the views follow the model themselves)
    def _reveal_layer(self, layer: str) -> None:
        """Shows a hidden layer that a span was just made in or moved to, or it would vanish."""
        if layer not in self.view.visible_layers():
            self.view.set_layer_visible(layer, True)
            self.palette_widget.set_layer_visible(layer, True)
            self.span_panel.set_layers(self.view.visible_layers())

    def _on_span_added(self, span: Span) -> None:
        self._reveal_layer(span.layer)
        self.view.select_span(span.id)  # undo and redo show what they brought back

    def _on_span_changed(self, _old: Span, span: Span) -> None:
        self._reveal_layer(span.layer)
        if self.view.selected_span != span.id:
            self.view.select_span(span.id)

    def failed(self, action: str, error: LabelerError) -> None:
        self.saved.emit(False, f"{action}: not saved — {explained(error)}")

    def _on_change(self, _change: Change) -> None:
        self._changed = True

    def _after_edit(self) -> None:
        """Once an edit that changed the set is finished (an undo that failed changed none)."""
        session = self.session
        changed, self._changed = self._changed, False
        if session is None or not changed:
            return
        # The offer to start from someone else's spans stands while this set has none.
        wanted = not session.annotations.spans and any(s.spans for s in self._others)
        if wanted != self.offer.isVisible():
            self.offer.offer(self._others if wanted else [])
        self.saved.emit(True, "Saved")

    def run_command(self, command: EditCommand) -> bool:
        """Stores a command's change and puts it on the undo stack; False if refused."""
        return self._run(command)

    def _run(
        self,
        command: EditCommand,
        follow: Callable[[EditCommand], list[EditCommand]] | None = None,
    ) -> bool:
        """Stores the command's change, then puts it on the undo stack; False if refused.

        `follow` may name further edits the first one brings (the links of an attribution);
        those that are stored go on the stack with it as one step.
        """
        try:
            command.apply()
        except LabelerError as error:
            self.message.emit(f"Not done: {explained(error)}")
            return False
        stack = self.undo_stack
        assert stack is not None
        more: list[EditCommand] = []
        for extra in follow(command) if follow is not None else ():
            try:
                extra.apply()
            except LabelerError as error:
                self.message.emit(f"Not linked: {explained(error)}")
                continue
            more.append(extra)
        if not more:
            stack.push(command)
            self.message.emit(f"Saved: {command.text()}")
            return True
        also = ", ".join(c.text() for c in more)
        stack.beginMacro(f"{command.text()} and {also}")
        for done in (command, *more):
            stack.push(done)
        stack.endMacro()
        self.message.emit(f"Saved: {command.text()}; {also}")
        return True

    # -- edits
    def _on_palette_label(self, label: str) -> None:
        alt = bool(QGuiApplication.queryKeyboardModifiers() & Qt.KeyboardModifier.AltModifier)
        self.apply_label(label, alt)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)  # a palette click leaves the keys here

    def apply_label(self, label: str, exact: bool = False) -> None:
        """A label's hotkey or button: labels the selected text, else relabels the selected span."""
        self.edits.apply_label(label, exact)

    def label_ranges(self, ranges: Sequence[tuple[int, int]], label: str) -> int:
        """Labels each [start, end) as one undo step (SpanEdits.label_ranges)."""
        return self.edits.label_ranges(ranges, label)

    def copy_from(self, other: AnnotationSet) -> None:
        self.edits.copy_from(other)

    def delete_span(self, span_id: int | None = None) -> None:
        self.edits.delete_span(span_id)

    def resize_span(self, span_id: int, edge: str, tokens: int) -> None:
        self.edits.resize_span(span_id, edge, tokens)

    def set_attribute(self, span_id: int, name: str, value: str | None) -> None:
        self.edits.set_attribute(span_id, name, value)

    def set_document_label(self, name: str, values: tuple[str, ...]) -> bool:
        """Sets a document label of the open set (no values: clears it), undoably."""
        session = self.session
        if session is None:
            return False
        return self._run(SetDocumentLabelCommand(session, self.report, name, values))

    def set_status(self, status: Status) -> bool:
        return self.edits.set_status(status)

    # -- selection
    def _on_span_selected(self, span_id: int | None) -> None:
        session = self.session
        span = session.annotations.spans.get(span_id) if session and span_id is not None else None
        self.attribute_editor.show_span(self.schema, span)
        self.span_panel.select(span.id if span is not None else None)
        if span is None:
            return
        self.message.emit(f"{span.label}: {quoted(span.text, 60)} [{span.start}, {span.end})")

    def _on_caret_moved(self) -> None:
        # Moving the caret off the selected span lets go of it, so a hotkey pressed after
        # moving on never relabels a span that is out of sight.
        span_id = self.view.selected_span
        mark = self.view.marks.get(span_id) if span_id is not None else None
        if mark is not None and not mark.start <= self.view.textCursor().position() <= mark.end:
            self.view.select_span(None, reveal=False)

    def _on_span_chosen(self, span_id: int) -> None:
        self.view.select_span(span_id)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def zoom_actions(self) -> list[QAction]:
        """Zoom in, out and back to normal, for the View menu."""
        return editor_actions.zoom_actions(self.view, self)
