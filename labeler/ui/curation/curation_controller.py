"""CurationController: curation mode of the editor. The curated set is the editor's open set
(the same commands, undo and autosave); every annotator's spans are drawn as lanes; keys on the
text step through the disagreements and decide them:

- `]` / `[`: the next / previous open disagreement (round past the ends);
- `=`: accept it; where annotators differ at that place (labels or extents, a relation's other
  end, an attribute's value), a numbered menu asks whose version: 1, 2, 3…;
- `-`: reject it (stored: not listed as open again).

A decision is one undo step and moves on to the next open disagreement.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from labeler.domain.errors import LabelerError
from labeler.domain.snippets import quoted
from labeler.quality.curation import Disagreement, SpanKey
from labeler.services.annotating import EditSession
from labeler.services.curation import Curation, CurationService
from labeler.ui.choice_menu import pop_choices
from labeler.ui.curation.curation_bar import CurationBar, describe
from labeler.ui.curation.curation_commands import DecisionCommand
from labeler.ui.curation.curation_lanes import CurationLanes, lane_room
from labeler.ui.editor.annotation_commands import (
    AddRelationCommand,
    AddSpanCommand,
    ChangeSpanCommand,
    DeleteRelationCommand,
    DeleteSpanCommand,
    EditCommand,
)
from labeler.ui.editor.document_editor import DocumentEditor
from labeler.ui.editor.span_edits import explained

_Maker = Callable[[], EditCommand | None]
Choice = tuple[Disagreement, str, list[Disagreement]]  # item, whose version, competitors


class CurationController(QObject):
    message = Signal(str)
    changed = Signal()  # the current disagreement or the open ones changed

    def __init__(
        self, editor: DocumentEditor, service: CurationService, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._service = service
        self.curation: Curation | None = None
        self.current: Disagreement | None = None
        self.chooser: QMenu | None = None
        self._by_span: dict[SpanKey, list[Disagreement]] = {}
        self.lanes = CurationLanes()
        self.lanes.layers = editor.view.visible_layers
        self.lanes.is_open = self._span_open
        editor.view.overlays.append(self.lanes.paint)
        self.bar = CurationBar(editor)
        layout = editor.layout()
        layout.insertWidget(0, self.bar)  # type: ignore[attr-defined]
        self.actions: list[QAction] = []
        for text, key, slot in (
            ("Next disagreement", "]", lambda: self.step(False)),
            ("Previous disagreement", "[", lambda: self.step(True)),
            ("Accept the disagreement's version", "=", self.accept),
            ("Reject the disagreement", "-", self.reject),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            action.setEnabled(False)  # a label may have the key outside curation mode
            editor.view.addAction(action)
            self.actions.append(action)
        self._count = QTimer(self)
        self._count.setSingleShot(True)
        self._count.setInterval(0)
        self._count.timeout.connect(self._show_count)
        editor.model.opened.connect(self._on_opened)
        editor.undo_group.indexChanged.connect(lambda _index: self._after_edit())

    # -- entering and leaving
    @property
    def active(self) -> bool:
        return self.curation is not None

    def begin(self, curation: Curation) -> None:
        """Shows a curated set in the editor with every annotator's lanes."""
        self.leave()
        session = curation.session
        self._editor.view.set_lane_room(lane_room(len(curation.sets), len(session.schema.layers)))
        self.lanes.show(session.document.text, session.schema, curation.sets)
        self._by_span = {}
        for item in curation.items:
            keys = {item.span}
            if item.relation is not None:
                keys.add(item.relation[2])
            for key in keys:
                self._by_span.setdefault(key, []).append(item)
        self.curation = curation
        self.current = None
        for action in self.actions:
            action.setEnabled(True)
        self._editor.open(session)
        self.bar.show()
        self._show(count=False)
        self._show_count()

    def leave(self) -> None:
        """Back to ordinary editing (the next document opened has no lanes)."""
        if self.curation is None:
            return
        self.curation = None
        self.current = None
        for action in self.actions:
            action.setEnabled(False)
        self._editor.view.set_lane_room(0)
        self.lanes.show("", self._editor.schema, {})
        self.bar.hide()
        self._editor.view.viewport().update()
        self.changed.emit()

    def _on_opened(self, session: EditSession | None) -> None:
        if self.curation is not None and session is not self.curation.session:
            self.leave()

    # -- what is shown
    def _span_open(self, key: SpanKey) -> bool:
        curation = self.curation
        return curation is not None and any(curation.is_open(d) for d in self._by_span.get(key, ()))

    def _after_edit(self) -> None:
        if self.curation is not None:
            self._show(count=False)  # the open count follows at the next step or decision

    def _show(self, count: bool = True) -> None:
        curation = self.curation
        if curation is None:
            return
        if count:  # counted once the key's own change is on screen: a pass over every item
            self._count.start()
        item = self.current
        to16 = self._editor.view.marks.to_utf16
        self.lanes.current = []
        if item is None:
            self.bar.show_current("", [])
        else:
            keys = [item.span] if item.relation is None else [item.relation[1], item.relation[2]]
            self.lanes.current = [(to16(k[1]), to16(k[2])) for k in keys]
            state = "open" if curation.is_open(item) else "decided"
            self.bar.show_current(f"{describe(item)} — {state}", self._versions(item))
        self._editor.view.viewport().update()
        self.changed.emit()

    def _show_count(self) -> None:
        curation = self.curation
        if curation is not None:
            curation.refresh()
            self.bar.show_legend(
                curation.curator, self.lanes.names, len(curation.disagreements), len(curation.items)
            )

    def _versions(self, item: Disagreement) -> list[tuple[str, str]]:
        names = self.lanes.names
        if item.kind == "attribute":
            return [(n, item.versions.get(n) or "(no value)") for n in names]
        return [(n, "has it" if item.versions.get(n) else "does not") for n in names]

    # -- stepping
    def step(self, backwards: bool = False) -> Disagreement | None:
        """Goes to the next (previous) open disagreement after the current one or the caret."""
        curation = self.curation
        if curation is None:
            return None
        items = curation.items
        if not items:
            self.message.emit("No disagreements in this document")
            return None
        n = len(items)
        at = next((i for i, d in enumerate(items) if d is self.current), None)
        if at is not None:
            first = at + (-1 if backwards else 1)
        else:
            caret = self._editor.view.caret()
            after = [i for i, d in enumerate(items) if d.span[1] >= caret]
            first = (after[0] if after else n) - (1 if backwards else 0)
        for k in range(n):
            candidate = items[(first + (-k if backwards else k)) % n]
            if curation.is_open(candidate):
                self._go(candidate)
                return candidate
        self.current = None
        self._show()
        self.message.emit("Every disagreement is decided: mark the curated set done (Ctrl+Return)")
        return None

    def _go(self, item: Disagreement) -> None:
        self.current = item
        view = self._editor.view
        start, end = item.span[1], item.span[2]
        span_id = self.curation.span_id(item.span) if self.curation else None
        if span_id is not None:
            view.select_span(span_id)
        else:
            view.select_span(None, reveal=False)
            view.reveal(view.marks.to_utf16(start), view.marks.to_utf16(end))
            cursor = view.textCursor()
            cursor.setPosition(view.marks.to_utf16(start))
            view.setTextCursor(cursor)
        self._show()

    # -- deciding
    def choices(self, item: Disagreement) -> list[Choice]:
        """The versions a curator may take at the place of `item`: each competing item (an
        overlapping span of its layer, a relation of its type from the same head) with the
        first annotator who had it, or each attribute value."""
        curation = self.curation
        assert curation is not None
        if item.kind == "attribute":
            values: dict[str | None, list[str]] = {}
            for name, value in sorted(item.versions.items()):
                values.setdefault(value, []).append(name)
            return [(item, names[0], [item]) for names in values.values()]
        rivals = [d for d in curation.items if self._rivals(item, d) and curation.is_open(d)]
        if item not in rivals:
            rivals.insert(0, item)
        return [(d, d.had()[0], rivals) for d in rivals if d.had()]

    @staticmethod
    def _rivals(item: Disagreement, other: Disagreement) -> bool:
        if other.kind != item.kind:
            return False
        if item.kind == "span":
            return other.span[0] == item.span[0] and (
                other.span[1] < item.span[2] and item.span[1] < other.span[2]
            )
        assert item.relation is not None
        assert other.relation is not None
        return other.relation[:2] == item.relation[:2]

    def _choice_text(self, choice: Choice) -> str:
        item, who, _ = choice
        if item.kind == "attribute":
            holders = [n for n, v in item.versions.items() if v == item.versions[who]]
            return f"{', '.join(holders)}: {item.versions[who] or '(no value)'}"
        return f"{', '.join(item.had())}: {describe(item)}"

    def accept(self) -> bool:
        """Accepts the current disagreement; asks whose version where they differ."""
        item = self._chosen()
        if item is None:
            return False
        options = self.choices(item)
        if len(options) == 1:
            return self.take(options[0])
        view = self._editor.view
        at = view.viewport().mapToGlobal(view.cursorRect().bottomLeft())
        shown = [(self._choice_text(c), c) for c in options]
        self.chooser = pop_choices(view, "Take whose version?", shown, self.take, at)
        return True

    def take(self, choice: Choice) -> bool:
        """Takes one version into the curated set, rejecting its rivals: one undo step."""
        item, who, rivals = choice
        curation = self.curation
        assert curation is not None
        others = [d for d in rivals if d is not item]
        makers: list[_Maker] = []
        spans: dict[SpanKey, list[str]] = {}
        relations = {}
        if item.kind == "attribute":
            makers.append(lambda: self._set_attribute(item, item.versions.get(who)))
        else:
            keys = [item.span] if item.relation is None else list(item.relation[1:])
            for key in keys:
                makers.append(lambda key=key: self._add_span(key, who))
                spans[key] = [n for n in curation.sets if curation.version_of(key, n)]
            if item.relation is not None:
                makers.append(lambda: self._add_relation(item))
                relations[item.relation] = item.had()
            makers += [lambda d=d: self._remove(d) for d in others]
        decision = DecisionCommand(
            self._editor.report,
            self._service,
            curation,
            f"accept {who}'s {item.kind}",
            accepted=[item],
            rejected=others,
            span_sources=spans,
            relation_sources=relations,
        )
        return self._decide(f"accept {who}'s {item.kind} {quoted(item.text, 30)}", makers, decision)

    def reject(self) -> bool:
        """Rejects the current disagreement (takes it out of the curated set if it was in)."""
        item = self._chosen()
        if item is None or self.curation is None:
            return False
        decision = DecisionCommand(
            self._editor.report, self._service, self.curation, "reject", rejected=[item]
        )
        return self._decide(
            f"reject {item.kind} {quoted(item.text, 30)}", [lambda: self._remove(item)], decision
        )

    def _chosen(self) -> Disagreement | None:
        if self.curation is None:
            return None
        if self.current is None or not self.curation.is_open(self.current):
            caret = self._editor.view.caret()
            here = [
                d
                for d in self.curation.items
                if d.span[1] <= caret < d.span[2] and self.curation.is_open(d)
            ]
            self.current = here[0] if here else self.current
        if self.current is None:
            self.message.emit("No disagreement here: ] goes to the next one")
        return self.current

    def _decide(self, text: str, makers: list[_Maker], decision: DecisionCommand) -> bool:
        """Applies the set's edits one by one (each may need the one before), then the
        decision; pushes them as one undo step, or undoes the ones made if any is refused."""
        stack = self._editor.undo_stack
        assert stack is not None
        done: list[EditCommand] = []
        try:
            for make in [*makers, lambda: decision]:
                command = make()
                if command is None:
                    continue
                command.apply()
                done.append(command)
        except LabelerError as error:
            for command in reversed(done):
                command.undo()
            self.message.emit(f"Not done: {explained(error)}")
            return False
        stack.beginMacro(text)
        for command in done:
            stack.push(command)
        stack.endMacro()
        self.message.emit(f"Saved: {text}")
        decided = self.current
        self.step()
        if self.current is None:
            self.current = decided
        return True

    # -- the set's edits a decision makes
    def _session(self) -> EditSession:
        assert self.curation is not None
        return self.curation.session

    def _add_span(self, key: SpanKey, who: str) -> EditCommand | None:
        assert self.curation is not None
        if self.curation.span_id(key) is not None:
            return None
        version = self.curation.version_of(key, who)
        attributes = dict(version.attributes) if version is not None else None
        _, start, end, label = key
        return AddSpanCommand(self._session(), self._editor.report, start, end, label, attributes)

    def _add_relation(self, item: Disagreement) -> EditCommand | None:
        assert self.curation is not None
        assert item.relation is not None
        type_, head, tail = item.relation
        head_id, tail_id = self.curation.span_id(head), self.curation.span_id(tail)
        if head_id is None or tail_id is None:
            return None
        if self._session().annotations.has_link(type_, head_id, tail_id):
            return None
        return AddRelationCommand(self._session(), self._editor.report, type_, head_id, tail_id)

    def _set_attribute(self, item: Disagreement, value: str | None) -> EditCommand | None:
        assert self.curation is not None
        span_id = self.curation.span_id(item.span)
        if span_id is None:
            raise LabelerError(f"the curated set has no {item.span[3]} {quoted(item.text)}")
        attributes = dict(self._session().annotations.spans[span_id].attributes)
        name = item.attribute or ""
        if attributes.get(name) == value:
            return None
        if value is None:
            attributes.pop(name, None)
        else:
            attributes[name] = value
        return ChangeSpanCommand(
            self._session(), self._editor.report, span_id, f"set {name}", attributes=attributes
        )

    def _remove(self, item: Disagreement) -> EditCommand | None:
        """Takes an item out of the curated set, if it holds it."""
        assert self.curation is not None
        session = self._session()
        if item.kind == "attribute":
            return self._set_attribute(item, None) if self.curation.span_id(item.span) else None
        if item.kind == "span":
            span_id = self.curation.span_id(item.span)
            if span_id is None:
                return None
            return DeleteSpanCommand(session, self._editor.report, span_id)
        assert item.relation is not None
        type_, head, tail = item.relation
        ends = (type_, self.curation.span_id(head), self.curation.span_id(tail))
        for r in session.annotations.relations.values():
            if (r.type, r.head, r.tail) == ends and r.id is not None:
                return DeleteRelationCommand(session, self._editor.report, r.id)
        return None
