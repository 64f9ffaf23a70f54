"""Exact tests of the total leakage: one test, and the grid of p-values."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_leakage._compat import validate_params
from sklearn_leakage._metrics import total_leakage
from sklearn_leakage._stats._binomial import _binomial_pvalues, _clopper_pearson
from sklearn_leakage._stats._constraints import (
    ALTERNATIVE,
    LEVEL,
    PREDICTIONS,
    SHARE,
    as_numbers,
)
from sklearn_leakage._stats._results import ConfidenceInterval, LeakageTestResult

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["GRID_VALUES", "leakage_test_grid", "total_leakage_test"]

#: Default detection thresholds and tolerated shares of the p-value grid: those
#: of the leakyblobs grid, so that its users find the table they know.
GRID_VALUES = (0.01, 0.02, 0.05, 0.1, 0.2)


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
        **PREDICTIONS,
        "detection_threshold": LEVEL,
        "comparison_value": SHARE,
        "alternative": ALTERNATIVE,
        "confidence_level": LEVEL,
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
    total_leakage_interval : Bootstrap interval valid for new samples.

    Notes
    -----
    The interval is two-sided whatever ``alternative`` is. For
    ``alternative="greater"`` at level ``alpha``, the test rejects exactly when
    ``comparison_value`` lies below the lower bound of the ``1 - 2 * alpha``
    interval, so a p-value just under 0.05 can come with a 95% interval that
    still contains ``comparison_value``.

    The p-value and the interval are about the share of leaking points of these
    points under these fitted fold probes. The points are not independent: they
    share the fitted probes, whose boundary decides every point's leak, and
    their training folds; the binomial model ignores this, as the leakyblobs
    z-test did. For labels that overlap, given rather than made by a
    clusterer, the share's variance from sample to sample is several times the
    model's (a nominal 95% interval covered the average share of
    2-cluster Gaussian samples in 58% of them and of 3-cluster ones in 70%,
    ``benchmarks/results/interval_coverage*.md``); see the user guide's
    "Assumptions". For claims about new samples, use
    :func:`total_leakage_interval`, which resamples the rows and redoes the
    whole procedure (its 95% interval covered the average share in 91% to 94%
    of those samples).

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
    # Text and booleans are refused as binomial_test refuses them: "0.05" and
    # True would otherwise become rows and columns 0.05 and 1.0.
    values = as_numbers(values, name, "shares")
    if values.ndim != 1 or values.shape[0] == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-dimensional list of shares, got shape "
            f"{values.shape}."
        )
    # NaN compares False: it is bad by not being inside.
    if closed:
        bad, interval = ~((values >= 0) & (values <= 1)), "[0, 1]"
    else:
        bad, interval = ~((values > 0) & (values < 1)), "(0, 1)"
    if np.any(bad):
        raise ValueError(f"{name} must lie in {interval}, got {values[bad].tolist()}.")
    return values


@validate_params(
    {
        **PREDICTIONS,
        "detection_thresholds": ["array-like"],
        "comparison_values": ["array-like"],
        "alternative": ALTERNATIVE,
    },
    prefer_skip_nested_validation=True,
)
def leakage_test_grid(
    labels: ArrayLike,
    proba: ArrayLike,
    *,
    classes: ArrayLike | None = None,
    detection_thresholds: ArrayLike = GRID_VALUES,
    comparison_values: ArrayLike = GRID_VALUES,
    alternative: str = "greater",
) -> pd.DataFrame:
    """Exact p-values of the total leakage over thresholds and tolerated shares.

    Cell ``(t, c)`` is the p-value of :func:`total_leakage_test` with
    ``detection_threshold=t`` and ``comparison_value=c``: with ``k_t`` points
    leaking at threshold ``t`` out of ``n``, ``P(X >= k_t | X ~ Binomial(n, c))``
    for ``alternative="greater"``. Reading along a row shows which tolerated
    shares the data rule out; down a column, how sensitive that is to the
    threshold. Values lie in [0, 1]; small values say the leakage exceeds ``c``
    (with ``"less"``: falls short of ``c``; ``"two-sided"``: differs from it).

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
        Index ``detection_threshold``, columns ``comparison_value``;
        ``p_values.attrs["alternative"]`` records ``alternative``, which
        :class:`LeakageTestGridDisplay` reads for its title.

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
    p_values = pd.DataFrame(
        grid,
        index=pd.Index(thresholds, name="detection_threshold"),
        columns=pd.Index(values, name="comparison_value"),
    )
    p_values.attrs["alternative"] = alternative
    return p_values
