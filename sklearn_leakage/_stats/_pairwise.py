"""Exact tests of the leakage of every cluster into every other cluster."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from sklearn_leakage._compat import validate_params
from sklearn_leakage._metrics import leakage_matrix
from sklearn_leakage._stats._binomial import _binomial_pvalues, _clopper_pearson
from sklearn_leakage._stats._constraints import (
    ALTERNATIVE,
    LEVEL,
    METHOD,
    PREDICTIONS,
    SHARE,
)
from sklearn_leakage._stats._multiple_testing import adjust_pvalues
from sklearn_leakage._stats._results import (
    ConfidenceInterval,
    PairwiseLeakageTestResult,
)
from sklearn_leakage._validation import encode_labels

__all__ = ["pairwise_leakage_test"]


@validate_params(
    {
        **PREDICTIONS,
        "detection_threshold": LEVEL,
        "comparison_value": SHARE,
        "alternative": ALTERNATIVE,
        "method": METHOD,
        "confidence_level": LEVEL,
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
    ``"greater"``), so that which pairs are corrected for does not depend on
    how much they leak; only pairs whose source cluster has no point (a class
    of ``classes`` absent from ``labels``) are left out, with NaN. Cost: one
    :func:`leakage_matrix` and ``n_clusters * (n_clusters - 1)`` exact tests
    (the diagonal is not tested).

    Each pair's p-value treats the points of its source cluster as independent
    draws given the probabilities, as :func:`total_leakage_test` does, with the
    same caveat: the p-values are about these points under these fitted
    probes, and for overlapping given labels they are too small for claims
    about the population (the user guide's "Assumptions").

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
