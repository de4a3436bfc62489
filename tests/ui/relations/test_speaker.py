"""The right speaker in the window: a source's `refers_to` moves to the person heading it when
that person is labelled after the organisation, as one undoable step."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from labeler.app import open_services
from labeler.domain.who_said_what import attribution_rows
from labeler.services.resources import builtin_schemas
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from tests.ui.editor.test_editor import drag_select, press, show_window

TEXT = "The spokesman of the Halden Port Authority, Ana Reyes, said the port would reopen."
SOURCE = "The spokesman of the Halden Port Authority, Ana Reyes"


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    services = open_services(str(tmp_path / "speaker.db"))
    services.projects.create("News", str(builtin_schemas()["news"]))
    source = tmp_path / "articles.jsonl"
    source.write_text(json.dumps({"title": "Port", "text": TEXT}) + "\n", "utf-8")
    services.importer.import_paths("News", [source])
    yield services
    services.close()


@pytest.fixture
def window(qtbot, services: Services, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return show_window(qtbot, services, "ana", settings)


def label(qtbot, window: MainWindow, words: str, key: Qt.Key, shift: bool = False) -> None:
    start = TEXT.index(words)
    drag_select(qtbot, window, start, start + len(words))
    modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    press(qtbot, window, key, modifiers)


def speakers(services: Services, window: MainWindow) -> list[tuple[str, str]]:
    """Who said what's (source, entity) per row, from the stored set."""
    project = services.projects.get("News")
    doc_id = window.editor.session.document.id  # type: ignore[union-attr]
    (work,) = services.documents.annotation_sets(project, doc_id)
    return [(row.source, row.entity_text) for row in attribution_rows(work)]


def refers(window: MainWindow) -> list[str]:
    spans = window.editor.session.annotations.spans  # type: ignore[union-attr]
    return [
        spans[r.tail].text for r in window.text_view.relations.values() if r.type == "refers_to"
    ]


def test_the_person_labelled_last_takes_the_source_over_and_undo_gives_it_back(
    qtbot, window: MainWindow, services: Services
) -> None:
    label(qtbot, window, SOURCE, Qt.Key.Key_S)
    label(qtbot, window, "Halden Port Authority", Qt.Key.Key_O)
    assert refers(window) == ["Halden Port Authority"]
    label(qtbot, window, "Ana Reyes", Qt.Key.Key_P)
    assert refers(window) == ["Ana Reyes"]
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert refers(window) == ["Halden Port Authority"]
    assert [s.text for s in window.editor.session.annotations.spans.values()] == [  # type: ignore[union-attr]
        SOURCE,
        "Halden Port Authority",
    ]
    qtbot.keyClick(
        window.text_view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    label(qtbot, window, "said", Qt.Key.Key_V)
    assert speakers(services, window) == [(SOURCE, "Ana Reyes")]
