"""A small numbered menu that pops up where the annotator is looking: press 1, 2, 3 to choose."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu, QWidget

T = TypeVar("T")


def pop_choices(
    parent: QWidget,
    title: str,
    choices: Sequence[tuple[str, T]],
    chosen: Callable[[T], None],
    at: QPoint,
) -> QMenu:
    """Shows `choices` as a menu at the global point `at`, each under a number key (1 to 9, then
    a to z); choosing one calls `chosen` with its value. The menu does not block: it is returned
    so that a caller (or a test) can reach it, and it deletes itself when closed."""
    menu = QMenu(parent)
    menu.setObjectName("choice_menu")
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.addSection(title)
    keys = "123456789abcdefghijklmnopqrstuvwxyz"
    for n, (text, value) in enumerate(choices):
        key = keys[n] if n < len(keys) else ""
        label = f"&{key}  {text.replace('&', '&&')}" if key else text.replace("&", "&&")
        action = menu.addAction(label)
        action.triggered.connect(lambda _=False, v=value: chosen(v))
    menu.popup(at)
    # The menu takes the keys even where the platform grabs no keyboard for a popup, so that
    # a number never reaches the text (where it may be a label's key).
    menu.setFocus(Qt.FocusReason.PopupFocusReason)
    return menu
