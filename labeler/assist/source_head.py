"""Which entity a SOURCE names: the one that heads its words, not the one covering the most.

In "Ana Reyes, the head of the Halden Port Authority" the speaker is Ana Reyes, although the
organisation covers more characters; so too in "the spokesman of the ministry, Ana Reyes" and
"Halden Bank chief Lee Chan". Without a parse the head is found from the words around each
entity in the source:

1. an entity inside the source before one reaching out of it;
2. an entity that heads the phrase before one that depends on another word: one after a
   preposition ("the head *of* X", "officials *in* X") or before a possessive ("X's spokesman");
3. a PERSON before an ORG, an ORG before a NORP, a NORP before a GPE: a person speaks for an
   organisation, an organisation for a place;
4. the entity nearer the start of the source.

A dependent entity is still chosen when it is the only one: "the spokesman of the ministry"
names the ministry as the speaker's side.
"""

from __future__ import annotations

from labeler.domain.annotation import Span

_PREPOSITION_WORDS = "of for at in from with by on to near under within inside outside across"
_PREPOSITIONS = frozenset(_PREPOSITION_WORDS.split())
# Words that may stand between a preposition and its entity: "the head of *the* ministry".
_DETERMINER_WORDS = "the a an its their his her our this that these those"
_DETERMINERS = frozenset(_DETERMINER_WORDS.split())
_POSSESSIVES = ("'s", "\u2019s")
_APOSTROPHES = ("'", "\u2019")
_LABEL_RANK = {"PERSON": 0, "ORG": 1, "NORP": 2, "GPE": 3}


def head_key(text: str, source: Span, entity: Span) -> tuple[int, int, int, int, int]:
    """How well `entity` stands for the speaker of `source`: lower is better."""
    inside = source.start <= entity.start and entity.end <= source.end
    return (
        0 if inside else 1,
        1 if _depends(text, source, entity) else 0,
        _LABEL_RANK.get(entity.label, len(_LABEL_RANK)),
        entity.start,
        entity.start - entity.end,  # the longer of two starting together
    )


def named_entity(text: str, source: Span, candidates: list[Span]) -> Span | None:
    """The entity among `candidates` (spans over `source`) that the source names."""
    if not candidates:
        return None
    return min(candidates, key=lambda entity: head_key(text, source, entity))


def _depends(text: str, source: Span, entity: Span) -> bool:
    """Whether the entity is governed by another word of the source (a preposition before
    it, a possessive after it) rather than heading the phrase."""
    before = text[source.start : entity.start].split()
    words = [w.strip(",;:()\"'\u201c\u201d").lower() for w in before]
    while words and words[-1] in _DETERMINERS:
        words.pop()
    if words and words[-1] in _PREPOSITIONS:
        return True
    after = text[entity.end : max(entity.end, source.end)]
    plural = entity.text.endswith("s") and after[:1] in _APOSTROPHES  # "the workers' union"
    return after.startswith(_POSSESSIVES) or plural
