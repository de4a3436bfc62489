"""Curation: what the chosen annotators agree on (all, or at least k of n) merged into one
set, and what is left as disagreements for a curator to decide."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from labeler.domain.annotation import AnnotationSet, Span
from labeler.domain.schema import LabelSchema

SpanKey = tuple[str, int, int, str]  # layer, start, end, label
RelationKey = tuple[str, SpanKey, SpanKey]  # type, head, tail


def span_key(span: Span) -> SpanKey:
    return (span.layer, span.start, span.end, span.label)


@dataclass(frozen=True)
class Disagreement:
    """One item the chosen annotators do not agree on enough.

    kind is "span", "relation" or "attribute". `versions` maps each annotator to what they
    had: for a span or relation "yes" or None (did not have it); for an attribute the value
    (None: no value). `attribute` names the attribute (kind "attribute" only), on `span`.
    """

    kind: str
    span: SpanKey
    versions: dict[str, str | None]
    text: str
    relation: RelationKey | None = None
    attribute: str | None = None

    def had(self) -> list[str]:
        return sorted(a for a, v in self.versions.items() if v is not None)


def item_key(item: Disagreement) -> str:
    """A disagreement's identity as text (what a stored rejection names)."""
    return json.dumps([item.kind, item.span, item.relation, item.attribute])


def held_span(made: AnnotationSet, key: SpanKey) -> int | None:
    """The id of the span of `made` with this layer, extent and label, or None."""
    layer, start, end, label = key
    for span in made.spans_in(start, end, layer):
        if (span.start, span.end, span.label) == (start, end, label):
            return span.id
    return None


def is_settled(made: AnnotationSet, item: Disagreement) -> bool:
    """Whether the curated set `made` holds the item: the span, the relation, or a value of
    the attribute some annotator gave."""
    span_id = held_span(made, item.span)
    if item.kind == "span":
        return span_id is not None
    if item.kind == "relation":
        assert item.relation is not None
        type_, head, tail = item.relation
        head_id = span_id if head == item.span else held_span(made, head)
        tail_id = held_span(made, tail)
        if head_id is None or tail_id is None:
            return False
        return made.has_link(type_, head_id, tail_id)
    if span_id is None:
        return False
    value = made.spans[span_id].attributes.get(item.attribute or "")
    return value is not None and value in item.versions.values()


@dataclass
class CurationPlan:
    """The agreed spans and relations with who had each, and the disagreements in text order."""

    spans: list[tuple[Span, list[str]]] = field(default_factory=list)
    relations: list[tuple[RelationKey, dict[str, str], list[str]]] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)


def plan_curation(
    sets: Mapping[str, AnnotationSet], schema: LabelSchema, min_agree: int | None = None
) -> CurationPlan:
    """Merges what at least `min_agree` of these annotators' sets agree on (all, when None).

    A span is agreed when that many annotators have one of the same extent and label; its
    attribute values are kept where that many agree on a value, the rest are attribute
    disagreements. A relation is agreed when both its ends are agreed and that many have it
    with the same type. An agreed span that would overlap another where its layer forbids it
    is left as a disagreement.
    """
    names = sorted(sets)
    if not names:
        raise ValueError("no annotation sets to curate")
    k = len(names) if min_agree is None else min_agree
    if not 1 <= k <= len(names):
        raise ValueError(f"--min-agree must be between 1 and {len(names)}, not {k}")
    holders: dict[SpanKey, dict[str, Span]] = {}
    for name in names:
        for span in sets[name].spans.values():
            holders.setdefault(span_key(span), {})[name] = span
    plan = CurationPlan()
    # Taken in text order: an agreed span overlaps a kept one of its layer exactly when it
    # starts before the furthest end kept there so far.
    exclusive = {layer.name for layer in schema.layers if not layer.allow_overlap}
    reach: dict[str, int] = {}
    agreed: set[SpanKey] = set()
    for key in sorted(holders, key=lambda k_: (k_[1], k_[2], k_[0], k_[3])):
        had = holders[key]
        text = next(iter(had.values())).text
        versions: dict[str, str | None] = {n: ("yes" if n in had else None) for n in names}
        if len(had) < k:
            plan.disagreements.append(Disagreement("span", key, versions, text))
            continue
        attributes: dict[str, str] = {}
        for attribute in sorted({a for s in had.values() for a in s.attributes}):
            values = {n: s.attributes.get(attribute) for n, s in had.items()}
            counts = Counter(v for v in values.values() if v is not None)
            top = counts.most_common(1)
            if top and top[0][1] >= k and _unique_top(counts):
                attributes[attribute] = top[0][0]
            else:
                plan.disagreements.append(
                    Disagreement("attribute", key, dict(values), text, attribute=attribute)
                )
        span = Span(key[1], key[2], key[3], key[0], text, attributes)
        if key[0] in exclusive:
            if key[1] < reach.get(key[0], -1):
                plan.disagreements.append(Disagreement("span", key, versions, text))
                continue
            reach[key[0]] = max(reach.get(key[0], -1), key[2])
        agreed.add(key)
        plan.spans.append((span, sorted(had)))
    plan.relations, relation_disagreements = _relations(sets, names, k, agreed)
    plan.disagreements.extend(relation_disagreements)
    plan.disagreements.sort(key=lambda d: (d.span[1], d.span[2], d.kind))
    return plan


def _unique_top(counts: Counter[str]) -> bool:
    ranked = counts.most_common(2)
    return len(ranked) < 2 or ranked[0][1] > ranked[1][1]


def _relations(
    sets: Mapping[str, AnnotationSet], names: list[str], k: int, agreed: set[SpanKey]
) -> tuple[list[tuple[RelationKey, dict[str, str], list[str]]], list[Disagreement]]:
    had: dict[RelationKey, dict[str, dict[str, str]]] = {}
    texts: dict[SpanKey, str] = {}
    for name in names:
        spans = sets[name].spans
        for r in sets[name].relations.values():
            head, tail = spans[r.head], spans[r.tail]
            texts[span_key(head)] = head.text
            key = (r.type, span_key(head), span_key(tail))
            had.setdefault(key, {})[name] = dict(r.attributes)
    merged: list[tuple[RelationKey, dict[str, str], list[str]]] = []
    disagreements: list[Disagreement] = []
    for key in sorted(had, key=lambda k_: (k_[1][1], k_[2][1], k_[0])):
        by = had[key]
        if len(by) >= k and key[1] in agreed and key[2] in agreed:
            first = next(iter(by.values()))
            merged.append((key, first, sorted(by)))
        else:
            versions: dict[str, str | None] = {n: ("yes" if n in by else None) for n in names}
            disagreements.append(
                Disagreement("relation", key[1], versions, texts[key[1]], relation=key)
            )
    return merged, disagreements
