"""The spaCy DocBin format: exact round trips, what spaCy sees, bad files, and `spacy train`."""

from __future__ import annotations

import json
import logging
import pickle
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import spacy
import srsly
from spacy.tokens import DocBin

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.domain.errors import InputError
from labeler.domain.schema_toml import load_schema_file
from labeler.formats import jsonl, registry, spacy_docbin
from labeler.formats.records import ExportItem, ReadOptions, Record
from labeler.services.importing import check_record
from tests.formats.test_jsonl_lines import rich_sets
from tests.support import offsets as _at

REPO = Path(__file__).resolve().parents[2]
# What the writer's DocBin stores per token (the attributes a blank pipeline's Doc has set).
ATTRS = ["ORTH", "NORM", "ENT_IOB", "ENT_TYPE", "SENT_START"]
SCHEMA, _ = load_schema_file(REPO / "resources" / "schemas" / "news.toml")

# Non-BMP characters before the spans: code-point offsets differ from UTF-16 ones here.
TEXT = "Zoë 🙂 met 𝒳 Corp in Paris. Mayor Jane Doe said crime fell 12% in 2023."


def _set(text: str, spans, relations=(), annotator="ann", status=Status.DONE) -> AnnotationSet:
    """spans: (piece, label, attributes) or ((start, end), label, attributes)."""
    s = AnnotationSet(SCHEMA, annotator, status)
    added = []
    for where, label, attrs in spans:
        start, end = _at(text, where) if isinstance(where, str) else where
        added.append(s.add_span(make_span(text, start, end, label, SCHEMA, attrs)))
    for kind, head, tail in relations:
        s.add_relation(Relation(kind, added[head].id, added[tail].id))
    return s


def _news_item() -> ExportItem:
    spans = [
        ("Zoë", "PERSON", {}),
        ("𝒳 Corp", "ORG", {}),
        ("Paris", "GPE", {}),
        ("Mayor Jane Doe", "SOURCE", {}),
        ("Jane Doe", "PERSON", {}),
        ("said", "CUE", {"type": "assertion", "factuality": "factual"}),
        ("crime fell 12% in 2023", "CONTENT", {}),
        ("crime fell 12% in 2023", "CLAIM", {"claim_type": "quantity"}),
        ("12%", "PERCENT", {}),
        ("2023", "DATE", {}),
    ]
    relations = [("source", 5, 3), ("content", 5, 6), ("refers_to", 3, 4)]
    document = Document(TEXT, "Crime falls", date(2024, 3, 14), {"lang": "en", "outlet": "X"})
    return ExportItem(document, [_set(TEXT, spans, relations)])


def _records(path: Path) -> list[Record | InputError]:
    return list(spacy_docbin.read(path, ReadOptions()))


def _spans(s: AnnotationSet) -> list[tuple]:
    return [(x.start, x.end, x.layer, x.label, x.text, x.attributes) for x in s.sorted_spans()]


def _relations(s: AnnotationSet) -> set[tuple]:
    return {
        (r.type, s.spans[r.head].text, s.spans[r.tail].text, tuple(r.attributes.items()))
        for r in s.relations.values()
    }


def test_registered_by_name_and_extension():
    fmt = registry.get("spacy")
    assert fmt.extensions == (".spacy",)
    assert registry.for_path(Path("train.spacy")) is fmt


def test_round_trip_restores_everything_exactly(tmp_path):
    item = _news_item()
    other = ExportItem(Document("Nothing to see here."), [])  # a document without a set
    path = tmp_path / "out.spacy"
    report = spacy_docbin.write(path, [item, other], SCHEMA)
    assert (report.documents, report.notes) == (2, {})

    first, second = _records(path)
    assert first.location.file == str(path)
    assert (first.location.line, second.location.line) == (1, 2)
    assert first.document == item.document
    assert second.document == other.document and second.sets == []
    [back] = check_record(first, SCHEMA, "someone else")
    [original] = item.sets
    assert (back.annotator, back.status) == ("ann", Status.DONE)
    assert _spans(back) == _spans(original)
    assert _relations(back) == _relations(original)


