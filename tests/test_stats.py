"""Exact tests, Clopper-Pearson intervals and multiple-testing corrections."""

import datetime
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import binom, binomtest, false_discovery_control
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_leakage import (
    adjust_pvalues,
    binomial_test,
    leakage_matrix,
    leakage_test_grid,
    pairwise_leakage_test,
    proportion_ci,
    total_leakage,
    total_leakage_test,
)

# Six points, two clusters. Off-cluster probabilities: 0.0, 0.1, 0.01 for cluster
# 0 and 0.0, 0.3, 0.02 for cluster 1. At threshold 0.05 the points with 0.1 and
# 0.3 leak (2 of 6); at 0.2 only the 0.3 point does (1 of 6).
LABELS6 = np.array([0, 0, 0, 1, 1, 1])
PROBA6 = np.array(
    [[1.0, 0.0], [0.9, 0.1], [0.99, 0.01], [0.0, 1.0], [0.3, 0.7], [0.02, 0.98]]
)


def upper_tail(k, n, p):
    """P(X >= k) for X ~ Binomial(n, p), summed by hand."""
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


@pytest.fixture(scope="module")
def iris_proba():
    """Species labels and the default probe's out-of-fold probabilities."""
    X, y = load_iris(return_X_y=True)
    probe = make_pipeline(StandardScaler(), LogisticRegression(C=100, max_iter=1000))
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    return y, cross_val_predict(probe, X, y, cv=cv, method="predict_proba")


# ----------------------------------------------------------------- binomial_test
def test_binomial_test_greater_matches_hand_sum():
    # P(X >= 3 | n=10, p=0.1) = 1 - P(X <= 2)
    #   = 1 - (0.9^10 + 10 * 0.1 * 0.9^9 + 45 * 0.01 * 0.9^8) = 0.0701908264
    expected = upper_tail(3, 10, 0.1)
    assert expected == pytest.approx(0.0701908264, abs=1e-10)
    assert binomial_test(3, 10, 0.1) == pytest.approx(expected, rel=1e-12)


def test_binomial_test_less_and_two_sided_by_hand():
    # P(X <= 3 | n=10, p=0.5) = (1 + 10 + 45 + 120) / 1024 = 176 / 1024
    assert binomial_test(3, 10, 0.5, alternative="less") == pytest.approx(176 / 1024)
    # Symmetric at p=0.5: outcomes no likelier than 2 are {0, 1, 2, 8, 9, 10},
    # 2 * (1 + 10 + 45) / 1024 = 112 / 1024.
    assert binomial_test(2, 10, 0.5, alternative="two-sided") == pytest.approx(
        112 / 1024
    )


def test_binomial_test_vectorised_and_scalar_types():
    pvalues = binomial_test([0, 3, 10], 10, 0.1)
    assert isinstance(pvalues, np.ndarray)
    assert pvalues.shape == (3,)
    # P(X >= 0) = 1; P(X >= 10) = 0.1^10
    np.testing.assert_allclose(pvalues, [1.0, upper_tail(3, 10, 0.1), 1e-10])
    assert isinstance(binomial_test(3, 10, 0.1), float)
    # Broadcasting over value too: one count against two null shares.
    np.testing.assert_allclose(
        binomial_test(3, 10, [0.1, 0.3]),
        [upper_tail(3, 10, 0.1), upper_tail(3, 10, 0.3)],
    )


def test_binomial_test_empty_sample_is_nan():
    assert np.isnan(binomial_test(0, 0, 0.1))


@pytest.mark.parametrize(
    "count, n, value, match",
    [
        (11, 10, 0.1, "count cannot exceed n, got count=11 out of n=10"),
        (2.5, 10, 0.1, "count must hold whole numbers"),
        # A missing count was told to pass counts, not shares.
        (np.nan, 10, 0.1, "count contains a missing value"),
        (pd.array([1, None], dtype="Int64"), 10, 0.1, "count contains a missing"),
        (3, np.nan, 0.1, "n contains a missing value"),
        (-1, 10, 0.1, "count must be non-negative"),
        (3, 10, 1.5, r"value must be a share in \[0, 1\], got \[1.5\]"),
        ([1, 2], [3, 4, 5], 0.1, "do not broadcast"),
        ([1, 2], 3, [0.1, 0.2, 0.3], r"value of shape \(3,\) does not broadcast"),
    ],
)
def test_binomial_test_rejects_bad_counts(count, n, value, match):
    with pytest.raises(ValueError, match=match):
        binomial_test(count, n, value)


