"""The window and the projects: the last one opens again, ones made meanwhile appear (F5, focus),
and a new project leaves nothing of the previous one on screen."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from labeler.app import open_services
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from tests.ui.editor.test_editor import show_window

TEXT = "Ana Reyes said the port would reopen."


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    services = open_services(str(tmp_path / "projects.db"))
    services.projects.create("Alpha", "news")
    record = {
        "title": "Port reopens",
        "text": TEXT,
        "annotations": [
            {
                "annotator": "bo",
                "status": "done",
                "spans": [
                    {
                        "layer": "entity",
                        "label": "PERSON",
                        "start": 0,
                        "end": 9,
                        "text": "Ana Reyes",
                    }
                ],
            }
        ],
    }
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps(record) + "\n", "utf-8")
    services.importer.import_paths("Alpha", [source])
    services.projects.create("Beta", "news")
    yield services
    services.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def box(window: MainWindow) -> list[str]:
    return [window.project_box.itemText(i) for i in range(window.project_box.count())]


def test_the_project_open_last_opens_again(qtbot, services: Services, settings) -> None:
    window = show_window(qtbot, services, "ana", settings)
    assert window.workspace.project_name == "Alpha"  # the first, the first time
    window.project_box.setCurrentText("Beta")
    assert window.workspace.project_name == "Beta"
    window.close()
    again = show_window(qtbot, services, "ana", settings)
    assert again.workspace.project_name == "Beta"
    assert again.project_box.currentText() == "Beta"
    assert again.windowTitle() == "Beta — labeler"


def test_projects_made_meanwhile_appear_on_f5_and_on_focus(
    qtbot, services: Services, settings
) -> None:
    window = show_window(qtbot, services, "ana", settings)
    document = window.workspace.document_id
    services.projects.create("Gamma", "news")  # as the command line or a colleague would
    assert box(window) == ["Alpha", "Beta"]
    qtbot.keyClick(window.text_view, Qt.Key.Key_F5)
    assert box(window) == ["Alpha", "Beta", "Gamma"]
    assert window.workspace.project_name == "Alpha"
    assert window.workspace.document_id == document  # the open document stays open
    services.projects.create("Delta", "news")
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))  # focus comes back
    assert box(window) == ["Alpha", "Beta", "Delta", "Gamma"]
    assert window.project_box.currentText() == "Alpha"


def test_a_new_project_leaves_nothing_of_the_previous_one(
    qtbot, services: Services, settings
) -> None:
    window = show_window(qtbot, services, "ana", settings)
    offer = window.editor.offer
    assert window.windowTitle() == "Port reopens — labeler"
    assert offer.isVisible() and "bo" in offer.text.text()  # bo's spans, offered to ana
    dialog = window.show_new_project()
    qtbot.keyClicks(dialog.name, "Port strike")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert window.workspace.project_name == "Port strike"
    assert not offer.isVisible()
    assert window.windowTitle() == "Port strike — labeler"
    assert window.text_view.toPlainText() == ""
    assert window.editor.session is None


def test_a_closed_window_reads_nothing_when_focus_news_come_late(
    qtbot, services: Services, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The platform may tell a window it is active after it closed (and after its database
    closed): it reads nothing then, which would open a connection nobody closes."""
    window = show_window(qtbot, services, "ana", settings)
    window.close()
    services.projects.create("Delta", "news")
    monkeypatch.setattr(window, "isActiveWindow", lambda: True)  # the late notice
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    assert box(window) == ["Alpha", "Beta"]
