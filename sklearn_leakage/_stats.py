"""Exact tests and confidence intervals for leakage shares.

A leakage share is a count of leaking points out of a cluster's (or the whole
sample's) points, so it is a binomial proportion: the tests here are exact binomial
tests, the intervals Clopper-Pearson intervals, and the pairwise tests come with a
Holm or Benjamini-Hochberg correction. Counts are read from the public metric
functions; nothing here imports pandas or matplotlib at module level.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import beta, binomtest

from sklearn_leakage._compat import Interval, StrOptions, validate_params
from sklearn_leakage._metrics import leakage_matrix, total_leakage
from sklearn_leakage._validation import encode_labels

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ConfidenceInterval",
    "LeakageTestResult",
    "PairwiseLeakageTestResult",
    "adjust_pvalues",
    "binomial_test",
    "leakage_test_grid",
    "pairwise_leakage_test",
    "proportion_ci",
    "total_leakage_test",
]

_ALTERNATIVE = [StrOptions({"greater", "less", "two-sided"})]
_LEVEL = [Interval(Real, 0, 1, closed="neither")]
_SHARE = [Interval(Real, 0, 1, closed="both")]


class ConfidenceInterval(NamedTuple):
    """Lower and upper bounds of a confidence interval (floats or arrays)."""

    low: float | NDArray[np.float64]
    high: float | NDArray[np.float64]


@dataclass(frozen=True)
class LeakageTestResult:
    """Outcome of :func:`total_leakage_test`.

    Attributes
    ----------
    statistic : float
        Total leakage, ``count / n``.
    count : int
        Number of leaking points.
    n : int
        Number of points tested.
    pvalue : float
        Exact binomial p-value against ``comparison_value``.
    ci : ConfidenceInterval
        Two-sided Clopper-Pearson interval of the leakage share.
    comparison_value : float
        Leakage share of the null hypothesis.
    alternative : str
        ``"greater"``, ``"less"`` or ``"two-sided"``.
    confidence_level : float
        Confidence level of ``ci``.
    """

    statistic: float
    count: int
    n: int
    pvalue: float
    ci: ConfidenceInterval
    comparison_value: float
    alternative: str
    confidence_level: float


@dataclass(frozen=True)
class PairwiseLeakageTestResult:
    """Outcome of :func:`pairwise_leakage_test`; arrays in the order of ``classes``.

    Attributes
    ----------
    classes : ndarray of shape (n_clusters,)
        Cluster ids; row ``i`` is the source cluster, column ``j`` the target.
    statistic : ndarray of shape (n_clusters, n_clusters)
        :func:`leakage_matrix` (shares).
    count : ndarray of shape (n_clusters, n_clusters)
        :func:`leakage_matrix` with ``normalize=False`` (numbers of points).
    n : ndarray of shape (n_clusters,)
        Number of points of each source cluster.
    pvalue : ndarray of shape (n_clusters, n_clusters)
        Exact binomial p-value of each pair; NaN on the diagonal and for empty
        source clusters, which are not tests.
    pvalue_adjusted : ndarray of shape (n_clusters, n_clusters)
        ``pvalue`` corrected over all tested pairs with ``method``.
    ci : ConfidenceInterval
        Two-sided Clopper-Pearson bounds, arrays of shape (n_clusters, n_clusters)
        (NaN where ``pvalue`` is).
    comparison_value : float
        Leakage share of the null hypothesis.
    alternative : str
        Alternative hypothesis.
    method : str
        Multiple-testing correction.
    """

    classes: NDArray
    statistic: NDArray[np.float64]
    count: NDArray[np.int64]
    n: NDArray[np.int64]
    pvalue: NDArray[np.float64]
    pvalue_adjusted: NDArray[np.float64]
    ci: ConfidenceInterval
    comparison_value: float
    alternative: str
    method: str


def _check_counts(count, n) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Broadcast ``count`` and ``n`` to whole-number arrays with 0 <= count <= n."""
    count = np.asarray(count, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    for name, values in (("count", count), ("n", n)):
        if not np.all(np.isfinite(values)) or np.any(values != np.round(values)):
            raise ValueError(
                f"{name} must hold whole numbers of points, got "
                f"{values.ravel()[:5].tolist()}; pass counts, not shares."
            )
        if np.any(values < 0):
            raise ValueError(
                f"{name} must be non-negative, got {values.ravel()[:5].tolist()}."
            )
    try:
        count, n = np.broadcast_arrays(count, n)
    except ValueError as exc:
        raise ValueError(
            f"count of shape {count.shape} and n of shape {n.shape} do not "
            "broadcast; pass arrays of the same shape."
        ) from exc
    over = count > n
    if np.any(over):
        first = int(np.flatnonzero(over.ravel())[0])
        raise ValueError(
            f"count cannot exceed n, got count={count.ravel()[first]:.0f} out of "
            f"n={n.ravel()[first]:.0f}; a share of points lies in [0, 1]."
        )
    return count.astype(np.int64), n.astype(np.int64)


def _scalar_or_array(values: NDArray, scalar: bool):
    return float(values) if scalar else values


def _binomial_pvalues(count, n, value, alternative) -> NDArray[np.float64]:
    """Exact p-values element-wise; NaN where ``n == 0`` (nothing was observed)."""
    count, n, value = np.broadcast_arrays(count, n, value)
    pvalues = np.full(count.shape, np.nan)
    for idx in np.ndindex(count.shape):
        if n[idx] > 0:
            pvalues[idx] = binomtest(
                int(count[idx]), int(n[idx]), float(value[idx]), alternative=alternative
            ).pvalue
    return pvalues


def _clopper_pearson(count, n, confidence_level) -> ConfidenceInterval:
    tail = (1.0 - confidence_level) / 2.0
    # Beta quantiles need positive shape parameters; the bounds at count == 0 and
    # count == n are 0 and 1 by definition, so those entries get dummy shapes.
    a_low = np.maximum(count, 1)
    b_high = np.maximum(n - count, 1)
    low = np.where(count == 0, 0.0, beta.ppf(tail, a_low, n - count + 1))
    high = np.where(count == n, 1.0, beta.ppf(1.0 - tail, count + 1, b_high))
    empty = n == 0
    low = np.where(empty, np.nan, low)
    high = np.where(empty, np.nan, high)
    return ConfidenceInterval(low.astype(np.float64), high.astype(np.float64))


@validate_params(
    {
        "count": ["array-like", Real],
        "n": ["array-like", Real],
        "value": ["array-like", Real],
        "alternative": _ALTERNATIVE,
    },
    prefer_skip_nested_validation=True,
)
def binomial_test(
    count: ArrayLike | int,
    n: ArrayLike | int,
    value: ArrayLike | float,
    *,
    alternative: str = "greater",
) -> float | NDArray[np.float64]:
    """Exact binomial test that a share of points differs from ``value``.

    With ``X ~ Binomial(n, value)`` the p-value is ``P(X >= count)`` for
    ``alternative="greater"`` (the share is larger than ``value``),
    ``P(X <= count)`` for ``"less"``, and for ``"two-sided"`` the probability of
    every outcome no more likely than ``count`` (the rule of
    :func:`scipy.stats.binomtest`, which computes all three). The p-value lies in
    [0, 1]; small values are evidence against ``value``.

    Read more in the :ref:`User Guide <leakage_statistics>`.

    Parameters
    ----------
    count : int or array-like of int
        Number of points with the property (for example leaking points).
    n : int or array-like of int
        Number of points observed; broadcast against ``count``.
    value : float or array-like of float
        Share under the null hypothesis, in [0, 1]; broadcast as well.
    alternative : {"greater", "less", "two-sided"}, default="greater"
        Alternative hypothesis. ``"greater"`` asks "does this cluster leak more
        than ``value``?".

    Returns
    -------
    pvalue : float or ndarray
        Exact p-value; a float when every input is a scalar. NaN where ``n == 0``.

    See Also
    --------
    proportion_ci : Clopper-Pearson interval of the same share.
    total_leakage_test : The test applied to the total leakage.

    Notes
    -----
    Each entry costs one call to :func:`scipy.stats.binomtest`, at most O(n).

    Examples
    --------
    >>> from sklearn_leakage import binomial_test
    >>> round(binomial_test(3, 10, 0.1), 4)  # P(X >= 3), X ~ Binomial(10, 0.1)
    0.0702
    >>> binomial_test([0, 3], 10, 0.1).round(4)
    array([1.    , 0.0702])
    """
    scalar = all(np.ndim(x) == 0 for x in (count, n, value))
    count, n = _check_counts(count, n)
    value = np.asarray(value, dtype=np.float64)
    if np.any((value < 0) | (value > 1)) or not np.all(np.isfinite(value)):
        raise ValueError(
            f"value must be a share in [0, 1], got {value.ravel()[:5].tolist()}."
        )
    pvalues = _binomial_pvalues(count, n, value, alternative)
    return _scalar_or_array(pvalues, scalar)


@validate_params(
    {
        "count": ["array-like", Real],
        "n": ["array-like", Real],
        "confidence_level": _LEVEL,
    },
    prefer_skip_nested_validation=True,
)
def proportion_ci(
    count: ArrayLike | int,
    n: ArrayLike | int,
    confidence_level: float = 0.95,
) -> ConfidenceInterval:
    """Clopper-Pearson (exact) confidence interval of a share of points.

    With ``alpha = 1 - confidence_level`` and ``k = count``, the bounds are
    quantiles of Beta distributions:

    ``low = Beta(alpha / 2; k, n - k + 1)`` (0 when ``k = 0``),
    ``high = Beta(1 - alpha / 2; k + 1, n - k)`` (1 when ``k = n``).

    This is the interval obtained by inverting two one-sided exact binomial tests,
    so its coverage is at least ``confidence_level`` for every true share (it is
    conservative). Both bounds lie in [0, 1].

    Read more in the :ref:`User Guide <leakage_statistics>`.

    Parameters
    ----------
    count : int or array-like of int
        Number of points with the property.
    n : int or array-like of int
        Number of points observed; broadcast against ``count``.
    confidence_level : float, default=0.95
        Coverage of the interval, in (0, 1).

    Returns
    -------
    ci : ConfidenceInterval
        Named tuple ``(low, high)``; floats when both inputs are scalars, arrays
        of the broadcast shape otherwise. NaN where ``n == 0``.

    See Also
    --------
    binomial_test : Exact test of the same share.

    References
    ----------
    .. [1] C. J. Clopper and E. S. Pearson (1934). "The use of confidence or
       fiducial limits illustrated in the case of the binomial". Biometrika,
       26(4), 404-413.

    Examples
    --------
    >>> from sklearn_leakage import proportion_ci
    >>> low, high = proportion_ci(3, 10)
    >>> round(low, 4), round(high, 4)
    (0.0667, 0.6525)
    >>> proportion_ci([0, 10], 10).high.round(4)
    array([0.3085, 1.    ])
    """
    scalar = np.ndim(count) == 0 and np.ndim(n) == 0
    count, n = _check_counts(count, n)
    low, high = _clopper_pearson(count, n, confidence_level)
    return ConfidenceInterval(
        _scalar_or_array(low, scalar), _scalar_or_array(high, scalar)
    )


@validate_params(
    {
        "pvalues": ["array-like"],
        "method": [StrOptions({"holm", "bh"})],
    },
    prefer_skip_nested_validation=True,
)
def adjust_pvalues(pvalues: ArrayLike, *, method: str = "holm") -> NDArray[np.float64]:
    """Correct p-values for multiple testing (Holm or Benjamini-Hochberg).

    With the ``m`` finite p-values sorted as ``p(1) <= ... <= p(m)``:

    - ``"holm"`` controls the family-wise error rate:
      ``q(i) = max over j <= i of min(1, (m - j + 1) * p(j))``.
    - ``"bh"`` controls the false discovery rate (for independent or positively
      dependent tests): ``q(i) = min over j >= i of min(1, m * p(j) / j)``.

    A hypothesis is rejected at level ``alpha`` when its adjusted p-value is at
    most ``alpha``. Adjusted values lie in [0, 1] and are never below the raw ones.

    Read more in the :ref:`User Guide <leakage_statistics>`.

    Parameters
    ----------
    pvalues : array-like of any shape
        Raw p-values in [0, 1]. NaN entries (pairs that were not tested) stay NaN
        and do not count towards ``m``.
    method : {"holm", "bh"}, default="holm"
        Holm's step-down method or the Benjamini-Hochberg step-up method.

    Returns
    -------
    adjusted : ndarray of the shape of ``pvalues``
        Adjusted p-values.

    See Also
    --------
    pairwise_leakage_test : Applies this to every pair of clusters.

    Notes
    -----
    Sorting costs O(m log m).

    References
    ----------
    .. [1] S. Holm (1979). "A simple sequentially rejective multiple test
       procedure". Scandinavian Journal of Statistics, 6(2), 65-70.
    .. [2] Y. Benjamini and Y. Hochberg (1995). "Controlling the false discovery
       rate: a practical and powerful approach to multiple testing". Journal of
       the Royal Statistical Society, Series B, 57(1), 289-300.

    Examples
    --------
    >>> from sklearn_leakage import adjust_pvalues
    >>> adjust_pvalues([0.01, 0.04, 0.03])  # 3 * 0.01, max(0.06, 2 * 0.03), 1 * 0.04
    array([0.03, 0.06, 0.06])
    >>> adjust_pvalues([0.01, 0.04, 0.03], method="bh")  # 3/1 * .01, 3/3 * .04, ...
    array([0.03, 0.04, 0.04])
    """
    pvalues = np.asarray(pvalues, dtype=np.float64)
    finite = ~np.isnan(pvalues)
    flat = pvalues[finite]
    if np.any((flat < 0) | (flat > 1)):
        raise ValueError(
            f"pvalues must lie in [0, 1], found values in [{flat.min():.4g}, "
            f"{flat.max():.4g}]."
        )
    adjusted = np.full(pvalues.shape, np.nan)
    m = flat.shape[0]
    if m == 0:
        return adjusted
    order = np.argsort(flat, kind="stable")
    ranked = flat[order]
    rank = np.arange(1, m + 1)
    if method == "holm":
        # Step-down: each threshold may only rise, hence the running maximum.
        steps = np.maximum.accumulate(np.minimum(1.0, (m - rank + 1) * ranked))
    else:
        # Step-up: each value is the smallest over the ranks at or above it.
        scaled = np.minimum(1.0, m * ranked / rank)
        steps = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty(m)
    out[order] = steps
    adjusted[finite] = out
    return adjusted


def _total_count(labels, proba, classes, detection_threshold) -> tuple[int, int]:
    """Number of leaking points and of points, from :func:`total_leakage`."""
    share = total_leakage(
        labels, proba, classes=classes, detection_threshold=detection_threshold
    )
    n = int(np.asarray(labels).shape[0])
    # The micro average is a mean of 0/1 flags: share * n is an integer up to
    # rounding error.
    return int(np.rint(share * n)), n


@validate_params(
    {
        "labels": ["array-like"],
        "proba": ["array-like"],
        "classes": ["array-like", None],
        "detection_threshold": _LEVEL,
        "comparison_value": _SHARE,
        "alternative": _ALTERNATIVE,
        "confidence_level": _LEVEL,
    },
    prefer_skip_nested_validation=True,
)
def total_leakage_test(
    labels: ArrayLike,
    proba: ArrayLike,
    *,
    classes: ArrayLike | None = None,
    detection_threshold: float = 0.05,
    comparison_value: float = 0.05,
    alternative: str = "greater",
    confidence_level: float = 0.95,
) -> LeakageTestResult:
    """Exact test of the total leakage against a tolerated share.

    The statistic is :func:`total_leakage`, ``k / n`` with ``k`` the number of
    points whose largest probability on another cluster is at least
    ``detection_threshold``. Treating the points as independent draws, ``k`` is
    ``Binomial(n, q)``; the test asks whether the leakage share ``q`` exceeds
    ``comparison_value`` (``alternative="greater"``, the default) with the exact
    binomial p-value ``P(X >= k | X ~ Binomial(n, comparison_value))``, and the
    interval is the two-sided Clopper-Pearson interval of ``q``. The statistic
    lies in [0, 1] (0: no leakage; lower is better).

    Read more in the :ref:`User Guide <leakage_statistics>`.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Cluster of each sample.
    proba : array-like of shape (n_samples, n_clusters)
        Out-of-sample probability of each sample for each cluster.
    classes : array-like of shape (n_clusters,), default=None
        Cluster ids in the column order of ``proba``. ``np.unique(labels)`` if
        None.
    detection_threshold : float, default=0.05
        Probability from which another cluster counts as plausible, in (0, 1).
    comparison_value : float, default=0.05
        Tolerated leakage share under the null hypothesis, in [0, 1].
    alternative : {"greater", "less", "two-sided"}, default="greater"
        Alternative hypothesis about the leakage share.
    confidence_level : float, default=0.95
        Coverage of the confidence interval, in (0, 1).

    Returns
    -------
    result : LeakageTestResult
        With ``statistic``, ``count``, ``n``, ``pvalue`` and ``ci`` (a
        ``(low, high)`` named tuple).

    See Also
    --------
    total_leakage : The statistic.
    leakage_test_grid : The p-value over several thresholds and tolerated shares.
    pairwise_leakage_test : The same test for every pair of clusters.

    Notes
    -----
    The interval is two-sided whatever ``alternative`` is. For
    ``alternative="greater"`` at level ``alpha``, the test rejects exactly when
    ``comparison_value`` lies below the lower bound of the ``1 - 2 * alpha``
    interval, so a p-value just under 0.05 can come with a 95% interval that
    still contains ``comparison_value``.

    Out-of-fold probabilities of neighbouring points are not fully independent
    (they share training folds); the binomial model ignores this, as the
    leakyblobs z-test did.

    References
    ----------
    .. [1] C. J. Clopper and E. S. Pearson (1934). "The use of confidence or
       fiducial limits illustrated in the case of the binomial". Biometrika,
       26(4), 404-413.

    Examples
    --------
    >>> from sklearn_leakage import total_leakage_test
    >>> labels = [0, 0, 0, 1, 1, 1]
    >>> proba = [[1.0, 0.0], [0.9, 0.1], [0.99, 0.01],
    ...          [0.0, 1.0], [0.3, 0.7], [0.02, 0.98]]
    >>> result = total_leakage_test(labels, proba, comparison_value=0.1)
    >>> result.count, result.n  # the points with 0.1 and 0.3 on the other cluster
    (2, 6)
    >>> round(result.pvalue, 4)  # P(X >= 2), X ~ Binomial(6, 0.1)
    0.1143
    """
    count, n = _total_count(labels, proba, classes, detection_threshold)
    pvalue = float(
        _binomial_pvalues(count, n, comparison_value, alternative).reshape(())
    )
    low, high = _clopper_pearson(np.array(count), np.array(n), confidence_level)
    return LeakageTestResult(
        statistic=count / n,
        count=count,
        n=n,
        pvalue=pvalue,
        ci=ConfidenceInterval(float(low), float(high)),
        comparison_value=float(comparison_value),
        alternative=alternative,
        confidence_level=float(confidence_level),
    )


def _check_grid_values(values, name, closed) -> NDArray[np.float64]:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or values.shape[0] == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-dimensional list of shares, got shape "
            f"{values.shape}."
        )
    if closed:
        bad, interval = (values < 0) | (values > 1), "[0, 1]"
    else:
        bad, interval = (values <= 0) | (values >= 1), "(0, 1)"
    if np.any(bad) or not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must lie in {interval}, got {values[bad].tolist()}.")
    return values


