"""Agreement between annotators over a project's documents: per layer, label and pair.

`measure_agreement` takes each document's text and annotation sets (from a service) and
returns a report of figures, each with the counts behind it and a note where it is undefined.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from labeler.domain.annotation import AnnotationSet, Span, Status
from labeler.domain.schema import LabelSchema
from labeler.domain.tokens import token_offsets
from labeler.quality import matching as m
from labeler.quality.figures import ALL, RELATIONS, Figure, Measure, StatusFilter, pair_name
from labeler.quality.frame_tally import FrameTally
from labeler.quality.measures import MISSING, Codes, Value, cohen_kappa, mean
from labeler.quality.token_codes import LayerValues, document_codes
from labeler.quality.token_tally import token_figures


@dataclass(frozen=True, slots=True)
class DocumentAgreement:
    """How far the annotators of one document agree, to find the documents to look at."""

    document_id: int
    title: str
    annotators: tuple[str, ...]
    span_f1: float | None  # overlap F1 over every layer and pair
    spans: int
    token_agreement: float | None  # share of (token, layer, pair) with the same value
    tokens: int


@dataclass(frozen=True)
class AgreementReport:
    annotators: tuple[str, ...]
    layers: tuple[str, ...]
    status: StatusFilter
    documents: int  # compared: at least two chosen annotators qualify
    left_out: int  # fewer than two chosen annotators qualify
    figures: list[Figure] = field(default_factory=list)
    by_document: list[DocumentAgreement] = field(default_factory=list)  # least agreement first

    def figure(self, measure: Measure, layer: str, label: str = "", pair: str = ALL) -> Figure:
        for f in self.figures:
            if (f.measure, f.layer, f.label, f.pair) == (measure, layer, label, pair):
                return f
        raise KeyError((measure, layer, label, pair))


@dataclass(frozen=True, slots=True)
class DocumentSets:
    """One document's text and every annotation set on it."""

    document_id: int
    title: str
    text: str
    sets: Sequence[AnnotationSet]


def qualifying(
    sets: Iterable[AnnotationSet], annotators: Sequence[str], status: StatusFilter
) -> dict[str, AnnotationSet]:
    """The chosen annotators' sets that count: done ones, or any status."""
    chosen = set(annotators)
    return {
        s.annotator: s
        for s in sets
        if s.annotator in chosen and (status is StatusFilter.ANY or s.status is Status.DONE)
    }


class _SpanTally:
    """Span, relation and attribute counts per (pair, layer, label)."""

    def __init__(self) -> None:
        self.units: Counter[tuple[str, str, str]] = Counter()
        self.exact: Counter[tuple[str, str, str]] = Counter()
        self.overlap: Counter[tuple[str, str, str]] = Counter()
        self.values: defaultdict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)

    def spans(self, pair: str, layer: str, left: list[Span], right: list[Span]) -> int:
        """Counts one document's spans of a layer; returns the overlap matches."""
        if not left and not right:
            return 0
        units = self.units
        for s in left:
            units[pair, layer, s.label] += 1
        for s in right:
            units[pair, layer, s.label] += 1
        units[pair, layer, ""] += len(left) + len(right)
        exact = m.exact_pairs(left, right)
        for a, _ in exact:
            self.exact[pair, layer, a.label] += 1
        self.exact[pair, layer, ""] += len(exact)
        matched = m.overlap_pairs(left, right, exact)
        for a, b in matched:
            self.overlap[pair, layer, a.label] += 1
            if a.attributes or b.attributes:
                self.attribute_values(pair, a, b)
        self.overlap[pair, layer, ""] += len(matched)
        return len(matched)

    def attribute_values(self, pair: str, a: Span, b: Span) -> None:
        """Keeps the values of two matched spans for each attribute either of them has ("" for
        not set, itself a value): the units of attribute kappa."""
        for name in sorted(set(a.attributes) | set(b.attributes)):
            self.values[pair, f"{a.label}.{name}"].append(
                (a.attributes.get(name, ""), b.attributes.get(name, ""))
            )

    def relations(
        self, pair: str, left: list[m.LinkedRelation], right: list[m.LinkedRelation]
    ) -> None:
        units = self.units
        for r in left:
            units[pair, RELATIONS, r.type] += 1
        for r in right:
            units[pair, RELATIONS, r.type] += 1
        units[pair, RELATIONS, ""] += len(left) + len(right)
        for a, _ in m.exact_relation_pairs(left, right):
            self.exact[pair, RELATIONS, a.type] += 1
            self.exact[pair, RELATIONS, ""] += 1
        for a, _ in m.overlap_relation_pairs(left, right):
            self.overlap[pair, RELATIONS, a.type] += 1
            self.overlap[pair, RELATIONS, ""] += 1


