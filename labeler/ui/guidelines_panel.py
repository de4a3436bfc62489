"""GuidelinesPanel: the project's annotation guidelines (Markdown), read beside the text and
edited in place; saving stores them with the project for everyone."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from labeler.domain.errors import LabelerError
from labeler.domain.project import Project

NO_GUIDELINES = (
    "*No guidelines yet.* Press **Edit** to write them (Markdown), or set them from a file: "
    "`labeler project guidelines NAME FILE`."
)


class GuidelinesPanel(QWidget):
    """Shows a project's guidelines; Edit turns the view into a Markdown editor."""

    message = Signal(str)

    def __init__(self, save: Callable[[str, str], Project], parent: QWidget | None = None) -> None:
        """`save(project name, text)` stores the guidelines and returns the project."""
        super().__init__(parent)
        self.setObjectName("guidelinesPanel")
        self._save = save
        self._project: Project | None = None
        self._editable = True
        self.browser = QTextBrowser()
        self.browser.setObjectName("guidelinesView")
        self.browser.setOpenExternalLinks(True)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("guidelinesEditor")
        self._stack = QStackedWidget()
        self._stack.addWidget(self.browser)
        self._stack.addWidget(self.editor)
        self.edit_button = QPushButton("&Edit")
        self.save_button = QPushButton("Save")
        self.cancel_button = QPushButton("Cancel")
        self.edit_button.clicked.connect(self.start_editing)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.edit_button, self.save_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._stack, 1)
        layout.addLayout(buttons)
        self.show_project(None)

    def show_project(self, project: Project | None) -> None:
        """Shows this project's guidelines (None: nothing to show); an edit is dropped."""
        self._project = project
        text = project.guidelines if project is not None else ""
        self.browser.setMarkdown(text or (NO_GUIDELINES if project is not None else ""))
        self._editing(False)
        self.edit_button.setEnabled(project is not None and self._editable)

    def set_editable(self, editable: bool) -> None:
        """Whether Edit is offered: only to whoever may change the project's schema (on a
        team database a lead; the database refuses anyone else's change anyway)."""
        self._editable = editable
        self.edit_button.setVisible(editable and not self.editing)
        self.edit_button.setEnabled(editable and self._project is not None)
        if not editable and self.editing:
            self.cancel()

    @property
    def editing(self) -> bool:
        return self._stack.currentWidget() is self.editor

    def start_editing(self) -> None:
        if self._project is None or not self._editable:
            return
        self.editor.setPlainText(self._project.guidelines)
        self._editing(True)
        self.editor.setFocus()

    def save(self) -> None:
        if self._project is None:
            return
        try:
            project = self._save(self._project.name, self.editor.toPlainText())
        except LabelerError as error:
            self.message.emit(f"Guidelines not saved: {error}")
            return
        self.show_project(project)
        self.message.emit("Guidelines saved")

    def cancel(self) -> None:
        self.show_project(self._project)

    def _editing(self, on: bool) -> None:
        self._stack.setCurrentWidget(self.editor if on else self.browser)
        self.edit_button.setVisible(not on and self._editable)
        self.save_button.setVisible(on)
        self.cancel_button.setVisible(on)
