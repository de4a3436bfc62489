"""Suggestion: a span or relation a recommender proposes, with how sure it is and whose it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SuggestedSpan:
    """A label proposed for [start, end) of the text, in code-point offsets."""

    start: int
    end: int
    label: str
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SuggestedRelation:
    """A relation proposed between two spans of the set, by their ids; `replaces` names a
    relation of the set it takes the place of (accepting it deletes that one)."""

    type: str
    head: int
    tail: int
    replaces: int | None = None


@dataclass(frozen=True, slots=True)
class SuggestedFrame:
    """Spans proposed together with the relations that link them (an attribution's source,
    cue and content): `links` are (relation type, head index, tail index) into `spans`."""

    spans: tuple[SuggestedSpan, ...]
    links: tuple[tuple[str, int, int], ...] = ()

    def __post_init__(self) -> None:
        if not self.spans:
            raise ValueError("a suggested frame has at least one span")
        for _, head, tail in self.links:
            if not (0 <= head < len(self.spans) and 0 <= tail < len(self.spans)):
                raise ValueError(f"a frame's link names a span it does not have: {head}, {tail}")


Proposal = SuggestedSpan | SuggestedRelation | SuggestedFrame


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What a recommender proposes: a span or a relation, a score in [0, 1], and its name.

    The annotator accepts or rejects a suggestion; until then it is no part of the set.
    """

    proposal: Proposal
    score: float
    recommender: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"a suggestion's score lies in [0, 1], not {self.score}")

    @property
    def key(self) -> str:
        """What the suggestion proposes, as a string: the same proposal from any recommender
        has the same key, so a rejected one is not proposed again by another."""
        return proposal_key(self.proposal)

    @property
    def extent(self) -> tuple[int, int] | None:
        """The range of text its spans cover, [first start, last end); None for a relation."""
        spans = _spans_of(self.proposal)
        if not spans:
            return None
        return min(s.start for s in spans), max(s.end for s in spans)

    @property
    def spans(self) -> tuple[SuggestedSpan, ...]:
        """The spans it proposes (none for a relation)."""
        return _spans_of(self.proposal)


def _spans_of(proposal: Proposal) -> tuple[SuggestedSpan, ...]:
    if isinstance(proposal, SuggestedSpan):
        return (proposal,)
    if isinstance(proposal, SuggestedFrame):
        return proposal.spans
    return ()


def proposal_key(proposal: Proposal) -> str:
    """A proposal as a stable string (see Suggestion.key)."""
    if isinstance(proposal, SuggestedSpan):
        return f"span:{proposal.start}:{proposal.end}:{proposal.label}"
    if isinstance(proposal, SuggestedRelation):
        return f"relation:{proposal.type}:{proposal.head}:{proposal.tail}"
    parts = ";".join(f"{s.start}:{s.end}:{s.label}" for s in proposal.spans)
    links = ";".join(f"{t}:{h}:{k}" for t, h, k in proposal.links)
    return f"frame:{parts}|{links}"


def proposal_to_dict(proposal: Proposal) -> dict[str, Any]:
    """A proposal as plain JSON values (stored, imported and exported so)."""
    if isinstance(proposal, SuggestedSpan):
        found: dict[str, Any] = {
            "kind": "span",
            "start": proposal.start,
            "end": proposal.end,
            "label": proposal.label,
        }
        if proposal.attributes:
            found["attributes"] = dict(proposal.attributes)
        return found
    if isinstance(proposal, SuggestedRelation):
        return {"kind": "relation", "type": proposal.type, "head": proposal.head,
                "tail": proposal.tail}  # fmt: skip
    return {
        "kind": "frame",
        "spans": [proposal_to_dict(s) for s in proposal.spans],
        "links": [list(link) for link in proposal.links],
    }


def proposal_from_dict(data: dict[str, Any]) -> Proposal:
    """The proposal that proposal_to_dict gave; ValueError (saying why) for anything else."""
    try:
        kind = data.get("kind", "span")
        if kind == "span":
            start, end, label = int(data["start"]), int(data["end"]), str(data["label"])
            if not 0 <= start < end:
                raise ValueError(f"a span needs 0 <= start < end, not [{start}, {end})")
            attributes = {str(k): str(v) for k, v in dict(data.get("attributes", {})).items()}
            return SuggestedSpan(start, end, label, attributes)
        if kind == "relation":
            return SuggestedRelation(str(data["type"]), int(data["head"]), int(data["tail"]))
        if kind == "frame":
            spans = tuple(_span_from(s) for s in data["spans"])
            links = tuple((str(t), int(h), int(k)) for t, h, k in data.get("links", []))
            return SuggestedFrame(spans, links)
    except (KeyError, TypeError) as error:
        raise ValueError(f"a suggestion lacks or mistypes {error}") from None
    raise ValueError(f"unknown kind of suggestion {kind!r}")


def _span_from(data: dict[str, Any]) -> SuggestedSpan:
    proposal = proposal_from_dict({**data, "kind": "span"})
    assert isinstance(proposal, SuggestedSpan)
    return proposal
