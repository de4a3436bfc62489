"""Fixtures of the window tests: services on a new database, settings of their own, and the
main window shown. A module that needs a project overrides `services` by asking for it:

    @pytest.fixture
    def services(services: Services, tmp_path: Path) -> Services:
        add_project(services, tmp_path, TEXTS)
        return services
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from labeler.app import open_services
from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow
from tests.ui.support import show_window


@pytest.fixture
def db_path(tmp_path: Path, migrated_sqlite: Path) -> Path:
    """The test's SQLite database, already migrated (a copy of the session's template)."""
    path = tmp_path / "labeler.db"
    shutil.copyfile(migrated_sqlite, path)
    return path


@pytest.fixture
def services(db_path: Path) -> Iterator[Services]:
    """Services on the test's database, with no project yet; closed after the test."""
    services = open_services(str(db_path))
    yield services
    services.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """The window's settings in the test's folder, never the user's."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def annotator() -> str:
    """Who the window opens as."""
    return "ana"


@pytest.fixture
def window(qtbot, services: Services, annotator: str, settings: QSettings) -> MainWindow:
    """The main window on the services, shown and active."""
    return show_window(qtbot, services, annotator, settings)