@validate_params(
    {
        "labels": ["array-like"],
        "proba": ["array-like"],
        "classes": ["array-like", None],
        "detection_thresholds": ["array-like"],
        "comparison_values": ["array-like"],
        "alternative": _ALTERNATIVE,
    },
    prefer_skip_nested_validation=True,
)
def leakage_test_grid(
    labels: ArrayLike,
    proba: ArrayLike,
    *,
    classes: ArrayLike | None = None,
    detection_thresholds: ArrayLike = (0.01, 0.02, 0.05, 0.1, 0.2),
    comparison_values: ArrayLike = (0.01, 0.02, 0.05, 0.1, 0.2),
    alternative: str = "greater",
) -> pd.DataFrame:
    """Exact p-values of the total leakage over thresholds and tolerated shares.

    Cell ``(t, c)`` is the p-value of :func:`total_leakage_test` with
    ``detection_threshold=t`` and ``comparison_value=c``: with ``k_t`` points
    leaking at threshold ``t`` out of ``n``, ``P(X >= k_t | X ~ Binomial(n, c))``
    for ``alternative="greater"``. Reading along a row shows which tolerated
    shares the data rule out; down a column, how sensitive that is to the
    threshold. Values lie in [0, 1]; small values say the leakage exceeds ``c``.

    The leakyblobs package drew the same grid from a normal approximation (a
    z-test); exact binomial p-values stay valid for small clusters and for
    shares near 0, where the approximation fails.

    Read more in the :ref:`User Guide <leakage_statistics>`.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Cluster of each sample.
    proba : array-like of shape (n_samples, n_clusters)
        Out-of-sample probability of each sample for each cluster.
    classes : array-like of shape (n_clusters,), default=None
        Cluster ids in the column order of ``proba``. ``np.unique(labels)`` if
        None.
    detection_thresholds : array-like of float, default=(0.01, 0.02, 0.05, 0.1, 0.2)
        Detection thresholds (rows), each in (0, 1).
    comparison_values : array-like of float, default=(0.01, 0.02, 0.05, 0.1, 0.2)
        Tolerated leakage shares (columns), each in [0, 1].
    alternative : {"greater", "less", "two-sided"}, default="greater"
        Alternative hypothesis about the leakage share.

    Returns
    -------
    p_values : pandas.DataFrame of shape (n_thresholds, n_values)
        Index ``detection_threshold``, columns ``comparison_value``.

    See Also
    --------
    total_leakage_test : One cell of the grid, with its interval.
    LeakageTestGridDisplay : Heatmap of this grid.

    Notes
    -----
    The grid costs one :func:`total_leakage` per threshold and one exact test
    per cell. The p-values are not corrected for the number of cells: the grid is
    a sensitivity analysis, not a family of decisions.

    Examples
    --------
    >>> from sklearn_leakage import leakage_test_grid
    >>> labels = [0, 0, 0, 1, 1, 1]
    >>> proba = [[1.0, 0.0], [0.9, 0.1], [0.99, 0.01],
    ...          [0.0, 1.0], [0.3, 0.7], [0.02, 0.98]]
    >>> grid = leakage_test_grid(
    ...     labels, proba, detection_thresholds=[0.05, 0.2], comparison_values=[0.1]
    ... )
    >>> grid.round(4)  # 2 of 6 leak at 0.05, 1 of 6 at 0.2
    comparison_value        0.1
    detection_threshold
    0.05                 0.1143
    0.20                 0.4686
    """
    # pandas is only needed for the returned table; importing it here keeps this
    # module importable and testable with numpy and scipy alone.
    import pandas as pd

    thresholds = _check_grid_values(detection_thresholds, "detection_thresholds", False)
    values = _check_grid_values(comparison_values, "comparison_values", True)
    grid = np.empty((thresholds.shape[0], values.shape[0]))
    for row, threshold in enumerate(thresholds):
        count, n = _total_count(labels, proba, classes, float(threshold))
        grid[row] = _binomial_pvalues(count, n, values, alternative)
    return pd.DataFrame(
        grid,
        index=pd.Index(thresholds, name="detection_threshold"),
        columns=pd.Index(values, name="comparison_value"),
    )


