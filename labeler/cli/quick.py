"""Commands answered before the Typer command line is built: `labeler formats` and
`labeler project list [--json]`, the ones people run to look around, and the plain form of
`labeler import PATH... -p PROJECT` on an up-to-date SQLite file (the lean import).

Typer coerces every option through pydantic, and opening a database imports SQLAlchemy; either
costs more than these commands' work. Only the plain forms are answered here (with --db
before or after the command); anything else, and any database that must be opened the usual
way, goes to the full command line, which gives the same output.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from labeler.domain.errors import LabelerError

if TYPE_CHECKING:
    from labeler.domain.project_summary import ProjectSummary
    from labeler.domain.team import Identity
    from labeler.services.import_run import ImportProgress, ImportReport

QuickProjects = Callable[[str | None], "tuple[list[ProjectSummary], Identity] | None"]
"""The projects of the database --db names (None: the default), and who is connected; None
when the database must be opened the usual way."""


QuickImport = Callable[
    [str | None, str, list[Path], "Callable[[ImportProgress], None] | None"],
    "ImportReport | None",
]
"""Imports files into a project of the database --db names (None: the default) the lean way;
None when the usual path must do it (nothing stored then)."""


def one_line(message: object) -> str:
    """A message on one line: drivers sometimes add hints on lines of their own."""
    return "; ".join(part.strip() for part in str(message).splitlines() if part.strip())


def _without_db(argv: Sequence[str]) -> tuple[list[str], str | None] | None:
    """The words of a command line with its --db option taken out, and that option's value;
    None if --db is given twice or without a value."""
    words: list[str] = []
    db: str | None = None
    given = 0
    rest = iter(argv)
    for word in rest:
        if word == "--db":
            db, given = next(rest, None), given + 1
            if db is None:
                return None
        elif word.startswith("--db="):
            db, given = word[len("--db=") :], given + 1
        else:
            words.append(word)
    return (words, db) if given <= 1 else None


def format_lines() -> tuple[list[str], list[str]]:
    """What `labeler formats` prints: a line per format, and a warning per plugin left out."""
    from labeler.services import formats as catalogue

    lines = [
        f"{fmt.name:<12} {fmt.abilities:<13} {' '.join(fmt.extensions):<15} {fmt.description}"
        for fmt in catalogue.all_formats()
    ]
    return lines, [f"warning: {problem}" for problem in catalogue.problems()]


def project_lines(projects: Sequence[ProjectSummary], me: Identity, as_json: bool) -> list[str]:
    """What `labeler project list` prints, as JSON or a line per project."""
    if as_json:
        rows = [
            {"name": p.name, "schema": p.schema_name, "documents": p.documents} for p in projects
        ]
        return [json.dumps(rows, ensure_ascii=False, indent=2)]
    if not projects:
        if me.is_account and not me.may_lead:
            return [
                f"{me.name} is not a member of any project yet: a lead adds you with "
                f"labeler team join {me.name} --project NAME"
            ]
        return ["No projects yet: labeler project create NAME"]
    width = max(len(p.name) for p in projects)
    return [
        f"{p.name:<{width}}  schema {p.schema_name:<8}  {p.documents:>7} "
        + ("document" if p.documents == 1 else "documents")
        for p in projects
    ]


def _import_words(words: Sequence[str]) -> tuple[str, list[Path]] | None:
    """The project and paths of `import PATH... -p PROJECT` with no other option; None for
    any other command line."""
    if not words or words[0] != "import":
        return None
    project: str | None = None
    paths: list[Path] = []
    rest = iter(words[1:])
    for word in rest:
        if word in ("-p", "--project"):
            project, given = next(rest, None), project
            if project is None or given is not None:
                return None
        elif word.startswith("--project="):
            if project is not None:
                return None
            project = word[len("--project=") :]
        elif word.startswith("-"):
            return None  # another option, or a path that looks like one: Typer decides
        else:
            paths.append(Path(word))
    return (project, paths) if project and paths else None


class _Progress:
    """The records read so far, on one line of stderr, shown only on a terminal."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, p: ImportProgress) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\rImporting ({p.records} records) {p.files_done}/{p.files_total}")
            sys.stderr.flush()
            self.shown = True


def _lean_import(
    quick_import: QuickImport, db: str | None, project: str, paths: list[Path]
) -> int | None:
    """Runs the lean import and prints what `labeler import` prints; None to go the usual way."""
    progress = _Progress()
    try:
        report = quick_import(db, project, paths, progress)
    except LabelerError as exc:
        code, message = 1, f"error: {one_line(exc)}"
    except KeyboardInterrupt:
        code, message = 130, "Interrupted; nothing of an unfinished import was stored."
    except Exception:  # nothing was stored: the usual path runs it, and reports what it meets
        logging.getLogger(__name__).exception("the lean import failed; importing the usual way")
        return None
    else:
        if report is None:
            return None
        code, message = 0, ""
    if progress.shown:
        sys.stderr.write("\n")
    if code:
        sys.stderr.write(message + "\n")
        return code
    assert report is not None
    sys.stderr.write("".join(line + "\n" for line in report.problems()))
    sys.stdout.write(report.headline(project) + "\n")
    sys.stdout.flush()
    return 0


def quick_answer(
    argv: Sequence[str],
    quick_projects: QuickProjects | None,
    quick_import: QuickImport | None = None,
) -> int | None:
    """Runs `formats`, `project list [--json]` or a plain `import` and returns the exit code;
    None when the command line is anything else, or the database needs the usual opening."""
    found = _without_db(argv)
    if found is None:
        return None
    words, db = found
    wanted = _import_words(words) if quick_import is not None else None
    if wanted is not None and quick_import is not None:
        return _lean_import(quick_import, db, *wanted)
    if words == ["formats"]:
        lines, warnings = format_lines()
    elif words in (["project", "list"], ["project", "list", "--json"]) and quick_projects:
        listing = quick_projects(db)
        if listing is None:
            return None
        lines, warnings = project_lines(*listing, as_json=words[-1] == "--json"), []
    else:
        return None
    sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()
    sys.stderr.write("".join(line + "\n" for line in warnings))
    return 0
