"""The command line (Typer): `labeler` opens the window; one module per command group."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

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
    LogIn,
    OpenServices,
    OpenWindow,
    Wiring,
    run,
    services_for,
)
from labeler.domain.errors import LabelerError


def root_app() -> typer.Typer:
    """The root command with every group added: import, documents, export, formats,
    agreement, and project (with its schema commands)."""
    app = typer.Typer(
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


def build_cli(
    open_services: OpenServices,
    open_window: OpenWindow,
    log_file: Path | None = None,
    log_in: LogIn | None = None,
) -> Callable[[list[str]], int]:
    """The command line, working through services that open_services builds for a database.

    Unexpected errors are one line on stderr; their traceback goes to the log (`log_file`).
    """
    app = root_app()

    def main(argv: list[str]) -> int:
        if len(argv) == 1 and not argv[0].startswith("-") and Path(argv[0]).is_file():
            argv = ["--db", argv[0]]  # `labeler FILE` opens that database (a bundle, say)
        return run(app, argv, Wiring(open_services, open_window, log_in=log_in), log_file)

    return main
