"""`labeler export`: a project's documents and annotations to a file or folder of a format."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from labeler.cli.common import DbOption, ProjectOption, command_group, names, services_for
from labeler.domain.errors import LabelerError

if TYPE_CHECKING:
    from labeler.domain.annotation import Status

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
    from labeler.domain.splits import SplitRatios
    from labeler.services.exporting import ExportOptions, NothingToExport

    options = ExportOptions(
        statuses=parse_statuses(status),
        annotators=names(annotator),
        layers=names(layers),
        labels=names(labels),
        merge=merge,
        curated=curated,
        split=SplitRatios.parse(split),
        seed=seed,
        suggestions=suggestions,
    )
    if curated and (merge or annotator):
        raise LabelerError("--curated takes the curated sets: leave out --merge and --annotator")
    from labeler.services.workers import forked_workers_allowed

    with services_for(ctx, db) as services, forked_workers_allowed():
        services.team.require_lead("export")
        try:
            report = services.exporter.export(
                project, format_name, out, options, overwrite=overwrite
            )
        except NothingToExport as nothing:
            hint = "; use --status any, or mark documents done" if nothing.by_status else ""
            raise LabelerError(f"{nothing}{hint}") from None
    for line in report.describe():
        typer.echo(line)


def parse_statuses(value: str | None) -> frozenset[Status] | None:
    """--status: 'any', or statuses comma-separated; None when not given."""
    from labeler.domain.annotation import Status

    chosen = names(value)
    if chosen is None:
        return None
    if chosen == ("any",):
        return frozenset(Status)
    try:
        return frozenset(Status(n) for n in chosen)
    except ValueError:
        allowed = ", ".join(s.value for s in Status)
        raise LabelerError(f"--status {value!r}: use any, or some of {allowed}") from None
