"""A project made in the window: on a built-in schema, from a TOML file, and refused with the
reason when the name is taken or the file is broken."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from labeler.services.resources import builtin_schemas
from labeler.services.workspace import Services
from labeler.ui.dialogs.new_project_dialog import NewProjectDialog
from labeler.ui.main_window import MainWindow
from labeler.ui.schema.schema_choosers import SchemaChoosers


@pytest.fixture
def annotator() -> str:
    return "lead"


def create_button(dialog: NewProjectDialog):
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def test_a_project_on_the_news_schema_is_made_and_opened(
    qtbot, window: MainWindow, services: Services
) -> None:
    assert window.project_box.count() == 0
    assert "New project" in window.text_view.placeholderText()
    dialog = window.show_new_project()
    qtbot.keyClicks(dialog.name, "Port strike")
    assert dialog.schema.currentText() == "news"
    qtbot.mouseClick(create_button(dialog), Qt.MouseButton.LeftButton)
    assert [p.name for p in services.projects.list()] == ["Port strike"]
    assert window.project_box.currentText() == "Port strike"
    assert window.editor.schema.has_label("CLAIM")
    assert not dialog.isVisible()


def test_a_taken_name_and_a_broken_file_are_said_in_the_dialog(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    services.projects.create("Port strike", "news")
    broken = tmp_path / "mine.toml"
    broken.write_text('[schema]\nname = "mine"\n\n[layers.entity]\ncolour = "red"\n', "utf-8")
    window.schema_choosers = SchemaChoosers(open_file=lambda _parent: broken)
    dialog = window.show_new_project()
    qtbot.keyClicks(dialog.name, "Port strike")
    qtbot.mouseClick(create_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "Port strike" in dialog.problem.text() and dialog.problem.isVisible()
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Mine")
    dialog.schema.setCurrentIndex(dialog.schema.count() - 1)
    dialog.schema.activated.emit(dialog.schema.count() - 1)  # as a person choosing it does
    assert dialog.schema.currentText() == str(broken)
    qtbot.mouseClick(create_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "mine.toml:5" in dialog.problem.text()
    assert [p.name for p in services.projects.list()] == ["Port strike"]


def test_another_file_can_be_chosen_after_a_broken_one(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[schema\n", "utf-8")
    good = tmp_path / "good.toml"
    good.write_text(builtin_schemas()["news"].read_text("utf-8"), "utf-8")
    files = iter([broken, good])
    window.schema_choosers = SchemaChoosers(open_file=lambda _parent: next(files))
    dialog = window.show_new_project()
    qtbot.keyClicks(dialog.name, "Mine")
    last = dialog.schema.count() - 1
    for _ in range(2):
        dialog.schema.setCurrentIndex(last)
        dialog.schema.activated.emit(last)
        if dialog.schema.currentText() == str(broken):
            qtbot.mouseClick(create_button(dialog), Qt.MouseButton.LeftButton)
            assert "broken.toml" in dialog.problem.text()
    assert dialog.schema.currentText() == str(good)
    qtbot.mouseClick(create_button(dialog), Qt.MouseButton.LeftButton)
    assert [p.name for p in services.projects.list()] == ["Mine"]


def test_a_schema_made_from_a_brat_annotation_conf(
    qtbot, window: MainWindow, services: Services, tmp_path: Path
) -> None:
    conf = tmp_path / "annotation.conf"
    conf.write_text(
        "[entities]\nPerson\nGPE\n[relations]\nLocated Arg1:Person, Arg2:GPE\n"
        "[events]\nMove Mover:Person, To?:GPE\n[attributes]\nNegated Arg:<EVENT>\n",
        "utf-8",
    )
    window.schema_choosers = SchemaChoosers(schema_source=lambda _parent: conf)
    dialog = window.show_new_project()
    qtbot.keyClicks(dialog.name, "From brat")
    source_item = dialog.schema.count() - 2
    dialog.schema.setCurrentIndex(source_item)
    dialog.schema.activated.emit(source_item)  # as a person choosing it does
    assert dialog.schema.currentText() == str(conf)
    qtbot.mouseClick(create_button(dialog), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    schema = services.projects.get("From brat").schema
    assert [label.name for label in schema.labels()] == ["Person", "GPE", "Move"]
    assert schema.relation_type("Mover").heads == ("Move",)
    assert window.project_box.currentText() == "From brat"
    assert window.editor.schema.has_label("Move")
