"""`labeler export`: a project's documents and annotations to a file or folder of a format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from labeler.cli.common import DbOption, ProjectOption, command_group, services_for
from labeler.cli.export_request import ExportRequest, export_lines

app = command_group()


@app.command("export")
def export(
    ctx: typer.Context,
    project: ProjectOption,
    out: Annotated[Path, typer.Option("--out", "-o", help="File (or folder) to write.")],
    format_name: Annotated[str, typer.Option("--format", "-f", help="Format name.")] = "jsonl",
    status: Annotated[
        str | None,
        typer.Option(
            help="Statuses to export, comma-separated, or 'any' "
            "[default: any for jsonl, done for the others]."
        ),
    ] = None,
    annotator: Annotated[
        str | None, typer.Option(help="Annotators to export, comma-separated [default: all].")
    ] = None,
    layers: Annotated[
        str | None, typer.Option(help="Layers to export, comma-separated [default: all].")
    ] = None,
    labels: Annotated[
        str | None, typer.Option(help="Labels to export, comma-separated [default: all].")
    ] = None,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge", help="Merge the chosen annotators' sets into one set per document."
        ),
    ] = False,
    curated: Annotated[
        bool,
        typer.Option(
            "--curated",
            help="Export each document's curated (gold) set; documents without a finished "
            "(done) one are left out and counted.",
        ),
    ] = False,
    split: Annotated[
        str, typer.Option(help="Train/dev/test shares, like 80/10/10 (one file each).")
    ] = "100",
    seed: Annotated[int, typer.Option(help="Seed of the split: same seed, same split.")] = 0,
    suggestions: Annotated[
        bool,
        typer.Option(
            "--suggestions",
            help="Write each document's stored suggestions too, apart from the annotations "
            "(Label Studio predictions, the jsonl 'suggestions' list).",
        ),
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace FILE if it exists.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Export a project: jsonl is the native, lossless format that import reads back."""
    request = ExportRequest(
        project,
        out,
        format_name,
        status,
        annotator,
        layers,
        labels,
        merge,
        curated,
        split,
        seed,
        suggestions,
        overwrite,
    )
    options = request.options()
    with services_for(ctx, db) as services:
        services.team.require_lead("export")
        lines = export_lines(services.exporter, request, options)
    for line in lines:
        typer.echo(line)
