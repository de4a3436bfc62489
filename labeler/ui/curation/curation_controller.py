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
from labeler.ui.curation.curation_reader import CurationReader, Outcome
from labeler.ui.curation.decision_edits import DecisionEdits
from labeler.ui.editor.annotation_commands import (
    EditCommand,
)
from labeler.ui.editor.document_editor import DocumentEditor
from labeler.ui.editor.span_edits import explained

_Maker = Callable[[], EditCommand | None]
Choice = tuple[Disagreement, str, list[Disagreement]]  # item, whose version, competitors


def _places(item: Disagreement) -> list[SpanKey]:
    return [item.span] if item.relation is None else [item.span, *item.relation[1:]]


class CurationController(QObject):
    message = Signal(str)
    changed = Signal()  # the current disagreement or the open ones changed
    lanes_shown = Signal()  # the annotators' lanes and the disagreements are ready

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
        self._reader = CurationReader(service, self)
        self._stale = False  # an edit may have settled or reopened any item: count them all
        self._deciding = False
        self._reader.done.connect(self._on_read)
        # A decision's rows are stored on the service's writer thread; a failure is told.
        service.writes.failed = lambda problem: self.message.emit(f"Decision not stored: {problem}")
        editor.model.opened.connect(self._on_opened)
        editor.undo_group.indexChanged.connect(lambda _index: self._after_edit())

    # -- entering and leaving
    @property
    def active(self) -> bool:
        return self.curation is not None

    def begin(self, curation: Curation) -> None:
        """Shows a curated set in the editor with every annotator's lanes. One reopened with
        its disagreements to come (not `ready`) is shown at once; its annotators' sets are
        read on a worker thread and the lanes drawn when they come (lanes_shown)."""
        self.leave()
        session = curation.session
        room = lane_room(len(curation.annotators), len(session.schema.layers))
        self._editor.view.set_lane_room(room)
        self.curation = curation
        self.current = None
        for action in self.actions:
            action.setEnabled(True)
        self._editor.open(session)
        self.bar.show()
        if curation.ready:
            self._draw_lanes(curation)
            return
        self.bar.show_current("", [])
        self.bar.show_legend(curation.curator, curation.annotators, None)
        self._reader.read(curation)

    def _draw_lanes(self, curation: Curation) -> None:
        session = curation.session
        self.lanes.show(session.document.text, session.schema, curation.sets)
        self._by_span = {}
        for item in curation.items:
            keys = {item.span}
            if item.relation is not None:
                keys.add(item.relation[2])
            for key in keys:
                self._by_span.setdefault(key, []).append(item)
        self._show(count=False)
        self._show_count()
        self.lanes_shown.emit()

    def _on_read(self, curation: Curation, outcome: Outcome) -> None:
        if curation is not self.curation:
            return
        if isinstance(outcome, str):
            self.message.emit(f"Cannot curate this document: {outcome}")
            self.leave()
            return
        self._service.fill(curation, *outcome)
        self._draw_lanes(curation)

    def _wait(self) -> bool:
        """Whether the disagreements are here: waits for a read under way (saying so)."""
        curation = self.curation
        if curation is None or curation.ready:
            return curation is not None
        self.message.emit("Still reading the annotators' sets…")
        outcome = self._reader.take(curation)
        if outcome is not None:
            self._on_read(curation, outcome)
        return self.curation is curation and curation.ready

    def leave(self) -> None:
        """Back to ordinary editing (the next document opened has no lanes)."""
        if self.curation is None:
            return
        self._reader.drop()
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
            # Counted again at the next step or decision; a decision recounts what it decided.
            self._stale = self._stale or not self._deciding
            self._show(count=False)

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
        if curation is not None and curation.ready:
            if self._stale:  # an edit other than a decision: every item looked at again
                curation.refresh()
                self._stale = False
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
        if curation is None or not self._wait():
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
            makers.append(lambda: self._edits().set_attribute(item, item.versions.get(who)))
        else:
            keys = [item.span] if item.relation is None else list(item.relation[1:])
            for key in keys:
                makers.append(lambda key=key: self._edits().add_span(key, who))
                spans[key] = [n for n in curation.sets if curation.version_of(key, n)]
            if item.relation is not None:
                makers.append(lambda: self._edits().add_relation(item))
                relations[item.relation] = item.had()
            makers += [lambda d=d: self._edits().remove(d) for d in others]
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
            f"reject {item.kind} {quoted(item.text, 30)}",
            [lambda: self._edits().remove(item)],
            decision,
        )

    def _chosen(self) -> Disagreement | None:
        if self.curation is None or not self._wait():
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
        self._deciding = True
        try:
            stack.beginMacro(text)
            for command in done:
                stack.push(command)
            stack.endMacro()
        finally:
            self._deciding = False
        self._recount(decision.items)
        self.message.emit(f"Saved: {text}")
        decided = self.current
        self.step()
        if self.current is None:
            self.current = decided
        return True

    def _recount(self, decided: list[Disagreement]) -> None:
        """The open list after a decision: its items and those at the same places."""
        if self.curation is None:
            return
        near = [d for item in decided for key in _places(item) for d in self._by_span.get(key, ())]
        self.curation.recount([*decided, *near])

    def _edits(self) -> DecisionEdits:
        assert self.curation is not None
        return DecisionEdits(self.curation, self._editor.report)
