"""The fast XMI writer writes the bytes cassis writes for the same CAS."""

from __future__ import annotations

import random

import pytest
from cassis import load_cas_from_xmi, load_typesystem

from labeler.domain.annotation import AnnotationSet, Relation, Status, make_span
from labeler.domain.document import Document
from labeler.formats import file_sink, xmi, xmi_writer
from labeler.formats.records import ExportItem
from labeler.formats.spacy_docbin import blank_pipeline

TEXT = (
    "Zoë 🙂 met 𝒳 Corp.\x07 Their chief said 𝒳 sales rose 5%.\n\n  \n\nZoë  left. "
    "𝒳 <&>\"'\t\r\u2028\x85."
)


@pytest.mark.parametrize("decimals", [xmi_writer._DECIMALS, 10])  # numbers looked up / written
def test_cassis_reads_and_writes_back_the_same_bytes(tmp_path, schema, monkeypatch, decimals):
    monkeypatch.setattr(xmi_writer, "_DECIMALS", decimals)
    monkeypatch.setattr(file_sink, "DIRECT", 1)  # the first file here, the others by the helper
    s = AnnotationSet(schema, "alice", Status.DONE)
    org = s.add_span(make_span(TEXT, 11, 17, "ORG", schema))
    cue = s.add_span(
        make_span(TEXT, 32, 36, "CUE", schema, {"factuality": "factual", "type": "assertion"})
    )
    source = s.add_span(make_span(TEXT, 19, 31, "SOURCE", schema))
    s.add_relation(Relation("source", cue.id, source.id))
    s.add_relation(Relation("refers_to", source.id, org.id))
    items = [
        ExportItem(
            Document(TEXT, title='Wire \x01🙂 & <"a">', meta={"lang": "en", "q": '"&'}, id=3), [s]
        ),
        ExportItem(Document("Only text.", id=4), []),
        ExportItem(Document("   ", id=5), []),
    ]
    out = tmp_path / "out"
    report = xmi.write(out, items, schema)
    assert report.notes["characters XML 1.0 cannot hold written as spaces"] == 2
    ts = load_typesystem(out / "TypeSystem.xml")
    files = sorted(out.glob("*.xmi"))
    assert len(files) == 3
    for file in files:
        written = file.read_bytes()
        again = tmp_path / "again.xmi"
        load_cas_from_xmi(file, typesystem=ts).to_xmi(again)
        assert again.read_bytes() == written, file.name


PIECES = (
    "word", "Corp", "U.S.", "Mr.", "5.3", ".", "!", "?", "...", "?!", "\"", "'", "(", ")",
    ",", "-", "。", "‼", "｡", "॥", "¿", "“", "”", "🙂", "𝒳", " ", "  ", "\n", "\n\n", "\t",
    "\u3000", "\xa0", "\u2028",
)  # fmt: skip


def sentencizer_segments(text: str, lang: str) -> tuple[list[tuple[int, int]], ...]:
    """Sentences and tokens as spaCy's sentencizer splits them, white space left out."""
    nlp = blank_pipeline(lang, sentences=True)
    doc = nlp.get_pipe("sentencizer")(nlp.tokenizer(text))
    sentences, tokens = [], []
    for sentence in doc.sents:
        words = [t for t in sentence if not t.text.isspace()]
        if words:
            sentences.append((words[0].idx, words[-1].idx + len(words[-1])))
            tokens.extend((t.idx, t.idx + len(t)) for t in words)
    return sentences, tokens


def test_sentences_and_tokens_are_those_of_the_sentencizer(tmp_path, schema, monkeypatch):
    monkeypatch.setattr(file_sink, "DIRECT", 0)  # every file written by the helper process
    rng = random.Random(5)
    texts = [
        "".join(rng.choice(PIECES) + rng.choice(("", " ", " ")) for _ in range(rng.randint(1, 40)))
        for _ in range(300)
    ]
    texts += [
        "Hi. Yes!! \"Quoted.\" Next ... 'a' ?! 日本語。次。 ‼ x\n\nNew para.  End.",
        ".",
        " . ",
    ]
    langs = ("en", "de", "xx")
    items = [
        ExportItem(Document(text, id=n, meta={"lang": langs[n % 3]}), [])
        for n, text in enumerate(texts, 1)
        if text.strip()
    ]
    out = tmp_path / "out"
    xmi.write(out, items, schema)
    ts = load_typesystem(out / "TypeSystem.xml")
    for item in items:
        cas = load_cas_from_xmi(out / f"{item.document.id:06d}.xmi", typesystem=ts)
        found = tuple(
            [(a.begin, a.end) for a in cas.select(kind)]
            for kind in (xmi.SENTENCE_TYPE, xmi.TOKEN_TYPE)
        )
        text = item.document.text
        assert found == sentencizer_segments(text, item.document.meta["lang"]), repr(text)


@pytest.mark.parametrize(
    "last", [1, 2, 3, 9, 10, 11, 99, 100, 101, 9999, 10000, 65536, 65537, 70000]
)
def test_members_are_the_ids_from_2(last):
    assert xmi_writer._members(last) == " ".join(str(n) for n in range(2, last + 1))