@pytest.mark.parametrize(
    "count, n, value, name",
    [
        # numpy read "3" as 3, True as 1 and [True, 0.1] as [1.0, 0.1].
        (["3"], ["10"], ["0.1"], "count"),
        (True, 10, 0.1, "count"),
        (3, [b"10"], 0.1, "n"),
        (3, 10, [True, 0.1], "value"),
    ],
)
def test_binomial_test_refuses_text_and_booleans(count, n, value, name):
    with pytest.raises(ValueError, match=f"^{name} must hold .* not text, booleans"):
        binomial_test(count, n, value)


def test_binomial_test_refuses_counts_beyond_int64():
    # 10**19 wrapped around in int64 and the p-value came back NaN.
    with pytest.raises(ValueError, match=r"count must be at most 2\*\*62, got 1e\+19"):
        binomial_test(10**19, 10**19, 0.5)
    with pytest.raises(ValueError, match=r"n must be at most 2\*\*62"):
        binomial_test(3, 2**63 - 1, 0.5)
    assert binomial_test(2**62, 2**62, 0.5) == 0.0


def test_counts_refuse_a_masked_array_with_masked_entries():
    # np.asarray drops the mask: the masked count 2 was tested as well.
    counts = np.ma.masked_array([1, 2], mask=[False, True])
    with pytest.raises(
        ValueError, match=r"count is a masked array with masked entries.*count\[~count"
    ):
        proportion_ci(counts, [10, 20])
    # Nothing masked: the values as they are.
    unmasked = np.ma.masked_array([1, 2], mask=[False, False])
    np.testing.assert_array_equal(
        proportion_ci(unmasked, [10, 20]).high, proportion_ci([1, 2], [10, 20]).high
    )


@pytest.mark.parametrize(
    "count, value",
    [
        ([3 + 1j], 0.2),
        (3, [0.2 + 0j]),
        (np.array([3], dtype="timedelta64[s]"), 0.2),
        # numpy's complex64 is no Python complex; Python's dates raised a
        # TypeError that named no parameter.
        (np.array([np.complex64(3 + 2j)], dtype=object), 0.2),
        ([datetime.date(2020, 1, 3)], 0.2),
        ([pd.Timestamp(3)], 0.2),
        ([datetime.timedelta(days=3)], 0.2),
    ],
)
def test_binomial_test_refuses_complex_numbers_and_dates(count, value):
    # numpy cast [3 + 1j] to 3 with only a ComplexWarning.
    with pytest.raises(ValueError, match="not text, booleans, complex numbers"):
        binomial_test(count, 10, value)


def test_binomial_test_rejects_unknown_alternative():
    with pytest.raises(InvalidParameterError, match="'alternative' parameter"):
        binomial_test(3, 10, 0.1, alternative="bigger")


# ----------------------------------------------------------------- proportion_ci
def test_proportion_ci_closed_forms_at_the_edges():
    # k = 0: the upper bound solves (1 - p)^n = alpha / 2, so p = 1 - 0.025^(1/n).
    # k = n: the lower bound solves p^n = alpha / 2, so p = 0.025^(1/n).
    low, high = proportion_ci(0, 10)
    assert low == 0.0
    assert high == pytest.approx(1 - 0.025 ** (1 / 10))  # 0.3085
    low, high = proportion_ci(10, 10)
    assert low == pytest.approx(0.025 ** (1 / 10))
    assert high == 1.0


