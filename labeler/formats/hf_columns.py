"""The Hugging Face writer's rows (one document's cells, its tokens as offsets), and a batch of
them as a `datasets.Dataset` made from Arrow columns.

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
import json
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from labeler.domain.schema import LabelSchema
from labeler.domain.spans import Span
from labeler.formats.hf_document import document_cells
from labeler.formats.records import ExportItem, WriteReport, first_set
from labeler.formats.spacy_docbin import ENTITY_LAYER, blank_pipeline, document_lang
from labeler.formats.token_arrays import Tokens, trimmed, without_overlap

if TYPE_CHECKING:
    import pyarrow as pa
    from datasets import Dataset, Features

    from labeler.domain.annotation import AnnotationSet


class Row(NamedTuple):
    """One document's cells, small to send back from a worker process. The tokens are
    spaCy's, white-space tokens still in (the batch leaves them out), as offsets."""

    id: str
    title: str
    date: str | None
    text: str
    meta: str
    annotator: str | None
    status: str | None
    starts: Any  # numpy int32: each token's first code point
    ends: Any  # numpy int32: the code point after each token
    tags: Any  # numpy int32: each token's IOB2 tag
    spans: list[tuple[Any, ...]]
    relations: list[tuple[Any, ...]]
    documents: dict[str, Any]  # the doc_<name> cells


_PLAIN = ("id", "title", "date", "text", "annotator", "status", "meta")
_MOVED = "entity spans moved to token boundaries in ner_tags"
_OVERLAP = "entity spans overlapping another on token boundaries, left out of ner_tags"


def row(
    item: ExportItem, report: WriteReport, tags: dict[str, tuple[int, int]], schema: LabelSchema
) -> Row:
    """The item's row; `tags` holds each entity label's B- and I- tag."""
    document = item.document
    text = document.text
    chosen = first_set(item, report)
    doc = blank_pipeline(document_lang(document)).tokenizer(text)
    columns = doc.to_array(["IDX", "LENGTH"]).reshape((len(doc), 2)).astype(np.int32).T
    starts, ends = columns[0], columns[0] + columns[1]
    iob = np.zeros(len(starts), np.int32)
    spans = chosen.sorted_spans() if chosen else []
    entities = _entities(spans, text, starts, ends, tags, report)
    for entity in without_overlap(entities, report, _OVERLAP):
        begin, inside = tags[entity.label]
        iob[entity.start] = begin
        iob[entity.start + 1 : entity.end] = inside
    listed, relations = spans_and_relations(spans, chosen) if chosen else ([], [])
    return Row(
        str(document.id) if document.id is not None else document.digest,
        document.title,
        document.date.isoformat() if document.date else None,
        text,
        json.dumps(document.meta, ensure_ascii=False),
        chosen.annotator if chosen else None,
        chosen.status.value if chosen else None,
        starts,
        ends,
        iob,
        listed,
        relations,
        document_cells(schema, chosen.document_labels if chosen else {}),
    )


def _entities(
    spans: list[Span],
    text: str,
    starts: Any,
    ends: Any,
    tags: Mapping[str, Any],
    report: WriteReport,
) -> list[Tokens]:
    """The entities on token boundaries, as many as can be (the others counted): the tokens of
    `Doc.char_span(..., alignment_mode="expand")` on the span less white space at its edges
    (spaCy refuses to train on an entity beginning or ending with white space)."""
    kept: list[Span] = []
    firsts: list[int] = []
    lasts: list[int] = []
    for span in spans:
        if span.layer != ENTITY_LAYER:
            continue
        if span.label not in tags:
            report.note("entity labels not in the schema, left out of ner_tags")
            continue
        first, last = trimmed(text, span.start, span.end)
        if first >= last:
            report.note("entity spans covering no token, left out of ner_tags (kept in spans)")
            continue
        kept.append(span)
        firsts.append(first)
        lasts.append(last)
    if not kept:
        return []
    # A token owns its characters and the space after it, so the token holding a character
    # is the last one starting at or before it.
    heads = np.searchsorted(starts, firsts, "right") - 1
    afters = np.searchsorted(starts, np.array(lasts) - 1, "right")
    moved = (starts[heads] != [s.start for s in kept]) | (ends[afters - 1] != [s.end for s in kept])
    report.note(_MOVED, int(np.count_nonzero(moved)))
    return list(map(Tokens, heads.tolist(), afters.tolist(), [s.label for s in kept]))


