"""The window on a team database: the annotator is the login, and cannot be renamed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from labeler.app import open_services
from labeler.ui.main_window import MainWindow
from tests.team_setup import make_team

pytestmark = pytest.mark.postgres


def test_a_team_account_annotates_under_its_login_only(qtbot, postgres, tmp_path: Path) -> None:
    team = make_team(postgres)
    services = open_services(team.url(team.alice))
    try:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(services, "someone-else", settings)
        # closed by hand below, before the services (not again by qtbot after them)
        window.show()
        assert window.annotator == team.alice
        assert window.annotator_label.text() == f"Annotator: {team.alice}"
        assert window.project_box.currentText() == "Ours"
        assert [window.project_box.itemText(i) for i in range(window.project_box.count())] == [
            "Ours"
        ]
        window.ask_annotator()  # would pop a dialog on SQLite; here it only explains
        assert window.annotator == team.alice
        assert f"you annotate as {team.alice}" in window.statusBar().currentMessage()
        actions = window.actions
        assert not actions.import_action.isVisible()
        assert not actions.export_action.isVisible()
        assert not actions.schema_action.isVisible()
        assert not actions.annotator_action.isVisible()
        qtbot.waitUntil(lambda: window.editor.session is not None)
        assert window.editor.session.annotations.annotator == team.alice
    finally:
        window.close()
        services.close()
