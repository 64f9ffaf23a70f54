"""Result types of the exact tests: intervals and test outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BootstrapIntervalResult",
    "ConfidenceInterval",
    "LeakageTestResult",
    "PairwiseLeakageTestResult",
]


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


@dataclass(frozen=True)
class BootstrapIntervalResult:
    """Outcome of :func:`total_leakage_interval`.

    Attributes
    ----------
    statistic : float
        Total leakage of the data as given, from the same out-of-fold
        procedure.
    ci : ConfidenceInterval
        Bootstrap interval of the total leakage the procedure gives on samples
        of the population, within [0, 1].
    standard_error : float
        Standard deviation of ``bootstrap_distribution`` over the samples that
        had a cluster to score.
    bootstrap_distribution : ndarray of shape (n_resamples,)
        Total leakage on each bootstrap sample, in the order drawn; NaN for a
        sample that had no cluster to score (left out of ``ci``).
    confidence_level : float
        Confidence level of ``ci``.
    method : str
        ``"normal"`` or ``"percentile"``.
    """

    statistic: float
    ci: ConfidenceInterval
    standard_error: float
    bootstrap_distribution: NDArray[np.float64]
    confidence_level: float
    method: str
