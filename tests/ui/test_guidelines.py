"""A project's guidelines: set from a file on the command line, shown in the Guidelines dock,
edited there and stored for everyone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from labeler.app import main
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from tests.ui.support import add_project, show_window

GUIDE = "# News guidelines\n\nA **SOURCE** covers the whole phrase that names the speaker.\n"


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    add_project(services, tmp_path, ["Ada Lindqvist met officials from Valmera on Monday."])
    return services


def test_guidelines_from_the_command_line(capsys, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    guide = tmp_path / "guide.md"
    guide.write_text(GUIDE, encoding="utf-8")
    assert main(["project", "create", "News", "--db", db]) == 0
    assert main(["project", "guidelines", "News", "--db", db]) == 0
    assert "has no guidelines yet" in capsys.readouterr().out
    assert main(["project", "guidelines", "News", str(guide), "--db", db]) == 0
    assert "Set the guidelines of project 'News'" in capsys.readouterr().out
    assert main(["project", "guidelines", "News", "--db", db]) == 0
    assert capsys.readouterr().out == GUIDE
    assert main(["project", "guidelines", "News", str(tmp_path / "missing.md"), "--db", db]) != 0
    assert "missing.md" in capsys.readouterr().err


def test_the_dock_shows_the_guidelines_and_edits_them(
    qtbot, services: Services, settings, tmp_path: Path
) -> None:
    services.projects.set_guidelines("News", GUIDE)
    window = show_window(qtbot, services, "ana", settings)
    panel = window.guidelines
    assert "A SOURCE covers the whole phrase" in panel.browser.toPlainText()
    assert panel.browser.toPlainText().startswith("News guidelines")  # Markdown, rendered
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert panel.editing and panel.editor.toPlainText() == GUIDE
    panel.editor.selectAll()
    qtbot.keyClicks(panel.editor, "Tag numbers as QUANTITY.")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert not panel.editing
    assert services.projects.get("News").guidelines == "Tag numbers as QUANTITY.\n"
    assert panel.browser.toPlainText().strip() == "Tag numbers as QUANTITY."
    # Cancel leaves them as they were.
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.editor, " And dates.")
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert services.projects.get("News").guidelines == "Tag numbers as QUANTITY.\n"


def test_a_project_without_guidelines_says_how_to_set_them(qtbot, window: MainWindow) -> None:
    assert "No guidelines yet" in window.guidelines.browser.toPlainText()
    (view_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "View"]
    assert window.guidelines_dock.toggleViewAction() in view_menu.actions()


def test_label_descriptions_show_on_hover_in_the_labels_panel_and_the_f1_card(
    qtbot, window: MainWindow
) -> None:
    from PySide6.QtWidgets import QLabel

    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_F1)
    assert window.help_overlay.isVisible()
    names = window.help_overlay.findChildren(QLabel, "helpText")
    (person,) = [n for n in names if n.text().startswith("PERSON")]
    assert person.toolTip() == "People, including fictional"
    palette = window.editor.palette_widget
    action = palette.actions_by_label()["PERSON"]
    assert "People, including fictional" in action.toolTip()
