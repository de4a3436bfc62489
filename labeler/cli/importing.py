"""`labeler import`: articles from files and folders into a project."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from labeler.cli.common import DbOption, ProjectOption, command_group, services_for
from labeler.domain.offsets import OFFSETS_OPTION, check_unit
from labeler.domain.spans import DEFAULT_ANNOTATOR

if TYPE_CHECKING:
    from labeler.services.importing import ImportProgress
    from labeler.services.label_additions import LabelAdditions
    from labeler.services.workspace import Services

app = command_group()


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders (read recursively).", metavar="PATH...")
    ],
    project: ProjectOption,
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad",
            help="Import the good records and report each bad one, "
            "instead of stopping and storing nothing.",
        ),
    ] = False,
    format_name: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="Read every file in this format, whatever its name ends in."
        ),
    ] = None,
    text_column: Annotated[
        str, typer.Option(help="CSV and JSONL: the column (key) that holds the text.")
    ] = "text",
    title_column: Annotated[
        str, typer.Option(help="CSV and JSONL: the column (key) that holds the title.")
    ] = "title",
    date_column: Annotated[
        str, typer.Option(help="CSV and JSONL: the column (key) that holds the date.")
    ] = "date",
    annotator: Annotated[
        str, typer.Option(help="Who owns spans that a file gives without naming an annotator.")
    ] = DEFAULT_ANNOTATOR,
    offsets: Annotated[
        str | None,
        typer.Option(
            help="Label Studio and doccano: what the file's span offsets count, "
            "'codepoints' or 'utf16' [default: what the tool itself counts: code points "
            "for Label Studio, UTF-16 units for doccano].",
        ),
    ] = None,
    add_labels: Annotated[
        bool,
        typer.Option(
            "--add-labels",
            help="Add the labels, relation types and attribute values the files use that the "
            "schema lacks; they are shown first, to confirm.",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="With --add-labels: add them without asking.")
    ] = False,
    follow_links: Annotated[
        bool,
        typer.Option(
            "--follow-links",
            help="In folders, also read links that lead outside the folders named.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Import articles: .txt, .jsonl, .csv, or folders of them."""
    if offsets is not None:
        try:
            check_unit(offsets)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--offsets") from None
    from labeler.services.formats import ReadOptions

    options = ReadOptions(
        text_column,
        title_column,
        date_column,
        extra={OFFSETS_OPTION: offsets} if offsets else {},
    )
    if add_labels:
        from labeler.services.label_additions import label_additions  # reads with the storage

        with services_for(ctx, db) as services:
            additions = label_additions(
                services.projects.get(project).schema,
                paths,
                format_name,
                options,
                follow_links=follow_links,
            )
            _add_labels(services, project, additions, yes)
    with services_for(ctx, db) as services, _ImportBar() as bar:
        services.team.require_lead("import documents")
        report = services.importer.import_paths(
            project,
            paths,
            format_name=format_name,
            skip_bad=skip_bad,
            options=options,
            annotator=annotator,
            progress=bar.update,
            follow_links=follow_links,
        )
    for line in report.problems():
        typer.echo(line, err=True)
    typer.echo(report.headline(project))


def _add_labels(services: Services, project: str, additions: LabelAdditions, yes: bool) -> None:
    """Shows what the files use that the project's schema lacks, and adds it once agreed."""
    current = services.projects.get(project)
    if not additions.edits:
        typer.echo(f"The schema of {project!r} has every label the files use.")
        return
    typer.echo(f"To add to the schema of {project!r}:")
    for edit in additions.edits:
        typer.echo(f"  {edit}")
    if not yes and not typer.confirm("Add them, then import?", default=False):
        typer.echo("Nothing was added or imported.")
        raise typer.Exit(1)
    services.schemas.apply(current, additions.schema)
    typer.echo(f"Added {len(additions.edits)} to the schema.")


class _ImportBar:
    """A progress bar over the files of an import, on stderr, shown only on a terminal."""

    def __init__(self) -> None:
        self._bar: typer.progressbar | None = None  # type: ignore[valid-type]
        self._done = 0

    def __enter__(self) -> _ImportBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.render_finish()

    def update(self, p: ImportProgress) -> None:
        if not sys.stderr.isatty():
            return
        if self._bar is None:
            self._bar = typer.progressbar(
                length=p.files_total, label="Importing", file=sys.stderr, show_pos=True
            )
        self._bar.label = f"Importing ({p.records} records)"
        self._bar.update(p.files_done - self._done)
        self._done = p.files_done