@pytest.mark.parametrize("confidence_level", [0.8, 0.95, 0.99])
def test_proportion_ci_matches_scipy_exact_interval(confidence_level):
    counts = np.arange(0, 21)
    low, high = proportion_ci(counts, 20, confidence_level=confidence_level)
    for k in counts:
        ci = binomtest(int(k), 20).proportion_ci(confidence_level, method="exact")
        assert low[k] == pytest.approx(ci.low, abs=1e-12)
        assert high[k] == pytest.approx(ci.high, abs=1e-12)


def test_proportion_ci_bounds_are_tail_probabilities():
    # Definition of the Clopper-Pearson bounds: at the lower bound, P(X >= k)
    # is alpha/2; at the upper bound, P(X <= k) is alpha/2 (k=7, n=30).
    low, high = proportion_ci(7, 30)
    assert upper_tail(7, 30, low) == pytest.approx(0.025, rel=1e-9)
    assert binom.cdf(7, 30, high) == pytest.approx(0.025, rel=1e-9)


def test_proportion_ci_empty_sample_and_shapes():
    low, high = proportion_ci(np.array([[0, 1], [2, 3]]), 3)
    assert low.shape == high.shape == (2, 2)
    assert np.all(low <= np.array([[0, 1], [2, 3]]) / 3)
    assert np.all(high >= np.array([[0, 1], [2, 3]]) / 3)
    assert np.isnan(proportion_ci(0, 0).low)


@pytest.mark.parametrize("n, p", [(20, 0.1), (50, 0.5), (200, 0.03), (1000, 0.01)])
def test_proportion_ci_simulated_coverage(n, p):
    # 500 seeded binomial draws: the 95% interval must cover the true share in at
    # least 95% of them (Clopper-Pearson never undercovers in expectation; with
    # this seed the empirical coverage is 0.978 to 0.994).
    rng = np.random.default_rng(12345)
    counts = rng.binomial(n, p, size=500)
    low, high = proportion_ci(counts, n, confidence_level=0.95)
    coverage = np.mean((low <= p) & (p <= high))
    assert coverage >= 0.95


@pytest.mark.parametrize("n", [5, 17, 60])
def test_proportion_ci_exact_coverage_over_true_shares(n):
    # Coverage computed exactly: sum of P(X = k) over the k whose interval holds
    # p. It is at least the nominal level for every p (the defining guarantee).
    low, high = proportion_ci(np.arange(n + 1), n, confidence_level=0.9)
    for p in np.linspace(0.01, 0.99, 99):
        covers = (low <= p) & (p <= high)
        assert binom.pmf(np.arange(n + 1), n, p)[covers].sum() >= 0.9 - 1e-12


def test_proportion_ci_rejects_bad_level():
    with pytest.raises(InvalidParameterError, match="'confidence_level' parameter"):
        proportion_ci(3, 10, confidence_level=95)


# ----------------------------------------------------------------- adjust_pvalues
def test_adjust_pvalues_holm_by_hand():
    # Sorted: 0.01, 0.02, 0.03, 0.04 (m = 4). Holm multiplies by 4, 3, 2, 1:
    # 0.04, 0.06, 0.06, 0.04 -> running maximum 0.04, 0.06, 0.06, 0.06.
    pvalues = [0.03, 0.01, 0.04, 0.02]
    np.testing.assert_allclose(
        adjust_pvalues(pvalues, method="holm"), [0.06, 0.04, 0.06, 0.06]
    )


def test_adjust_pvalues_bh_by_hand_and_against_scipy():
    # Sorted: 0.01, 0.02, 0.03, 0.04 (m = 4). BH multiplies by 4/1, 4/2, 4/3, 4/4:
    # 0.04, 0.04, 0.04, 0.04 -> running minimum from the top leaves them all 0.04.
    np.testing.assert_allclose(
        adjust_pvalues([0.03, 0.01, 0.04, 0.02], method="bh"), [0.04] * 4
    )
    # 0.001, 0.2, 0.5 (m = 3): 0.003, 0.3, 0.5.
    np.testing.assert_allclose(
        adjust_pvalues([0.5, 0.001, 0.2], method="bh"), [0.5, 0.003, 0.3]
    )
    pvalues = np.random.default_rng(0).uniform(size=40) ** 3
    np.testing.assert_allclose(
        adjust_pvalues(pvalues, method="bh"), false_discovery_control(pvalues)
    )


