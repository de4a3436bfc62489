"""The CoNLL/IOB2 format: the file written, what cannot be held, reading back, and seqeval."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from seqeval.metrics import classification_report, f1_score
from seqeval.scheme import IOB2, Entities

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.domain.errors import InputError, RuleError
from labeler.domain.schema_toml import load_schema_file
from labeler.formats import conll, registry
from labeler.formats.records import ExportItem, ReadOptions, Record, WriteReport
from labeler.services.importing import check_record
from tests.support import offsets as _at

REPO = Path(__file__).resolve().parents[2]
SCHEMA, _ = load_schema_file(REPO / "resources" / "schemas" / "news.toml")

TEXT = "Zoë 🙂 met 𝒳 Corp in New York.\n\nMayor Jane Doe said crime fell 12% in 2023."


def _set(text: str, spans, relations=(), annotator="ann") -> AnnotationSet:
    """spans: (piece, label) or ((start, end), label)."""
    s = AnnotationSet(SCHEMA, annotator, Status.DONE)
    added = []
    for where, label in spans:
        start, end = _at(text, where) if isinstance(where, str) else where
        added.append(s.add_span(make_span(text, start, end, label, SCHEMA)))
    for kind, head, tail in relations:
        s.add_relation(Relation(kind, added[head].id, added[tail].id))
    return s


def _news_item() -> ExportItem:
    spans = [
        ("Zoë", "PERSON"),
        ("𝒳 Corp", "ORG"),
        ("New York", "GPE"),
        ("Mayor Jane Doe", "SOURCE"),
        ("Jane Doe", "PERSON"),
        ("said", "CUE"),
        ("12%", "PERCENT"),
        ("2023", "DATE"),
    ]
    return ExportItem(Document(TEXT, meta={"lang": "en"}), [_set(TEXT, spans, [("source", 5, 3)])])


_reports: list[WriteReport] = []


def last_report() -> WriteReport:
    """The report of the latest _write in this test."""
    return _reports[-1]


def _write(tmp_path: Path, items, **kwargs) -> Path:
    path = tmp_path / "out.conll"
    if kwargs:
        _reports.append(conll.write_conll(path, items, SCHEMA, **kwargs))
    else:
        _reports.append(conll.write(path, items, SCHEMA))
    return path


def _read(path: Path) -> list[Record | InputError]:
    return list(conll.read(path, ReadOptions()))


def _tags(path: Path) -> list[list[str]]:
    """The tag column, one list a sentence, document headers left out."""
    sentences: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            continue
        if not line:
            if sentences[-1]:
                sentences.append([])
            continue
        sentences[-1].append(line.split()[-1])
    return [s for s in sentences if s]


def test_registered_by_name_and_extensions():
    fmt = registry.get("conll")
    assert registry.for_path(Path("a.conll")) is fmt
    assert registry.for_path(Path("a.iob")) is fmt


def test_writes_docstart_sentences_and_iob2_tags(tmp_path):
    path = _write(tmp_path, [_news_item()])
    assert path.read_text(encoding="utf-8") == (
        "-DOCSTART- -X- O O\n\n"
        "Zoë B-PERSON\n🙂 O\nmet O\n𝒳 B-ORG\nCorp I-ORG\nin O\nNew B-GPE\nYork I-GPE\n. O\n\n"
        "Mayor O\nJane B-PERSON\nDoe I-PERSON\nsaid O\ncrime O\nfell O\n"
        "12 B-PERCENT\n% I-PERCENT\nin O\n2023 B-DATE\n. O\n\n"
    )
    report = last_report()
    assert report.documents == 1
    assert report.notes == {
        "relations not exported": 1,
        "spans of layers other than 'entity' not exported": 2,
    }


def test_round_trip_keeps_tokens_and_entities(tmp_path):
    path = _write(tmp_path, [_news_item(), ExportItem(Document("Nothing here."), [])])
    first, second = _read(path)
    assert (first.location.line, second.location.line) == (1, 25)
    text = first.document.text
    assert text == (
        "Zoë 🙂 met 𝒳 Corp in New York .\nMayor Jane Doe said crime fell 12 % in 2023 ."
    )
    [back] = check_record(first, SCHEMA, "importer")
    assert [(s.label, s.text) for s in back.sorted_spans()] == [
        ("PERSON", "Zoë"),
        ("ORG", "𝒳 Corp"),
        ("GPE", "New York"),
        ("PERSON", "Jane Doe"),
        ("PERCENT", "12 %"),
        ("DATE", "2023"),
    ]
    assert second.document.text == "Nothing here ." and second.sets[0].spans == []


def test_misaligned_spans_are_moved_to_token_boundaries(tmp_path):
    text = "Mayor Jane Doe spoke to Acme Corp today."
    item = ExportItem(Document(text), [_set(text, [("Jan", "PERSON"), ("me Corp", "ORG")])])
    path = _write(tmp_path, [item])
    assert last_report().notes == {"entity spans moved to token boundaries": 2}
    assert _tags(path) == [["O", "B-PERSON", "O", "O", "O", "B-ORG", "I-ORG", "O", "O"]]


def test_overlap_and_spans_on_no_token_are_counted(tmp_path):
    text = "GreenCorp bought it.  Then  more."
    spans = [((0, 5), "ORG"), ((5, 9), "ORG"), ((21, 22), "DATE")]
    item = ExportItem(Document(text), [_set(text, spans)])
    path = _write(tmp_path, [item])
    assert last_report().notes == {
        "entity spans moved to token boundaries": 2,
        "entity spans overlapping another (once on token boundaries), left out": 1,
        "entity spans covering no token, left out": 1,
    }
    assert _tags(path) == [["B-ORG", "O", "O", "O"], ["O", "O", "O"]]


def test_another_layer_may_be_written_and_its_overlaps_are_counted(tmp_path):
    text = "Mayor Jane Doe said the city is safe."
    spans = [("Mayor Jane Doe", "SOURCE"), ("Jane Doe", "SOURCE"), ("said", "CUE")]
    report = WriteReport()
    item = ExportItem(Document(text), [_set(text, spans)])
    path = _write(tmp_path, [item], layer="attribution", report=report)
    assert report.notes == {
        "attribution spans overlapping another (once on token boundaries), left out": 1
    }
    assert _tags(path)[0][:4] == ["B-SOURCE", "I-SOURCE", "I-SOURCE", "B-CUE"]
    with pytest.raises(RuleError, match="'nope'"):
        conll.write_conll(tmp_path / "x.conll", [], SCHEMA, layer="nope")


def test_a_sentence_never_ends_inside_an_entity(tmp_path):
    text = "Shares of Yahoo! Inc. rose. Then they fell."
    item = ExportItem(Document(text), [_set(text, [("Yahoo! Inc.", "ORG")])])
    path = _write(tmp_path, [item])
    tags = _tags(path)
    assert tags[0] == ["O", "O", "B-ORG", "I-ORG", "I-ORG", "O", "O"]
    assert len(tags) == 2


def test_only_the_first_set_is_exported(tmp_path):
    text = "Jane Doe spoke."
    sets = [_set(text, [("Jane Doe", "PERSON")], annotator=a) for a in ("a", "b")]
    path = _write(tmp_path, [ExportItem(Document(text), sets)])
    assert last_report().notes == {"annotation sets after the first not exported": 1}
    assert _tags(path) == [["B-PERSON", "I-PERSON", "O", "O"]]


def test_seqeval_reads_the_tags_as_strict_iob2(tmp_path):
    path = _write(tmp_path, [_news_item(), _news_item()])
    tags = _tags(path)
    assert f1_score(tags, tags, mode="strict", scheme=IOB2) == 1.0
    # Strict IOB2 drops chunks with invalid tags: all twelve (six a copy) must survive.
    assert sum(len(found) for found in Entities(tags, IOB2).entities) == 12
    report = classification_report(tags, tags, mode="strict", scheme=IOB2, output_dict=True)
    assert report["PERSON"]["support"] == 4 and report["ORG"]["support"] == 2


def test_reads_four_column_iob1_files(tmp_path):
    path = tmp_path / "eng.train"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\n"
        "EU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\ncall NN I-NP O\n\n"
        "Peter NNP B-NP I-PER\nBlackburn NNP I-NP I-PER\n\n"
        "-DOCSTART- -X- -X- O\n\n"
        "Hapoel NNP B-NP I-ORG\nHaifa NNP I-NP I-ORG\nMaccabi NNP B-NP B-ORG\nTel NNP I-NP I-ORG\n",
        encoding="utf-8",
    )
    first, second = _read(path)
    assert first.document.text == "EU rejects German call\nPeter Blackburn"
    assert (first.location.line, second.location.line) == (1, 11)
    text = first.document.text
    assert [(s.label, text[s.start : s.end]) for s in first.sets[0].spans] == [
        ("ORG", "EU"),
        ("MISC", "German"),
        ("PER", "Peter Blackburn"),
    ]
    text = second.document.text
    assert [(s.label, text[s.start : s.end]) for s in second.sets[0].spans] == [
        ("ORG", "Hapoel Haifa"),
        ("ORG", "Maccabi Tel"),
    ]


def test_reads_non_bmp_tokens_with_code_point_offsets(tmp_path):
    path = tmp_path / "x.iob"
    path.write_text("𝒳\tB-ORG\nCorp\tI-ORG\n🙂\tO\nZoë\tB-PERSON\n", encoding="utf-8")
    [record] = _read(path)
    text = record.document.text
    assert text == "𝒳 Corp 🙂 Zoë"
    assert [(s.start, s.end, s.label) for s in record.sets[0].spans] == [
        (0, 6, "ORG"),
        (9, 12, "PERSON"),
    ]


def test_a_malformed_line_skips_its_document_only(tmp_path):
    path = tmp_path / "bad.conll"
    path.write_text(
        "-DOCSTART- -X- O O\n\nJane B-PER\nsaid O\n\n"
        "-DOCSTART- -X- O O\n\nJohn X-PER\nsaid Q\nlonely\n\n"
        "-DOCSTART- -X- O O\n\nlonely\n\n"
        "-DOCSTART- -X- O O\n\nAnn B-PER\n",
        encoding="utf-8",
    )
    good, bad_tag, bad_columns, last = _read(path)
    assert isinstance(good, Record) and isinstance(last, Record)
    assert last.document.text == "Ann"
    assert isinstance(bad_tag, InputError)
    assert (bad_tag.location.file, bad_tag.location.line) == (str(path), 8)
    assert bad_tag.reason == "tag 'X-PER' is not O, B-TYPE or I-TYPE (IOB1 or IOB2)"
    assert isinstance(bad_columns, InputError) and bad_columns.location.line == 14
    assert "expected a token and its tag" in bad_columns.reason


def test_bad_bytes_and_empty_files(tmp_path):
    path = tmp_path / "bytes.conll"
    path.write_bytes(b"Jane B-PER\n\xff O\n")
    [error] = _read(path)
    assert error.location.line == 2 and "invalid UTF-8" in error.reason
    empty = tmp_path / "empty.conll"
    empty.write_text("-DOCSTART- -X- O O\n\n", encoding="utf-8")
    [error] = _read(empty)
    assert error.reason == "the file holds no tokens"


def _spacy_lines(text: str, spans: list[tuple[int, int, str]]) -> str:
    """A document's block as spaCy's own objects give it: nlp(text) with the sentencizer, each
    entity grown by Doc.char_span, every Token visited (what the writer did before it read
    tokens in bulk and found sentence starts itself)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(text)
    found = []
    for start, end, label in spans:
        first, last = start, end
        while first < last and text[first].isspace():
            first += 1
        while last > first and text[last - 1].isspace():
            last -= 1
        span = doc.char_span(first, last, label, alignment_mode="expand") if first < last else None
        if span is not None and len(span):
            found.append(span)
    tags = ["O"] * len(doc)
    reach = 0
    for span in sorted(found, key=lambda s: (s.start, -len(s))):
        if span.start >= reach:
            tags[span.start : span.end] = [f"B-{span.label_}"] + [f"I-{span.label_}"] * (
                len(span) - 1
            )
            reach = span.end
    sentences: list[list[str]] = []
    current: list[str] = []
    for token in doc:
        if token.is_sent_start and current and not tags[token.i].startswith("I-"):
            sentences.append(current)
            current = []
        if not token.text.isspace():
            current.append(f"{token.text} {tags[token.i]}\n")
    sentences += [current] if current else []
    return "-DOCSTART- -X- O O\n\n" + "".join("".join(s) + "\n" for s in sentences)


