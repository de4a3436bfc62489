"""`labeler search`: the documents of a project that hold some words or a phrase, and where."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from labeler.cli.common import DbOption, JsonOption, ProjectOption, command_group, services_for

app = command_group()

QueryArgument = Annotated[
    str,
    typer.Argument(
        help="Words a document must all hold, or a phrase in double quotes ('\"flood aid\"').",
        show_default=False,
    ),
]
LimitOption = Annotated[int, typer.Option("--limit", help="At most this many documents.")]
PlacesOption = Annotated[
    int, typer.Option("--places", help="Places shown for each document (the count is always).")
]


@app.command("search")
def search(
    ctx: typer.Context,
    query: QueryArgument,
    project: ProjectOption,
    limit: LimitOption = 20,
    places: PlacesOption = 3,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Find the documents holding every word (or the phrase), with the places in their text."""
    with services_for(ctx, db) as services:
        found = services.projects.get(project)
        result = services.search.search(found, query, limit=limit, contexts_each=places)
    if as_json:
        records = [
            {"id": hit.document_id, "title": hit.title, "places": [list(p) for p in hit.places]}
            for hit in result.hits
        ]
        typer.echo(json.dumps({"documents": records, "more": result.more}, ensure_ascii=False))
        return
    if not result.hits:
        typer.echo(f"No document of {project!r} holds {result.query.describe()}.")
        return
    for hit in result.hits:
        count = len(hit.places)
        where = f"{count} place{'s' if count != 1 else ''}" if count else "in the title"
        typer.echo(f"{hit.document_id:>8}  {hit.title}  ({where})")
        for (start, end), (before, words, after) in zip(hit.places, hit.contexts, strict=False):
            typer.echo(f"{'':>10}[{start}, {end})  {before}[{words}]{after}")
    if result.more:
        typer.echo(f"More documents match; showing the first {len(result.hits)} (--limit).")
