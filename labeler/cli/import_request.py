"""The plain form of `labeler import PATH... -p PROJECT` without Typer: its words, the lean
import run, and the lines it prints, as the Typer command prints them. Any other option, and any
database the lean import cannot take, goes to the full command line."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from labeler.cli.words import one_line
from labeler.domain.errors import LabelerError

if TYPE_CHECKING:
    from labeler.services.import_run import ImportProgress, ImportReport

QuickImport = Callable[
    [str | None, str, list[Path], "Callable[[ImportProgress], None] | None"],
    "ImportReport | None",
]
"""Imports files into a project of the database --db names (None: the default) the lean way;
None when the usual path must do it (nothing stored then)."""


def quick_import_answer(
    words: Sequence[str], db: str | None, quick_import: QuickImport
) -> int | None:
    """Runs a plain `import` the lean way and returns its exit code; None for any other
    command line, or when the usual path must run it."""
    wanted = _import_words(words)
    return _lean_import(quick_import, db, *wanted) if wanted is not None else None


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
