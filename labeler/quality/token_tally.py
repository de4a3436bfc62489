"""Token-level figures of one layer: Cohen's kappa per pair, Fleiss' kappa, Krippendorff's alpha."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations

import numpy as np

from labeler.quality.figures import ALL, Figure, Measure, pair_name
from labeler.quality.measures import (
    MISSING,
    Codes,
    Value,
    alpha,
    binary,
    cohen_kappa,
    confusion,
    fleiss_kappa,
    fleiss_pairs,
    fold_counts,
    mean,
    reduced_counts,
)
from labeler.quality.token_codes import LayerValues

MEAN_OF_PAIRS = "mean of pairs"


def token_figures(
    codes: Codes,
    values: LayerValues,
    annotators: Sequence[str],
    documents: int,
    pair_documents: dict[str, int],
    full_documents: int,
) -> Iterator[Figure]:
    """Figures of one layer from its code matrix (annotators x tokens of every document
    compared), for the whole layer and for each label against the rest.

    `full_documents`: how many of those documents every annotator labelled (Fleiss' units).
    """
    layer, n = values.layer, len(values)
    labels = [("", None)] + [(name, i) for i, name in enumerate(values.names) if i > 0]
    kappas: dict[str, list[Value]] = {label: [] for label, _ in labels}
    units: dict[str, int] = {label: 0 for label, _ in labels}
    for i, j in combinations(range(len(annotators)), 2):
        pair = pair_name(annotators[i], annotators[j])
        matrix = confusion(codes[i], codes[j], n)
        tokens = int(matrix.sum())
        for label, index in labels:
            folded = matrix if index is None else binary(matrix, index)
            kappa = cohen_kappa(folded)
            kappas[label].append(kappa)
            units[label] += tokens
            same = int(np.trace(folded))
            yield Figure(
                Measure.COHEN_KAPPA,
                layer,
                label,
                pair,
                kappa.value,
                tokens,
                same,
                pair_documents.get(pair, 0),
                kappa.why,
            )
    for label, _ in labels:
        pooled = mean(kappas[label]) if kappas[label] else Value(None, "fewer than two annotators")
        yield Figure(
            Measure.COHEN_KAPPA,
            layer,
            label,
            ALL,
            pooled.value,
            units[label],
            None,
            documents,
            pooled.why or MEAN_OF_PAIRS,
        )
    yield from _fleiss(codes, labels, layer, n, full_documents)
    counts = reduced_counts(codes, n)  # folded per label below: folding keeps the reduction
    coded = int(((codes != MISSING).sum(axis=0) > 1).sum())
    for label, index in labels:
        value = alpha(counts if index is None else fold_counts(counts, index))
        yield Figure(
            Measure.KRIPPENDORFF_ALPHA,
            layer,
            label,
            ALL,
            value.value,
            coded,
            None,
            documents,
            value.why,
        )


def _fleiss(
    codes: Codes, labels: Sequence[tuple[str, int | None]], layer: str, n: int, documents: int
) -> Iterator[Figure]:
    raters = codes.shape[0]
    pairs, units = fleiss_pairs(codes, n) if raters >= 3 else (np.zeros((n, n)), 0)
    for label, index in labels:
        folded = pairs if index is None else binary(pairs, index)
        kappa = fleiss_kappa(folded, units, raters)
        yield Figure(
            Measure.FLEISS_KAPPA, layer, label, ALL, kappa.value, units, None, documents, kappa.why
        )
