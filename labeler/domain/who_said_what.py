"""Who said what: one row per attribution (cue, source, content, claims, entity) of a set."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.annotation_events import (
    Change,
    SpanAdded,
    SpanChanged,
    SpanRemoved,
    StatusChanged,
)
from labeler.domain.attribution_links import Links, reading_key, sid
from labeler.domain.attribution_roles import (
    ATTRIBUTED_TO,
    CLAIM,
    CONTENT,
    CUE,
    REFERS_TO,
    SOURCE,
    SOURCE_OF,
)

CLAIM_TYPE = "claim_type"
CHECKWORTHY = "checkworthy"
VERIFICATION = "verification"

LIST_JOIN = "; "  # between several sources, claims or entities of one row
PIECE_JOIN = " … "  # between the pieces of a content split by its cue
MISSING = "-"  # a claim without a value, when a row lists several claims


@dataclass(frozen=True, slots=True)
class LinkedClaim:
    """A CLAIM span linked to an attribution, with its attribute values ("" if unset)."""

    span_id: int | None
    start: int
    text: str
    claim_type: str = ""
    checkworthy: str = ""
    verification: str = ""


@dataclass(frozen=True, slots=True)
class AttributionRow:
    """One attribution: a CUE with its source(s), content and linked claims and entities.

    A SOURCE with claims attributed to it but no cue makes a row too, with no cue or
    content. `span_id` and `start` are the place to go to: the cue's, or that source's.
    """

    span_id: int | None
    start: int
    cue: str
    source: str
    content: str
    claims: tuple[LinkedClaim, ...] = ()
    entity_label: str = ""
    entity_text: str = ""
    cue_id: int | None = None
    source_ids: tuple[int, ...] = ()
    content_ids: tuple[int, ...] = ()
    document_id: int | None = None
    document_title: str = ""
    annotator: str = ""

    @property
    def claim_text(self) -> str:
        return LIST_JOIN.join(c.text for c in self.claims)

    @property
    def claim_type(self) -> str:
        return self._claim_values(lambda c: c.claim_type)

    @property
    def checkworthy(self) -> str:
        return self._claim_values(lambda c: c.checkworthy)

    @property
    def verification(self) -> str:
        return self._claim_values(lambda c: c.verification)

    @property
    def claim_types(self) -> frozenset[str]:
        """Every claim type among the row's claims, for filtering."""
        return frozenset(c.claim_type for c in self.claims if c.claim_type)

    def _claim_values(self, value: Callable[[LinkedClaim], str]) -> str:
        # One value per claim, in the order of claim_text, so the two line up.
        values = [value(c) for c in self.claims]
        if not any(values):
            return ""
        if len(values) == 1:
            return values[0]
        return LIST_JOIN.join(v or MISSING for v in values)


def _claim(span: Span) -> LinkedClaim:
    attrs = span.attributes
    return LinkedClaim(
        span.id,
        span.start,
        span.text,
        attrs.get(CLAIM_TYPE, ""),
        attrs.get(CHECKWORTHY, ""),
        attrs.get(VERIFICATION, ""),
    )


def _joined(spans: Iterable[Span]) -> str:
    return LIST_JOIN.join(s.text for s in spans)


class _PieceIndex:
    """Content pieces by start, to find the ones a claim overlaps without a pairwise scan."""

    def __init__(self, pieces_of: dict[int, list[Span]]) -> None:
        self._items = sorted(
            (p.start, p.end, cue_id) for cue_id, pieces in pieces_of.items() for p in pieces
        )
        self._starts = [item[0] for item in self._items]
        self._longest = max((end - start for start, end, _ in self._items), default=0)

    def cues_over(self, span: Span) -> set[int]:
        """The cues with a content piece that overlaps `span`."""
        # A piece that overlaps starts before span.end and no earlier than span.start - longest.
        low = bisect.bisect_left(self._starts, span.start - self._longest)
        high = bisect.bisect_left(self._starts, span.end)
        return {cue for _, end, cue in self._items[low:high] if end > span.start}


