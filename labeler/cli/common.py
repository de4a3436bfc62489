"""What every command shares: the --db option, opening the services, one-line errors, exit codes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from labeler.cli.words import names as names
from labeler.cli.words import one_line
from labeler.domain.errors import LabelerError

if TYPE_CHECKING:  # the services (and the database under them) load when a command runs
    from labeler.services.workspace import Services

log = logging.getLogger(__name__)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="LABELER_DB",
        help="Database: a SQLite file path or URL, or postgresql+psycopg://user@host/name. "
        "Default: labeler.db in your data folder.",
        show_default=False,
    ),
]
ProjectOption = Annotated[str, typer.Option("--project", "-p", help="Project name.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]

OpenServices = Callable[[str | None], "Services"]
OpenWindow = Callable[["Services"], int]
LogIn = Callable[[str | None, str], int]  # a team database's URL and why it would not open


def command_group(**settings: Any) -> typer.Typer:
    """A group of commands with plain help: Typer's Rich formatting costs more start-up time
    (about 0.1 s of imports) than any command's work."""
    return typer.Typer(rich_markup_mode=None, **settings)


@dataclass
class Wiring:
    """What the composition root hands the commands (as the click context's obj), and the
    --db given before the command, if any."""

    open_services: OpenServices
    open_window: OpenWindow
    db: str | None = None
    log_in: LogIn | None = None


@contextmanager
def services_for(ctx: typer.Context, db: str | None) -> Iterator[Services]:
    """The services on the database a command names (its own --db, else the one given before
    the command, else the default), closed when the block ends."""
    wiring: Wiring = ctx.obj
    services = wiring.open_services(db or wiring.db)
    try:
        yield services
    finally:
        services.close()


def run(app: typer.Typer, argv: list[str], wiring: Wiring, log_file: Path | None) -> int:
    """Runs the command line; returns the exit code. Errors are one line on stderr: 1 for a
    refused request, 2 for a usage mistake or an unexpected error (its traceback goes to the
    log, `log_file`), 130 when stopped."""
    try:
        # Not standalone, typer.Exit(code) comes back as the code (the window's, for one).
        code = app(argv, prog_name="labeler", standalone_mode=False, obj=wiring)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        return 130
    except typer.TyperException as exc:  # usage errors: unknown option, missing argument
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        typer.echo(f"error: {one_line(message)}{hint}", err=True)
        return int(getattr(exc, "exit_code", 2))
    except LabelerError as exc:
        typer.echo(f"error: {one_line(exc)}", err=True)
        return 1
    except KeyboardInterrupt:
        typer.echo("Interrupted; nothing of an unfinished import was stored.", err=True)
        return 130
    except Exception as exc:  # the last guard: one line for the person, details in the log
        log.exception("unexpected error")
        where = f" (details in {log_file})" if log_file else ""
        typer.echo(f"error: unexpected {type(exc).__name__}: {one_line(exc)}{where}", err=True)
        return 2
    return code if isinstance(code, int) else 0