def measure_agreement(
    documents: Iterable[DocumentSets],
    schema: LabelSchema,
    annotators: Sequence[str],
    layers: Sequence[str] | None = None,
    status: StatusFilter = StatusFilter.DONE,
    lang: str = "en",
) -> AgreementReport:
    """Agreement of `annotators` on the documents where at least two of them qualify."""
    annotators = tuple(dict.fromkeys(annotators))
    status = StatusFilter(status)  # a plain "done" or "any" is taken too
    layer_names = tuple(layers) if layers is not None else tuple(x.name for x in schema.layers)
    for name in layer_names:
        schema.layer(name)  # an unknown layer is refused here, naming it
    pairs = [pair_name(a, b) for a, b in combinations(annotators, 2)]
    spans, frames = _SpanTally(), FrameTally()
    codes: dict[str, list[Codes]] = {layer: [] for layer in layer_names}
    pair_documents: Counter[str] = Counter()
    heads: list[_DocumentHead] = []
    left_out = full_documents = 0
    values = {layer: LayerValues(schema, layer) for layer in layer_names}
    for doc in documents:
        sets = qualifying(doc.sets, annotators, status)
        if len(sets) < 2:
            left_out += 1
            continue
        present = [a for a in annotators if a in sets]
        full_documents += len(present) == len(annotators)
        by_layer: dict[str, dict[str, list[Span]]] = {layer: {} for layer in layer_names}
        for a in present:
            for layer in layer_names:
                by_layer[layer][a] = []
            for s in sets[a].spans.values():
                if s.layer in by_layer:
                    by_layer[s.layer][a].append(s)
        starts, ends = token_offsets(doc.text, lang)
        for layer in layer_names:
            codes[layer].append(
                document_codes(starts, ends, by_layer[layer], annotators, values[layer])
            )
        links = {a: m.linked_relations(sets[a]) for a in present}
        found_frames = {a: m.frames(sets[a]) for a in present}
        head = _DocumentHead(doc.document_id, doc.title, tuple(present), len(starts))
        for a, b in combinations(present, 2):
            pair = pair_name(a, b)
            pair_documents[pair] += 1
            for layer in layer_names:
                left, right = by_layer[layer][a], by_layer[layer][b]
                head.matched += spans.spans(pair, layer, left, right)
                head.spans += len(left) + len(right)
            spans.relations(pair, links[a], links[b])
            frames.add(pair, found_frames[a], found_frames[b])
        heads.append(head)
    joined = {
        layer: np.concatenate(found, axis=1)
        if found
        else np.full((len(annotators), 0), MISSING, dtype=np.int16)
        for layer, found in codes.items()
    }
    rows = _document_rows(heads, joined)
    pair_documents[ALL] = len(rows)  # pooled figures count each document once
    report = AgreementReport(annotators, layer_names, status, len(rows), left_out, by_document=rows)
    for layer in layer_names:
        report.figures.extend(
            token_figures(
                joined[layer], values[layer], annotators, len(rows), pair_documents, full_documents
            )
        )
    report.figures.extend(_count_figures(spans, pairs, pair_documents, schema, layer_names))
    report.figures.extend(frames.figures(pairs, pair_documents, len(rows)))
    return report


@dataclass(slots=True)
class _DocumentHead:
    document_id: int
    title: str
    annotators: tuple[str, ...]
    tokens: int
    matched: int = 0  # spans matched by overlap, over every layer and pair
    spans: int = 0  # spans of both sides, over every layer and pair


def _document_rows(
    heads: Sequence[_DocumentHead], codes: Mapping[str, Codes]
) -> list[DocumentAgreement]:
    """One row per document, the least agreement first: span F1 (overlap), then the share of
    (token, layer, pair) where both annotators gave the same value."""
    same = np.zeros(len(heads))
    compared = np.zeros(len(heads))
    bounds = np.cumsum([0] + [h.tokens for h in heads])
    for layer_codes in codes.values():
        for i, j in combinations(range(layer_codes.shape[0]), 2):
            both = (layer_codes[i] != MISSING) & (layer_codes[j] != MISSING)
            equal = both & (layer_codes[i] == layer_codes[j])
            # per document: sums over its stretch of tokens (cumulative sums at its bounds)
            same += np.diff(np.concatenate([[0], np.cumsum(equal)])[bounds])
            compared += np.diff(np.concatenate([[0], np.cumsum(both)])[bounds])
    rows = [
        DocumentAgreement(
            h.document_id,
            h.title,
            h.annotators,
            2 * h.matched / h.spans if h.spans else None,
            h.spans,
            float(same[n] / compared[n]) if compared[n] else None,
            h.tokens,
        )
        for n, h in enumerate(heads)
    ]
    rows.sort(key=lambda r: (r.span_f1 if r.span_f1 is not None else 2.0, r.document_id))
    return rows


