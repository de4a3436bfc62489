"""Label Studio JSON: round trip, code-point offsets, annotators, config XML, clear errors."""

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
from labeler.domain.suggestion import SuggestedFrame, SuggestedSpan
from labeler.formats import labelstudio, registry
from labeler.formats.records import ExportItem, ReadOptions, Record
from labeler.services.import_suggestions import suggestions_of
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


def converter_tags(task: dict) -> list[tuple[str, str]]:
    """The (word, tag) pairs label-studio-converter's CONLL2003 export gives a task.

    Its arithmetic, seen by running label-studio-converter 0.0.59 on our export: it takes each
    token's place in the task's text as a Python string index (a code point), and tags a
    token B-/I- when it overlaps a region's [start, end) taken as the same kind of index.
    Here the tokens are the words between spaces, which is what its tokenizer gives for the
    texts below (punctuation stands apart).
    """
    text = task["data"]["text"]
    regions = sorted(
        (r["value"] for r in task["annotations"][0]["result"] if r["type"] == "labels"),
        key=lambda v: v["start"],
    )
    pairs, at = [], 0
    for word in text.split():
        start = text.index(word, at)
        at = end = start + len(word)
        tag = "O"
        for v in regions:
            if start < v["end"] and end > v["start"]:
                first = start <= v["start"]
                tag = ("B-" if first else "I-") + v["labels"][0]
                break
        pairs.append((word, tag))
    return pairs


def test_written_offsets_are_code_points_as_label_studio_slices_them(tmp_path, schema):
    # Label Studio 1.23 places regions by code points, and so does its converter: run on this
    # export with two emoji before the spans, it tagged exactly the words below (with UTF-16
    # offsets it tagged ", " and "said" too).
    text = "🎉🎉 On Monday , UNESCO said Ada Lind of 𝒳 Corp left ."
    s = AnnotationSet(schema, "alice")
    for word, label in [("Monday", "DATE"), ("UNESCO", "ORG"), ("Ada Lind", "PERSON")]:
        s.add_span(make_span(text, *offsets(text, word), label, schema))
    s.add_span(make_span(text, *offsets(text, "Corp"), "ORG", schema))
    path = tmp_path / "t.json"
    labelstudio.write(path, [ExportItem(Document(text), [s])], schema)
    (task,) = json.loads(path.read_text(encoding="utf-8"))
    values = [r["value"] for r in task["annotations"][0]["result"] if r["type"] == "labels"]
    assert [(v["start"], v["end"], v["text"]) for v in values] == [
        (6, 12, "Monday"),  # code points: the emoji count one each
        (15, 21, "UNESCO"),
        (27, 35, "Ada Lind"),
        (41, 45, "Corp"),  # after 𝒳, one code point (two UTF-16 units)
    ]
    tagged = [pair for pair in converter_tags(task) if pair[1] != "O"]
    assert tagged == [
        ("Monday", "B-DATE"),
        ("UNESCO", "B-ORG"),
        ("Ada", "B-PERSON"),
        ("Lind", "I-PERSON"),
        ("Corp", "B-ORG"),
    ]
    (record,) = read_all(path)
    (back,) = check_record(record, schema, "importer")
    assert sorted(x.text for x in back.spans.values()) == ["Ada Lind", "Corp", "Monday", "UNESCO"]


def region_task(text: str, start: int, end: int, given: str | None) -> dict:
    value = {"start": start, "end": end, "labels": ["ORG"]}
    if given is not None:
        value["text"] = given
    result = [
        {"id": "r", "type": "labels", "from_name": "label", "to_name": "text", "value": value}
    ]
    return {"data": {"text": text}, "annotations": [{"result": result}]}


SHIFTED = "🎉🎉 On Monday, UNESCO said"