def test_lines_are_those_of_spacys_tokens_and_sentencizer(tmp_path):
    """Sentence ends of every kind, white-space tokens, entities across sentence ends and
    white space, off token boundaries, overlapping: the lines spaCy's objects give."""
    from tests.formats.test_token_arrays import HARD, _varied

    rng = random.Random(11)
    items, expected = [], []
    for text in HARD + _varied(200, seed=3):
        s = AnnotationSet(SCHEMA, "ann", Status.DONE)
        spans = []
        for _ in range(rng.randint(0, 6) if text.strip() else 0):
            start = rng.randrange(len(text))
            end = min(len(text), start + rng.randint(1, 12))
            label = rng.choice(["PERSON", "ORG", "GPE"])
            if text[start:end].strip() and not s.overlapping(
                make_span(text, start, end, label, SCHEMA)
            ):
                s.add_span(make_span(text, start, end, label, SCHEMA))
        for span in s.sorted_spans():
            spans.append((span.start, span.end, span.label))
        items.append(ExportItem(Document(text or " "), [s]))
        expected.append(_spacy_lines(text or " ", spans))
    path = _write(tmp_path, items)
    assert path.read_text(encoding="utf-8") == "".join(expected)


def test_lines_made_from_runs_of_text_are_those_made_token_by_token():
    """_lines copies runs of untagged tokens from the text; _lines_by_token, its fallback,
    makes a string per token: both give the same lines for any tags and sentence ends."""
    from labeler.formats.token_arrays import tokenise_columns
    from tests.formats.test_token_arrays import HARD, _varied

    rng = random.Random(5)
    for text in [t for t in HARD + _varied(150, seed=4) if t]:
        arrays, starts, ends = tokenise_columns(text, "en", sentences=True)
        spaces = arrays.space_tokens()
        assert conll._all_o(arrays, spaces, (starts, ends)) is not None
        for _ in range(4):
            tags: dict[int, str] = {}
            for _ in range(rng.randint(0, 8) if len(arrays) else 0):
                first = rng.randrange(len(arrays))
                tags[first] = "B-X"
                tags.update(dict.fromkeys(range(first + 1, min(len(arrays), first + 3)), "I-X"))
            fast = conll._lines(arrays, tags, (starts, ends))
            assert "".join(fast) == "".join(conll._lines_by_token(arrays, tags, spaces)), text
