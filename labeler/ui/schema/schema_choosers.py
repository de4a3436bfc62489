"""SchemaChoosers: how the schema dialog asks a person for a colour, a name, a file to load
or to save to; the defaults are Qt's standard dialogs, tests give their own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QFileDialog, QInputDialog, QWidget


def _ask_color(parent: QWidget, current: QColor) -> QColor | None:
    color = QColorDialog.getColor(current, parent, "Label colour")
    return color if color.isValid() else None


def _ask_text(parent: QWidget, title: str, prompt: str, text: str) -> str | None:
    answer, ok = QInputDialog.getText(parent, title, prompt, text=text)
    return answer.strip() if ok and answer.strip() else None


def _ask_open(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Load schema", "", "TOML (*.toml)")
    return Path(name) if name else None


def _ask_source(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent,
        "Make the schema from",
        "",
        "Configurations and data (*.conf *.xml *.json *.jsonl *.conll *.ann *.iob *.txt);;"
        "All files (*)",
    )
    return Path(name) if name else None


def _ask_save(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Save schema", "schema.toml", "TOML (*.toml)")
    return Path(name) if name else None


@dataclass(frozen=True)
class SchemaChoosers:
    """How the dialog asks a person for a colour, a text, a file to load or to save to;
    tests give their own."""

    color: Callable[[QWidget, QColor], QColor | None] = _ask_color
    text: Callable[[QWidget, str, str, str], str | None] = _ask_text
    open_file: Callable[[QWidget], Path | None] = _ask_open
    save_file: Callable[[QWidget], Path | None] = _ask_save
    # A brat annotation.conf, a Label Studio config, a doccano label list, or data to import.
    schema_source: Callable[[QWidget], Path | None] = _ask_source
