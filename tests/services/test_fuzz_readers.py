"""Every reader, fed mutated copies of a real export, ends in a clean refusal (a LabelerError, and
nothing stored) or a correct import; never in another exception.

Fast and deterministic by default (8 examples a format, derandomized). For a long run:
`LABELER_FUZZ=long python -m pytest tests/services/test_fuzz_readers.py` (random examples, 500 a
format, or `LABELER_FUZZ_EXAMPLES=N`).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from labeler.domain.errors import LabelerError
from labeler.services.documents import DocumentService
from labeler.services.exporting import ANY_STATUS, ExportOptions, ExportService
from labeler.services.importing import ImportService
from labeler.services.projects import ProjectService
from labeler.storage.database import Database
from tests.attribution_articles import write_articles

LONG = os.environ.get("LABELER_FUZZ") == "long"
EXAMPLES = int(os.environ.get("LABELER_FUZZ_EXAMPLES", 500 if LONG else 8))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=not LONG,  # the same examples on every run, in CI as here
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# format -> (name of the export, files of it to mutate: a glob inside a folder export)
FORMATS: dict[str, tuple[str, str]] = {
    "jsonl": ("native.jsonl", ""),
    "doccano": ("doccano.jsonl", ""),
    "prodigy": ("prodigy.jsonl", ""),
    "labelstudio": ("out.json", ""),
    "csv": ("out.csv", ""),
    "conll": ("out.conll", ""),
    "spacy": ("out.spacy", ""),
    "brat": ("brat", "*.ann"),
    "hf": ("hf", "**/*.arrow"),
    "xmi": ("xmi", "*.xmi"),
    "text": ("text", "*.txt"),
}


class World:
    def __init__(self, root: Path) -> None:
        self.db = Database(f"sqlite:///{root / 'fuzz.db'}")
        self.db.open()
        self.projects = ProjectService(self.db)
        self.importer = ImportService(self.db)
        self.documents = DocumentService(self.db)
        self.projects.create("Seed", "news")
        self.importer.import_paths("Seed", [write_articles(root / "articles.jsonl")])
        self.seeds = root / "seeds"
        exporter = ExportService(self.db)
        for fmt, (name, _) in FORMATS.items():
            if fmt in ("csv", "text"):
                continue
            # One-set formats take the annotators' sets merged, as they now ask to be told.
            merge = fmt not in ("jsonl", "labelstudio")
            options = ExportOptions(statuses=ANY_STATUS, merge=merge)
            exporter.export("Seed", fmt, self.seeds / name, options)
        (self.seeds / "out.csv").write_text(
            'title,date,text,source\n"Port strike",2026-03-01,"Dockers said: ""no.""",wire\n'
            "Budget,,The council voted 7-2.,\n",
            encoding="utf-8",
        )
        (self.seeds / "text").mkdir()
        (self.seeds / "text" / "a.txt").write_text(
            "date 2026-03-01 Port strike ends\nDockers 😀 returned.\n", encoding="utf-8"
        )

    def count(self, project: str) -> int:
        return len(self.documents.summaries(self.projects.get(project)))


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    root = Path(tempfile.mkdtemp(prefix="labeler-fuzz-"))
    made = World(root)
    yield made
    made.db.close()
    shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------- mutations of bytes


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 2, 8, 32))):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))] if data else data


def _insert(piece: bytes) -> Callable[[bytes, random.Random], bytes]:
    def insert(data: bytes, rng: random.Random) -> bytes:
        at = rng.randrange(len(data) + 1)
        return data[:at] + piece + data[at:]

    return insert


def _huge_number(data: bytes, rng: random.Random) -> bytes:
    runs = list(re.finditer(rb"\d+", data))
    if not runs:
        return data + b"9" * 5000
    run = rng.choice(runs)
    return data[: run.start()] + b"9" * rng.choice((20, 5000)) + data[run.end() :]


BYTE_MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    _flip,
    _truncate,
    _huge_number,
    _insert(b"\x00"),
    _insert(b"\xff\xfe\xc3("),  # invalid UTF-8 (and a UTF-16 byte-order mark)
    _insert(b"[" * 50_000),
    _insert(b'{"a":' * 3000 + b"1" + b"}" * 3000),
    _insert(b"<a>" * 5000),
    _insert(b"\r\n\r"),
    _insert(b'<!DOCTYPE x [<!ENTITY e "e">]>'),
]

# ---------------------------------------------------------------- mutations of JSON values

_ODD_VALUES: list[Any] = [
    None,
    True,
    -1,
    0,
    10**40,
    1.5,
    "",
    "\x00",
    "x" * 10_000,
    [],
    {},
    [[[[["deep"]]]]],
    {"start": 3, "end": 1},
]


def _paths(value: Any, here: tuple = ()) -> Iterator[tuple]:
    yield here
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*here, index))


