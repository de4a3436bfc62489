"""`labeler` (the window), run by benchmarks/startup.py: prints the moment the document list
of the project first holds rows (and the CPU seconds used until then), then closes the window.

    python benchmarks/window_probe.py [labeler's arguments]

It is the `labeler` command with one hook: the main window, once made, is watched by a timer
of the Qt event loop. The command itself (imports, database, services) runs unchanged.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import labeler.app as app

real_open_window = app.open_window


def watched_open_window(services: Any) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import labeler.ui.launch as launch

    real_main_window = launch.MainWindow

    def make(*args: Any, **kwargs: Any) -> Any:
        window = real_main_window(*args, **kwargs)
        timer = QTimer(window)
        timer.setInterval(1)

        def check() -> None:
            rows = window.documents.rowCount()
            if rows and window.isVisible():
                window.documents.data(window.documents.index(0, 0))  # the first row is read
                print(f"listed {time.time():.6f} {time.process_time():.3f} {rows}", flush=True)
                timer.stop()
                QApplication.quit()

        timer.timeout.connect(check)
        timer.start()
        return window

    launch.MainWindow = make
    return real_open_window(services)


app.open_window = watched_open_window  # main() hands the command line app.open_window
sys.exit(app.main(sys.argv[1:]))
