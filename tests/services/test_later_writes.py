"""LaterWrites: changes stored on a worker thread in the order given; a failure is told."""

from __future__ import annotations

from pathlib import Path

from labeler.domain.errors import LabelerError
from labeler.services.curation import CurationService
from labeler.storage.database import Database
from labeler.storage.store import Store
from tests.curation_corpus import stored_article


def test_writes_are_stored_in_order_and_failures_told(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'later.db'}")
    db.open()
    project, document_id = stored_article(db)
    service = CurationService(db)
    curation = service.start(project, document_id, "lee")
    set_id = curation.session.annotations.id
    assert set_id is not None
    problems: list[str] = []
    service.writes.failed = problems.append
    item = curation.disagreements[0]
    service.store_rejection(curation, item, later=True)
    service.forget_rejection(curation, item, later=True)
    service.store_rejection(curation, item, later=True)

    def refused(_store: Store) -> None:
        raise LabelerError("the disk is full")

    service.writes.submit(refused)
    service.flush()
    with db.reading() as store:
        assert list(store.curation.rejections(set_id)) == [curation.key_of(item)]
    assert problems == ["the disk is full"]
    # Reopened, the rejection holds: the item is no longer open.
    again = service.resume(project, document_id)
    assert len(again.disagreements) == len(curation.items) - 1
    db.close()
