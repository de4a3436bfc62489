"""The command line (Typer): `labeler` opens the window; one module per command group.

Typer and the command modules load only when a command needs them: `labeler formats` and
`labeler project list` are answered first by labeler.cli.quick when they can be.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from labeler.cli.quick import QuickProjects, quick_answer

if TYPE_CHECKING:
    from labeler.cli.common import LogIn, OpenServices, OpenWindow
    from labeler.cli.export_request import QuickExport
    from labeler.cli.import_request import QuickImport


def build_cli(
    open_services: OpenServices,
    open_window: OpenWindow,
    log_file: Path | None = None,
    log_in: LogIn | None = None,
    quick_projects: QuickProjects | None = None,
    quick_import: QuickImport | None = None,
    quick_export: QuickExport | None = None,
) -> Callable[[list[str]], int]:
    """The command line, working through services that open_services builds for a database.

    Unexpected errors are one line on stderr; their traceback goes to the log (`log_file`).
    `quick_projects` lists the projects of a database without opening it the usual way, when
    it can (None to always open it); `quick_import` and `quick_export` likewise run
    `labeler import` and `labeler export` the lean way when they can.
    """

    def main(argv: list[str]) -> int:
        if len(argv) == 1 and not argv[0].startswith("-") and Path(argv[0]).is_file():
            argv = ["--db", argv[0]]  # `labeler FILE` opens that database (a bundle, say)
        code = quick_answer(argv, quick_projects, quick_import, quick_export)
        if code is not None:
            return code
        from labeler.cli.common import Wiring, run
        from labeler.cli.root import root_app

        return run(root_app(), argv, Wiring(open_services, open_window, log_in=log_in), log_file)

    return main
