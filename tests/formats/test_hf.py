"""The Hugging Face format: the DatasetDict and parquet written, the report, and reading back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.domain.errors import InputError
from labeler.domain.schema_toml import load_schema_file
from labeler.formats import hf, hf_columns, registry
from labeler.formats.records import ExportItem, ReadOptions, Record
from labeler.services.importing import check_record
from tests.support import offsets as at

REPO = Path(__file__).resolve().parents[2]
SCHEMA, _ = load_schema_file(REPO / "resources" / "schemas" / "news.toml")

TEXT = '"Zoë 🙂 quit," said 𝒳 Corp chief Ada Lind in Montréal.\nShares fell 5%.'
SMALL = "Zoë 🙂 met 𝒳 Corp in Montréal"


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """Nothing tries the network; any cache `datasets` makes stays in tmp_path."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))


def news_set(annotator: str = "ana", status: Status = Status.DONE) -> AnnotationSet:
    s = AnnotationSet(SCHEMA, annotator, status)

    def add(piece, label, attributes=None):
        return s.add_span(make_span(TEXT, *at(TEXT, piece), label, SCHEMA, attributes))

    per = add("Ada Lind", "PERSON")
    add("𝒳 Corp", "ORG")
    add("Montréal", "GPE")
    add("5%", "PERCENT")
    src = add("𝒳 Corp chief Ada Lind", "SOURCE")
    cue = add("said", "CUE", {"type": "assertion", "factuality": "factual"})
    content = add("Zoë 🙂 quit,", "CONTENT")
    claim = add("Shares fell 5%", "CLAIM", {"claim_type": "quantity", "checkworthy": "yes"})
    s.add_relation(Relation("source", cue.id, src.id))
    s.add_relation(Relation("content", cue.id, content.id))
    s.add_relation(Relation("refers_to", src.id, per.id))
    s.add_relation(Relation("attributed_to", claim.id, src.id))
    return s


def small_item() -> ExportItem:
    s = AnnotationSet(SCHEMA, "ben", Status.IN_PROGRESS)
    for piece, label in (("Zoë", "PERSON"), ("𝒳 Corp", "ORG"), ("Montréal", "GPE")):
        s.add_span(make_span(SMALL, *at(SMALL, piece), label, SCHEMA))
    return ExportItem(Document(SMALL, "Small", meta={"lang": "en"}), [s])


def news_item() -> ExportItem:
    meta = {"lang": "en", "desk": "Business", "n": 3, "tags": ["a", "ü"]}
    doc = Document(TEXT, "Zoë quits", date(2026, 5, 1), meta, id=7)
    return ExportItem(doc, [news_set()])


def splits() -> dict:
    return {
        "train": iter([news_item(), small_item()]),
        "dev": iter([ExportItem(Document("Nothing to see here."), [])]),
        "test": iter([small_item()]),
    }


def load(path: Path):
    import datasets

    return datasets.load_from_disk(str(path))


def read_all(path: Path) -> list[Record | InputError]:
    return list(hf.read(path / hf.DATASET_DICT, ReadOptions()))


def test_registered_with_a_split_writer_and_a_reader():
    fmt = registry.get("hf")
    assert fmt.write_splits is hf.write_splits
    assert fmt.read is hf.read
    assert fmt.folder


