"""`labeler team init|add|list|remove|join|leave|others-visible`: accounts of a team database.

Accounts are PostgreSQL login roles; the app never stores a password. Connect as the database's
owner (`--db postgresql+psycopg://owner@host/name`, the password from PGPASSWORD or ~/.pgpass)
to set the team up.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from labeler.cli.common import DbOption, ProjectOption, command_group, services_for
from labeler.domain.team import Role

app = command_group(
    help="Accounts of a team database on PostgreSQL: leads and annotators.", no_args_is_help=True
)


class RoleChoice(StrEnum):
    annotator = "annotator"
    lead = "lead"


NameArgument = Annotated[str, typer.Argument(help="The account's login name.")]


@app.command("init")
def init(ctx: typer.Context, db: DbOption = None) -> None:
    """Create the lead and annotator groups and the rules the database enforces (run by the
    database's owner; safe to run again)."""
    with services_for(ctx, db) as services:
        services.team.init()
    typer.echo(
        "Team database ready: groups labeler_lead and labeler_annotator, with row-level "
        "security. Add people with: labeler team add NAME --role annotator|lead"
    )


@app.command("add")
def add(
    ctx: typer.Context,
    name: NameArgument,
    role: Annotated[RoleChoice, typer.Option(help="What the account may do.")] = (
        RoleChoice.annotator
    ),
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Create a login account; prints its new password once (or takes one from stdin)."""
    given = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    with services_for(ctx, db) as services:
        password = services.team.add(name, Role(role.value), given or None)
    typer.echo(f"Added {role.value} {name}.")
    if not given:
        typer.echo(f"Password (shown only now; give it to {name}): {password}")


@app.command("list")
def list_(ctx: typer.Context, db: DbOption = None) -> None:
    """List the team's accounts with their role and projects."""
    with services_for(ctx, db) as services:
        accounts = services.team.accounts()
    if not accounts:
        typer.echo("No accounts yet: labeler team add NAME --role annotator")
        return
    width = max(len(a.name) for a in accounts)
    for a in accounts:
        projects = ", ".join(a.projects) if a.projects else "no project"
        typer.echo(f"{a.name:<{width}}  {a.role.value:<9}  {projects}")


@app.command("remove")
def remove(ctx: typer.Context, name: NameArgument, db: DbOption = None) -> None:
    """Remove an account; the annotations it made stay."""
    with services_for(ctx, db) as services:
        services.team.remove(name)
    typer.echo(f"Removed {name}; their annotations stay.")


@app.command("join")
def join(
    ctx: typer.Context, name: NameArgument, project: ProjectOption, db: DbOption = None
) -> None:
    """Make an account a member of a project (annotators see only their projects)."""
    with services_for(ctx, db) as services:
        added = services.team.join(name, project)
    typer.echo(f"{name} {'joined' if added else 'was already a member of'} {project!r}.")


@app.command("leave")
def leave(
    ctx: typer.Context, name: NameArgument, project: ProjectOption, db: DbOption = None
) -> None:
    """End an account's membership of a project."""
    with services_for(ctx, db) as services:
        left = services.team.leave(name, project)
    typer.echo(f"{name} {'left' if left else 'was not a member of'} {project!r}.")


@app.command("others-visible")
def others_visible(
    ctx: typer.Context,
    project: ProjectOption,
    visible: Annotated[bool, typer.Argument(help="yes: annotators read each other's sets")],
    db: DbOption = None,
) -> None:
    """Let a project's annotators read each other's sets, or not (the default: blind)."""
    with services_for(ctx, db) as services:
        services.team.set_others_visible(project, visible)
    seen = "see each other's sets" if visible else "label blind"
    typer.echo(f"Annotators of {project!r} now {seen}.")
