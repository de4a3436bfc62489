"""`labeler` with no command opens the window on the chosen database and exits with its code."""

from __future__ import annotations

from pathlib import Path

from labeler.app import open_services
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
