"""`labeler project create|list|guidelines`: the projects of a database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from labeler.cli import schema
from labeler.cli.common import DbOption, JsonOption, command_group, services_for
from labeler.cli.quick import project_lines

app = command_group(help="Create and list projects.", no_args_is_help=True)
app.add_typer(schema.app)  # project schema, project set-schema


@app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name of the new project.")],
    schema: Annotated[
        str, typer.Option(help="A built-in schema name (news) or a schema .toml file.")
    ] = "news",
    schema_from: Annotated[
        Path | None,
        typer.Option(
            "--schema-from",
            help="Make the schema from the data or its tool's configuration: a brat "
            "annotation.conf (or its folder), a Label Studio config .xml, a doccano label "
            "list .json, or a file or folder to import (CoNLL, doccano, ...): the labels it uses.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Create a project with a label schema."""
    with services_for(ctx, db) as services:
        if schema_from is not None:
            project = services.projects.create_from(name, schema_from)
        else:
            project = services.projects.create(name, schema)
    labels = sum(len(layer.labels) for layer in project.schema.layers)
    layers = ", ".join(layer.name for layer in project.schema.layers)
    typer.echo(
        f"Created project {project.name!r} (schema {project.schema.name}: "
        f"{labels} labels in layers {layers})."
    )


@app.command("guidelines")
def guidelines(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The project.")],
    file: Annotated[
        Path | None,
        typer.Argument(help="A Markdown file with the guidelines; without it, they are shown."),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the guidelines.")] = False,
    db: DbOption = None,
) -> None:
    """Set a project's annotation guidelines from a Markdown file (shown in the window's
    Guidelines dock), or show them."""
    with services_for(ctx, db) as services:
        if clear:
            services.projects.set_guidelines(name, "")
            typer.echo(f"Removed the guidelines of project {name!r}.")
            return
        if file is None:
            text = services.projects.get(name).guidelines
            typer.echo(text.rstrip("\n") if text else f"Project {name!r} has no guidelines yet.")
            return
        project = services.projects.guidelines_from(name, file)
    lines = project.guidelines.count("\n")
    typer.echo(
        f"Set the guidelines of project {project.name!r} from {file} "
        f"({lines} line{'' if lines == 1 else 's'})."
    )


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False, db: DbOption = None) -> None:
    """List the projects with their schema and document count."""
    with services_for(ctx, db) as services:
        projects = services.projects.list()
        me = services.team.identity()
    for line in project_lines(projects, me, as_json):
        typer.echo(line)
