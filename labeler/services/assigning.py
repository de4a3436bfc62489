"""Assignment: the lead hands out a project's documents; each annotator sees their progress."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from labeler.domain.assignment import plan_assignment
from labeler.domain.document import DocumentQuery
from labeler.domain.limits import check_annotator
from labeler.domain.project import Project
from labeler.domain.team import Progress
from labeler.services.team import TeamService
from labeler.storage.database import Database

_BY_ID = DocumentQuery()


@dataclass(frozen=True)
class AssignmentReport:
    assigned: dict[str, int]  # documents per annotator, kept work included
    kept: int  # assignments kept because the annotator had begun the document
    shared: int  # documents that went to everyone

    def lines(self) -> list[str]:
        out = [f"{name}: {count} documents" for name, count in self.assigned.items()]
        if self.shared:
            out.append(f"{self.shared} documents go to everyone (for agreement)")
        if self.kept:
            out.append(f"{self.kept} begun assignments kept")
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
        self._team.require_lead("assign documents")
        names = [check_annotator(n) for n in annotators]
        with self._db.transaction() as store:
            document_ids = store.documents.query_ids(project.id, _BY_ID)
            plan = plan_assignment(document_ids, names, per_document, overlap, seed)
            shared = len(set.intersection(*(set(ids) for ids in plan.values())))
            if per_document == len(set(names)):
                shared = 0  # everyone gets everything: no share to speak of
            ids = {name: store.team.annotator_id(name) for name in plan}
            started = store.assignments.started(project.id)
            before = store.assignments.assigned(project.id)
            lists: dict[int, list[int]] = {}
            kept = 0
            for name, planned in plan.items():
                lists[ids[name]] = list(planned)
            for annotator_id, begun in started.items():
                previous = before.get(annotator_id, [])
                extra = [d for d in previous if d in begun and d not in lists.get(annotator_id, [])]
                if extra:
                    kept += len(extra)
                    lists.setdefault(annotator_id, []).extend(extra)
            store.assignments.replace(project.id, lists)
            for name in plan:
                store.team.join(name, project.id)
            names_by_id = store.team.annotator_names()
            counts = {names_by_id[annotator_id]: len(docs) for annotator_id, docs in lists.items()}
        return AssignmentReport(assigned=counts, kept=kept, shared=shared)

    def document_ids(self, project: Project, annotator: str) -> list[int]:
        """The documents assigned to `annotator`, in order (empty if none)."""
        with self._db.reading() as store:
            return store.assignments.document_ids(project.id, annotator)

    def progress(self, project: Project) -> list[Progress]:
        """Per annotator: assigned, done, begun, skipped."""
        with self._db.reading() as store:
            return store.assignments.progress(project.id)
