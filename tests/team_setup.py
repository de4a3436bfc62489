"""A team database on the throwaway cluster: a lead and two annotators who log in with passwords.

The test cluster trusts every local connection; for the team's group roles it is told to ask
for a password instead (lines put first in pg_hba.conf), so logging in as someone else fails.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from labeler.domain.document import Document
from labeler.domain.team import Role
from labeler.services.projects import ProjectService
from labeler.services.team import TeamService
from labeler.storage.database import Database
from tests.pg_cluster import PostgresCluster

_HBA_MARK = "# labeler team tests: the team's accounts log in with passwords"
_HBA_LINES = (
    f"{_HBA_MARK}\n"
    "host all +labeler_lead 127.0.0.1/32 scram-sha-256\n"
    "host all +labeler_annotator 127.0.0.1/32 scram-sha-256\n"
)
_names = itertools.count(1)

TEXTS = ("Ana said the port would close.", "Officials in Bergen denied it.", "A third story.")


def superuser(cluster: PostgresCluster, database: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(
        f"host=127.0.0.1 port={cluster.port} user=postgres dbname={database}", autocommit=True
    )


def require_passwords(cluster: PostgresCluster) -> None:
    """Members of the labeler groups must give their password (once per cluster)."""
    with superuser(cluster) as conn:
        hba = Path(str(conn.execute("SHOW hba_file").fetchone()[0]))  # type: ignore[index]
        rules = hba.read_text(encoding="utf-8")
        if _HBA_MARK in rules:
            return
        for group in ("labeler_lead", "labeler_annotator"):
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone():
                continue
            conn.execute(f"CREATE ROLE {group} NOLOGIN")
        conn.execute("CREATE ROLE labeler_probe LOGIN PASSWORD 'right' IN ROLE labeler_annotator")
        hba.write_text(_HBA_LINES + rules, encoding="utf-8")
        conn.execute("SELECT pg_reload_conf()")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the server rereads the file a moment later
        try:
            psycopg.connect(
                f"host=127.0.0.1 port={cluster.port} user=labeler_probe password=wrong "
                "dbname=postgres"
            ).close()
        except psycopg.OperationalError:
            return
        time.sleep(0.05)
    pytest.fail("the test cluster did not start asking for passwords")


@dataclass
class Team:
    """A team database: its owner's URL, one lead, two annotators, two projects."""

    cluster: PostgresCluster
    owner_url: str
    lead: str
    alice: str
    bob: str
    passwords: dict[str, str]
    ours: int  # project "Ours": alice and bob are members; three documents
    theirs: int  # project "Theirs": nobody's; one document
    ours_docs: list[int]
    theirs_docs: list[int]

    def url(self, name: str, password: str | None = None) -> str:
        url = make_url(self.owner_url).set(
            username=name, password=password if password is not None else self.passwords[name]
        )
        return url.render_as_string(hide_password=False)

    def connect(self, name: str) -> psycopg.Connection:
        """A raw connection as `name`, as from a psql shell."""
        url = make_url(self.owner_url)
        return psycopg.connect(
            host="127.0.0.1",
            port=self.cluster.port,
            user=name,
            password=self.passwords[name],
            dbname=url.database,
            autocommit=True,
        )


def make_team(cluster: PostgresCluster) -> Team:
    require_passwords(cluster)
    owner_url = cluster.new_database()
    n = next(_names)
    lead, alice, bob = f"lead{n}", f"alice{n}", f"bob{n}"
    db = Database(owner_url)
    try:
        db.open()
        team = TeamService(db)
        team.init()
        passwords = {
            lead: team.add(lead, Role.LEAD),
            alice: team.add(alice, Role.ANNOTATOR),
            bob: team.add(bob, Role.ANNOTATOR, password="bob's secret"),
        }
        projects = ProjectService(db)
        ours = projects.create("Ours", "news")
        theirs = projects.create("Theirs", "news")
        with db.transaction() as store:
            ours_docs = store.documents.add_many(ours.id, [Document(t, "") for t in TEXTS])
            theirs_docs = store.documents.add_many(theirs.id, [Document("Secret text.", "")])
        team.join(alice, "Ours")
        team.join(bob, "Ours")
    finally:
        db.close()
    return Team(
        cluster, owner_url, lead, alice, bob, passwords, ours.id, theirs.id, ours_docs, theirs_docs
    )
