"""A document's spaCy tokens as plain lists, and its sentences by the sentencizer's rule.

Iterating a Doc builds a Python `Token` per token, which costs more than tokenising did; the
writers that need every token's offsets (CoNLL, Prodigy, XMI) read them here with
`Doc.to_array`, which copies the C arrays at once (the Hugging Face writer reads its columns
in `hf_columns`). `tokenise` runs the tokenizer alone and
finds the sentence starts spaCy's rule-based sentencizer would set, from the few punctuation
marks of the text rather than by visiting every token (the sentencizer cost more than the
tokenizer); a test compares the two on varied text.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import compress, islice
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from labeler.formats.records import WriteReport


@dataclass(frozen=True, slots=True)
class TokenArrays:
    """Per token, in order: start and end offsets (code points); and the tokens that begin a
    sentence (only the first when no sentences were asked for)."""

    text: str
    starts: list[int]
    ends: list[int]
    sentences: list[int] = field(default_factory=lambda: [0])
    # The starts and ends as numpy arrays, where they were read so (for quick sums and
    # comparisons over all tokens); None when only the lists were given.
    columns: tuple[Any, Any] | None = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def spaces(self) -> list[bool]:
        """Whether each token is followed by a space (the only gap between two tokens)."""
        if not self.starts:
            return []
        return list(map(operator.lt, self.ends, [*self.starts[1:], len(self.text)]))

    @property
    def sentence_starts(self) -> list[bool]:
        """Per token, whether it begins a sentence."""
        flags = [False] * len(self.starts)
        for i in self.sentences if self.starts else ():
            flags[i] = True
        return flags

    def texts(self) -> list[str]:
        text = self.text
        return [text[s:e] for s, e in zip(self.starts, self.ends, strict=True)]

    def runs(self) -> list[str] | None:
        """The text from the first token's start to the last token's end, cut where two tokens
        meet with no space between them: each piece is its tokens' texts parted by one space.
        None when the text holds a space other than the one after a token (in a token of white
        space), which such pieces would hide.

        The tokens and the single spaces after some of them make up the whole text, so it holds
        as many spaces as that when no token holds one."""
        text, starts, ends = self.text, self.starts, self.ends
        if not starts:
            return None
        columns = self.columns
        if columns is None:
            gaps = len(text) - sum(ends) + sum(starts)  # the tokens followed by a space
        else:
            gaps = len(text) - int((columns[1] - columns[0]).sum())
        if text.count(" ") != gaps:
            return None
        body = text[: ends[-1]] if ends[-1] < len(text) else text
        if gaps - (len(text) - len(body)) == len(starts) - 1:  # a space between every two
            return [body]
        if columns is None:
            cuts = list(compress(ends, map(operator.eq, ends, islice(starts, 1, None))))
        else:
            inner = columns[1][:-1]
            cuts = inner[inner == columns[0][1:]].tolist()
        return list(map(body.__getitem__, map(slice, [0, *cuts], [*cuts, len(body)])))

    def space_tokens(self) -> list[int]:
        """The tokens made of white space, in order: spaCy's tokenizer makes tokens of all white
        space but the one space after a token, so they are those starting in a run of white
        space holding a character other than " ", or two spaces, or opening the text."""
        text, starts = self.text, self.starts
        runs = [(m.start(), m.end()) for m in _OTHER_SPACE.finditer(text)]
        if "  " in text:
            runs += [(m.start(), m.end()) for m in _TWO_SPACES.finditer(text)]
        if text[:1] == " ":
            runs.append((0, len(text) - len(text.lstrip())))
        found = {i for a, b in runs for i in range(bisect_left(starts, a), bisect_left(starts, b))}
        return sorted(found)

    def token_range(self, start: int, end: int) -> tuple[int, int, bool] | None:
        """The tokens [first, after) covering the characters [start, end), and whether their
        edges differ from start and end; None when the range covers no token. White space at
        the edges is dropped first (spaCy refuses to train on an entity beginning or ending
        with white space). The tokens are those of `Doc.char_span(..., alignment_mode="expand")`
        on the trimmed range."""
        starts = self.starts
        first, last = trimmed(self.text, start, end)
        if first >= last:
            return None
        # A token owns its characters and the space after it, so the token holding a character
        # is the last one starting at or before it.
        head = bisect_right(starts, first) - 1
        after = bisect_right(starts, last - 1)
        return head, after, starts[head] != start or self.ends[after - 1] != end


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The characters [start, end) of `text` without the white space at their edges (none left
    when the first is not before the second); a range whose edges are not white space (nearly
    all) costs two look-ups."""
    if start >= end or not (text[start].isspace() or text[end - 1].isspace()):
        return start, end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# White space other than " " (all of str.isspace's, most of them never in a text), and two
# spaces, each with the white space after it: two patterns each beginning with a plain character
# class or a literal, which re scans for fast.
_OTHER_SPACE = re.compile(
    "[\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]\\s*"
)
_TWO_SPACES = re.compile("  \\s*")


