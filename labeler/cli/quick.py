"""Commands answered before the Typer command line is built: `labeler formats` and
`labeler project list [--json]`, the ones people run to look around, the plain form of
`labeler import PATH... -p PROJECT` on an up-to-date SQLite file (labeler.cli.import_request)
and `labeler export` (labeler.cli.export_request).

Typer coerces every option through pydantic, and opening a database imports SQLAlchemy; either
costs more than these commands' work. Only the plain forms are answered here (with --db
before or after the command); anything else, and any database that must be opened the usual
way, goes to the full command line, which gives the same output.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labeler.cli.export_request import QuickExport
    from labeler.cli.import_request import QuickImport
    from labeler.domain.project_summary import ProjectSummary
    from labeler.domain.team import Identity

QuickProjects = Callable[[str | None], "tuple[list[ProjectSummary], Identity] | None"]
"""The projects of the database --db names (None: the default), and who is connected; None
when the database must be opened the usual way."""


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


def quick_answer(
    argv: Sequence[str],
    quick_projects: QuickProjects | None,
    quick_import: QuickImport | None = None,
    quick_export: QuickExport | None = None,
) -> int | None:
    """Runs `formats`, `project list [--json]`, a plain `import` or `export` and returns the
    exit code; None when the command line is anything else, or the database needs the usual
    opening."""
    found = _without_db(argv)
    if found is None:
        return None
    words, db = found
    if words[:1] == ["import"] and quick_import is not None:
        from labeler.cli.import_request import quick_import_answer

        return quick_import_answer(words, db, quick_import)
    if words[:1] == ["export"] and quick_export is not None:
        from labeler.cli.export_request import quick_export_answer

        return quick_export_answer(words[1:], db, quick_export)
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
