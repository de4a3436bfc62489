"""Starts Qt, asks the annotator's name on the first run, and shows the main window."""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QInputDialog

from labeler.services.workspace import Services
from labeler.ui.dialogs.login_dialog import Connect, LoginDialog
from labeler.ui.main_window import MainWindow, default_annotator


def ask_name_once(settings: QSettings) -> str:
    """The annotator's name from the settings; asked for (and remembered) the first time."""
    name = str(settings.value("annotator", "") or "").strip()
    if name:
        return name
    name, ok = QInputDialog.getText(
        None,
        "Welcome to labeler",
        "Your name, stored with every annotation you make:",
        text=default_annotator(),
    )
    name = name.strip() if ok and name.strip() else default_annotator()
    settings.setValue("annotator", name)
    return name


def run_login(connect: Connect, url: str | None, why: str = "") -> int:
    """The login dialog for a team database, then the main window on it."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("labeler")
    app.setApplicationName("labeler")
    dialog = LoginDialog(connect, QSettings(), url)
    if why:
        dialog.error_label.setText(why)
        dialog.error_label.show()
    if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.services is None:
        return 1
    try:
        return run_window(dialog.services)
    finally:
        dialog.services.close()


def run_window(services: Services) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("labeler")
    app.setApplicationName("labeler")
    settings = QSettings()
    login = services.team.identity()
    name = login.name if login.is_account and login.name else ask_name_once(settings)
    window = MainWindow(services, name, settings)

    def report(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        # A slot that raises must not pass unnoticed: the log keeps the trace, the window says so.
        logging.getLogger("labeler").error("unexpected error", exc_info=(kind, error, trace))
        window.statusBar().showMessage(f"Unexpected error: {error} (the log file has the details)")

    sys.excepthook = report
    window.show()
    # The tokenizer loads while the annotator reads the first article.
    threading.Thread(target=services.annotations.warm_up, daemon=True).start()
    return app.exec()
