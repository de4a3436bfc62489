"""`labeler documents`: a project's documents with their status and span counts."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from labeler.cli.common import DbOption, JsonOption, ProjectOption, command_group, services_for

app = command_group()


@app.command("documents")
def documents(
    ctx: typer.Context,
    project: ProjectOption,
    annotator: Annotated[
        str | None,
        typer.Option(help="Show this annotator's status and span counts [default: everyone's]."),
    ] = None,
    as_json: JsonOption = False,
    assigned_to: Annotated[
        str | None,
        typer.Option(
            "--assigned-to",
            help="Only the documents assigned to this annotator, in order, with their status "
            "(on a team database, your own by default).",
        ),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every document, assigned or not.")] = False,
    db: DbOption = None,
) -> None:
    """List a project's documents: id, date, status, span counts, each annotator's status
    and title."""
    from labeler.domain.annotation import Status
    from labeler.domain.document import DocumentQuery

    with services_for(ctx, db) as services:
        found = services.projects.get(project)
        me = services.team.identity()
        who = None if every else assigned_to or (me.name if me.is_account else None)
        if who is None:
            rows = services.documents.summaries(found)
            if annotator is not None:
                rows = services.documents.summaries_for_ids([r.id for r in rows], annotator)
        else:
            ids = list(services.documents.ids(found, DocumentQuery(annotator=who, assigned=True)))
            rows = services.documents.summaries_for_ids(ids, who)
        whose = services.documents.statuses_by_annotator([r.id for r in rows])
        layers = [layer.name for layer in found.schema.layers]
    if who is not None and not as_json:
        done = sum(r.status == Status.DONE for r in rows)
        typer.echo(f"Assigned to {who}: {done} / {len(rows)} done")
    if as_json:
        records = [
            {
                "id": r.id,
                "title": r.title,
                "date": r.date.isoformat() if r.date else None,
                "status": r.status,
                "annotators": whose.get(r.id, {}),
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
    # Who is where, when several work on one document: "ana done, bo in_progress".
    cells = {r.id: ", ".join(f"{n} {s}" for n, s in whose.get(r.id, {}).items()) for r in rows}
    wide = max(len("annotators"), *(len(c) for c in cells.values()))
    status = "status" if annotator is None else f"{annotator}'s"
    head = f"{'id':>6}  {'date':<10}  {status:<11}  " + "  ".join(f"{n:>11}" for n in layers)
    typer.echo(f"{head}  {'annotators':<{wide}}  title")
    for r in rows:
        counts = "  ".join(f"{r.span_counts.get(n, 0):>11}" for n in layers)
        day = r.date.isoformat() if r.date else "-"
        line = f"{r.id:>6}  {day:<10}  {r.status:<11}  {counts}  {cells[r.id]:<{wide}}  {r.title}"
        typer.echo(line)
