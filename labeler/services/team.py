"""A team database's accounts: set it up, add and remove people, put them on projects."""

from __future__ import annotations

import logging
import secrets

from labeler.domain.errors import LabelerError, NotAllowedError
from labeler.domain.project import Project
from labeler.domain.team import Account, Identity, Role, check_account_name
from labeler.storage.database import Database

log = logging.getLogger(__name__)


class TeamService:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._identity: Identity | None = None

    def identity(self) -> Identity:
        """Who this database connection is (asked once, then remembered)."""
        if self._identity is None:
            with self._db.reading() as store:
                self._identity = store.team.identity()
        return self._identity

    def require_lead(self, what: str) -> None:
        """Refuses, in one line, what only a lead may do when an annotator asks."""
        me = self.identity()
        if not me.may_lead:
            raise NotAllowedError(f"only a lead may {what}; {me.name} is an annotator")

    def init(self) -> None:
        """Creates the group roles, grants and policies (run by the database's owner)."""
        with self._db.transaction() as store:
            store.team.init()
        self._identity = None

    def add(self, name: str, role: Role, password: str | None = None) -> str:
        """Creates a login account; returns its password (a new random one unless given)."""
        name = check_account_name(name)
        if role == Role.OWNER:
            raise ValueError("an account is a lead or an annotator")
        chosen = password if password else secrets.token_urlsafe(18)
        with self._db.transaction() as store:
            store.team.add_account(name, role, chosen)
        return chosen

    def accounts(self) -> list[Account]:
        with self._db.reading() as store:
            return store.team.accounts()

    def remove(self, name: str) -> None:
        """Removes the account and its memberships; the annotation sets it made stay."""
        with self._db.transaction() as store:
            store.team.remove_account(name)

    def join(self, name: str, project: str) -> bool:
        """Makes `name` a member of the project; False if already one."""
        with self._db.transaction() as store:
            return store.team.join(name, store.projects.get(project).id)

    def leave(self, name: str, project: str) -> bool:
        """Ends `name`'s membership of the project; False if not a member."""
        with self._db.transaction() as store:
            return store.team.leave(name, store.projects.get(project).id)

    def members(self, project: str) -> list[str]:
        with self._db.reading() as store:
            return store.team.members(store.projects.get(project).id)

    def set_others_visible(self, project: str, visible: bool) -> None:
        """Lets the project's annotators read each other's sets (or not: they label blind)."""
        self.require_lead("change who sees whose annotations")
        with self._db.transaction() as store:
            store.team.set_others_visible(store.projects.get(project).id, visible)

    def present(self, project: Project, document_id: int | None) -> None:
        """Tells the team that this account has this document open now (None: nothing), so
        the lead sees who works on what. Nothing on SQLite or for the database's owner; a
        failure is logged, never raised: opening a document does not depend on it."""
        me = self.identity()
        if not me.is_account or me.name is None:
            return
        try:
            with self._db.transaction() as store:
                store.team.set_presence(me.name, project.id, document_id)
        except LabelerError:
            log.warning("presence not recorded", exc_info=True)
