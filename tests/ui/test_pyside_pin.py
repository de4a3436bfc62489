"""PySide6 6.12.0 drops a reference to None on every void Qt call; 6.11.3 does not.

This guards the pin in pyproject.toml: lift it only when this test passes on the newer version.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument


def test_void_qt_calls_keep_references_to_none(qapp) -> None:
    document = QTextDocument("a few words of text to format")
    cursor = QTextCursor(document)
    fmt = QTextCharFormat()
    before = sys.getrefcount(None)
    for i in range(1000):
        cursor.setPosition(i % 10)
        cursor.mergeCharFormat(fmt)
    after = sys.getrefcount(None)
    assert after >= before - 10, f"references to None fell from {before} to {after}"
