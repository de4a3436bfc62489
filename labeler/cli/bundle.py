"""`labeler bundle out|in`: an annotator's work taken away in one SQLite file, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from labeler.cli.common import DbOption, ProjectOption, command_group, services_for

app = command_group(help="Work away from the team database, in one file.", no_args_is_help=True)

FileArgument = Annotated[Path, typer.Argument(help="The bundle file (SQLite).")]


@app.command("out")
def bundle_out(
    ctx: typer.Context,
    project: ProjectOption,
    annotator: Annotated[str, typer.Option(help="Whose assigned documents.")],
    file: FileArgument,
    db: DbOption = None,
) -> None:
    """Write an annotator's assigned documents, their sets and the schema to a new file."""
    with services_for(ctx, db) as services:
        report = services.bundles.bundle_out(project, annotator, file)
    typer.echo(
        f"Wrote {report.documents} documents ({report.sets} begun) to {file}; "
        f"open it with: labeler --db {file}"
    )


@app.command("in")
def bundle_in(ctx: typer.Context, file: FileArgument, db: DbOption = None) -> None:
    """Bring a bundle's annotation sets back; sets changed on both sides are named, not
    brought."""
    with services_for(ctx, db) as services:
        report = services.bundles.bundle_in(file)
    for line in report.lines():
        typer.echo(line)
    if report.conflicts:
        raise typer.Exit(1)