def test_spacy_reads_ents_span_groups_and_user_data(tmp_path):
    path = tmp_path / "out.spacy"
    spacy_docbin.write(path, [_news_item()], SCHEMA)
    nlp = spacy.blank("en")
    [doc] = DocBin().from_disk(path).get_docs(nlp.vocab)
    assert doc.text == TEXT
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Zoë", "PERSON"),
        ("𝒳 Corp", "ORG"),
        ("Paris", "GPE"),
        ("Jane Doe", "PERSON"),
        ("12%", "PERCENT"),
        ("2023", "DATE"),
    ]
    assert set(doc.spans) == {"entity", "claim", "attribution", "sc"}
    every = [*doc.spans["entity"], *doc.spans["claim"], *doc.spans["attribution"]]
    assert list(doc.spans["sc"]) == every  # spancat's default key holds every layer
    assert [(s.text, s.label_) for s in doc.spans["attribution"]] == [
        ("Mayor Jane Doe", "SOURCE"),
        ("said", "CUE"),
        ("crime fell 12% in 2023", "CONTENT"),
    ]
    assert [s.label_ for s in doc.spans["claim"]] == ["CLAIM"]
    data = doc.user_data["labeler"]
    assert data["title"] == "Crime falls" and data["date"] == "2024-03-14"
    assert data["unaligned"] == 0
    assert len(data["spans"]) == 10 and len(data["relations"]) == 3


def test_misaligned_span_is_grown_in_spacy_and_exact_in_user_data(tmp_path):
    text = "Mayor Jane Doe spoke."
    item = ExportItem(
        Document(text), [_set(text, [("Jan", "PERSON", {}), ("Mayor J", "SOURCE", {})])]
    )
    path = tmp_path / "out.spacy"
    notes = spacy_docbin.write(path, [item], SCHEMA).notes
    assert notes["entity spans moved to token boundaries in doc.spans/doc.ents"] == 1
    assert notes["attribution spans moved to token boundaries in doc.spans/doc.ents"] == 1

    [doc] = DocBin().from_disk(path).get_docs(spacy.blank("en").vocab)
    assert [e.text for e in doc.ents] == ["Jane"]
    assert [s.text for s in doc.spans["attribution"]] == ["Mayor Jane"]
    [record] = _records(path)
    [back] = check_record(record, SCHEMA, "x")
    assert [s.text for s in back.sorted_spans()] == ["Mayor J", "Jan"]


