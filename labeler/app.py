"""Composition root: settings -> database -> services -> command line or window."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from labeler.domain.errors import LabelerError

if TYPE_CHECKING:
    from collections.abc import Callable

    from labeler.domain.project_summary import ProjectSummary
    from labeler.domain.team import Identity
    from labeler.services.import_run import ImportProgress, ImportReport
    from labeler.services.quick_export import QuickExporter
    from labeler.services.workspace import Services

APP_NAME = "labeler"


def default_database() -> Path:
    """The embedded default: a SQLite file in the user's data directory."""
    return platformdirs.user_data_path(APP_NAME) / "labeler.db"


def resolve_database(db: str | None) -> tuple[str, bool]:
    """The database to use (--db, else LABELER_DB, else the default); True if the default."""
    chosen = db or os.environ.get("LABELER_DB")
    if chosen:
        return chosen, False
    return str(default_database()), True


def open_services(db: str | None) -> Services:
    """Opens the database (creating and migrating it as needed) and builds the services on it.

    The first run of the embedded default database seeds the Sample project.
    """
    # Imported here, not above: the database libraries load only for a command that needs them.
    from labeler.services.agreement import AgreementService
    from labeler.services.annotating import AnnotationService
    from labeler.services.assigning import AssignmentService
    from labeler.services.bundles import BundleService
    from labeler.services.curation import CurationService
    from labeler.services.documents import DocumentService
    from labeler.services.exporting import ExportService
    from labeler.services.importing import ImportService
    from labeler.services.live import LiveService
    from labeler.services.projects import ProjectService
    from labeler.services.sample import seed_sample
    from labeler.services.schema_editing import SchemaEditingService
    from labeler.services.searching import SearchService
    from labeler.services.suggesting import SuggestionService
    from labeler.services.team import TeamService
    from labeler.services.training import TrainingService
    from labeler.services.who_said_what import WhoSaidWhatService
    from labeler.services.workspace import Services
    from labeler.storage.database import Database

    url, is_default = resolve_database(db)
    database = Database(url)
    outcome = database.open()
    team = TeamService(database)
    training = TrainingService(database, platformdirs.user_data_path(APP_NAME) / "models")
    curation = CurationService(database)

    def close() -> None:
        curation.flush()  # a curator's last decisions are stored before the database closes
        database.close()

    services = Services(
        database=database.display_url,
        projects=ProjectService(database),
        documents=DocumentService(database),
        importer=ImportService(database),
        exporter=ExportService(database, exports_pending()),
        annotations=AnnotationService(database),
        schemas=SchemaEditingService(database),
        who_said_what=WhoSaidWhatService(database),
        team=team,
        assignments=AssignmentService(database, team),
        bundles=BundleService(database, team),
        live=LiveService(database),
        suggestions=SuggestionService(database, training),
        search=SearchService(database),
        agreement=AgreementService(database),
        curation=curation,
        training=training,
        close=close,
    )
    if outcome.created and is_default:
        seed_sample(services.projects, services.importer)
    recover_exports(services.exporter.recover)
    return services


def exports_pending() -> Path:
    """The folder of notes of exports under way, read at the next start."""
    return platformdirs.user_data_path(APP_NAME) / "exports"


def recover_exports(recover: Callable[[], list[str]]) -> None:
    """Puts right what exports killed since the last start left, logging what it did."""
    try:
        for line in recover():
            logging.getLogger(__name__).warning("export recovered: %s", line)
    except OSError:
        logging.getLogger(__name__).exception("could not recover an unfinished export")


def display_problem(environ: Mapping[str, str], platform: str = sys.platform) -> str | None:
    """Why no window can be shown here, in one line; None when a screen is at hand.

    Qt itself, started on Linux without a display, prints a paragraph about the xcb plugin
    and aborts the process; this says what to do instead, before Qt is loaded.
    """
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display found: run labeler in a desktop session (DISPLAY or WAYLAND_DISPLAY set), "
        "or QT_QPA_PLATFORM=offscreen labeler to run the window without a screen"
    )


def open_window(services: Services) -> int:
    """Shows the main window until it closes; returns the exit code."""
    problem = display_problem(os.environ)
    if problem is not None:
        raise LabelerError(problem)
    from labeler.ui.launch import run_window  # Qt loads only when a window is wanted

    return run_window(services)


def log_in_window(url: str | None, why: str) -> int:
    """Asks who logs in to a team database (`why` it would not open as given), then shows
    the main window on it; returns the exit code."""
    from labeler.ui.launch import run_login

    return run_login(open_services, url, why)


def setup_logging() -> Path | None:
    """Logs to a file in the user's log folder; tracebacks go there, never to the terminal."""
    root = logging.getLogger()
    if root.handlers:  # already set up (tests, or an embedding program)
        return None
    log_file = platformdirs.user_log_path(APP_NAME) / "labeler.log"
    path: Path | None = log_file
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
    except OSError:
        handler, path = logging.NullHandler(), None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def quick_projects(db: str | None) -> tuple[list[ProjectSummary], Identity] | None:
    """The projects of an up-to-date SQLite database, read without SQLAlchemy; None when the
    database must be opened with open_services (a server, a new file, one to migrate)."""
    from labeler.services.quick_listing import quick_projects as listing

    return listing(resolve_database(db)[0])


def quick_import(
    db: str | None,
    project: str,
    paths: list[Path],
    progress: Callable[[ImportProgress], None] | None,
) -> ImportReport | None:
    """Imports files into a project of an up-to-date SQLite database without SQLAlchemy (as
    ImportService does, default options); None when open_services must be used instead."""
    from labeler.domain.spans import DEFAULT_ANNOTATOR
    from labeler.services.quick_import import quick_import as lean

    return lean(resolve_database(db)[0], project, paths, DEFAULT_ANNOTATOR, progress)


def quick_export(db: str | None) -> QuickExporter | None:
    """An exporter on an up-to-date SQLite database, read without SQLAlchemy; None when the
    database must be opened with open_services (a server, a new file, one to migrate)."""
    from labeler.services.quick_export import quick_exporter

    exporter = quick_exporter(resolve_database(db)[0], exports_pending())
    if exporter is not None:
        recover_exports(exporter.recover)
    return exporter


def main(argv: list[str] | None = None) -> int:
    from labeler.cli import build_cli

    cli = build_cli(
        open_services,
        open_window,
        setup_logging(),
        log_in_window,
        quick_projects,
        quick_import,
        quick_export,
    )
    return cli(argv if argv is not None else sys.argv[1:])


def run() -> None:
    """Console entry point."""
    sys.exit(main())
