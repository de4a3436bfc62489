"""FindBar: Ctrl+F search in the open article; Enter finds the next match, Shift+Enter back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton, QWidget


class _FindField(QLineEdit):
    def __init__(self, bar: FindBar) -> None:
        super().__init__(bar)
        self._bar = bar

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            backwards = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self._bar.find(backwards=backwards)
            return
        if event.key() == Qt.Key.Key_Escape:
            self._bar.close_bar()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """A one-line search over a text view; a match is shown as the view's text selection."""

    def __init__(self, view: QTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("find_bar")
        self._view = view
        self.field = _FindField(self)
        self.field.setObjectName("find_field")
        self.field.setPlaceholderText("Find in article (Enter: next, Shift+Enter: previous)")
        self.field.setClearButtonEnabled(True)
        self.field.textEdited.connect(lambda _text: self.find(incremental=True))
        self.result = QLabel(self)
        self.result.setObjectName("find_result")
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.setAutoRaise(True)
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.result)
        layout.addWidget(close)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        selected = self._view.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.field.selectAll()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def close_bar(self) -> None:
        self.hide()
        self._view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def find(self, *, backwards: bool = False, incremental: bool = False) -> bool:
        """Selects the next match from the caret (wrapping round); returns whether one exists."""
        needle = self.field.text()
        if not needle:
            self.result.clear()
            return False
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        document = self._view.document()
        cursor = self._view.textCursor()
        if incremental:
            cursor.setPosition(cursor.selectionStart())
        found = document.find(needle, cursor, flags)
        if found.isNull():
            wrap = QTextCursor(document)
            if backwards:
                wrap.movePosition(QTextCursor.MoveOperation.End)
            found = document.find(needle, wrap, flags)
        if found.isNull():
            self.result.setText("not found")
            return False
        self.result.setText("")
        self._view.setTextCursor(found)
        self._view.ensureCursorVisible()
        return True
