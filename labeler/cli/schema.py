"""`labeler project schema|set-schema`: print a project's label schema, and change it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from labeler.cli.common import DbOption, command_group, services_for
from labeler.domain.errors import LabelerError, RuleError

if TYPE_CHECKING:
    from labeler.domain.schema_changes import Renames

app = command_group()


@app.command("schema")
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Project name.")],
    db: DbOption = None,
) -> None:
    """Print a project's label schema as TOML (edit it, then use set-schema)."""
    with services_for(ctx, db) as services:
        project = services.projects.get(name)
    typer.echo(project.schema_source.rstrip("\n"))


@app.command("set-schema")
def set_schema(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Project name.")],
    schema_file: Annotated[Path, typer.Argument(help="The new schema, a .toml file.")],
    rename: Annotated[
        list[str] | None,
        typer.Option(
            help="Carry annotations to a new name: label:OLD=NEW, relation:OLD=NEW, "
            "attribute:OLD=NEW or value:ATTRIBUTE.OLD=NEW (repeatable).",
        ),
    ] = None,
    remove: Annotated[
        list[str] | None,
        typer.Option(
            help="Delete the annotations of a name even though the new schema has it (as a "
            "new, different one): label:NAME, relation:NAME, attribute:NAME or "
            "value:ATTRIBUTE.VALUE (repeatable).",
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Apply without asking, even if it loses annotations."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Change a project's label schema; annotations follow renames, and removals that
    would lose annotations are counted and asked about first."""
    from labeler.domain.schema_toml import load_schema_file

    schema, text = load_schema_file(schema_file)
    renames = parse_renames(rename or [], remove or [])
    with services_for(ctx, db) as services:
        project = services.projects.get(name)
        impact = services.schemas.impact(project, schema, renames)
        for edit in impact.change.edits():
            typer.echo(f"  {edit}")
        if impact.overlap_problem():
            raise RuleError(f"not applied: {impact.overlap_problem()}")
        if impact.orphans_anything:
            typer.echo("This loses annotations:")
            for orphan in impact.orphans:
                typer.echo(f"  {orphan}")
            typer.echo(f"In all: {impact.summary()}.")
            if not yes:
                typer.confirm("Apply the new schema?", abort=True)
        done = services.schemas.apply(project, schema, renames, confirmed=impact, source=text)
    a = done.applied
    typer.echo(
        f"Schema of project {name!r} changed: {a.spans_relabelled} spans relabelled, "
        f"{a.relations_retyped} relations retyped, {a.spans_reattributed} spans with "
        f"attribute values changed, {a.spans_deleted} spans and {a.relations_deleted} "
        "relations deleted."
    )


def parse_renames(specs: list[str], removals: list[str]) -> Renames:
    """--rename values (label:OLD=NEW, relation:..., attribute:..., value:ATTR.OLD=NEW) and
    --remove values (label:NAME, relation:NAME, attribute:NAME, value:ATTR.VALUE)."""
    from labeler.domain.schema_changes import Renames

    kinds = ("label", "relation", "attribute", "value")
    found: dict[str, dict[Any, str]] = {kind: {} for kind in kinds}
    for spec in specs:
        kind, _, pair = spec.partition(":")
        old, _, new = pair.partition("=")
        if kind not in found or not old or not new or (kind == "value" and "." not in old):
            raise LabelerError(
                f"--rename {spec!r}: use label:OLD=NEW, relation:OLD=NEW, attribute:OLD=NEW "
                "or value:ATTRIBUTE.OLD=NEW"
            )
        found[kind][tuple(old.split(".", 1)) if kind == "value" else old] = new
    gone: dict[str, set[Any]] = {kind: set() for kind in kinds}
    for spec in removals:
        kind, _, old = spec.partition(":")
        if kind not in gone or not old or (kind == "value" and "." not in old):
            raise LabelerError(
                f"--remove {spec!r}: use label:NAME, relation:NAME, attribute:NAME "
                "or value:ATTRIBUTE.VALUE"
            )
        gone[kind].add(tuple(old.split(".", 1)) if kind == "value" else old)
    return Renames(
        labels=found["label"],
        relation_types=found["relation"],
        attributes=found["attribute"],
        values=found["value"],
        removed_labels=frozenset(gone["label"]),
        removed_relation_types=frozenset(gone["relation"]),
        removed_attributes=frozenset(gone["attribute"]),
        removed_values=frozenset(gone["value"]),
    )