def test_writes_a_dataset_dict_with_class_label_tags(tmp_path):
    from datasets import ClassLabel, DatasetDict, List

    report = hf.write_splits(tmp_path / "out", splits(), SCHEMA)
    assert report.documents == 4
    assert report.notes == {}
    dd = load(tmp_path / "out")
    assert isinstance(dd, DatasetDict)
    assert list(dd) == ["train", "validation", "test"]
    assert [len(dd[k]) for k in dd] == [2, 1, 1]
    tags = dd["train"].features["ner_tags"]
    assert isinstance(tags, List) and isinstance(tags.feature, ClassLabel)
    entity_labels = [label.name for label in SCHEMA.layer("entity").labels]
    expected = ["O"] + [f"{p}-{name}" for name in entity_labels for p in "BI"]
    assert tags.feature.names == expected
    assert expected[:5] == ["O", "B-PERSON", "I-PERSON", "B-NORP", "I-NORP"]
    for split in dd.values():  # the same names in every split
        assert split.features["ner_tags"].feature.names == expected

    row = dd["test"][0]
    assert row["tokens"] == ["Zoë", "🙂", "met", "𝒳", "Corp", "in", "Montréal"]
    names = [tags.feature.int2str(t) for t in row["ner_tags"]]
    assert names == ["B-PERSON", "O", "O", "B-ORG", "I-ORG", "O", "B-GPE"]
    assert (row["text"], row["title"], row["date"]) == (SMALL, "Small", None)
    assert (row["annotator"], row["status"]) == ("ben", "in_progress")
    assert row["id"] == Document(SMALL).digest  # no stored id: the text's digest

    empty = dd["validation"][0]
    assert (empty["spans"], empty["relations"], empty["annotator"]) == ([], [], None)
    assert set(empty["ner_tags"]) == {0}


def test_spans_and_relations_columns_are_exact(tmp_path):
    hf.write_splits(tmp_path / "out", splits(), SCHEMA)
    row = load(tmp_path / "out")["train"][0]
    assert row["id"] == "7"
    assert (row["title"], row["date"]) == ("Zoë quits", "2026-05-01")
    assert json.loads(row["meta"]) == news_item().document.meta
    expected = news_set().sorted_spans()
    assert [
        (s["start"], s["end"], s["text"], s["layer"], s["label"], s["attributes"])
        for s in row["spans"]
    ] == [
        (
            s.start,
            s.end,
            s.text,
            s.layer,
            s.label,
            [{"name": k, "value": v} for k, v in s.attributes.items()],
        )
        for s in expected
    ]
    assert [s["id"] for s in row["spans"]] == list(range(1, len(expected) + 1))
    for s in row["spans"]:
        assert TEXT[s["start"] : s["end"]] == s["text"]  # code points, emoji and 𝒳 included
    by_id = {s["id"]: s["label"] for s in row["spans"]}
    assert sorted((r["type"], by_id[r["head"]], by_id[r["tail"]]) for r in row["relations"]) == [
        ("attributed_to", "CLAIM", "SOURCE"),
        ("content", "CUE", "CONTENT"),
        ("refers_to", "SOURCE", "PERSON"),
        ("source", "CUE", "SOURCE"),
    ]
    tags = load(tmp_path / "out")["train"].features["ner_tags"].feature
    tagged = dict(zip(row["tokens"], (tags.int2str(t) for t in row["ner_tags"]), strict=True))
    assert tagged["Ada"] == "B-PERSON" and tagged["Lind"] == "I-PERSON"
    assert tagged["said"] == "O"  # the attribution layer is in spans, not in ner_tags


def test_parquet_files_keep_the_class_labels(tmp_path):
    import datasets
    import pyarrow.parquet as pq

    hf.write_splits(tmp_path / "out", splits(), SCHEMA)
    folder = tmp_path / "out" / "parquet"
    assert sorted(p.name for p in folder.iterdir()) == [
        "test.parquet",
        "train.parquet",
        "validation.parquet",
    ]
    files = {k: str(folder / f"{k}.parquet") for k in ("train", "validation", "test")}
    dd = datasets.load_dataset("parquet", data_files=files, cache_dir=str(tmp_path / "cache"))
    assert [len(dd[k]) for k in files] == [2, 1, 1]
    assert dd["train"].features == load(tmp_path / "out")["train"].features
    assert dd["test"][0]["spans"] == load(tmp_path / "out")["test"][0]["spans"]
    assert pq.read_table(files["train"]).num_rows == 2


