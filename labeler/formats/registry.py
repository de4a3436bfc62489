"""The registry of formats: each module registers its reader and writer under a name.

labeler's own formats are the modules listed here. Another installed package adds a format by
declaring an entry point in the group `labeler.formats` whose object is a `Format`:

    [project.entry-points."labeler.formats"]
    tei = "labeler_tei:FORMAT"

The entry point's name must be the format's name; a format of labeler's own keeps its name.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from labeler.domain.errors import InputError, LabelerError, did_you_mean
from labeler.domain.schema import LabelSchema
from labeler.formats.records import ExportItem, ReadOptions, Record, WriteReport

Reader = Callable[[Path, ReadOptions], Iterator[Record | InputError]]
"""Reads one file; yields records, and an InputError (not raised) for each bad one."""

Writer = Callable[[Path, Iterable[ExportItem], LabelSchema], WriteReport]
"""Writes items to a file or folder; reports what it wrote and what it could not carry."""

SplitWriter = Callable[[Path, Mapping[str, Iterable[ExportItem]], LabelSchema], WriteReport]
"""Writes every split at once (split name -> items) into one dataset at a folder."""

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "labeler.formats"

# Modules that register formats, by the name of the format each registers (in this order:
# on a tie of file endings the first wins, as `.jsonl` is the native format's).
_MODULES = {
    "text": "labeler.formats.text",
    "jsonl": "labeler.formats.jsonl",
    "doccano": "labeler.formats.doccano",
    "prodigy": "labeler.formats.prodigy",
    "csv": "labeler.formats.csv",
    "spacy": "labeler.formats.spacy_docbin",
    "conll": "labeler.formats.conll",
    "brat": "labeler.formats.brat",
    "labelstudio": "labeler.formats.labelstudio",
    "hf": "labeler.formats.hf",
    "xmi": "labeler.formats.xmi",
}

# The file endings each of labeler's own formats reads, and the dataset marker file it names
# (both as its module registers them: a test holds them equal), so that choosing the reader of
# a file imports that reader's module alone rather than every format's.
_OWN_ENDINGS = {
    "text": (".txt", ".text"),
    "jsonl": (".jsonl", ".ndjson"),
    "doccano": (".jsonl",),
    "prodigy": (".jsonl",),
    "csv": (".csv", ".tsv"),
    "spacy": (".spacy",),
    "conll": (".conll", ".iob"),
    "brat": (".ann",),
    "labelstudio": (".json",),
    "hf": ("dataset_dict.json",),
    "xmi": (".xmi",),
}
_OWN_MARKERS = {"dataset_dict.json"}


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    extensions: tuple[str, ...]
    read: Reader | None = None
    write: Writer | None = None
    folder: bool = False  # the writer fills a folder rather than one file
    lossless: bool = False  # carries everything: exports every status unless told otherwise
    # Writes every annotation set of a document; otherwise one set per document, and an export
    # where several annotators have a set on a document needs a person to choose whose.
    all_sets: bool = False
    write_splits: SplitWriter | None = None  # one dataset holding every split
    marker: str | None = None  # a file naming its folder one dataset (the rest is not read)
    companions: tuple[str, ...] = ()  # endings of files read with a file of ours of the same stem
    notes: bool = False  # writes the notes of spans and relations; else the export counts them
    document_notes: bool = False  # writes an annotation set's own note; else it is counted
    # Writes document labels (or counts itself those it cannot); else the export counts them.
    document_labels: bool = False
    suggestions: bool = False  # writes a document's stored suggestions, apart, when asked


_formats: dict[str, Format] = {}
_plugin_problems: list[str] = []
_plugin_names: set[str] = set()
_plugins_loaded = False


def register(fmt: Format) -> Format:
    _formats[fmt.name] = fmt
    return fmt


def _load() -> None:
    if any(name not in _formats for name in _MODULES):
        for module in _MODULES.values():
            importlib.import_module(module)
        # labeler's own first and in their order, whichever `get` loaded alone before
        ordered = {name: _formats[name] for name in _MODULES}
        ordered.update(_formats)
        _formats.clear()
        _formats.update(ordered)
    _load_plugins()


def _load_plugins() -> None:
    """Registers the formats of other installed packages (once), after labeler's own (which
    win a tie of file endings); a plugin that fails to load is left out and reported, not
    fatal."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    if not _plugins_may_be_installed():
        return
    from importlib import metadata  # slow to import, and wanted only once formats are

    for entry in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        where = f"format plugin {entry.name!r} ({entry.value})"
        try:
            fmt = entry.load()
        except Exception as exc:  # another package's bug must not stop labeler's own formats
            log.warning("cannot load %s", where, exc_info=True)
            _plugin_problems.append(f"{where} not loaded: {type(exc).__name__}: {exc}")
            continue
        if not isinstance(fmt, Format):
            _plugin_problems.append(f"{where} left out: it is not a labeler Format")
        elif fmt.name != entry.name:
            _plugin_problems.append(f"{where} left out: it names itself {fmt.name!r}")
        elif fmt.name in _MODULES or (fmt.name in _formats and _formats[fmt.name] is not fmt):
            _plugin_problems.append(f"{where} left out: labeler already has a format of that name")
        elif fmt.read is None and fmt.write is None and fmt.write_splits is None:
            _plugin_problems.append(f"{where} left out: it neither reads nor writes")
        else:
            register(fmt)
            _plugin_names.add(fmt.name)


