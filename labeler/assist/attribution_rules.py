"""Attribution rules for English news: reporting verbs and quotes, proposed as linked frames.

Three shapes of wire-story attribution are found, each proposed as one frame of a SOURCE, a
CUE and a CONTENT with the CUE's `source` and `content` relations:

- a quote and its cue after it: "We will leave," she said. / "...," said the minister.
- a source, a reporting verb and what follows: Police said (that) the road was closed.
- according to: According to port officials, the strike ... / ..., according to the report.

Where the frame's edges lie, by simple rules on the words around the cue:

- the source is the noun phrase next to the cue, with a title kept with the name ("Dr. Helena
  Varga"), an apposition or relative clause kept with it ("Ilse Marquard, who leads the union";
  "its chief executive, Tomas Rehn"); an auxiliary before the cue belongs to the cue ("The
  weather office *has reported*");
- the content is the quote, the clause after the cue, or the clause before the source when
  the cue ends the sentence ("Cases rose, the agency warned on Wednesday, blaming ...");
- a cue word that is no reporting verb there is passed over: after a number or a determiner
  it describes a noun ("The agency counted 3,180 confirmed cases").

The reporting verbs and phrases are a list the lead can edit (one a line in a file).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from labeler.assist.fitting import fitting
from labeler.assist.recommender import Recommender
from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.attribution_roles import CONTENT, CONTENT_OF, CUE, SOURCE, SOURCE_OF
from labeler.domain.suggestion import SuggestedFrame, SuggestedSpan, Suggestion

DEFAULT_CUES = (
    "said", "says", "say", "told", "tells", "noted", "notes", "added", "adds", "claimed",
    "claims", "stated", "states", "warned", "warns", "explained", "argued", "insisted",
    "announced", "reported", "wrote", "acknowledged", "admitted", "denied", "confirmed",
    "estimated", "predicted", "suggested", "believes", "believed", "according to",
)  # fmt: skip

_QUOTE = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]{3,}?)[\"\u201d]")
_PRONOUN = r"(?:he|she|they|we|I|it|He|She|They|We|It)"
# A name or a short noun phrase: "Ilse Marquard", "J. Smith", "the minister", "a spokesman".
_WORD = r"[\w\u2019'-]+"
_CAPITAL = rf"[A-Z]{_WORD}"
_TITLE = r"(?:(?:Dr|Mr|Mrs|Ms|Prof|Gen|Sen|Rep|Gov|Sgt|Capt|Lt|Col|Rev|St)\.?\s+)"
_NAME = rf"(?:(?:the|The|a|A)\s+{_WORD}|{_TITLE}?(?:(?:{_CAPITAL}|[A-Z]\.)\s*){{0,4}}{_CAPITAL})"
# What may follow a source's name and belongs to it: ", who leads the union", ", the director".
_APPOSITION = re.compile(
    r",\s+(?:who|which|the|a|an|its|his|her|their|our)\b[^,.;:\n\"\u201c\u201d]*"
)
_NAME_ONLY = re.compile(rf"\s*{_TITLE}?(?:[A-Z]{_WORD}\s+){{0,3}}[A-Z]{_WORD}\s*,")
_AUXILIARY = re.compile(
    r"\b(?i:has|have|had|is|was|were|are|will|would|had|has also|have also)\s+$"
)
_DATELINE = re.compile(r"[A-Z][A-Z .'-]+,[^\n()]{0,40}\([^()\n]{1,40}\)\s*[-\u2013\u2014]\s*")
# Before a cue word these make it a noun's modifier, not a verb: "3,180 confirmed cases".
_NOT_BEFORE_VERB = re.compile(r"(?:\d|\b(?i:the|a|an|its|their|his|her|our|this|these))\s+$")
_SCORE_QUOTE = 0.8
_SCORE_ACCORDING = 0.8
_SCORE_VERB = 0.6
_MAX_SOURCE_WORDS = 10
_TRIM = " \t,;:.\"'\u201c\u201d\u2018\u2019"


def read_cues(path: Path) -> tuple[str, ...]:
    """Reporting verbs and phrases, one a line (# starts a comment)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(c.strip() for c in lines if c.strip() and not c.strip().startswith("#"))


class AttributionRulesRecommender(Recommender):
    """Proposes SOURCE/CUE/CONTENT frames around reporting verbs and quotes."""

    def __init__(self, cues: Iterable[str] = DEFAULT_CUES, name: str = "attribution rules") -> None:
        self.name = name
        self.cues = tuple(dict.fromkeys(c.strip().lower() for c in cues if c.strip()))
        words = sorted(self.cues, key=len, reverse=True)
        alternatives = "|".join(r"\s+".join(map(re.escape, c.split())) for c in words)
        self._cue = re.compile(rf"\b(?i:{alternatives})\b")
        self._after_quote = re.compile(
            rf"\s*(?:(?P<cue1>(?i:{alternatives}))\s+(?P<src1>{_NAME})"
            rf"|(?P<src2>{_PRONOUN}|{_NAME})\s+(?P<cue2>(?i:{alternatives})))\b"
        )

    def suggest(
        self, text: str, annotations: AnnotationSet, new_span: Span | None = None
    ) -> list[Suggestion]:
        if new_span is not None:
            return []
        schema = annotations.schema
        if not all(schema.has_label(label) for label in (SOURCE, CUE, CONTENT)):
            return []
        links = tuple(
            (kind, 1, tail)
            for kind, tail_label, tail in ((SOURCE_OF, SOURCE, 0), (CONTENT_OF, CONTENT, 2))
            if any(r.name == kind for r in schema.relation_types_for(CUE, tail_label))
        )
        found: list[Suggestion] = []
        for start, end in _paragraphs(text):
            for parts, score in self._frames(text, start, end):
                spans = tuple(
                    SuggestedSpan(s, e, label)
                    for (s, e), label in zip(parts, (SOURCE, CUE, CONTENT), strict=True)
                )
                found.append(Suggestion(SuggestedFrame(spans, links), score, self.name))
        return fitting(annotations, found)

    def _frames(self, text: str, start: int, end: int) -> Iterator[tuple[list[Range], float]]:
        """(source, cue, content) ranges with a score, for one paragraph."""
        quoted: list[Range] = []
        for m in _QUOTE.finditer(text, start, end):
            after = self._after_quote.match(text, m.end(), end)
            if after is None:
                continue
            cue = after.span("cue1") if after.group("cue1") else after.span("cue2")
            source = after.span("src1") if after.group("src1") else after.span("src2")
            apposition = _APPOSITION.match(text, source[1], end)
            if after.group("src1") and apposition is not None:
                source = (source[0], apposition.end())
            parts = [_trim(text, *source), cue, _trim(text, *m.span(1))]
            if _usable(parts) and not _is_cue_word(self, text, *parts[0]):
                quoted.append((m.start(), after.end()))
                yield parts, _SCORE_QUOTE
        for s_start, s_end in _sentences(text, start, end):
            dateline = _DATELINE.match(text, s_start, s_end)  # "LISBON, April 22 (Wire) - "
            if dateline is not None:
                s_start = dateline.end()
            if any(q_start < s_end and s_start < q_end for q_start, q_end in quoted):
                continue  # quotes with their cue are attributed above
            for m in self._cue.finditer(text, s_start, s_end):
                parts, score = self._around(text, s_start, s_end, m.start(), m.end())
                if _usable(parts):
                    yield parts, score
                    break

    def _around(
        self, text: str, s_start: int, s_end: int, cue_start: int, cue_end: int
    ) -> tuple[list[Range], float]:
        """The source and content around a cue inside one sentence."""
        cue = (cue_start, cue_end)
        if text[cue_start:cue_end].lower().split() == ["according", "to"]:
            comma = text.find(",", cue_end, s_end)
            if text[s_start:cue_start].strip(_TRIM):  # "..., according to the report."
                source = _trim(text, cue_end, s_end)
                content = _trim(text, s_start, cue_start)
            elif comma > 0:  # "According to officials, ..."
                name = _NAME_ONLY.match(text, comma + 1, s_end)  # "..., Tomas Rehn, ..."
                if name is not None:
                    source = _trim(text, cue_end, name.end())
                    comma = name.end() - 1
                else:
                    source = _trim(text, cue_end, comma)
                content = _trim(text, comma + 1, s_end)
            else:
                return [], 0.0
            return [source, cue, content], _SCORE_ACCORDING
        before = text[s_start:cue_start]
        if _NOT_BEFORE_VERB.search(before):
            return [], 0.0
        auxiliary = _AUXILIARY.search(before)
        if auxiliary is not None:  # "has reported": the auxiliary is the cue's
            cue_start = s_start + auxiliary.start()
            cue = (cue_start, cue_end)
            before = text[s_start:cue_start]
        clause = max(before.rfind(","), before.rfind(";")) + 1
        if clause and before[clause:].strip() and len(before[clause:].split()) < 2:
            clause = 0  # "The minister, Anna Berg, said": the whole subject
        elif clause and not before[clause:].strip() and re.search(r",\s+(?:who|which)\b", before):
            clause = 0  # "Jonas Feld, who voted against it, said": the subject and its clause
        source = _trim(text, s_start + clause, cue_start)
        rest = cue_end
        that = re.compile(r"\s+(?:on \w+\s*)?(?:that\s+)?").match(text, cue_end, s_end)
        if that is not None:
            rest = that.end()
        if clause and (rest >= s_end or text[rest] in ",.;"):
            # "Cases rose, the agency warned on Monday, ...": the content comes first
            content = _trim(text, s_start, s_start + clause)
        else:
            content = _trim(text, rest, s_end)
        if len(text[source[0] : source[1]].split()) > _MAX_SOURCE_WORDS:
            return [], 0.0
        if len(text[content[0] : content[1]].split()) < 3:
            return [], 0.0
        return [source, cue, content], _SCORE_VERB


Range = tuple[int, int]


def _is_cue_word(rules: AttributionRulesRecommender, text: str, start: int, end: int) -> bool:
    return text[start:end].lower() in rules.cues


def _usable(parts: list[Range]) -> bool:
    return len(parts) == 3 and all(s < e for s, e in parts)


def _trim(text: str, start: int, end: int) -> Range:
    """[start, end) without the white space, quotes and punctuation at its edges."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _paragraphs(text: str) -> Iterator[Range]:
    start = 0
    for m in re.finditer(r"\n", text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*(?=\s+[\"\u201c(A-Z]|\s*$)")
_NO_END_WORDS = "mr mrs ms dr prof gov sen rep gen st jr sr inc co corp ltd no vs"
_NO_END = frozenset(_NO_END_WORDS.split())


def _sentences(text: str, start: int, end: int) -> Iterator[Range]:
    """The sentences of a paragraph: a stop, then white space and a capital (not after a
    title such as Mr. or a single letter such as the U. of U.S.)."""
    begin = start
    for m in _SENTENCE_END.finditer(text, start, end):
        word = re.search(r"(\w+)$", text[begin : m.start()])
        if word is not None and (len(word.group(1)) == 1 or word.group(1).lower() in _NO_END):
            continue
        yield begin, m.end()
        begin = m.end()
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        yield begin, end
