"""Entity rules: the regular entities of news text (amounts, dates, datelines, titled names).

Built on spaCy's token Matcher over a blank English tokenizer (nothing downloaded), with token
attributes (LIKE_NUM, shapes, case) and word lists. Proposed, with the OntoNotes labels of the
news schema (only those the schema has):

- MONEY: "$60 million", "about €42 million", "15 million euros";
- PERCENT: "9 percent", "68%", "nearly 5 per cent" ("percentage points" are left out);
- DATE: calendar dates only: "March 14", "14 March 2024", "Feb. 3", "May 2023", weekdays,
  years 1900-2099, "the first quarter", "between January and March"; relative dates ("next
  week", "a year earlier") and durations are left to the annotator;
- CARDINAL: other numbers, "more than 2,000", "Two"; not one before a unit or a time word
  ("0.2 percentage points", "hundred years") nor a pronoun ("every one");
- ORDINAL: "third", "21st" after a determiner ("a third day", not "was first proposed");
- GPE and ORG of a wire story's dateline: "VALMERA, March 14 (Meridian Wire) -";
- ORG: capitalised words ending in an organisation's word: "Halden Bank", "Coastal Transport
  Union", "European Centre for Vaccine Safety";
- PERSON after a title: "Mayor Priya Okafor", "Dr. Helena Varga" (the name without the title).

Where two matches overlap, the longer wins, then the label earlier in the list above.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from labeler.assist.fitting import fitting
from labeler.assist.recommender import Recommender
from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.suggestion import SuggestedSpan, Suggestion

LABELS = ("MONEY", "PERCENT", "DATE", "GPE", "ORG", "PERSON", "CARDINAL", "ORDINAL")
_SCORE = 0.85


def _words(text: str) -> list[str]:
    return text.split()


_MODIFIERS = (
    "about", "around", "nearly", "almost", "roughly", "approximately", "some", "over",
    "under", "more than", "less than", "fewer than", "close to", "at least", "at most",
    "up to", "just over", "just under",
)  # fmt: skip
_SCALES = ["hundred", "thousand", "million", "billion", "trillion", "bn", "m"]
_CURRENCY_SIGNS = ["$", "€", "£", "¥", "US$", "C$", "A$"]
_CURRENCY_WORDS = [
    "dollar", "dollars", "euro", "euros", "pound", "pounds", "yen", "yuan", "francs",
    "kroner", "krona", "kronor", "crowns", "rupees", "pesos",
]  # fmt: skip
_MONTHS = _words(
    "January February March April May June July August September October November December"
)
_SHORT_MONTHS = _words("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec")
_MONTH_WORDS = _MONTHS + _SHORT_MONTHS + [m + "." for m in _SHORT_MONTHS]
_ALONE_MONTHS = [m for m in _MONTHS if m not in ("March", "May")]  # also a verb, a modal
_WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_ORDINAL_WORDS = _words(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
)
_DETERMINERS = frozenset(_words("the a an its their his her our this that these those"))
_AFTER_NUMBER = frozenset(
    _words(
        "percentage point points per percent % year years month months week weeks day days "
        "hour hours minute minutes decade decades century centuries"
    )
)  # a number before these is part of a percentage or a duration
_ORDINAL = re.compile(rf"^(?:{'|'.join(_ORDINAL_WORDS)}|\d+(?:st|nd|rd|th))$")
_ORG_WORDS = _words(
    "Union Bank Council Centre Center Authority Ministry Agency Company Corporation Group "
    "Institute University Association Commission Committee Party Federation Fund Board "
    "Office Organisation Organization Inc Inc. Ltd Ltd. Corp Corp. Co. Airlines Bureau"
)
_PRONOUN_BEFORE = frozenset(_words("every each any no"))
_TITLES = _words(
    "Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Sir Dame Mayor Councillor Councilor Senator "
    "Sen. Governor Gov. President Premier Chancellor Minister minister Judge Justice General "
    "Gen. Colonel Captain Inspector Detective Sergeant Professor Rev. Father Sister"
)

_NUMBER: dict[str, Any] = {"LIKE_NUM": True}
_DAY: dict[str, Any] = {"TEXT": {"REGEX": r"^(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?$"}}
_YEAR: dict[str, Any] = {"TEXT": {"REGEX": r"^(?:19|20)\d\d$"}}
_MONTH: dict[str, Any] = {"ORTH": {"IN": _MONTH_WORDS}}
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*),[^\n()]{0,40}"
    r"\((?P<agency>[A-Z][\w&.' -]{1,40})\)\s*[-\u2013\u2014]"
)

Pattern = list[dict[str, Any]]


def _modified(core: Pattern) -> list[Pattern]:
    """The pattern alone and after each modifier ("about", "more than" ...)."""
    return [core] + [[{"LOWER": word} for word in m.split()] + core for m in _MODIFIERS]


def _patterns() -> dict[str, list[Pattern]]:
    scale: dict[str, Any] = {"LOWER": {"IN": _SCALES}, "OP": "?"}
    money: list[Pattern] = [
        [{"ORTH": {"IN": _CURRENCY_SIGNS}}, _NUMBER, scale],
        [_NUMBER, scale, {"LOWER": {"IN": _CURRENCY_WORDS}}],
    ]
    percent: list[Pattern] = [
        [_NUMBER, {"LOWER": {"IN": ["percent", "%"]}}],
        [_NUMBER, {"LOWER": "per"}, {"LOWER": "cent"}],
    ]
    comma: dict[str, Any] = {"ORTH": ",", "OP": "?"}
    org_word: dict[str, Any] = {"ORTH": {"IN": _ORG_WORDS}}
    name: dict[str, Any] = {"IS_TITLE": True, "LOWER": {"NOT_IN": sorted(_DETERMINERS)}, "OP": "+"}
    dates: list[Pattern] = [
        [_MONTH, _DAY, comma, _YEAR],
        [_MONTH, _DAY],
        [_DAY, _MONTH, _YEAR],
        [_DAY, _MONTH],
        [_MONTH, _YEAR],
        [{"ORTH": {"IN": _ALONE_MONTHS}}],
        [{"ORTH": {"IN": _WEEKDAYS}}],
        [_YEAR],
        [{"LOWER": "the"}, {"LOWER": {"IN": _ORDINAL_WORDS[:4]}},
         {"LOWER": {"IN": ["quarter", "half"]}}],
        [{"LOWER": {"IN": ["between", "from"]}}, {"ORTH": {"IN": _MONTHS}},
         {"LOWER": {"IN": ["and", "to"]}}, {"ORTH": {"IN": _MONTHS}}, {**_YEAR, "OP": "?"}],
    ]  # fmt: skip
    return {
        "MONEY": [p for core in money for p in _modified(core)],
        "PERCENT": [p for core in percent for p in _modified(core)],
        "DATE": dates,
        "PERSON": [[{"ORTH": {"IN": _TITLES}}, {"IS_TITLE": True}, {"IS_TITLE": True, "OP": "?"}]],
        "ORG": [
            [name, org_word],
            [name, org_word, {"LOWER": {"IN": ["of", "for"]}}, {"IS_TITLE": True, "OP": "+"}],
        ],
        "CARDINAL": _modified([{**_NUMBER, "OP": "+"}]),
        "ORDINAL": [
            [{"LOWER": {"IN": _ORDINAL_WORDS}}],
            [{"TEXT": {"REGEX": r"^\d+(?:st|nd|rd|th)$"}}],
        ],
    }


class EntityRulesRecommender(Recommender):
    """Proposes amounts, dates, dateline places and agencies, and titled names."""

    def __init__(self, name: str = "entity rules") -> None:
        import spacy  # late: loading spaCy takes a second
        from spacy.matcher import Matcher

        self.name = name
        self._nlp: Any = spacy.blank("en")
        self._matcher: Any = Matcher(self._nlp.vocab)
        for label, patterns in _patterns().items():
            self._matcher.add(label, patterns)

    def suggest(
        self, text: str, annotations: AnnotationSet, new_span: Span | None = None
    ) -> list[Suggestion]:
        if new_span is not None:
            return []
        schema = annotations.schema
        found = [
            Suggestion(SuggestedSpan(start, end, label), _SCORE, self.name)
            for start, end, label in self.entities(text)
            if schema.has_label(label)
        ]
        return fitting(annotations, found)

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, label) of every entity the rules find, without overlaps."""
        doc = self._nlp.make_doc(text)
        candidates = list(_dateline(text))
        for match_id, start, end in self._matcher(doc):
            label = self._nlp.vocab.strings[match_id]
            piece = _kept(doc, start, end, label)
            if piece is not None:
                candidates.append((piece.start_char, piece.end_char, label))
        rank = {label: i for i, label in enumerate(LABELS)}
        candidates.sort(key=lambda c: (c[0] - c[1], rank[c[2]], c[0]))
        kept: list[tuple[int, int, str]] = []
        for start, end, label in candidates:
            if all(end <= s or e <= start for s, e, _ in kept):
                kept.append((start, end, label))
        return sorted(kept)


def _kept(doc: Any, start: int, end: int, label: str) -> Any | None:
    """The tokens of a match worth proposing (a name without its title), or None."""
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].lower_ if end < len(doc) else ""
    if label == "PERSON":
        return doc[start + 1 : end]
    if label == "CARDINAL":
        if any(_ORDINAL.match(t.lower_) for t in doc[start:end]):
            return None
        if after in _AFTER_NUMBER or after in _CURRENCY_WORDS or before in _CURRENCY_SIGNS:
            return None
        if before in _PRONOUN_BEFORE or doc[start].lower_ in _SCALES:
            return None
    if label == "ORDINAL" and before not in _DETERMINERS:
        return None
    return doc[start:end]


def _dateline(text: str) -> Iterator[tuple[int, int, str]]:
    """The place (GPE) and agency (ORG) of a dateline opening a paragraph."""
    for m in re.finditer(r"(?m)^", text):
        found = _DATELINE.match(text, m.start())
        if found is not None:
            yield found.start("place"), found.end("place"), "GPE"
            yield found.start("agency"), found.end("agency"), "ORG"
