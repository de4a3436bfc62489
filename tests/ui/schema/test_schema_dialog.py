"""The schema dialog driven as a project lead drives it: pick a label, rename, recolour, load an
edited file, read what it would lose, confirm; then the stored spans and the editor follow."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QTreeWidget

from labeler.domain.errors import ConflictError
from labeler.domain.schema_draft import SchemaDraft
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from labeler.ui.schema.schema_choosers import SchemaChoosers
from labeler.ui.schema.schema_dialog import SchemaDialog
from tests.support import offsets
from tests.ui.support import add_project

TEXT = "Ana 😀 said the Clean Air Act cut smog at Acme."


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    """One article, TEXT, where ana has a PERSON, a LAW and an ORG."""
    add_project(services, tmp_path, [TEXT])
    project = services.projects.get("News")
    doc_id = services.documents.summaries(project)[0].id
    session = services.annotations.open(project, doc_id, "ana")
    for snippet, label in [("Ana", "PERSON"), ("Clean Air Act", "LAW"), ("Acme", "ORG")]:
        session.add_span(*offsets(TEXT, snippet), label)
    return services


class Lead:
    """What the lead answers when the dialog asks: texts in turn, one colour, files."""

    def __init__(self, tmp_path: Path) -> None:
        self.texts: list[str] = []
        self.color = QColor("#123456")
        self.saved = tmp_path / "saved.toml"
        self.to_load = tmp_path / "edited.toml"

    def choosers(self) -> SchemaChoosers:
        return SchemaChoosers(
            color=lambda _parent, _current: self.color,
            text=lambda _parent, _title, _prompt, _default: self.texts.pop(0),
            open_file=lambda _parent: self.to_load,
            save_file=lambda _parent: self.saved,
        )


@pytest.fixture
def window(qtbot, window: MainWindow) -> MainWindow:
    """The window, once the article is open."""
    qtbot.waitUntil(lambda: window.editor.session is not None)
    return window


def click_item(qtbot, tree: QTreeWidget, name: str) -> None:
    flags = Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive
    item = tree.findItems(name, flags, 0)[0]
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tree.currentItem() is item


def click(qtbot, dialog, text: str) -> None:
    buttons = [b for b in dialog.findChildren(QPushButton) if b.text() == text]
    assert buttons, text
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)


def open_dialog(qtbot, window: MainWindow, lead: Lead) -> SchemaDialog:
    window.schema_choosers = lead.choosers()
    window.actions.schema_action.trigger()
    dialog = window.findChild(SchemaDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def stored_spans(services: Services, annotator: str = "ana") -> list[tuple[str, str]]:
    project = services.projects.get("News")
    doc_id = services.documents.summaries(project)[0].id
    sets = services.documents.annotation_sets(project, doc_id)
    (found,) = [s for s in sets if s.annotator == annotator]
    return sorted((s.label, s.text) for s in found.spans.values())


def without_label(toml: str, label: str) -> str:
    return re.sub(rf"\[layers\.\w+\.labels\.{label}\]\n(?:[^\[\n][^\n]*\n)*\n?", "", toml)


def remove_law_and_confirm(qtbot, dialog):
    """Removes LAW in the dialog and presses OK; returns the confirmation that asks."""
    click_item(qtbot, dialog.labels, "LAW")
    click(qtbot, dialog, "Remove")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    return dialog.confirmation


def test_rename_recolour_then_load_a_file_dropping_a_used_label(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    lead = Lead(tmp_path)
    dialog = open_dialog(qtbot, window, lead)
    click_item(qtbot, dialog.labels, "PERSON")
    lead.texts = ["HUMAN"]
    click(qtbot, dialog, "Rename…")
    assert dialog.labels.currentItem().text(0) == "HUMAN"
    click_item(qtbot, dialog.labels, "ORG")
    click(qtbot, dialog, "Colour…")
    assert dialog.labels.currentItem().text(1) == "#123456"
    assert dialog.changes.toPlainText().splitlines() == [
        "rename label PERSON → HUMAN",
        "recolour label ORG #64b5f6 → #123456",
    ]
    click(qtbot, dialog, "Save TOML…")
    lead.to_load.write_text(without_label(lead.saved.read_text("utf-8"), "LAW"), "utf-8")
    click(qtbot, dialog, "Load TOML…")
    assert dialog.problem.text() == ""
    assert "remove label LAW" in dialog.changes.toPlainText()
    assert not dialog.labels.findItems("LAW", Qt.MatchFlag.MatchRecursive, 0)

    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    confirmation = dialog.confirmation
    assert confirmation is not None and confirmation.isVisible()
    assert confirmation.orphan_lines() == ["remove label LAW: 1 span"]
    assert stored_spans(services) == [("LAW", "Clean Air Act"), ("ORG", "Acme"), ("PERSON", "Ana")]
    qtbot.mouseClick(
        confirmation.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert stored_spans(services) == [("HUMAN", "Ana"), ("ORG", "Acme")]
    project = services.projects.get("News")
    assert project.schema.label("ORG").color == "#123456"
    assert project.schema_source == lead.to_load.read_text("utf-8")  # the file, as written
    palette = list(window.editor.palette_widget.actions_by_label())
    assert "HUMAN" in palette and "PERSON" not in palette and "LAW" not in palette
    assert window.labels_dock.widget() is window.editor.palette_widget
    session = window.editor.session
    assert session is not None and session.schema == project.schema
    assert sorted(s.label for s in session.annotations.spans.values()) == ["HUMAN", "ORG"]
    assert "Schema of News changed: 1 span deleted" in window.statusBar().currentMessage()


def test_a_removed_label_can_be_carried_to_another_in_the_confirmation(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    lead = Lead(tmp_path)
    dialog = open_dialog(qtbot, window, lead)
    confirmation = remove_law_and_confirm(qtbot, dialog)
    assert confirmation is not None
    box = confirmation.carry_boxes["LAW"]
    box.setCurrentIndex(box.findData("WORK_OF_ART"))
    assert confirmation.orphan_lines() == ["LAW: carried to WORK_OF_ART"]
    assert confirmation.summary.text() == "In all: no annotations lost."
    qtbot.mouseClick(
        confirmation.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert ("WORK_OF_ART", "Clean Air Act") in stored_spans(services)


def test_cancelling_the_confirmation_changes_nothing(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    lead = Lead(tmp_path)
    dialog = open_dialog(qtbot, window, lead)
    confirmation = remove_law_and_confirm(qtbot, dialog)
    assert confirmation is not None
    qtbot.mouseClick(
        confirmation.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        Qt.MouseButton.LeftButton,
    )
    assert dialog.isVisible()
    assert ("LAW", "Clean Air Act") in stored_spans(services)
    assert services.projects.get("News").schema.has_label("LAW")


def test_a_bad_edit_is_shown_in_the_dialog_and_changes_nothing(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    lead = Lead(tmp_path)
    dialog = open_dialog(qtbot, window, lead)
    click_item(qtbot, dialog.labels, "PERSON")
    lead.texts = ["ORG"]
    click(qtbot, dialog, "Rename…")
    assert "already" in dialog.problem.text()
    assert dialog.changes.toPlainText() == ""
    click_item(qtbot, dialog.attributes, "checkworthy")
    lead.texts = ["priority"]
    click(qtbot, dialog, "Add value…")
    assert dialog.changes.toPlainText() == "add value checkworthy=priority"


def test_f5_takes_a_schema_changed_elsewhere(qtbot, window: MainWindow, services: Services) -> None:
    # Another lead renames FAC, which no span of the open set has, while this window is open.
    project = services.projects.get("News")
    draft = SchemaDraft(project.schema)
    draft.rename_label("FAC", "FACILITY")
    done = services.schemas.apply(project, draft.schema, draft.renames())
    assert done.applied.sets_changed == 0
    session = window.editor.session
    assert session is not None
    start = TEXT.index("smog")
    with pytest.raises(ConflictError):  # the open set moved on with the change all the same
        session.add_span(start, start + 4, "FAC")

    qtbot.keyClick(window.text_view, Qt.Key.Key_F5)
    palette = list(window.editor.palette_widget.actions_by_label())
    assert "FACILITY" in palette and "FAC" not in palette
    assert window.labels_dock.widget() is window.editor.palette_widget
    session = window.editor.session
    assert session is not None and session.schema == services.projects.get("News").schema
    session.add_span(start, start + 4, "FACILITY")
    assert ("FACILITY", "smog") in stored_spans(services)


def test_counts_changed_while_confirming_are_shown_and_change_nothing(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    lead = Lead(tmp_path)
    dialog = open_dialog(qtbot, window, lead)
    confirmation = remove_law_and_confirm(qtbot, dialog)
    assert confirmation is not None
    assert confirmation.orphan_lines() == ["remove label LAW: 1 span"]
    project = services.projects.get("News")
    doc_id = services.documents.summaries(project)[0].id
    start = TEXT.index("Clean Air Act")
    services.annotations.open(project, doc_id, "bob").add_span(start, start + 5, "LAW")
    qtbot.mouseClick(
        confirmation.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.isVisible()
    assert "counts changed" in dialog.problem.text()
    assert services.projects.get("News").schema.has_label("LAW")
    assert ("LAW", "Clean Air Act") in stored_spans(services, "ana")


def test_carrying_spans_where_they_would_overlap_is_not_offered(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    project = services.projects.get("News")
    doc_id = services.documents.summaries(project)[0].id
    services.annotations.open(project, doc_id, "bob").add_span(0, 3, "SOURCE")  # "Ana"
    services.annotations.open(project, doc_id, "bob").add_span(0, 3, "PERSON")
    lead = Lead(tmp_path)
    dialog = open_dialog(qtbot, window, lead)
    click_item(qtbot, dialog.labels, "SOURCE")
    click(qtbot, dialog, "Remove")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    confirmation = dialog.confirmation
    assert confirmation is not None
    ok = confirmation.buttons.button(QDialogButtonBox.StandardButton.Ok)
    box = confirmation.carry_boxes["SOURCE"]
    box.setCurrentIndex(box.findData("PERSON"))  # entity: no overlap, and PERSON "Ana" is there
    assert "layer 'entity' allows no overlap" in confirmation.problem.text()
    assert not ok.isEnabled()
    box.setCurrentIndex(box.findData("CLAIM"))
    assert confirmation.problem.text() == "" and ok.isEnabled()


def test_document_labels_are_listed_and_change_through_a_loaded_file(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    lead = Lead(tmp_path)
    dialog = open_dialog(qtbot, window, lead)
    flags = Qt.MatchFlag.MatchExactly
    (genre,) = dialog.attributes.findItems("genre", flags, 0)
    assert genre.text(1) == "the document (choice)"
    assert genre.text(2).startswith("news, analysis, opinion")
    if os.environ.get("LABELER_SHOTS"):
        dialog.grab().save(os.environ["LABELER_SHOTS"])
    click_item(qtbot, dialog.attributes, "genre")
    click(qtbot, dialog, "Add value…")  # span attributes only: says so, changes nothing
    assert "first" in dialog.problem.text() and dialog.changes.toPlainText() == ""
    edited = services.projects.get("News").schema_source.replace(
        '"feature", "press_release"]', '"feature", "press_release", "obituary"]'
    )
    assert "obituary" in edited
    lead.to_load.write_text(edited, "utf-8")
    click(qtbot, dialog, "Load TOML…")
    assert "add value genre=obituary" in dialog.changes.toPlainText()
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    choices = services.projects.get("News").schema.document_attribute("genre").values
    assert choices[-1] == "obituary"
