"""The window's workspace: project, document and annotator set in one place, announced, and
the project box, document list, editor and status bar following it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from labeler.domain.document import DocumentQuery
from labeler.domain.project import Project
from labeler.domain.schema import LabelSchema
from labeler.services.workspace import Services
from labeler.ui.documents.document_list_model import DocumentListModel
from labeler.ui.main_window import MainWindow
from labeler.ui.window_workspace import WindowWorkspace
from tests.ui.support import add_project

ARTICLES = {
    "Alpha": ["Valmera port reopened on Monday.", "Halden won the cup."],
    "Beta": ["The ministry said prices rose.", "Talks resume in Bergen.", "Nothing happened."],
}


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    """Two projects, Alpha and Beta, with ARTICLES titled "Alpha 0", "Beta 2" and so on."""
    for name, texts in ARTICLES.items():
        add_project(services, tmp_path, texts, name=name, title=name)
    return services


def listed_titles(model: DocumentListModel) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def record(workspace: WindowWorkspace) -> list[tuple[str, object]]:
    """Every signal of the workspace from now on, in order, with its value."""
    heard: list[tuple[str, object]] = []
    workspace.project_changed.connect(lambda p: heard.append(("project", p and p.name)))
    workspace.document_changed.connect(lambda d: heard.append(("document", d)))
    workspace.annotator_changed.connect(lambda a: heard.append(("annotator", a)))
    return heard


def test_the_workspace_announces_changes_only() -> None:
    workspace = WindowWorkspace("ana")
    heard = record(workspace)
    alpha = Project("Alpha", LabelSchema("none", ()), "", 1)
    workspace.set_project(alpha)
    workspace.set_document(7)
    workspace.set_document(7)
    workspace.set_annotator("ana")
    assert heard == [("project", "Alpha"), ("document", 7)]
    # The same project read again is held without a word; the open document stays.
    again = Project("Alpha", LabelSchema("other", ()), "", 1)
    workspace.set_project(again)
    assert workspace.project is again
    assert workspace.document_id == 7
    assert heard == [("project", "Alpha"), ("document", 7)]
    # Another project lets go of the document first.
    workspace.set_project(Project("Beta", LabelSchema("none", ()), "", 2))
    workspace.set_annotator("bob")
    assert heard[2:] == [("document", None), ("project", "Beta"), ("annotator", "bob")]
    assert (workspace.project_name, workspace.document_id, workspace.annotator) == (
        "Beta",
        None,
        "bob",
    )


def test_choosing_a_project_in_the_box_moves_the_workspace_and_the_views_follow(
    qtbot, window: MainWindow, services: Services
) -> None:
    workspace = window.workspace
    assert workspace.project_name == window.current_project() == "Alpha"
    assert workspace.document_id == window.editor.session.document.id  # type: ignore[union-attr]
    heard = record(workspace)
    with qtbot.waitSignal(workspace.project_changed) as changed:
        window.project_box.setCurrentIndex(window.project_box.findText("Beta"))
    assert changed.args[0].name == "Beta"
    # The document was let go of, the project announced, then its first document opened.
    beta_first = services.documents.summaries(services.projects.get("Beta"))[0].id
    assert heard == [("document", None), ("project", "Beta"), ("document", beta_first)]
    assert listed_titles(window.documents) == ["Beta 0", "Beta 1", "Beta 2"]
    assert window.editor.session.document.text == ARTICLES["Beta"][0]  # type: ignore[union-attr]
    assert window.text_view.toPlainText() == ARTICLES["Beta"][0]
    assert window.document_view.currentIndex().row() == 0
    assert window.position_label.text() == "1 / 3"
    assert window.windowTitle() == "Beta 0 — labeler"


def test_the_project_box_and_list_follow_a_project_set_on_the_workspace(
    qtbot, window: MainWindow, services: Services
) -> None:
    window.workspace.set_project(services.projects.get("Beta"))
    assert window.project_box.currentText() == "Beta"
    assert listed_titles(window.documents) == ["Beta 0", "Beta 1", "Beta 2"]
    assert window.editor.session.document.title == "Beta 0"  # type: ignore[union-attr]


def test_a_document_opened_elsewhere_is_shown_in_the_list(
    qtbot, window: MainWindow, services: Services
) -> None:
    second = services.documents.summaries(services.projects.get("Alpha"))[1].id
    with qtbot.waitSignal(window.workspace.document_changed) as changed:
        window.open_document(second)  # as who said what does for a place double-clicked
    assert changed.args == [second]
    assert window.document_view.currentIndex().row() == 1
    assert window.position_label.text() == "2 / 2"


def test_a_new_annotator_name_from_the_file_menu_moves_the_workspace_and_the_views_follow(
    qtbot, window: MainWindow, settings: QSettings
) -> None:
    document_id = window.workspace.document_id
    (menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "File"]
    (change,) = [a for a in menu.actions() if a.text().startswith("Change &annotator name")]

    def type_name() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        assert dialog.textValue() == "ana"
        dialog.setTextValue("  bob ")
        dialog.accept()

    QTimer.singleShot(0, type_name)
    with qtbot.waitSignal(window.workspace.annotator_changed) as changed:
        change.trigger()
    assert changed.args == ["bob"]
    assert window.annotator == window.workspace.annotator == "bob"
    assert window.annotator_label.text() == "Annotator: bob"
    assert window.documents.query == DocumentQuery(annotator="bob")
    assert window.workspace.document_id == document_id  # the same document, bob's own set
    assert window.editor.session.annotations.annotator == "bob"  # type: ignore[union-attr]
    assert settings.value("annotator") == "bob"
    assert "Now annotating as bob" in window.statusBar().currentMessage()


def test_the_same_name_again_changes_nothing(qtbot, window: MainWindow) -> None:
    session = window.editor.session

    def keep_name() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        dialog.accept()

    QTimer.singleShot(0, keep_name)
    with qtbot.assertNotEmitted(window.workspace.annotator_changed):
        window.ask_annotator()
    assert window.editor.session is session


def test_who_said_what_in_the_project_closes_when_another_project_is_chosen(
    qtbot, window: MainWindow
) -> None:
    dialog = window.show_who_said_what()
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.runner.is_running() and dialog.status.text() == "")
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.finished):
        window.project_box.setCurrentText("Beta")
    assert not dialog.isVisible()