def test_a_region_counted_in_utf16_is_named_not_stored_shifted(tmp_path):
    # An export of labeler before Label Studio's unit was measured: UTF-16 offsets.
    path = tmp_path / "old.json"
    path.write_text(json.dumps([region_task(SHIFTED, 16, 22, "UNESCO")]), encoding="utf-8")
    error = only_error(read_all(path))
    assert (error.location.file, error.location.line) == (str(path), 1)
    assert error.reason == (
        "task 1: annotation 1: region r [16, 22) says its text is 'UNESCO' but counted in "
        "code points the text there is 'ESCO s'; counted in UTF-16 units it fits: if the file "
        "counts UTF-16 units, import it with its offsets read as UTF-16 units (--offsets utf16)"
    )
    (record,) = list(labelstudio.read(path, ReadOptions(extra={"offsets": "utf16"})))
    assert [(s.start, s.end) for s in record.sets[0].spans] == [(14, 20)]
    assert SHIFTED[14:20] == "UNESCO"


def test_a_region_without_text_is_read_in_the_unit_asked_for(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps([region_task(SHIFTED, 1, 3, None)]), encoding="utf-8")
    (record,) = read_all(path)  # code points by default, as Label Studio counts
    assert [(s.start, s.end) for s in record.sets[0].spans] == [(1, 3)]
    (error,) = list(labelstudio.read(path, ReadOptions(extra={"offsets": "utf16"})))
    assert isinstance(error, InputError)
    assert "[1, 3) is no span of the text counted in UTF-16 units" in error.reason
    assert "splits a surrogate pair" in error.reason
    assert "counted in code points it is '🎉 '" in error.reason
    (error,) = list(labelstudio.read(path, ReadOptions(extra={"offsets": "bytes"})))
    assert error.reason == "offsets are counted in codepoints or utf16, not 'bytes'"


def test_a_region_fitting_in_neither_unit_says_so(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps([region_task(SHIFTED, 14, 20, "UNICEF")]), encoding="utf-8")
    error = only_error(read_all(path))
    assert error.reason.endswith(
        "says its text is 'UNICEF' but counted in code points the text there is 'UNESCO', "
        "and counted in UTF-16 units it does not fit either"
    )


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
    on_regions = {n for n, c in choices.items() if c.get("perRegion") == "true"}
    assert on_regions == {a.name for a in schema.attributes}
    on_text = {n: c.get("choice") for n, c in choices.items() if n not in on_regions}
    assert on_text == {"topic": "multiple", "genre": "single", "check_worthy": "single"}
    # Each control on the whole text has a heading right before it (Label Studio shows none).
    children = list(root)
    headings = [children[children.index(choices[n]) - 1] for n in on_text]
    assert [(h.tag, h.get("value")) for h in headings] == [
        ("Header", "topic: What the article is about (one or more)"),
        ("Header", "genre: What kind of article it is"),
        ("Header", "check_worthy: Is the article as a whole worth fact-checking?"),
    ]
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
    assert check_record(record, schema, "importer") == []  # predictions are no annotations
    (suggestion,) = suggestions_of(record, schema)  # but suggestions of their model
    assert (suggestion.recommender, suggestion.score) == ("rules-v1", 0.9)
    assert suggestion.proposal == SuggestedFrame(
        (SuggestedSpan(15, 19, "CUE"), SuggestedSpan(0, 14, "SOURCE")), (("source", 0, 1),)
    )


def test_exported_task_with_user_ids_left_relation_and_choices(tmp_path, schema):
    task = {
        "id": 41,
        "data": {"text": "🙂🙂 Ada said it.", "source": "wire"},  # offsets in code points
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
                        "value": {"start": 7, "end": 11, "choices": ["belief"]},
                    },
                    {
                        "id": "k",
                        "type": "labels",
                        "from_name": "label",
                        "to_name": "text",
                        "value": {"start": 7, "end": 11, "text": "said", "labels": ["CUE"]},
                    },
                    {
                        "id": "a",
                        "type": "labels",
                        "from_name": "label",
                        "to_name": "text",
                        "value": {"start": 3, "end": 6, "labels": ["SOURCE"]},
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
            "says its text is 'John Doe' but counted in code points the text there is 'Jane Doe'",
        ),
        ([region(0, 8, text="Jane Doe"), region(1, 2)], "two regions"),
        ([region(4, 4)], "is empty"),
        (
            # Offsets but no region of that id: per-region choices astray (without offsets,
            # choices are a document label).
            [
                {
                    "id": "x",
                    "type": "choices",
                    "from_name": "type",
                    "value": {"start": 0, "end": 4, "choices": ["fact"]},
                }
            ],
            "no labelled region",
        ),
        ([{"type": "textarea", "value": {"text": ["hi"]}}], "textarea result on the text has no"),
        ([{"type": "keypoints", "value": {"x": 1}}], "has type 'keypoints'"),
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


