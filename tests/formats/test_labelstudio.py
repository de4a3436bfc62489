"""Label Studio JSON: round trip, UTF-16 offsets, hand-written tasks, config XML, clear errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from functools import partial
from pathlib import Path

import pytest

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.domain.errors import InputError
from labeler.formats import labelstudio, registry
from labeler.formats.records import ExportItem, ReadOptions, Record
from labeler.services.importing import check_record
from tests.formats.support import only_error, only_record, span_tuples
from tests.support import offsets

REPO = Path(__file__).resolve().parents[2]
TEXT = "Zoë 🙂 said 𝒳 rose, according to Ada Lind of 𝒳 Corp.\nShares fell 5%."


at = partial(offsets, TEXT)


def annotated(schema, annotator: str, status: Status = Status.DONE) -> AnnotationSet:
    s = AnnotationSet(schema, annotator, status)
    content = s.add_span(make_span(TEXT, *at("𝒳 rose"), "CONTENT", schema))
    s.add_span(
        make_span(
            TEXT, *at("𝒳 rose"), "CLAIM", schema, {"checkworthy": "yes", "claim_type": "event"}
        )
    )
    cue = s.add_span(make_span(TEXT, *at("according to"), "CUE", schema, {"type": "assertion"}))
    source = s.add_span(make_span(TEXT, *at("Ada Lind of 𝒳 Corp"), "SOURCE", schema))
    person = s.add_span(make_span(TEXT, *at("Ada Lind"), "PERSON", schema))
    s.add_span(make_span(TEXT, *at("5%"), "PERCENT", schema))
    s.add_relation(Relation("source", cue.id, source.id))
    s.add_relation(Relation("content", cue.id, content.id))
    s.add_relation(Relation("refers_to", source.id, person.id))
    return s


def read_all(path: Path) -> list[Record | InputError]:
    return list(labelstudio.read(path, ReadOptions()))


def utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


# ---------------------------------------------------------------- round trip


def as_tuples(s: AnnotationSet, text: str = TEXT) -> tuple:
    return span_tuples(s, text)


def test_round_trip_keeps_every_annotation_set(tmp_path, schema):
    alice = annotated(schema, "alice")
    bob = AnnotationSet(schema, "bob", Status.SKIPPED)
    bob.add_span(make_span(TEXT, *at("Shares fell 5%"), "CLAIM", schema))
    doc = Document(TEXT, title="Wire", date=date(2026, 3, 14), meta={"url": "https://x"}, id=3)
    items = [ExportItem(doc, [alice, bob]), ExportItem(Document("Plain 🙂 text."), [])]
    path = tmp_path / "tasks.json"

    assert labelstudio.write(path, iter(items), schema).documents == 2

    tasks = json.loads(path.read_text(encoding="utf-8"))
    assert [t["id"] for t in tasks] == [3, 2]
    assert tasks[0]["data"] == {
        "text": TEXT,
        "title": "Wire",
        "date": "2026-03-14",
        "meta": {"url": "https://x"},
    }
    assert all("completed_by" not in a for a in tasks[0]["annotations"])  # Label Studio's user ids
    assert tasks[0]["meta"]["labeler"]["annotators"] == ["alice", "bob"]
    assert tasks[0]["predictions"] == []
    assert (tmp_path / "tasks.config.xml").is_file()

    records = read_all(path)
    assert [type(r) for r in records] == [Record, Record]
    first = records[0]
    assert first.document.text == TEXT
    assert (first.document.title, first.document.date) == ("Wire", date(2026, 3, 14))
    assert first.document.meta == {"url": "https://x"}
    sets = check_record(first, schema, "importer")
    assert [(s.annotator, s.status) for s in sets] == [
        ("alice", Status.DONE),
        ("bob", Status.SKIPPED),
    ]
    assert as_tuples(sets[0]) == as_tuples(alice)
    assert as_tuples(sets[1]) == as_tuples(bob)
    assert records[1].sets == []


def test_written_offsets_are_utf16(tmp_path, schema):
    text = "Zoë 🙂 said 𝒳 rose"
    s = AnnotationSet(schema, "alice")
    s.add_span(make_span(text, 11, 17, "CLAIM", schema))  # "𝒳 rose"
    s.add_span(make_span(text, 6, 10, "CUE", schema))  # "said"
    path = tmp_path / "t.json"
    labelstudio.write(path, [ExportItem(Document(text), [s])], schema)
    (task,) = json.loads(path.read_text(encoding="utf-8"))
    values = [r["value"] for r in task["annotations"][0]["result"] if r["type"] == "labels"]
    assert [(v["start"], v["end"], v["text"]) for v in values] == [
        (7, 11, "said"),  # after the emoji, one unit more than the code points
        (12, 19, "𝒳 rose"),  # and 𝒳 takes two units itself
    ]
    assert all(v["start"] == utf16(text, text.index(v["text"])) for v in values)
    (record,) = read_all(path)
    (back,) = check_record(record, schema, "importer")
    assert sorted((x.start, x.end) for x in back.spans.values()) == [(6, 10), (11, 17)]


def test_attributes_are_per_region_choices_with_the_region_id(tmp_path, schema):
    path = tmp_path / "t.json"
    labelstudio.write(path, [ExportItem(Document(TEXT), [annotated(schema, "a")])], schema)
    (task,) = json.loads(path.read_text(encoding="utf-8"))
    result = task["annotations"][0]["result"]
    cue = next(r for r in result if r["type"] == "labels" and r["value"]["labels"] == ["CUE"])
    choices = [r for r in result if r["type"] == "choices" and r["id"] == cue["id"]]
    assert [(c["from_name"], c["value"]["choices"]) for c in choices] == [("type", ["assertion"])]
    relation = next(r for r in result if r["type"] == "relation" and r["labels"] == ["source"])
    assert relation["from_id"] == cue["id"]
    assert relation["direction"] == "right"
    ids = [r["id"] for r in result if r["type"] == "labels"]
    assert len(ids) == len(set(ids))


def test_output_is_streamed_as_one_array(tmp_path, schema):
    path = tmp_path / "t.json"
    docs = (ExportItem(Document(f"text {n}"), []) for n in range(3))
    assert labelstudio.write(path, docs, schema).documents == 3
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert len(lines) == 5  # one task a line
    assert labelstudio.write(tmp_path / "empty.json", [], schema).documents == 0
    assert json.loads((tmp_path / "empty.json").read_text(encoding="utf-8")) == []


# ---------------------------------------------------------------- config XML


def test_labeling_config_parses_and_lists_the_schema(tmp_path, schema):
    labelstudio.write(tmp_path / "p.json", [], schema)
    root = ET.fromstring((tmp_path / "p.config.xml").read_text(encoding="utf-8"))
    assert root.tag == "View"
    labels = root.find("Labels")
    assert labels.get("name") == "label" and labels.get("toName") == "text"
    colours = {x.get("value"): x.get("background") for x in labels.findall("Label")}
    assert colours == {label.name: label.color for label in schema.labels()}
    assert [r.get("value") for r in root.find("Relations")] == [
        r.name for r in schema.relation_types
    ]
    text = root.find("Text")
    assert (text.get("name"), text.get("value")) == ("text", "$text")
    choices = {c.get("name"): c for c in root.findall("Choices")}
    assert set(choices) == {a.name for a in schema.attributes}
    checkworthy = choices["checkworthy"]
    assert checkworthy.get("perRegion") == "true"
    assert checkworthy.get("visibleWhen") == "region-selected"
    assert checkworthy.get("whenLabelValue") == "CLAIM"
    assert [c.get("value") for c in checkworthy] == ["yes", "no", "unsure"]


def test_registered_for_json():
    fmt = registry.get("labelstudio")
    assert not fmt.folder
    assert registry.for_path(Path("export.JSON")) is fmt


# ---------------------------------------------------------------- hand-written tasks

MAYOR = "Mayor Jane Doe said crime in Springfield fell 12% in 2023."

# The pre-annotation example of Label Studio's documentation, with this project's names.
PREDICTED = {
    "data": {"text": MAYOR},
    "predictions": [
        {
            "model_version": "rules-v1",
            "score": 0.9,
            "result": [
                {
                    "id": "c1",
                    "from_name": "attr",
                    "to_name": "text",
                    "type": "labels",
                    "value": {"start": 15, "end": 19, "text": "said", "labels": ["CUE"]},
                },
                {
                    "id": "s1",
                    "from_name": "attr",
                    "to_name": "text",
                    "type": "labels",
                    "value": {
                        "start": 0,
                        "end": 14,
                        "text": "Mayor Jane Doe",
                        "labels": ["SOURCE"],
                    },
                },
                {
                    "type": "relation",
                    "from_id": "c1",
                    "to_id": "s1",
                    "direction": "right",
                    "labels": ["source"],
                },
            ],
        }
    ],
}


def test_single_task_with_predictions_imports(tmp_path, schema):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(PREDICTED, indent=2), encoding="utf-8")
    record = only_record(read_all(path))
    assert record.location.line == 1
    (s,) = check_record(record, schema, "importer")
    assert (s.annotator, s.status) == ("predictions", Status.TODO)
    spans, relations = as_tuples(s, MAYOR)
    assert [x[:4] for x in spans] == [(0, 14, "SOURCE", "Mayor Jane Doe"), (15, 19, "CUE", "said")]
    assert relations == [("source", (15, 19, "CUE"), (0, 14, "SOURCE"))]


def test_exported_task_with_user_ids_left_relation_and_choices(tmp_path, schema):
    task = {
        "id": 41,
        "data": {"text": "🙂🙂 Ada said it.", "source": "wire"},
        "annotations": [
            {
                "id": 1,
                "completed_by": 7,
                "result": [
                    {
                        "id": "k",
                        "type": "choices",
                        "from_name": "type",
                        "to_name": "text",
                        "value": {"start": 9, "end": 13, "choices": ["belief"]},
                    },
                    {
                        "id": "k",
                        "type": "labels",
                        "from_name": "label",
                        "to_name": "text",
                        "value": {"start": 9, "end": 13, "text": "said", "labels": ["CUE"]},
                    },
                    {
                        "id": "a",
                        "type": "labels",
                        "from_name": "label",
                        "to_name": "text",
                        "value": {"start": 5, "end": 8, "labels": ["SOURCE"]},
                    },
                    {
                        "type": "relation",
                        "from_id": "a",
                        "to_id": "k",
                        "direction": "left",
                        "labels": ["source"],
                    },
                ],
            },
            {"completed_by": {"email": "eve@example.org"}, "result": []},
        ],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    record = only_record(read_all(path))
    assert record.document.meta == {"source": "wire"}
    first, second = check_record(record, schema, "importer")
    assert (first.annotator, second.annotator) == ("user 7", "eve@example.org")
    spans, relations = as_tuples(first, "🙂🙂 Ada said it.")
    assert spans == [(3, 6, "SOURCE", "Ada", ()), (7, 11, "CUE", "said", (("type", "belief"),))]
    assert relations == [("source", (7, 11, "CUE"), (3, 6, "SOURCE"))]


def test_flat_task_and_crlf_text(tmp_path, schema):
    text = "Title\r\nJane Doe said so."
    path = tmp_path / "flat.json"
    task = {
        "text": text,
        "annotations": [
            {
                "result": [
                    {
                        "id": "p",
                        "type": "labels",
                        "value": {"start": 7, "end": 15, "text": "Jane Doe", "labels": ["PERSON"]},
                    }
                ]
            }
        ],
    }
    path.write_text(json.dumps([task]), encoding="utf-8")
    record = only_record(read_all(path))
    assert record.document.text == "Title\nJane Doe said so."
    (s,) = check_record(record, schema, "importer")
    assert [(x.start, x.end, x.text) for x in s.spans.values()] == [(6, 14, "Jane Doe")]


# ---------------------------------------------------------------- errors


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"data": {"text": "a"}},\n  {"data": {"text": }}\n]\n', encoding="utf-8")
    items = read_all(path)
    assert isinstance(items[0], Record)
    error = items[-1]
    assert isinstance(error, InputError)
    assert (error.location.file, error.location.line) == (str(path), 3)
    assert error.reason.startswith("invalid JSON: Expecting value")
    assert str(error).startswith(f"{path}:3: ")


@pytest.mark.parametrize(
    "content",
    ["", "  \n", '[{"data": {"text": "a"}}', '[{"data": {"text": "a"}} {}]', '{"data": 1} x'],
)
def test_broken_files_are_reported(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    error = only_error([x for x in read_all(path) if isinstance(x, InputError)])
    assert error.location.file == str(path)


def region(start, end, label="PERSON", text=None, rid="r"):
    value = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"id": rid, "type": "labels", "from_name": "label", "to_name": "text", "value": value}


@pytest.mark.parametrize(
    ("result", "reason"),
    [
        ([region(0, 99)], "outside the text"),
        (
            [region(0, 8, text="John Doe")],
            "says its text is 'John Doe' but the text there is 'Jane Doe'",
        ),
        ([region(0, 8, text="Jane Doe"), region(1, 2)], "two regions"),
        ([region(4, 4)], "is empty"),
        (
            [{"id": "x", "type": "choices", "from_name": "type", "value": {"choices": ["fact"]}}],
            "no labelled region",
        ),
        ([{"type": "textarea", "value": {"text": ["hi"]}}], "has type 'textarea'"),
        (
            [region(0, 8), {"type": "relation", "from_id": "r", "to_id": "q", "labels": ["x"]}],
            "no region",
        ),
        (
            [
                region(0, 8),
                {
                    "type": "relation",
                    "from_id": "r",
                    "to_id": "r",
                    "direction": "bi",
                    "labels": ["x"],
                },
            ],
            "direction 'bi'",
        ),
        (
            [{**region(0, 8), "value": {"start": 0, "end": 8, "labels": ["PERSON", "ORG"]}}],
            "list of one string",
        ),
    ],
)
def test_bad_task_names_file_task_line_and_reason(tmp_path, result, reason):
    good = {"data": {"text": "Good text."}}
    bad = {"data": {"text": "Jane Doe spoke."}, "annotations": [{"result": result}]}
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([good, bad], indent=1), encoding="utf-8")
    items = read_all(path)
    assert isinstance(items[0], Record)
    error = items[1]
    assert isinstance(error, InputError), error
    lines = path.read_text(encoding="utf-8").splitlines()
    begins = [n for n, line in enumerate(lines, 1) if line == " {"][1]  # the second task
    assert begins > 2
    assert (error.location.file, error.location.line) == (str(path), begins)
    assert error.reason.startswith("task 2: annotation 1: ")
    assert reason in error.reason


def test_offset_inside_a_surrogate_pair_is_reported(tmp_path):
    path = tmp_path / "t.json"
    task = {"data": {"text": "𝒳 rose"}, "annotations": [{"result": [region(1, 3, "CLAIM")]}]}
    path.write_text(json.dumps(task), encoding="utf-8")
    error = only_error(read_all(path))
    assert "splits a surrogate pair" in error.reason
