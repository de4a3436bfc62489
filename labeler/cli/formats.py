"""`labeler formats`: the formats that import and export know, plugins' included."""

from __future__ import annotations

import typer

from labeler.cli.common import DbOption, command_group
from labeler.cli.quick import format_lines

app = command_group()


@app.command("formats")
def formats(db: DbOption = None) -> None:
    """List the formats that import and export know."""
    lines, warnings = format_lines()
    for line in lines:
        typer.echo(line)
    for warning in warnings:
        typer.echo(warning, err=True)