def _plugins_may_be_installed() -> bool:
    """Whether an installed distribution may declare an entry point of ENTRY_POINT_GROUP,
    told by a look at the entry_points.txt of each .dist-info and .egg-info folder on
    sys.path, where importlib.metadata finds them (a fifth of the time it takes to import and
    ask it). True whenever unsure: a zip or an egg on the path, or another finder of
    distributions than the standard one; then importlib.metadata is asked."""
    import os
    from importlib.machinery import PathFinder

    if any(
        getattr(finder, "find_distributions", None) is not None and finder is not PathFinder
        for finder in sys.meta_path
    ):
        return True
    for entry in sys.path:
        folder = entry or "."
        if folder.lower().endswith(".egg"):
            return True
        try:
            children = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        except NotADirectoryError:
            return True  # a zip: importlib.metadata reads it
        except OSError:
            return True
        for child in children:
            if not child.name.lower().endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(child.path, "entry_points.txt"), "rb") as f:
                    if ENTRY_POINT_GROUP.encode() in f.read():
                        return True
            except (FileNotFoundError, NotADirectoryError):
                continue  # declares no entry points (or a bare PKG-INFO file)
            except OSError:
                return True
    return False


def plugin_problems() -> list[str]:
    """Why each format plugin that was found is not offered, a line each."""
    _load()
    return list(_plugin_problems)


def reload_plugins() -> None:
    """Forgets the plugins' formats and looks for them again (after installing one)."""
    global _plugins_loaded
    for name in _plugin_names:
        _formats.pop(name, None)
    _plugin_names.clear()
    _plugin_problems.clear()
    _plugins_loaded = False


def all_formats() -> list[Format]:
    _load()
    return sorted(_formats.values(), key=lambda f: f.name)


def get(name: str) -> Format:
    if name in _MODULES:  # one of labeler's own: its module alone (a plugin cannot take its name)
        importlib.import_module(_MODULES[name])
        return _formats[name]
    _load()
    try:
        return _formats[name]
    except KeyError:
        known = ", ".join(sorted(_formats))
        tip = did_you_mean(name, _formats)
        raise LabelerError(f"unknown format {name!r}{tip} (known: {known})") from None


def for_path(path: Path) -> Format | None:
    """The readable format a file's name points to: the longest matching ending wins, and on a
    tie the format registered first (so `.jsonl` is the native format's). Of labeler's own
    formats, the one chosen alone is imported."""
    _load_plugins()
    name = path.name.lower()
    best: tuple[int, str] | None = None
    for own, endings in _OWN_ENDINGS.items():
        for ending in endings:
            if name.endswith(ending) and (best is None or len(ending) > best[0]):
                best = (len(ending), own)
    for fmt in [f for n, f in _formats.items() if n in _plugin_names and f.read is not None]:
        for ending in fmt.extensions:
            if name.endswith(ending) and (best is None or len(ending) > best[0]):
                best = (len(ending), fmt.name)
    return get(best[1]) if best is not None else None


def is_companion(path: Path) -> bool:
    """Whether a file belongs to a file of another format beside it (brat's .txt to its .ann),
    and is read with it rather than on its own."""
    _load()
    suffix = path.suffix.lower()
    return any(
        suffix in fmt.companions and path.with_suffix(ending).is_file()
        for fmt in _formats.values()
        for ending in fmt.extensions
    )


def dataset_markers() -> set[str]:
    """Names of files that make their folder one dataset, read through that file alone."""
    _load_plugins()
    plugins = [_formats[name] for name in _plugin_names]
    return _OWN_MARKERS | {fmt.marker for fmt in plugins if fmt.marker}
