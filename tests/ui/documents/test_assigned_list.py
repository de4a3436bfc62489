"""The document list of an annotator with assigned documents: theirs by default, in order, with
their progress; the "Mine" box shows every document again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from labeler.app import open_services
from labeler.domain.document import Document
from labeler.storage.database import Database
from labeler.ui.main_window import MainWindow


@pytest.fixture
def services(tmp_path: Path):
    db = str(tmp_path / "team.db")
    services = open_services(db)
    project = services.projects.create("News", "news")
    setup = Database(db)
    with setup.transaction() as store:
        store.documents.add_many(
            project.id, [Document(f"Story {i} about the port.", f"Story {i}") for i in range(6)]
        )
    setup.close()
    services.assignments.assign(project, ["ana", "bo"], per_document=1, seed=3)
    yield services
    services.close()


def titles(window: MainWindow) -> list[str]:
    model = window.documents
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_the_list_shows_the_annotators_documents_with_progress(qtbot, services, tmp_path) -> None:
    project = services.projects.get("News")
    anas = services.assignments.document_ids(project, "ana")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, "ana", settings)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # the window's shortcuts (mark done) need it active
        window.show()
        window.activateWindow()
    bar = window.filter_bar
    assert bar.assigned_box.isVisible() and bar.assigned_box.isChecked()
    assert titles(window) == [services.documents.get(i).title for i in anas]
    assert bar.progress_label.text() == f"0 / {len(anas)} done"
    qtbot.waitUntil(lambda: window.editor.session is not None)
    window.document_view.selectRow(0)
    qtbot.waitUntil(lambda: window.workspace.document_id == anas[0])
    qtbot.keyClick(window.text_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bar.progress_label.text() == f"1 / {len(anas)} done")
    qtbot.mouseClick(bar.assigned_box, Qt.MouseButton.LeftButton)
    assert not bar.assigned_box.isChecked()
    assert len(titles(window)) == 6
    # Someone with nothing assigned sees no such box.
    window.annotator = "cy"
    assert not bar.assigned_box.isVisible()
    assert len(titles(window)) == 6
