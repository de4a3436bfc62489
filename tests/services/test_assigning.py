"""Assignment through the service on both engines: balanced, members made, begun work kept."""

from __future__ import annotations

import pytest

from labeler.domain.annotation import Status
from labeler.domain.document import Document, DocumentQuery
from labeler.services.annotating import AnnotationService
from labeler.services.assigning import AssignmentService
from labeler.services.documents import DocumentService
from labeler.services.projects import ProjectService
from labeler.services.team import TeamService


@pytest.fixture
def env(migrated_db):
    db = migrated_db
    project = ProjectService(db).create("News", "news")
    with db.transaction() as store:
        ids = store.documents.add_many(
            project.id, [Document(f"Story number {i} is here.", f"S{i}") for i in range(12)]
        )
    team = TeamService(db)
    return db, project, ids, AssignmentService(db, team), team


def test_assignment_is_balanced_ordered_and_listed(env) -> None:
    db, project, _ids, service, team = env
    report = service.assign(project, ["ana", "bo", "cy"], per_document=2, overlap=0.25, seed=4)
    assert report.shared == 3
    assert sum(report.assigned.values()) == 3 * 3 + 9 * 2
    assert max(report.assigned.values()) - min(report.assigned.values()) <= 1
    assert team.members("News") == ["ana", "bo", "cy"]
    anas = service.document_ids(project, "ana")
    assert anas == sorted(anas)
    assert len(anas) == report.assigned["ana"]
    # The document list of an annotator: their assigned documents, in order.
    documents = DocumentService(db)
    listed = list(documents.ids(project, DocumentQuery(annotator="ana", assigned=True)))
    assert listed == anas
    assert len(documents.ids(project, DocumentQuery(annotator="ana"))) == 12
    again = service.assign(project, ["ana", "bo", "cy"], per_document=2, overlap=0.25, seed=4)
    assert again == report
    assert service.document_ids(project, "ana") == anas


def test_reassigning_keeps_documents_begun(env) -> None:
    db, project, _ids, service, _ = env
    service.assign(project, ["ana", "bo"], per_document=1, seed=1)
    anas = service.document_ids(project, "ana")
    session = AnnotationService(db).open(project, anas[0], "ana")
    session.add_span(0, 5, "PERSON")
    session.set_status(Status.DONE)
    report = service.assign(project, ["bo", "cy"], per_document=1, seed=1)
    assert report.kept == 1
    assert service.document_ids(project, "ana") == [anas[0]]
    assert report.assigned["ana"] == 1
    progress = {p.annotator: p for p in service.progress(project)}
    assert str(progress["ana"]) == "1 / 1 done"
    assert progress["bo"].assigned + progress["cy"].assigned == 12
    assert progress["bo"].done == 0
