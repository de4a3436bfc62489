"""Import and export from the window: drop files, work off the GUI thread, cancel, summaries."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from labeler.assist.string_matcher import StringMatcherRecommender
from labeler.domain.annotation import Status
from labeler.domain.document import DocumentQuery
from labeler.services.curation import CURATED
from labeler.services.importing import ImportCancelled
from labeler.services.sample import SAMPLE_PROJECT, seed_sample
from labeler.services.workspace import Services
from labeler.ui.dialogs.export_dialog import ExportDialog
from labeler.ui.dialogs.import_dialog import ImportDialog
from labeler.ui.main_window import MainWindow
from tests.ui.support import add_project


@pytest.fixture
def services(services: Services, tmp_path: Path) -> Services:
    """An empty project "News" on the news schema."""
    add_project(services, tmp_path)
    return services


def drop(widget, paths: list[Path]) -> None:
    """Drags local files onto a widget and drops them, as a file manager does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = widget.rect().center()
    action = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, action, mime, buttons, keys)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(widget, QDropEvent(QPoint(pos).toPointF(), action, mime, buttons, keys))


def articles(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text("date 2026-05-04 Mayor resigns\nThe mayor resigned.", "utf-8")
    (folder / "b.txt").write_bytes("Ferry delayed 🙂\r\nThe ferry was late.".encode("utf-16"))
    return folder


def test_dropping_files_on_the_window_imports_them(qtbot, services, tmp_path: Path) -> None:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert window.documents.rowCount() == 0
    assert "Drop article files" in window.text_view.placeholderText()
    drop(window, [articles(tmp_path / "in")])
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.paths() == [tmp_path / "in"]
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as done:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert done.args[0].imported == 2
    assert "Imported 2 documents" in dialog.report_view.toPlainText()
    assert dialog.cancel_button.text() == "Close"
    # The list shows the new documents, and the stored data is right.
    assert window.documents.rowCount() == 2
    assert window.documents.index(1, 0).data() == "Ferry delayed 🙂"
    rows = services.documents.summaries(services.projects.get("News"))
    assert "\r" not in services.documents.get(rows[1].id).text


def test_a_bad_file_stores_nothing_and_says_where(qtbot, services, tmp_path: Path) -> None:
    folder = articles(tmp_path / "in")
    (folder / "c.txt").write_bytes(b"Title\nbad \xff byte\n")
    dialog = ImportDialog(services, "News", [folder])
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.runner.failed, timeout=20_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert "Nothing was imported" in dialog.status.text()
    assert "c.txt:2: invalid UTF-8 byte 0xff" in dialog.status.text()
    assert services.documents.count(services.projects.get("News")) == 0
    # Skipping bad records imports the rest.
    dialog.skip_bad.setChecked(True)
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    text = dialog.report_view.toPlainText()
    assert "Imported 2 documents" in text and "skipped" in text and "c.txt:2" in text


class _SlowImporter:
    """Stands in for the import service: works until it is cancelled."""

    def import_paths(self, project, paths, *, cancelled, **_options):
        while not cancelled():
            time.sleep(0.01)
        raise ImportCancelled("import cancelled; nothing was stored")


def test_cancel_stops_a_running_import(qtbot, services, tmp_path: Path) -> None:
    slow = dataclasses.replace(services, importer=_SlowImporter())
    dialog = ImportDialog(slow, "News", [articles(tmp_path / "in")])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.runner.is_running()
    assert not dialog.start_button.isEnabled()
    with qtbot.waitSignal(dialog.runner.failed, timeout=5_000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert "cancelled" in dialog.status.text()
    assert dialog.isVisible()  # cancelling the work does not close the dialog
    assert dialog.start_button.isEnabled()


def test_export_dialog_follows_the_format_and_summarises(qtbot, services, tmp_path: Path) -> None:
    seed_sample(services.projects, services.importer)
    dialog = ExportDialog(services, services.projects.get(SAMPLE_PROJECT))
    qtbot.addWidget(dialog)
    dialog.show()
    names = [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())]
    assert {"jsonl", "conll", "spacy", "brat", "labelstudio"} <= set(names)
    dialog.format_box.setCurrentIndex(names.index("jsonl"))
    assert all(box.isChecked() for box in dialog.status_boxes.values())
    dialog.format_box.setCurrentIndex(names.index("conll"))
    checked = {s for s, box in dialog.status_boxes.items() if box.isChecked()}
    assert checked == {Status.DONE}
    out = tmp_path / "sample.conll"
    qtbot.keyClicks(dialog.out_path, str(out))
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as done:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert done.args[0].documents == 1
    assert out.read_text(encoding="utf-8").count("-DOCSTART-") == 1
    summary = dialog.report_view.toPlainText()
    assert "Wrote 1 document" in summary
    assert "left out 4 documents: no annotation set with status done" in summary


def test_export_dialog_splits_and_filters_layers(qtbot, services, tmp_path: Path) -> None:
    seed_sample(services.projects, services.importer)
    dialog = ExportDialog(services, services.projects.get(SAMPLE_PROJECT))
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("jsonl"))
    dialog.layer_boxes["entity"].setChecked(False)
    dialog.layer_boxes["claim"].setChecked(False)
    dialog.split.setText("60/40")
    dialog.out_path.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    files = sorted(p.name for p in (tmp_path / "out").glob("*.jsonl"))
    assert files == ["dev.jsonl", "train.jsonl"]
    lines = [
        json.loads(line)
        for name in files
        for line in (tmp_path / "out" / name).read_text("utf-8").splitlines()
    ]
    layers = {s["layer"] for x in lines for a in x["annotations"] for s in a["spans"]}
    assert layers == {"attribution"}
    # A choice that cannot work is said in the dialog, and nothing runs.
    dialog.split.setText("60/60")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert "must add up to 100" in dialog.status.text()


