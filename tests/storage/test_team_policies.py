"""The team database's rules, enforced by PostgreSQL itself: raw SQL as each account, the way
someone with a psql shell would try it."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from labeler.domain.errors import LabelerError
from labeler.services.annotating import AnnotationService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database
from tests.team_setup import Team, make_team

pytestmark = pytest.mark.postgres


@pytest.fixture
def team(postgres) -> Team:
    return make_team(postgres)


def _set_with_span(team: Team, who: str, doc: int) -> int:
    """`who`'s annotation set on `doc`, holding one span, made through the app as `who`."""
    db = Database(team.url(who))
    try:
        db.open()
        project = ProjectService(db).get("Ours")
        session = AnnotationService(db).open(project, doc, who)
        session.add_span(0, 3, "PERSON")
        assert session.annotations.id is not None
        return session.annotations.id
    finally:
        db.close()


def test_an_annotator_reads_only_the_projects_they_are_a_member_of(team: Team) -> None:
    with team.connect(team.alice) as conn:
        assert conn.execute("SELECT name FROM project").fetchall() == [("Ours",)]
        assert conn.execute(
            "SELECT count(*) FROM document WHERE project_id = %s", (team.theirs,)
        ).fetchone() == (0,)
        rows = conn.execute("SELECT id FROM document ORDER BY id").fetchall()
        assert [r[0] for r in rows] == team.ours_docs
    with team.connect(team.lead) as conn:
        assert {r[0] for r in conn.execute("SELECT name FROM project")} == {"Ours", "Theirs"}


def test_an_annotator_cannot_change_another_annotators_set(team: Team) -> None:
    bobs = _set_with_span(team, team.bob, team.ours_docs[0])
    with team.connect(team.alice) as conn:
        # Blind by default: bob's set is not even visible, so nothing is changed or deleted.
        assert conn.execute("SELECT id FROM annotation_set").fetchall() == []
        cur = conn.execute("UPDATE annotation_set SET status = 'done' WHERE id = %s", (bobs,))
        assert cur.rowcount == 0
        assert conn.execute("DELETE FROM span WHERE set_id = %s", (bobs,)).rowcount == 0
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO span (set_id, layer, label, start_offset, end_offset, text, "
                "attributes) VALUES (%s, 'entity', 'ORG', 4, 8, 'said', '{}')",
                (bobs,),
            )
        bob_id = conn.execute("SELECT id FROM annotator WHERE name = %s", (team.bob,)).fetchone()
        assert bob_id is not None
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO annotation_set (document_id, annotator_id, status, version, "
                "updated_at) VALUES (%s, %s, 'done', 1, now())",
                (team.ours_docs[1], bob_id[0]),
            )
    with team.connect(team.lead) as conn:
        status, spans = conn.execute(
            "SELECT status, (SELECT count(*) FROM span WHERE set_id = s.id) "
            "FROM annotation_set s WHERE id = %s",
            (bobs,),
        ).fetchone()
        assert (status, spans) != ("done", 1)
        assert spans == 1


def test_others_sets_are_readable_only_where_the_project_allows_it(team: Team) -> None:
    bobs = _set_with_span(team, team.bob, team.ours_docs[0])
    alices = _set_with_span(team, team.alice, team.ours_docs[0])
    with team.connect(team.alice) as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM annotation_set")] == [alices]
        assert conn.execute("SELECT count(*) FROM span").fetchone() == (1,)
    with team.connect(team.lead) as conn:
        conn.execute("UPDATE project SET others_visible = true WHERE name = 'Ours'")
    with team.connect(team.alice) as conn:
        seen = {r[0] for r in conn.execute("SELECT id FROM annotation_set")}
        assert seen == {alices, bobs}
        assert conn.execute("SELECT count(*) FROM span").fetchone() == (2,)
        # Reading is not writing: bob's set is still out of reach.
        cur = conn.execute("UPDATE annotation_set SET status = 'done' WHERE id = %s", (bobs,))
        assert cur.rowcount == 0
        assert conn.execute("DELETE FROM span WHERE set_id = %s", (bobs,)).rowcount == 0


def test_an_annotator_cannot_import_or_change_the_schema(team: Team) -> None:
    with team.connect(team.alice) as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO document (project_id, title, text, digest, meta, created_at) "
                "VALUES (%s, '', 'x', 'd', '{}', now())",
                (team.ours,),
            )
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("UPDATE project SET schema_toml = '' WHERE id = %s", (team.ours,))
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO assignment (project_id, document_id, annotator_id, "
                "position) VALUES (%s, %s, 1, 0)",
                (team.ours, team.ours_docs[0]),
            )
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("INSERT INTO project_member VALUES (%s, 1)", (team.theirs,))
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("DELETE FROM document")
    with team.connect(team.lead) as conn:
        conn.execute("UPDATE project SET others_visible = true WHERE id = %s", (team.ours,))


def test_nobody_logs_in_as_someone_else(team: Team) -> None:
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(team.url(team.bob, team.passwords[team.alice]).replace("+psycopg", ""))
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(team.url(team.lead, "").replace("+psycopg", ""))
    pretender = Database(team.url(team.bob, team.passwords[team.alice]))
    try:
        with pytest.raises(LabelerError, match="password authentication failed"):
            pretender.open()
    finally:
        pretender.close()
    with team.connect(team.alice) as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(f"SET ROLE {team.bob}")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(f"SET SESSION AUTHORIZATION {team.bob}")
        assert conn.execute("SELECT current_user").fetchone() == (team.alice,)
    with psycopg.connect(team.owner_url.replace("+psycopg", "")) as conn:
        stored = conn.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (team.bob,)
        ).fetchone()
    assert stored is not None
    assert stored[0].startswith("SCRAM-SHA-256$")  # hashed by the client, never sent in clear
    assert team.passwords[team.bob] not in stored[0]


def test_the_owner_and_sqlite_are_not_bound_by_team_rules(team: Team, tmp_path) -> None:
    with psycopg.connect(team.owner_url.replace("+psycopg", "")) as conn:
        assert {r[0] for r in conn.execute("SELECT name FROM project")} == {"Ours", "Theirs"}
    db = Database(f"sqlite:///{tmp_path / 'one.db'}")
    try:
        db.open()
        with db.reading() as store:
            me = store.team.identity()
        assert me.name is None
        assert me.may_lead
        assert not me.is_account
    finally:
        db.close()
