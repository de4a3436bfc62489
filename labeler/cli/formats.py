"""`labeler formats`: the formats that import and export know, plugins' included."""

from __future__ import annotations

import typer

from labeler.cli.common import DbOption
from labeler.services import formats as catalogue

app = typer.Typer()


@app.command("formats")
def formats(db: DbOption = None) -> None:
    """List the formats that import and export know."""
    for fmt in catalogue.all_formats():
        endings = " ".join(fmt.extensions)
        typer.echo(f"{fmt.name:<12} {fmt.abilities:<13} {endings:<15} {fmt.description}")
    for problem in catalogue.problems():
        typer.echo(f"warning: {problem}", err=True)
