"""A pytest plugin that makes Qt unimportable, as on a machine without it:

    python -m pytest -m "not gui" -p no:pytest-qt -p tests.no_qt

shows that everything but the window tests runs there (a test that imports Qt fails)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

QT_PACKAGES = frozenset({"PySide6", "shiboken6", "pytestqt"})


class _NoQt(MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname.partition(".")[0] in QT_PACKAGES:
            raise ImportError(f"{fullname} is not importable here: Qt is blocked (tests.no_qt)")
        return None


if not any(isinstance(finder, _NoQt) for finder in sys.meta_path):
    sys.meta_path.insert(0, _NoQt())
