"""Notes in the editor: a small editor for the note of a span, a relation or the document,
opened by a key (Ctrl+N on the selected span or relation, Ctrl+Shift+N for the document);
each note set is one undoable command."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.snippets import quoted
from labeler.services.annotating import EditSession
from labeler.ui.editor.annotation_commands import EditCommand, EditReport, SetNoteCommand
from labeler.ui.editor.text_view import AnnotatedTextView

NOTE_KEY = "Ctrl+N"
DOCUMENT_NOTE_KEY = "Ctrl+Shift+N"


class NoteDialog(QDialog):
    """A few lines of free text; Ctrl+Return keeps them, Escape leaves the note as it was."""

    def __init__(self, title: str, what: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(title)
        self.text = QPlainTextEdit(note)
        self.text.setObjectName("noteText")
        self.text.setTabChangesFocus(True)
        self.text.setMinimumSize(320, 100)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.text.installEventFilter(self)  # Ctrl+Return keeps the note
        layout = QVBoxLayout(self)
        hint = QLabel(f"{what} (Ctrl+Return keeps it; an empty note removes it):")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        cursor = self.text.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.text.setTextCursor(cursor)

    def note(self) -> str:
        return self.text.toPlainText().strip()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.text
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.accept()
            return True
        return super().eventFilter(watched, event)


class NoteController(QObject):
    """Opens the note editor for what is selected and runs the command that sets the note."""

    message = Signal(str)

    def __init__(
        self,
        view: AnnotatedTextView,
        session: Callable[[], EditSession | None],
        report: EditReport,
        run: Callable[[EditCommand], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._view = view
        self._session = session
        self._report = report
        self._run = run
        self.dialog: NoteDialog | None = None  # the note editor open, if any
        self.actions: list[QAction] = []
        for text, key, slot in (
            ("&Note on the selection…", NOTE_KEY, self.edit_selected),
            ("&Document note…", DOCUMENT_NOTE_KEY, self.edit_document),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _=False, s=slot: s())
            view.addAction(action)  # fires while the text has the keyboard
            self.actions.append(action)

    def edit_selected(self) -> None:
        """The selected span's note, else the selected relation's."""
        session = self._session()
        if session is None:
            return
        sset = session.annotations
        span_id, relation_id = self._view.selected_span, self._view.selected_relation
        if span_id is not None and span_id in sset.spans:
            span = sset.spans[span_id]
            what = f"Note on {span.label} {quoted(span.text, 40)}"
            self._open("Span note", what, span.note, {"span_id": span_id})
        elif relation_id is not None and relation_id in sset.relations:
            relation = sset.relations[relation_id]
            what = (
                f"Note on {relation.type} from {quoted(sset.spans[relation.head].text, 20)} "
                f"to {quoted(sset.spans[relation.tail].text, 20)}"
            )
            self._open("Relation note", what, relation.note, {"relation_id": relation_id})
        else:
            self.message.emit(
                f"Select a span or a relation first ({DOCUMENT_NOTE_KEY}: the document's note)"
            )

    def edit_document(self) -> None:
        session = self._session()
        if session is not None:
            title = quoted(session.document.title or "this document", 40)
            self._open("Document note", f"Note on {title}", session.annotations.note, {})

    def _open(self, title: str, what: str, note: str, where: dict[str, int]) -> None:
        if self.dialog is not None:
            self.dialog.close()
        dialog = NoteDialog(title, what, note, self._view)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._keep(dialog, note, where))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()  # window-modal, without a nested event loop

    def _keep(self, dialog: NoteDialog, old: str, where: dict[str, int]) -> None:
        session = self._session()
        new = dialog.note()
        if session is None or new == old:
            return
        self._run(SetNoteCommand(session, self._report, new, **where))

    def _closed(self, dialog: NoteDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self._view.setFocus(Qt.FocusReason.OtherFocusReason)
