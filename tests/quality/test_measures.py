"""The agreement measures against hand-computed figures and the reference implementations."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from labeler.quality import measures
from labeler.quality.measures import (
    MISSING,
    alpha,
    alpha_from_coincidences,
    binary,
    cohen_kappa,
    coincidences,
    confusion,
    fleiss_kappa,
    fleiss_pairs,
    fold_counts,
    reduced_counts,
    value_counts,
)


def test_cohen_kappa_by_hand() -> None:
    # observed 35/50 = 0.7; expected (25*30 + 25*20) / 50^2 = 0.5; kappa (0.7-0.5)/0.5
    assert cohen_kappa(np.array([[20.0, 5.0], [10.0, 15.0]])).value == pytest.approx(0.4)


def test_cohen_kappa_undefined_says_why() -> None:
    assert cohen_kappa(np.zeros((2, 2))).why == "no units"
    same = cohen_kappa(np.array([[4.0, 0.0], [0.0, 0.0]]))
    assert same.value is None and "same value" in same.why


@pytest.mark.parametrize("seed", range(5))
def test_cohen_kappa_matches_sklearn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 4, 300).astype(np.int16)
    b = np.where(rng.random(300) < 0.6, a, rng.integers(0, 4, 300)).astype(np.int16)
    ours = cohen_kappa(confusion(a, b, 4)).value
    assert ours == pytest.approx(cohen_kappa_score(a, b))
    # each value against the rest, as the per-label figures are
    for value in range(4):
        folded = cohen_kappa(binary(confusion(a, b, 4), value)).value
        assert folded == pytest.approx(cohen_kappa_score(a == value, b == value))


def test_fleiss_kappa_by_hand() -> None:
    # unit 1: A A A; unit 2: A A B. P = (1 + 1/3)/2; p_A = 5/6, p_B = 1/6; Pe = 26/36
    codes = np.array([[0, 0], [0, 0], [0, 1]], dtype=np.int16)
    pairs, units = fleiss_pairs(codes, 2)
    assert units == 2
    assert fleiss_kappa(pairs, units, 3).value == pytest.approx(-0.2)


@pytest.mark.parametrize(("seed", "raters"), [(0, 3), (1, 4), (2, 5)])
def test_fleiss_kappa_matches_statsmodels(seed: int, raters: int) -> None:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 3, 200)
    codes = np.array(
        [np.where(rng.random(200) < 0.7, truth, rng.integers(0, 3, 200)) for _ in range(raters)],
        dtype=np.int16,
    )
    codes[1, :10] = MISSING  # units some annotator missed are not Fleiss units
    pairs, units = fleiss_pairs(codes, 3)
    table, _ = aggregate_raters(codes[:, 10:].T)
    assert units == 190
    assert fleiss_kappa(pairs, units, raters).value == pytest.approx(sm_fleiss(table))


def test_fleiss_needs_three_annotators() -> None:
    assert "three or more" in fleiss_kappa(np.eye(2), 4, 2).why


def test_alpha_of_krippendorffs_own_example() -> None:
    nan = np.nan
    data = [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
    codes = np.array([[MISSING if np.isnan(v) else int(v) for v in row] for row in data])
    result = alpha(reduced_counts(codes.astype(np.int16), 5))
    assert result.value == pytest.approx(0.691358, abs=1e-6)  # the package's docstring figure


def _random_codes(seed: int, raters: int, units: int, n_values: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_values, units)
    codes = np.array(
        [
            np.where(rng.random(units) < 0.75, truth, rng.integers(0, n_values, units))
            for _ in range(raters)
        ],
        dtype=np.int16,
    )
    codes[rng.random(codes.shape) < 0.2] = MISSING
    return codes


@pytest.mark.parametrize(("seed", "raters"), [(0, 2), (1, 3), (2, 4), (3, 3)])
def test_alpha_matches_krippendorff_package(seed: int, raters: int, monkeypatch) -> None:
    codes = _random_codes(seed, raters, 400, 5)
    reference = krippendorff.alpha(
        np.where(codes == MISSING, np.nan, codes.astype(float)), level_of_measurement="nominal"
    )
    counts = reduced_counts(codes, 5)
    assert len(counts) < 400 * 0.6  # the units all annotators agree on are merged
    assert alpha(value_counts(codes, 5)).value == pytest.approx(reference)
    assert alpha(counts).value == pytest.approx(reference)
    assert alpha_from_coincidences(coincidences(counts)).value == pytest.approx(reference)
    monkeypatch.setattr(measures, "_PACKAGE_CELLS", 0)  # the path for very many units
    assert alpha(counts).value == pytest.approx(reference)
    # each value against the rest
    folded = np.where(codes == MISSING, np.nan, (codes == 2).astype(float))
    expected = krippendorff.alpha(folded, level_of_measurement="nominal")
    assert alpha(fold_counts(counts, 2)).value == pytest.approx(expected)


def test_alpha_undefined_says_why() -> None:
    lonely = np.array([[0, 1], [MISSING, MISSING]], dtype=np.int16)
    assert "two or more" in alpha(value_counts(lonely, 2)).why
    same = np.array([[1, 1], [1, 1]], dtype=np.int16)
    assert "one value" in alpha(value_counts(same, 2)).why
