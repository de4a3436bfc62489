"""Live progress on a team database: a change another person makes reaches the lead's open
progress view within two seconds, without a refresh; SQLite has nothing to follow."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from labeler.app import open_services
from labeler.domain.annotation import Status
from labeler.ui.main_window import MainWindow
from tests.team_setup import make_team


def cell(window: MainWindow, row: int, column: int) -> str:
    assert window.progress_dialog is not None
    item = window.progress_dialog.table.item(row, column)
    return item.text() if item is not None else ""


@pytest.mark.postgres
def test_the_leads_progress_view_follows_an_annotators_work(qtbot, postgres, tmp_path: Path):
    team = make_team(postgres)
    lead = open_services(team.url(team.lead))
    alice = open_services(team.url(team.alice))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(lead, None, settings)
    try:
        ours = lead.projects.get("Ours")
        lead.assignments.assign(ours, [team.alice, team.bob], per_document=1, seed=1)
        # closed by hand below, before the services (not again by qtbot after them)
        window.show()
        assert window.actions.progress_action.isVisible()
        window.actions.progress_action.trigger()
        assert window.progress_dialog is not None and window.progress_dialog.isVisible()
        assert [cell(window, 0, 0), cell(window, 0, 1)] == [team.alice, "0"]
        mine = alice.assignments.document_ids(ours, team.alice)
        session = alice.annotations.open(ours, mine[0], team.alice)
        session.add_span(0, 3, "PERSON")
        session.set_status(Status.DONE)
        began = time.monotonic()
        qtbot.waitUntil(lambda: cell(window, 0, 1) == "1", timeout=2000)
        assert time.monotonic() - began < 2
        assert window.progress_dialog.summary.text().startswith("1 / ")
        # The open document's set is read after the first paint: read it now, so that nothing
        # reaches for the database once the services below are closed.
        qtbot.waitUntil(lambda: window.editor.session is not None)
        assert window.editor.session.annotations.annotator == team.lead
    finally:
        window.close()
        lead.close()
        alice.close()


def test_sqlite_has_no_feed(qtbot, tmp_path: Path) -> None:
    services = open_services(str(tmp_path / "one.db"))
    try:
        assert not services.live.available
        assert services.live.watch(lambda _document_id: None) is None
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(services, "ana", settings)
        # closed by hand below, before the services (not again by qtbot after them)
        window.close()
    finally:
        services.close()


@pytest.mark.postgres
def test_the_feed_logs_in_with_a_password_holding_a_space_and_a_quote(postgres) -> None:
    team = make_team(postgres)
    assert " " in team.passwords[team.bob] and "'" in team.passwords[team.bob]
    bob = open_services(team.url(team.bob))
    alice = open_services(team.url(team.alice))
    seen: list[int] = []
    stop = bob.live.watch(seen.append)
    assert stop is not None
    try:
        ours = alice.projects.get("Ours")
        alice.annotations.open(ours, team.ours_docs[0], team.alice).add_span(0, 3, "PERSON")
        deadline = time.monotonic() + 2
        while not seen and time.monotonic() < deadline:
            time.sleep(0.01)
        assert seen == [team.ours_docs[0]]
    finally:
        stop()
        bob.close()
        alice.close()
