"""docbin_file: a DocBin written piece by piece, its tokens compressed on a thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin, Span

from labeler.formats import docbin_file
from labeler.formats.docbin_file import DocBinFile
from labeler.formats.docbin_parts import (
    DocPart,
    LocalStrings,
    TokenTable,
    docbin_attrs,
    token_strings,
)

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


@pytest.mark.parametrize("piece", [1, 1 << 20])
def test_the_file_is_what_docbin_to_disk_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    monkeypatch.setattr(docbin_file, "PIECE", piece)  # 1: every document's tokens alone
    monkeypatch.setattr(docbin_file, "FIRST_PIECE", 1)
    monkeypatch.setattr(docbin_file, "WRITE_AFTER", piece)  # 1: each piece written at once
    docs = _docs()
    theirs = DocBin(store_user_data=True)
    for doc in docs:
        theirs.add(doc)
    parts = [DocPart.of(doc, docbin_attrs()) for doc in docs]
    path = tmp_path / "out.spacy"
    with DocBinFile(path, DocBin(store_user_data=True), sum(len(d) for d in docs)) as out:
        for part in parts:
            out.add(part)
    assert path.read_bytes() == theirs.to_bytes()
    with DocBinFile(path, DocBin(store_user_data=True), 0):
        pass  # no documents
    assert path.read_bytes() == DocBin(store_user_data=True).to_bytes()


def test_a_failed_write_is_raised_in_the_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docbin_file, "PIECE", 1)
    monkeypatch.setattr(docbin_file, "WRITE_AFTER", 1)
    docs = _docs()
    part = DocPart.of(docs[0], docbin_attrs())

    def write() -> None:
        with DocBinFile(
            Path("/dev/full"), DocBin(store_user_data=True), 2000 * len(part.tokens)
        ) as out:
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
    attrs = docbin_attrs()
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
