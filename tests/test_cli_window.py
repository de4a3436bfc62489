"""`labeler` with no command opens the window on the chosen database and exits with its code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from labeler.app import display_problem, open_services
from labeler.cli import build_cli
from labeler.services.workspace import Services


def test_no_command_opens_the_window_and_returns_its_exit_code(tmp_path: Path) -> None:
    shown: list[str] = []

    def window(services: Services) -> int:
        shown.append(services.database)
        return 3

    main = build_cli(open_services, window)
    db = str(tmp_path / "w.db")
    assert main(["--db", db]) == 3
    assert shown == [db]
    assert main(["--db", db, "project", "list"]) == 0
    assert shown == [db]


def test_started_without_a_screen_it_says_so_in_one_line_before_qt_aborts(
    tmp_path: Path,
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["LABELER_DB"] = str(tmp_path / "w.db")
    done = subprocess.run(
        [sys.executable, "-m", "labeler"], env=env, capture_output=True, text=True, timeout=60
    )
    if not sys.platform.startswith("linux"):
        return
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no display found" in lines[0]
    assert "QT_QPA_PLATFORM=offscreen" in lines[0] and "DISPLAY" in lines[0]
    assert "xcb" not in done.stderr


def test_a_screen_or_a_chosen_platform_is_enough() -> None:
    assert display_problem({"DISPLAY": ":0"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "darwin") is None
    assert display_problem({}, "linux") is not None