# ---------------------------------------------------------------- annotators


def user_annotation(completed_by, start=0, end=8, rid="x", **extra) -> dict:
    value = {"start": start, "end": end, "text": "Jane Doe"[: end - start], "labels": ["PERSON"]}
    result = [
        {"id": rid, "type": "labels", "from_name": "label", "to_name": "text", "value": value}
    ]
    return {"completed_by": completed_by, "result": result, **extra}


def annotators_of(tmp_path, schema, task) -> list[tuple[str, Status]]:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    sets = check_record(only_record(read_all(path)), schema, "importer")
    return [(s.annotator, s.status) for s in sets]


def test_names_label_studio_writes_for_its_users(tmp_path, schema):
    task = {
        "data": {"text": "Jane Doe spoke."},
        "annotations": [
            # the export with its users' data: completed_by is the user
            user_annotation({"id": 1, "email": "ada@example.org", "first_name": "Ada"}),
            user_annotation({"id": 2, "username": "bo", "first_name": "Bo"}),
            user_annotation({"id": 3, "first_name": "Cy", "last_name": "Reed"}),
            # without: a number, and created_username "First Last email, id"
            user_annotation(4, created_username="Di Ng di@example.org, 4"),
            user_annotation(5, created_username=" eve@example.org, 5"),
            user_annotation(6),
        ],
    }
    assert [name for name, _ in annotators_of(tmp_path, schema, task)] == [
        "ada@example.org",
        "bo",
        "Cy Reed",
        "di@example.org",
        "eve@example.org",
        "user 6",
    ]


def test_two_annotations_of_one_user_are_two_sets(tmp_path, schema):
    task = {
        "data": {"text": "Jane Doe spoke."},
        "annotations": [
            user_annotation({"id": 1, "email": "ada@example.org"}),
            user_annotation({"id": 1, "email": "ada@example.org"}, 0, 4, was_cancelled=True),
            user_annotation(1, created_username=" ada@example.org, 1"),
        ],
    }
    assert annotators_of(tmp_path, schema, task) == [
        ("ada@example.org", Status.DONE),
        ("ada@example.org (2)", Status.SKIPPED),
        ("ada@example.org (3)", Status.DONE),
    ]


def test_our_names_survive_label_studio_and_its_own_annotations_join(tmp_path, schema):
    # Our export, imported into Label Studio (which gives every imported annotation to the
    # importing user, id 1) and exported again with one more annotation by a user of its own.
    path = tmp_path / "ours.json"
    alice = annotated(schema, "alice")
    bob = AnnotationSet(schema, "bob", Status.IN_PROGRESS)
    bob.add_span(make_span(TEXT, *at("Ada Lind"), "PERSON", schema))
    labelstudio.write(path, [ExportItem(Document(TEXT), [alice, bob])], schema)
    (task,) = json.loads(path.read_text(encoding="utf-8"))
    for a in task["annotations"]:
        a["completed_by"] = 1
        a["created_username"] = " admin@example.org, 1"
    task["annotations"].reverse()  # the order Label Studio lists them in is not ours
    ada = user_annotation(2, created_username="Ada Lind ada@example.org, 2")
    ada["result"][0]["value"] = {"start": 0, "end": 3, "text": "Zoë", "labels": ["PERSON"]}
    task["annotations"].append(ada)
    path.write_text(json.dumps([task]), encoding="utf-8")
    sets = check_record(only_record(read_all(path)), schema, "importer")
    assert [(s.annotator, s.status) for s in sets] == [
        ("bob", Status.IN_PROGRESS),
        ("alice", Status.DONE),
        ("ada@example.org", Status.DONE),
    ]
    assert as_tuples(sets[1]) == as_tuples(alice)


