"""`labeler agreement`: how far a project's annotators agree, as a table or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from labeler.cli.common import (
    DbOption,
    JsonOption,
    ProjectOption,
    command_group,
    names,
    services_for,
)
from labeler.quality.figures import ALL, Figure, Measure, StatusFilter

if TYPE_CHECKING:  # the measures load numpy: only when the command runs
    from labeler.quality.agreement import AgreementReport

app = command_group()


class By(StrEnum):
    PAIR = "pair"
    LABEL = "label"
    DOCUMENT = "document"


AnnotatorsOption = Annotated[
    str | None,
    typer.Option("--annotators", help="Comma-separated annotators to compare. Default: all."),
]
LayersOption = Annotated[
    str | None, typer.Option("--layers", help="Comma-separated layers. Default: all.")
]
StatusOption = Annotated[
    StatusFilter,
    typer.Option("--status", help="Compare sets marked done, or sets of any status."),
]
ByOption = Annotated[
    By,
    typer.Option("--by", help="One column per pair, one row per label, or one per document."),
]


@app.command("agreement")
def agreement(
    ctx: typer.Context,
    project: ProjectOption,
    annotators: AnnotatorsOption = None,
    layers: LayersOption = None,
    status: StatusOption = StatusFilter.DONE,
    by: ByOption = By.PAIR,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Agreement between annotators on the documents at least two of them labelled: span and
    relation F1, Cohen's and Fleiss' kappa, Krippendorff's alpha, attribution frames."""
    with services_for(ctx, db) as services:
        found = services.projects.get(project)
        report = services.agreement.measure(found, names(annotators), names(layers), status)
    if as_json:
        typer.echo(json.dumps(report_json(report), ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{report.documents} documents compared by {', '.join(report.annotators)} "
        f"(sets {'marked done' if status is StatusFilter.DONE else 'of any status'}); "
        f"{report.left_out} left out with fewer than two of them."
    )
    if report.documents == 0:
        return
    lines = {By.PAIR: by_pair, By.LABEL: by_label, By.DOCUMENT: by_document}[by](report)
    for line in lines:
        typer.echo(line.rstrip())


def report_json(report: AgreementReport) -> dict[str, Any]:
    return {
        "annotators": list(report.annotators),
        "layers": list(report.layers),
        "status": str(report.status),
        "documents": report.documents,
        "left_out": report.left_out,
        "figures": [{**asdict(f), "measure": str(f.measure)} for f in report.figures],
        "by_document": [
            {**asdict(d), "annotators": list(d.annotators)} for d in report.by_document
        ],
    }


def _value(figure: Figure | None) -> str:
    if figure is None or figure.value is None:
        return "-"
    return f"{figure.value:.3f}"


def by_pair(report: AgreementReport) -> list[str]:
    """One row per layer and measure (of the whole layer, and per attribute for attribute
    kappa), one column per pair and the pool."""
    columns = [*dict.fromkeys(f.pair for f in report.figures if f.pair != ALL), ALL]
    shown = [f for f in report.figures if f.label == "" or f.measure is Measure.ATTRIBUTE_KAPPA]
    cells = {(f.layer, f.measure, f.label, f.pair): f for f in shown}
    order = list(dict.fromkeys(f.layer for f in shown))
    rows = sorted(
        dict.fromkeys((f.layer, f.measure, f.label) for f in shown), key=lambda r: order.index(r[0])
    )
    width = max(len(c) for c in columns) + 2
    wide = max(len(f"{measure} {label}".strip()) for _, measure, label in rows) + 2
    head = f"{'layer':<20}{'measure':<{wide}}" + "".join(f"{c:>{width}}" for c in columns)
    lines = [head + f"{'units':>10}", "-" * (len(head) + 10)]
    notes: dict[str, str] = {}
    for layer, measure, label in rows:
        name = f"{measure} {label}".strip()
        row = f"{layer:<20}{name:<{wide}}"
        for pair in columns:
            figure = cells.get((layer, measure, label, pair))
            row += f"{_value(figure):>{width}}"
            if figure is not None and figure.value is None and figure.note:
                notes.setdefault(f"{layer} {name} ({pair})", figure.note)
        pooled = cells.get((layer, measure, label, ALL))
        lines.append(row + f"{pooled.units if pooled else 0:>10}")
    lines += ["", "units: tokens (kappa, alpha); spans, relations or frames of both sides (F1);"]
    lines.append("matched frames (source, content); matched spans (attributes). - : undefined")
    lines += [f"  {where}: {note}" for where, note in notes.items()]
    return lines


def by_label(report: AgreementReport) -> list[str]:
    """The pooled figures, one row per (layer, label, measure), with their counts."""
    head = f"{'layer':<20}{'label':<26}{'measure':<24}{'value':>8}{'units':>10}{'matches':>9}"
    lines = [head + "  note", "-" * (len(head) + 6)]
    for f in report.figures:
        if f.pair != ALL:
            continue
        matches = "" if f.matches is None else str(f.matches)
        lines.append(
            f"{f.layer:<20}{f.label or '(all)':<26}{f.measure:<24}{_value(f):>8}"
            f"{f.units:>10}{matches:>9}  {f.note}"
        )
    return lines


def by_document(report: AgreementReport) -> list[str]:
    """One row per document compared, the least agreement first."""
    head = f"{'id':>7}{'span F1':>9}{'tokens same':>13}{'spans':>7}{'tokens':>8}  annotators"
    lines = [head + " / title", "-" * (len(head) + 8)]
    for d in report.by_document:
        f1 = "-" if d.span_f1 is None else f"{d.span_f1:.3f}"
        same = "-" if d.token_agreement is None else f"{d.token_agreement:.3f}"
        lines.append(
            f"{d.document_id:>7}{f1:>9}{same:>13}{d.spans:>7}{d.tokens:>8}  "
            f"{','.join(d.annotators)} / {d.title}"
        )
    return lines
