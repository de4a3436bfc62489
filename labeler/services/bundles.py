"""Working offline: an annotator's assigned documents taken out to one SQLite file, and their
annotation sets brought back into the team database, never over someone else's change."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from labeler.domain.errors import LabelerError, NotAllowedError
from labeler.domain.snippets import quoted
from labeler.services.team import TeamService
from labeler.storage.bulk_rows import NewSet
from labeler.storage.database import Database


@dataclass(frozen=True)
class BundleOut:
    documents: int
    sets: int


@dataclass
class BundleIn:
    brought: list[str] = field(default_factory=list)  # titles of the documents brought back
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)  # changed on both sides: not brought

    def lines(self) -> list[str]:
        out = [f"{len(self.brought)} annotation sets brought back, {self.unchanged} unchanged"]
        out += [
            f"not brought back: {title} was changed both here and in the team database"
            for title in self.conflicts
        ]
        return out


def _title(title: str, document_id: int) -> str:
    return f"{quoted(title)} (document {document_id})" if title else f"document {document_id}"


class BundleService:
    def __init__(self, db: Database, team: TeamService) -> None:
        self._db = db
        self._team = team

    def bundle_out(self, project_name: str, annotator: str, path: Path) -> BundleOut:
        """Writes `annotator`'s assigned documents of the project, their sets and the schema
        into a new SQLite file that the app opens like any other."""
        me = self._team.identity()
        if me.is_account and not me.may_lead and annotator != me.name:
            raise NotAllowedError(f"{me.name} may take a bundle of their own work only")
        if path.exists():
            raise LabelerError(f"{path} exists already: a bundle is written to a new file")
        with self._db.reading() as store:
            project = store.projects.get(project_name)
            ids = store.assignments.document_ids(project.id, annotator)
            if not ids:
                raise LabelerError(
                    f"no documents of {project_name!r} are assigned to {annotator}: "
                    "assign some first (labeler assign)"
                )
            documents = [store.documents.get(i) for i in ids]
            sets = store.annotations.sets_for(ids, project.schema, annotator)
        bundle = Database(str(path))
        try:
            bundle.open()
            with bundle.transaction() as out:
                copy = out.projects.create(project.name, project.schema_source)
                local_ids = out.documents.add_many(copy.id, documents)
                person = out.team.annotator_id(annotator)
                new_sets = []
                for server_id, local_id in zip(ids, local_ids, strict=True):
                    found = sets.get(server_id, [])
                    server_version = found[0].version if found else 0
                    out.bundles.record(local_id, person, server_version, 1 if found else 0)
                    if found:
                        new_sets.append(NewSet.of(local_id, person, found[0]))
                out.annotations.add_sets(new_sets)
                out.assignments.replace(copy.id, {person: local_ids})
                out.team.join(annotator, copy.id)
        except BaseException:
            bundle.close()
            path.unlink(missing_ok=True)
            raise
        bundle.close()
        return BundleOut(documents=len(ids), sets=len(new_sets))

    def bundle_in(self, path: Path) -> BundleIn:
        """Brings the bundle's changed sets back. A set changed in the team database too since
        the bundle was taken is left out and named; nothing is ever overwritten."""
        if not path.is_file():
            raise LabelerError(f"no bundle at {path}")
        bundle = Database(str(path))
        try:
            bundle.open()
            with bundle.reading() as local:
                origins = local.bundles.origins()
                if not origins:
                    raise LabelerError(f"{path} is not a bundle taken from a team database")
                names = local.projects.names()
                project = local.projects.get(names[0])
                taken = {o.document_id: (o, local.documents.get(o.document_id)) for o in origins}
                sets = {
                    document_id: found[0]
                    for document_id, found in local.annotations.sets_for(
                        list(taken), project.schema
                    ).items()
                }
            report = BundleIn()
            me = self._team.identity()
            brought: dict[int, tuple[int, int]] = {}  # local document id: versions now
            with self._db.transaction() as store:
                server_project = store.projects.get(project.name)
                digests = store.documents.find_digests(
                    server_project.id, [d.digest for _, d in taken.values()]
                )
                for document_id, (origin, document) in taken.items():
                    if me.is_account and not me.may_lead and origin.annotator != me.name:
                        raise NotAllowedError(
                            f"this bundle holds {origin.annotator}'s work; you are {me.name}"
                        )
                    mine = sets.get(document_id)
                    local_version = mine.version if mine else 0
                    if local_version == origin.local_version:
                        report.unchanged += 1
                        continue
                    hit = digests.get(document.digest)
                    if hit is None:
                        report.conflicts.append(_title(document.title, document_id))
                        continue
                    server_id = hit[0]
                    now = store.annotations.set_of(server_id, origin.annotator, project.schema)
                    if (now.version if now else 0) != origin.server_version:
                        report.conflicts.append(_title(document.title, server_id))
                        continue
                    assert mine is not None, "a set changed here exists here"
                    person = store.team.annotator_id(origin.annotator)
                    version = store.bundles.put_set(server_id, person, mine)
                    brought[document_id] = (version, local_version)
                    report.brought.append(_title(document.title, server_id))
            with bundle.transaction() as local:
                for document_id, (server_version, local_version) in brought.items():
                    person = local.team.annotator_id(taken[document_id][0].annotator)
                    local.bundles.record(document_id, person, server_version, local_version)
        finally:
            bundle.close()
        return report
