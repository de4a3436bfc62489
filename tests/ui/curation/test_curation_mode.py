"""Curation mode in the window: three annotators' lanes, a full curation pass by keyboard alone,
undo, and the rejections still decided after a reload."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from labeler.domain.project import Project
from labeler.services.curation import CURATED
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from tests.curation_corpus import TEXT, stored_article
from tests.ui.support import drag_select, filled, press

# The whose-version menu, on the offscreen platform.
pytestmark = pytest.mark.qt_log_ignore(
    "does not support raise", "does not support grabbing the keyboard"
)


@pytest.fixture
def db_path(db_path: Path) -> Path:
    return filled(db_path, stored_article)


@pytest.fixture
def annotator() -> str:
    return "lee"


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    window.resize(1100, 700)
    return window


def key(qtbot, window: MainWindow, text: str, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    if not window.isActiveWindow():  # a closed popup menu may leave no window active offscreen
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClicks(window.text_view, text, modifiers)


def choose(qtbot, window: MainWindow, number: str) -> None:
    """Presses a number in the whose-version menu the accept key opened."""
    menu = window.curation.chooser
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, number)
    qtbot.waitUntil(lambda: not menu.isVisible())


def stored(services: Services, project: Project, document_id: int) -> tuple[set, set, dict]:
    session = services.annotations.open(project, document_id, CURATED, curating=True)
    made = session.annotations
    spans = {(s.label, s.text, tuple(sorted(s.attributes.items()))) for s in made.spans.values()}
    relations = {
        (r.type, made.spans[r.head].text, made.spans[r.tail].text) for r in made.relations.values()
    }
    return spans, relations, {"status": made.status.value}


def current_text(window: MainWindow) -> str:
    return window.curation.bar.current.text()


def test_a_curation_pass_by_keyboard_alone(qtbot, window: MainWindow, services: Services) -> None:
    project = window.workspace.project
    assert project is not None
    document_id = window.workspace.document_id
    assert document_id is not None
    qtbot.keyClick(
        window,
        Qt.Key.Key_G,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.curation.active
    assert window.editor.session.annotator == CURATED
    assert window.windowTitle().startswith("Curating: Strike")
    bar = window.curation.bar
    assert bar.isVisible()
    assert "lanes under each line: 1 ana  2 ben  3 cy" in bar.legend.text()
    qtbot.waitUntil(lambda: "7 of 7 disagreements open" in bar.legend.text())
    # The merge of what all three agree on: the person, the cue, the claim (no type yet).
    spans, relations, _ = stored(services, project, document_id)
    assert spans == {
        ("PERSON", "Ada Lind", ()),
        ("CUE", "said", ()),
        ("CLAIM", "the mine in Oslo will close", ()),
    }
    assert relations == set()
    # Every annotator's lane is painted; cy's Oslo (ORG) is open and drawn solid.
    window.text_view.viewport().repaint()
    drawn = window.curation.lanes.drawn
    assert {who for who, _, _ in drawn} == {"ana", "ben", "cy"}
    assert any(who == "cy" and is_open for who, _, is_open in drawn)
    assert any(not is_open for _, _, is_open in drawn)  # the person all three agree on

    key(qtbot, window, "]")  # cy's SOURCE "Ada" against ana and ben's "Ada Lind"
    assert "Span SOURCE “Ada”" in current_text(window)
    key(qtbot, window, "=")
    choose(qtbot, window, "2")  # 1 cy: "Ada", 2 ana, ben: "Ada Lind"
    # Same cue, different source: ana and ben link "said" to "Ada Lind", cy to "Ada".
    assert "Relation CUE “said” →source→ SOURCE [0, 8)" in current_text(window)
    key(qtbot, window, "=")
    choose(qtbot, window, "1")  # 1 ana, ben: to "Ada Lind"; 2 cy: to "Ada"
    assert "Attribute claim_type" in current_text(window)
    key(qtbot, window, "=")
    choose(qtbot, window, "1")  # 1 ana, ben: prediction; 2 cy: event
    assert "Span GPE “Oslo”" in current_text(window)
    key(qtbot, window, "]")
    assert "Span ORG “Oslo”" in current_text(window)
    key(qtbot, window, "-")  # cy's ORG rejected; round to the one still open
    assert "Span GPE “Oslo”" in current_text(window)
    key(qtbot, window, "=")  # its rival is decided: taken at once
    qtbot.waitUntil(lambda: "0 of 7 disagreements open" in bar.legend.text())
    assert "Every disagreement is decided" in window.statusBar().currentMessage()

    spans, relations, _ = stored(services, project, document_id)
    assert spans == {
        ("PERSON", "Ada Lind", ()),
        ("CUE", "said", ()),
        ("SOURCE", "Ada Lind", ()),
        ("CLAIM", "the mine in Oslo will close", (("claim_type", "prediction"),)),
        ("GPE", "Oslo", ()),
    }
    assert relations == {("source", "said", "Ada Lind")}
    curation = services.curation.resume(project, document_id)
    assert curation.disagreements == []
    assert len(curation.rejected) == 3  # cy's "Ada", its link, ORG Oslo
    span_sources, relation_sources = services.curation.sources(curation)
    assert sorted(map(tuple, span_sources.values())).count(("ana", "ben")) == 2
    assert list(relation_sources.values()) == [["ana", "ben"]]
    window.text_view.viewport().repaint()
    assert not any(is_open for _, _, is_open in window.curation.lanes.drawn)

    # Undo takes back the last decision as one step: GPE out and open again.
    window.actions.undo_action.trigger()
    assert "GPE" not in {s.label for s in window.editor.session.annotations.spans.values()}
    key(qtbot, window, "]")
    assert "Oslo" in current_text(window)
    qtbot.waitUntil(lambda: "1 of 7 disagreements open" in bar.legend.text())
    window.actions.redo_action.trigger()
    key(qtbot, window, "]")
    qtbot.waitUntil(lambda: "0 of 7 disagreements open" in bar.legend.text())

    # Reloaded, the decisions hold; the key leaves curation mode for one's own set.
    window.curation.leave()
    window.editor.forget(document_id)
    assert window.curate_document(document_id)
    qtbot.waitUntil(lambda: "0 of 7 disagreements open" in bar.legend.text())
    qtbot.keyClick(
        window,
        Qt.Key.Key_G,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not window.curation.active and not bar.isVisible()
    assert window.editor.session.annotator == "lee"


def test_the_quality_views_double_click_opens_curation(qtbot, window: MainWindow) -> None:
    window.actions.quality_action.trigger()
    from labeler.ui.quality.quality_dialog import QualityDialog

    dialog = window.findChild(QualityDialog)
    assert dialog is not None
    dialog.document_chosen.emit(window.workspace.document_id)
    assert window.curation.active
    assert window.curation.bar.isVisible()
    dialog.close()


def test_the_name_curated_is_refused_for_an_annotator(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Curated", True))
    window.ask_annotator()
    assert window.annotator == "lee"
    assert "reserved" in window.statusBar().currentMessage()


def test_a_reopened_curated_set_is_usable_before_its_lanes_come(
    qtbot, window: MainWindow, services: Services, monkeypatch
) -> None:
    project = window.workspace.project
    document_id = window.workspace.document_id
    assert project is not None and document_id is not None
    assert window.curate_document(document_id)  # started: the merge stored, lanes at once
    bar, lanes = window.curation.bar, window.curation.lanes
    qtbot.waitUntil(lambda: "7 of 7 disagreements open" in bar.legend.text())
    window.curation.leave()
    window.editor.forget(document_id)
    # The annotators' sets are read on a worker thread: held back here until the gate opens.
    gate = threading.Event()
    plan_for = services.curation.plan_for

    def held(curation):  # type: ignore[no-untyped-def]
        assert gate.wait(10)
        return plan_for(curation)

    monkeypatch.setattr(services.curation, "plan_for", held)
    assert window.curate_document(document_id)
    curation = window.curation.curation
    assert curation is not None and not curation.ready
    assert window.editor.session.annotator == CURATED
    assert "still reading the annotators' sets" in bar.legend.text()
    assert lanes.names == []
    # The curated set is edited meanwhile: Oslo as ana and ben had it.
    start = TEXT.index("Oslo")
    drag_select(qtbot, window, start, start + 4)
    press(qtbot, window, Qt.Key.Key_G)
    spans, _, _ = stored(services, project, document_id)
    assert ("GPE", "Oslo", ()) in spans
    # The lanes come; the edit made meanwhile settled one disagreement.
    with qtbot.waitSignal(window.curation.lanes_shown, timeout=10_000):
        gate.set()
    assert curation.ready and lanes.names == ["ana", "ben", "cy"]
    assert "6 of 7 disagreements open" in bar.legend.text()
    window.text_view.viewport().repaint()
    assert {who for who, _, _ in lanes.drawn} == {"ana", "ben", "cy"}


def test_a_key_pressed_before_the_lanes_come_waits_for_them(
    qtbot, window: MainWindow, services: Services, monkeypatch
) -> None:
    document_id = window.workspace.document_id
    assert window.curate_document(document_id)
    window.curation.leave()
    window.editor.forget(document_id)
    gate = threading.Event()
    plan_for = services.curation.plan_for

    def held(curation):  # type: ignore[no-untyped-def]
        assert gate.wait(10)
        return plan_for(curation)

    monkeypatch.setattr(services.curation, "plan_for", held)
    assert window.curate_document(document_id)
    messages: list[str] = []
    window.curation.message.connect(messages.append)
    threading.Timer(0.05, gate.set).start()  # the key below holds the GUI thread
    key(qtbot, window, "]")
    assert messages[0] == "Still reading the annotators' sets…"
    assert window.curation.curation is not None and window.curation.curation.ready
    assert "Span SOURCE “Ada” [0, 3)" in current_text(window)  # the first disagreement
    assert "7 of 7 disagreements open" in window.curation.bar.legend.text()