def _f1_figures(
    spans: _SpanTally,
    measure: Measure,
    matches: Counter[tuple[str, str, str]],
    pairs: Sequence[str],
    pair_documents: Counter[str],
    group: str,
    labels: Sequence[str],
) -> Iterable[Figure]:
    for label in ("", *labels):
        pooled_units = pooled_matches = 0
        for pair in pairs:
            units, hits = spans.units[pair, group, label], matches[pair, group, label]
            pooled_units += units
            pooled_matches += hits
            value = _f1(hits, units)
            yield Figure(
                measure,
                group,
                label,
                pair,
                value.value,
                units,
                hits,
                pair_documents[pair],
                value.why,
            )
        value = (
            _f1(pooled_matches, pooled_units) if pairs else Value(None, "fewer than two annotators")
        )
        yield Figure(
            measure,
            group,
            label,
            ALL,
            value.value,
            pooled_units,
            pooled_matches,
            pair_documents[ALL],
            value.why,
        )


def _f1(matches: int, units: int) -> Value:
    if units == 0:
        return Value(None, "neither annotator has any")
    return Value(2 * matches / units)


def _count_figures(
    spans: _SpanTally,
    pairs: Sequence[str],
    pair_documents: Counter[str],
    schema: LabelSchema,
    layer_names: Sequence[str],
) -> Iterable[Figure]:
    for layer in layer_names:
        labels = [label.name for label in schema.layer(layer).labels]
        yield from _f1_figures(
            spans, Measure.SPAN_F1_EXACT, spans.exact, pairs, pair_documents, layer, labels
        )
        yield from _f1_figures(
            spans, Measure.SPAN_F1_OVERLAP, spans.overlap, pairs, pair_documents, layer, labels
        )
    kinds = [r.name for r in schema.relation_types]
    yield from _f1_figures(
        spans, Measure.RELATION_F1_EXACT, spans.exact, pairs, pair_documents, RELATIONS, kinds
    )
    yield from _f1_figures(
        spans, Measure.RELATION_F1_OVERLAP, spans.overlap, pairs, pair_documents, RELATIONS, kinds
    )
    yield from _attribute_figures(spans, pairs, pair_documents, schema, layer_names)


def _attribute_figures(
    spans: _SpanTally,
    pairs: Sequence[str],
    pair_documents: Counter[str],
    schema: LabelSchema,
    layer_names: Sequence[str],
) -> Iterable[Figure]:
    for layer in layer_names:
        for label in schema.layer(layer).labels:
            for attribute in schema.attributes_for(label.name):
                name = f"{label.name}.{attribute.name}"
                kappas = []
                for pair in pairs:
                    found = spans.values.get((pair, name), [])
                    value = cohen_kappa(_value_confusion(found))
                    kappas.append(value)
                    same = sum(1 for a, b in found if a == b)
                    yield Figure(
                        Measure.ATTRIBUTE_KAPPA,
                        layer,
                        name,
                        pair,
                        value.value,
                        len(found),
                        same,
                        pair_documents[pair],
                        value.why.replace("units", "matched spans"),
                    )
                pooled = mean(kappas) if kappas else Value(None, "fewer than two annotators")
                units = sum(len(spans.values.get((p, name), [])) for p in pairs)
                yield Figure(
                    Measure.ATTRIBUTE_KAPPA,
                    layer,
                    name,
                    ALL,
                    pooled.value,
                    units,
                    None,
                    pair_documents[ALL],
                    pooled.why.replace("units", "matched spans") or "mean of pairs",
                )


def _value_confusion(found: Sequence[tuple[str, str]]) -> np.ndarray:
    names = sorted({v for pair in found for v in pair})
    index = {n: i for i, n in enumerate(names)}
    matrix = np.zeros((len(names), len(names)))
    for a, b in found:
        matrix[index[a], index[b]] += 1
    return matrix