@validate_params(
    {
        "labels": ["array-like"],
        "proba": ["array-like"],
        "classes": ["array-like", None],
        "detection_threshold": _LEVEL,
        "comparison_value": _SHARE,
        "alternative": _ALTERNATIVE,
        "method": [StrOptions({"holm", "bh"})],
        "confidence_level": _LEVEL,
    },
    prefer_skip_nested_validation=True,
)
def pairwise_leakage_test(
    labels: ArrayLike,
    proba: ArrayLike,
    *,
    classes: ArrayLike | None = None,
    detection_threshold: float = 0.05,
    comparison_value: float = 0.05,
    alternative: str = "greater",
    method: str = "holm",
    confidence_level: float = 0.95,
) -> PairwiseLeakageTestResult:
    """Exact test of the leakage of every cluster into every other cluster.

    For the source cluster ``i`` with ``n_i`` points, of which ``k_ij`` put at
    least ``detection_threshold`` on cluster ``j`` (:func:`leakage_matrix` with
    ``normalize=False``), the p-value of pair ``(i, j)`` is the exact binomial
    p-value of ``k_ij`` out of ``n_i`` against ``comparison_value``, for example
    ``P(X >= k_ij | X ~ Binomial(n_i, comparison_value))``. The
    ``n_clusters * (n_clusters - 1)`` p-values are then corrected together with
    Holm's method (family-wise error) or Benjamini-Hochberg (false discovery
    rate), see :func:`adjust_pvalues`. Leakage shares lie in [0, 1], lower is
    better.

    Read more in the :ref:`User Guide <leakage_statistics>`.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Cluster of each sample.
    proba : array-like of shape (n_samples, n_clusters)
        Out-of-sample probability of each sample for each cluster.
    classes : array-like of shape (n_clusters,), default=None
        Cluster ids in the column order of ``proba``. ``np.unique(labels)`` if
        None.
    detection_threshold : float, default=0.05
        Probability from which another cluster counts as plausible, in (0, 1).
    comparison_value : float, default=0.05
        Tolerated leakage share of a pair under the null hypothesis, in [0, 1].
    alternative : {"greater", "less", "two-sided"}, default="greater"
        Alternative hypothesis about each pair's leakage share.
    method : {"holm", "bh"}, default="holm"
        Multiple-testing correction: Holm or Benjamini-Hochberg.
    confidence_level : float, default=0.95
        Coverage of the Clopper-Pearson intervals, in (0, 1).

    Returns
    -------
    result : PairwiseLeakageTestResult
        Arrays of shape (n_clusters, n_clusters): ``statistic``, ``count``,
        ``pvalue``, ``pvalue_adjusted`` and ``ci``; ``n`` per source cluster.

    See Also
    --------
    leakage_matrix : The statistic.
    adjust_pvalues : The correction.
    LeakageReport : Lists the significant pairs in words.

    Notes
    -----
    Pairs with no leaking point are part of the family (their p-value is 1 under
    ``"greater"``), so that which pairs are corrected for does not depend on the
    data. Cost: one :func:`leakage_matrix` and ``n_clusters ** 2`` exact tests.

    References
    ----------
    .. [1] C. J. Clopper and E. S. Pearson (1934). "The use of confidence or
       fiducial limits illustrated in the case of the binomial". Biometrika,
       26(4), 404-413.
    .. [2] S. Holm (1979). "A simple sequentially rejective multiple test
       procedure". Scandinavian Journal of Statistics, 6(2), 65-70.
    .. [3] Y. Benjamini and Y. Hochberg (1995). "Controlling the false discovery
       rate: a practical and powerful approach to multiple testing". Journal of
       the Royal Statistical Society, Series B, 57(1), 289-300.

    Examples
    --------
    >>> from sklearn_leakage import pairwise_leakage_test
    >>> labels = [0, 0, 0, 1, 1, 1]
    >>> proba = [[1.0, 0.0], [0.9, 0.1], [0.99, 0.01],
    ...          [0.0, 1.0], [0.3, 0.7], [0.02, 0.98]]
    >>> result = pairwise_leakage_test(labels, proba, comparison_value=0.1)
    >>> result.count  # one point of each cluster leaks into the other
    array([[3, 1],
           [1, 3]])
    >>> result.pvalue.round(4)  # P(X >= 1), X ~ Binomial(3, 0.1) = 1 - 0.9 ** 3
    array([[   nan, 0.271],
           [0.271,    nan]])
    >>> result.pvalue_adjusted.round(4)  # Holm: 2 * 0.271, then max(., 0.271)
    array([[  nan, 0.542],
           [0.542,   nan]])
    """
    counts = leakage_matrix(
        labels,
        proba,
        classes=classes,
        detection_threshold=detection_threshold,
        normalize=False,
    )
    counts = np.rint(counts).astype(np.int64)
    if classes is None:
        classes = np.unique(np.asarray(labels))
    classes = np.asarray(classes)
    n_clusters = classes.shape[0]
    support = np.bincount(encode_labels(labels, classes), minlength=n_clusters).astype(
        np.int64
    )
    n = np.broadcast_to(support[:, None], (n_clusters, n_clusters))
    off_diagonal = ~np.eye(n_clusters, dtype=bool) & (n > 0)
    pvalues = np.full((n_clusters, n_clusters), np.nan)
    pvalues[off_diagonal] = _binomial_pvalues(
        counts[off_diagonal], n[off_diagonal], comparison_value, alternative
    )
    low, high = _clopper_pearson(counts, n, confidence_level)
    low = np.where(off_diagonal, low, np.nan)
    high = np.where(off_diagonal, high, np.nan)
    shares = np.divide(counts, n, out=np.zeros((n_clusters, n_clusters)), where=n > 0)
    return PairwiseLeakageTestResult(
        classes=classes,
        statistic=shares,
        count=counts,
        n=support,
        pvalue=pvalues,
        pvalue_adjusted=adjust_pvalues(pvalues, method=method),
        ci=ConfidenceInterval(low, high),
        comparison_value=float(comparison_value),
        alternative=alternative,
        method=method,
    )
