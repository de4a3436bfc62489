"""The first window: projects, the lazy document list, and the open document's text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from labeler.domain.document import Document, DocumentQuery
from labeler.services.sample import SAMPLE_PROJECT, seed_sample
from labeler.ui.documents.document_list_model import DocumentListModel
from labeler.ui.main_window import MainWindow


def test_sample_project_opens_and_a_click_shows_the_text(qtbot, services) -> None:
    seed_sample(services.projects, services.importer)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert window.project_box.currentText() == SAMPLE_PROJECT
    model = window.documents
    assert 4 <= model.rowCount() <= 6
    project = services.projects.get(SAMPLE_PROJECT)
    rows = services.documents.summaries(project)
    view = window.document_view
    rect = view.visualRect(model.index(2, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    expected = services.documents.get(rows[2].id)
    assert window.text_view.toPlainText() == expected.text
    assert model.index(2, 0).data() == rows[2].title
    assert expected.title in window.windowTitle()


def test_empty_project_shows_how_to_import(qtbot, services) -> None:
    services.projects.create("Empty", "news")
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert window.documents.rowCount() == 0
    assert "labeler import" in window.text_view.placeholderText()


def test_document_list_model_passes_the_model_tester(qtmodeltester, services) -> None:
    seed_sample(services.projects, services.importer)
    model = DocumentListModel(services.documents)
    model.set_project(services.projects.get(SAMPLE_PROJECT))
    qtmodeltester.check(model, force_py=True)


def test_document_list_fetches_only_the_pages_it_shows(qtbot, services) -> None:
    project = services.projects.create("Big", "news")
    _import_plain(services, "Big", [Document(f"Article {i}.", f"Title {i}") for i in range(1000)])
    calls: list[tuple[int, int | None]] = []
    real = services.documents
    all_ids = real.ids(project, DocumentQuery())

    class Counting:
        def ids(self, p, query):
            return real.ids(p, query)

        def summaries_for_ids(self, ids, annotator):
            calls.append((all_ids.index(ids[0]), len(ids)))
            return real.summaries_for_ids(ids, annotator)

    model = DocumentListModel(Counting())  # type: ignore[arg-type]
    model.set_project(project)
    assert model.rowCount() == 1000
    assert calls == []
    assert model.index(450, 0).data() == "Title 450"
    assert model.index(451, 0).data() == "Title 451"
    assert calls == [(400, 200)]


def _import_plain(services, project: str, docs: list[Document]) -> None:
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "docs.jsonl"
        path.write_text(
            "".join(json.dumps({"title": d.title, "text": d.text}) + "\n" for d in docs), "utf-8"
        )
        services.importer.import_paths(project, [path])
