"""The files below a folder, with care for symbolic links that lead elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

from labeler.domain.errors import InputError, Location


def _within(target: Path, roots: list[Path]) -> bool:
    return any(target == root or root in target.parents for root in roots)


def folder_files(
    folder: Path, roots: list[Path], follow_links: bool, skipped: list[str]
) -> list[Path]:
    """The files below a folder, sorted; links that lead outside `roots` are listed in
    `skipped` instead, unless `follow_links`. A folder reached twice (a link loop) is read once."""
    found: list[Path] = []
    seen: set[Path] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        real = current.resolve()
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = list(os.scandir(current))
        except OSError as exc:
            raise InputError(
                Location(str(current)), f"cannot read the folder ({exc.strerror})"
            ) from None
        for entry in entries:
            child = Path(entry.path)
            if entry.is_symlink():
                target = child.resolve()
                if not follow_links and not _within(target, roots):
                    skipped.append(
                        f"{child}: a link to {target}, outside the chosen folders, not read "
                        "(--follow-links reads it)"
                    )
                    continue
            if entry.is_dir():
                pending.append(child)
            elif entry.is_file():
                found.append(child)
    return sorted(found)