def test_reading_back_gives_the_same_documents_and_sets(tmp_path):
    hf.write_splits(tmp_path / "out", splits(), SCHEMA)
    records = read_all(tmp_path / "out")
    assert all(isinstance(r, Record) for r in records)
    assert [r.location.line for r in records] == [1, 2, 1, 1]
    assert {r.location.file for r in records} == {str(tmp_path / "out" / hf.DATASET_DICT)}
    first, small, empty, _ = records
    original = news_item().document
    assert first.document == Document(TEXT, original.title, original.date, original.meta)
    (raw,) = first.sets
    assert (raw.annotator, raw.status) == ("ana", Status.DONE)
    (back,) = check_record(first, SCHEMA, "importer")
    assert as_tuples(back) == as_tuples(news_set())
    (back_small,) = check_record(small, SCHEMA, "importer")
    assert as_tuples(back_small) == as_tuples(small_item().sets[0])
    assert (back_small.annotator, back_small.status) == ("ben", Status.IN_PROGRESS)
    assert empty.document == Document("Nothing to see here.") and empty.sets == []


def as_tuples(s: AnnotationSet) -> tuple:
    spans = sorted(
        (x.start, x.end, x.label, x.layer, x.text, tuple(x.attributes.items()))
        for x in s.spans.values()
    )
    relations = sorted(
        (
            r.type,
            (s.spans[r.head].start, s.spans[r.head].label),
            (s.spans[r.tail].start, s.spans[r.tail].label),
            tuple(r.attributes.items()),
        )
        for r in s.relations.values()
    )
    return spans, relations


def test_misaligned_overlapping_and_extra_sets_are_reported(tmp_path):
    text = "Mayor Jane Doe spoke to Acme Corp today.  Then  more."
    s = AnnotationSet(SCHEMA, "ana", Status.DONE)
    for (start, end), label in (
        (at(text, "Jan"), "PERSON"),  # misaligned: grown to "Jane"
        (at(text, "me Corp"), "ORG"),  # misaligned: grown to "Acme Corp"
        ((41, 42), "DATE"),  # a space only: covers no token
    ):
        s.add_span(make_span(text, start, end, label, SCHEMA))
    other = AnnotationSet(SCHEMA, "ben", Status.DONE)
    item = ExportItem(Document(text), [s, other])
    report = hf.write_splits(tmp_path / "out", {"train": iter([item])}, SCHEMA)
    assert report.documents == 1
    assert report.notes == {
        "entity spans moved to token boundaries in ner_tags": 2,
        "entity spans covering no token, left out of ner_tags (kept in spans)": 1,
        "annotation sets after the first not exported": 1,
    }
    dd = load(tmp_path / "out")
    assert list(dd) == ["train"]
    row = dd["train"][0]
    names = dd["train"].features["ner_tags"].feature.int2str(row["ner_tags"])
    assert dict(zip(row["tokens"], names, strict=True)) == {
        "Mayor": "O",
        "Jane": "B-PERSON",
        "Doe": "O",
        "spoke": "O",
        "to": "O",
        "Acme": "B-ORG",
        "Corp": "I-ORG",
        "today": "O",
        ".": "O",
        "Then": "O",
        "more": "O",
    }
    # The spans column keeps the exact, misaligned offsets.
    assert [(x["text"], x["label"]) for x in row["spans"]] == [
        ("Jan", "PERSON"),
        ("me Corp", "ORG"),
        (" ", "DATE"),
    ]


def test_overlapping_entities_are_counted(tmp_path):
    text = "GreenCorp bought it."
    s = AnnotationSet(SCHEMA, "ana", Status.DONE)
    s.add_span(make_span(text, 0, 5, "ORG", SCHEMA))
    s.add_span(make_span(text, 5, 9, "ORG", SCHEMA))
    report = hf.write_splits(tmp_path / "out", {"train": [ExportItem(Document(text), [s])]}, SCHEMA)
    assert report.notes == {
        "entity spans moved to token boundaries in ner_tags": 2,
        "entity spans overlapping another on token boundaries, left out of ner_tags": 1,
    }
    row = load(tmp_path / "out")["train"][0]
    assert row["ner_tags"][:2] == [1 + 2 * 3, 0]  # B-ORG (ORG is the fourth label), then O
    assert len(row["spans"]) == 2