def _pairs(attributes: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Attributes as (name, value) pairs; a value not a string as `datasets` would store it."""
    return [(k, v if v is None or type(v) is str else str(v)) for k, v in attributes.items()]


def spans_and_relations(
    spans: list[Span], chosen: AnnotationSet
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The set's spans (`spans`, in reading order, numbered from 1) and relations (by head, tail
    and type) as the native format lists them, as tuples of the struct fields' values."""
    number: dict[int | None, int] = {}
    listed = []
    for n, span in enumerate(spans, 1):
        number[span.id] = n
        attributes = _pairs(span.attributes) if span.attributes else []
        listed.append((n, span.layer, span.label, span.start, span.end, span.text, attributes))
    relations = sorted(
        (
            (r.type, number[r.head], number[r.tail], _pairs(r.attributes))
            for r in chosen.relations.values()
        ),
        key=lambda r: (r[1], r[2], r[0]),
    )
    return listed, relations


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
    found = {name: pa.array([getattr(r, name) for r in rows], pa.string()) for name in _PLAIN}
    tokens, tags, offsets = _tokens(rows)
    lists = pa.array(offsets)
    found["tokens"] = pa.ListArray.from_arrays(lists, tokens)
    found["ner_tags"] = pa.ListArray.from_arrays(lists, pa.array(tags))
    for name in ("spans", "relations"):
        found[name] = pa.array([getattr(r, name) for r in rows], schema.field(name).type)
    for name in feats:
        if name not in found:
            found[name] = pa.array([r.documents[name] for r in rows], schema.field(name).type)
    return {name: found[name] for name in feats}


def _tokens(rows: list[Row]) -> tuple[pa.Array, Any, Any]:
    """Every token of the batch but the white-space ones, in order, as one string array; their
    tags; and where each row's tokens begin among them (and where the last ends)."""
    import pyarrow as pa

    texts = [r.text for r in rows]
    joined = "".join(texts)
    counts = np.fromiter((len(r.starts) for r in rows), np.int64, len(rows))
    # Where each text begins in `joined`, for each of its tokens.
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    bases = np.repeat(np.cumsum(lengths) - lengths, counts)
    starts = _joined(rows, "starts") + bases
    ends = _joined(rows, "ends") + bases
    if joined.isascii():
        data = np.frombuffer(joined.encode("ascii"), np.uint8)
        firsts = data[starts]
    else:  # code points to UTF-8 byte offsets
        points = np.frombuffer(joined.encode("utf-32-le"), np.uint32)
        firsts = np.minimum(points[starts], len(_white()) - 1)
        widths = 1 + (points >= 0x80).astype(np.int64) + (points >= 0x800) + (points >= 0x10000)
        at = np.zeros(len(points) + 1, np.int64)
        np.cumsum(widths, out=at[1:])
        starts, ends = at[starts], at[ends]
        data = np.frombuffer(joined.encode("utf-8"), np.uint8)
    # spaCy's tokens are runs of white space or of other characters: a white-space token is
    # one whose first character is.
    kept = ~_white()[firsts]
    starts, ends, tags = starts[kept], ends[kept], _joined(rows, "tags")[kept]
    per_row = np.bincount(np.repeat(np.arange(len(rows)), counts)[kept], minlength=len(rows))
    lists = np.zeros(len(rows) + 1, np.int32)
    np.cumsum(per_row, out=lists[1:])
    # The tokens do not overlap and come in order: the bytes kept are those inside one.
    inside = np.zeros(len(data) + 1, np.int8)
    inside[starts] = 1
    inside[ends] -= 1  # 0 where one token ends and the next begins
    picked = data[np.cumsum(inside[:-1], dtype=np.int8).view(np.bool_)]
    offsets = np.zeros(len(starts) + 1, np.int64)
    np.cumsum(ends - starts, out=offsets[1:])
    strings = pa.StringArray.from_buffers(
        len(starts), pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(picked)
    )
    return strings, tags, lists


def _joined(rows: list[Row], field: str) -> Any:
    arrays = [getattr(r, field) for r in rows]
    return np.concatenate(arrays).astype(np.int64, copy=False) if arrays else np.zeros(0, np.int64)


@cache
def _white() -> Any:
    """Per code point up to the last white-space one (U+3000), whether str.isspace holds, and
    False past it (as spaCy's tokenizer, Py_UNICODE_ISSPACE)."""
    return np.array([chr(c).isspace() for c in range(0x3002)], np.bool_)
