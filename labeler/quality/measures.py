"""Chance-corrected agreement on nominal codes: Cohen's and Fleiss' kappa, Krippendorff's alpha.

Every measure here works on a code matrix: one row per annotator, one column per unit (a
token), each cell the index of the value that annotator gave the unit, or MISSING where they
gave none. A value is undefined (None) when the measure cannot be computed, and `why` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import krippendorff
import numpy as np
import numpy.typing as npt

MISSING = -1

Codes = npt.NDArray[np.int16]
Matrix = npt.NDArray[np.float64]

# krippendorff.alpha builds a units x values x values array; above this many cells the same
# coincidence matrix is computed here instead (see alpha).
_PACKAGE_CELLS = 4_000_000


@dataclass(frozen=True, slots=True)
class Value:
    """A figure, or None with the reason it is undefined."""

    value: float | None
    why: str = ""


def confusion(a: Codes, b: Codes, n_values: int) -> Matrix:
    """Counts of (a's value, b's value) over the units both coded."""
    both = (a != MISSING) & (b != MISSING)
    pairs = a[both].astype(np.int64) * n_values + b[both]
    return (
        np.bincount(pairs, minlength=n_values * n_values)
        .reshape(n_values, n_values)
        .astype(np.float64)
    )


def binary(matrix: Matrix, value: int) -> Matrix:
    """A values x values count matrix folded to 2 x 2: `value` against every other value."""
    rest = [i for i in range(matrix.shape[0]) if i != value]
    return np.array(
        [
            [matrix[value, value], matrix[value, rest].sum()],
            [matrix[rest, value].sum(), matrix[np.ix_(rest, rest)].sum()],
        ]
    )


def cohen_kappa(matrix: Matrix) -> Value:
    """Cohen's kappa from a confusion matrix of two annotators."""
    n = matrix.sum()
    if n == 0:
        return Value(None, "no units")
    observed = np.trace(matrix) / n
    expected = float((matrix.sum(axis=1) @ matrix.sum(axis=0)) / (n * n))
    if expected == 1:
        return Value(None, "both annotators gave one and the same value to every unit")
    return Value(float((observed - expected) / (1 - expected)))


def fleiss_pairs(codes: Codes, n_values: int) -> tuple[Matrix, int]:
    """The summed confusion matrix over every ordered pair of annotators, on the units every
    annotator coded, and how many such units there are."""
    full = (codes != MISSING).all(axis=0)
    kept = codes[:, full]
    total = np.zeros((n_values, n_values))
    for i in range(kept.shape[0]):
        for j in range(kept.shape[0]):
            if i != j:
                total += confusion(kept[i], kept[j], n_values)
    return total, int(full.sum())


def fleiss_kappa(pairs: Matrix, units: int, raters: int) -> Value:
    """Fleiss' kappa from fleiss_pairs: `units` each coded by all `raters` annotators."""
    if raters < 3:
        return Value(None, "needs three or more annotators on the same documents")
    if units == 0:
        return Value(None, "no units that every annotator coded")
    # Over ordered pairs of raters: the diagonal counts agreeing pairs, each row each value.
    observed = np.trace(pairs) / (units * raters * (raters - 1))
    shares = pairs.sum(axis=1) / (units * raters * (raters - 1))
    expected = float(shares @ shares)
    if expected == 1:
        return Value(None, "every annotator gave one and the same value to every unit")
    return Value(float((observed - expected) / (1 - expected)))


def coincidences(counts: npt.NDArray[np.int64]) -> Matrix:
    """Krippendorff's coincidence matrix from value counts (units x values): each unit's
    ordered pairs of values, weighted 1 / (m - 1) where m annotators coded it."""
    coded = counts.sum(axis=1)
    counts = counts[coded > 1]
    weighted = counts / (counts.sum(axis=1, keepdims=True) - 1)
    result: Matrix = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    return result


