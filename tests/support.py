"""Helpers the tests share, whatever layer they test."""

from __future__ import annotations

from typing import Any


def offsets(text: str, snippet: str, occurrence: int = 0) -> tuple[int, int]:
    """Start and end, in code points, of the snippet's `occurrence`-th appearance (from 0) in
    text. A module with one text binds it once: `at = functools.partial(offsets, TEXT)`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(snippet, start + 1)
    return start, start + len(snippet)


def run_cli(capsys: Any, *args: str) -> tuple[int, str, str]:
    """Runs the command line in this process: (exit code, standard output, standard error)."""
    from labeler.app import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
