"""Attribution in a few keys: the links to make when a source, cue, content or claim is labelled.

The annotator labels the parts of one attribution in any order (source, cue, content, or the
content first as news quotes often come); `AttributionBuilder` keeps the attribution being
built and, after each new span, names the relations that join it:

- a CUE is linked to the SOURCE (`source`) and to the first CONTENT piece (`content`);
- a CONTENT piece that continues the previous one across the cue ("The troops", he said,
  "are engineers") is chained to it (`continues`) rather than starting a new attribution;
- a SOURCE is linked to the one entity it names (`refers_to`), and claims inside the
  attribution's content to the source (`attributed_to`).

Only links the schema allows and that are not there already are proposed; the editor makes
them as one undoable step with the span.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from labeler.domain.annotation import AnnotationSet, Span
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
# The spans that overlap [start, end): the editor answers from its index of the text.
Overlapping = Callable[[int, int], Iterable[Span]]

_SENTENCE_END = frozenset(".!?")


@dataclass
class _Open:
    """The parts of the attribution being built, by span id."""

    source: int | None = None
    cue: int | None = None
    contents: list[int] = field(default_factory=list)

    def ids(self) -> list[int]:
        return [i for i in (self.source, self.cue, *self.contents) if i is not None]

    def complete(self) -> bool:
        return self.cue is not None and self.source is not None and bool(self.contents)


class AttributionBuilder:
    """The attribution an annotator is labelling on one document, and the links it needs."""

    def __init__(self) -> None:
        self._open = _Open()

    def forget(self) -> None:
        self._open = _Open()

    def links_after(
        self,
        annotations: AnnotationSet,
        text: str,
        span: Span,
        overlapping: Overlapping | None = None,
    ) -> list[Link]:
        """The relations to make now that `span` is labelled (it is in `annotations`).

        `overlapping` finds the spans over a range; without it every span is looked at.
        """
        self._drop_missing(annotations)
        if overlapping is None:
            overlapping = _scan(annotations)
        assert span.id is not None
        open_ = self._open
        links: list[Link] = []
        if span.label == SOURCE:
            if open_.source is not None or open_.complete():
                open_ = self._open = _Open()
            open_.source = span.id
            if open_.cue is not None:
                links.append((SOURCE_OF, open_.cue, span.id))
            links += _entity_links(annotations, span, overlapping)
            links += _claim_links(annotations, open_.contents, span.id, overlapping)
        elif span.label == CUE:
            if open_.cue is not None:
                open_ = self._open = _Open()
            open_.cue = span.id
            if open_.source is not None:
                links.append((SOURCE_OF, span.id, open_.source))
            if open_.contents:
                links.append((CONTENT_OF, span.id, open_.contents[0]))
            if open_.source is not None:
                links += _claim_links(annotations, open_.contents, open_.source, overlapping)
        elif span.label == CONTENT:
            last = open_.contents[-1] if open_.contents else None
            if last is not None and _continues(annotations, text, open_, last, span):
                links.append((CONTINUES, last, span.id))
            else:
                if open_.contents:
                    open_ = self._open = _Open()
                if open_.cue is not None:
                    links.append((CONTENT_OF, open_.cue, span.id))
            open_.contents.append(span.id)
            if open_.source is not None:
                links += _claim_links(annotations, [span.id], open_.source, overlapping)
        elif span.label == CLAIM:
            source = _source_for_claim(annotations, span, open_, overlapping)
            if source is not None:
                links.append((ATTRIBUTED_TO, span.id, source))
        else:
            links += _source_links(annotations, span, overlapping)
        return _allowed(annotations, links)

    def _drop_missing(self, annotations: AnnotationSet) -> None:
        """Forgets parts that were deleted (or undone) since they were labelled."""
        spans = annotations.spans
        open_ = self._open
        if open_.source is not None and open_.source not in spans:
            open_.source = None
        if open_.cue is not None and open_.cue not in spans:
            open_.cue = None
        open_.contents = [i for i in open_.contents if i in spans]


def _allowed(annotations: AnnotationSet, links: list[Link]) -> list[Link]:
    """The links the schema allows, without those already there and without repeats."""
    spans = annotations.spans
    schema = annotations.schema
    have = {(r.type, r.head, r.tail) for r in annotations.relations.values()}
    kept: list[Link] = []
    for link in links:
        type_, head, tail = link
        if link in have or link in kept or head == tail:
            continue
        allowed = schema.relation_types_for(spans[head].label, spans[tail].label)
        if any(r.name == type_ for r in allowed):
            kept.append(link)
    return kept


def _continues(annotations: AnnotationSet, text: str, open_: _Open, last: int, span: Span) -> bool:
    """Whether `span` is the next piece of the content `last` belongs to.

    It is when nothing but punctuation and this attribution's own cue and source stand
    between the two pieces, or the gap holds the cue; never across the end of a sentence.
    """
    previous = annotations.spans[last]
    first, second = (previous, span) if previous.start <= span.start else (span, previous)
    if first.end > second.start:
        return False  # overlapping pieces are not a split content
    gap_start, gap_end = first.end, second.start
    covered = [False] * (gap_end - gap_start)
    own = [annotations.spans[i] for i in (open_.cue, open_.source) if i is not None]
    for part in own:
        for i in range(max(part.start, gap_start), min(part.end, gap_end)):
            covered[i - gap_start] = True
    gap = text[gap_start:gap_end]
    if any(c in _SENTENCE_END for c, hidden in zip(gap, covered, strict=True) if not hidden):
        return False
    cue = annotations.spans[open_.cue] if open_.cue is not None else None
    if cue is not None and gap_start <= cue.start and cue.end <= gap_end:
        return True
    return not any(c.isalnum() for c, hidden in zip(gap, covered, strict=True) if not hidden)


def _scan(annotations: AnnotationSet) -> Overlapping:
    def overlapping(start: int, end: int) -> list[Span]:
        return [s for s in annotations.spans.values() if s.start < end and start < s.end]

    return overlapping


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _entity_links(annotations: AnnotationSet, source: Span, overlapping: Overlapping) -> list[Link]:
    """`refers_to` from a new source to the entity it names, if one stands out."""
    tails = _tails_of(annotations, REFERS_TO)
    candidates = [s for s in overlapping(source.start, source.end) if s.label in tails]
    best = _single_best(candidates, source)
    return [(REFERS_TO, source.id, best.id)] if best is not None else []  # type: ignore[list-item]


def _source_links(annotations: AnnotationSet, entity: Span, overlapping: Overlapping) -> list[Link]:
    """`refers_to` to a new entity from the one source over it that names nothing yet."""
    if entity.label not in _tails_of(annotations, REFERS_TO):
        return []
    sources = [s for s in overlapping(entity.start, entity.end) if s.label == SOURCE]
    if not sources:
        return []
    named = {r.head for r in annotations.relations.values() if r.type == REFERS_TO}
    sources = [s for s in sources if s.id not in named]
    if len(sources) != 1:
        return []
    return [(REFERS_TO, sources[0].id, entity.id)]  # type: ignore[list-item]


def _single_best(candidates: list[Span], target: Span) -> Span | None:
    if not candidates:
        return None
    ranked = sorted(candidates, key=lambda s: _overlap(s, target), reverse=True)
    if len(ranked) > 1 and _overlap(ranked[0], target) == _overlap(ranked[1], target):
        return None  # two equally good: leave the choice to the annotator
    return ranked[0]


def _tails_of(annotations: AnnotationSet, type_name: str) -> set[str]:
    for r in annotations.schema.relation_types:
        if r.name == type_name:
            return set(r.tails)
    return set()


def _claim_links(
    annotations: AnnotationSet, content_ids: list[int], source: int, overlapping: Overlapping
) -> list[Link]:
    """`attributed_to` the source from claims inside the content that have no source yet."""
    claims: dict[int, Span] = {}
    for content in (annotations.spans[i] for i in content_ids):
        for s in overlapping(content.start, content.end):
            if s.label == CLAIM:
                claims[s.id] = s  # type: ignore[index]
    if not claims:
        return []
    attributed = {r.head for r in annotations.relations.values() if r.type == ATTRIBUTED_TO}
    return [
        (ATTRIBUTED_TO, s.id, source)  # type: ignore[misc]
        for s in sorted(claims.values(), key=lambda s: (s.start, s.end))
        if s.id not in attributed
    ]


def _source_for_claim(
    annotations: AnnotationSet, claim: Span, open_: _Open, overlapping: Overlapping
) -> int | None:
    """The one source of the contents a new claim lies in, if there is exactly one."""
    contents = [s for s in overlapping(claim.start, claim.end) if s.label == CONTENT]
    if not contents:
        return None
    relations = list(annotations.relations.values())
    sources: set[int] = set()
    for content in contents:
        if content.id in open_.contents and open_.source is not None:
            sources.add(open_.source)
            continue
        first = content.id
        seen = {first}
        while True:  # back along `continues` to the first piece
            before = [r.head for r in relations if r.type == CONTINUES and r.tail == first]
            if not before or before[0] in seen:
                break
            first = before[0]
            seen.add(first)
        cues = [r.head for r in relations if r.type == CONTENT_OF and r.tail in seen]
        sources.update(r.tail for r in relations if r.type == SOURCE_OF and r.head in cues)
    return sources.pop() if len(sources) == 1 else None
