"""The command line (Typer): `labeler` opens the window; subcommands import, export and list."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from labeler.domain.annotation import Status
from labeler.domain.errors import LabelerError, RuleError
from labeler.domain.schema_changes import Renames
from labeler.domain.schema_toml import load_schema_file
from labeler.domain.splits import SplitRatios
from labeler.formats import registry
from labeler.formats.records import ReadOptions
from labeler.services.exporting import ANY_STATUS, ExportOptions, ExportReport
from labeler.services.importing import DEFAULT_ANNOTATOR, ImportProgress, ImportReport
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

OpenServices = Callable[[str | None], Services]
OpenWindow = Callable[[Services], int]


def _one_line(message: object) -> str:
    """A message on one line: drivers sometimes add hints on lines of their own."""
    return "; ".join(part.strip() for part in str(message).splitlines() if part.strip())


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {_one_line(message)}", err=True)
    return typer.Exit(code)


def build_cli(
    open_services: OpenServices, open_window: OpenWindow, log_file: Path | None = None
) -> Callable[[list[str]], int]:
    """The command line, working through services that open_services builds for a database.

    Unexpected errors are one line on stderr; their traceback goes to the log (`log_file`).
    """
    app = typer.Typer(
        name="labeler",
        help="Annotate news articles with entities, claims and attributions; export training data.",
        no_args_is_help=False,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    project_app = typer.Typer(help="Create and list projects.", no_args_is_help=True)
    app.add_typer(project_app, name="project")

    @contextmanager
    def services_for(db: str | None) -> Iterator[Services]:
        services = open_services(db)
        try:
            yield services
        finally:
            services.close()

    @app.callback(invoke_without_command=True)
    def root(ctx: typer.Context, db: DbOption = None) -> None:
        """With no command, opens the annotation window."""
        ctx.obj = db
        if ctx.invoked_subcommand is None:
            with services_for(db) as services:
                raise typer.Exit(open_window(services))

    def pick_db(ctx: typer.Context, db: str | None) -> str | None:
        return db or ctx.obj

    @project_app.command("create")
    def project_create(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Name of the new project.")],
        schema: Annotated[
            str, typer.Option(help="A built-in schema name (news) or a schema .toml file.")
        ] = "news",
        db: DbOption = None,
    ) -> None:
        """Create a project with a label schema."""
        with services_for(pick_db(ctx, db)) as services:
            project = services.projects.create(name, schema)
        labels = sum(len(layer.labels) for layer in project.schema.layers)
        layers = ", ".join(layer.name for layer in project.schema.layers)
        typer.echo(
            f"Created project {project.name!r} (schema {project.schema.name}: "
            f"{labels} labels in layers {layers})."
        )

    @project_app.command("list")
    def project_list(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        db: DbOption = None,
    ) -> None:
        """List the projects with their schema and document count."""
        with services_for(pick_db(ctx, db)) as services:
            projects = services.projects.list()
        if as_json:
            typer.echo(
                json.dumps(
                    [
                        {"name": p.name, "schema": p.schema_name, "documents": p.documents}
                        for p in projects
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        if not projects:
            typer.echo("No projects yet: labeler project create NAME")
            return
        width = max(len(p.name) for p in projects)
        for p in projects:
            typer.echo(f"{p.name:<{width}}  schema {p.schema_name:<8}  {p.documents:>7} documents")

    @project_app.command("schema")
    def project_schema(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Project name.")],
        db: DbOption = None,
    ) -> None:
        """Print a project's label schema as TOML (edit it, then use set-schema)."""
        with services_for(pick_db(ctx, db)) as services:
            project = services.projects.get(name)
        typer.echo(project.schema_source.rstrip("\n"))

    @project_app.command("set-schema")
    def project_set_schema(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Project name.")],
        schema_file: Annotated[Path, typer.Argument(help="The new schema, a .toml file.")],
        rename: Annotated[
            list[str] | None,
            typer.Option(
                help="Carry annotations to a new name: label:OLD=NEW, relation:OLD=NEW, "
                "attribute:OLD=NEW or value:ATTRIBUTE.OLD=NEW (repeatable).",
            ),
        ] = None,
        remove: Annotated[
            list[str] | None,
            typer.Option(
                help="Delete the annotations of a name even though the new schema has it (as a "
                "new, different one): label:NAME, relation:NAME, attribute:NAME or "
                "value:ATTRIBUTE.VALUE (repeatable).",
            ),
        ] = None,
        yes: Annotated[
            bool,
            typer.Option("--yes", "-y", help="Apply without asking, even if it loses annotations."),
        ] = False,
        db: DbOption = None,
    ) -> None:
        """Change a project's label schema; annotations follow renames, and removals that
        would lose annotations are counted and asked about first."""
        schema, text = load_schema_file(schema_file)
        renames = _renames(rename or [], remove or [])
        with services_for(pick_db(ctx, db)) as services:
            project = services.projects.get(name)
            impact = services.schemas.impact(project, schema, renames)
            for edit in impact.change.edits():
                typer.echo(f"  {edit}")
            if impact.overlap_problem():
                raise RuleError(f"not applied: {impact.overlap_problem()}")
            if impact.orphans_anything:
                typer.echo("This loses annotations:")
                for orphan in impact.orphans:
                    typer.echo(f"  {orphan}")
                typer.echo(f"In all: {impact.summary()}.")
                if not yes:
                    typer.confirm("Apply the new schema?", abort=True)
            done = services.schemas.apply(project, schema, renames, confirmed=impact, source=text)
        a = done.applied
        typer.echo(
            f"Schema of project {name!r} changed: {a.spans_relabelled} spans relabelled, "
            f"{a.relations_retyped} relations retyped, {a.spans_reattributed} spans with "
            f"attribute values changed, {a.spans_deleted} spans and {a.relations_deleted} "
            "relations deleted."
        )

    @app.command("import")
    def import_(
        ctx: typer.Context,
        paths: Annotated[
            list[Path],
            typer.Argument(help="Files or folders (read recursively).", metavar="PATH..."),
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
        with services_for(pick_db(ctx, db)) as services, _ImportBar() as bar:
            report = services.importer.import_paths(
                project,
                paths,
                format_name=format_name,
                skip_bad=skip_bad,
                options=ReadOptions(text_column, title_column, date_column),
                annotator=annotator,
                progress=bar.update,
                follow_links=follow_links,
            )
        _print_import(report, project)

    @app.command("documents")
    def documents(
        ctx: typer.Context,
        project: ProjectOption,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        db: DbOption = None,
    ) -> None:
        """List a project's documents: id, title, date, status and span counts."""
        with services_for(pick_db(ctx, db)) as services:
            found = services.projects.get(project)
            rows = services.documents.summaries(found)
            layers = [layer.name for layer in found.schema.layers]
        if as_json:
            typer.echo(
                json.dumps(
                    [
                        {
                            "id": r.id,
                            "title": r.title,
                            "date": r.date.isoformat() if r.date else None,
                            "status": r.status,
                            "spans": {layer: r.span_counts.get(layer, 0) for layer in layers},
                        }
                        for r in rows
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        if not rows:
            typer.echo(
                f"Project {project!r} has no documents yet: "
                f"labeler import PATH --project {project!r}"
            )
            return
        head = f"{'id':>6}  {'date':<10}  {'status':<11}  " + "  ".join(f"{n:>11}" for n in layers)
        typer.echo(head + "  title")
        for r in rows:
            counts = "  ".join(f"{r.span_counts.get(n, 0):>11}" for n in layers)
            day = r.date.isoformat() if r.date else "-"
            typer.echo(f"{r.id:>6}  {day:<10}  {r.status:<11}  {counts}  {r.title}")

    @app.command("export")
    def export(
        ctx: typer.Context,
        project: ProjectOption,
        out: Annotated[Path, typer.Option("--out", "-o", help="File (or folder) to write.")],
        format_name: Annotated[str, typer.Option("--format", "-f", help="Format name.")] = "jsonl",
        status: Annotated[
            str | None,
            typer.Option(
                help="Statuses to export, comma-separated, or 'any' "
                "[default: any for jsonl, done for the others]."
            ),
        ] = None,
        annotator: Annotated[
            str | None, typer.Option(help="Annotators to export, comma-separated [default: all].")
        ] = None,
        layers: Annotated[
            str | None, typer.Option(help="Layers to export, comma-separated [default: all].")
        ] = None,
        labels: Annotated[
            str | None, typer.Option(help="Labels to export, comma-separated [default: all].")
        ] = None,
        merge: Annotated[
            bool,
            typer.Option(
                "--merge", help="Merge the chosen annotators' sets into one set per document."
            ),
        ] = False,
        split: Annotated[
            str, typer.Option(help="Train/dev/test shares, like 80/10/10 (one file each).")
        ] = "100",
        seed: Annotated[int, typer.Option(help="Seed of the split: same seed, same split.")] = 0,
        overwrite: Annotated[
            bool, typer.Option("--overwrite", help="Replace FILE if it exists.")
        ] = False,
        db: DbOption = None,
    ) -> None:
        """Export a project: jsonl is the native, lossless format that import reads back."""
        options = ExportOptions(
            statuses=_statuses(status),
            annotators=_names(annotator),
            layers=_names(layers),
            labels=_names(labels),
            merge=merge,
            split=SplitRatios.parse(split),
            seed=seed,
        )
        with services_for(pick_db(ctx, db)) as services:
            report = services.exporter.export(
                project, format_name, out, options, overwrite=overwrite
            )
        _print_export(report)

    @app.command("formats")
    def formats(db: DbOption = None) -> None:
        """List the formats that import and export know."""
        for fmt in registry.all_formats():
            writes = fmt.write or fmt.write_splits
            can = "/".join(w for w, f in (("import", fmt.read), ("export", writes)) if f)
            typer.echo(f"{fmt.name:<12} {can:<13} {' '.join(fmt.extensions):<15} {fmt.description}")

    def main(argv: list[str]) -> int:
        try:
            app(argv, prog_name="labeler", standalone_mode=False)
        except typer.Exit as exc:
            return exc.exit_code
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            return 130
        except typer.TyperException as exc:  # usage errors: unknown option, missing argument
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            typer.echo(f"error: {_one_line(message)}{hint}", err=True)
            return int(getattr(exc, "exit_code", 2))
        except LabelerError as exc:
            typer.echo(f"error: {_one_line(exc)}", err=True)
            return 1
        except KeyboardInterrupt:
            typer.echo("Interrupted; nothing of an unfinished import was stored.", err=True)
            return 130
        except Exception as exc:  # the last guard: one line for the person, details in the log
            log.exception("unexpected error")
            where = f" (details in {log_file})" if log_file else ""
            typer.echo(f"error: unexpected {type(exc).__name__}: {_one_line(exc)}{where}", err=True)
            return 2
        return 0

    return main


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


def _names(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    return names or None


def _statuses(value: str | None) -> frozenset[Status] | None:
    names = _names(value)
    if names is None:
        return None
    if names == ("any",):
        return ANY_STATUS
    try:
        return frozenset(Status(n) for n in names)
    except ValueError:
        allowed = ", ".join(s.value for s in Status)
        raise LabelerError(f"--status {value!r}: use any, or some of {allowed}") from None


def _renames(specs: list[str], removals: list[str]) -> Renames:
    """--rename values (label:OLD=NEW, relation:..., attribute:..., value:ATTR.OLD=NEW) and
    --remove values (label:NAME, relation:NAME, attribute:NAME, value:ATTR.VALUE)."""
    kinds = ("label", "relation", "attribute", "value")
    found: dict[str, dict] = {kind: {} for kind in kinds}
    for spec in specs:
        kind, _, pair = spec.partition(":")
        old, _, new = pair.partition("=")
        if kind not in found or not old or not new or (kind == "value" and "." not in old):
            raise LabelerError(
                f"--rename {spec!r}: use label:OLD=NEW, relation:OLD=NEW, attribute:OLD=NEW "
                "or value:ATTRIBUTE.OLD=NEW"
            )
        found[kind][tuple(old.split(".", 1)) if kind == "value" else old] = new
    gone: dict[str, set] = {kind: set() for kind in kinds}
    for spec in removals:
        kind, _, old = spec.partition(":")
        if kind not in gone or not old or (kind == "value" and "." not in old):
            raise LabelerError(
                f"--remove {spec!r}: use label:NAME, relation:NAME, attribute:NAME "
                "or value:ATTRIBUTE.VALUE"
            )
        gone[kind].add(tuple(old.split(".", 1)) if kind == "value" else old)
    return Renames(
        labels=found["label"],
        relation_types=found["relation"],
        attributes=found["attribute"],
        values=found["value"],
        removed_labels=frozenset(gone["label"]),
        removed_relation_types=frozenset(gone["relation"]),
        removed_attributes=frozenset(gone["attribute"]),
        removed_values=frozenset(gone["value"]),
    )


def _print_export(report: ExportReport) -> None:
    for line in report.describe():
        typer.echo(line)


def _print_import(report: ImportReport, project: str) -> None:
    for line in report.problems():
        typer.echo(line, err=True)
    typer.echo(report.headline(project))
