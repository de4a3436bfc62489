"""An importer with ImportService's face that takes the lean path (services.quick_import) for
every call it can: tests of refusals and of stored results run through both paths."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from labeler.domain.annotation import DEFAULT_ANNOTATOR
from labeler.services.importing import ImportReport, ImportService
from labeler.services.quick_import import quick_import


class LeanImporter:
    """import_paths through the lean path when the call has no option it leaves to the usual
        one (then through `usual`); `declined` counts the calls the lean path could have taken but
    left to the usual one."""

    def __init__(self, url: str, usual: ImportService) -> None:
        self._url = url
        self._usual = usual
        self.declined = 0

    def import_paths(
        self,
        project_name: str,
        paths: Sequence[Path],
        *,
        format_name: str | None = None,
        **options: Any,
    ) -> ImportReport:
        if format_name is None and not options:
            report = quick_import(self._url, project_name, list(paths), DEFAULT_ANNOTATOR)
            if report is not None:
                return report
            self.declined += 1
        return self._usual.import_paths(project_name, paths, format_name=format_name, **options)
