"""The right speaker in the window: a source's `refers_to` moves to the person heading it when
that person is labelled after the organisation, as one undoable step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from labeler.domain.who_said_what import attribution_rows
from labeler.services.resources import builtin_schemas
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from tests.ui.support import add_project, drag_select, press

TEXT = "The spokesman of the Halden Port Authority, Ana Reyes, said the port would reopen."
SOURCE = "The spokesman of the Halden Port Authority, Ana Reyes"


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    add_project(services, tmp_path, [TEXT], schema=str(builtin_schemas()["news"]))
    return services


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
