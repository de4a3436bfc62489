"""The editor's key actions beyond the labels: Ctrl+1..9 for an attribute's menu, and zoom."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from labeler.ui.editor.text_view import AnnotatedTextView


def add_attribute_keys(
    view: AnnotatedTextView, choose: Callable[[int], object], parent: QObject
) -> None:
    """Ctrl+1..9 on the text: the menu of the selected span's first to ninth attribute."""
    for n in range(1, 10):
        action = QAction(f"Choose attribute {n}", parent)
        action.setShortcut(QKeySequence(f"Ctrl+{n}"))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda _=False, i=n - 1: choose(i))
        view.addAction(action)


def zoom_actions(view: AnnotatedTextView, parent: QObject) -> list[QAction]:
    """Zoom in, out and back to normal, for the View menu."""
    made = []
    normal = view.point_size
    for text, keys, step in (
        ("Zoom &in", (QKeySequence.StandardKey.ZoomIn, "Ctrl+="), 1),
        ("Zoom &out", (QKeySequence.StandardKey.ZoomOut,), -1),
        ("&Normal size", ("Ctrl+0",), 0),
    ):
        action = QAction(text, parent)
        action.setShortcuts([QKeySequence(k) for k in keys])
        if step:
            action.triggered.connect(lambda _=False, s=step: view.zoom(s))
        else:
            action.triggered.connect(lambda _=False: view.set_point_size(normal))
        made.append(action)
    return made
