"""Exact tests and confidence intervals for leakage shares.

A leakage share is a count of leaking points out of a cluster's (or the whole
sample's) points, so it is a binomial proportion: the tests here are exact binomial
tests, the intervals Clopper-Pearson intervals, and the pairwise tests come with a
Holm or Benjamini-Hochberg correction. Counts are read from the public metric
functions; nothing here imports pandas or matplotlib at module level.
"""

from sklearn_leakage._stats._binomial import binomial_test, proportion_ci
from sklearn_leakage._stats._multiple_testing import adjust_pvalues
from sklearn_leakage._stats._pairwise import pairwise_leakage_test
from sklearn_leakage._stats._results import (
    BootstrapIntervalResult,
    ConfidenceInterval,
    LeakageTestResult,
    PairwiseLeakageTestResult,
)
from sklearn_leakage._stats._total import (
    GRID_VALUES,
    leakage_test_grid,
    total_leakage_test,
)

__all__ = [
    "GRID_VALUES",
    "BootstrapIntervalResult",
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
