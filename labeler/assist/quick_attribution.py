"""Attribution in a few keys: the links to make when a source, cue, content or claim is labelled.

The annotator labels the parts of attributions in any order: one attribution at a time, a
layer at a time, or going back for a part forgotten. What a new span joins is found in the
text around it, not in the order of labelling: each part goes with the nearest part it can
take that is still free, in the same paragraph, with no end of a sentence between them.

- a CUE is linked to its SOURCE (`source`) and to the first piece of its CONTENT (`content`);
- a CONTENT piece that continues a quote across its cue ("The troops are engineers," she
  said, "and they will leave") is chained to the piece before (`continues`);
- a SOURCE is linked to the one entity it names (`refers_to`): the one heading its words, a
  person before the organisation they speak for (see source_head); and claims inside an
  attribution's content to its source (`attributed_to`).

Only links the schema allows and that are not there already are proposed; the editor makes
them as one undoable step with the span.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from labeler.assist.source_head import named_entity
from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.attribution_links import Links, sid
from labeler.domain.attribution_roles import (
    ATTRIBUTED_TO,
    CLAIM,
    CONTENT,
    CONTENT_OF,
    CONTINUES,
    CUE,
    REFERS_TO,
    SOURCE,
    SOURCE_OF,
)

Link = tuple[str, int, int]  # relation type, head span id, tail span id

_SENTENCE_END = frozenset(".!?")
_REACH = 200  # characters of words at most between two parts of one attribution


def links_after(annotations: AnnotationSet, text: str, span: Span) -> list[Link]:
    """The relations to make now that `span` is labelled (it is in `annotations`)."""
    return [link for link, _ in relinks_after(annotations, text, span)]


def relinks_after(
    annotations: AnnotationSet, text: str, span: Span
) -> list[tuple[Link, int | None]]:
    """The relations to make now that `span` is labelled, each with the id of the relation
    it replaces (a source's `refers_to` moving to an entity that heads it better), or None."""
    finder = _Finder(annotations, text, span)
    if span.label == CUE:
        finder.cue_links(span)
    elif span.label == SOURCE:
        finder.source_links(span)
    elif span.label == CONTENT:
        finder.content_links(span)
    elif span.label == CLAIM:
        finder.claim_links(span)
    else:
        finder.entity_links(span)
    return [(link, finder.replaced.get(link)) for link in _allowed(annotations, finder.links)]


class _Finder:
    """The parts near a new span, what links them already, and the links found so far."""

    def __init__(self, annotations: AnnotationSet, text: str, span: Span) -> None:
        self.annotations = annotations
        self.text = text
        self.span = span
        self.links: list[Link] = []
        self.replaced: dict[Link, int] = {}  # a link found, and the relation it takes over from
        self.overlapping = annotations.spans_in  # spans of every layer over a range

    # Worked out only when needed: most spans made are entities, which need neither.
    @cached_property
    def known(self) -> Links:
        return Links(self.annotations)

    @cached_property
    def nearby(self) -> list[Span]:
        """The other spans of the new span's paragraph."""
        text, span = self.text, self.span
        start = text.rfind("\n", 0, span.start) + 1
        end = text.find("\n", span.end)
        end = len(text) if end < 0 else end
        return [s for s in self.overlapping(start, end) if s.id != span.id]

    # -- what each new part joins
    def cue_links(self, cue: Span) -> None:
        source = self._nearest(cue, SOURCE, lambda s: not self._has_in(SOURCE_OF, s), [])
        if source is not None:
            self.links.append((SOURCE_OF, sid(cue), sid(source)))
        own = [cue] + ([source] if source is not None else [])
        first = self._nearest(
            cue,
            CONTENT,
            lambda s: not self._has_in(CONTENT_OF, s) and not self._has_in(CONTINUES, s),
            own,
            before_first=True,
        )
        pieces = []
        if first is not None:
            self.links.append((CONTENT_OF, sid(cue), sid(first)))
            pieces = self.known.chain(first)
            pieces += self._join_pieces(pieces, own)
        for s in ([source] if source is not None else self.known.tails(SOURCE_OF, sid(cue)))[:1]:
            self._claims_to(s, pieces)

    def source_links(self, source: Span) -> None:
        cue = self._nearest(source, CUE, lambda s: not self._has_out(SOURCE_OF, s), [])
        if cue is not None:
            self.links.append((SOURCE_OF, sid(cue), sid(source)))
            pieces = self.known.content_pieces(cue)
            # With the source labelled, a quote split round cue and source may now be seen.
            pieces += self._join_pieces(pieces, [cue, source])
            self._claims_to(source, pieces)
        self._names(source)

    def content_links(self, piece: Span) -> None:
        cue = self._nearest(
            piece,
            CUE,
            lambda s: not self._has_out(CONTENT_OF, s),
            [],
            own_of=lambda c: self.known.tails(SOURCE_OF, sid(c)),
        )
        if cue is not None:
            self.links.append((CONTENT_OF, sid(cue), sid(piece)))
            sources = self.known.tails(SOURCE_OF, sid(cue))
            pieces = [piece, *self._join_pieces([piece], [cue, *sources])]
            for source in sources[:1]:
                self._claims_to(source, pieces)
            return
        # Else maybe the other piece of a quote already given to a cue, across that cue.
        found = self._piece_across(piece)
        if found is not None:
            other, cue = found
            link = (
                (sid(other), sid(piece)) if other.start < piece.start else (sid(piece), sid(other))
            )
            self.links.append((CONTINUES, *link))
            for source in self.known.tails(SOURCE_OF, sid(cue))[:1]:
                self._claims_to(source, [piece])

    def claim_links(self, claim: Span) -> None:
        sources: dict[int, Span] = {}
        for piece in self.overlapping(claim.start, claim.end):
            if piece.label != CONTENT:
                continue
            for cue in self.known.cues_of(piece):
                for source in self.known.tails(SOURCE_OF, sid(cue)):
                    sources[sid(source)] = source
        if len(sources) == 1:
            self.links.append((ATTRIBUTED_TO, sid(claim), next(iter(sources))))

    def entity_links(self, entity: Span) -> None:
        """`refers_to` to a new entity from a source over it that it heads (see source_head):
        from a source naming nothing yet, or in place of the link to the entity that headed
        it before, so the order entities are labelled in does not matter."""
        tails = _tails_of(self.annotations, REFERS_TO)
        if entity.label not in tails:
            return
        for source in self.overlapping(entity.start, entity.end):
            if source.label != SOURCE:
                continue
            candidates = [s for s in self.overlapping(source.start, source.end) if s.label in tails]
            best = named_entity(self.text, source, candidates)
            if best is None or best.id != entity.id:
                continue
            named = self.known.tails(REFERS_TO, sid(source))
            if not named:
                self.links.append((REFERS_TO, sid(source), sid(entity)))
                continue
            before = named_entity(self.text, source, [s for s in candidates if s.id != entity.id])
            if len(named) == 1 and before is not None and named[0].id == before.id:
                link = (REFERS_TO, sid(source), sid(entity))
                self.links.append(link)
                self.replaced[link] = self._relation_id(REFERS_TO, sid(source), sid(before))

    # -- helpers
    def _names(self, source: Span) -> None:
        """`refers_to` from a new source to the entity that heads its words, if any."""
        tails = _tails_of(self.annotations, REFERS_TO)
        candidates = [s for s in self.overlapping(source.start, source.end) if s.label in tails]
        best = named_entity(self.text, source, candidates)
        if best is not None:
            self.links.append((REFERS_TO, sid(source), sid(best)))

    def _relation_id(self, kind: str, head: int, tail: int) -> int:
        return next(
            rid
            for rid, r in self.annotations.relations.items()
            if (r.type, r.head, r.tail) == (kind, head, tail)
        )

    def _claims_to(self, source: Span, pieces: list[Span]) -> None:
        """`attributed_to` the source from claims in these pieces that have no source yet."""
        claims: dict[int, Span] = {}
        for piece in pieces:
            for s in self.overlapping(piece.start, piece.end):
                if s.label == CLAIM and not self._has_out(ATTRIBUTED_TO, s):
                    claims[sid(s)] = s
        for claim in sorted(claims.values(), key=lambda s: (s.start, s.end)):
            self.links.append((ATTRIBUTED_TO, sid(claim), sid(source)))

    def _has_in(self, kind: str, span: Span) -> bool:
        return self.known.has_in(kind, sid(span)) or any(
            t == kind and tail == span.id for t, _, tail in self.links
        )

    def _has_out(self, kind: str, span: Span) -> bool:
        return self.known.has_out(kind, sid(span)) or any(
            t == kind and head == span.id for t, head, _ in self.links
        )

    def _nearest(
        self,
        span: Span,
        label: str,
        free: Callable[[Span], bool],
        own: list[Span],
        *,
        before_first: bool = False,
        own_of: Callable[[Span], list[Span]] | None = None,
    ) -> Span | None:
        """The nearest span of `label` that is free to join `span`, with no sentence end in
        the words between them (words of `own`, and of `own_of(candidate)`, not counted).

        `before_first` prefers one before `span`: a cue's content is its first piece.
        """
        found: list[tuple[bool, int, int, Span]] = []
        for other in self.nearby:
            if other.label != label or not free(other):
                continue
            hidden = own + (own_of(other) if own_of is not None else [])
            gap = _gap(self.text, span, other, hidden)
            if gap is None:
                continue
            # A content before its cue comes first, if only punctuation and the cue's own
            # parts stand between; else the nearest, so two attributions in one sentence
            # labelled in any order do not swap.
            preferred = before_first and other.end <= span.start and not _has_words(gap)
            found.append((not preferred, len(gap), other.start, other))
        return min(found, key=lambda f: f[:3])[3] if found else None

    def _join_pieces(self, pieces: list[Span], own: list[Span]) -> list[Span]:
        """Chains to an attribution's content pieces a free CONTENT piece just before the
        first or just after the last, across the attribution's own cue or source: the rest of
        a quote split by its cue. Returns the pieces it chains."""
        if not pieces:
            return []
        first = min(pieces, key=lambda p: p.start)
        last = max(pieces, key=lambda p: p.end)
        taken = {sid(p) for p in pieces}
        joined: list[Span] = []
        for other in sorted(self.nearby, key=lambda s: s.start):
            if other.label != CONTENT or sid(other) in taken or joined:
                continue
            if other.start >= last.end and not self._has_in(CONTINUES, other):
                if self._has_in(CONTENT_OF, other) or not self._across(last, other, own):
                    continue
                self.links.append((CONTINUES, sid(last), sid(other)))
                joined.append(other)
        for other in sorted(self.nearby, key=lambda s: -s.end):
            if other.label != CONTENT or sid(other) in taken or other.end > first.start:
                continue
            if self._has_out(CONTINUES, other) or self._has_in(CONTENT_OF, other):
                continue
            if self.known.cues_of(other) or not self._across(other, first, own):
                continue
            self.links.append((CONTINUES, sid(other), sid(first)))
            joined.append(other)
            break
        return joined

    def _piece_across(self, piece: Span) -> tuple[Span, Span] | None:
        """A piece of an attribution that `piece` continues across its cue (before or after
        it), with that cue; the nearest if several."""
        best: tuple[int, Span, Span] | None = None
        for other in self.nearby:
            if other.label != CONTENT or _overlap(other, piece):
                continue
            after = other.start >= piece.end
            if (after and self._has_in(CONTINUES, other)) or (
                not after and self._has_out(CONTINUES, other)
            ):
                continue
            cues = self.known.cues_of(other)
            if not cues:
                continue
            own = cues + [s for c in cues for s in self.known.tails(SOURCE_OF, sid(c))]
            first, second = (piece, other) if after else (other, piece)
            if not self._across(first, second, own):
                continue
            distance = second.start - first.end
            if best is None or distance < best[0]:
                best = (distance, other, cues[0])
        return None if best is None else (best[1], best[2])

    def _across(self, first: Span, second: Span, own: list[Span]) -> bool:
        """Whether only punctuation and the attribution's own cue or source stand between two
        pieces (and one of those parts does): the two are one quote split by its cue."""
        gap = _gap(self.text, first, second, own)
        return gap is not None and not _has_words(gap) and _crosses(own, first, second)


def _gap(text: str, a: Span, b: Span, hidden: list[Span]) -> str | None:
    """The characters between two spans outside the `hidden` ones; None when a sentence or
    paragraph ends there or the words between run too long."""
    first, second = (a, b) if a.start <= b.start else (b, a)
    if first.end > second.start:
        return ""  # they overlap: nothing stands between
    start, end = first.end, second.start
    keep = [True] * (end - start)
    for part in hidden:
        for i in range(max(part.start, start), min(part.end, end)):
            keep[i - start] = False
    shown = []
    for i, visible in enumerate(keep):
        if not visible:
            continue
        position = start + i
        if text[position] == "\n" or _ends_sentence(text, position):
            return None
        shown.append(text[position])
    gap = "".join(shown)
    return None if len(gap) > _REACH else gap


# Words whose full stop ends no sentence: titles, months, company forms.
_ABBREVIATION_WORDS = (
    "mr mrs ms dr prof gov sen rep gen col lt sgt capt st jr sr inc co corp ltd no vs etc "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_CLOSERS = "\"'\u201d\u2019)]"
_OPENERS = "\"'\u201c\u2018(["


def _ends_sentence(text: str, i: int) -> bool:
    """Whether the `.`, `!` or `?` at `i` ends a sentence: closing quotes may follow, then
    white space and a capital letter or an opening quote. A full stop after an abbreviation
    or a single letter (U.S., J. Smith, p.m.) ends nothing."""
    mark = text[i]
    if mark not in _SENTENCE_END:
        return False
    j = i + 1
    while j < len(text) and text[j] in _CLOSERS:
        j += 1
    if j < len(text) and not text[j].isspace():
        return False  # 4.5, U.S., "Why?"-style marks inside words
    while j < len(text) and text[j].isspace() and text[j] != "\n":
        j += 1
    if j >= len(text) or text[j] == "\n":
        return True
    if not (text[j].isupper() or text[j] in _OPENERS):
        return False  # "Why now?" she asked; p.m. that
    if mark == ".":
        word_start = i
        while word_start > 0 and text[word_start - 1].isalpha():
            word_start -= 1
        word = text[word_start:i]
        if len(word) == 1 or word.lower() in _ABBREVIATIONS:
            return False
    return True


def _has_words(gap: str) -> bool:
    return any(c.isalnum() for c in gap)


def _crosses(own: list[Span], first: Span, second: Span) -> bool:
    """Whether one of the attribution's own parts stands between two pieces of a content."""
    return any(first.end <= part.start and part.end <= second.start for part in own)


def _allowed(annotations: AnnotationSet, links: list[Link]) -> list[Link]:
    """The links the schema allows, without those already there and without repeats."""
    if not links:
        return []
    spans = annotations.spans
    schema = annotations.schema
    have = annotations.links()
    kept: list[Link] = []
    for link in links:
        type_, head, tail = link
        if link in have or link in kept or head == tail:
            continue
        allowed = schema.relation_types_for(spans[head].label, spans[tail].label)
        if any(r.name == type_ for r in allowed):
            kept.append(link)
    return kept


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _tails_of(annotations: AnnotationSet, type_name: str) -> set[str]:
    schema = annotations.schema
    if not any(r.name == type_name for r in schema.relation_types):
        return set()  # a schema without that relation: nothing to link
    return set(schema.relation_type(type_name).tails)