def test_adjust_pvalues_keeps_nan_out_of_the_family():
    # m = 2 finite values: Holm 2 * 0.01 = 0.02, then max(0.02, 0.04) = 0.04.
    adjusted = adjust_pvalues([[np.nan, 0.01], [0.04, np.nan]])
    np.testing.assert_allclose(adjusted, [[np.nan, 0.02], [0.04, np.nan]])
    assert np.isnan(adjust_pvalues([np.nan, np.nan])).all()


def test_adjust_pvalues_rejects_values_outside_unit_interval():
    with pytest.raises(ValueError, match=r"pvalues must lie in \[0, 1\]"):
        adjust_pvalues([0.2, 1.3])
    with pytest.raises(InvalidParameterError, match="'method' parameter"):
        adjust_pvalues([0.2], method="bonferroni")


def test_adjust_pvalues_refuses_none_and_text():
    # None became NaN, "not tested", and quietly shrank the family.
    with pytest.raises(
        ValueError,
        match=r"pvalues contain a missing value \(None, pd\.NA or pd\.NaT\); pass NaN",
    ):
        adjust_pvalues([None, 0.1])
    # pandas' missing value in an object array raised float()'s TypeError.
    with pytest.raises(
        ValueError,
        match=r"pvalues contain a missing value \(None, pd\.NA or pd\.NaT\); pass NaN",
    ):
        adjust_pvalues(np.array([0.01, pd.NA], dtype=object))
    with pytest.raises(ValueError, match=r"\(None, pd\.NA or pd\.NaT\)"):
        adjust_pvalues(np.array([0.01, pd.NaT], dtype=object))
    # numpy would read "0.1" as 0.1; text is more likely a wrong column. A
    # bool among floats was read as 1.0 before the type check could see it.
    for text in (["a"], ["0.1", "0.2"], [b"0.1"], [True, 0.2], [True, False]):
        with pytest.raises(
            ValueError, match=r"must hold numbers .* not text, booleans"
        ):
            adjust_pvalues(text)


def test_adjust_pvalues_leaves_masked_entries_out_of_the_family():
    # np.asarray dropped the mask: 0.5 joined the family and m was 3.
    masked = np.ma.masked_array([0.01, 0.5, 0.02], mask=[False, True, False])
    adjusted = adjust_pvalues(masked)
    np.testing.assert_allclose(adjusted, [0.02, np.nan, 0.02])
    np.testing.assert_array_equal(adjusted, adjust_pvalues([0.01, np.nan, 0.02]))
    assert masked.mask.tolist() == [False, True, False]
    with pytest.raises(ValueError, match="not text, booleans"):
        adjust_pvalues(np.ma.masked_array(["0.1", "0.2"], mask=[False, True]))
    # An unmasked None is a missing value, as in any input; a masked pd.NA
    # is a test not made.
    with pytest.raises(ValueError, match=r"missing value \(None, pd\.NA"):
        adjust_pvalues(np.ma.masked_array(np.array([None, 0.1], dtype=object)))
    with_na = np.ma.masked_array(np.array([pd.NA, 0.1], dtype=object), mask=[1, 0])
    np.testing.assert_array_equal(adjust_pvalues(with_na), [np.nan, 0.1])


