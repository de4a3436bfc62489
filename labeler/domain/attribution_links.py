"""The relations of an annotation set indexed both ways, and the parts of attributions they join.

Who said what reads attributions through it, and quick attribution finds what a new span
should join; both see a content's pieces the same way.
"""

from __future__ import annotations

from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.attribution_roles import CONTENT, CONTENT_OF, CONTINUES, CUE


def sid(span: Span) -> int:
    """The id of a span of a set: every span there has one (stored, or local and negative)."""
    assert span.id is not None
    return span.id


def reading_key(span: Span) -> tuple[int, int, int]:
    return (span.start, span.end, sid(span))


class Links:
    """The relations of a set by (type, head) and (type, tail), keeping only spans that exist."""

    def __init__(self, annotations: AnnotationSet) -> None:
        self.spans = annotations.spans
        self.out: dict[tuple[str, int], list[int]] = {}
        self.into: dict[tuple[str, int], list[int]] = {}
        for r in annotations.relations.values():
            if r.head in self.spans and r.tail in self.spans:
                self.out.setdefault((r.type, r.head), []).append(r.tail)
                self.into.setdefault((r.type, r.tail), []).append(r.head)

    def has_out(self, kind: str, head: int) -> bool:
        return bool(self.out.get((kind, head)))

    def has_in(self, kind: str, tail: int) -> bool:
        return bool(self.into.get((kind, tail)))

    def tails(self, kind: str, head: int, label: str | None = None) -> list[Span]:
        found = (self.spans[t] for t in self.out.get((kind, head), ()))
        return sorted((s for s in found if label is None or s.label == label), key=reading_key)

    def heads(self, kind: str, tail: int, label: str | None = None) -> list[Span]:
        found = (self.spans[h] for h in self.into.get((kind, tail), ()))
        return sorted((s for s in found if label is None or s.label == label), key=reading_key)

    def chain(self, piece: Span) -> list[Span]:
        """Every CONTENT piece chained to this one by `continues`, either way, itself included."""
        seen: dict[int, Span] = {}
        todo = [piece]
        while todo:
            part = todo.pop()
            if sid(part) in seen:
                continue
            seen[sid(part)] = part
            todo += self.tails(CONTINUES, sid(part), CONTENT)
            todo += self.heads(CONTINUES, sid(part), CONTENT)
        return sorted(seen.values(), key=reading_key)

    def content_pieces(self, cue: Span) -> list[Span]:
        """The cue's content: every piece the cue points at and every piece chained to one by
        `continues` (either way, so a cue pointing at a later piece still finds the first)."""
        pieces: dict[int, Span] = {}
        for piece in self.tails(CONTENT_OF, sid(cue), CONTENT):
            for part in self.chain(piece):
                pieces[sid(part)] = part
        return sorted(pieces.values(), key=reading_key)

    def cues_of(self, piece: Span) -> list[Span]:
        """The cues whose content holds this piece."""
        cues: dict[int, Span] = {}
        for part in self.chain(piece):
            for cue in self.heads(CONTENT_OF, sid(part), CUE):
                cues[sid(cue)] = cue
        return sorted(cues.values(), key=reading_key)
