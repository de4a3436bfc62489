"""Assignment: the lead hands out a project's documents; each annotator sees their progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from labeler.domain.assignment import plan_assignment
from labeler.domain.document import DocumentQuery
from labeler.domain.limits import check_annotator
from labeler.domain.project import Project
from labeler.domain.team import DoneOnDay, LastTouched, Progress, Role
from labeler.services.team import TeamService
from labeler.storage.database import Database

_BY_ID = DocumentQuery()


def _documents(count: int) -> str:
    return f"{count} document{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class AssignmentReport:
    assigned: dict[str, int]  # documents per annotator, kept work included
    kept: int  # assignments kept because the annotator had begun the document
    shared: int  # documents that went to everyone

    def lines(self) -> list[str]:
        out = [f"{name}: {_documents(count)}" for name, count in self.assigned.items()]
        if self.shared:
            goes = "goes" if self.shared == 1 else "go"
            out.append(f"{_documents(self.shared)} {goes} to everyone (for agreement)")
        if self.kept:
            out.append(f"{self.kept} begun assignment{'' if self.kept == 1 else 's'} kept")
        return out


class AssignmentService:
    def __init__(self, db: Database, team: TeamService) -> None:
        self._db = db
        self._team = team

    def assign(
        self,
        project: Project,
        annotators: Sequence[str],
        per_document: int,
        overlap: float = 0.0,
        seed: int = 0,
    ) -> AssignmentReport:
        """Deals the project's documents out (see plan_assignment) and makes the annotators
        members of the project. Reassigning keeps every document an annotator has begun."""
        return self._deal(project, annotators, per_document, overlap, seed, apply=True)

    def preview(
        self,
        project: Project,
        annotators: Sequence[str],
        per_document: int,
        overlap: float = 0.0,
        seed: int = 0,
    ) -> AssignmentReport:
        """What assign would give each annotator, changing nothing."""
        return self._deal(project, annotators, per_document, overlap, seed, apply=False)

    def _deal(
        self,
        project: Project,
        annotators: Sequence[str],
        per_document: int,
        overlap: float,
        seed: int,
        *,
        apply: bool,
    ) -> AssignmentReport:
        self._team.require_lead("assign documents")
        names = [check_annotator(n) for n in annotators]
        with self._db.transaction() if apply else self._db.reading() as store:
            document_ids = store.documents.query_ids(project.id, _BY_ID)
            plan = plan_assignment(document_ids, names, per_document, overlap, seed)
            shared = len(set.intersection(*(set(ids) for ids in plan.values())))
            if per_document == len(set(names)):
                shared = 0  # everyone gets everything: no share to speak of
            known = {n: i for i, n in store.team.annotator_names().items()}
            started = store.assignments.started(project.id)
            before = store.assignments.assigned(project.id)
            lists: dict[str, list[int]] = {name: list(planned) for name, planned in plan.items()}
            kept = 0
            names_by_id = store.team.annotator_names()
            for annotator_id, begun in started.items():
                name = names_by_id[annotator_id]
                previous = before.get(annotator_id, [])
                extra = [d for d in previous if d in begun and d not in lists.get(name, [])]
                if extra:
                    kept += len(extra)
                    lists.setdefault(name, []).extend(extra)
            if apply:
                ids = {name: known.get(name) or store.team.annotator_id(name) for name in lists}
                store.assignments.replace(
                    project.id, {ids[name]: docs for name, docs in lists.items()}
                )
                for name in plan:
                    store.team.join(name, project.id)
        counts = {name: len(docs) for name, docs in lists.items()}
        return AssignmentReport(assigned=counts, kept=kept, shared=shared)

    def candidates(self, project: Project) -> list[str]:
        """Who may be given documents: a team database's annotator accounts, else every
        annotator known to the database; the project's members first."""
        with self._db.reading() as store:
            members = store.team.members(project.id)
            if store.team.on_server and self._team.identity().is_account:
                others = [a.name for a in store.team.accounts() if a.role == Role.ANNOTATOR]
            else:
                others = sorted(store.team.annotator_names().values())
        return list(dict.fromkeys([*members, *others]))

    def assigned_annotators(self, project: Project) -> list[str]:
        """The annotators who have documents of the project assigned, by name."""
        return [p.annotator for p in self.progress(project)]

    def document_ids(self, project: Project, annotator: str) -> list[int]:
        """The documents assigned to `annotator`, in order (empty if none)."""
        with self._db.reading() as store:
            return store.assignments.document_ids(project.id, annotator)

    def progress(self, project: Project) -> list[Progress]:
        """Per annotator: assigned, done, begun, skipped."""
        with self._db.reading() as store:
            return store.assignments.progress(project.id)

    def done_per_day(self, project: Project, days: int = 14) -> list[DoneOnDay]:
        """The sets marked done on each of the last `days` days (today included), by
        annotator; a day without any is left out."""
        today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        since = today - dt.timedelta(days=days - 1)
        with self._db.reading() as store:
            return store.assignments.done_per_day(project.id, since)

    def last_touched(self, project: Project) -> list[LastTouched]:
        """What each annotator changed last in the project, and when."""
        with self._db.reading() as store:
            return store.assignments.last_touched(project.id)
