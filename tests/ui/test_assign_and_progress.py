"""The lead's assignment dialog (what `labeler assign` does, with a preview) and the progress
view: documents by status per annotator, done per day, and who works on what now."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from labeler.app import open_services
from labeler.domain.annotation import Status
from labeler.domain.errors import NotAllowedError
from labeler.services.workspace import Services
from labeler.ui.dialogs.assign_dialog import AssignDialog
from labeler.ui.main_window import MainWindow
from tests.team_setup import make_team
from tests.ui.support import add_project

TEXTS = [f"Story {i}: Ana said the port would close." for i in range(6)]


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    add_project(services, tmp_path, TEXTS)
    for name in ("alice", "bob", "carol"):  # the project's members
        services.team.join(name, "News")
    return services


def _check(dialog: AssignDialog, names: set[str]) -> None:
    for i in range(dialog.annotators.count()):
        item = dialog.annotators.item(i)
        wanted = Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked
        item.setCheckState(wanted)


def _table(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_lead_previews_and_applies_an_assignment(qtbot, window: MainWindow) -> None:
    services = window._services
    project = services.projects.get("News")
    assert window.actions.assign_action.isVisible()
    window.actions.assign_action.trigger()
    dialog = window.team.assign_dialog
    assert dialog is not None and dialog.isVisible()
    names = [dialog.annotators.item(i).text() for i in range(dialog.annotators.count())]
    assert set(names) >= {"alice", "bob", "carol"}
    assert dialog.chosen() == []  # nobody is assigned yet
    assert "Check the annotators" in dialog.preview_label.text()
    assert not dialog.assign_button.isEnabled()
    _check(dialog, {"alice", "bob"})
    assert dialog.preview_label.text() == "alice: 3 documents\nbob: 3 documents"
    dialog.per_document.setValue(2)
    assert dialog.preview_label.text() == "alice: 6 documents\nbob: 6 documents"
    dialog.per_document.setValue(1)
    qtbot.keyClicks(dialog.overlap, "\b\b\b50")  # half the documents go to both
    assert dialog.overlap.value() == 50
    assert dialog.preview_label.text().splitlines() == [
        "alice: 5 documents",
        "bob: 4 documents",
        "3 documents go to everyone (for agreement)",
    ] or dialog.preview_label.text().splitlines() == [
        "alice: 4 documents",
        "bob: 5 documents",
        "3 documents go to everyone (for agreement)",
    ]
    assert services.assignments.progress(project) == []  # a preview changes nothing
    previewed = dialog.preview_label.text()
    qtbot.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    done = {p.annotator: p.assigned for p in services.assignments.progress(project)}
    assert [f"{name}: {n} documents" for name, n in done.items()] == previewed.splitlines()[:2]
    assert window.statusBar().currentMessage().startswith("Assigned: alice: ")
    # Same seed, same deal: the dialog and the command line agree.
    again = services.assignments.preview(project, ["alice", "bob"], 1, 0.5, 0)
    assert again.assigned == done


def test_the_progress_view_shows_status_done_per_day_and_who_works_on_what(
    qtbot, window: MainWindow
) -> None:
    services = window._services
    project = services.projects.get("News")
    services.assignments.assign(project, ["alice", "bob"], per_document=1, seed=3)
    alices = services.assignments.document_ids(project, "alice")
    for document_id in alices[:2]:
        services.annotations.open(project, document_id, "alice").set_status(Status.DONE)
    bobs = services.assignments.document_ids(project, "bob")
    session = services.annotations.open(project, bobs[1], "bob")
    session.add_span(0, 5, "WORK_OF_ART")
    window.actions.progress_action.trigger()
    dialog = window.progress_dialog
    assert dialog is not None and dialog.isVisible()
    assert _table(dialog.table) == [
        ["alice", "2", "0", "0", "1", "3"],
        ["bob", "0", "1", "0", "2", "3"],
    ]
    today = dt.datetime.now(dt.UTC).date()
    bars = dialog.chart.bars()
    assert len(bars) == 14 and bars[-1] == (today, 2)
    assert all(count == 0 for _, count in bars[:-1])
    assert dialog.chart.tip(13) == f"{today.isoformat()}: 2 documents done (alice 2)"
    now = _table(dialog.now)
    assert [row[0] for row in now] == ["alice", "bob"]
    assert now[1][1:] == [f"Article {bobs[1] - 1}", "in progress", "changed just now"]
    assert now[0][2] == "done"
    dialog.grab().save(str(Path(window._settings.fileName()).parent / "progress.png"))


@pytest.mark.postgres
def test_an_annotator_may_neither_assign_nor_edit_guidelines(
    qtbot, postgres, tmp_path: Path
) -> None:
    team = make_team(postgres)
    alice = open_services(team.url(team.alice))
    window = MainWindow(alice, None, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    try:
        window.show()
        assert not window.actions.assign_action.isVisible()
        panel = window.guidelines
        assert not panel.edit_button.isVisible() and not panel.edit_button.isEnabled()
        panel.start_editing()  # a key or a script that reaches it anyway does nothing
        assert not panel.editing
        with pytest.raises(NotAllowedError):  # and the database refuses the change
            alice.projects.set_guidelines("Ours", "My own rules")
        with pytest.raises(NotAllowedError, match="only a lead may assign"):
            alice.assignments.preview(alice.projects.get("Ours"), [team.alice], 1)
        qtbot.waitUntil(lambda: window.editor.session is not None)
    finally:
        window.close()
        alice.close()
    lead = open_services(team.url(team.lead))
    window = MainWindow(lead, None, QSettings(str(tmp_path / "l.ini"), QSettings.Format.IniFormat))
    try:
        window.show()
        assert window.actions.assign_action.isVisible()
        assert window.guidelines.edit_button.isVisible()
        assert lead.projects.set_guidelines("Ours", "Lead's rules").guidelines == "Lead's rules\n"
        qtbot.waitUntil(lambda: window.editor.session is not None)
    finally:
        window.close()
        lead.close()


def _now(window: MainWindow) -> dict[str, list[str]]:
    dialog = window.progress_dialog
    assert dialog is not None
    return {row[0]: row[1:] for row in _table(dialog.now)}


@pytest.mark.postgres
def test_the_lead_sees_live_who_has_which_document_open(qtbot, postgres, tmp_path: Path) -> None:
    team = make_team(postgres)
    lead = open_services(team.url(team.lead))
    alice = open_services(team.url(team.alice))
    settings = QSettings(str(tmp_path / "l.ini"), QSettings.Format.IniFormat)
    window = MainWindow(lead, None, settings)
    annotating: MainWindow | None = None
    try:
        window.show()
        qtbot.waitUntil(lambda: window.editor.session is not None)
        window.actions.progress_action.trigger()
        assert team.alice not in _now(window)
        annotating = MainWindow(
            alice, None, QSettings(str(tmp_path / "a.ini"), QSettings.Format.IniFormat)
        )
        annotating.show()
        qtbot.waitUntil(lambda: annotating.editor.session is not None)
        qtbot.waitUntil(lambda: team.alice in _now(window), timeout=2000)
        document = annotating.editor.session.document
        assert _now(window)[team.alice] == [
            f"(untitled {document.id})",
            "to do",
            "open since just now",
        ]
        with team.connect(team.alice) as conn:  # annotators see only their own presence
            rows = conn.execute(
                "SELECT a.name FROM presence p JOIN annotator a ON a.id = p.annotator_id"
            )
            assert rows.fetchall() == [(team.alice,)]
        annotating.close()
        qtbot.waitUntil(lambda: team.alice not in _now(window), timeout=2000)
    finally:
        if annotating is not None:
            annotating.close()
        window.close()
        alice.close()
        lead.close()