def _set(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    value[path[0]] = _set(value[path[0]], path[1:], new)
    return value


def _spans_astray(value: Any, rng: random.Random) -> Any:
    """Inverts, empties or pushes out of range every start/end pair found."""
    for path in list(_paths(value)):
        node = value
        for key in path:
            node = node[key]
        if isinstance(node, dict):
            for a, b in (("start", "end"), ("start_offset", "end_offset")):
                if isinstance(node.get(a), int) and isinstance(node.get(b), int):
                    choice = rng.randrange(4)
                    if choice == 0:
                        node[a], node[b] = node[b], node[a]
                    elif choice == 1:
                        node[b] = node[a]
                    elif choice == 2:
                        node[b] += 10_000
                    else:
                        node[a] = -5
        if isinstance(node, list) and len(node) == 3 and all(isinstance(x, int) for x in node[:2]):
            node[0], node[1] = node[1] + 7, node[0]  # doccano [start, end, label]
    return value


def _json_mutation(data: bytes, rng: random.Random) -> bytes:
    """One value in one record replaced by a value of another type, or spans sent astray."""
    text = data.decode("utf-8")
    lines = text.splitlines() if not text.lstrip().startswith("[") else [text]
    index = rng.randrange(len(lines))
    value = json.loads(lines[index])
    if rng.random() < 0.4:
        value = _spans_astray(value, rng)
    else:
        path = rng.choice(list(_paths(value)))
        value = _set(value, path, rng.choice(_ODD_VALUES))
    lines[index] = json.dumps(value, ensure_ascii=False)
    return "\n".join(lines).encode("utf-8")


def _arrow_rows_mutation(data: bytes, rng: random.Random) -> bytes:
    """A dataset's rows with spans sent astray or a value replaced, written back as Arrow."""
    import pyarrow as pa

    rows = pa.ipc.open_stream(pa.BufferReader(data)).read_all().to_pylist()
    index = rng.randrange(len(rows))
    if rng.random() < 0.5:
        rows[index] = _spans_astray(rows[index], rng)
    else:
        path = rng.choice(list(_paths(rows[index]))[1:])
        rows[index] = _set(rows[index], path, rng.choice(_ODD_VALUES))
    try:
        table = pa.Table.from_pylist(rows)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return _flip(data, rng)  # values Arrow cannot hold in one column
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


# ---------------------------------------------------------------- the property


def _target(world: World, fmt: str, scratch: Path, rng: random.Random) -> tuple[Path, Path]:
    """A copy of the seed export in scratch; the file of it to mutate; the path to import."""
    name, inner = FORMATS[fmt]
    seed = world.seeds / name
    copy = scratch / name
    if seed.is_dir():
        shutil.copytree(seed, copy)
        victims = sorted(p for p in copy.glob(inner) if p.is_file())
        victim = rng.choice(victims)
        return victim, (copy / "dataset_dict.json" if fmt == "hf" else copy)
    shutil.copy(seed, copy)
    return copy, copy


@pytest.mark.filterwarnings("ignore")  # a library's warning on odd input is not a failure
@pytest.mark.parametrize("fmt", sorted(FORMATS))
@FUZZ
@given(seed=st.integers(0, 2**32 - 1), json_level=st.booleans())
def test_mutated_exports_are_refused_cleanly_or_imported(
    world: World, fmt: str, seed: int, json_level: bool
) -> None:
    rng = random.Random(seed)
    project = f"Fuzz {fmt}"
    if project not in {p.name for p in world.projects.list()}:
        world.projects.create(project, "news")
    with tempfile.TemporaryDirectory(prefix="labeler-fuzz-") as scratch:
        victim, path = _target(world, fmt, Path(scratch), rng)
        data = victim.read_bytes()
        if json_level and fmt in ("jsonl", "doccano", "prodigy", "labelstudio"):
            victim.write_bytes(_json_mutation(data, rng))
        elif json_level and fmt == "hf":
            victim.write_bytes(_arrow_rows_mutation(data, rng))
        elif json_level and fmt == "spacy":  # inside the zlib layer, which flips rarely pass
            inner = rng.choice(BYTE_MUTATIONS)(zlib.decompress(data), rng)
            victim.write_bytes(zlib.compress(inner))
        else:
            victim.write_bytes(rng.choice(BYTE_MUTATIONS)(data, rng))
        before = world.count(project)
        try:
            report = world.importer.import_paths(project, [path], format_name=fmt)
        except LabelerError as refusal:
            message = str(refusal)
            assert len(message) < 2000 and message.strip(), message[:200]
            assert world.count(project) == before  # nothing of a refused batch is stored
            event("refused")
            return
        assert world.count(project) == before + report.imported
        event("imported")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_unmutated_exports_import(world: World, fmt: str) -> None:
    """The fuzzing starts from exports that import: a refusal is the mutation's doing."""
    project = f"Seed {fmt}"
    world.projects.create(project, "news")
    with tempfile.TemporaryDirectory(prefix="labeler-fuzz-") as scratch:
        _, path = _target(world, fmt, Path(scratch), random.Random(0))
        report = world.importer.import_paths(project, [path], format_name=fmt)
    assert report.imported == world.count(project) >= (1 if fmt in ("text", "csv") else 3)
