"""Prodigy JSONL: round trip, spaCy tokens, token-aligned spans, answers, clear errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import spacy

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.domain.errors import InputError
from labeler.formats import prodigy, registry
from labeler.formats.prodigy_task import hash32
from labeler.formats.records import ExportItem, ReadOptions, Record
from labeler.services.importing import check_record
from tests.formats.support import attribution_set, span_tuples, write_lines

REPO = Path(__file__).resolve().parents[2]
TEXT = "Zoë 🙂 said 𝒳 rose, according to Ada Lind of 𝒳 Corp on Monday.\nShares fell 5%."
SHORT = "Zoë 🙂 said 𝒳 rose"


def annotated(schema, annotator: str = "alice", status: Status = Status.DONE) -> AnnotationSet:
    return attribution_set(schema, TEXT, annotator, status)


def read_all(path: Path) -> list[Record | InputError]:
    return list(prodigy.read(path, ReadOptions()))


def tasks(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------- round trip


def held(s: AnnotationSet, text: str = TEXT) -> tuple:
    """What the format holds of a set: spans (start, end, label) and their relations."""
    return span_tuples(s, text, attributes=False)


def test_round_trip_keeps_spans_relations_status_and_reports_the_loss(tmp_path, schema):
    alice = annotated(schema)
    bob = AnnotationSet(schema, "bob", Status.DONE)
    doc = Document(TEXT, title="Wire", date=date(2026, 3, 14), meta={"url": "https://x"}, id=7)
    items = [ExportItem(doc, [alice, bob]), ExportItem(Document("Plain 🙂 text."), [])]
    path = tmp_path / "out.jsonl"

    report = prodigy.write(path, iter(items), schema)

    assert report.documents == 2
    assert report.notes == {
        "annotation sets after the first not exported": 1,
        "span attributes not carried (Prodigy spans have none)": 2,
    }
    first, second = tasks(path)
    assert (first["answer"], first["_annotator_id"]) == ("accept", "alice")
    assert first["meta"] == {"url": "https://x"}
    assert not {"answer", "spans", "relations"} & set(second)

    records = read_all(path)
    assert [type(r) for r in records] == [Record, Record]
    back = records[0].document
    assert (back.text, back.title, back.date, back.meta) == (
        TEXT,
        "Wire",
        date(2026, 3, 14),
        {"url": "https://x"},
    )
    (s,) = check_record(records[0], schema, "importer")
    assert (s.annotator, s.status) == ("alice", Status.DONE)
    assert held(s) == held(alice)  # every span of this text lies on token boundaries
    assert records[1].sets == [] and records[1].document.meta == {}


@pytest.mark.parametrize(
    ("status", "answer", "back", "note"),
    [
        (Status.DONE, "accept", Status.DONE, None),
        (Status.SKIPPED, "ignore", Status.SKIPPED, None),
        (Status.TODO, None, Status.TODO, None),
        (
            Status.IN_PROGRESS,
            None,
            Status.TODO,
            "in-progress status not carried (written unanswered, read back as todo)",
        ),
    ],
)
def test_status_becomes_answer_and_back(tmp_path, schema, status, answer, back, note):
    s = AnnotationSet(schema, "alice", status)
    s.add_span(make_span(SHORT, 0, 3, "PERSON", schema))
    path = tmp_path / "t.jsonl"
    report = prodigy.write(path, [ExportItem(Document(SHORT), [s])], schema)
    (task,) = tasks(path)
    assert task.get("answer") == answer
    assert [n for n in report.notes if n.startswith(note or "in-progress")] == (
        [note] if note else []
    )
    (record,) = read_all(path)
    (read_back,) = check_record(record, schema, "importer")
    assert (read_back.annotator, read_back.status) == ("alice", back)


def test_tokens_are_spacy_tokens_and_token_indices_point_at_the_span(tmp_path, schema):
    s = annotated(schema)
    path = tmp_path / "t.jsonl"
    prodigy.write(path, [ExportItem(Document(TEXT), [s])], schema)
    (task,) = tasks(path)
    doc = spacy.blank("en").make_doc(TEXT)
    assert task["tokens"] == [
        {
            "text": t.text,
            "start": t.idx,
            "end": t.idx + len(t.text),
            "id": t.i,
            "ws": bool(t.whitespace_),
        }
        for t in doc
    ]
    tokens = task["tokens"]
    assert all(TEXT[t["start"] : t["end"]] == t["text"] for t in tokens)
    for span in task["spans"]:
        first, last = tokens[span["token_start"]], tokens[span["token_end"]]
        assert (first["start"], last["end"]) == (span["start"], span["end"])
    by_label = {x["label"]: x for x in task["spans"]}
    assert TEXT[by_label["SOURCE"]["start"] : by_label["SOURCE"]["end"]] == "Ada Lind of 𝒳 Corp"
    source = next(r for r in task["relations"] if r["label"] == "source")
    assert source["head_span"] == by_label["CUE"]
    assert source["child_span"] == by_label["SOURCE"]
    # head and child name the last token of each span ("to" of "according to", "Corp").
    assert tokens[source["head"]]["text"] == "to"
    assert tokens[source["child"]]["text"] == "Corp"
    assert (source["head"], source["child"]) == (
        by_label["CUE"]["token_end"],
        by_label["SOURCE"]["token_end"],
    )


def test_tokens_of_hard_text_are_written_as_json_dumps_writes_spacys(tmp_path, schema):
    """Quotes, backslashes, control characters, white-space tokens: each token's text is
    escaped as json.dumps escapes it, and the line is the one json.dumps writes."""
    from tests.formats.test_token_arrays import HARD, _varied

    texts = [t for t in HARD + _varied(100, seed=4) + ['"q" \\b\\ \x01\x1f'] if t.strip()]
    path = tmp_path / "t.jsonl"
    prodigy.write(path, [ExportItem(Document(t), []) for t in texts], schema)
    lines = path.read_bytes().decode("utf-8").split("\n")[:-1]  # U+2028 stays in a line
    nlp = spacy.blank("en")
    for text, line in zip(texts, lines, strict=True):
        task = json.loads(line)
        assert line == json.dumps(task, ensure_ascii=False)
        assert task["tokens"] == [
            {
                "text": t.text,
                "start": t.idx,
                "end": t.idx + len(t),
                "id": t.i,
                "ws": bool(t.whitespace_),
            }
            for t in nlp.make_doc(text)
        ]


def test_a_line_is_the_one_json_dumps_writes_and_its_task_hash_that_of_its_sorted_spans(
    tmp_path, schema
):
    """Each task line is written as json.dumps writes the task; the task hash is that of
    `[spans, relations]` as json.dumps with sorted keys writes them; texts, titles and
    metadata holding quotes, "%" and control characters included."""
    text = 'He said "100%".\tDone \\ %s. ' + TEXT
    doc = Document(
        text, title='A "5%" rise', date=date(2026, 3, 14), meta={"k": "50% \x01", "n": [1]}
    )
    items = [
        ExportItem(doc, [attribution_set(schema, text, "alice %d")]),
        ExportItem(Document(TEXT), [AnnotationSet(schema, "bob", Status.IN_PROGRESS)]),
        ExportItem(Document(text), []),
    ]
    path = tmp_path / "t.jsonl"
    prodigy.write(path, items, schema)
    lines = path.read_bytes().decode("utf-8").split("\n")
    assert lines.pop() == ""  # the file ends with a line end
    tasks = [json.loads(line) for line in lines]
    assert tasks[0]["relations"] and tasks[0]["_annotator_id"] == "alice %d"
    assert (tasks[0]["title"], tasks[0]["meta"]) == ('A "5%" rise', {"k": "50% \x01", "n": [1]})
    for line, task in zip(lines, tasks, strict=True):
        assert line == json.dumps(task, ensure_ascii=False)
        assert task["_input_hash"] == hash32(task["text"])
        labelled = [task.get("spans", []), task.get("relations", [])]
        sorted_json = json.dumps(labelled, ensure_ascii=False, sort_keys=True)
        assert task["_task_hash"] == hash32(str(task["_input_hash"]), sorted_json)


def test_hashes_are_stable_signed_32_bit_integers(tmp_path, schema):
    one, two = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    doc = Document(TEXT)
    prodigy.write(one, [ExportItem(doc, [annotated(schema)])], schema)
    prodigy.write(two, [ExportItem(doc, [annotated(schema)]), ExportItem(doc, [])], schema)
    (a,), (b, c) = tasks(one), tasks(two)
    for task in (a, b, c):
        for key in ("_input_hash", "_task_hash"):
            assert isinstance(task[key], int) and -(2**31) <= task[key] < 2**31
    assert a["_input_hash"] == b["_input_hash"] == c["_input_hash"]
    assert a["_task_hash"] == b["_task_hash"] != c["_task_hash"]


def test_spans_off_token_boundaries_are_grown_and_counted(tmp_path, schema):
    s = AnnotationSet(schema, "alice")
    person = s.add_span(make_span(SHORT, 0, 2, "PERSON", schema))  # "Zo" of "Zoë"
    cue = s.add_span(make_span(SHORT, 7, 10, "CUE", schema))  # "aid" of "said"
    claim = s.add_span(make_span(SHORT, 10, 17, "CONTENT", schema))  # " 𝒳 rose"
    s.add_span(make_span(SHORT, 4, 6, "CLAIM", schema))  # "🙂 ": white space at the edge
    s.add_span(make_span(SHORT, 3, 4, "CLAIM", schema))  # " ": no token at all
    s.add_relation(Relation("content", cue.id, claim.id))
    assert person.text == "Zo"
    path = tmp_path / "t.jsonl"
    report = prodigy.write(path, [ExportItem(Document(SHORT), [s])], schema)
    assert report.notes == {
        "spans moved to token boundaries": 4,
        "spans covering no token, not exported (nor their relations)": 1,
    }
    (task,) = tasks(path)
    assert [(SHORT[x["start"] : x["end"]], x["label"]) for x in task["spans"]] == [
        ("Zoë", "PERSON"),
        ("🙂", "CLAIM"),
        ("said", "CUE"),
        ("𝒳 rose", "CONTENT"),
    ]
    (relation,) = task["relations"]
    assert relation["head_span"]["start"] == 6 and relation["child_span"]["start"] == 11


def test_relations_of_unexported_spans_and_merged_spans_are_counted(tmp_path, schema):
    text = "Ada said so."
    s = AnnotationSet(schema, "alice")
    cue = s.add_span(make_span(text, 4, 8, "CUE", schema))
    gap = s.add_span(make_span(text, 3, 4, "SOURCE", schema))  # a space
    s.add_span(make_span(text, 0, 3, "SOURCE", schema))
    s.add_span(make_span(text, 0, 2, "SOURCE", schema))  # grows into the one above
    s.add_relation(Relation("source", cue.id, gap.id))
    report = prodigy.write(tmp_path / "t.jsonl", [ExportItem(Document(text), [s])], schema)
    assert report.notes["relations of spans not exported, not exported"] == 1
    assert report.notes["spans identical to another once on token boundaries, merged"] == 1


# ---------------------------------------------------------------- hand-written files

MAYOR = "Mayor Jane Doe said crime in Springfield fell 12% in 2023."


def mayor_tokens() -> list[dict]:
    doc = spacy.blank("en").make_doc(MAYOR)
    return [
        {
            "text": t.text,
            "start": t.idx,
            "end": t.idx + len(t.text),
            "id": t.i,
            "ws": bool(t.whitespace_),
        }
        for t in doc
    ]


def test_documented_relations_task_imports(tmp_path, schema):
    # The rel.manual example: head/child are the last tokens, head_span/child_span in full.
    cue = {"start": 15, "end": 19, "token_start": 3, "token_end": 3, "label": "CUE"}
    source = {"start": 0, "end": 14, "token_start": 0, "token_end": 2, "label": "SOURCE"}
    task = {
        "text": MAYOR,
        "tokens": mayor_tokens(),
        "spans": [source, cue],
        "relations": [
            {"head": 3, "child": 2, "head_span": cue, "child_span": source, "label": "source"}
        ],
        "answer": "accept",
        "meta": {"source": "wire"},
        "_input_hash": 1,
        "_task_hash": -2,
        "_view_id": "relations",
        "_session_id": "news-alice",
        "_annotator_id": "news-alice",
        "_timestamp": 1700000000,
        "flagged": True,
    }
    (record,) = read_all(write_lines(tmp_path / "db-out.jsonl", task))
    assert record.document.meta == {"source": "wire", "flagged": True}
    (s,) = check_record(record, schema, "importer")
    assert (s.annotator, s.status) == ("news-alice", Status.DONE)
    spans, relations = held(s, MAYOR)
    assert spans == [(0, 14, "SOURCE"), (15, 19, "CUE")]
    assert relations == [("source", (15, 19, "CUE"), (0, 14, "SOURCE"))]


def test_ner_manual_task_without_tokens_and_relations_by_token_only(tmp_path, schema):
    spans = [
        {"start": 6, "end": 14, "token_start": 1, "token_end": 2, "label": "PERSON"},
        {"start": 15, "end": 19, "token_start": 3, "token_end": 3, "label": "CUE"},
        {"start": 0, "end": 14, "token_start": 0, "token_end": 2, "label": "SOURCE"},
        {"start": 6, "end": 14, "label": "PERSON"},  # an exact repeat, dropped
    ]
    lines = [
        {"text": MAYOR, "spans": spans[:1], "answer": "reject"},
        {
            "text": MAYOR,
            "spans": spans[1:],
            "relations": [{"head": 3, "child": 2, "label": "source"}],
        },
        {"text": MAYOR, "spans": spans[:1], "answer": "ignore"},
        {"text": MAYOR},
    ]
    rejected, related, ignored, plain = read_all(write_lines(tmp_path / "t.jsonl", *lines))
    assert check_record(rejected, schema, "x")[0].status == Status.SKIPPED
    assert check_record(ignored, schema, "x")[0].status == Status.SKIPPED
    (s,) = check_record(related, schema, "x")
    assert (s.annotator, s.status) == ("x", Status.TODO)
    assert held(s, MAYOR)[1] == [("source", (15, 19, "CUE"), (0, 14, "SOURCE"))]
    assert len(s.spans) == 3
    assert plain.sets == []


def test_crlf_text_is_normalised_and_offsets_remapped(tmp_path, schema):
    text = "Title\r\nJane Doe said so."
    line = {"text": text, "spans": [{"start": 7, "end": 15, "label": "PERSON"}], "answer": "accept"}
    (record,) = read_all(write_lines(tmp_path / "crlf.jsonl", line))
    assert record.document.text == "Title\nJane Doe said so."
    (s,) = check_record(record, schema, "importer")
    assert [(x.start, x.end, x.text) for x in s.spans.values()] == [(6, 14, "Jane Doe")]


# ---------------------------------------------------------------- errors

SPAN = '{"start": 0, "end": 8, "label": "PERSON"}'


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"text": "Jane Doe", "spans": [' + SPAN, "invalid JSON"),
        (
            '{"text": "Jane Doe", "spans": [{"start": 0, "end": 99, "label": "P"}]}',
            "outside the text",
        ),
        (
            '{"text": "Jane Doe", "spans": [{"start": -1, "end": 4, "label": "P"}]}',
            "outside the text",
        ),
        ('{"text": "Jane Doe", "spans": [{"end": 4, "label": "P"}]}', "has no 'start'"),
        ('{"text": "Jane Doe", "spans": {}}', "'spans' must be a list"),
        ('{"text": "Jane Doe", "answer": "maybe"}', 'answer "maybe" is not accept'),
        (
            '{"text": "Jane Doe", "spans": [' + SPAN + '], "relations": [{"label": "x", '
            '"head_span": {"start": 0, "end": 8}, "child_span": {"start": 1, "end": 8}}]}',
            "relation 1 child_span [1, 8) is not a span of the task",
        ),
        (
            '{"text": "Jane Doe", "spans": [' + SPAN + '], "relations": [{"label": "x"}]}',
            "relation 1 has no head_span",
        ),
        ('{"text": "Jane Doe", "relations": [{"head": 0, "child": 0}]}', "has no 'label'"),
        ('{"spans": []}', "no 'text' field"),
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


# ---------------------------------------------------------------- registry


def test_jsonl_files_go_to_the_native_reader_unless_prodigy_is_named():
    fmt = registry.get("prodigy")
    assert fmt.extensions == (".jsonl",)
    assert fmt.read is prodigy.read and fmt.write is prodigy.write
    assert registry.for_path(Path("db-out.jsonl")) is registry.get("jsonl")
    assert registry.for_path(Path("DB-OUT.JSONL")) is registry.get("jsonl")
