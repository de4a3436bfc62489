"""The root command with every group of commands added to it."""

from __future__ import annotations

from contextlib import ExitStack

import typer

from labeler.cli import (
    agreement,
    assign,
    bundle,
    curating,
    documents,
    exporting,
    formats,
    importing,
    projects,
    search,
    suggest,
    team,
    train,
)
from labeler.cli.common import (
    DbOption,
    Wiring,
    command_group,
    services_for,
)
from labeler.domain.errors import LabelerError


def root_app() -> typer.Typer:
    """The root command with every group added: import, documents, export, formats,
    agreement, and project (with its schema commands)."""
    app = command_group(
        name="labeler",
        help="Annotate news articles with entities, claims and attributions; export training data.",
        no_args_is_help=False,
        pretty_exceptions_enable=False,
        add_completion=False,
    )

    @app.callback(invoke_without_command=True)
    def root(ctx: typer.Context, db: DbOption = None) -> None:
        """With no command, opens the annotation window."""
        wiring: Wiring = ctx.obj
        wiring.db = db
        if ctx.invoked_subcommand is None:
            with ExitStack() as stack:
                try:
                    services = stack.enter_context(services_for(ctx, None))
                except LabelerError as error:
                    # A team database that would not let us in: the window asks who logs in.
                    if wiring.log_in is None or not (db or "").startswith("postgresql"):
                        raise
                    raise typer.Exit(wiring.log_in(db, str(error))) from None
                raise typer.Exit(wiring.open_window(services))

    for commands in (
        importing.app,
        documents.app,
        search.app,
        exporting.app,
        formats.app,
        agreement.app,
        curating.app,
        suggest.app,
        train.app,
        assign.app,
    ):
        app.add_typer(commands)  # no name: their commands join the root
    app.add_typer(projects.app, name="project")
    app.add_typer(team.app, name="team")
    app.add_typer(bundle.app, name="bundle")
    return app
