"""The document list filtered by status: no count, a page read at a time as it is scrolled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableView

from labeler.domain.annotation import Status
from labeler.domain.document import Document, DocumentQuery
from labeler.domain.project import Project
from labeler.services.documents import DocumentIds, DocumentService
from labeler.services.projects import ProjectService
from labeler.storage.annotation_repository import NewSet
from labeler.storage.database import Database
from labeler.ui.documents.document_list_model import DocumentListModel

# Title -> status of ana's set (None: no set, so todo)
STATUSES = {
    "Port strike ends": Status.DONE,
    "Budget vote": None,
    "Flood aid arrives": Status.TODO,
    "Ferry delayed": Status.SKIPPED,
    "Mayor resigns": None,
    "Bridge reopens": Status.DONE,
}


@pytest.fixture
def listed(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[DocumentListModel, Project, list[int]]]:
    monkeypatch.setattr(DocumentIds, "PAGE", 1)  # a page a row: the list grows row by row
    db = Database(str(tmp_path / "list.db"))
    db.open()
    project = ProjectService(db).create("News", "news")
    with db.transaction() as store:
        ids = store.documents.add_many(
            project.id,  # type: ignore[arg-type]
            [Document(f"{title}.", title) for title in STATUSES],
        )
        ana = store.annotations.annotator_ids(["ana"])["ana"]
        store.annotations.add_sets(
            [
                NewSet(doc_id, ana, status, [], [])
                for doc_id, status in zip(ids, STATUSES.values(), strict=True)
                if status is not None
            ]
        )
    model = DocumentListModel(DocumentService(db))
    model.set_project(project)
    yield model, project, ids
    db.close()


def _titles(model: DocumentListModel) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_a_status_filter_shows_its_first_page_and_reads_on_when_asked(
    qtmodeltester, listed
) -> None:
    model, _, ids = listed
    model.set_query(DocumentQuery(status=Status.TODO))
    assert _titles(model) == ["Budget vote"]  # one page read, nothing counted
    assert model.canFetchMore()
    model.fetchMore()
    assert _titles(model) == ["Budget vote", "Flood aid arrives"]
    assert model.row_of(ids[4]) == 2  # a document further on: the list reads on to it
    assert _titles(model) == ["Budget vote", "Flood aid arrives", "Mayor resigns"]
    model.fetchMore()
    assert not model.canFetchMore()
    assert model.row_of(ids[0]) is None  # done, not in the list
    model.set_query(DocumentQuery(status=Status.DONE))
    qtmodeltester.check(model, force_py=True)  # it fetches more, and checks the rows it gets
    assert _titles(model) == ["Port strike ends", "Bridge reopens"]


def test_a_view_reads_on_as_it_is_scrolled(qtbot, listed) -> None:
    model, _, _ = listed
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)
    model.set_query(DocumentQuery(status=Status.DONE, annotator="ana"))
    # The view asks for more while its rows do not fill it, up to the last one.
    qtbot.waitUntil(lambda: not model.canFetchMore())
    assert _titles(model) == ["Port strike ends", "Bridge reopens"]
    assert view.model().rowCount() == 2
    model.set_query(DocumentQuery(status=Status.SKIPPED, descending=True))
    qtbot.waitUntil(lambda: not model.canFetchMore())
    assert _titles(model) == ["Ferry delayed"]
