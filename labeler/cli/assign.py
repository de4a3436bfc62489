"""`labeler assign` and `labeler progress`: the lead hands out documents and watches progress."""

from __future__ import annotations

from typing import Annotated

import typer

from labeler.cli.common import DbOption, ProjectOption, command_group, names, services_for
from labeler.domain.errors import LabelerError

app = command_group()


@app.command("assign")
def assign(
    ctx: typer.Context,
    project: ProjectOption,
    annotators: Annotated[str, typer.Option(help="Comma-separated annotator names.")],
    per_document: Annotated[
        int, typer.Option("--per-document", help="Annotators per document.")
    ] = 1,
    overlap: Annotated[
        float, typer.Option(help="Share of documents every annotator gets (0 to 1).")
    ] = 0.0,
    seed: Annotated[int, typer.Option(help="The same seed gives the same assignment.")] = 0,
    db: DbOption = None,
) -> None:
    """Deal a project's documents out to annotators, balanced; begun work is kept."""
    people = names(annotators)
    if people is None:
        raise LabelerError("--annotators needs at least one name")
    with services_for(ctx, db) as services:
        found = services.projects.get(project)
        report = services.assignments.assign(found, people, per_document, overlap, seed)
    typer.echo(f"Assigned the documents of {project!r}:")
    for line in report.lines():
        typer.echo(f"  {line}")


@app.command("progress")
def progress(ctx: typer.Context, project: ProjectOption, db: DbOption = None) -> None:
    """Each annotator's assigned documents: done, in progress, skipped."""
    with services_for(ctx, db) as services:
        rows = services.assignments.progress(services.projects.get(project))
    if not rows:
        typer.echo(f"Nothing of {project!r} is assigned yet: labeler assign --project {project!r}")
        return
    width = max(len(p.annotator) for p in rows)
    for p in rows:
        typer.echo(
            f"{p.annotator:<{width}}  {p}  ({p.in_progress} in progress, {p.skipped} skipped)"
        )