def token_arrays(doc: Doc, text: str | None = None) -> TokenArrays:
    """The tokens of `doc` (whose text is `text`, when the caller has it at hand), with the
    sentence starts a sentencizer set on it."""
    if text is None:
        text = doc.text
    if len(doc) == 0:
        return TokenArrays(text, [], [], [])
    columns = doc.to_array(["IDX", "LENGTH", "SENT_START"]).T
    starts = columns[0].tolist()
    ends = (columns[0] + columns[1]).tolist()
    sentences = (columns[2] == 1).nonzero()[0].tolist()
    if not sentences or sentences[0] != 0:
        sentences.insert(0, 0)  # spaCy's Token.is_sent_start is True for the first token
    return TokenArrays(text, starts, ends, sentences)


def tokenise(text: str, lang: str, sentences: bool = False) -> TokenArrays:
    """The tokens of `text` by the blank spaCy pipeline of `lang`, and, if asked for, the
    sentence starts spaCy's sentencizer (default punctuation) would set."""
    return tokenise_columns(text, lang, sentences)[0]


def tokenise_columns(text: str, lang: str, sentences: bool = False) -> tuple[TokenArrays, Any, Any]:
    """`tokenise`, with the tokens' starts and ends also as numpy arrays, for a caller that
    computes on them (as read from the Doc: no copy back from the lists)."""
    from labeler.formats.spacy_docbin import blank_pipeline

    doc = blank_pipeline(lang).tokenizer(text)
    arrays, starts, ends = _offsets(doc, text)
    if sentences and len(arrays):
        arrays.sentences.extend(_sentence_starts(doc, arrays))
    return arrays, starts, ends


def offsets(doc: Doc, text: str) -> TokenArrays:
    """The tokens of `doc`, whose text is `text` (no sentences but the first)."""
    return _offsets(doc, text)[0]


def _offsets(doc: Doc, text: str) -> tuple[TokenArrays, Any, Any]:
    columns = doc.to_array(["IDX", "LENGTH"]).reshape((len(doc), 2)).T
    starts, ends = columns[0], columns[0] + columns[1]
    sentences = [0] if len(doc) else []
    arrays = TokenArrays(text, starts.tolist(), ends.tolist(), sentences, (starts, ends))
    return arrays, starts, ends


def _sentence_starts(doc: Doc, arrays: TokenArrays) -> list[int]:
    """The tokens past the first that spaCy's sentencizer makes sentence starts.

    Its rule, token by token: a token whose text is one of its punctuation characters is "seen";
    the next token after one that is neither such a character nor punctuation (`is_punct`)
    begins a sentence. So each of those characters' tokens leads to the first token after it
    that is neither; they are found from the characters in the text.
    """
    text, starts, ends = arrays.text, arrays.starts, arrays.ends
    count = len(starts)

    def full_stop(i: int) -> bool:  # the token is one of the sentencizer's characters
        return ends[i] - starts[i] == 1 and text[starts[i]] in _punct_chars()

    found: list[int] = []
    reach = 0  # tokens before this are known not to begin a sentence
    for mark in _punct_marks(text):
        i = bisect_right(starts, mark.start()) - 1
        if i < reach or starts[i] != mark.start() or not full_stop(i):
            continue
        i += 1
        while i < count and (doc[i].is_punct or full_stop(i)):
            i += 1
        if i < count:
            found.append(i)
        reach = i
    return found


@cache
def _punct_chars() -> frozenset[str]:
    from spacy.pipeline.sentencizer import Sentencizer  # type: ignore[import-not-found]

    return frozenset(Sentencizer.default_punct_chars)


_ASCII_MARKS = re.compile("[.!?]")  # the sentencizer's characters below 128
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _punct_marks(text: str) -> Iterator[re.Match[str]]:
    """Where the sentencizer's characters are in the text, in order. re scans a class holding
    characters past U+FFFF several times slower than one without: the characters below U+FFFF
    are looked for alone in texts holding none past it (nearly all)."""
    if text.isascii():
        return _ASCII_MARKS.finditer(text)
    return _punct_patterns()[_ASTRAL.search(text) is not None].finditer(text)


@cache
def _punct_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The sentencizer's characters up to U+FFFF, and all of them."""
    chars = sorted(_punct_chars())
    assert all(len(c) == 1 for c in chars)  # each one code point
    basic = "".join(re.escape(c) for c in chars if c <= "\uffff")
    astral = "".join(re.escape(c) for c in chars if c > "\uffff")
    everything = f"[{basic}]|(?=[\U00010000-\U0010ffff])[{astral}]"  # the range first: fast
    return re.compile(f"[{basic}]"), re.compile(everything)


class Tokens(NamedTuple):
    """A span on token boundaries: tokens [start, end) and its label."""

    start: int
    end: int
    label: str


class _Ranged(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


R = TypeVar("R", bound=_Ranged)


def without_overlap(spans: list[R], report: WriteReport, reason: str) -> list[R]:
    """The spans that share no token with an earlier one (earlier start, then longer, first)."""
    kept: list[R] = []
    reach = 0
    for span in sorted(spans, key=lambda s: (s.start, s.start - s.end)):
        if span.start < reach:
            report.note(reason)
            continue
        kept.append(span)
        reach = span.end
    return kept
