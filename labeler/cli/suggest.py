"""`labeler suggest`: a recommender's suggestions stored for many documents at once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from labeler.cli.common import DbOption, ProjectOption, command_group, names, services_for
from labeler.domain.errors import LabelerError

app = command_group()


@app.command("suggest")
def suggest(
    ctx: typer.Context,
    project: ProjectOption,
    recommender: Annotated[
        str,
        typer.Option(
            "--recommender",
            "-r",
            help="string-matcher (texts labelled in the project), gazetteer, "
            "attribution-rules, entity-rules (amounts, dates, datelines, titled names), spacy "
            "or trained-model (the project's, see labeler train).",
        ),
    ],
    documents: Annotated[
        str | None,
        typer.Option(help="Document ids, comma-separated [default: every document]."),
    ] = None,
    gazetteer: Annotated[
        Path | None, typer.Option(help="gazetteer: a file of 'text<TAB>label' lines.")
    ] = None,
    cues: Annotated[
        Path | None,
        typer.Option(help="attribution-rules: reporting verbs and phrases, one a line."),
    ] = None,
    pipeline: Annotated[
        str | None,
        typer.Option(help="spacy: an installed pipeline's package name or folder."),
    ] = None,
    label_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="spacy: THEIRS=OURS, a pipeline label to a schema label (repeatable)."
        ),
    ] = None,
    mapping_file: Annotated[
        Path | None,
        typer.Option(help="spacy: a file of 'pipeline label<TAB>schema label' lines."),
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Seconds the recommender may take on one document.")
    ] = 30.0,
    db: DbOption = None,
) -> None:
    """Store a recommender's suggestions for a project's documents (pre-annotation)."""
    from labeler.services.suggesting import RecommenderChoice

    choice = RecommenderChoice(
        recommender,
        gazetteer=gazetteer,
        cues=cues,
        pipeline=pipeline,
        mapping=parse_mapping(label_map),
        mapping_file=mapping_file,
    )
    ids = parse_ids(documents)
    with services_for(ctx, db) as services, _SuggestBar() as bar:
        found = services.projects.get(project)
        built = services.suggestions.recommender(found, choice)
        report = services.suggestions.pre_annotate(found, built, ids, bar.update, timeout)
    for line in report.problems:
        typer.echo(line, err=True)
    typer.echo(report.headline())


def parse_ids(value: str | None) -> list[int] | None:
    """--documents: ids comma-separated; None when not given."""
    chosen = names(value)
    if chosen is None:
        return None
    try:
        return [int(n) for n in chosen]
    except ValueError:
        raise LabelerError(f"--documents {value!r}: give document ids, like 3,4,9") from None


def parse_mapping(pairs: list[str] | None) -> dict[str, str] | None:
    """--map THEIRS=OURS options as a mapping; None when none is given."""
    if not pairs:
        return None
    mapping = {}
    for pair in pairs:
        theirs, equals, ours = pair.partition("=")
        if not equals or not theirs.strip() or not ours.strip():
            raise LabelerError(f"--map {pair!r}: write THEIRS=OURS, like PER=PERSON")
        mapping[theirs.strip()] = ours.strip()
    return mapping


class _SuggestBar:
    """A progress bar over the documents, on stderr, shown only on a terminal."""

    def __init__(self) -> None:
        self._bar: typer.progressbar | None = None  # type: ignore[valid-type]
        self._done = 0

    def __enter__(self) -> _SuggestBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.render_finish()

    def update(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if self._bar is None:
            self._bar = typer.progressbar(
                length=total, label="Suggesting", file=sys.stderr, show_pos=True
            )
        self._bar.update(done - self._done)
        self._done = done


@app.command("suggestions")
def suggestions(ctx: typer.Context, project: ProjectOption, db: DbOption = None) -> None:
    """How many suggestions were accepted and rejected, per recommender and label."""
    with services_for(ctx, db) as services:
        found = services.suggestions.tallies(services.projects.get(project))
    if not found:
        typer.echo(f"No suggestion of project {project!r} was accepted or rejected yet.")
        return
    typer.echo(f"{'recommender':<20} {'label':<12} {'accepted':>8} {'rejected':>8} {'rate':>6}")
    for row in found:
        rate = "-" if row.rate is None else f"{row.rate:.0%}"
        label = row.label or "(all)"
        typer.echo(
            f"{row.recommender:<20} {label:<12} {row.accepted:>8} {row.rejected:>8} {rate:>6}"
        )
