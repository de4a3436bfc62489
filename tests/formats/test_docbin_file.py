"""docbin_file: a DocBin written piece by piece, its tokens compressed on a thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin, Span
from spacy.training import Corpus

from labeler.domain.document import Document
from labeler.domain.schema import LabelSchema
from labeler.formats import docbin_file, spacy_docbin
from labeler.formats.docbin_file import DocBinFile
from labeler.formats.docbin_parts import (
    WRITTEN_ATTRS,
    DocPart,
    LocalStrings,
    TokenTable,
    docbin_attrs,
    token_strings,
    writer_docbin,
)
from labeler.formats.records import ExportItem

TEXTS = ["Zoë 🙂 met Jane Doe in Paris.", "", "  Two  spaces.\n\nAnd more text here."]


def _docs() -> list[spacy.tokens.Doc]:
    nlp = spacy.blank("en")
    docs = []
    for text in TEXTS:
        doc = nlp.make_doc(text)
        if len(doc) > 4:
            doc.set_ents([Span(doc, 2, 4, label="PERSON")], default="outside")
            doc.spans["sc"] = [Span(doc, 0, 2, label="X")]
        doc.user_data["labeler"] = {"title": text[:4]}
        docs.append(doc)
    return docs


@pytest.mark.parametrize("attrs", [DocBin().attrs, WRITTEN_ATTRS], ids=["default", "written"])
@pytest.mark.parametrize("piece", [1, 1 << 20])
def test_the_file_is_what_docbin_to_disk_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int, attrs: list[int | str]
) -> None:
    monkeypatch.setattr(docbin_file, "PIECE", piece)  # 1: every document's tokens alone
    monkeypatch.setattr(docbin_file, "FIRST_PIECE", 1)
    monkeypatch.setattr(docbin_file, "WRITE_AFTER", piece)  # 1: each piece written at once
    docs = _docs()
    theirs = DocBin(attrs=attrs, store_user_data=True)
    for doc in docs:
        theirs.add(doc)
    parts = [DocPart.of(doc, list(theirs.attrs)) for doc in docs]
    path = tmp_path / "out.spacy"
    ours = DocBin(attrs=attrs, store_user_data=True)
    with DocBinFile(path, ours, sum(len(d) for d in docs)) as out:
        for part in parts:
            out.add(part)
    assert path.read_bytes() == theirs.to_bytes()
    with DocBinFile(path, DocBin(attrs=attrs, store_user_data=True), 0):
        pass  # no documents
    assert path.read_bytes() == DocBin(attrs=attrs, store_user_data=True).to_bytes()


def test_a_failed_write_is_raised_in_the_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docbin_file, "PIECE", 1)
    monkeypatch.setattr(docbin_file, "WRITE_AFTER", 1)
    docs = _docs()
    part = DocPart.of(docs[0], docbin_attrs())

    def write() -> None:
        with DocBinFile(Path("/dev/full"), writer_docbin(), 2000 * len(part.tokens)) as out:
            for _ in range(2000):  # far more than the thread's queue holds: it must not block
                out.add(part)

    with pytest.raises(OSError, match="No space left"):
        write()
    assert not any(t.name == "docbin-zlib" for t in threading.enumerate())


@pytest.mark.parametrize("lang", ["en", "de", "fr", "xx"])
def test_a_token_table_reads_what_to_array_gives_of_a_tokenised_doc(lang: str) -> None:
    """TokenTable reads only the attributes a tokenizer sets (the others are 0): on texts with
    the tokenizer's special cases (norms), emoji, odd white space and empty text, its tokens are
    the Doc's to_array of every column, and its strings (made in a worker, or gathered for all
    the tables made here) those of the hashes of every string column."""
    texts = [
        "Don't U.S. gonna can't y'all 'cause Dr. Smith's e.g. 10km (ok?) — «quoted» 🙂 end.",
        "Zoë  left.\n\nAgain!\t\u00a0Ok... z.B. usw. d'accord aujourd'hui",
        "",
        "   ",
        "Ends with one space ",
    ]
    nlp = spacy.blank(lang)
    attrs = list(DocBin().attrs)  # every attribute a DocBin stores by default
    local, every_string = LocalStrings(), set()
    for text in texts:
        doc = nlp.make_doc(text)
        table = TokenTable.of(doc, len(text), with_strings=True)
        columns = [*attrs, "SPACY", "IDX", "LENGTH"]
        every = doc.to_array(columns).reshape((len(doc), len(columns)))
        assert table.tokens(attrs).tolist() == every[:, : len(attrs)].tolist(), text
        assert table.spaces.tolist() == every[:, -3:-2].astype(bool).tolist()
        starts, ends = table.offsets()
        assert [text[a:b] for a, b in zip(starts, ends, strict=True)] == [t.text for t in doc]
        assert starts == [t.idx for t in doc]
        strings = token_strings(every[:, : len(attrs)], attrs, nlp.vocab.strings)
        assert table.strings == strings
        every_string |= strings
        here = TokenTable.of(doc, len(text), with_strings=False)
        assert here.strings is None
        local.add(here, nlp.vocab.strings)
    assert local.strings() == every_string


def _written_before_and_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema: LabelSchema
) -> tuple[Path, Path]:
    """The rich items written with a DocBin of spaCy's default attributes, as the writer wrote
    them before, and with the writer's own (`WRITTEN_ATTRS`)."""
    from tests.formats import test_jsonl_lines as lines
    from tests.formats import test_spacy_docbin as ours

    text = "GreenCorp bought it.  Then  more.\n\nZoë met Jane Doe. Don't go!"
    spans = [((0, 5), "ORG", {}), ((5, 9), "ORG", {}), ("Zoë met", "CLAIM", {})]
    items = [
        ours._news_item(),
        ExportItem(Document(text), [ours._set(text, spans)]),
        ExportItem(Document("No spans at all, just words."), []),
        ExportItem(Document("  "), []),
        ExportItem(Document("Zum Beispiel z.B. die Straße.", meta={"lang": "de"}), []),
        *[ExportItem(Document(lines.TEXT), [s]) for s in lines.rich_sets(schema)],
        *ours._corpus(3),
    ]
    after = tmp_path / "after.spacy"
    spacy_docbin.write(after, items, schema)
    with monkeypatch.context() as patch:
        patch.setattr(spacy_docbin, "writer_docbin", lambda: DocBin(store_user_data=True))
        patch.setattr(spacy_docbin, "docbin_attrs", lambda: list(DocBin().attrs))
        before = tmp_path / "before.spacy"
        spacy_docbin.write(before, items, schema)
    return before, after