def test_export_dialog_writes_suggestions_as_predictions_when_ticked(
    qtbot, services, tmp_path: Path
) -> None:
    seed_sample(services.projects, services.importer)
    project = services.projects.get(SAMPLE_PROJECT)
    services.suggestions.pre_annotate(
        project, StringMatcherRecommender({"Valmera": "GPE"}, "gazetteer"), [1]
    )
    dialog = ExportDialog(services, project)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("conll"))
    assert not dialog.suggestions.isEnabled()  # CoNLL has no place for them
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("labelstudio"))
    assert dialog.suggestions.isEnabled() and not dialog.suggestions.isChecked()
    qtbot.mouseClick(dialog.suggestions, Qt.MouseButton.LeftButton)
    assert dialog.suggestions.isChecked()
    for box in dialog.status_boxes.values():
        box.setChecked(True)
    out = tmp_path / "tasks.json"
    dialog.out_path.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    tasks = json.loads(out.read_text("utf-8"))
    (prediction,) = tasks[0]["predictions"]
    assert prediction["model_version"] == "gazetteer"
    assert {r["value"]["text"] for r in prediction["result"]} == {"Valmera"}
    assert all(t["predictions"] == [] for t in tasks[1:])
    assert "and 1 suggestion, apart from the sets" in dialog.report_view.toPlainText()


def test_export_dialog_asks_before_replacing_a_file(
    qtbot, services, tmp_path: Path, monkeypatch
) -> None:
    seed_sample(services.projects, services.importer)
    dialog = ExportDialog(services, services.projects.get(SAMPLE_PROJECT))
    qtbot.addWidget(dialog)
    assert dialog.format_box.currentData() == "jsonl"  # the native format comes first
    mine = tmp_path / "notes.jsonl"
    mine.write_text("mine\n", encoding="utf-8")
    dialog.out_path.setText(str(mine))
    answers = []
    monkeypatch.setattr(dialog, "confirm_replace", lambda path: answers.append(path) or False)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert answers == [mine]
    assert not dialog.runner.is_running()
    assert mine.read_text(encoding="utf-8") == "mine\n"
    monkeypatch.setattr(dialog, "confirm_replace", lambda path: True)
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert len(mine.read_text(encoding="utf-8").splitlines()) == 5


def test_export_dialog_filters_labels_and_refuses_unknown_ones(
    qtbot, services, tmp_path: Path
) -> None:
    seed_sample(services.projects, services.importer)
    dialog = ExportDialog(services, services.projects.get(SAMPLE_PROJECT))
    qtbot.addWidget(dialog)
    dialog.out_path.setText(str(tmp_path / "people.jsonl"))
    qtbot.keyClicks(dialog.labels, "PERSN")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert "did you mean 'PERSON'" in dialog.status.text()
    dialog.labels.clear()
    qtbot.keyClicks(dialog.labels, "PERSON, ORG")
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as done:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert set(done.args[0].spans_by_label) == {"PERSON", "ORG"}


