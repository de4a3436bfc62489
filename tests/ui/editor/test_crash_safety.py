"""Killing the app loses nothing the window showed as saved."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from labeler.app import open_services

# Runs the real window in a child process: labels a word with its hotkey, waits until the
# status bar says it is saved, tells the parent, then waits to be killed.
CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from labeler.app import open_services
    from labeler.ui.main_window import MainWindow

    app = QApplication([])
    services = open_services(sys.argv[1])
    window = MainWindow(services, "ana", QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window.show()
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)
    text = window.editor.session.document.text
    for word, key in (("Valmera", Qt.Key.Key_G), ("Ilse Marquard", Qt.Key.Key_P)):
        start = text.index(word)
        window.text_view.select_range(start, start + len(word))
        QTest.keyClick(window.text_view, key)
        # What the window says once the edit is committed (and not before).
        message = window.statusBar().currentMessage()
        assert message.startswith("Saved: label"), message
    print("shown as saved", flush=True)
    sys.stdin.readline()  # killed while waiting here
    """
)


def test_spans_shown_as_saved_survive_a_kill(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    services = open_services(str(db))
    services.projects.create("News", "news")
    source = tmp_path / "a.jsonl"
    text = "Ilse Marquard 😀 spoke in Valmera."
    source.write_text(json.dumps({"title": "A", "text": text}) + "\n", "utf-8")
    services.importer.import_paths("News", [source])
    services.close()

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(tmp_path / "settings.ini")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as child:
        try:
            line = child.stdout.readline()  # type: ignore[union-attr]
            if line.strip() != "shown as saved":
                child.kill()
                raise AssertionError(child.communicate()[1])
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    reopened = open_services(str(db))
    try:
        project = reopened.projects.get("News")
        doc = reopened.documents.summaries(project)[0]
        sets = reopened.documents.annotation_sets(project, doc.id)
        assert [s.annotator for s in sets] == ["ana"]
        spans = sorted((s.start, s.end, s.label, s.text) for s in sets[0].spans.values())
        assert spans == [(0, 13, "PERSON", "Ilse Marquard"), (25, 32, "GPE", "Valmera")]
        assert sets[0].status.value == "in_progress"
    finally:
        reopened.close()
