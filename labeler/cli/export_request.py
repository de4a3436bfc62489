"""`labeler export` without Typer: its options as a request, the request run on an exporter,
and the lines it prints. The Typer command and the quick answer (labeler.cli.quick) share it,
so both say the same."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from labeler.cli.words import names, one_line
from labeler.domain.errors import LabelerError

if TYPE_CHECKING:
    from labeler.domain.annotation import Status
    from labeler.services.export_choice import ExportOptions, ExportReport


class Exporter(Protocol):
    """What runs an export: ExportService, or the quick exporter on sqlite3."""

    def export(
        self,
        project_name: str,
        format_name: str,
        out: Path,
        options: ExportOptions | None = None,
        *,
        overwrite: bool = False,
    ) -> ExportReport: ...


class ClosingExporter(Exporter, Protocol):
    """An exporter the quick answer closes when done."""

    def close(self) -> None: ...


QuickExport = Callable[[str | None], "ClosingExporter | None"]
"""An exporter on the database --db names (None: the default) read without SQLAlchemy; None
when the database must be opened the usual way."""


@dataclass(frozen=True)
class ExportRequest:
    """The options of `labeler export`, as given."""

    project: str
    out: Path
    format_name: str = "jsonl"
    status: str | None = None
    annotator: str | None = None
    layers: str | None = None
    labels: str | None = None
    merge: bool = False
    curated: bool = False
    split: str = "100"
    seed: int = 0
    suggestions: bool = False
    overwrite: bool = False

    def options(self) -> ExportOptions:
        """The export's options; LabelerError for a wrong status, split or combination."""
        from labeler.domain.splits import SplitRatios
        from labeler.services.export_choice import ExportOptions

        options = ExportOptions(
            statuses=parse_statuses(self.status),
            annotators=names(self.annotator),
            layers=names(self.layers),
            labels=names(self.labels),
            merge=self.merge,
            curated=self.curated,
            split=SplitRatios.parse(self.split),
            seed=self.seed,
            suggestions=self.suggestions,
        )
        if self.curated and (self.merge or self.annotator):
            raise LabelerError(
                "--curated takes the curated sets: leave out --merge and --annotator"
            )
        return options


def parse_statuses(value: str | None) -> frozenset[Status] | None:
    """--status: 'any', or statuses comma-separated; None when not given."""
    from labeler.domain.annotation import Status

    chosen = names(value)
    if chosen is None:
        return None
    if chosen == ("any",):
        return frozenset(Status)
    try:
        return frozenset(Status(n) for n in chosen)
    except ValueError:
        allowed = ", ".join(s.value for s in Status)
        raise LabelerError(f"--status {value!r}: use any, or some of {allowed}") from None


def export_lines(exporter: Exporter, request: ExportRequest, options: ExportOptions) -> list[str]:
    """Runs the export; the summary it prints, a line each."""
    from labeler.services.export_choice import NothingToExport
    from labeler.services.workers import forked_workers_allowed

    try:
        with forked_workers_allowed():  # a command-line process: no window, no other thread
            report = exporter.export(
                request.project,
                request.format_name,
                request.out,
                options,
                overwrite=request.overwrite,
            )
    except NothingToExport as nothing:
        hint = "; use --status any, or mark documents done" if nothing.by_status else ""
        raise LabelerError(f"{nothing}{hint}") from None
    return report.describe()


_VALUES = {
    "--project": "project",
    "-p": "project",
    "--out": "out",
    "-o": "out",
    "--format": "format_name",
    "-f": "format_name",
    "--status": "status",
    "--annotator": "annotator",
    "--layers": "layers",
    "--labels": "labels",
    "--split": "split",
    "--seed": "seed",
}
_FLAGS = {
    "--merge": "merge",
    "--curated": "curated",
    "--suggestions": "suggestions",
    "--overwrite": "overwrite",
}


def parse_export(words: Sequence[str]) -> ExportRequest | None:
    """The request of `export`'s plain forms (each option once, `--name value` or
    `--name=value`); None for anything else, which Typer then reads and judges."""
    given: dict[str, Any] = {}
    rest = iter(words)
    for word in rest:
        name, eq, inline = word.partition("=") if word.startswith("--") else (word, "", "")
        if name in _FLAGS and not eq:
            key: str = _FLAGS[name]
            value: str | bool | None = True
        elif name in _VALUES:
            key, value = _VALUES[name], inline if eq else next(rest, None)
            if value is None or value == "" or value.startswith("-"):
                return None
        else:
            return None
        if key in given:
            return None
        given[key] = value
    project, out, seed = given.pop("project", None), given.pop("out", None), given.pop("seed", "0")
    if not isinstance(project, str) or not isinstance(out, str) or not isinstance(seed, str):
        return None
    try:
        number = int(seed)
    except ValueError:
        return None
    return ExportRequest(project, Path(out), seed=number, **given)


def quick_export_answer(words: Sequence[str], db: str | None, opener: QuickExport) -> int | None:
    """Runs `export` on a database read without SQLAlchemy, printing what the full command
    line prints, and returns the exit code; None when the full command line must run it."""
    request = parse_export(words)
    if request is None:
        return None
    try:
        options = request.options()
    except LabelerError as exc:
        return _refused(exc)
    exporter = opener(db)
    if exporter is None:
        return None
    try:
        lines = export_lines(exporter, request, options)
    except LabelerError as exc:
        return _refused(exc)
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted; nothing of an unfinished import was stored.\n")
        return 130
    except Exception:
        # Nothing was written (a failed export changes nothing on disk): the full command
        # line runs it again, and says what went wrong and logs it as it always does.
        return None
    finally:
        exporter.close()
    sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()
    return 0


def _refused(exc: LabelerError) -> int:
    sys.stderr.write(f"error: {one_line(exc)}\n")
    return 1
