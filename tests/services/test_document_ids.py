"""The lazy list of matching ids: its count at once, pages read as asked, the same ids."""

from __future__ import annotations

from pathlib import Path

from labeler.domain.annotation import Status
from labeler.domain.document import Document, DocumentQuery
from labeler.services.documents import DocumentIds, DocumentService
from labeler.services.projects import ProjectService
from labeler.storage.annotation_repository import NewSet
from labeler.storage.database import Database


def test_pages_are_read_as_asked_and_agree_with_a_full_read(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "ids.db"))
    db.open()
    project = ProjectService(db).create("P", "news")
    with db.transaction() as store:
        ids = store.documents.add_many(
            project.id, [Document(f"text {n}", f"t{n}") for n in range(2500)]
        )
        ana = store.annotations.annotator_ids(["ana"])["ana"]
        store.annotations.add_sets([NewSet(i, ana, Status.DONE, [], []) for i in ids[::3]])
    service = DocumentService(db)
    lazy = service.ids(project, DocumentQuery())
    assert isinstance(lazy, DocumentIds)
    assert len(lazy) == 2500 and lazy._pages == {}  # counted, nothing read yet
    assert lazy[1500] == ids[1500] and list(lazy._pages) == [1]
    assert lazy[990:1010] == ids[990:1010]
    assert lazy.row_of(ids[1999]) == 1999  # on a page read
    assert lazy.row_of(ids[2400]) == 2400  # read all to find it
    assert list(lazy) == ids
    with db.transaction() as store:
        ben = store.annotations.annotator_ids(["ben"])["ben"]
        store.annotations.add_sets(
            [NewSet(i, ben, Status.SKIPPED, [], []) for i in ids[::7]]
            + [NewSet(i, ben, Status.IN_PROGRESS, [], []) for i in ids[1::7]]
        )
    for query in (
        DocumentQuery(sort="status"),
        DocumentQuery(sort="status", descending=True),
        DocumentQuery(sort="status", annotator="ana"),
    ):
        fresh = service.ids(project, query)
        with db.reading() as store:
            expected = store.documents.query_ids(project.id, query)
        assert [fresh[n] for n in range(len(fresh))] == expected, query
        deep = service.ids(project, query)  # a page far in first: the sizes before it counted
        assert deep[2499] == expected[2499] and deep[1234] == expected[1234], query
    db.close()
