"""Writes screenshots of the editor on the sample articles (overlapping spans included) to a folder.

    python scripts/screenshots.py [FOLDER]      # default: screenshots/

Runs offscreen on a throwaway database; nothing of the user's is touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from labeler.app import open_services
from labeler.services.sample import SAMPLE_ANNOTATOR, seed_sample
from labeler.ui.main_window import MainWindow


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#333333",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#3d6fb4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a",
        QPalette.ColorRole.Mid: "#555555",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    return palette


def shoot(window: QWidget, app: QApplication, path: Path) -> None:
    for _ in range(3):
        app.processEvents()
    window.grab().save(str(path))
    print(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="screenshots", type=Path)
    args = parser.parse_args(argv)
    folder: Path = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as scratch:
        services = open_services(str(Path(scratch) / "shots.db"))
        seed_sample(services.projects, services.importer)
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(services, SAMPLE_ANNOTATOR, settings)
        window.resize(1500, 900)
        window.show()
        # The first story: its quotes stack claim and attribution bars under the same words.
        window.document_view.selectRow(0)
        session = window.editor.session
        assert session is not None
        claim = next(s for s in session.annotations.sorted_spans() if s.label == "CLAIM")
        window.text_view.select_span(claim.id)
        shoot(window, app, folder / "editor.png")
        # Relations: the story's attributions as arcs, the cue of the first one selected.
        cue = next(s for s in session.annotations.sorted_spans() if s.label == "CUE")
        window.text_view.select_span(cue.id)
        shoot(window.editor, app, folder / "relations.png")
        schema = window.show_schema_editor()
        assert schema is not None
        schema.resize(1100, 700)
        shoot(schema, app, folder / "schema.png")
        schema.close()
        window.help_overlay.toggle()
        shoot(window, app, folder / "shortcuts.png")
        window.help_overlay.toggle()
        app.setPalette(dark_palette())
        shoot(window, app, folder / "editor-dark.png")
        window.close()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
