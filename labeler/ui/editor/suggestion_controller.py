"""SuggestionController: the open document's suggestions, computed off the GUI thread.

When a document opens, its stored suggestions and the live recommenders' are worked out on
a worker thread on a copy of the set, so opening is never slower for them; they are drawn
when ready (dashed outlines, see SuggestionPainter). A recommender that raises or hangs is
named in the status bar and the others' suggestions still come. Each span the annotator
labels is taught to the live recommenders on a worker thread too: the string matcher then
proposes its text at its other places in this document, and in the documents opened later.
Keys, on the text view:

- Alt+A accepts the suggestion under the caret or selection (or the one stepped to);
- Alt+X rejects it: it is not proposed to this annotator on this document again;
- Alt+Shift+A accepts every suggestion of its label in the document;
- Alt+Down and Alt+Up step through the suggestions (Tab steps through spans); after
  accepting or rejecting the one stepped to, the next one is current, so Alt+A and Alt+X
  walk through the document.

Accepting is an ordinary undoable command; the spans it makes record their recommender.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPainter

from labeler.assist.fitting import fitting
from labeler.assist.recommender import Recommender
from labeler.assist.safe_run import snapshot
from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.errors import LabelerError
from labeler.domain.offsets import Utf16Map
from labeler.domain.project import Project
from labeler.domain.suggestion import SuggestedRelation, Suggestion
from labeler.services.annotating import EditSession
from labeler.services.suggesting import SuggestionService
from labeler.ui.editor.document_editor import DocumentEditor
from labeler.ui.editor.span_painter import Line
from labeler.ui.editor.suggestion_commands import AcceptSuggestionsCommand
from labeler.ui.editor.suggestion_painter import SuggestionPainter

_Lesson = tuple[EditSession, AnnotationSet, Span, "Project | None"]
"""A span just labelled: its session, an empty set like its own, the span, the project."""
LIVE_TIMEOUT = 10.0  # seconds a live recommender may take before it is reported as hung


class SuggestionController(QObject):
    message = Signal(str)
    shown = Signal()  # the open document's suggestions are drawn
    learned = Signal()  # what a span just labelled brings is drawn (see `pending`)
    _ready = Signal(object, object, object)  # session, suggestions, problems
    _more = Signal(object, object, object)  # session, suggestions a new span brings, problems

    def __init__(
        self,
        editor: DocumentEditor,
        service: SuggestionService,
        parent: QObject | None = None,
        timeout: float = LIVE_TIMEOUT,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._service = service
        self.timeout = timeout
        self._project: Project | None = None
        self._recommenders: list[Recommender] | None = None
        # Given by the lead or a test in place of live_recommenders(project).
        self.recommenders_for: Callable[[Project], list[Recommender]] = service.live_recommenders
        self.suggestions: list[Suggestion] = []  # those shown: the ones that fit the set now
        self._found: list[Suggestion] = []  # every one found for the open document, not rejected
        self._learned: list[Suggestion] = []  # of those, the ones spans labelled since brought
        self._lock = threading.Lock()  # the live recommenders are made on a worker thread
        self._lessons: queue.SimpleQueue[_Lesson] = queue.SimpleQueue()
        self._teacher: threading.Thread | None = None
        self.pending = 0  # spans labelled whose suggestions are still being worked out
        self.painter = SuggestionPainter()
        self._map: Utf16Map | None = None
        self._current: int | None = None
        editor.view.overlays.append(self._paint)
        editor.model.opened.connect(self._on_opened)
        editor.model.edit_finished.connect(self._refit)
        editor.model.span_added.connect(self._on_span_added)
        editor.model.span_changed.connect(self._on_span_changed)
        self._ready.connect(self._on_ready, Qt.ConnectionType.QueuedConnection)
        self._more.connect(self._on_more, Qt.ConnectionType.QueuedConnection)
        for text, key, slot in (
            ("Accept suggestion", "Alt+A", self.accept),
            ("Reject suggestion", "Alt+X", self.reject),
            ("Accept all suggestions of this label", "Alt+Shift+A", self.accept_label),
            ("Next suggestion", "Alt+Down", lambda: self.step(False)),
            ("Previous suggestion", "Alt+Up", lambda: self.step(True)),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            editor.view.addAction(action)

    def set_project(self, project: Project | None) -> None:
        """The project whose documents open next: its recommenders are made afresh."""
        with self._lock:
            self._project = project
            self._recommenders = None

    def _live(self, project: Project | None) -> list[Recommender]:
        """The project's live recommenders, made once (on a worker thread) and then kept, so
        what they learn carries over to the next document."""
        with self._lock:
            if self._recommenders is None and project is not None and project is self._project:
                self._recommenders = self.recommenders_for(project)
            return list(self._recommenders or [])

    # -- computing, off the GUI thread
    def _on_opened(self, session: EditSession | None) -> None:
        self._found, self._learned = [], []
        self._show([])
        if session is None or session.document.id is None:
            return
        copy = snapshot(session.annotations)  # taken here: the worker never sees edits
        project = self._project
        worker = threading.Thread(
            target=self._work, args=(session, copy, project), name="suggestions", daemon=True
        )
        worker.start()

    def _work(self, session: EditSession, copy: object, project: Project | None) -> None:
        problems: list[str] = []
        try:
            found, outcomes = self._service.compute(
                session,
                self._live(project),
                self.timeout,
                copy,  # type: ignore[arg-type]
            )
            problems = [f"{o.recommender} {o.problem}" for o in outcomes if o.problem]
        except LabelerError as error:
            found, problems = [], [f"suggestions: {error}"]
        except Exception as error:  # a worker's failure is reported, never raised into Qt
            found, problems = [], [f"suggestions failed: {type(error).__name__}: {error}"]
        # The window may have closed while the worker ran: then nobody is shown them.
        with contextlib.suppress(RuntimeError):
            self._ready.emit(session, found, problems)

    def _on_ready(self, session: EditSession, found: list[Suggestion], problems: list[str]) -> None:
        if session is not self._editor.model.session:
            return  # another document opened meanwhile
        for problem in problems:
            self.message.emit(f"Recommender {problem}")
        self._found = _merged(found, self._learned)
        self._refit()
        self.shown.emit()

    # -- learning from each span labelled, off the GUI thread
    def _on_span_added(self, span: Span) -> None:
        session = self._editor.model.session
        if session is None or session.document.id is None:
            return
        self.pending += 1
        # An empty set of the same schema and annotator, not a copy: copying a long article's
        # set at every keystroke would cost the GUI thread; what comes back is fitted to the
        # set here (_refit) anyway.
        mine = session.annotations
        empty = AnnotationSet(mine.schema, mine.annotator, mine.status)
        self._lessons.put((session, empty, span, self._project))
        if self._teacher is None:
            # One thread takes the lessons in order, so a burst of spans never piles up threads.
            self._teacher = threading.Thread(target=self._teach, name="learning", daemon=True)
            self._teacher.start()

    def _on_span_changed(self, old: Span, new: Span) -> None:
        if (old.text, old.label) != (new.text, new.label):  # relabelled or resized: learn anew
            self._on_span_added(new)

    def _teach(self) -> None:
        while True:
            session, copy, span, project = self._lessons.get()
            problems: list[str] = []
            try:
                recommenders = self._live(project)
                found, outcomes = self._service.learn(
                    session, recommenders, span, copy, self.timeout
                )
                problems = [f"{o.recommender} {o.problem}" for o in outcomes if o.problem]
            except Exception as error:  # a worker's failure is reported, never raised into Qt
                found, problems = [], [f"learning failed: {type(error).__name__}: {error}"]
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                self._more.emit(session, found, problems)

    def _on_more(self, session: EditSession, found: list[Suggestion], problems: list[str]) -> None:
        self.pending = max(self.pending - 1, 0)
        if session is self._editor.model.session:
            for problem in problems:
                self.message.emit(f"Recommender {problem}")
            self._learned = _merged(self._learned, found)
            self._found = _merged(self._found, found)
            self._refit()
        self.learned.emit()

    def _refit(self) -> None:
        """After an edit (an undo too): the suggestions that fit the set now are shown, so an
        accepted one goes and comes back when its acceptance is undone."""
        session = self._editor.model.session
        if session is not None:
            self._show(fitting(session.annotations, self._found))

    def _show(self, suggestions: list[Suggestion]) -> None:
        shown = [s for s in suggestions if not isinstance(s.proposal, SuggestedRelation)]
        current = None
        if self._current is not None and self._current < len(self.suggestions):
            current = self.suggestions[self._current].key
        self.suggestions = sorted(shown, key=lambda s: s.extent or (0, 0))
        session = self._editor.model.session
        self._map = Utf16Map(session.document.text) if session is not None else None
        # The one stepped to stays current while others come (a span labelled brought them).
        keys = [s.key for s in self.suggestions]
        self._current = keys.index(current) if current in keys else None
        to16 = self._map.to_utf16 if self._map is not None else (lambda n: n)
        self.painter.ranges = [
            (to16(s.start), to16(s.end)) for x in self.suggestions for s in x.spans
        ]
        self._mark_current()

    def _mark_current(self) -> None:
        index = None
        if self._current is not None:
            index = sum(len(s.spans) for s in self.suggestions[: self._current])
        self.painter.current = index
        self._editor.view.viewport().update()

    def _paint(self, painter: QPainter, lines: list[Line]) -> None:
        self.painter.paint(painter, lines)

    # -- the annotator's keys
    @property
    def current(self) -> Suggestion | None:
        """The suggestion stepped to (Alt+Down, or the next after an accept or reject)."""
        return None if self._current is None else self.suggestions[self._current]

    def under_caret(self) -> Suggestion | None:
        """The suggestion stepped to; else the one under the selection or the caret."""
        if self._current is not None:
            return self.suggestions[self._current]
        view = self._editor.view
        if self._map is None:
            return None
        chosen = view.selected_range()
        if chosen is None:
            caret = view.caret()
            chosen = (caret, caret)
        start, end = chosen
        for s in self.suggestions:
            for p in s.spans:
                inside = (
                    p.start < end and start < p.end if start < end else p.start <= start <= p.end
                )
                if inside:
                    return s
        return None

    def step(self, backwards: bool = False) -> Suggestion | None:
        """Goes to the next (or previous) suggestion, round past the ends, and shows it."""
        if not self.suggestions:
            self.message.emit("No suggestions in this document")
            return None
        n = len(self.suggestions)
        if self._current is None:
            self._current = n - 1 if backwards else 0
        else:
            self._current = (self._current + (-1 if backwards else 1)) % n
        chosen = self.suggestions[self._current]
        start, end = chosen.extent or (0, 0)
        if self._map is not None:
            self._editor.view.reveal(self._map.to_utf16(start), self._map.to_utf16(end))
        self._mark_current()
        return chosen

    def accept(self) -> bool:
        """Accepts the suggestion under the caret (one undoable step)."""
        chosen = self.under_caret()
        if chosen is None:
            self.message.emit("No suggestion here: Alt+Down goes to the next one")
            return False
        return self._accept([chosen])

    def accept_label(self) -> bool:
        """Accepts every suggestion of the label of the one under the caret."""
        chosen = self.under_caret()
        if chosen is None:
            self.message.emit("No suggestion here: Alt+Down goes to the next one")
            return False
        label = chosen.spans[0].label
        return self._accept([s for s in self.suggestions if s.spans[0].label == label])

    def _accept(self, chosen: list[Suggestion]) -> bool:
        session = self._editor.model.session
        if session is None:
            return False
        stepped = self._current is not None
        command = AcceptSuggestionsCommand(session, self._editor.report, self._service, chosen)
        if not self._editor.run_command(command):
            return False
        self._current = None
        self._refit()
        if stepped:
            self._go_past(chosen[0])
        return True

    def _go_past(self, done: Suggestion) -> None:
        """Makes the first suggestion after one just accepted or rejected the current one."""
        where = done.extent or (0, 0)
        later = [i for i, s in enumerate(self.suggestions) if (s.extent or (0, 0)) >= where]
        if later:
            self._current = later[0] - 1
            self.step()

    def reject(self) -> bool:
        """Rejects the suggestion under the caret: not proposed here to this annotator again."""
        chosen = self.under_caret()
        session = self._editor.model.session
        if chosen is None or session is None:
            self.message.emit("No suggestion here: Alt+Down goes to the next one")
            return False
        try:
            self._service.reject(session, chosen)
        except LabelerError as error:
            self.message.emit(f"Could not reject the suggestion: {error}")
            return False
        stepped = self._current is not None
        self._current = None
        self._found = [s for s in self._found if s.key != chosen.key]
        self._learned = [s for s in self._learned if s.key != chosen.key]
        self._refit()
        if stepped:
            self._go_past(chosen)
        return True


def _merged(first: list[Suggestion], more: list[Suggestion]) -> list[Suggestion]:
    """The suggestions of both lists, each proposal once (the first list's wins)."""
    found = {s.key: s for s in more}
    found.update((s.key, s) for s in first)
    return list(found.values())
