"""The formats that import and export offer, as the window and the command line list them."""

from __future__ import annotations

from dataclasses import dataclass

from labeler.formats import registry
from labeler.formats.records import ReadOptions

__all__ = ["FormatInfo", "ReadOptions", "all_formats", "describe", "problems", "readers", "writers"]


@dataclass(frozen=True)
class FormatInfo:
    """What a person chooses a format by: its name, what it carries, its file endings, and
    whether labeler reads it, writes it, or both."""

    name: str
    description: str
    extensions: tuple[str, ...]
    reads: bool
    writes: bool
    writes_folder: bool  # export fills a folder (a dataset, or one file per document)
    lossless: bool  # carries everything: export takes every status unless told otherwise
    suggestions: bool = False  # export can write the stored suggestions, apart from the sets

    @property
    def abilities(self) -> str:
        """'import', 'export' or 'import/export'."""
        return "/".join(
            word for word, can in (("import", self.reads), ("export", self.writes)) if can
        )


def _info(fmt: registry.Format) -> FormatInfo:
    return FormatInfo(
        name=fmt.name,
        description=fmt.description,
        extensions=fmt.extensions,
        reads=fmt.read is not None,
        writes=fmt.write is not None or fmt.write_splits is not None,
        writes_folder=fmt.folder or fmt.write_splits is not None,
        lossless=fmt.lossless,
        suggestions=fmt.suggestions,
    )


def all_formats() -> list[FormatInfo]:
    """Every format, labeler's own and those other installed packages add, by name."""
    return [_info(fmt) for fmt in registry.all_formats()]


def readers() -> list[FormatInfo]:
    """The formats import reads, by name."""
    return [f for f in all_formats() if f.reads]


def writers() -> list[FormatInfo]:
    """The formats export writes: the lossless native format first, then by name."""
    return sorted((f for f in all_formats() if f.writes), key=lambda f: not f.lossless)


def describe(name: str) -> FormatInfo:
    """One format by name; LabelerError naming the known ones if there is none."""
    return _info(registry.get(name))


def problems() -> list[str]:
    """Why each format plugin that was found is not offered, a line each."""
    return registry.plugin_problems()
