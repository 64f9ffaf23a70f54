"""Exact binomial test and Clopper-Pearson interval of one share of points."""

from __future__ import annotations

from numbers import Real

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import beta, binomtest

from sklearn_leakage._compat import validate_params
from sklearn_leakage._stats._constraints import ALTERNATIVE, LEVEL, as_numbers
from sklearn_leakage._stats._results import ConfidenceInterval

__all__ = ["binomial_test", "proportion_ci"]


def _check_counts(count, n) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Broadcast ``count`` and ``n`` to whole-number arrays with 0 <= count <= n."""
    count = as_numbers(count, "count", "whole numbers of points")
    n = as_numbers(n, "n", "whole numbers of points")
    for name, values in (("count", count), ("n", n)):
        if np.any(np.isnan(values)):
            raise ValueError(
                f"{name} contains a missing value, got "
                f"{values.ravel()[:5].tolist()}; a test needs every count: "
                "leave the missing entries out."
            )
        if not np.all(np.isfinite(values)) or np.any(values != np.round(values)):
            raise ValueError(
                f"{name} must hold whole numbers of points, got "
                f"{values.ravel()[:5].tolist()}; pass counts, not shares."
            )
        if np.any(values < 0):
            raise ValueError(
                f"{name} must be non-negative, got {values.ravel()[:5].tolist()}."
            )
        # int64 holds counts below 2**63, and float64 rounds those near it up
        # to 2**63 itself, which would wrap around: 2**62 is a bound both hold.
        if np.any(values > 2.0**62):
            raise ValueError(
                f"{name} must be at most 2**62, got {values.max():.4g}; counts of "
                "points that large are not supported."
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


def _scalar_or_array(values: float | NDArray, scalar: bool) -> float | NDArray:
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
        "alternative": ALTERNATIVE,
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
        Number of points with the property (for example leaking points): whole
        numbers from 0 to 2**62. Text, booleans, complex numbers, dates and
        masked arrays with masked entries are refused, since numpy would read
        them as numbers.
    n : int or array-like of int
        Number of points observed, as ``count``; broadcast against it.
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
    value = as_numbers(value, "value", "shares in [0, 1]")
    if np.any((value < 0) | (value > 1)) or not np.all(np.isfinite(value)):
        raise ValueError(
            f"value must be a share in [0, 1], got {value.ravel()[:5].tolist()}."
        )
    try:
        np.broadcast_shapes(count.shape, value.shape)
    except ValueError as exc:
        raise ValueError(
            f"value of shape {value.shape} does not broadcast against count and "
            f"n of shape {count.shape}; pass one value, or one per count."
        ) from exc
    pvalues = _binomial_pvalues(count, n, value, alternative)
    return _scalar_or_array(pvalues, scalar)


@validate_params(
    {
        "count": ["array-like", Real],
        "n": ["array-like", Real],
        "confidence_level": LEVEL,
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
        Number of points with the property: whole numbers from 0 to 2**62, as
        for :func:`binomial_test`.
    n : int or array-like of int
        Number of points observed, as ``count``; broadcast against it.
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