# ---------------------------------------------------------------- JSON_MIN

MIN_TEXT = "🎉🎉 On Monday , UNESCO said Ada Lind left ."


def min_row(task_id, annotator, annotation_id, regions=None, **keys) -> dict:
    """A row as Label Studio's JSON_MIN export (and label-studio-converter 0.0.59) writes it."""
    row = {"text": MIN_TEXT, "title": "", **keys, "id": task_id}  # data keys, then the id
    if regions is not None:
        row["label"] = [
            {"start": s, "end": e, "text": MIN_TEXT[s:e], "labels": [label]}
            for s, e, label in regions
        ]
    return {
        **row,
        "annotator": annotator,
        "annotation_id": annotation_id,
        "created_at": "2026-12-05T10:00:00Z",
        "updated_at": None,
        "lead_time": 12.5,
    }


def read_min(tmp_path, *rows) -> list[Record | InputError]:
    path = tmp_path / "min.json"
    path.write_text(json.dumps(list(rows), indent=2, ensure_ascii=False), encoding="utf-8")
    return read_all(path)


def test_json_min_rows_of_a_task_are_one_document_with_a_set_each(tmp_path, schema):
    rows = [
        min_row(2, 1, 11, [(6, 12, "DATE"), (15, 21, "ORG"), (27, 35, "PERSON")], source="wire"),
        min_row(2, "bo@example.org", 12, [(15, 21, "ORG")], source="wire"),
        min_row(2, 1, 13, [], source="wire"),  # the same user again, finding nothing
        {**min_row(3, None, None), "text": "Nobody annotated this."},
    ]
    first, second = read_min(tmp_path, *rows)
    assert first.document.text == MIN_TEXT
    assert first.document.meta == {"source": "wire"}  # the per-annotation keys are not kept
    sets = check_record(first, schema, "importer")
    assert [(s.annotator, s.status) for s in sets] == [
        ("user 1", Status.DONE),
        ("bo@example.org", Status.DONE),
        ("user 1 (2)", Status.DONE),
    ]
    assert sorted(x.text for x in sets[0].spans.values()) == ["Ada Lind", "Monday", "UNESCO"]
    assert [x.text for x in sets[1].spans.values()] == ["UNESCO"]
    assert sets[2].spans == {}
    assert (second.document.text, second.sets) == ("Nobody annotated this.", [])


def test_json_min_choices_that_keep_their_region_are_attributes(tmp_path, schema):
    row = min_row(1, 1, 1, [(15, 21, "CUE")])
    row["type"] = [{"start": 15, "end": 21, "text": "UNESCO", "choices": ["belief"]}]
    row = {k: row[k] for k in ["text", "title", "id", "label", "type", "annotator"]}
    (record,) = read_min(tmp_path, row)
    (s,) = check_record(record, schema, "importer")
    assert [(x.label, x.attributes) for x in s.spans.values()] == [("CUE", {"type": "belief"})]


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("rating", [{"rating": 4}], "'rating' holds {\"rating\": 4}, results of a control"),
        (
            "type",
            [{"start": 0, "end": 2, "text": "🎉🎉", "choices": ["belief"]}],
            "choices 'type' at [0, 2) belong to one region, and no region lies there",
        ),
        (
            "label",
            [{"start": 16, "end": 22, "text": "UNESCO", "labels": ["ORG"]}],
            "region label 1 [16, 22) says its text is 'UNESCO' but counted in code points",
        ),
    ],
)
def test_json_min_rows_that_would_lose_annotations_are_refused(tmp_path, key, value, reason):
    row = {**min_row(1, 1, 1, [(6, 12, "DATE")]), key: value}
    (error,) = read_min(tmp_path, row)
    assert isinstance(error, InputError)
    assert error.location.line == 2
    assert error.reason.startswith("task 1: ")
    assert reason in error.reason


