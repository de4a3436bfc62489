"""Starts Qt and shows the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from labeler.services.workspace import Services
from labeler.ui.main_window import MainWindow


def run_window(services: Services) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("labeler")
    app.setApplicationName("labeler")
    window = MainWindow(services)
    window.show()
    return app.exec()
