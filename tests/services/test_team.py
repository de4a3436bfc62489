"""A team database through the app's services: each account sees and changes only what its role
allows, refused in one clear line; the annotator's name is the login name."""

from __future__ import annotations

import pytest

from labeler.app import open_services
from labeler.domain.annotation import Status
from labeler.domain.errors import LabelerError, NotAllowedError, NotFoundError
from labeler.domain.schema_toml import parse_schema
from labeler.domain.team import Role
from labeler.services.workspace import Services
from tests.team_setup import Team, make_team

pytestmark = pytest.mark.postgres


@pytest.fixture
def team(postgres) -> Team:
    return make_team(postgres)


@pytest.fixture
def as_(team: Team):
    opened: list[Services] = []

    def open_as(name: str) -> Services:
        services = open_services(team.url(name))
        opened.append(services)
        return services

    yield open_as
    for services in opened:
        services.close()


def test_each_account_knows_who_it_is(team: Team, as_) -> None:
    me = as_(team.alice).team.identity()
    assert (me.name, me.role) == (team.alice, Role.ANNOTATOR)
    assert not me.may_lead
    lead = as_(team.lead).team.identity()
    assert (lead.name, lead.role, lead.may_lead) == (team.lead, Role.LEAD, True)
    owner = open_services(team.owner_url)
    try:
        assert owner.team.identity().role == Role.OWNER
        accounts = {a.name: a for a in owner.team.accounts()}
        assert accounts[team.alice].role == Role.ANNOTATOR
        assert accounts[team.alice].projects == ("Ours",)
        assert accounts[team.lead].role == Role.LEAD
    finally:
        owner.close()


def test_an_annotator_sees_only_their_projects(team: Team, as_) -> None:
    alice = as_(team.alice)
    assert [p.name for p in alice.projects.list()] == ["Ours"]
    with pytest.raises(NotFoundError):
        alice.projects.get("Theirs")
    theirs = as_(team.lead).projects.get("Theirs")
    assert alice.documents.count(theirs) == 0
    with pytest.raises(NotFoundError):
        alice.documents.get(team.theirs_docs[0])


def test_an_annotator_writes_only_under_their_own_name(team: Team, as_) -> None:
    alice = as_(team.alice)
    ours = alice.projects.get("Ours")
    with pytest.raises(NotAllowedError, match=f"you annotate as {team.alice}, not as {team.bob}"):
        alice.annotations.open(ours, team.ours_docs[0], team.bob)
    session = alice.annotations.open(ours, team.ours_docs[0], team.alice)
    session.add_span(0, 3, "PERSON")
    bob = as_(team.bob)
    bob.annotations.open(ours, team.ours_docs[0], team.bob).add_span(4, 8, "ORG")
    # Blind: each sees only their own set; the lead sees both.
    assert [s.annotator for s in alice.documents.annotation_sets(ours, team.ours_docs[0])] == [
        team.alice
    ]
    lead_sets = as_(team.lead).documents.annotation_sets(ours, team.ours_docs[0])
    assert sorted(s.annotator for s in lead_sets) == sorted([team.alice, team.bob])
    # Even a lead annotates only as themselves.
    with pytest.raises(NotAllowedError):
        as_(team.lead).annotations.open(ours, team.ours_docs[1], team.alice)


def test_an_annotator_cannot_import_change_the_schema_or_assign(team: Team, as_, tmp_path) -> None:
    article = tmp_path / "new.txt"
    article.write_text("A new article about the port.", encoding="utf-8")
    alice = as_(team.alice)
    with pytest.raises(NotAllowedError, match="permission denied"):
        alice.importer.import_paths("Ours", [article])
    ours = alice.projects.get("Ours")
    source = ours.schema_source.replace("#e57373", "#e57374", 1)
    assert source != ours.schema_source
    with pytest.raises(NotAllowedError):
        alice.schemas.apply(ours, parse_schema(source, "new"), source=source)
    with pytest.raises(NotAllowedError, match="only a lead may assign"):
        alice.assignments.assign(ours, [team.alice, team.bob], 1)
    with pytest.raises(NotAllowedError):
        alice.team.set_others_visible("Ours", True)
    lead = as_(team.lead)
    assert lead.importer.import_paths("Ours", [article]).imported == 1
    assert lead.schemas.apply(ours, parse_schema(source, "new"), source=source)
    assert lead.projects.get("Ours").schema_source == source


def test_assignment_shows_each_annotator_their_documents_with_progress(team: Team, as_) -> None:
    lead = as_(team.lead)
    ours = lead.projects.get("Ours")
    report = lead.assignments.assign(ours, [team.alice, team.bob], per_document=1, seed=3)
    assert sorted(report.assigned.values()) == [1, 2]
    alice = as_(team.alice)
    mine = alice.assignments.document_ids(ours, team.alice)
    assert mine
    assert set(mine) <= set(team.ours_docs)
    # Alice's own list of assigned documents; bob's is not hers to read.
    assert alice.assignments.document_ids(ours, team.bob) == []
    session = alice.annotations.open(ours, mine[0], team.alice)
    session.add_span(0, 3, "PERSON")
    session.set_status(Status.DONE)
    progress = {p.annotator: p for p in lead.assignments.progress(ours)}
    assert str(progress[team.alice]) == f"1 / {len(mine)} done"
    assert progress[team.bob].done == 0


def test_team_commands_need_postgres(tmp_path) -> None:
    services = open_services(str(tmp_path / "one.db"))
    try:
        with pytest.raises(LabelerError, match="needs a team database on PostgreSQL"):
            services.team.add("ana", Role.ANNOTATOR)
        with pytest.raises(LabelerError, match="needs a team database on PostgreSQL"):
            services.team.init()
        assert services.team.identity().may_lead
    finally:
        services.close()