@settings(deadline=None, max_examples=60)
@given(arrays(np.float64, st.integers(1, 30), elements=st.floats(0, 1)))
def test_adjust_pvalues_properties(pvalues):
    holm = adjust_pvalues(pvalues, method="holm")
    bh = adjust_pvalues(pvalues, method="bh")
    # The values themselves: Benjamini-Hochberg as SciPy computes it, and
    # Holm's step-down formula written out, max over j <= i of
    # min(1, (m - j + 1) p_(j)) for the i-th smallest p-value.
    np.testing.assert_allclose(bh, false_discovery_control(pvalues), atol=1e-12)
    m = pvalues.shape[0]
    order = np.argsort(pvalues, kind="stable")
    steps = np.minimum(1.0, (m - np.arange(m)) * pvalues[order])
    expected = np.empty(m)
    expected[order] = np.maximum.accumulate(steps)
    np.testing.assert_allclose(holm, expected, atol=1e-12)
    for adjusted in (holm, bh):
        assert np.all(adjusted >= pvalues - 1e-15)
        assert np.all((adjusted >= 0) & (adjusted <= 1))
        # Adjusting keeps the order of the raw p-values.
        order = np.argsort(pvalues, kind="stable")
        assert np.all(np.diff(adjusted[order]) >= -1e-15)
    # FWER control is stricter than FDR control.
    assert np.all(holm >= bh - 1e-15)


# ------------------------------------------------------------ total_leakage_test
def test_total_leakage_test_six_points():
    result = total_leakage_test(LABELS6, PROBA6, comparison_value=0.1)
    assert (result.count, result.n) == (2, 6)
    assert result.statistic == pytest.approx(2 / 6)
    # P(X >= 2 | 6, 0.1) = 1 - 0.9^6 - 6 * 0.1 * 0.9^5 = 0.114265
    assert result.pvalue == pytest.approx(1 - 0.9**6 - 6 * 0.1 * 0.9**5)
    assert result.ci == pytest.approx(proportion_ci(2, 6))
    assert result.alternative == "greater"
    assert result.comparison_value == 0.1


def test_total_leakage_test_on_iris_agrees_with_the_metric(iris_proba):
    y, proba = iris_proba
    result = total_leakage_test(y, proba, comparison_value=0.05)
    share = total_leakage(y, proba)
    # 18 of the 150 iris flowers leak at threshold 0.05 with this probe.
    assert result.count == 18
    assert result.statistic == pytest.approx(share)
    assert result.pvalue == pytest.approx(upper_tail(18, 150, 0.05), rel=1e-9)
    assert result.ci.low < share < result.ci.high
    # Testing "less" at a share far above 12% gives a small p-value as well.
    assert total_leakage_test(
        y, proba, comparison_value=0.3, alternative="less"
    ).pvalue == pytest.approx(binom.cdf(18, 150, 0.3))


def test_total_leakage_test_invariant_to_relabelling(iris_proba):
    y, proba = iris_proba
    a = total_leakage_test(y, proba)
    b = total_leakage_test(y * 2 + 10, proba)
    assert (a.count, a.n, a.pvalue) == (b.count, b.n, b.pvalue)


def test_total_leakage_test_rejects_bad_comparison_value():
    with pytest.raises(InvalidParameterError, match="'comparison_value' parameter"):
        total_leakage_test(LABELS6, PROBA6, comparison_value=1.5)


# ------------------------------------------------------------- leakage_test_grid
def test_leakage_test_grid_six_points():
    grid = leakage_test_grid(
        LABELS6, PROBA6, detection_thresholds=[0.05, 0.2], comparison_values=[0.1, 0.5]
    )
    assert isinstance(grid, pd.DataFrame)
    assert grid.index.name == "detection_threshold"
    assert grid.columns.name == "comparison_value"
    # 2 of 6 leak at 0.05 and 1 of 6 at 0.2.
    expected = [
        [upper_tail(2, 6, 0.1), upper_tail(2, 6, 0.5)],
        [upper_tail(1, 6, 0.1), upper_tail(1, 6, 0.5)],
    ]
    np.testing.assert_allclose(grid.to_numpy(), expected)


