"""Schema editing: a project lead changes a project's label schema; the stored annotations
follow renames, and a change that would delete annotations is applied only once confirmed."""

from __future__ import annotations

from dataclasses import dataclass

from labeler.domain.errors import ConflictError, LabelerError, RuleError
from labeler.domain.project import Project
from labeler.domain.schema import LabelSchema
from labeler.domain.schema_changes import Renames, SchemaChange
from labeler.domain.schema_impact import SchemaApplied, SchemaImpact, impact_of
from labeler.domain.schema_toml import parse_schema, write_schema
from labeler.storage.database import Database


class OrphansNotConfirmed(LabelerError):
    """The change would delete annotations or attribute values, and that was not confirmed."""

    def __init__(self, impact: SchemaImpact) -> None:
        self.impact = impact
        lines = "; ".join(str(o) for o in impact.orphans)
        super().__init__(f"the new schema would lose annotations ({lines}); confirm to apply it")


class ImpactChanged(ConflictError):
    """What the change loses is not what was confirmed: annotations changed in between."""

    def __init__(self, confirmed: SchemaImpact, impact: SchemaImpact) -> None:
        self.confirmed = confirmed
        self.impact = impact
        super().__init__(
            f"the counts changed since they were shown ({confirmed.summary()} then, "
            f"{impact.summary()} now): nothing was changed; look at the change again"
        )


@dataclass(frozen=True)
class AppliedSchema:
    """A project with its new schema, what the change was counted to do, and what it did."""

    project: Project
    impact: SchemaImpact
    applied: SchemaApplied


class SchemaEditingService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def impact(
        self, project: Project, new_schema: LabelSchema, renames: Renames | None = None
    ) -> SchemaImpact:
        """What changing the project's schema to `new_schema` would do to its annotations,
        and the overlapping spans it would leave where a layer forbids them."""
        change = SchemaChange(project.schema, new_schema, renames or Renames())
        project_id = project.id
        with self._db.reading() as store:
            usage = store.schema_changes.usage(project_id, project.schema)
            layer_of = {
                label.name: layer
                for label in project.schema.labels()
                if (layer := change.layer_for(label.name)) is not None
            }
            overlaps = store.schema_changes.overlaps(
                project_id, layer_of, change.layers_to_check_for_overlap()
            )
        return impact_of(change, usage, overlaps)

    def apply(
        self,
        project: Project,
        new_schema: LabelSchema,
        renames: Renames | None = None,
        *,
        confirmed: SchemaImpact | None = None,
        source: str | None = None,
    ) -> AppliedSchema:
        """Changes the project's schema and carries its annotations over, in one transaction.

        Renamed labels, relation types, attributes and values carry their annotations along;
        annotations the new schema has no room for are deleted only as `confirmed`: the impact
        the person saw and agreed to. Without it OrphansNotConfirmed, and ImpactChanged if the
        recount here loses anything else; either changes nothing. `source` is the TOML text
        to store (a loaded file, comments and all); by default the schema is written out.
        ConflictError if the project's schema was changed elsewhere since `project` was read;
        RuleError if the change would leave spans overlapping in a layer that forbids it.
        """
        change = SchemaChange(project.schema, new_schema, renames or Renames())
        text = _source_of(new_schema, source)
        project_id = project.id
        if confirmed is not None and confirmed.change != change:
            raise LabelerError("the counts confirmed are of another schema change")
        with self._db.transaction() as store:
            # Locked before comparing: a schema change running at once waits, then sees ours.
            store.schema_changes.lock(project_id)
            if store.projects.get_by_id(project_id).schema != project.schema:
                raise ConflictError(
                    f"the schema of project {project.name!r} was changed elsewhere since it "
                    "was opened; reopen the project and edit it again"
                )
            usage = store.schema_changes.usage(project_id, project.schema)
            impact = impact_of(change, usage)
            if confirmed is None and impact.orphans_anything:
                raise OrphansNotConfirmed(impact)
            if confirmed is not None and confirmed.losses() != impact.losses():
                raise ImpactChanged(confirmed, impact)
            applied = store.schema_changes.apply(project_id, change, usage)
            updated = store.projects.set_schema(project_id, text)
        return AppliedSchema(updated, impact, applied)


def _source_of(schema: LabelSchema, source: str | None) -> str:
    if source is None:
        return write_schema(schema)
    if parse_schema(source, "the new schema") != schema:
        raise RuleError("the schema text given does not match the schema to apply")
    return source
