"""The login dialog for a team database: what failed is said in it, it stays open, and it
remembers server, database and user but never the password."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from labeler.app import open_services
from labeler.cli import build_cli
from labeler.domain.team import Role
from labeler.ui.dialogs.login_dialog import LoginDialog
from tests.team_setup import make_team

pytestmark = pytest.mark.postgres


def type_into(qtbot, dialog: LoginDialog, **values: str) -> None:
    for key, value in values.items():
        edit = dialog.fields[key]
        edit.clear()
        qtbot.keyClicks(edit, value)


def log_in(qtbot, dialog: LoginDialog) -> None:
    qtbot.keyClick(dialog.fields["password"], Qt.Key.Key_Return)


def test_a_wrong_password_is_said_and_the_right_one_opens(qtbot, postgres, tmp_path: Path) -> None:
    team = make_team(postgres)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    url = team.owner_url.replace("postgres@", "")  # server and database, nobody yet
    dialog = LoginDialog(open_services, settings, url)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.fields["server"].text() == f"127.0.0.1:{postgres.port}"
    assert dialog.fields["database"].text() == url.rsplit("/", 1)[1]
    type_into(qtbot, dialog, user=team.alice, password="not hers")
    log_in(qtbot, dialog)
    assert dialog.isVisible()
    assert "wrong password or user name" in dialog.error_label.text()
    assert "not hers" not in dialog.error_label.text()
    type_into(qtbot, dialog, password=team.passwords[team.alice])
    log_in(qtbot, dialog)
    assert dialog.services is not None
    try:
        assert not dialog.isVisible()
        assert dialog.services.team.identity().name == team.alice
    finally:
        dialog.services.close()
    assert settings.value("team/user") == team.alice
    assert settings.value("team/server") == f"127.0.0.1:{postgres.port}"
    settings.sync()
    assert team.passwords[team.alice] not in Path(settings.fileName()).read_text()
    again = LoginDialog(open_services, settings)
    qtbot.addWidget(again)
    assert again.fields["user"].text() == team.alice
    assert again.fields["password"].text() == ""


def test_an_unreachable_server_and_no_project_are_said(qtbot, postgres, tmp_path: Path) -> None:
    team = make_team(postgres)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = LoginDialog(open_services, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog, server="127.0.0.1:1", database="x", user="y", password="z")
    log_in(qtbot, dialog)
    assert "the server is unreachable" in dialog.error_label.text()
    owner = open_services(team.owner_url)
    try:
        password = owner.team.add(f"newcomer{team.lead}", Role.ANNOTATOR)
    finally:
        owner.close()
    database = team.owner_url.rsplit("/", 1)[1]
    type_into(
        qtbot,
        dialog,
        server=f"127.0.0.1:{postgres.port}",
        database=database,
        user=f"newcomer{team.lead}",
        password=password,
    )
    log_in(qtbot, dialog)
    assert dialog.isVisible() and dialog.services is None
    assert "is not a member of any project" in dialog.error_label.text()


def test_the_window_command_hands_a_refused_team_database_to_the_login(postgres) -> None:
    team = make_team(postgres)
    asked: list[tuple[str | None, str]] = []

    def log_in_window(url: str | None, why: str) -> int:
        asked.append((url, why))
        return 0

    cli = build_cli(open_services, lambda _services: 5, None, log_in_window)
    url = team.url(team.alice, "wrong")
    assert cli(["--db", url]) == 0
    assert asked and asked[0][0] == url
    assert "wrong password or user name" in asked[0][1]
    assert cli(["--db", team.url(team.alice)]) == 5  # a good URL opens the window at once