def test_leakage_test_grid_on_iris_is_monotone(iris_proba):
    y, proba = iris_proba
    grid = leakage_test_grid(y, proba)
    assert grid.shape == (5, 5)
    np.testing.assert_allclose(grid.index, [0.01, 0.02, 0.05, 0.1, 0.2])
    values = grid.to_numpy()
    # A larger tolerated share is harder to exceed; a larger threshold finds fewer
    # leaking points. Both raise the p-value.
    assert np.all(np.diff(values, axis=1) >= 0)
    assert np.all(np.diff(values, axis=0) >= 0)
    cell = total_leakage_test(y, proba, detection_threshold=0.1, comparison_value=0.02)
    assert grid.loc[0.1, 0.02] == pytest.approx(cell.pvalue)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (
            {"detection_thresholds": [0.05, 1.0]},
            r"detection_thresholds must lie in \(0, 1\), got \[1.0\]",
        ),
        (
            {"comparison_values": [-0.1]},
            r"comparison_values must lie in \[0, 1\], got \[-0.1\]",
        ),
        ({"comparison_values": []}, "comparison_values must be a non-empty"),
        # Read as 1.0 and 0.0, and as 0.05, before the grid refused them as
        # binomial_test does.
        (
            {"comparison_values": [True, False]},
            "comparison_values must hold shares, not text, booleans",
        ),
        (
            {"detection_thresholds": ["0.05"]},
            "detection_thresholds must hold shares, not text",
        ),
    ],
)
def test_leakage_test_grid_rejects_bad_axes(kwargs, match):
    with pytest.raises(ValueError, match=match):
        leakage_test_grid(LABELS6, PROBA6, **kwargs)


# --------------------------------------------------------- pairwise_leakage_test
def test_pairwise_leakage_test_three_clusters_by_hand():
    # Cluster 0 (2 points) leaks into 1 twice; cluster 1 (2 points) into 0 once;
    # cluster 2 (2 points) never. Against 0.1: P(X >= 2 | 2, 0.1) = 0.01 and
    # P(X >= 1 | 2, 0.1) = 1 - 0.81 = 0.19; the four zero-count pairs have p = 1.
    labels = [0, 0, 1, 1, 2, 2]
    proba = [
        [0.8, 0.2, 0.0],
        [0.6, 0.4, 0.0],
        [0.3, 0.7, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 0.01, 0.99],
    ]
    result = pairwise_leakage_test(labels, proba, comparison_value=0.1)
    np.testing.assert_array_equal(
        result.count, leakage_matrix(labels, proba, normalize=False)
    )
    np.testing.assert_array_equal(result.n, [2, 2, 2])
    assert result.pvalue[0, 1] == pytest.approx(0.01)
    assert result.pvalue[1, 0] == pytest.approx(0.19)
    assert result.pvalue[2, 0] == 1.0
    assert np.isnan(np.diag(result.pvalue)).all()
    # Holm over m = 6 pairs: 6 * 0.01 = 0.06, then max(0.06, 5 * 0.19) = 0.95,
    # then 1 for the rest.
    assert result.pvalue_adjusted[0, 1] == pytest.approx(0.06)
    assert result.pvalue_adjusted[1, 0] == pytest.approx(0.95)
    bh = pairwise_leakage_test(labels, proba, comparison_value=0.1, method="bh")
    # BH: 6/1 * 0.01 = 0.06 and 6/2 * 0.19 = 0.57.
    assert bh.pvalue_adjusted[0, 1] == pytest.approx(0.06)
    assert bh.pvalue_adjusted[1, 0] == pytest.approx(0.57)
    np.testing.assert_allclose(result.ci.low[0, 1], proportion_ci(2, 2).low)


def test_pairwise_leakage_test_on_iris(iris_proba):
    y, proba = iris_proba
    result = pairwise_leakage_test(y, proba, comparison_value=0.05)
    np.testing.assert_allclose(result.statistic, leakage_matrix(y, proba))
    # 10 of the 50 virginica (2) leak into versicolor (1): far above 5%.
    assert result.count[2, 1] == 10
    assert result.pvalue[2, 1] == pytest.approx(upper_tail(10, 50, 0.05), rel=1e-9)
    assert result.pvalue_adjusted[2, 1] < 0.01
    # Setosa is predictable: its pairs are not significant after correction.
    assert result.pvalue_adjusted[0, 1] > 0.5
