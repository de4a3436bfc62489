"""`labeler curate`: curated (gold) sets started from what the annotators agree on."""

from __future__ import annotations

from typing import Annotated

import typer

from labeler.cli.common import DbOption, ProjectOption, command_group, names, services_for
from labeler.domain.errors import LabelerError

app = command_group()


@app.command("curate")
def curate(
    ctx: typer.Context,
    project: ProjectOption,
    curator: Annotated[str, typer.Option("--curator", help="Who curates (named on each set).")],
    annotators: Annotated[
        str | None,
        typer.Option(help="Comma-separated annotators to merge [default: all on a document]."),
    ] = None,
    min_agree: Annotated[
        int | None,
        typer.Option(help="How many of them must agree on an item [default: all]."),
    ] = None,
    documents: Annotated[
        str | None,
        typer.Option(help="Comma-separated document ids [default: every document]."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Start a curated set on each document from what the chosen annotators agree on; print
    the disagreements left to decide on each."""
    ids = None
    if documents is not None:
        try:
            ids = [int(n) for n in names(documents) or ()]
        except ValueError:
            raise LabelerError(f"--documents {documents!r}: give document ids, like 3,7") from None
    with services_for(ctx, db) as services:
        found = services.projects.get(project)
        outcomes = services.curation.start_many(found, curator, names(annotators), min_agree, ids)
    started = [o for o in outcomes if o.disagreements is not None]
    for o in outcomes:
        if o.disagreements is None:
            typer.echo(f"document {o.document_id}: skipped, {o.skipped}")
        else:
            typer.echo(f"document {o.document_id}: {o.disagreements} disagreements")
    typer.echo(
        f"Started {len(started)} curated sets; "
        f"{sum(o.disagreements or 0 for o in started)} disagreements to decide; "
        f"{len(outcomes) - len(started)} documents skipped."
    )
