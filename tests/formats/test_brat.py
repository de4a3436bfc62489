"""brat standoff: folder round trip, fragments at line breaks, hand-written files, clear errors."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.domain.errors import InputError
from labeler.formats import brat, registry
from labeler.formats.records import ExportItem, ReadOptions, Record
from labeler.services.importing import check_record
from tests.formats.support import only_error, only_record, span_tuples
from tests.support import offsets

REPO = Path(__file__).resolve().parents[2]
TEXT = '"Zoë 🙂 said 𝒳 rose,\nthen fell," said Ada Lind of 𝒳 Corp.\nShares fell 5%.'


at = partial(offsets, TEXT)


def annotated(schema, annotator: str = "alice") -> AnnotationSet:
    s = AnnotationSet(schema, annotator, Status.DONE)
    content = s.add_span(make_span(TEXT, *at("Zoë 🙂 said 𝒳 rose,\nthen fell,"), "CONTENT", schema))
    claim = s.add_span(
        make_span(
            TEXT,
            *at("𝒳 rose,\nthen fell"),
            "CLAIM",
            schema,
            {"checkworthy": "yes", "claim_type": "quantity"},
        )
    )
    said = TEXT.index("said Ada")
    cue = s.add_span(make_span(TEXT, said, said + 4, "CUE", schema, {"type": "assertion"}))
    source = s.add_span(make_span(TEXT, *at("Ada Lind of 𝒳 Corp"), "SOURCE", schema))
    person = s.add_span(make_span(TEXT, *at("Ada Lind"), "PERSON", schema))
    s.add_span(make_span(TEXT, *at("𝒳 Corp"), "ORG", schema))
    s.add_span(make_span(TEXT, *at("5%"), "PERCENT", schema))
    s.add_relation(Relation("source", cue.id, source.id))
    s.add_relation(Relation("content", cue.id, content.id))
    s.add_relation(Relation("refers_to", source.id, person.id))
    s.add_relation(Relation("attributed_to", claim.id, source.id))
    return s


def read_all(path: Path, **extra) -> list[Record | InputError]:
    return list(brat.read(path, ReadOptions(extra=extra)))


def write_pair(folder: Path, text: str, ann: str, stem: str = "doc") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8", newline="")
    path = folder / f"{stem}.ann"
    path.write_text(ann, encoding="utf-8", newline="")
    return path


# ---------------------------------------------------------------- round trip


def as_tuples(s: AnnotationSet, text: str = TEXT) -> tuple:
    return span_tuples(s, text)


def test_round_trip_keeps_spans_relations_and_attributes(tmp_path, schema):
    first = annotated(schema, "alice")
    second = AnnotationSet(schema, "bob", Status.DONE)
    second.add_span(make_span(TEXT, *at("Shares"), "CLAIM", schema))
    items = [
        ExportItem(Document(TEXT, title="Wire", id=7), [first, second]),
        ExportItem(Document("Only 🙂 text here.", id=12), []),
    ]
    out = tmp_path / "out"

    assert brat.write(out, items, schema).documents == 2

    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "000007.ann",
        "000007.txt",
        "000012.ann",
        "000012.txt",
        "annotation.conf",
        "visual.conf",
    ]
    assert (out / "000007.txt").read_text(encoding="utf-8") == TEXT
    assert (out / "000012.ann").read_text(encoding="utf-8") == ""

    records = read_all(out)
    assert all(isinstance(r, Record) for r in records), records
    assert [r.document.text for r in records] == [TEXT, "Only 🙂 text here."]
    assert records[0].location.file == str(out / "000007.ann")
    sets = check_record(records[0], schema, "importer")
    assert len(sets) == 1  # only the first set goes into brat
    assert as_tuples(sets[0]) == as_tuples(first)
    assert check_record(records[1], schema, "importer") == []  # nothing said: stays to do


def test_span_across_a_line_break_is_written_as_fragments(tmp_path, schema):
    out = tmp_path / "out"
    brat.write(out, [ExportItem(Document(TEXT, id=1), [annotated(schema)])], schema)
    lines = (out / "000001.ann").read_text(encoding="utf-8").splitlines()
    start, end = at("Zoë 🙂 said 𝒳 rose,\nthen fell,")
    newline = TEXT.index("\n")
    assert f"T1\tCONTENT {start} {newline};{newline + 1} {end}\tZoë 🙂 said 𝒳 rose, then fell," in (
        lines
    )
    claim = next(line for line in lines if "\tCLAIM " in line)
    tid = claim.split("\t")[0]
    assert f"A1\tcheckworthy {tid} yes" in lines
    assert f"A2\tclaim_type {tid} quantity" in lines
    assert any(line.startswith("R") and "\tsource Arg1:T" in line for line in lines)


def test_fragments_split_at_every_line_break():
    text = "ab\n\ncd\ne"
    assert brat.fragments(text, 0, len(text)) == [(0, 2), (4, 6), (7, 8)]
    assert brat.fragments(text, 1, 2) == [(1, 2)]
    assert brat.fragments("\n\n", 0, 2) == [(0, 2)]


def test_stems_are_unique_without_ids(tmp_path, schema):
    items = [ExportItem(Document(f"text {n}"), []) for n in range(3)]
    items.append(ExportItem(Document("again", id=5), []))
    items.append(ExportItem(Document("same id", id=5), []))
    brat.write(tmp_path, items, schema)
    stems = sorted(p.stem for p in tmp_path.glob("*.txt"))
    assert stems == ["000005", "000005-2", "doc-000001", "doc-000002", "doc-000003"]


# ---------------------------------------------------------------- configuration


def parse_conf(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        else:
            assert current is not None, line
            sections[current].append(line)
    return sections


def test_annotation_conf_lists_the_schema(tmp_path, schema):
    brat.write(tmp_path, [], schema)
    sections = parse_conf((tmp_path / "annotation.conf").read_text(encoding="utf-8"))
    assert list(sections) == ["entities", "relations", "events", "attributes"]
    assert sections["entities"] == [label.name for label in schema.labels()]
    assert "source\tArg1:CUE, Arg2:SOURCE" in sections["relations"]
    assert "refers_to\tArg1:SOURCE, Arg2:PERSON|ORG|GPE|NORP" in sections["relations"]
    assert sections["events"] == []
    attributes = dict(line.split("\t", 1) for line in sections["attributes"])
    assert attributes["checkworthy"] == "Arg:CLAIM, Value:yes|no|unsure"
    assert attributes["type"] == "Arg:CUE, Value:assertion|belief|fact|eventuality"
    for spec in sections["relations"]:
        _name, args = spec.split("\t")
        assert [a.split(":")[0] for a in args.split(", ")][:2] == ["Arg1", "Arg2"], spec


def test_visual_conf_gives_label_colours(tmp_path, schema):
    brat.write(tmp_path, [], schema)
    sections = parse_conf((tmp_path / "visual.conf").read_text(encoding="utf-8"))
    assert {"labels", "drawing"} <= set(sections)
    assert "PERSON\tbgColor:#e57373" in sections["drawing"]
    assert "CLAIM\tbgColor:#d84315" in sections["drawing"]


def test_registered_as_a_folder_format():
    fmt = registry.get("brat")
    assert fmt.folder
    assert fmt.write is brat.write
    assert registry.for_path(Path("x.ann")) is fmt


# ---------------------------------------------------------------- hand-written files

MAYOR = "Mayor Jane Doe said crime in Springfield fell 12% in 2023."

MAYOR_ANN = """\
T1\tPERSON 6 14\tJane Doe
T5\tSOURCE 0 14\tMayor Jane Doe
T6\tCUE 15 19\tsaid
T7\tCONTENT 20 57\tcrime in Springfield fell 12% in 2023
T8\tCLAIM 20 57\tcrime in Springfield fell 12% in 2023
T9\tGPE 29 40\tSpringfield
E1\tCUE:T6 source:T5 content:T7
A1\ttype E1 assertion
A5\tclaim_type T8 quantity
M6\tcheckworthy T8 yes
R1\trefers_to Arg1:T5 Arg2:T1
R2\tattributed_to Arg1:T8 Arg2:T5
N1\tReference T1 Wikidata:Q0000\tJane Doe
#1\tAnnotatorNotes T8\tcheck the city statistics
"""


def test_hand_written_file_imports(tmp_path, schema):
    ann = write_pair(tmp_path, MAYOR + "\n", MAYOR_ANN, "mayor")
    record = only_record(read_all(ann))
    assert record.document.text == MAYOR + "\n"
    assert record.document.title == "mayor"
    (s,) = check_record(record, schema, "importer")
    spans, relations = as_tuples(s, MAYOR + "\n")
    assert (15, 19, "CUE", "said", (("type", "assertion"),)) in spans
    assert (
        20,
        57,
        "CLAIM",
        "crime in Springfield fell 12% in 2023",
        (("checkworthy", "yes"), ("claim_type", "quantity")),
    ) in spans
    assert relations == sorted(
        [
            ("source", (15, 19, "CUE"), (0, 14, "SOURCE")),
            ("content", (15, 19, "CUE"), (20, 57, "CONTENT")),
            ("refers_to", (0, 14, "SOURCE"), (6, 14, "PERSON")),
            ("attributed_to", (20, 57, "CLAIM"), (0, 14, "SOURCE")),
        ]
    )


def test_crlf_text_offsets_are_remapped(tmp_path, schema):
    text = "Title\r\nJane Doe said so."
    ann = write_pair(tmp_path, text, "T1\tPERSON 7 15\tJane Doe\n")
    record = only_record(read_all(ann))
    assert record.document.text == "Title\nJane Doe said so."
    (s,) = check_record(record, schema, "importer")
    assert [(x.start, x.end, x.text) for x in s.spans.values()] == [(6, 14, "Jane Doe")]


def test_discontinuous_content_becomes_linked_pieces(tmp_path, schema):
    text = '"Prices will rise," she said, "and soon."'
    first, second = offsets(text, "Prices will rise,"), offsets(text, "and soon.")
    covered = f"{text[slice(*first)]} {text[slice(*second)]}"
    ann = write_pair(
        tmp_path,
        text,
        f"T1\tCONTENT {first[0]} {first[1]};{second[0]} {second[1]}\t{covered}\n"
        f"T2\tCUE {text.index('said')} {text.index('said') + 4}\tsaid\n"
        "R1\tcontent Arg1:T2 Arg2:T1\n",
    )
    (s,) = check_record(only_record(read_all(ann)), schema, "importer")
    spans, relations = as_tuples(s, text)
    assert [x[:3] for x in spans if x[2] == "CONTENT"] == [
        (*first, "CONTENT"),
        (*second, "CONTENT"),
    ]
    assert ("continues", (*first, "CONTENT"), (*second, "CONTENT")) in relations
    assert (
        "content",
        (text.index("said"), text.index("said") + 4, "CUE"),
        (*first, "CONTENT"),
    ) in (relations)

    (covering,) = check_record(only_record(read_all(ann, brat_discontinuous="cover")), schema, "i")
    assert sorted((x.start, x.end) for x in covering.spans.values() if x.label == "CONTENT") == [
        (first[0], second[1])
    ]


def test_discontinuous_span_the_schema_cannot_link_is_reported(tmp_path, schema):
    text = "Jane and Doe"
    ann = write_pair(tmp_path, text, "T1\tPERSON 0 4;9 12\tJane Doe\n")
    record = only_record(read_all(ann))
    with pytest.raises(InputError, match="continues"):
        check_record(record, schema, "importer")


def test_folder_of_files_reads_each_pair(tmp_path):
    write_pair(tmp_path, "First text.", "T1\tORG 0 5\tFirst\n", "a")
    write_pair(tmp_path / "sub", "Second text.", "", "b")
    records = read_all(tmp_path)
    assert [r.document.text for r in records] == ["First text.", "Second text."]


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("ann", "line", "reason"),
    [
        ("T1\tPERSON 0 4\tJane\nT2\tPERSON six 8\tDoe\n", 2, "bad offsets"),
        ("T1\tPERSON 0 4\tJane\n\nT2\tPERSON 5 99\tDoe\n", 3, "outside the text"),
        ("T1\tPERSON 0 4\tJohn\n", 1, "says its text is 'John' but the text there is 'Jane'"),
        ("T1\tPERSON 0 4\tJane\nR1\trefers_to Arg1:T1 Arg2:T7\n", 2, "T7 is not the id"),
        ("T1\tPERSON 0 4\tJane\nA1\tcheckworthy T9 yes\n", 2, "T9, which is not a T or R"),
        ("T1\tPERSON 0 4\tJane\nT1\tPERSON 5 8\tDoe\n", 2, "used twice"),
        ("*\tEquiv T1\n", 1, "an equivalence needs"),
        ("T1\tPERSON 0 4;2 6\tJane ne D\n", 1, "overlap"),
        ("R1\tsource T1\n", 1, "an R line needs"),
    ],
)
def test_bad_line_names_file_line_and_reason(tmp_path, ann, line, reason):
    path = write_pair(tmp_path, "Jane Doe spoke.", ann)
    error = only_error(read_all(path))
    assert error.location.file == str(path)
    assert error.location.line == line
    assert reason in error.reason
    assert str(error).startswith(f"{path}:{line}: ")


def test_bad_document_is_skipped_and_others_read(tmp_path):
    write_pair(tmp_path, "Good text.", "T1\tORG 0 4\tGood\n", "a")
    write_pair(tmp_path, "Bad text.", "T1\tORG 0 4\tGood\n", "b")
    items = read_all(tmp_path)
    assert isinstance(items[0], Record)
    assert isinstance(items[1], InputError)
    assert items[1].location.file == str(tmp_path / "b.ann")


def test_missing_text_file_is_reported(tmp_path):
    path = tmp_path / "lonely.ann"
    path.write_text("T1\tORG 0 4\tGood\n", encoding="utf-8")
    error = only_error(read_all(path))
    assert error.location.file == str(path)
    assert "lonely.txt" in error.reason