def test_a_draft_with_regions_is_a_set_in_progress(tmp_path, schema):
    draft = user_annotation(None, 0, 4)
    task = {
        "data": {"text": "Jane Doe spoke."},
        "annotations": [user_annotation({"id": 1, "email": "ada@example.org"})],
        "drafts": [
            {**draft, "user": "ada@example.org"},
            {"user": "bo@example.org", "result": []},  # nothing in it yet
        ],
    }
    assert annotators_of(tmp_path, schema, task) == [
        ("ada@example.org", Status.DONE),
        ("ada@example.org (2)", Status.IN_PROGRESS),
    ]


def test_completions_of_label_studio_before_1_0_are_annotations(tmp_path, schema):
    task = {"data": {"text": "Jane Doe spoke."}, "completions": [user_annotation(3)]}
    assert annotators_of(tmp_path, schema, task) == [("user 3", Status.DONE)]


def test_regions_beside_a_flat_task_s_annotations_are_refused(tmp_path, schema):
    row = min_row(1, 1, 1, [(6, 12, "DATE")])
    task = {**row, "annotations": [user_annotation(2)], "text": "Jane Doe spoke."}
    task["label"][0].update(start=0, end=4, text="Jane")
    (error,) = read_min(tmp_path, task)
    assert isinstance(error, InputError)
    assert "regions under 'label' beside 'annotations'" in error.reason


def test_json_min_choice_cut_off_from_its_region_is_refused(tmp_path, schema):
    # Label Studio 1.23.2's own JSON_MIN export of a task of ours: the per-region choice of
    # "said" comes out as a bare value between the task's id and the annotator.
    rows = [
        {"text": MIN_TEXT, "title": "T", "meta": {}, "id": 1, "annotator": 1, "annotation_id": 2},
        {
            "text": MIN_TEXT,
            "title": "T",
            "meta": {},
            "id": 1,
            "label": [{"start": 22, "end": 26, "text": "said", "labels": ["CUE"]}],
            "type": "assertion",
            "annotator": 1,
            "annotation_id": 1,
        },
    ]
    first, error = read_min(tmp_path, *rows)
    assert isinstance(first, Record)
    assert [(s.annotator, s.spans) for s in first.sets] == [("user 1", [])]
    assert isinstance(error, InputError)
    assert error.reason == (
        "task 2: control 'type' holds \"assertion\": JSON_MIN writes a choice or text this way, "
        "cut off from the region it belongs to (or for the whole document), so labeler cannot "
        "place it; export the project as JSON (not JSON_MIN) to import it"
    )


def test_label_studio_s_own_export_listing_predictions_by_id_imports(tmp_path, schema):
    # Label Studio 1.23.2's JSON export of a project with predictions, as it wrote it: the
    # task's predictions are their ids only, beside an annotation with document choices.
    task = {
        "id": 1,
        "data": {"text": "Mayor Jane Doe said so.", "title": "Budget vote", "meta": {}},
        "annotations": [
            {
                "id": 1,
                "completed_by": 1,
                "was_cancelled": False,
                "result": [
                    {
                        "id": "a1-s1",
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "value": {"start": 6, "end": 14, "text": "Jane Doe", "labels": ["PERSON"]},
                    },
                    {
                        "id": "a1-d1",
                        "from_name": "topic",
                        "to_name": "text",
                        "type": "choices",
                        "value": {"choices": ["politics", "economy"]},
                    },
                ],
            }
        ],
        "drafts": [],
        "predictions": [1, 2],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    record = only_record(read_all(path))
    (annotation,) = check_record(record, schema, "importer")
    assert [(s.label, s.start, s.end) for s in annotation.spans.values()] == [("PERSON", 6, 14)]
    assert annotation.document_labels == {"topic": ("politics", "economy")}
    assert suggestions_of(record, schema) == []
