"""Bundles: an annotator's assigned documents out to a SQLite file, worked on there, and their
sets brought back; a set changed on both sides is named and left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from labeler.app import open_services
from labeler.domain.annotation import Status
from labeler.domain.document import Document
from labeler.domain.errors import LabelerError, NotAllowedError
from labeler.domain.team import Role
from labeler.services.workspace import Services
from labeler.storage.database import Database
from tests.team_setup import make_team

TEXTS = [f"Story {i}: Ana said the port in Bergen would close." for i in range(6)]


@pytest.fixture
def lead(db_url):
    services = open_services(db_url)
    project = services.projects.create("News", "news")
    setup = Database(db_url)
    with setup.transaction() as store:
        store.documents.add_many(
            project.id, [Document(t, f"Story {i}") for i, t in enumerate(TEXTS)]
        )
    setup.close()
    services.assignments.assign(project, ["ana", "bo"], per_document=1, seed=2)
    yield services
    services.close()


def spans(services: Services, document_id: int, annotator: str) -> list[tuple[int, int, str]]:
    project = services.projects.get("News")
    found = [
        s
        for s in services.documents.annotation_sets(project, document_id)
        if s.annotator == annotator
    ]
    if not found:
        return []
    return sorted((s.start, s.end, s.label) for s in found[0].spans.values())


def test_a_bundle_goes_out_is_worked_on_and_comes_back(lead: Services, tmp_path: Path) -> None:
    project = lead.projects.get("News")
    anas = lead.assignments.document_ids(project, "ana")
    # Ana began one document before taking the bundle.
    lead.annotations.open(project, anas[0], "ana").add_span(0, 5, "WORK_OF_ART")
    path = tmp_path / "ana.labeler.db"
    out = lead.bundles.bundle_out("News", "ana", path)
    assert (out.documents, out.sets) == (len(anas), 1)
    offline = open_services(str(path))
    try:
        assert offline.team.identity().name == "ana"
        assert not offline.team.identity().may_lead
        copy = offline.projects.get("News")
        assert copy.schema_source == project.schema_source
        local = offline.assignments.document_ids(copy, "ana")
        assert [offline.documents.get(i).text for i in local] == [
            lead.documents.get(i).text for i in anas
        ]
        assert spans(offline, local[0], "ana") == [(0, 5, "WORK_OF_ART")]
        with pytest.raises(NotAllowedError):
            offline.annotations.open(copy, local[0], "bo")
        session = offline.annotations.open(copy, local[1], "ana")
        session.add_span(10, 13, "PERSON")
        session.set_status(Status.DONE)
    finally:
        offline.close()
    report = lead.bundles.bundle_in(path)
    assert (len(report.brought), report.unchanged, report.conflicts) == (1, len(anas) - 1, [])
    assert spans(lead, anas[1], "ana") == [(10, 13, "PERSON")]
    assert spans(lead, anas[0], "ana") == [(0, 5, "WORK_OF_ART")]
    progress = {p.annotator: p for p in lead.assignments.progress(project)}
    assert progress["ana"].done == 1
    # Brought back once: a second time brings nothing and finds no conflict.
    again = lead.bundles.bundle_in(path)
    assert (again.brought, again.conflicts) == ([], [])


def test_a_set_changed_on_both_sides_is_named_and_left_alone(lead: Services, tmp_path) -> None:
    project = lead.projects.get("News")
    anas = lead.assignments.document_ids(project, "ana")
    path = tmp_path / "ana.db"
    lead.bundles.bundle_out("News", "ana", path)
    offline = open_services(str(path))
    try:
        copy = offline.projects.get("News")
        local = offline.assignments.document_ids(copy, "ana")
        offline.annotations.open(copy, local[0], "ana").add_span(0, 5, "ORG")
        offline.annotations.open(copy, local[1], "ana").add_span(0, 5, "ORG")
    finally:
        offline.close()
    lead.annotations.open(project, anas[0], "ana").add_span(10, 13, "PERSON")
    report = lead.bundles.bundle_in(path)
    title = lead.documents.get(anas[0]).title
    assert report.conflicts == [f"“{title}” (document {anas[0]})"]
    assert len(report.brought) == 1
    assert spans(lead, anas[0], "ana") == [(10, 13, "PERSON")]
    assert spans(lead, anas[1], "ana") == [(0, 5, "ORG")]
    assert "changed both here and in the team database" in report.lines()[1]


def test_a_bundle_needs_assigned_documents_and_a_new_file(lead: Services, tmp_path) -> None:
    with pytest.raises(LabelerError, match="no documents of 'News' are assigned to cy"):
        lead.bundles.bundle_out("News", "cy", tmp_path / "cy.db")
    taken = tmp_path / "taken.db"
    taken.write_text("")
    with pytest.raises(LabelerError, match="exists already"):
        lead.bundles.bundle_out("News", "ana", taken)
    with pytest.raises(LabelerError, match="no bundle"):
        lead.bundles.bundle_in(tmp_path / "missing.db")


@pytest.mark.postgres
def test_an_annotator_takes_only_their_own_bundle(postgres, tmp_path) -> None:
    team = make_team(postgres)
    lead = open_services(team.url(team.lead))
    alice = open_services(team.url(team.alice))
    try:
        ours = lead.projects.get("Ours")
        lead.assignments.assign(ours, [team.alice, team.bob], per_document=1, seed=1)
        with pytest.raises(NotAllowedError, match="their own work only"):
            alice.bundles.bundle_out("Ours", team.bob, tmp_path / "bob.db")
        path = tmp_path / "alice.db"
        alice.bundles.bundle_out("Ours", team.alice, path)
        offline = open_services(str(path))
        try:
            copy = offline.projects.get("Ours")
            first = offline.assignments.document_ids(copy, team.alice)[0]
            offline.annotations.open(copy, first, team.alice).add_span(0, 3, "PERSON")
        finally:
            offline.close()
        report = alice.bundles.bundle_in(path)
        assert len(report.brought) == 1
        mine = alice.assignments.document_ids(ours, team.alice)[0]
        sets = lead.documents.annotation_sets(ours, mine)
        assert [(s.annotator, len(s.spans)) for s in sets] == [(team.alice, 1)]
        assert lead.team.identity().role == Role.LEAD
    finally:
        lead.close()
        alice.close()
