"""WindowActions: the main window's menus and shortcuts, gathered once for the menus and F1 help."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from labeler.domain.annotation import Status
from labeler.ui.editor.document_labels_panel import DOCUMENT_LABELS_KEY

if TYPE_CHECKING:
    from labeler.ui.main_window import MainWindow

_Keys = tuple[QKeySequence.StandardKey | str, ...]


class WindowActions:
    """Builds the menu bar of a main window and keeps its actions by section.

    The menus have no Alt mnemonics: Alt with a label's key labels the exact characters,
    and Alt+D, Alt+E, Alt+V or Alt+F must not open a menu instead.
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._sections: list[tuple[str, list[QAction]]] = []
        editor = window.editor
        menus = window.menuBar()

        file_menu = menus.addMenu("File")
        self.import_action = self._add(
            file_menu, "File", "&Import…", ("Ctrl+I",), lambda: window.show_import()
        )
        self.export_action = self._add(
            file_menu, "File", "&Export…", ("Ctrl+E",), window.show_export
        )
        file_menu.addSeparator()
        self.annotator_action = self._add(
            file_menu, "File", "Change &annotator name…", (), window.ask_annotator
        )
        file_menu.addSeparator()
        self._add(file_menu, "File", "&Quit", (QKeySequence.StandardKey.Quit,), window.close)

        edit_menu = menus.addMenu("Edit")
        self.undo_action = editor.undo_group.createUndoAction(window, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = editor.undo_group.createRedoAction(window, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self._sections.append(
            ("Edit", [self.undo_action, self.redo_action, *window.editor.notes.actions])
        )
        edit_menu.addSeparator()
        view = editor.view
        self._add(
            edit_menu, "Edit", "&Find…", (QKeySequence.StandardKey.Find,), editor.find_bar.open_bar
        )
        self._add(edit_menu, "Edit", "&Search the project…", ("Ctrl+Shift+F",), window.show_search)
        self.delete_action = self._add(
            edit_menu,
            "Spans",
            "&Delete selected span",
            ("Del", "Backspace"),
            editor.delete_span,
            in_menu_only=True,
        )
        self._add(
            edit_menu,
            "Spans",
            "Next span",
            ("Tab",),
            lambda: view.input.step_span(),
            in_menu_only=True,
        )
        self._add(
            edit_menu,
            "Spans",
            "Previous span",
            ("Shift+Tab",),
            lambda: view.input.step_span(True),
            in_menu_only=True,
        )
        self._note("Spans", "Label the selected words", "label's key")
        self._note("Spans", "Label the exact characters", "Alt+label's key")
        self._note("Spans", "Relabel the selected span", "label's key")
        self._note("Spans", "Move the end a word right / left", "Shift+Alt+Right / Left")
        self._note("Spans", "Move the start a word left / right", "Ctrl+Shift+Alt+Left / Right")
        self._note("Spans", "Move the caret by word / extend", "Ctrl+Right, Ctrl+Shift+Right")
        self._note("Spans", "Let go of the selection", "Esc")
        self._note("Spans", "Choose the selected span's attribute 1, 2, 3…", "Ctrl+1, Ctrl+2…")
        self._note(
            "Documents",
            "In the document labels: next field, choose, tick, back to the text",
            "Tab, a letter or Up/Down, Space, Esc",
        )
        self._note("Relations", "Link the selected span to another", "R, then click or Tab + R")
        self._note("Relations", "Link two spans with the mouse", "Ctrl+drag")
        self._note("Relations", "Select a relation", "click its arc or label")
        self._note("Relations", "Change the selected relation's type", "Enter")
        self._note("Relations", "Delete the selected relation", "Del")
        self._note(
            "Relations",
            "Attribution in a few keys",
            "label SOURCE, CUE, CONTENT: linked for you",
        )

        view_menu = menus.addMenu("View")
        zoom = editor.zoom_actions()
        for action in zoom:
            view_menu.addAction(action)
            window.addAction(action)
        self._sections.append(("View", zoom))
        view_menu.addSeparator()
        for dock in (
            window.document_dock,
            window.labels_dock,
            window.spans_dock,
            window.attributes_dock,
            window.who_said_what_dock,
            window.guidelines_dock,
        ):
            view_menu.addAction(dock.toggleViewAction())
        self.arcs_action = self._add(
            view_menu,
            "View",
            "Show &relations",
            ("Ctrl+Shift+R",),
            lambda: view.set_arcs_visible(self.arcs_action.isChecked()),
        )
        self.arcs_action.setCheckable(True)
        self.arcs_action.setChecked(True)
        view_menu.addSeparator()
        self.who_said_what_action = self._add(
            view_menu, "View", "Who said what in the project…", (), window.show_who_said_what
        )
        self.progress_action = self._add(
            view_menu, "View", "&Progress of the project…", (), window.show_progress
        )
        self.quality_action = self._add(
            view_menu, "View", "Agreement and suggestions…", (), window.show_quality
        )

        document_menu = menus.addMenu("Document")
        self.document_labels_action = self._add(
            document_menu,
            "Documents",
            "&Label the document…",
            (DOCUMENT_LABELS_KEY,),
            self._label_document,
        )
        self._add(
            document_menu,
            "Documents",
            "Mark &done and open next",
            ("Ctrl+Return", "Ctrl+Enter"),
            lambda: window.finish(Status.DONE),
        )
        self._add(
            document_menu,
            "Documents",
            "&Skip and open next",
            ("Ctrl+Shift+Return",),
            lambda: window.finish(Status.SKIPPED),
        )
        self._add(
            document_menu,
            "Documents",
            "Mark in &progress",
            (),
            lambda: editor.set_status(Status.IN_PROGRESS),
        )
        document_menu.addSeparator()
        self._add(
            document_menu, "Documents", "&Next document", ("Alt+Right",), lambda: window.go_to(1)
        )
        self._add(
            document_menu,
            "Documents",
            "&Previous document",
            ("Alt+Left",),
            lambda: window.go_to(-1),
        )
        self._add(
            document_menu, "Documents", "&Reload from the database", ("F5",), window.reload_document
        )
        document_menu.addSeparator()
        self.curate_action = self._add(
            document_menu,
            "Curation",
            "&Curate this document (all annotators)",
            ("Ctrl+Shift+G",),
            lambda: window.curate_document(),
        )
        for action in window.curation.actions:
            self._section("Curation").append(action)

        project_menu = menus.addMenu("Project")
        self.new_project_action = self._add(
            project_menu, "Project", "&New project…", (), window.show_new_project
        )
        self.schema_action = self._add(
            project_menu, "Project", "Edit &schema…", (), window.show_schema_editor
        )
        self.assign_action = self._add(
            project_menu, "Project", "&Assign documents…", (), lambda: window.team.show_assign()
        )
        project_menu.addSeparator()
        self.train_action = self._add(
            project_menu, "Project", "&Train model", (), lambda: window.training.train()
        )
        self.model_settings_action = self._add(
            project_menu, "Project", "&Model settings…", (), lambda: window.training.show_settings()
        )

        help_menu = menus.addMenu("Help")
        self._add(help_menu, "Help", "&Keyboard shortcuts", ("F1",), window.help_overlay.toggle)

    def fit_account(self, may_lead: bool, fixed_name: bool) -> None:
        """Hides what the account may not do: a lead's work from an annotator, and renaming
        from anyone whose name is their login."""
        for action in (
            self.import_action,
            self.export_action,
            self.new_project_action,
            self.schema_action,
            self.assign_action,
            self.train_action,
            self.model_settings_action,
        ):
            action.setVisible(may_lead)
        self.annotator_action.setVisible(not fixed_name)

    def _add(
        self,
        menu: object,
        section: str,
        text: str,
        keys: _Keys,
        slot: Callable[[], object],
        *,
        in_menu_only: bool = False,
    ) -> QAction:
        action = QAction(text, self._window)
        if in_menu_only:
            # The text view handles these keys itself; the menu and F1 only show them.
            shown = ", ".join(str(k) for k in keys)
            action.setText(f"{text}\t{shown}")
            action.setData(shown)
        elif keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        self._section(section).append(action)
        return action

    def _label_document(self) -> None:
        """Shows the document labels (under the attributes) and gives the keyboard to the
        first (Esc: back to the text)."""
        window = self._window
        window.attributes_dock.show()
        window.attributes_dock.raise_()
        panel = window.editor.document_labels
        window.attributes_scroll.ensureWidgetVisible(panel)
        if not panel.focus_first():
            window.statusBar().showMessage("Open a document whose schema has document labels")

    def _note(self, section: str, text: str, keys: str = "") -> None:
        """A line of help for keys the text view handles itself."""
        action = QAction(text, self._window)
        action.setData(keys)
        self._section(section).append(action)

    def _section(self, name: str) -> list[QAction]:
        for title, actions in self._sections:
            if title == name:
                return actions
        self._sections.append((name, []))
        return self._sections[-1][1]

    def sections(self, label_actions: list[QAction]) -> list[tuple[str, list[QAction]]]:
        """What F1 lists: every section of the menus, then the labels and their keys."""
        return [*self._sections, ("Labels", label_actions)]
