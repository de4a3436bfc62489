"""Helpers the window tests share: a project to open, the window shown, and a person's mouse
and keys on the text."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QTextCursor

from labeler.domain.offsets import to_utf16
from labeler.services.workspace import Services
from labeler.storage.database import Database
from labeler.ui.main_window import MainWindow


def filled(db_path: Path, fill: Callable[[Database], object]) -> Path:
    """The database file after `fill` stored its data in it (a corpus builder of tests/)."""
    db = Database(str(db_path))
    db.open()
    try:
        fill(db)
    finally:
        db.close()
    return db_path


def add_project(
    services: Services,
    folder: Path,
    texts: Sequence[str] = (),
    schema: str = "news",
    name: str = "News",
    title: str = "Article",
) -> None:
    """A project on the schema (a built-in name or a TOML file) with the texts imported in
    that order, titled "Article 0", "Article 1", ... (or another word than Article)."""
    services.projects.create(name, schema)
    if texts:
        source = folder / f"{name}.jsonl"
        lines = [json.dumps({"title": f"{title} {i}", "text": t}) for i, t in enumerate(texts)]
        source.write_text("\n".join(lines) + "\n", "utf-8")
        services.importer.import_paths(name, [source])


def show_window(
    qtbot, services: Services, annotator: str | None, settings: QSettings
) -> MainWindow:
    """The main window shown and active (window shortcuts such as undo need it active)."""
    window = MainWindow(services, annotator, settings)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def point_of(window: MainWindow, offset: int) -> QPoint:
    """The viewport point just right of the caret place before code point `offset`."""
    view = window.text_view
    cursor = QTextCursor(view.document())
    cursor.setPosition(to_utf16(window.editor.session.document.text, offset))  # type: ignore[union-attr]
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())


def drag_select(qtbot, window: MainWindow, start: int, end: int) -> None:
    viewport = window.text_view.viewport()
    left, right = point_of(window, start), point_of(window, end)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=left)
    qtbot.mouseMove(viewport, right)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=right)


def press(qtbot, window: MainWindow, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.text_view, key, modifiers)