def _tokens(doc: spacy.tokens.Doc) -> list[tuple[object, ...]]:
    return [(t.text, t.whitespace_, t.is_sent_start, t.norm_, t.ent_iob_, t.ent_type_) for t in doc]


def _serialised(doc: spacy.tokens.Doc) -> dict[str, object]:
    """All that Doc.to_bytes keeps of `doc` (its arrays as lists, its strings sorted)."""
    found = doc.to_dict()
    found["strings"] = sorted(found["strings"])
    return {k: v.tolist() if hasattr(v, "tolist") else v for k, v in found.items()}


def test_spacy_reads_the_same_docs_as_from_a_docbin_of_every_attribute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, schema: LabelSchema
) -> None:
    """The writer's DocBin stores only the attributes its Docs have set: spaCy reads from it
    the Docs it read when the file stored every default attribute (tokens, spaces, sentence
    starts, norms, entities, the unset tags, heads, lemmas..., span groups, categories, user
    data), as `spacy train` reads them too (Corpus, reading DocBin().from_disk)."""
    before, after = _written_before_and_after(tmp_path, monkeypatch, schema)
    read = {p: DocBin().from_disk(p) for p in (before, after)}
    assert len(read[after].attrs) == 5 < len(read[before].attrs) == 13
    assert after.stat().st_size < before.stat().st_size
    docs = {p: list(b.get_docs(spacy.blank("en").vocab)) for p, b in read.items()}
    assert len(docs[after]) == len(docs[before]) == 11
    every = [*DocBin().attrs, "SPACY", "IDX", "LOWER", "SHAPE"]
    for old, new in zip(docs[before], docs[after], strict=True):
        assert _tokens(new) == _tokens(old)
        assert new.to_array(every).tolist() == old.to_array(every).tolist()
        assert [(e.start, e.end, e.label_) for e in new.ents] == [
            (e.start, e.end, e.label_) for e in old.ents
        ]
        groups = {k: [(s.start, s.end, s.label_) for s in g] for k, g in new.spans.items()}
        assert groups == {k: [(s.start, s.end, s.label_) for s in g] for k, g in old.spans.items()}
        assert (new.cats, new.user_data) == (old.cats, old.user_data)
        for attr in ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "SENT_START", "ENT_IOB"):
            assert new.has_annotation(attr) == old.has_annotation(attr), attr
        assert _serialised(new) == _serialised(old)
    assert any(d.ents for d in docs[after]) and any(d.cats for d in docs[after])
    nlp = spacy.blank("en")
    examples = {p: list(Corpus(str(p))(nlp)) for p in (before, after)}
    assert [_serialised(e.reference) for e in examples[after]] == [
        _serialised(e.reference) for e in examples[before]
    ]
