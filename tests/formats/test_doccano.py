"""doccano JSONL: round trip, UTF-16 offsets, both doccano shapes, clear errors, registry."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.domain.errors import InputError
from labeler.formats import doccano, registry
from labeler.formats.records import ExportItem, ReadOptions, Record
from labeler.services.importing import check_record
from tests.formats.support import attribution_set, only_record, span_tuples, write_lines
from tests.support import offsets

REPO = Path(__file__).resolve().parents[2]
TEXT = "Zoë 🙂 said 𝒳 rose, according to Ada Lind of 𝒳 Corp.\nShares fell 5%."


def annotated(schema, annotator: str = "alice", status: Status = Status.DONE) -> AnnotationSet:
    return attribution_set(schema, TEXT, annotator, status)


def read_all(path: Path) -> list[Record | InputError]:
    return list(doccano.read(path, ReadOptions()))


# ---------------------------------------------------------------- round trip


def held(s: AnnotationSet, text: str = TEXT) -> tuple:
    """What the format holds of a set: spans (start, end, label) and their relations."""
    return span_tuples(s, text, attributes=False)


def test_round_trip_keeps_spans_relations_and_metadata_and_reports_the_loss(tmp_path, schema):
    alice = annotated(schema)
    bob = AnnotationSet(schema, "bob", Status.DONE)
    meta = {"url": "https://x", "source": "wire", "text": "clashes with a doccano key"}
    doc = Document(TEXT, title="Wire", date=date(2026, 3, 14), meta=meta, id=7)
    items = [ExportItem(doc, [alice, bob]), ExportItem(Document("Plain 🙂 text."), [])]
    path = tmp_path / "out.jsonl"

    report = doccano.write(path, iter(items), schema)

    assert report.documents == 2
    assert report.notes == {
        "annotation sets after the first not exported": 1,
        "annotators and statuses not carried (doccano lines have neither)": 1,
        "span attributes not carried (doccano has none)": 2,
    }
    first, second = (json.loads(x) for x in path.read_text(encoding="utf-8").splitlines())
    assert first["id"] == 7 and second["id"] == 2
    assert (first["title"], first["date"], first["url"]) == ("Wire", "2026-03-14", "https://x")
    assert first["meta"] == {"text": "clashes with a doccano key"}
    assert second == {"id": 2, "text": "Plain 🙂 text."}

    records = read_all(path)
    assert [type(r) for r in records] == [Record, Record]
    back = records[0].document
    assert (back.text, back.title, back.date) == (TEXT, "Wire", date(2026, 3, 14))
    assert back.meta == {**meta, "doccano_id": 7}
    (s,) = check_record(records[0], schema, "importer")
    assert (s.annotator, s.status) == ("importer", Status.DONE)
    assert held(s) == held(alice)
    assert all(not x.attributes for x in s.spans.values())
    assert records[1].document.meta == {"doccano_id": 2}
    assert records[1].sets == []


def js_slice(text: str, start: int, end: int) -> str:
    """JavaScript's `text.slice(start, end)`: its string indices count UTF-16 code units.

    doccano 1.8.4's annotation screen places an entity at those indices: run here, code-point
    offsets were drawn shifted after an emoji and UTF-16 offsets drew right.
    """
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def test_offsets_are_utf16_units_as_doccano_s_screen_counts(tmp_path, schema):
    text = "Zoë 🙂 said 𝒳 rose"
    s = AnnotationSet(schema, "alice")
    claim = s.add_span(make_span(text, *offsets(text, "𝒳 rose"), "CONTENT", schema))
    cue = s.add_span(make_span(text, *offsets(text, "said"), "CUE", schema))
    s.add_span(make_span(text, *offsets(text, "Zoë"), "PERSON", schema))
    s.add_relation(Relation("content", cue.id, claim.id))
    path = tmp_path / "t.jsonl"
    doccano.write(path, [ExportItem(Document(text), [s])], schema)
    (line,) = path.read_text(encoding="utf-8").splitlines()
    obj = json.loads(line)
    entities = {e["label"]: e for e in obj["entities"]}
    assert [(e["start_offset"], e["end_offset"]) for e in obj["entities"]] == [
        (0, 3),
        (7, 11),  # after the emoji, one unit more than the code points
        (12, 19),  # and 𝒳 takes two units itself
    ]
    drawn = {
        e["label"]: js_slice(text, e["start_offset"], e["end_offset"]) for e in obj["entities"]
    }
    assert drawn == {"PERSON": "Zoë", "CUE": "said", "CONTENT": "𝒳 rose"}
    (relation,) = obj["relations"]
    assert relation == {
        "id": 1,
        "from_id": entities["CUE"]["id"],
        "to_id": entities["CONTENT"]["id"],
        "type": "content",
    }
    (record,) = read_all(path)
    (back,) = check_record(record, schema, "importer")
    assert held(back, text) == held(s, text)


@pytest.mark.skipif(shutil.which("node") is None, reason="no JavaScript engine here")
def test_javascript_itself_slices_the_export_to_the_spans(tmp_path, schema):
    text = "🎉🎉 On Monday, UNESCO said 𝒳 rose."
    s = AnnotationSet(schema, "alice")
    for word, label in [("Monday", "DATE"), ("UNESCO", "ORG"), ("𝒳 rose", "CLAIM")]:
        s.add_span(make_span(text, *offsets(text, word), label, schema))
    path = tmp_path / "t.jsonl"
    doccano.write(path, [ExportItem(Document(text), [s])], schema)
    script = (
        "const o = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));"
        "const cut = e => o.text.slice(e.start_offset, e.end_offset);"
        "console.log(JSON.stringify(o.entities.map(cut)));"
    )
    out = subprocess.run(
        ["node", "-e", script, str(path)], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(out.stdout) == ["Monday", "UNESCO", "𝒳 rose"]


SCREEN = "🎉🎉 On Monday, UNESCO said"


def test_a_file_from_doccano_s_screen_imports_in_place(tmp_path, schema):
    # What doccano's screen stores for "UNESCO": JavaScript indices 16 and 22.
    assert js_slice(SCREEN, 16, 22) == "UNESCO"
    path = write_lines(tmp_path / "d.jsonl", {"text": SCREEN, "label": [[16, 22, "ORG"]]})
    (s,) = check_record(only_record(read_all(path)), schema, "importer")
    assert [(x.start, x.end, x.text) for x in s.spans.values()] == [(14, 20, "UNESCO")]


def test_offsets_in_code_points_are_read_when_asked_and_named_when_they_split_a_pair(
    tmp_path, schema
):
    # labeler before this change wrote code points; such a file is read with offsets=codepoints.
    path = write_lines(tmp_path / "d.jsonl", {"text": SCREEN, "label": [[14, 20, "ORG"]]})
    options = ReadOptions(extra={"offsets": "codepoints"})
    (record,) = list(doccano.read(path, options))
    (s,) = check_record(record, schema, "importer")
    assert [x.text for x in s.spans.values()] == ["UNESCO"]
    # Counted in UTF-16 units, [1, 4) starts inside the first emoji: the reader says which fits.
    path = write_lines(tmp_path / "e.jsonl", {"text": SCREEN, "label": [[1, 4, "ORG"]]})
    (error,) = read_all(path)
    assert isinstance(error, InputError)
    assert (error.location.file, error.location.line) == (str(path), 1)
    assert error.reason == (
        "span 1 (ORG) [1, 4) is no span of the text counted in UTF-16 units (UTF-16 offset 1 "
        "splits a surrogate pair); counted in code points it is '🎉 O': if the file counts "
        "code points, import it with its offsets read as code points (--offsets codepoints)"
    )


# ---------------------------------------------------------------- hand-written files

MAYOR = "Mayor Jane Doe said crime in Springfield fell 12% in 2023."


def test_sequence_labelling_export_imports(tmp_path, schema):
    # doccano's sequence-labelling export: id, text, label triples, Comments, meta keys on top.
    path = write_lines(
        tmp_path / "admin.jsonl",
        {
            "id": 1,
            "text": MAYOR,
            "label": [[6, 14, "PERSON"], [29, 40, "GPE"], [46, 49, "PERCENT"]],
            "Comments": [],
            "source": "wire",
        },
        {"id": 2, "text": "Zoë 🙂 said 𝒳 rose", "label": [[0, 3, "PERSON"]], "Comments": ["ok"]},
        {"text": "No labels here."},
    )
    one, two, three = read_all(path)
    assert one.document.meta == {"doccano_id": 1, "source": "wire"}
    assert one.location.line == 1
    (s,) = check_record(one, schema, "importer")
    assert held(s, MAYOR)[0] == [(6, 14, "PERSON"), (29, 40, "GPE"), (46, 49, "PERCENT")]
    assert two.document.meta == {"doccano_id": 2, "Comments": ["ok"]}
    (s,) = check_record(two, schema, "importer")
    assert [x.text for x in s.spans.values()] == ["Zoë"]
    assert three.sets == []


def test_older_labels_key_imports(tmp_path, schema):
    path = write_lines(tmp_path / "old.jsonl", {"text": MAYOR, "labels": [[6, 14, "PERSON"]]})
    (record,) = read_all(path)
    (s,) = check_record(record, schema, "importer")
    assert held(s, MAYOR)[0] == [(6, 14, "PERSON")]


def test_relation_export_imports(tmp_path, schema):
    # The relation-extraction example: project-wide ids, relation ids from 0.
    line = {
        "id": 12,
        "text": MAYOR,
        "entities": [
            {"id": 4, "label": "SOURCE", "start_offset": 0, "end_offset": 14},
            {"id": 5, "label": "CUE", "start_offset": 15, "end_offset": 19},
            {"id": 6, "label": "CONTENT", "start_offset": 20, "end_offset": 57},
        ],
        "relations": [
            {"id": 0, "from_id": 5, "to_id": 4, "type": "source"},
            {"id": 1, "from_id": 5, "to_id": 6, "type": "content"},
        ],
        "Comments": [],
    }
    (record,) = read_all(write_lines(tmp_path / "rel.jsonl", line))
    (s,) = check_record(record, schema, "importer")
    spans, relations = held(s, MAYOR)
    assert spans == [(0, 14, "SOURCE"), (15, 19, "CUE"), (20, 57, "CONTENT")]
    assert relations == [
        ("content", (15, 19, "CUE"), (20, 57, "CONTENT")),
        ("source", (15, 19, "CUE"), (0, 14, "SOURCE")),
    ]


def test_crlf_text_is_normalised_and_offsets_remapped(tmp_path, schema):
    text = "Title\r\nJane Doe said so."
    (record,) = read_all(
        write_lines(tmp_path / "crlf.jsonl", {"text": text, "label": [[7, 15, "PERSON"]]})
    )
    assert record.document.text == "Title\nJane Doe said so."
    (s,) = check_record(record, schema, "importer")
    assert [(x.start, x.end, x.text) for x in s.spans.values()] == [(6, 14, "Jane Doe")]


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": "Jane Doe", "label": [[0, 8, "PERSON"]', "invalid JSON"),
        ('{"text": "Jane Doe", "label": [[0, 99, "PERSON"]]}', "offset 99 outside the text"),
        ('{"text": "Jane Doe", "label": [[5, 2, "PERSON"]]}', "[5, 2) is empty"),
        ('{"text": "Jane Doe", "label": [[0, 8, "PERSON"], "x"]}', "label 2 must be [start, end"),
        ('{"text": "Jane Doe", "cats": ["greet", 3]}', "'cats' must be a list of category names"),
        ('{"text": "Jane Doe", "label": [[0, "8", "PERSON"]]}', "must be a whole number"),
        (
            '{"text": "Jane Doe", "entities": [{"id": 1, "label": "PERSON", "start_offset": 0,'
            ' "end_offset": 8}], "relations": [{"id": 0, "from_id": 1, "to_id": 9, "type": "x"}]}',
            "relation 1 to_id 9 is not the id of an entity",
        ),
        ('{"text": "Jane Doe", "entities": [{"id": 1, "label": "PERSON"}]}', "no 'start_offset'"),
        ('{"title": "no text"}', "no 'text' field"),
        ("[1, 2]", "a line must hold a JSON object"),
    ],
)
def test_bad_line_names_file_line_and_reason_and_reading_goes_on(tmp_path, line, reason):
    path = write_lines(tmp_path / "bad.jsonl", {"text": "fine"}, line, {"text": "also fine"})
    items = read_all(path)
    assert [type(x) for x in items] == [Record, InputError, Record]
    error = items[1]
    assert (error.location.file, error.location.line) == (str(path), 2)
    assert reason in error.reason
    assert str(error).startswith(f"{path}:2: ")


def test_empty_file_is_reported(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", encoding="utf-8")
    (error,) = read_all(path)
    assert isinstance(error, InputError) and "no documents" in error.reason


# ---------------------------------------------------------------- registry


def test_jsonl_files_go_to_the_native_reader_unless_doccano_is_named():
    fmt = registry.get("doccano")
    assert fmt.extensions == (".jsonl",)
    assert fmt.read is doccano.read and fmt.write is doccano.write
    assert not fmt.lossless
    assert registry.for_path(Path("export.jsonl")) is registry.get("jsonl")


def test_intent_detection_export_imports_slots_and_categories(tmp_path, schema):
    # doccano 1.8.4's own export of an intent detection and slot filling project, as it wrote
    # it from our file with `cats`: slots as [start, end, label] (UTF-16), categories sorted.
    text = "A storm hit Florida on Tuesday 🌀🌀, officials said. The Red Cross sent aid."
    path = write_lines(
        tmp_path / "admin.jsonl",
        {
            "id": 2,
            "text": text,
            "title": "Storm",
            "relations": [],
            "cats": ["environment", "news", "no"],
            "entities": [[12, 19, "GPE"], [53, 66, "ORG"]],
            "Comments": [],
        },
    )
    record = only_record(read_all(path))
    (s,) = check_record(record, schema, "importer")
    assert [(x.label, x.text) for x in s.spans.values()] == [
        ("GPE", "Florida"), ("ORG", "The Red Cross")]  # fmt: skip
    assert s.document_labels == {
        "topic": ("environment",), "genre": ("news",), "check_worthy": ("no",)}  # fmt: skip