def attribution_rows(
    annotations: AnnotationSet, document_id: int | None = None, document_title: str = ""
) -> list[AttributionRow]:
    """The attributions of one annotation set, in reading order.

    One row per CUE, and one per SOURCE that has claims attributed to it but no cue. A claim
    with an `attributed_to` relation belongs to its source's rows (only those whose content
    it overlaps, when the source has several cues and the claim overlaps some); a claim with
    none belongs to every row whose content it overlaps. Rows are ordered by where the
    attribution begins in the text (its cue, source or content, whichever comes first).
    """
    links = Links(annotations)
    spans = sorted(annotations.spans.values(), key=reading_key)
    cues = [s for s in spans if s.label == CUE]
    sources_of = {sid(c): links.tails(SOURCE_OF, sid(c), SOURCE) for c in cues}
    pieces_of = {sid(c): links.content_pieces(c) for c in cues}
    cues_of_source: dict[int, list[int]] = {}
    for cue_id, sources in sources_of.items():
        for source in sources:
            cues_of_source.setdefault(sid(source), []).append(cue_id)
    pieces = _PieceIndex(pieces_of)

    linked: dict[int, list[Span]] = {}  # by cue id, or source id for a source without a cue
    orphans: list[Span] = []  # sources with claims but no cue, in order of their first claim
    for claim in spans:
        if claim.label != CLAIM:
            continue
        over = pieces.cues_over(claim)
        targets = links.tails(ATTRIBUTED_TO, sid(claim), SOURCE)
        chosen: list[int] = sorted(over) if not targets else []
        for source in targets:
            its_cues = cues_of_source.get(sid(source))
            if its_cues:
                chosen += [c for c in its_cues if c in over] or its_cues
            else:
                if sid(source) not in linked:
                    orphans.append(source)
                chosen.append(sid(source))
        for place in dict.fromkeys(chosen):
            linked.setdefault(place, []).append(claim)

    def row(
        place: Span, cue: Span | None, sources: list[Span], parts: list[Span]
    ) -> AttributionRow:
        entities = [e for s in sources for e in links.tails(REFERS_TO, sid(s))]
        return AttributionRow(
            span_id=place.id,
            start=place.start,
            cue=cue.text if cue is not None else "",
            source=_joined(sources),
            content=PIECE_JOIN.join(p.text for p in parts),
            claims=tuple(_claim(c) for c in linked.get(sid(place), ())),
            entity_label=LIST_JOIN.join(e.label for e in entities),
            entity_text=_joined(entities),
            cue_id=cue.id if cue is not None else None,
            source_ids=tuple(sid(s) for s in sources),
            content_ids=tuple(sid(p) for p in parts),
            document_id=document_id,
            document_title=document_title,
            annotator=annotations.annotator,
        )

    keyed: list[tuple[tuple[int, int, int], AttributionRow]] = []
    for cue in cues:
        sources, parts = sources_of[sid(cue)], pieces_of[sid(cue)]
        first = min(s.start for s in [cue, *sources, *parts])
        keyed.append(((first, cue.start, sid(cue)), row(cue, cue, sources, parts)))
    for source in orphans:
        key = (source.start, source.start, sid(source))
        keyed.append((key, row(source, None, [source], [])))
    keyed.sort(key=lambda pair: pair[0])
    return [made for _, made in keyed]


def touches_attributions(annotations: AnnotationSet, change: Change) -> bool:
    """Whether a change of the set may change its attribution rows (an entity made or
    moved that nothing links to does not)."""
    match change:
        case SpanAdded(span) | SpanRemoved(span):
            return span.label in _PARTS or _linked(annotations, span)
        case SpanChanged(old, new):
            return old.label in _PARTS or new.label in _PARTS or _linked(annotations, new)
        case StatusChanged():
            return False
        case _:
            return True  # relations, and a set reloaded


_PARTS = frozenset((CUE, SOURCE, CONTENT, CLAIM))


def _linked(annotations: AnnotationSet, span: Span) -> bool:
    return span.id is not None and bool(annotations.relations_of(span.id))
