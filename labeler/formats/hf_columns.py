"""The Hugging Face writer's rows, and a batch of them as a `datasets.Dataset` made from
Arrow columns.

Handed Python lists (`Dataset.from_dict`), `datasets` encodes every cell of every row in Python
(each span's struct, each token) before Arrow converts them again, then hashes the table by
pickling it for the dataset's fingerprint; that cost more than the rest of the writing. Here
the columns are built as Arrow arrays of the features' types (the tokens of a batch cut out of
its texts' UTF-8 bytes at once, by their offsets, rather than made into a string object each),
the same arrays `datasets` makes from the lists, so the data files are the same byte for byte;
the fingerprint is a digest of the table's buffers, as content-bound as `datasets`' own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from labeler.domain.annotation import AnnotationSet

if TYPE_CHECKING:
    import pyarrow as pa
    from datasets import Dataset, Features


class Row(NamedTuple):
    """One document's cells; the tokens as offsets into the text (white-space tokens left
    out), with their tags. Small to send back from a worker process."""

    id: str
    title: str
    date: str | None
    text: str
    meta: str
    annotator: str | None
    status: str | None
    starts: Any  # numpy: each token's first code point
    ends: Any  # numpy: the code point after each token
    tags: Any  # numpy int64: each token's IOB2 tag
    spans: list[tuple[Any, ...]]
    relations: list[tuple[Any, ...]]
    documents: dict[str, Any]  # the doc_<name> cells


_PLAIN = ("id", "title", "date", "text", "annotator", "status", "meta")


def _pairs(attributes: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Attributes as (name, value) pairs; a value not a string as `datasets` would store it."""
    return [(k, v if v is None or type(v) is str else str(v)) for k, v in attributes.items()]


def annotations(chosen: AnnotationSet) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The set's spans (numbered from 1 in reading order) and relations (by head, tail and
    type) as the native format lists them, as tuples of the struct fields' values."""
    number: dict[int | None, int] = {}
    spans = []
    for n, span in enumerate(chosen.sorted_spans(), 1):
        number[span.id] = n
        attributes = _pairs(span.attributes) if span.attributes else []
        spans.append((n, span.layer, span.label, span.start, span.end, span.text, attributes))
    relations = sorted(
        (
            (r.type, number[r.head], number[r.tail], _pairs(r.attributes))
            for r in chosen.relations.values()
        ),
        key=lambda r: (r[1], r[2], r[0]),
    )
    return spans, relations


def batch_dataset(rows: list[Row], feats: Features) -> Dataset:
    """The rows as a dataset of the features."""
    import pyarrow as pa
    from datasets import Dataset, DatasetInfo
    from datasets.table import InMemoryTable

    table = pa.Table.from_pydict(arrow_columns(rows, feats))
    return Dataset(
        InMemoryTable(table), info=DatasetInfo(features=feats), fingerprint=_digest(table)
    )


def _digest(table: pa.Table) -> str:
    """The table's schema and data, digested (its arrays are fresh: no buffer holds more)."""
    digest = hashlib.blake2b(table.schema.serialize(), digest_size=8)
    for column in table.columns:
        for chunk in column.chunks:
            for buffer in chunk.buffers():
                digest.update(b"-" if buffer is None else buffer)
    return digest.hexdigest()


def arrow_columns(rows: list[Row], feats: Features) -> dict[str, pa.Array]:
    """The batch's columns in the features' order, each of the features' Arrow type."""
    import pyarrow as pa

    schema = feats.arrow_schema
    plain = {name: pa.array([getattr(r, name) for r in rows], pa.string()) for name in _PLAIN}
    counts = np.fromiter((len(r.tags) for r in rows), np.int64, len(rows))
    offsets = np.zeros(len(rows) + 1, np.int32)
    np.cumsum(counts, out=offsets[1:])
    lists = pa.array(offsets)
    found = {
        **plain,
        "tokens": pa.ListArray.from_arrays(lists, _token_strings(rows, counts)),
        "ner_tags": pa.ListArray.from_arrays(lists, pa.array(_joined(rows, "tags"))),
        "spans": pa.array([r.spans for r in rows], schema.field("spans").type),
        "relations": pa.array([r.relations for r in rows], schema.field("relations").type),
    }
    for name in feats:
        if name not in found:
            found[name] = pa.array([r.documents[name] for r in rows], schema.field(name).type)
    return {name: found[name] for name in feats}


def _joined(rows: list[Row], field: str) -> Any:
    arrays = [getattr(r, field) for r in rows]
    return np.concatenate(arrays).astype(np.int64) if arrays else np.zeros(0, np.int64)


def _token_strings(rows: list[Row], counts: Any) -> pa.Array:
    """Every token of the batch, in order, as one string array."""
    import pyarrow as pa

    texts = [r.text for r in rows]
    joined = "".join(texts)
    # Where each text begins in `joined`, repeated for each of its tokens.
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    bases = np.repeat(np.cumsum(lengths) - lengths, counts)
    starts = _joined(rows, "starts") + bases
    ends = _joined(rows, "ends") + bases
    if joined.isascii():
        data = np.frombuffer(joined.encode("ascii"), np.uint8)
    else:  # code points to UTF-8 byte offsets
        points = np.frombuffer(joined.encode("utf-32-le"), np.uint32)
        widths = 1 + (points >= 0x80).astype(np.int64) + (points >= 0x800) + (points >= 0x10000)
        at = np.zeros(len(points) + 1, np.int64)
        np.cumsum(widths, out=at[1:])
        starts, ends = at[starts], at[ends]
        data = np.frombuffer(joined.encode("utf-8"), np.uint8)
    # The tokens do not overlap and come in order: the bytes kept are those inside one.
    inside = np.zeros(len(data) + 1, np.int8)
    inside[starts] = 1
    inside[ends] -= 1  # 0 where one token ends and the next begins
    picked = data[np.cumsum(inside[:-1], dtype=np.int8).view(np.bool_)]
    offsets = np.zeros(len(starts) + 1, np.int64)
    np.cumsum(ends - starts, out=offsets[1:])
    return pa.StringArray.from_buffers(
        len(starts), pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(picked)
    )
