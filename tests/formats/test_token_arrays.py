"""Tokens read from spaCy at once: the same tokens, sentence starts and spans as spaCy's own
Doc, sentencizer and Doc.char_span give, on text chosen to find where they could differ."""

from __future__ import annotations

import random
from functools import cache

import pytest
import spacy
from spacy.language import Language

from labeler.formats.records import WriteReport
from labeler.formats.token_arrays import (
    TokenArrays,
    Tokens,
    token_arrays,
    tokenise,
    without_overlap,
)

# Sentence ends of every kind the sentencizer knows: quotes and brackets after a full stop,
# "...", "?!", marks of other scripts (one past U+FFFF), newlines, no punctuation at all.
HARD = [
    "",
    " ",
    "\n\n",
    "no punctuation at all",
    "He left. She stayed.",
    'He said "No." Then left. (As usual.) Next.',
    "Wait... what?! Really?!? Yes!!! ok",
    "U.S. policy rose 3.5 percent. e.g. this, Mr. Smith.",
    "End.",
    "...",
    ". . .",
    "x .",
    '."',
    'a."b',
    "!!! ??? ...a",
    " \n \t x",
    "x \n",
    "x  ",
    "  lead. trail  ",
    "a\n\nb. c\n. d",
    "First line.\nSecond line\n\nThird. « Quoted. » ¿Qué? ¡Sí!",
    "日本語の文。次の文！最後？終わり",
    "नमस्ते। फिर॥ अंत",
    "Ancient 𑁇 mark 𑁇 here. 𖩮 more",
    "Zoë 🙂 met 𝒳 Corp.\x07 Their chief said 𝒳 sales rose 5%.\n\n  \n\nZoë  left. "
    "𝒳 <&>\"'\t\r\u2028\x85.",
    "Tabs\tand\u00a0no-break\u2009spaces.\u3000Ideographic space. Done",
]
PIECES = [
    "word", "Word", ".", "!", "?", "...", "?!", '"', "'", "(", ")", "[", "]", " ", " ", " ",
    "\n", "\n\n", "  ", "\t", "\u00a0", "-", "—", ",", ";", ":", "U.S.", "3.5", "。", "¿", "«",
    "»", "Mr.", "don't", "e.g.", "$", "%", "𑁇", "🙂", "über", "l'homme",
]  # fmt: skip


def _varied(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40))) for _ in range(count)]


@cache
def _sentencizer(lang: str) -> Language:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.mark.parametrize("lang", ["en", "de", "xx"])
def test_tokens_and_sentence_starts_are_spacys(lang: str) -> None:
    for text in HARD + _varied(400, seed=len(lang)):
        doc = _sentencizer(lang)(text)
        arrays = tokenise(text, lang, sentences=True)
        assert arrays.starts == [t.idx for t in doc], text
        assert arrays.ends == [t.idx + len(t) for t in doc], text
        assert arrays.sentences == [t.i for t in doc if t.is_sent_start], text
        assert arrays.sentence_starts == [bool(t.is_sent_start) for t in doc], text
        assert arrays.spaces == [bool(t.whitespace_) for t in doc], text
        assert arrays.space_tokens() == [t.i for t in doc if t.text.isspace()], text
        assert arrays.texts() == [t.text for t in doc], text
        assert token_arrays(doc, text) == arrays  # as a sentencizer set them on a Doc


def test_runs_are_the_tokens_parted_by_single_spaces_cut_where_tokens_meet() -> None:
    """Read from a Doc (numpy columns at hand) or from plain lists, the same runs: None
    exactly when a token holds a space; else the tokens' texts, a space between two where
    spaCy has one and a cut where it has none."""
    nlp = spacy.blank("en")
    texts = [*HARD, *_varied(600, seed=11), "a b", "a b ", "a.b c.", "x\n y"]
    seen = {True: 0, False: 0}
    for text in texts:
        doc = nlp.make_doc(text)
        arrays = tokenise(text, "en")
        plain = TokenArrays(text, arrays.starts, arrays.ends)
        runs = arrays.runs()
        assert plain.runs() == runs, text
        seen[runs is None] += 1
        if not doc or any(" " in t.text for t in doc):
            assert runs is None, text
            continue
        expected, run = [], ""
        for t in doc:
            run += t.text
            if t.whitespace_:
                run += " "
            elif t.i < len(doc) - 1:  # the next token meets this one
                expected.append(run)
                run = ""
        expected.append(run.removesuffix(" ") if doc[-1].whitespace_ else run)
        assert runs == expected, text
    assert seen[True] > 50 and seen[False] > 50  # both kinds were tried


def test_without_sentences_only_the_first_token_begins_one() -> None:
    assert tokenise("One. Two. Three.", "en").sentences == [0]
    assert tokenise("", "en").sentences == []


def test_a_range_takes_the_tokens_char_span_expands_it_to() -> None:
    """Edges in white space are dropped first, then the range grows to whole tokens."""
    rng = random.Random(5)
    nlp = spacy.blank("en")
    for text in [t for t in HARD + _varied(300, seed=9) if t]:
        doc = nlp.make_doc(text)
        arrays = tokenise(text, "en")
        for _ in range(15):
            start = rng.randrange(len(text))
            end = rng.randrange(start, len(text)) + 1
            first, last = start, end
            while first < last and text[first].isspace():
                first += 1
            while last > first and text[last - 1].isspace():
                last -= 1
            span = doc.char_span(first, last, alignment_mode="expand") if first < last else None
            expected = None
            if span is not None and len(span):
                moved = (span.start_char, span.end_char) != (start, end)
                expected = (span.start, span.end, moved)
            assert arrays.token_range(start, end) == expected, (text, start, end)


def test_overlapping_ranges_keep_the_earlier_then_the_longer() -> None:
    report = WriteReport()
    spans = [Tokens(3, 4, "B"), Tokens(0, 2, "A"), Tokens(0, 3, "C"), Tokens(2, 5, "D")]
    kept = without_overlap(spans, report, "overlap")
    assert kept == [Tokens(0, 3, "C"), Tokens(3, 4, "B")]
    assert report.notes == {"overlap": 2}
