"""A spaCy Doc's tokens as plain lists, read in one call instead of one Token object each.

Iterating a Doc builds a Python `Token` per token, which costs more than tokenising did; the
writers that need every token's offsets (CoNLL, Prodigy, Hugging Face, XMI) read them here
with `Doc.to_array`, which copies the C arrays at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class TokenArrays:
    """Per token, in order: start offset, end offset (code points), trailing white space, and
    whether it begins a sentence (all False when no sentencizer ran, except the first)."""

    text: str
    starts: list[int]
    ends: list[int]
    spaces: list[bool]
    sentence_starts: list[bool]

    def __len__(self) -> int:
        return len(self.starts)

    def token_text(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def texts(self) -> list[str]:
        text = self.text
        return [text[s:e] for s, e in zip(self.starts, self.ends, strict=True)]


def token_arrays(doc: Doc, text: str | None = None) -> TokenArrays:
    """The tokens of `doc` (whose text is `text`, when the caller has it at hand)."""
    if text is None:
        text = doc.text
    if len(doc) == 0:
        return TokenArrays(text, [], [], [], [])
    columns = doc.to_array(["IDX", "LENGTH", "SPACY", "SENT_START"]).T
    starts = columns[0].tolist()
    ends = (columns[0] + columns[1]).tolist()
    spaces = (columns[2] == 1).tolist()
    sentence_starts = (columns[3] == 1).tolist()
    sentence_starts[0] = True  # spaCy's Token.is_sent_start is True for the first token
    return TokenArrays(text, starts, ends, spaces, sentence_starts)
