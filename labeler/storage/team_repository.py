"""Accounts of a team database: login roles in the lead or annotator group, project members."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from labeler.domain.errors import LabelerError, NotFoundError
from labeler.domain.team import Account, Identity, Role
from labeler.storage import team_policies
from labeler.storage.tables import (
    AnnotatorRow,
    BundleOriginRow,
    PresenceRow,
    ProjectMemberRow,
    ProjectRow,
    table_of,
)

_GROUP_OF = {Role.LEAD: team_policies.LEAD, Role.ANNOTATOR: team_policies.ANNOTATOR}


def _needs_postgres(what: str) -> LabelerError:
    return LabelerError(
        f"{what} needs a team database on PostgreSQL (--db postgresql+psycopg://...); "
        "a SQLite file has one user and no accounts"
    )


class TeamRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    @property
    def _connection(self) -> Connection:
        return self._session.connection()

    @property
    def on_server(self) -> bool:
        return self._session.get_bind().dialect.name == "postgresql"

    def identity(self) -> Identity:
        """Who this connection is: a team account with its role, or the database's owner."""
        if not self.on_server:
            # A bundle taken from a team database stays its annotator's: nobody else's sets.
            taken_by = list(
                self._session.scalars(
                    select(col(AnnotatorRow.name))
                    .join(
                        BundleOriginRow, col(BundleOriginRow.annotator_id) == col(AnnotatorRow.id)
                    )
                    .distinct()
                )
            )
            if len(taken_by) == 1:
                return Identity(name=taken_by[0], role=Role.ANNOTATOR)
            return Identity(name=None, role=Role.OWNER)
        name = str(self._session.execute(text("SELECT current_user")).scalar_one())
        owner = self._session.execute(
            text(
                "SELECT rolsuper OR pg_has_role(current_user, "
                "(SELECT tableowner FROM pg_tables WHERE tablename = 'project' "
                "AND schemaname = current_schema()), 'MEMBER') "
                "FROM pg_roles WHERE rolname = current_user"
            )
        ).scalar()
        if owner or not team_policies.groups_exist(self._connection):
            # The tables' owner (or a superuser) is bound by no policy: a single user, or
            # the administrator of a team database.
            return Identity(name=name, role=Role.OWNER)
        for role in (Role.LEAD, Role.ANNOTATOR):
            member = self._session.execute(
                text("SELECT pg_has_role(current_user, :group, 'MEMBER')"),
                {"group": _GROUP_OF[role]},
            ).scalar_one()
            if member:
                return Identity(name=name, role=role)
        return Identity(name=name, role=Role.OWNER)

    def init(self) -> None:
        """Creates the group roles and installs grants and policies; safe to run again."""
        if not self.on_server:
            raise _needs_postgres("labeler team init")
        team_policies.create_groups(self._connection)
        team_policies.install_policies(self._connection)

    def _require_groups(self, what: str) -> None:
        if not self.on_server:
            raise _needs_postgres(what)
        if not team_policies.groups_exist(self._connection):
            raise LabelerError(f"{what}: this database has no team yet; run `labeler team init`")

    def _quote(self, name: str) -> str:
        return self._session.get_bind().dialect.identifier_preparer.quote_identifier(name)

    def add_account(self, name: str, role: Role, password: str) -> None:
        """A login role in the role's group, and an annotator of the same name."""
        self._require_groups("labeler team add")
        exists = self._session.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
        ).scalar()
        if exists is not None:
            raise LabelerError(f"an account named {name!r} already exists on this server")
        # Role DDL takes no bound parameters. libpq hashes the password here (SCRAM), so
        # the server, and any statement log there, never sees it in clear.
        driver = self._connection.connection.dbapi_connection
        pgconn = getattr(driver, "pgconn", None)
        if pgconn is None:
            raise LabelerError("team accounts need the psycopg driver (postgresql+psycopg://)")
        verifier = pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
        literal = "'" + verifier.decode("ascii").replace("'", "''") + "'"
        self._connection.exec_driver_sql(
            f"CREATE ROLE {self._quote(name)} LOGIN PASSWORD {literal} IN ROLE {_GROUP_OF[role]}"
        )
        self.annotator_id(name)

    def annotator_id(self, name: str) -> int:
        """The id of the annotator called `name`, creating it if new."""
        dialect = self._session.get_bind().dialect.name
        insert_new = pg_insert if dialect == "postgresql" else sqlite_insert
        self._session.execute(
            insert_new(table_of(AnnotatorRow))
            .values(name=name)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        found = self._session.scalar(
            select(col(AnnotatorRow.id)).where(col(AnnotatorRow.name) == name)
        )
        assert found is not None, "the annotator was just made"
        return found

    def annotator_names(self) -> dict[int, str]:
        """Every annotator's name by id."""
        rows = self._session.execute(select(col(AnnotatorRow.id), col(AnnotatorRow.name)))
        return {annotator_id: name for annotator_id, name in rows}

    def accounts(self) -> list[Account]:
        """Every team account on the server, with the projects of this database it is in."""
        self._require_groups("labeler team list")
        rows = self._session.execute(
            text(
                "SELECT r.rolname, g.rolname FROM pg_roles r "
                "JOIN pg_auth_members m ON m.member = r.oid "
                "JOIN pg_roles g ON g.oid = m.roleid "
                "WHERE g.rolname IN (:lead, :annotator) ORDER BY r.rolname"
            ),
            {"lead": team_policies.LEAD, "annotator": team_policies.ANNOTATOR},
        ).all()
        projects = self._projects_by_member()
        roles: dict[str, Role] = {}
        for name, group in rows:
            role = Role.LEAD if group == team_policies.LEAD else Role.ANNOTATOR
            if roles.get(name) != Role.LEAD:
                roles[name] = role
        return [
            Account(name=name, role=role, projects=tuple(projects.get(name, ())))
            for name, role in roles.items()
        ]

    def _projects_by_member(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for person, project in self._session.execute(
            select(col(AnnotatorRow.name), col(ProjectRow.name))
            .join(ProjectMemberRow, col(ProjectMemberRow.annotator_id) == col(AnnotatorRow.id))
            .join(ProjectRow, col(ProjectRow.id) == col(ProjectMemberRow.project_id))
            .order_by(col(ProjectRow.name))
        ):
            found.setdefault(person, []).append(project)
        return found

    def remove_account(self, name: str) -> None:
        """Drops the login role and its memberships; its annotation sets stay."""
        self._require_groups("labeler team remove")
        if name not in {a.name for a in self.accounts()}:
            raise NotFoundError(f"no team account named {name!r}")
        self._session.execute(
            delete(ProjectMemberRow).where(
                col(ProjectMemberRow.annotator_id).in_(
                    select(col(AnnotatorRow.id)).where(col(AnnotatorRow.name) == name)
                )
            )
        )
        self._connection.exec_driver_sql(f"DROP ROLE {self._quote(name)}")

    def join(self, name: str, project_id: int) -> bool:
        """Makes `name` a member of the project; False if they were one already."""
        person = self.annotator_id(name)
        known = self._session.get(ProjectMemberRow, (project_id, person))
        if known is not None:
            return False
        self._session.add(ProjectMemberRow(project_id=project_id, annotator_id=person))
        self._session.flush()
        return True

    def leave(self, name: str, project_id: int) -> bool:
        """Ends `name`'s membership of the project; False if they were not a member."""
        result = self._session.execute(
            delete(ProjectMemberRow).where(
                col(ProjectMemberRow.project_id) == project_id,
                col(ProjectMemberRow.annotator_id).in_(
                    select(col(AnnotatorRow.id)).where(col(AnnotatorRow.name) == name)
                ),
            )
        )
        return bool(getattr(result, "rowcount", 0))

    def members(self, project_id: int) -> list[str]:
        return list(
            self._session.scalars(
                select(col(AnnotatorRow.name))
                .join(ProjectMemberRow, col(ProjectMemberRow.annotator_id) == col(AnnotatorRow.id))
                .where(col(ProjectMemberRow.project_id) == project_id)
                .order_by(col(AnnotatorRow.name))
            )
        )

    def set_others_visible(self, project_id: int, visible: bool) -> None:
        row = self._session.get(ProjectRow, project_id)
        if row is None:
            raise NotFoundError(f"no project with id {project_id}")
        row.others_visible = visible
        self._session.flush()

    def set_presence(self, name: str, project_id: int, document_id: int | None) -> None:
        """Records that `name` has this document open now (None: nothing open)."""
        person = self.annotator_id(name)
        if document_id is None:
            self._session.execute(
                delete(PresenceRow).where(col(PresenceRow.annotator_id) == person)
            )
            return
        values = {
            "annotator_id": person,
            "project_id": project_id,
            "document_id": document_id,
            "opened_at": dt.datetime.now(dt.UTC),
        }
        statement = pg_insert(table_of(PresenceRow)).values(values)
        self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["annotator_id"],
                set_={k: statement.excluded[k] for k in ("project_id", "document_id", "opened_at")},
            )
        )
