"""`labeler train`: the project's model trained on its finished documents; `labeler models`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from labeler.cli.common import DbOption, ProjectOption, command_group, services_for

app = command_group()


@app.command("train")
def train(
    ctx: typer.Context,
    project: ProjectOption,
    out: Annotated[
        Path | None,
        typer.Option(help="Also copy the trained spaCy pipeline to this (new or empty) folder."),
    ] = None,
    min_f1: Annotated[
        float | None,
        typer.Option(
            "--min-f1",
            min=0.0,
            max=1.0,
            help="Set the project's threshold: below this "
            "held-out F1 the model proposes nothing [kept: 0.5 unless set].",
        ),
    ] = None,
    retrain_every: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Set the project's setting: the window trains again after every N "
            "newly finished documents (0: only when asked).",
        ),
    ] = None,
    iterations: Annotated[int, typer.Option(min=1, help="Passes over the training data.")] = 10,
    width: Annotated[int, typer.Option(min=8, help="Width of the token encoder.")] = 64,
    depth: Annotated[int, typer.Option(min=1, help="Depth of the token encoder.")] = 2,
    db: DbOption = None,
) -> None:
    """Train the project's model (spaCy NER for the entity layer) on its finished documents,
    measure it on held-out ones, and keep it as the next version."""
    from labeler.assist.training import TrainingSettings
    from labeler.domain.trained_model import TrainingPolicy

    settings = TrainingSettings(iterations=iterations, width=width, depth=depth)

    def progress(done: int, total: int, loss: float) -> None:
        typer.echo(f"iteration {done}/{total} loss {loss:.1f}")
        sys.stdout.flush()  # the window reads these lines as they come

    with services_for(ctx, db) as services:
        found = services.projects.get(project)
        training = services.training
        policy = training.policy(found)
        if min_f1 is not None or retrain_every is not None:
            policy = TrainingPolicy(
                policy.min_f1 if min_f1 is None else min_f1,
                policy.retrain_every if retrain_every is None else retrain_every,
            )
            training.set_policy(found, policy)
        examples = training.examples(found)
        typer.echo(f"training on {len(examples)} finished documents of {project!r}")
        outcome = training.train(found, settings, progress, examples=examples)
        model = outcome.model
        if out is not None:
            training.export(found, out, model.version)
    typer.echo(
        f"model {model.figures()} on {model.held_out} held-out documents "
        f"({model.documents} trained on)"
    )
    typer.echo(f"{'label':<12} {'P':>5} {'R':>5} {'F1':>5} {'spans':>6}")
    for label, score in model.per_label.items():
        typer.echo(
            f"{label:<12} {score.precision:>5.2f} {score.recall:>5.2f} {score.f1:>5.2f} "
            f"{score.support:>6}"
        )
    if model.f1 < policy.min_f1:
        typer.echo(f"below the threshold F1 {policy.min_f1:.2f}: it proposes nothing")
    typer.echo(f"kept in {model.folder}" + (f", copied to {out}" if out is not None else ""))


@app.command("models")
def models(ctx: typer.Context, project: ProjectOption, db: DbOption = None) -> None:
    """The project's trained model versions with their held-out figures."""
    with services_for(ctx, db) as services:
        found = services.projects.get(project)
        versions = services.training.models(found)
        policy = services.training.policy(found)
    if not versions:
        typer.echo(f"Project {project!r} has no trained model yet: labeler train --project ...")
        return
    for model in versions:
        when = model.created.strftime("%Y-%m-%d %H:%M")
        typer.echo(f"{model.figures()}  {when}  {model.documents}+{model.held_out} documents")
    every = f", retrained every {policy.retrain_every}" if policy.retrain_every else ""
    typer.echo(f"threshold F1 {policy.min_f1:.2f}{every}")
