"""`labeler documents`: a project's documents with their status and span counts."""

from __future__ import annotations

import json

import typer

from labeler.cli.common import DbOption, JsonOption, ProjectOption, services_for

app = typer.Typer()


@app.command("documents")
def documents(
    ctx: typer.Context, project: ProjectOption, as_json: JsonOption = False, db: DbOption = None
) -> None:
    """List a project's documents: id, title, date, status and span counts."""
    with services_for(ctx, db) as services:
        found = services.projects.get(project)
        rows = services.documents.summaries(found)
        layers = [layer.name for layer in found.schema.layers]
    if as_json:
        records = [
            {
                "id": r.id,
                "title": r.title,
                "date": r.date.isoformat() if r.date else None,
                "status": r.status,
                "spans": {layer: r.span_counts.get(layer, 0) for layer in layers},
            }
            for r in rows
        ]
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if not rows:
        typer.echo(
            f"Project {project!r} has no documents yet: labeler import PATH --project {project!r}"
        )
        return
    head = f"{'id':>6}  {'date':<10}  {'status':<11}  " + "  ".join(f"{n:>11}" for n in layers)
    typer.echo(head + "  title")
    for r in rows:
        counts = "  ".join(f"{r.span_counts.get(n, 0):>11}" for n in layers)
        day = r.date.isoformat() if r.date else "-"
        typer.echo(f"{r.id:>6}  {day:<10}  {r.status:<11}  {counts}  {r.title}")
