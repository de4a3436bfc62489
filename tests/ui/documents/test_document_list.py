"""The document list: a lazy model over a query, its filter bar, header sorting, 100,000 rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableView

from labeler.domain.annotation import Span, Status
from labeler.domain.document import Document, DocumentQuery, DocumentSummary
from labeler.domain.project import Project
from labeler.services.documents import DocumentService
from labeler.services.projects import ProjectService
from labeler.storage.annotation_repository import NewSet
from labeler.storage.database import Database
from labeler.ui.documents.document_filter_bar import DEBOUNCE_MS, DocumentFilterBar
from labeler.ui.documents.document_list_model import DocumentListModel


class CountingService:
    """The document service, counting what the model asks of it."""

    def __init__(self, real: DocumentService) -> None:
        self.real = real
        self.queries: list[DocumentQuery] = []
        self.pages: list[list[int]] = []

    def ids(self, project: Project, query: DocumentQuery) -> list[int]:
        self.queries.append(query)
        return self.real.ids(project, query)

    def summaries_for_ids(self, ids: Sequence[int], annotator: str | None) -> list[DocumentSummary]:
        self.pages.append(list(ids))
        return self.real.summaries_for_ids(ids, annotator)


@dataclass
class World:
    db: Database
    project: Project
    service: CountingService
    model: DocumentListModel
    ids: list[int]

    def titles(self) -> list[str]:
        return [self.model.index(r, 0).data() for r in range(self.model.rowCount())]

    def column(self, column: int) -> list[object]:
        return [self.model.index(r, column).data() for r in range(self.model.rowCount())]


ARTICLES = [
    ("Port strike ends", date(2026, 3, 2), "Dockers returned to work."),
    ("Budget vote", date(2026, 3, 1), "The council passed the budget."),
    ("Flood aid arrives", None, "Relief came to the port."),
    ("Ferry delayed", date(2026, 2, 27), "The ferry was late 🙂."),
    ("Mayor resigns", date(2026, 3, 4), "The mayor resigned over the budget."),
]


def _open(tmp_path: Path) -> tuple[Database, Project]:
    db = Database(str(tmp_path / "list.db"))
    db.open()
    return db, ProjectService(db).create("News", "news")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    db, project = _open(tmp_path)
    with db.transaction() as store:
        ids = store.documents.add_many(
            project.id,  # type: ignore[arg-type]
            [Document(text, title, day) for title, day, text in ARTICLES],
        )
        names = store.annotations.annotator_ids(["ana", "ben"])
        spans = [Span(0, 3, "ORG", "entity", "Por"), Span(4, 7, "ORG", "entity", "str")]
        store.annotations.add_sets(
            [
                NewSet(ids[0], names["ana"], Status.DONE, spans, []),
                NewSet(ids[1], names["ana"], Status.IN_PROGRESS, spans[:1], []),
                NewSet(ids[1], names["ben"], Status.DONE, [], []),
                NewSet(ids[3], names["ben"], Status.SKIPPED, [], []),
            ]
        )
    service = CountingService(DocumentService(db))
    model = DocumentListModel(service)  # type: ignore[arg-type]
    model.set_project(project)
    yield World(db, project, service, model, ids)
    db.close()


def test_model_passes_the_model_tester_through_changes(qtmodeltester, world: World) -> None:
    model = world.model
    qtmodeltester.check(model, force_py=True)
    # The tester stays connected and checks every signal of these changes too.
    model.set_query(DocumentQuery(text="budget"))
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_annotator("ana")
    model.refresh_document(world.ids[1])
    model.refresh()
    model.set_project(None)
    qtmodeltester.check(model, force_py=True)


def test_rows_show_title_date_status_and_spans(world: World) -> None:
    model = world.model
    assert world.titles() == [a[0] for a in ARTICLES]
    assert world.column(1) == ["2026-03-02", "2026-03-01", "", "2026-02-27", "2026-03-04"]
    assert world.column(2) == ["done", "in progress", "to do", "skipped", "to do"]
    assert world.column(3) == [2, 1, 0, 0, 0]
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Status"
    assert model.index(1, 0).data(DocumentListModel.DocumentIdRole) == world.ids[1]
    assert model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole) == "entity: 2"
    assert model.document_id(4) == world.ids[4]
    assert model.document_id(5) is None
    assert model.row_of(world.ids[3]) == 3
    assert model.row_of(-1) is None
    assert model.summary(2).title == "Flood aid arrives"  # type: ignore[union-attr]


def test_annotator_sees_their_own_status_and_spans(world: World) -> None:
    world.model.set_annotator("ben")
    assert world.model.query.annotator == "ben"
    assert world.column(2) == ["to do", "done", "to do", "skipped", "to do"]
    assert world.column(3) == [0, 0, 0, 0, 0]
    world.model.set_annotator("ana")
    assert world.column(2) == ["done", "in progress", "to do", "to do", "to do"]
    assert world.column(3) == [2, 1, 0, 0, 0]
    assert world.service.pages[-1] == world.ids  # fetched again, for ana


def test_typing_a_filter_narrows_the_rows_once_typing_pauses(qtbot, world: World) -> None:
    bar = DocumentFilterBar()
    qtbot.addWidget(bar)
    bar.show()
    model = world.model
    bar.changed.connect(lambda: model.set_query(bar.query(model.query)))
    fired: list[None] = []
    bar.changed.connect(lambda: fired.append(None))
    assert bar.text_edit.placeholderText() == "Filter by title or text"
    assert bar.text_edit.isClearButtonEnabled()

    qtbot.keyClicks(bar.text_edit, "BUDGET")
    assert model.rowCount() == 5  # not yet: the bar waits for a pause
    with qtbot.waitSignal(bar.changed, timeout=DEBOUNCE_MS * 8):
        pass
    assert fired == [None]  # one query for the whole word, not one per key
    assert world.titles() == ["Budget vote", "Mayor resigns"]  # title; text
    assert model.query.text == "BUDGET"

    qtbot.keyClicks(bar.text_edit, "x")
    qtbot.keyClick(bar.text_edit, Qt.Key.Key_Backspace)  # back to what is shown: no new query
    qtbot.wait(DEBOUNCE_MS * 2)
    assert fired == [None]

    bar.text_edit.clear()  # the clear button's action
    qtbot.waitUntil(lambda: model.rowCount() == 5, timeout=DEBOUNCE_MS * 8)


def test_enter_applies_the_filter_at_once(qtbot, world: World) -> None:
    bar = DocumentFilterBar()
    qtbot.addWidget(bar)
    bar.changed.connect(lambda: world.model.set_query(bar.query(world.model.query)))
    qtbot.keyClicks(bar.text_edit, "port")
    qtbot.keyClick(bar.text_edit, Qt.Key.Key_Return)
    assert world.titles() == ["Port strike ends", "Flood aid arrives"]


def test_choosing_a_status_filters_on_it(qtbot, world: World) -> None:
    bar = DocumentFilterBar()
    qtbot.addWidget(bar)
    bar.show()
    qtbot.waitExposed(bar)
    model = world.model
    bar.changed.connect(lambda: model.set_query(bar.query(model.query)))
    box = bar.status_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "All statuses",
        "To do",
        "In progress",
        "Done",
        "Skipped",
    ]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == "To do"
    assert world.titles() == ["Flood aid arrives", "Mayor resigns"]
    qtbot.keyClick(box, Qt.Key.Key_Down)  # In progress: ana and ben differ on "Budget vote"
    assert world.titles() == ["Budget vote"]
    model.set_annotator("ben")  # the status filter is now ben's
    assert world.titles() == []
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == "Done"
    assert world.titles() == ["Budget vote"]
    assert model.query == DocumentQuery(status=Status.DONE, annotator="ben")


def test_filter_bar_shows_a_query_without_firing(qtbot) -> None:
    bar = DocumentFilterBar()
    qtbot.addWidget(bar)
    with qtbot.assertNotEmitted(bar.changed, wait=DEBOUNCE_MS * 2):
        bar.set_query(DocumentQuery(text="strike", status=Status.SKIPPED))
    assert (bar.text_edit.text(), bar.status_box.currentText()) == ("strike", "Skipped")
    assert bar.query(DocumentQuery(sort="date", annotator="ana")) == DocumentQuery(
        text="strike", status=Status.SKIPPED, sort="date", annotator="ana"
    )
    assert bar.text_edit.objectName() and bar.status_box.objectName()


def _click_header(qtbot, view: QTableView, section: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def _sorting_view(qtbot, model: DocumentListModel) -> QTableView:
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    # No sort indicator yet: enabling sorting then keeps import order.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.resize(700, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_clicking_a_header_sorts_and_keeps_the_selection(qtbot, world: World) -> None:
    model = world.model
    view = _sorting_view(qtbot, model)
    assert model.query.sort == "id"
    assert world.titles() == [a[0] for a in ARTICLES]
    view.selectRow(3)  # Ferry delayed
    _click_header(qtbot, view, 0)
    assert (model.query.sort, model.query.descending) == ("title", False)
    assert world.titles() == sorted(a[0] for a in ARTICLES)
    selected = view.selectionModel().selectedRows()
    assert [i.data() for i in selected] == ["Ferry delayed"]
    assert selected[0].row() == model.row_of(world.ids[3]) == 1
    _click_header(qtbot, view, 0)
    assert world.titles() == sorted((a[0] for a in ARTICLES), reverse=True)
    _click_header(qtbot, view, 1)  # date: undated last
    assert world.column(1) == ["2026-02-27", "2026-03-01", "2026-03-02", "2026-03-04", ""]
    _click_header(qtbot, view, 3)
    assert world.column(3) == [0, 0, 0, 1, 2]
    _click_header(qtbot, view, 3)
    assert world.column(3) == [2, 1, 0, 0, 0]
    _click_header(qtbot, view, 2)
    assert world.column(2) == ["to do", "to do", "in progress", "done", "skipped"]
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert model.query.sort == "id"


def test_sorting_after_documents_changed_resets_the_rows(qtbot, world: World) -> None:
    model = world.model
    with world.db.transaction() as store:
        store.documents.add_many(world.project.id, [Document("Late news.", "Late")])  # type: ignore[arg-type]
    with qtbot.waitSignal(model.modelReset):
        model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 6
    assert world.titles()[3] == "Late"


def test_refresh_document_shows_a_new_status_in_place(qtbot, world: World) -> None:
    model = world.model
    model.set_query(DocumentQuery(annotator="ana"))
    assert model.index(2, 2).data() == "to do"
    fetched = len(world.service.pages)
    with world.db.transaction() as store:
        names = store.annotations.annotator_ids(["ana"])
        spans = [Span(0, 6, "ORG", "entity", "Relief")]
        store.annotations.add_sets(
            [NewSet(world.ids[2], names["ana"], Status.IN_PROGRESS, spans, [])]
        )
    assert model.index(2, 2).data() == "to do"  # cached until told
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.refresh_document(world.ids[2])
    top, bottom = changed.args[0], changed.args[1]
    assert (top.row(), top.column(), bottom.row(), bottom.column()) == (2, 0, 2, 5)  # + Confidence
    assert (model.index(2, 2).data(), model.index(2, 3).data()) == ("in progress", 1)
    assert len(world.service.pages) == fetched + 1
    with qtbot.assertNotEmitted(model.dataChanged):
        model.refresh_document(123_456)  # not in the list: nothing to do


def test_refresh_reads_the_documents_again_keeping_the_query(world: World) -> None:
    model = world.model
    model.set_query(DocumentQuery(text="budget", sort="title", descending=True))
    with world.db.transaction() as store:
        store.documents.add_many(world.project.id, [Document("More budget cuts.", "Cuts")])  # type: ignore[arg-type]
    model.refresh()
    assert world.titles() == ["Mayor resigns", "Cuts", "Budget vote"]


def test_no_project_shows_no_rows(world: World) -> None:
    world.model.set_project(None)
    assert world.model.rowCount() == 0
    assert world.model.index(0, 0).data() is None
    assert world.model.summary(0) is None


# -- a large project


BIG = 100_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Project, list[int]]]:
    db, project = _open(tmp_path_factory.mktemp("big"))
    start = date(2020, 1, 1)
    docs = [
        Document(f"Article number {n}.", f"Title {n:06d}", start + timedelta(days=n % 3000))
        for n in range(BIG)
    ]
    with db.transaction() as store:
        ids = store.documents.add_many(project.id, docs)  # type: ignore[arg-type]
    yield db, project, ids
    db.close()


def test_a_large_list_fetches_only_the_pages_it_shows(qtbot, big) -> None:
    db, project, ids = big
    service = CountingService(DocumentService(db))
    model = DocumentListModel(service)  # type: ignore[arg-type]
    view = _sorting_view(qtbot, model)
    model.set_project(project)
    qtbot.wait(10)  # let the view lay out and paint
    view.viewport().repaint()
    assert model.rowCount() == BIG
    assert service.queries == [DocumentQuery()]  # the ids, once
    assert service.pages == [ids[:200]]  # and the first page only
    assert view.indexAt(QPoint(5, 5)).data() == "Title 000000"

    view.scrollToBottom()
    view.viewport().repaint()
    assert service.pages[1:] == [ids[-200:]]
    assert model.index(BIG - 1, 0).data() == f"Title {BIG - 1:06d}"
    assert model.row_of(ids[77_777]) == 77_777

    _click_header(qtbot, view, 0)  # title, ascending: the same order, so the same last page
    view.viewport().repaint()
    assert service.queries[1:] == [DocumentQuery(sort="title")]
    assert service.pages[2:] == [ids[-200:]]
    _click_header(qtbot, view, 0)  # descending: the first documents are now last
    view.viewport().repaint()
    assert service.pages[3:] == [ids[199::-1]]
    view.scrollToTop()
    view.viewport().repaint()
    assert view.indexAt(QPoint(5, 5)).data() == f"Title {BIG - 1:06d}"
    assert service.pages[4:] == [ids[:-201:-1]]
    assert len(service.queries) == 3


def test_page_cache_keeps_recent_pages_and_drops_the_oldest(big) -> None:
    db, project, ids = big
    service = CountingService(DocumentService(db))
    model = DocumentListModel(service)  # type: ignore[arg-type]
    model.set_project(project)
    model.summary(0)
    model.summary(199)
    assert len(service.pages) == 1
    for page in range(1, 50):
        model.summary(page * 200)
    model.summary(10)  # still cached: 50 pages are kept
    assert len(service.pages) == 50
    model.summary(50 * 200)  # a 51st page drops the least recently used (page 1)
    model.summary(5)
    assert len(service.pages) == 51
    model.summary(200)
    assert len(service.pages) == 52
    assert service.pages[-1] == ids[200:400]