def test_an_empty_split_is_written_and_read(tmp_path):
    hf.write_splits(tmp_path / "out", {"train": iter([small_item()]), "test": iter([])}, SCHEMA)
    dd = load(tmp_path / "out")
    assert [len(dd[k]) for k in dd] == [1, 0]
    assert len(read_all(tmp_path / "out")) == 1


def test_many_documents_are_written_in_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(hf, "BATCH", 2)
    items = (ExportItem(Document(f"Document {n} is here."), []) for n in range(5))
    report = hf.write_splits(tmp_path / "out", {"train": items}, SCHEMA)
    assert report.documents == 5
    assert load(tmp_path / "out")["train"]["text"][4] == "Document 4 is here."
    assert [r.location.line for r in read_all(tmp_path / "out")] == [1, 2, 3, 4, 5]


def test_long_texts_make_smaller_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(hf, "BATCH_CODE_POINTS", 40)
    made = []

    batch_dataset = hf_columns.batch_dataset

    def counted(rows, feats):
        made.append(len(rows))
        return batch_dataset(rows, feats)

    monkeypatch.setattr(hf_columns, "batch_dataset", counted)
    items = (ExportItem(Document(f"Document {n} is long enough."), []) for n in range(5))
    report = hf.write_splits(tmp_path / "out", {"train": items}, SCHEMA)
    assert report.documents == 5
    assert made == [2, 2, 1]  # 28 code points each: a batch is full at the second
    assert load(tmp_path / "out")["train"]["text"][4] == "Document 4 is long enough."


def test_other_files_of_the_folder_are_ignored(tmp_path):
    hf.write_splits(tmp_path / "out", {"train": [small_item()]}, SCHEMA)
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    found = [r for p in files for r in hf.read(p, ReadOptions())]
    assert len(found) == 1 and isinstance(found[0], Record)


def test_a_bad_row_names_the_file_the_row_and_the_split(tmp_path):
    from datasets import Dataset, DatasetDict

    good = hf.features(SCHEMA)
    rows = []
    for n, text in enumerate(("Jane Doe left.", "Ada Lind left."), 1):
        span = {"id": 1, "layer": "entity", "label": "PERSON", "start": 0, "end": 8}
        span |= {"text": "Jane Doe", "attributes": []}  # wrong for the second row
        rows.append({"id": str(n), "title": "", "date": None, "text": text, "tokens": []})
        rows[-1] |= {"ner_tags": [], "spans": [span], "relations": [], "annotator": "ana"}
        rows[-1] |= {"status": "done", "meta": "{}"}
        rows[-1] |= {hf.DOCUMENT_PREFIX + a.name: None for a in SCHEMA.document_attributes}
    dataset = Dataset.from_list(rows, features=good)
    DatasetDict(validation=dataset).save_to_disk(str(tmp_path / "bad"))
    ok, bad = read_all(tmp_path / "bad")
    assert isinstance(ok, Record)
    assert isinstance(bad, InputError)
    assert bad.location.file == str(tmp_path / "bad" / hf.DATASET_DICT)
    assert bad.location.line == 2
    assert "split 'validation'" in bad.reason and "'Ada Lind'" in bad.reason


def test_a_folder_that_is_not_a_dataset_is_one_error(tmp_path):
    (tmp_path / hf.DATASET_DICT).write_text("{not json", encoding="utf-8")
    (error,) = list(hf.read(tmp_path / hf.DATASET_DICT, ReadOptions()))
    assert isinstance(error, InputError)
    assert error.location.line is None