def alpha_from_coincidences(matrix: Matrix) -> Value:
    """Krippendorff's alpha, nominal, from a coincidence matrix."""
    n_v = matrix.sum(axis=0)
    n = float(n_v.sum())
    if n == 0:
        return Value(None, "no unit coded by two or more annotators")
    spread = n * n - float(n_v @ n_v)
    if spread == 0:
        return Value(None, "only one value was ever given")
    return Value(1 - (n - 1) * (n - float(np.trace(matrix))) / spread)


def value_counts(codes: Codes, n_values: int) -> npt.NDArray[np.int64]:
    """Units x values: how many annotators gave each value to each unit."""
    counts = np.zeros((codes.shape[1], n_values), dtype=np.int64)
    columns = np.arange(codes.shape[1])
    for row in codes:
        present = row != MISSING
        counts[columns[present], row[present]] += 1  # one value per unit in a row: no repeats
    return counts


def fold_counts(counts: npt.NDArray[np.int64], value: int) -> npt.NDArray[np.int64]:
    """Value counts folded to two values: `value`, and any other."""
    chosen = counts[:, value]
    return np.stack([chosen, counts.sum(axis=1) - chosen], axis=1)


def reduced_counts(codes: Codes, n_values: int) -> npt.NDArray[np.int64]:
    """The value counts (units x values) of the code matrix, with the same coincidences in
    fewer units: the units where every annotator gave the same value are merged into one unit
    per value, and units coded by fewer than two annotators are dropped.

    Such a unit of m annotators adds m to the coincidence of its value with itself and nothing
    else, and so does one unit of their summed count; alpha depends on the units only through
    the coincidences, so it is unchanged. Folding values together (fold_counts) keeps this so.
    """
    if codes.shape[0] == 0 or codes.shape[1] == 0:
        return np.zeros((0, n_values), dtype=np.int64)
    present = codes != MISSING
    coders = present.sum(axis=0)
    low = np.where(present, codes, np.iinfo(np.int16).max).min(axis=0)
    high = np.where(present, codes, MISSING).max(axis=0)
    pairable = coders > 1
    unanimous = pairable & (low == high)
    merged = np.bincount(low[unanimous], weights=coders[unanimous], minlength=n_values)
    rows = [value_counts(codes[:, pairable & ~unanimous], n_values)]
    for value in np.flatnonzero(merged):
        row = np.zeros((1, n_values), dtype=np.int64)
        row[0, value] = int(merged[value])
        rows.append(row)
    return np.concatenate(rows)


def alpha(counts: npt.NDArray[np.int64]) -> Value:
    """Krippendorff's alpha (nominal) from value counts (units x values), by the krippendorff
    package (give it reduced_counts: the same figure from far fewer units).

    Where even those would make the package's units x values x values array too large, the
    same coincidence matrix is summed here by a matrix product instead (the same figure).
    """
    counts = counts[counts.sum(axis=1) > 1]
    counts = counts[:, counts.sum(axis=0) > 0]
    if counts.shape[0] == 0:
        return Value(None, "no unit coded by two or more annotators")
    if counts.shape[1] < 2:
        return Value(None, "only one value was ever given")
    if counts.shape[0] * counts.shape[1] ** 2 > _PACKAGE_CELLS:
        return alpha_from_coincidences(coincidences(counts))
    return Value(float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")))


def f1(matches: int, left: int, right: int) -> Value:
    """F1 of two annotators' units with `matches` one-to-one matches: 2m / (|left| + |right|),
    the same whichever of the two is taken as the reference."""
    if left + right == 0:
        return Value(None, "neither annotator has any")
    return Value(2 * matches / (left + right))


def mean(values: list[Value]) -> Value:
    """The mean of the defined values (pooling pairwise kappas, as Light's kappa does)."""
    defined = [v.value for v in values if v.value is not None]
    if not defined:
        why = next((v.why for v in values if v.why), "no pair of annotators")
        return Value(None, why)
    return Value(sum(defined) / len(defined))