def test_overlap_after_growing_and_spans_on_no_token_are_counted(tmp_path):
    text = "GreenCorp bought it.  Then  more."
    gap = _at(text, "  ", 1)  # white space only: no token to hold it
    spans = [((0, 5), "ORG", {}), ((5, 9), "ORG", {}), (gap, "CLAIM", {})]
    item = ExportItem(Document(text), [_set(text, spans)])
    path = tmp_path / "out.spacy"
    notes = spacy_docbin.write(path, [item], SCHEMA).notes
    assert notes["entities overlapping another once on token boundaries, left out of doc.ents"] == 1
    assert notes["claim spans covering no token (kept in user_data only)"] == 1

    [doc] = DocBin().from_disk(path).get_docs(spacy.blank("en").vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [("GreenCorp", "ORG")]
    assert len(doc.spans["entity"]) == 2  # span groups may overlap
    assert len(doc.spans["claim"]) == 0
    assert doc.user_data["labeler"]["unaligned"] == 2
    [record] = _records(path)
    assert [(s.start, s.end) for s in record.sets[0].spans] == [(0, 5), (5, 9), gap]


def test_only_the_first_set_is_exported(tmp_path):
    text = "Jane Doe spoke."
    sets = [_set(text, [("Jane Doe", "PERSON", {})], annotator=a) for a in ("a", "b")]
    path = tmp_path / "out.spacy"
    report = spacy_docbin.write(path, [ExportItem(Document(text), sets)], SCHEMA)
    assert report.notes == {"annotation sets after the first not exported": 1}
    [record] = _records(path)
    assert [s.annotator for s in record.sets] == ["a"]


def test_unknown_language_falls_back_to_multilingual_rules(tmp_path, caplog):
    text = "Jane Doe spoke."
    item = ExportItem(Document(text, meta={"lang": "zz"}), [_set(text, [("Jane", "PERSON", {})])])
    with caplog.at_level(logging.WARNING, logger="labeler.formats.spacy_docbin"):
        assert spacy_docbin.write(tmp_path / "out.spacy", [item], SCHEMA).documents == 1
    assert "'zz'" in caplog.text


def test_docbin_made_elsewhere_gives_ents_and_span_groups(tmp_path):
    nlp = spacy.blank("en")
    doc = nlp("Mayor Jane Doe said so.\r\nIn 𝒳 Corp.")
    doc.ents = [doc.char_span(6, 14, "PERSON")]
    doc.spans["sc"] = [doc.char_span(0, 14, "SOURCE"), doc.char_span(6, 14, "PERSON")]
    path = tmp_path / "theirs.spacy"
    DocBin(docs=[doc]).to_disk(path)
    [record] = _records(path)
    assert record.document.text == "Mayor Jane Doe said so.\nIn 𝒳 Corp."
    assert [(s.start, s.end, s.label) for s in record.sets[0].spans] == [
        (6, 14, "PERSON"),
        (0, 14, "SOURCE"),
    ]


def test_a_file_that_is_not_a_docbin(tmp_path):
    path = tmp_path / "notes.spacy"
    path.write_text("just some text\n", encoding="utf-8")
    [error] = _records(path)
    assert isinstance(error, InputError)
    assert error.location.file == str(path) and error.location.line is None
    assert error.reason.startswith("not a spaCy DocBin file: ")


def test_bad_user_data_names_the_document(tmp_path):
    nlp = spacy.blank("en")
    good, bad = nlp("Jane spoke."), nlp("Jane spoke again.")
    good.user_data["labeler"] = {"spans": [{"start": 0, "end": 4, "label": "PERSON"}]}
    bad.user_data["labeler"] = {"spans": [{"start": 0, "end": 99, "label": "PERSON"}]}
    path = tmp_path / "bad.spacy"
    DocBin(store_user_data=True, docs=[good, bad]).to_disk(path)
    record, error = _records(path)
    assert isinstance(record, Record) and record.sets[0].spans[0].end == 4
    assert isinstance(error, InputError)
    assert (error.location.file, error.location.line) == (str(path), 2)
    assert "lies outside the text" in error.reason


def test_empty_docbin(tmp_path):
    path = tmp_path / "empty.spacy"
    DocBin().to_disk(path)
    [error] = _records(path)
    assert error.reason == "the file holds no documents"


def _corpus(n: int) -> list[ExportItem]:
    people = ["Jane Doe", "Ann Lee", "Zoë Quist", "Bo Chan", "Li Wei"]
    places = ["Paris", "Lagos", "Lima", "Oslo", "Hanoi"]
    items = []
    for i in range(n):
        person, place = people[i % 5], places[(i * 2) % 5]
        text = f"{person} 🙂 visited {place} on Monday. The mayor said {person} was welcome."
        spans = [(person, "PERSON", {}), (place, "GPE", {}), ("Monday", "DATE", {})]
        spans.append((_at(text, person, 1), "PERSON", {}))
        items.append(ExportItem(Document(text), [_set(text, spans)]))
    return items


def test_spacy_train_runs_on_the_export(tmp_path):
    """A few training steps of a blank English NER and spancat pipeline on the export."""
    spacy_docbin.write(tmp_path / "train.spacy", _corpus(12), SCHEMA)
    spacy_docbin.write(tmp_path / "dev.spacy", _corpus(4), SCHEMA)
    run = [sys.executable, "-m", "spacy"]
    subprocess.run(
        [*run, "init", "config", "cfg.cfg", "--lang", "en", "--pipeline", "ner,spancat"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=60,
    )
    paths = ["--paths.train", "train.spacy", "--paths.dev", "dev.spacy", "--output", "out"]
    steps = ["--training.max_steps", "5", "--training.eval_frequency", "5"]
    done = subprocess.run(
        [*run, "train", "cfg.cfg", *paths, *steps],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "out" / "model-last").is_dir()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_each_language_gets_its_own_tokenizer(tmp_path, lang):
    text = "Jane Doe spoke."
    item = ExportItem(Document(text, meta={"lang": lang}), [_set(text, [("Jane", "PERSON", {})])])
    path = tmp_path / "out.spacy"
    spacy_docbin.write(path, [item], SCHEMA)
    [doc] = DocBin().from_disk(path).get_docs(spacy.blank(lang).vocab)
    assert doc.user_data["labeler"]["meta"]["lang"] == lang
    assert spacy_docbin.blank_pipeline(lang).lang == lang


def test_the_file_is_what_docbin_add_makes_of_the_docs_spacy_reads(tmp_path):
    """The writer makes each Doc's share of the DocBin from its token array (entities, span
    groups and strings without spaCy Spans): spaCy's own DocBin.add of the Docs it reads back
    (ents, span groups, cats, user data), in a DocBin of the writer's attributes, must give
    the same bytes, and ents and groups must be the ones the spans give."""
    text = "GreenCorp bought it.  Then  more.\n\nZoë met Jane Doe."
    gap = _at(text, "  ", 1)
    spans = [
        ((0, 5), "ORG", {}),
        ((5, 9), "ORG", {}),
        (gap, "CLAIM", {}),
        ("Jane Doe", "PERSON", {}),
        ("Zoë met", "CLAIM", {"claim_type": "quantity"}),
        ("bought", "CUE", {}),
    ]
    bare = Document("No spans at all, just words.")
    items = [
        _news_item(),
        ExportItem(Document(text), [_set(text, spans)]),
        ExportItem(bare, []),
        ExportItem(Document("  "), [_set("  ", [])]),
    ]
    path = tmp_path / "out.spacy"
    spacy_docbin.write(path, items, SCHEMA)
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
    again = DocBin(attrs=ATTRS, store_user_data=True)
    for doc in docs:
        again.add(doc)
    assert again.to_bytes() == path.read_bytes()
    doc = docs[1]
    assert [(e.text, e.label_) for e in doc.ents] == [("GreenCorp", "ORG"), ("Jane Doe", "PERSON")]
    assert [t.ent_iob_ for t in doc[:3]] == ["B", "O", "O"]
    assert [(s.text, s.label_) for s in doc.spans["claim"]] == [("Zoë met", "CLAIM")]
    # every layer's spans, layer by layer in the schema's order
    sc = [s.text for s in doc.spans["sc"]]
    assert sc == ["GreenCorp", "GreenCorp", "Jane Doe", "Zoë met", "bought"]
    assert (doc.spans["sc"][2].start_char, doc.spans["sc"][2].end_char) == _at(text, "Jane Doe")


def test_user_data_sets_are_the_native_format_s(schema):
    """The set in each document's user data is made directly, not written as JSON and read back:
    the same content, in the same order (msgpack keeps it), for sets with notes, attributes,
    relations and document labels, and for a curated set (its sources and curator)."""
    labelled = 0
    for s in rich_sets(schema):
        keys = ("annotator", "status", "spans", "relations", "document_labels")
        every = jsonl.set_to_json(s)
        native = [(k, every[k]) for k in keys if k in every]
        ours = spacy_docbin._native(s, s.sorted_spans())
        ours = [(k, ours[k]) for k in keys if k in ours]
        assert srsly.msgpack_dumps(ours) == srsly.msgpack_dumps(native)
        assert json.dumps(ours) == json.dumps(native)
        labelled += any(k == "document_labels" for k, _ in ours)
    assert labelled


def test_documents_of_several_languages_share_one_file_and_its_strings(tmp_path):
    """Each language's tokens are hashed in its own vocabulary: the file keeps the strings of
    all of them, so that a reader with an empty vocabulary gets every document's words back,
    and spaCy's DocBin.add of those documents makes the same file."""
    texts = {"en": "Don't worry, Jane Doe spoke.", "de": "Zum Beispiel z.B. die Straße."}
    items = [
        ExportItem(Document(text, meta={"lang": lang}), [_set(text, [((0, 3), "PERSON", {})])])
        for lang, text in texts.items()
    ]
    path = tmp_path / "out.spacy"
    spacy_docbin.write(path, items, SCHEMA)
    docs = list(DocBin().from_disk(path).get_docs(spacy.vocab.Vocab()))
    assert [d.text for d in docs] == list(texts.values())
    assert [t.norm_ for t in docs[0]][:3] == ["do", "not", "worry"]
    assert [t.text for t in docs[1]][2] == "z.B."
    again = DocBin(attrs=ATTRS, store_user_data=True)
    for doc in docs:
        again.add(doc)
    assert again.to_bytes() == path.read_bytes()


FORKED_EXPORT = """
import pickle, sys
from pathlib import Path
from labeler.formats import forked, parallel, spacy_docbin

parallel.FORK, parallel.EARLY, parallel.BATCH, parallel.PROCESSES = True, True, 2, 2
parallel.spare_cores = lambda: 2.0  # as on an idle machine
seen = {}
early = forked.per_document

def watched(*args, **kwargs):
    seen["at the fork"] = parallel.threads(), "numpy" in sys.modules, "spacy" in sys.modules
    loaded = seen["spaCy loaded as each comes back"] = []
    for result in early(*args, **kwargs):
        loaded.append("spacy" in sys.modules)
        yield result

forked.per_document = watched
items, schema = pickle.loads(Path(sys.argv[1]).read_bytes())
spacy_docbin.write_docbin(Path(sys.argv[2]), items, schema)
print(seen)
"""


def test_a_command_line_export_forks_its_workers_before_loading_spacy(tmp_path):
    """In a command-line process, spaCy and numpy (whose threads would forbid forking) are not
    loaded before the workers fork; the process loads them while the workers tokenise, and the
    file is the one a single process writes."""
    items = [_news_item(), ExportItem(Document("Only text, no spans."), [])] * 4
    (tmp_path / "items").write_bytes(pickle.dumps((items, SCHEMA)))
    done = subprocess.run(
        [sys.executable, "-c", FORKED_EXPORT, tmp_path / "items", tmp_path / "forked.spacy"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    loaded = [False] + [True] * (len(items) - 1)  # from the first one's return
    assert done.stdout.strip() == str(
        {"at the fork": (1, False, False), "spaCy loaded as each comes back": loaded}
    )
    spacy_docbin.write_docbin(tmp_path / "alone.spacy", items, SCHEMA)
    assert (tmp_path / "forked.spacy").read_bytes() == (tmp_path / "alone.spacy").read_bytes()
