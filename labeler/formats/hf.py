"""Hugging Face `datasets`: a DatasetDict saved to a folder, and as parquet, one split each.

Writing fills the folder with `DatasetDict.save_to_disk` (splits "train", "validation" for our
"dev", and "test"; `datasets.load_from_disk(folder)` reads it) and `parquet/<split>.parquet`. A
row is a document: `id` (the document's id, or its text digest), `title`, `date` (ISO or None),
`text`, `meta` (JSON), the first annotation set's `annotator` and `status`, `spans` (id, layer,
label, exact code-point start/end, text, attributes as [{name, value}]) and `relations` (type,
head and tail span ids, attributes), plus `tokens` and IOB2 `ner_tags` (a ClassLabel of "O",
"B-X", "I-X" for the entity layer's labels, in schema order) for token classification, and a
column `doc_<name>` per document attribute of the schema for text classification: a
ClassLabel of its values (a list of them for a multiple choice), the text, or the rating; None
where the annotator set none.

Tokens come from a blank spaCy pipeline of the document's `meta["lang"]`, white-space tokens
left out. An entity off token boundaries is grown to whole tokens in `ner_tags`; one that then
overlaps another, or covers no token, is left out of `ner_tags`; each is counted in the
`WriteReport`. The `spans` column always keeps every span exactly. Annotation sets after the
first are not exported (counted too).

Reading takes the `dataset_dict.json` file of such a folder (name the format: `--format hf`;
other files are ignored) and restores documents and annotations from the columns, never from
the tokens. An error names that file, the 1-based row within its split, and the split.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labeler.domain.document import Document
from labeler.domain.errors import InputError, Location
from labeler.domain.schema import LabelSchema
from labeler.domain.snippets import clip
from labeler.formats import inflating, json_decoding, jsonl
from labeler.formats.hf_document import (
    DOCUMENT_PREFIX,
    document_features,
    document_labels_of,
    name_classes,
)
from labeler.formats.parallel import per_document
from labeler.formats.records import (
    ExportItem,
    RawAnnotationSet,
    ReadOptions,
    Record,
    WriteReport,
)
from labeler.formats.registry import Format, register
from labeler.formats.spacy_docbin import ENTITY_LAYER

if TYPE_CHECKING:  # `datasets` takes a second to import: only the hf commands pay for it
    from datasets import Dataset, Features

    from labeler.formats.hf_columns import Row

DATASET_DICT = "dataset_dict.json"  # the file save_to_disk writes at the top of the folder
PARQUET_FOLDER = "parquet"
SPLIT_NAMES = {"dev": "validation"}  # ours -> Hugging Face's; others keep their name
BATCH = 1000  # rows turned into Arrow at a time, so Python objects stay few
# Fewer when their texts are long: a batch's tokens are one Arrow string array, whose 32-bit
# offsets hold under 2 GB (4 bytes a code point at most).
BATCH_CODE_POINTS = 256_000_000

# Columns the reader restores from, not copied into the document's metadata.
_STRUCTURED = {"id", "meta", "tokens", "ner_tags", "annotator", "status", "spans", "relations"}


# ---------------------------------------------------------------- writing


def tag_names(schema: LabelSchema, layer: str = ENTITY_LAYER) -> list[str]:
    """The IOB2 tag names: "O", then B- and I- of each label of the layer in schema order."""
    labels = next((x.labels for x in schema.layers if x.name == layer), ())
    return ["O"] + [f"{prefix}-{label.name}" for label in labels for prefix in ("B", "I")]


def features(schema: LabelSchema) -> Features:
    from datasets import ClassLabel, Features, List, Value

    attributes = List({"name": Value("string"), "value": Value("string")})
    return Features(
        {
            "id": Value("string"),
            "title": Value("string"),
            "date": Value("string"),
            "text": Value("string"),
            "tokens": List(Value("string")),
            "ner_tags": List(ClassLabel(names=tag_names(schema))),
            "spans": List(
                {
                    "id": Value("int64"),
                    "layer": Value("string"),
                    "label": Value("string"),
                    "start": Value("int64"),
                    "end": Value("int64"),
                    "text": Value("string"),
                    "attributes": attributes,
                }
            ),
            "relations": List(
                {
                    "type": Value("string"),
                    "head": Value("int64"),
                    "tail": Value("int64"),
                    "attributes": attributes,
                }
            ),
            "annotator": Value("string"),
            "status": Value("string"),
            "meta": Value("string"),
            **document_features(schema),
        }
    )


def _row(
    item: ExportItem, report: WriteReport, tags: dict[str, tuple[int, int]], schema: LabelSchema
) -> Row:
    """`hf_columns.row`, imported where it runs: it loads numpy, whose thread pool would keep a
    command-line export from forking its workers."""
    from labeler.formats import hf_columns

    return hf_columns.row(item, report, tags=tags, schema=schema)


def _dataset(
    items: Iterable[ExportItem],
    feats: Callable[[], Features],
    report: WriteReport,
    schema: LabelSchema,
) -> Dataset:
    """One split, turned into Arrow a batch at a time. `datasets` (which starts Arrow's threads)
    is first loaded as the first batch is turned, after `per_document` may have forked its
    workers: a process with other threads may not fork."""
    names = tag_names(schema)
    tags = {name[2:]: (n, n + 1) for n, name in enumerate(names) if name.startswith("B-")}
    parts: list[Dataset] = []
    rows: list[Row] = []
    size = 0

    def flush() -> None:
        nonlocal size
        from labeler.formats import hf_columns

        with _quiet():
            parts.append(hf_columns.batch_dataset(rows, feats()))
        rows.clear()
        size = 0

    for cells in per_document(
        functools.partial(_row, tags=tags, schema=schema), items, report, tokenised=True
    ):
        rows.append(cells)
        report.documents += 1
        size += len(cells.text)
        if len(rows) >= BATCH or size >= BATCH_CODE_POINTS:
            flush()
    if rows or not parts:
        flush()
    if len(parts) == 1:
        return parts[0]
    from datasets import concatenate_datasets

    with _quiet():
        return concatenate_datasets(parts)


@contextmanager
def _quiet() -> Iterator[None]:
    """No `datasets` progress bars on the terminal, unless the person asked for them."""
    from datasets import config
    from datasets.utils import (
        are_progress_bars_disabled,
        disable_progress_bars,
        enable_progress_bars,
    )

    # HF_DATASETS_DISABLE_PROGRESS_BARS, when set, wins (and changing it would warn).
    if are_progress_bars_disabled() or config.HF_DATASETS_DISABLE_PROGRESS_BARS is not None:
        yield
        return
    disable_progress_bars()
    try:
        yield
    finally:
        enable_progress_bars()


def write_splits(
    path: Path, splits: Mapping[str, Iterable[ExportItem]], schema: LabelSchema
) -> WriteReport:
    """Writes every split into the folder `path`: save_to_disk, and parquet/<split>.parquet."""
    report = WriteReport()
    feats = functools.cache(functools.partial(features, schema))
    made = {
        SPLIT_NAMES.get(name, name): _dataset(items, feats, report, schema)
        for name, items in splits.items()
    }
    from datasets import DatasetDict

    with _quiet():
        built = DatasetDict(made)
        path.mkdir(parents=True, exist_ok=True)
        # An empty split saved with the default sharding has no Arrow file, and
        # load_from_disk then fails: one shard each for those.
        shards = {name: 1 for name, ds in built.items() if len(ds) == 0}
        built.save_to_disk(str(path), num_shards=shards)
        (path / PARQUET_FOLDER).mkdir(exist_ok=True)
        for name, ds in built.items():
            ds.to_parquet(str(path / PARQUET_FOLDER / f"{name}.parquet"))
    return report


# ---------------------------------------------------------------- reading


def _attributes(value: Any, what: str) -> dict[str, Any]:
    """[{name, value}] as written, or a mapping or JSON object as another tool may give."""
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json_decoding.loads(value)
        except json_decoding.JsonProblem:
            raise jsonl.RecordProblem(f"{what} attributes are not valid JSON") from None
    if isinstance(value, dict):
        return value
    if not isinstance(value, list) or not all(
        isinstance(p, dict) and "name" in p and "value" in p for p in value
    ):
        raise jsonl.RecordProblem(f"{what} attributes must be a list of {{name, value}}")
    return {p["name"]: p["value"] for p in value}


def _entries(value: Any, kind: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise jsonl.RecordProblem(f"column {kind!r} must hold a list")
    entries = []
    for n, raw in enumerate(value, 1):
        if not isinstance(raw, dict):
            raise jsonl.RecordProblem(f"{kind[:-1]} {n} must be a struct")
        entry = dict(raw)
        entry["attributes"] = _attributes(raw.get("attributes"), f"{kind[:-1]} {n}")
        entries.append(entry)
    return entries


def parse_row(row: dict[str, Any], options: ReadOptions) -> tuple[Document, list[RawAnnotationSet]]:
    """The document and annotation set of one row, checked as the JSONL reader checks a line."""
    obj = {k: v for k, v in row.items() if k not in _STRUCTURED and v is not None}
    meta = row.get("meta")
    if isinstance(meta, str):
        try:
            meta = json_decoding.loads(meta) if meta else {}
        except json_decoding.JsonProblem:
            raise jsonl.RecordProblem("column 'meta' is not valid JSON") from None
    obj["meta"] = meta or {}
    spans = _entries(row.get("spans"), "spans")
    relations = _entries(row.get("relations"), "relations")
    labels = document_labels_of(row)
    for key in list(obj):
        if key.startswith(DOCUMENT_PREFIX):
            del obj[key]
    if (
        row.get("annotator") is not None
        or row.get("status") is not None
        or spans
        or relations
        or labels
    ):
        obj["annotations"] = [
            {
                "annotator": row.get("annotator"),
                "status": row.get("status"),
                "spans": spans,
                "relations": relations,
                "document_labels": labels,
            }
        ]
    return jsonl.parse_line(obj, options)


def _unsafe_arrow(folder: Path) -> InputError | None:
    """Checks every Arrow file of a dataset before it is read: compressed data is refused
    (save_to_disk never compresses, and a small compressed file can grow without bound),
    and every record batch is validated in full (offsets, UTF-8), since reading damaged
    Arrow data without that can crash the process rather than raise."""
    import pyarrow as pa

    for arrow in sorted(folder.rglob("*.arrow")):
        try:
            with pa.memory_map(str(arrow)) as source:
                for message in pa.ipc.MessageReader.open_stream(source):
                    if inflating.arrow_message_compressed(message.metadata.to_pybytes()):
                        return InputError(
                            Location(str(arrow)),
                            "not read: its Arrow data is compressed, which save_to_disk never "
                            "does (compressed data could grow without bound when read)",
                        )
            with pa.memory_map(str(arrow)) as source, pa.ipc.open_stream(source) as batches:
                for batch in batches:
                    batch.validate(full=True)
        except Exception as exc:  # pyarrow's own words for a damaged stream
            return InputError(Location(str(arrow)), f"damaged Arrow data ({clip(str(exc), 200)})")
    return None


def _batches(dataset: Any, source: str, split: str) -> Iterator[dict[str, list[Any]] | InputError]:
    """The split's rows a batch at a time; damaged data ends them with an InputError."""
    rows = iter(dataset.iter(batch_size=BATCH))
    while True:
        try:
            batch = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # pyarrow and the decoders fail their own ways on damaged data
            yield InputError(
                Location(source),
                f"split {split!r}: damaged data ({type(exc).__name__}: {clip(str(exc), 200)})",
            )
            return
        yield batch


def read(path: Path, options: ReadOptions) -> Iterator[Record | InputError]:
    """Reads the dataset whose `dataset_dict.json` is `path`; any other file yields nothing."""
    if path.name != DATASET_DICT:
        return
    from datasets import DatasetDict, load_from_disk

    source = str(path)
    refused = _unsafe_arrow(path.parent)
    if refused is not None:
        yield refused
        return
    try:
        with _quiet():
            loaded = load_from_disk(str(path.parent))
    except Exception as exc:  # a damaged folder fails in json, pyarrow or datasets' own checks
        yield InputError(
            Location(source), f"not a dataset saved by save_to_disk: {clip(str(exc), 200)}"
        )
        return
    if not isinstance(loaded, DatasetDict):
        yield InputError(Location(source), "not a DatasetDict")
        return
    for split, dataset in loaded.items():
        if options.text_column not in dataset.column_names:
            columns = ", ".join(dataset.column_names)
            yield InputError(
                Location(source),
                f"split {split!r} has no {options.text_column!r} column (it has {columns})",
            )
            continue
        number = 0
        for batch in _batches(dataset, source, split):
            if isinstance(batch, InputError):
                yield batch
                return
            keys = list(batch)
            name_classes(batch, dataset.features)
            for values in zip(*batch.values(), strict=True):
                number += 1
                location = Location(source, number)
                try:
                    document, sets = parse_row(dict(zip(keys, values, strict=True)), options)
                except jsonl.RecordProblem as exc:
                    yield InputError(location, f"split {split!r}: {exc}")
                    continue
                yield Record(document, location, sets)


register(
    Format(
        name="hf",
        description="Hugging Face DatasetDict (save_to_disk + parquet): tokens, ner_tags, spans",
        extensions=(DATASET_DICT,),
        read=read,
        folder=True,
        write_splits=write_splits,
        marker=DATASET_DICT,
        document_labels=True,
    )
)
