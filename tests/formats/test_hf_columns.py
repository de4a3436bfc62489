"""The Hugging Face writer's Arrow columns: the data `datasets` makes from Python lists, byte for
byte, and entities on the tokens `Doc.char_span(..., alignment_mode="expand")` gives."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.domain.schema_toml import load_schema_file
from labeler.domain.spans import built_span
from labeler.formats import hf, hf_columns
from labeler.formats.records import ExportItem, WriteReport
from labeler.formats.spacy_docbin import blank_pipeline
from labeler.formats.token_arrays import tokenise
from tests.support import offsets as at

REPO = Path(__file__).resolve().parents[2]
SCHEMA, _ = load_schema_file(REPO / "resources" / "schemas" / "news.toml")
FEATURES = hf.features(SCHEMA)
TAGS = {
    name[2:]: (n, n + 1)
    for n, name in enumerate(FEATURES["ner_tags"].feature.names)
    if name.startswith("B-")
}

# White space of every kind spaCy makes tokens of: runs of it, two spaces, one leading.
SPACES = " Ada\tLind  met\n\nZoë 🙂 in 𝒳 Corp\u3000today.\xa0Then\u2028Bo\r\nleft. "
ASCII = "Ada Lind met Bo Ray in Oslo.\n\nShares fell 5%."


def item(text: str, with_set: bool = True, number: int | None = None) -> ExportItem:
    if not with_set:
        return ExportItem(Document(text, "No set", meta={"lang": "en"}, id=number), [])
    s = AnnotationSet(SCHEMA, "ana", Status.DONE)
    words = [w for w in text.split() if w[0].isalpha()]
    person = s.add_span(make_span(text, *at(text, words[0]), "PERSON", SCHEMA))
    s.add_span(make_span(text, *at(text, words[1][:2]), "ORG", SCHEMA))  # grown to the token
    source = s.add_span(make_span(text, *at(text, words[0]), "SOURCE", SCHEMA))
    cue = s.add_span(make_span(text, *at(text, words[2]), "CUE", SCHEMA, {"type": "assertion"}))
    s.add_relation(Relation("source", cue.id, source.id))
    s.add_relation(Relation("refers_to", source.id, person.id))
    s.document_labels = {a.name: (a.values[0],) for a in SCHEMA.document_attributes if a.values}
    return ExportItem(Document(text, "Title", meta={"lang": "en", "n": 1}, id=number), [s])


def rows(items: list[ExportItem]) -> list[hf_columns.Row]:
    return [hf_columns.row(i, WriteReport(), TAGS, SCHEMA) for i in items]


def as_lists(batch: list[hf_columns.Row]) -> dict[str, list]:
    """The batch as the Python lists the writer once handed `Dataset.from_dict`; tokens and
    tags from spaCy's Doc itself."""
    columns: dict[str, list] = {name: [] for name in FEATURES}
    for r in batch:
        doc = blank_pipeline("en").tokenizer(r.text)
        for name in ("id", "title", "date", "text", "annotator", "status", "meta"):
            columns[name].append(getattr(r, name))
        columns["tokens"].append([t.text for t in doc if not t.is_space])
        columns["ner_tags"].append(
            [int(g) for t, g in zip(doc, r.tags, strict=True) if not t.is_space]
        )
        fields = ("id", "layer", "label", "start", "end", "text")
        columns["spans"].append(
            [dict(zip(fields, s[:6], strict=True)) | pairs(s[6]) for s in r.spans]
        )
        fields = ("type", "head", "tail")
        columns["relations"].append(
            [dict(zip(fields, x[:3], strict=True)) | pairs(x[3]) for x in r.relations]
        )
        for name, cell in r.documents.items():
            columns[name].append(cell)
    return columns


def pairs(attributes: list[tuple[str, str]]) -> dict[str, list]:
    return {"attributes": [{"name": k, "value": v} for k, v in attributes]}


def ipc_bytes(dataset) -> bytes:
    import pyarrow as pa

    table = dataset.data.table
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


@pytest.mark.parametrize(
    "texts",
    [
        [ASCII, "Bo Ray left Oslo.", ASCII.upper()],
        [SPACES, ASCII, "", "   ", "Zoë\u3000met\u2029Bo Ray."],
    ],
    ids=["ascii", "white-space-and-astral"],
)
def test_the_columns_are_the_data_datasets_makes_from_lists(texts: list[str]) -> None:
    from datasets import Dataset

    items = [item(t) if len(t.split()) > 2 else item(t, with_set=False) for t in texts]
    batch = rows(items)
    ours = hf_columns.batch_dataset(batch, FEATURES)
    theirs = Dataset.from_dict(as_lists(batch), features=FEATURES)
    assert ours.features == theirs.features
    assert ipc_bytes(ours) == ipc_bytes(theirs)
    assert ours[0]["tokens"] == theirs[0]["tokens"]  # and the comparison compares something
    assert "\n\n" not in ours["tokens"][0] and len(ours[0]["tokens"]) > 5


def test_the_fingerprint_follows_the_contents() -> None:
    first = hf_columns.batch_dataset(rows([item(ASCII)]), FEATURES)
    again = hf_columns.batch_dataset(rows([item(ASCII)]), FEATURES)
    other = hf_columns.batch_dataset(rows([item(ASCII, number=2)]), FEATURES)
    assert first._fingerprint == again._fingerprint != other._fingerprint


def test_entities_take_the_tokens_the_reference_alignment_gives() -> None:
    """Random spans over text with white space of every kind: the tokens and the count of
    spans moved are those of TokenArrays.token_range (the `char_span` expansion)."""
    text = SPACES * 3
    arrays = tokenise(text, "en")
    import numpy as np

    starts, ends = np.array(arrays.starts), np.array(arrays.ends)
    chance = random.Random(7)
    spans = []
    for n in range(400):
        start = chance.randrange(len(text) - 1)
        end = chance.randrange(start + 1, min(len(text), start + 12) + 1)
        spans.append(built_span(start, end, "PERSON", "entity", text[start:end], {}, n, ""))
    report = WriteReport()
    found = hf_columns._entities(spans, text, starts, ends, TAGS, report)
    expected = [arrays.token_range(s.start, s.end) for s in spans]
    assert [(e.start, e.end) for e in found] == [x[:2] for x in expected if x is not None]
    moved = sum(x[2] for x in expected if x is not None)
    assert report.notes["entity spans moved to token boundaries in ner_tags"] == moved
    empty = sum(x is None for x in expected)
    assert empty > 0  # spans of white space alone were drawn
    assert (
        report.notes["entity spans covering no token, left out of ner_tags (kept in spans)"]
        == empty
    )
