"""The team's rules on suggestions, rejections, accepted spans' recommenders, the search index
and curated sets (migration 0015): an annotator works with them on their own projects, through
the app and in raw SQL, and sees nothing of a foreign project."""

from __future__ import annotations

import pytest
from alembic import command
from psycopg import errors
from sqlalchemy import create_engine

from labeler.app import open_services
from labeler.domain.suggestion import SuggestedSpan, Suggestion
from labeler.services.workspace import Services
from labeler.storage.database import Database
from labeler.storage.migrate import alembic_config
from tests.team_setup import Team, make_team

pytestmark = pytest.mark.postgres

SECRET = Suggestion(SuggestedSpan(0, 6, "ORG"), 0.9, "gazetteer")


def _store_suggestions(team: Team) -> None:
    """As the lead would by pre-annotation: two suggestions on each project's first document."""
    db = Database(team.owner_url)
    try:
        db.open()
        with db.transaction() as store:
            store.suggestions.store(
                team.ours_docs[0],
                [
                    Suggestion(SuggestedSpan(0, 3, "PERSON"), 0.9, "gazetteer"),
                    Suggestion(SuggestedSpan(9, 13, "FAC"), 0.5, "gazetteer"),
                ],
            )
            store.suggestions.store(team.theirs_docs[0], [SECRET])
    finally:
        db.close()


@pytest.fixture
def team(postgres) -> Team:
    made = make_team(postgres)
    _store_suggestions(made)
    return made


@pytest.fixture
def alice(team: Team) -> Services:
    services = open_services(team.url(team.alice))
    yield services
    services.close()


def test_an_annotator_accepts_and_rejects_suggestions_on_their_project(
    team: Team, alice: Services
) -> None:
    ours = alice.projects.get("Ours")
    session = alice.annotations.open(ours, team.ours_docs[0], team.alice)
    offered = alice.suggestions.open_for(session)
    assert [s.proposal.label for s in offered] == ["PERSON", "FAC"]  # type: ignore[union-attr]
    accepted, rejected = offered
    alice.suggestions.accept(session, accepted)
    alice.suggestions.reject(session, rejected)
    assert alice.suggestions.open_for(session) == []
    (span,) = session.annotations.spans.values()
    assert alice.suggestions.sources(session) == {span.id: "gazetteer"}
    alice.suggestions.unreject(session, rejected)  # undo of the rejection
    assert alice.suggestions.open_for(session) == [rejected]
    alice.suggestions.reject(session, rejected)
    with team.connect(team.lead) as conn:
        assert conn.execute("SELECT recommender FROM span_source").fetchall() == [("gazetteer",)]
        assert conn.execute("SELECT count(*) FROM suggestion_rejection").fetchone() == (1,)


def test_an_annotator_searches_their_projects_only(team: Team, alice: Services) -> None:
    found = alice.search.search(alice.projects.get("Ours"), "Bergen")
    assert [hit.document_id for hit in found.hits] == [team.ours_docs[1]]
    with team.connect(team.alice) as conn:
        rows = conn.execute("SELECT document_id FROM document_search ORDER BY 1").fetchall()
        assert [r[0] for r in rows] == team.ours_docs
        assert conn.execute(
            "SELECT count(*) FROM document_search WHERE project_id = %s", (team.theirs,)
        ).fetchone() == (0,)


def test_a_foreign_projects_suggestions_and_others_rejections_stay_out_of_reach(
    team: Team, alice: Services
) -> None:
    bob = open_services(team.url(team.bob))
    try:
        session = bob.annotations.open(bob.projects.get("Ours"), team.ours_docs[0], team.bob)
        bob.suggestions.reject(session, bob.suggestions.open_for(session)[0])
    finally:
        bob.close()
    with team.connect(team.alice) as conn:
        docs = {r[0] for r in conn.execute("SELECT document_id FROM suggestion")}
        assert docs == {team.ours_docs[0]}  # Theirs' suggestion is invisible
        assert conn.execute("SELECT count(*) FROM suggestion_rejection").fetchone() == (0,)
        me = conn.execute("SELECT id FROM annotator WHERE name = %s", (team.alice,)).fetchone()
        assert me is not None
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(  # a rejection on a document of a foreign project
                "INSERT INTO suggestion_rejection (document_id, annotator_id, key, recommender) "
                "VALUES (%s, %s, 'k', 'r')",
                (team.theirs_docs[0], me[0]),
            )
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("DELETE FROM suggestion")  # stored suggestions are the lead's
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("INSERT INTO span_source (span_id, recommender) VALUES (1, 'x')")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM bundle_origin")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM curation_rejection")  # curating is a lead's
        # The project's trained model is read by the annotators' editors, never written.
        assert conn.execute("SELECT count(*) FROM trained_model").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM training_setting").fetchone() == (0,)
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("DELETE FROM trained_model")
    with team.connect(team.lead) as conn:
        assert conn.execute("SELECT count(*) FROM suggestion_rejection").fetchone() == (1,)


def test_only_a_lead_makes_or_changes_a_curated_set(team: Team, alice: Services) -> None:
    session = alice.annotations.open(alice.projects.get("Ours"), team.ours_docs[0], team.alice)
    session.add_span(0, 3, "PERSON")
    set_id = session.annotations.id
    # Own set, but made gold by its annotator: refused.
    with (
        team.connect(team.alice) as conn,
        pytest.raises(errors.InsufficientPrivilege, match="row-level security"),
    ):
        conn.execute("UPDATE annotation_set SET curated = true WHERE id = %s", (set_id,))
    with team.connect(team.lead) as conn:
        conn.execute("UPDATE annotation_set SET curated = true WHERE id = %s", (set_id,))
    with team.connect(team.alice) as conn:
        assert (
            conn.execute(
                "UPDATE annotation_set SET status = 'done' WHERE id = %s", (set_id,)
            ).rowcount
            == 0
        )
        assert conn.execute("DELETE FROM span WHERE set_id = %s", (set_id,)).rowcount == 0
        assert conn.execute(
            "SELECT count(*) FROM span WHERE set_id = %s", (set_id,)
        ).fetchone() == (1,)


def test_migration_0015_upgrades_a_team_database_made_before_it(team: Team) -> None:
    engine = create_engine(team.owner_url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0011")
    engine.dispose()
    with team.connect(team.alice) as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM suggestion")
        assert conn.execute("SELECT to_regclass('presence')").fetchone() == (None,)
    db = Database(team.owner_url)
    try:
        db.open()  # upgrades to the newest revision
    finally:
        db.close()
    with team.connect(team.alice) as conn:
        assert conn.execute("SELECT count(*) FROM suggestion").fetchone() == (2,)
        assert conn.execute("SELECT count(*) FROM document_search").fetchone() == (3,)
        assert conn.execute("SELECT count(*) FROM presence").fetchone() == (0,)