def test_export_dialog_asks_whose_sets_a_one_set_format_takes(
    qtbot, services, tmp_path: Path
) -> None:
    line = {
        "title": "Shared",
        "text": "Ada Lind said so.",
        "annotations": [
            {
                "annotator": "ana",
                "status": "done",
                "spans": [{"start": 0, "end": 8, "label": "PERSON"}],
            },
            {
                "annotator": "ben",
                "status": "done",
                "spans": [{"start": 0, "end": 3, "label": "PERSON"}],
            },
        ],
    }
    source = tmp_path / "two.jsonl"
    source.write_text(json.dumps(line) + "\n", "utf-8")
    services.importer.import_paths("News", [source])
    dialog = ExportDialog(services, services.projects.get("News"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("doccano"))
    out = tmp_path / "out.jsonl"
    dialog.out_path.setText(str(out))
    assert not dialog.whose.isVisible()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert not dialog.runner.is_running() and not out.exists()
    said = dialog.status.text()
    assert said.startswith(
        "doccano holds one annotation set per document, and 1 document has sets by several "
        "annotators (ana, ben): “Shared” (ana, ben). Nothing was written; choose whose sets go "
        "out: one annotator's, under Whose sets"
    )
    assert dialog.whose.isVisible()
    items = [dialog.whose.itemText(i) for i in range(dialog.whose.count())]
    assert items == [
        "choose…",
        "ana's sets",
        "ben's sets",
        "all of them, merged",
        "the curated (gold) sets",
    ]
    dialog.whose.setFocus()
    qtbot.keyClick(dialog.whose, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.whose, Qt.Key.Key_Down)  # ben
    assert dialog.annotators.text() == "ben" and not dialog.merge.isChecked()
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as done:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert sum(done.args[0].spans_by_label.values()) == 1
    (written,) = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [(e["start_offset"], e["end_offset"]) for e in written["entities"]] == [(0, 3)]
    assert "Wrote 1 document (1 span, 0 relations)" in dialog.report_view.toPlainText()
    # All of them, merged: the Merge box is ticked, and the export writes one merged set.
    qtbot.keyClick(dialog.whose, Qt.Key.Key_Down)
    assert dialog.merge.isChecked()
    # The curated sets: made from either annotator's spans (the first in text order kept).
    project = services.projects.get("News")
    [started] = services.curation.start_many(project, "lee", min_agree=1)
    assert started.disagreements == 1  # ana's PERSON "Ada Lind" overlaps ben's "Ada"
    gold = services.annotations.open(project, started.document_id, CURATED, curating=True)
    gold.set_status(Status.DONE)
    qtbot.keyClick(dialog.whose, Qt.Key.Key_Down)
    assert dialog.curated.isChecked() and not dialog.merge.isChecked()
    dialog.annotators.clear()
    gold_out = tmp_path / "gold.jsonl"
    dialog.out_path.setText(str(gold_out))
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    (written,) = [json.loads(x) for x in gold_out.read_text("utf-8").splitlines()]
    assert [(e["start_offset"], e["end_offset"]) for e in written["entities"]] == [(0, 3)]
    assert "Wrote 1 document (1 span, 0 relations)" in dialog.report_view.toPlainText()


def test_import_dialog_reads_offsets_in_the_unit_chosen(qtbot, services, tmp_path: Path) -> None:
    # Label Studio counts code points; this file (as labeler wrote them before) counts UTF-16.
    text = "🎉🎉 On Monday, UNESCO said"
    value = {"start": 16, "end": 22, "text": "UNESCO", "labels": ["ORG"]}
    task = {
        "data": {"text": text},
        "annotations": [{"result": [{"type": "labels", "value": value}]}],
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps([task]), "utf-8")
    dialog = ImportDialog(services, "News", [path])
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.runner.failed, timeout=20_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    said = dialog.status.text()
    assert "old.json:1: task 1: annotation 1: region 1 [16, 22) says its text is 'UNESCO'" in said
    assert "counted in UTF-16 units it fits" in said
    items = [dialog.offsets.itemText(i) for i in range(dialog.offsets.count())]
    assert items[1:] == ["code points", "UTF-16 units"]
    dialog.offsets.setCurrentIndex(2)
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    project = services.projects.get("News")
    (doc_id,) = services.documents.ids(project, DocumentQuery())
    (s,) = services.documents.annotation_sets(project, doc_id)
    assert [x.text for x in s.spans.values()] == ["UNESCO"]


def test_import_dialog_adds_the_labels_the_files_use_once_agreed(
    qtbot, services, tmp_path: Path
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Tom met Ann in Oslo.\n", "utf-8")
    (tmp_path / "in" / "a.ann").write_text(
        "T1\tPerson 0 3\tTom\nT2\tPerson 8 11\tAnn\nT3\tGPE 15 19\tOslo\nR1\tMet Arg1:T1 Arg2:T2\n",
        "utf-8",
    )
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    dialog = window.show_import([tmp_path / "in"])
    assert dialog is not None
    shown: list[str] = []
    dialog.confirm_additions = lambda _parent, listed: shown.append(listed) is None and False
    qtbot.mouseClick(dialog.add_labels, Qt.MouseButton.LeftButton)
    assert dialog.add_labels.isChecked()
    # Declined: nothing is added, nothing imported.
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert shown == [
        "add layer added\nadd label Person to added\nadd relation type Met Person → Person"
    ]
    assert dialog.status.text() == "Nothing was added or imported."
    assert not services.projects.get("News").schema.has_label("Person")
    # Agreed: added first, then imported, and the window takes the new schema.
    dialog.confirm_additions = lambda _parent, _listed: True
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as done:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert done.args[0].imported == 1
    schema = services.projects.get("News").schema
    assert schema.layer("added").labels[0].name == "Person"
    assert schema.relation_type("Met").heads == ("Person",)
    assert window.editor.schema.has_label("Person")
