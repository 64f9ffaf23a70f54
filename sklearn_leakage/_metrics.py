"""Leakage metrics: pure functions of (labels, probabilities).

Every function takes ``labels`` of shape (n_samples,), ``proba`` of shape
(n_samples, n_clusters) whose columns follow ``classes`` (``np.unique(labels)`` by
default), read by position; a data frame whose columns are named by the
clusters in another order is refused. Functions named ``*_leakage`` return a
value in [0, 1] where lower is better. All cost O(n_samples * n_clusters) time
and memory.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_leakage._compat import Interval, StrOptions, validate_params
from sklearn_leakage._validation import check_labels_proba

__all__ = [
    "expected_leakage",
    "expected_leakage_matrix",
    "leakage_matrix",
    "total_leakage",
]

_THRESHOLD = [Interval(Real, 0, 1, closed="neither")]
_AVERAGE = [StrOptions({"micro", "macro"}), None]


def _per_cluster_mean(codes, values, n_clusters):
    """Mean of ``values`` within each cluster; 0 for a cluster with no sample."""
    support = np.bincount(codes, minlength=n_clusters)
    sums = np.bincount(codes, weights=values, minlength=n_clusters)
    return np.divide(sums, support, out=np.zeros(n_clusters), where=support > 0)


def _average(codes, per_sample, n_clusters, average):
    if average == "micro":
        return float(np.mean(per_sample))
    per_cluster = _per_cluster_mean(codes, per_sample, n_clusters)
    if average is None:
        return per_cluster
    present = np.bincount(codes, minlength=n_clusters) > 0
    return float(np.mean(per_cluster[present]))


def _max_off_cluster(codes, proba):
    """Largest probability each sample puts on a cluster other than its own."""
    # Column by column, so memory stays at one (n_samples,) vector and the caller's
    # array is never written to, not even temporarily.
    best = np.zeros(proba.shape[0], dtype=np.float64)
    for j in range(proba.shape[1]):
        np.maximum(best, np.where(codes == j, 0.0, proba[:, j]), out=best)
    return best


@validate_params(
    {
        "labels": ["array-like"],
        "proba": ["array-like"],
        "classes": ["array-like", None],
        "detection_threshold": _THRESHOLD,
        "normalize": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def leakage_matrix(
    labels: ArrayLike,
    proba: ArrayLike,
    *,
    classes: ArrayLike | None = None,
    detection_threshold: float = 0.05,
    normalize: bool = True,
) -> NDArray[np.float64]:
    """Share of each cluster's points that leak into each other cluster.

    Entry ``(i, j)`` is the share of the points of cluster ``i`` whose probability
    on cluster ``j`` is at least ``detection_threshold``. This is the definition of
    the leakyblobs package: a point "leaks" into every cluster that the probe
    classifier still considers plausible for it. Off-diagonal entries lie in
    [0, 1], 0 meaning no point of ``i`` is mistaken for ``j``; lower is better.
    The same rule applied on the diagonal gives the share of cluster ``i``'s points
    whose probability on their own cluster is at least the threshold (close to 1
    for a well-predicted cluster). Rows need not sum to 1: one point can leak into
    several clusters.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Cluster of each sample.
    proba : array-like of shape (n_samples, n_clusters)
        Out-of-sample probability of each sample for each cluster, for example
        from :func:`cross_val_proba`.
    classes : array-like of shape (n_clusters,), default=None
        Cluster ids in the column order of ``proba``. ``np.unique(labels)`` if
        None.
    detection_threshold : float, default=0.05
        Probability from which a cluster counts as plausible for a point, in (0, 1).
    normalize : bool, default=True
        If False, return counts of points instead of shares.

    Returns
    -------
    matrix : ndarray of shape (n_clusters, n_clusters)
        Rows are the points' own clusters, columns the clusters they leak into,
        both in the order of ``classes``. A cluster with no point has a zero row.

    See Also
    --------
    total_leakage : Share of points that leak anywhere.
    expected_leakage_matrix : Threshold-free version (mean probabilities).

    Examples
    --------
    >>> from sklearn_leakage import leakage_matrix
    >>> labels = [0, 0, 1, 1]
    >>> proba = [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]]
    >>> leakage_matrix(labels, proba)
    array([[1. , 0.5],
           [0.5, 1. ]])
    """
    codes, proba, classes = check_labels_proba(labels, proba, classes)
    n_clusters = classes.shape[0]
    hits = proba >= detection_threshold
    counts = np.empty((n_clusters, n_clusters))
    for j in range(n_clusters):
        counts[:, j] = np.bincount(codes, weights=hits[:, j], minlength=n_clusters)
    if not normalize:
        return counts
    support = np.bincount(codes, minlength=n_clusters)[:, None]
    return np.divide(counts, support, out=np.zeros_like(counts), where=support > 0)


@validate_params(
    {
        "labels": ["array-like"],
        "proba": ["array-like"],
        "classes": ["array-like", None],
        "detection_threshold": _THRESHOLD,
        "average": _AVERAGE,
    },
    prefer_skip_nested_validation=True,
)
def total_leakage(
    labels: ArrayLike,
    proba: ArrayLike,
    *,
    classes: ArrayLike | None = None,
    detection_threshold: float = 0.05,
    average: str | None = "micro",
) -> float | NDArray[np.float64]:
    """Share of points that leak into at least one other cluster.

    A point leaks when its largest probability on a cluster other than its own is
    at least ``detection_threshold``. The value lies in [0, 1]: 0 when every point
    is confidently predicted in its own cluster only; lower is better. It never
    rises when the threshold rises.

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
    average : {"micro", "macro"} or None, default="micro"
        ``"micro"``: share over all points. ``"macro"``: unweighted mean of the
        clusters' shares, so that small clusters count as much as large ones.
        None: the share of each cluster, in the order of ``classes``. A
        cluster of ``classes`` without any point has no share: it is 0 in
        that output and left out of the macro average.

    Returns
    -------
    leakage : float or ndarray of shape (n_clusters,)
        Total leakage, or per-cluster leakage when ``average=None``.

    See Also
    --------
    leakage_matrix : Where the points leak to.
    expected_leakage : Threshold-free counterpart.

    Examples
    --------
    >>> from sklearn_leakage import total_leakage
    >>> labels = [0, 0, 1, 1]
    >>> proba = [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]]
    >>> total_leakage(labels, proba)
    0.5
    >>> total_leakage(labels, proba, detection_threshold=0.15)
    0.25
    """
    codes, proba, classes = check_labels_proba(labels, proba, classes)
    leaks = (_max_off_cluster(codes, proba) >= detection_threshold).astype(float)
    return _average(codes, leaks, classes.shape[0], average)


@validate_params(
    {
        "labels": ["array-like"],
        "proba": ["array-like"],
        "classes": ["array-like", None],
        "average": _AVERAGE,
    },
    prefer_skip_nested_validation=True,
)
def expected_leakage(
    labels: ArrayLike,
    proba: ArrayLike,
    *,
    classes: ArrayLike | None = None,
    average: str | None = "micro",
) -> float | NDArray[np.float64]:
    """Mean probability mass that points put on clusters other than their own.

    For a point ``x`` of cluster ``c`` the leaked mass is ``1 - p(c | x)``; this
    function averages it. Unlike :func:`total_leakage` it needs no threshold, and a
    point that is 40% unsure weighs more than one that is 6% unsure. The value
    lies in [0, 1], 0 meaning every point is predicted in its own cluster with
    certainty; lower is better. For calibrated probabilities its expectation is
    at most 1 - 1/n_clusters, a bound one sample can exceed: a point given
    probabilities (0.9, 0.1) belongs to the second cluster one time in ten, and
    then leaks 0.9.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Cluster of each sample.
    proba : array-like of shape (n_samples, n_clusters)
        Out-of-sample probability of each sample for each cluster.
    classes : array-like of shape (n_clusters,), default=None
        Cluster ids in the column order of ``proba``. ``np.unique(labels)`` if
        None.
    average : {"micro", "macro"} or None, default="micro"
        ``"micro"``: mean over all points. ``"macro"``: unweighted mean of the
        clusters' means. None: the mean of each cluster, in the order of
        ``classes``. A cluster of ``classes`` without any point has no mean:
        it is 0 in that output and left out of the macro average.

    Returns
    -------
    leakage : float or ndarray of shape (n_clusters,)
        Expected leakage, or per-cluster expected leakage when ``average=None``.

    See Also
    --------
    expected_leakage_matrix : Where the mass goes, pair by pair.
    total_leakage : Thresholded counterpart.

    Examples
    --------
    >>> from sklearn_leakage import expected_leakage
    >>> labels = [0, 0, 1, 1]
    >>> proba = [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]]
    >>> round(expected_leakage(labels, proba), 3)  # (0.1 + 0 + 0.2 + 0) / 4
    0.075
    >>> expected_leakage(labels, proba, average=None)
    array([0.05, 0.1 ])
    """
    codes, proba, classes = check_labels_proba(labels, proba, classes)
    leaked = 1.0 - proba[np.arange(codes.shape[0]), codes].astype(np.float64)
    return _average(codes, leaked, classes.shape[0], average)


@validate_params(
    {
        "labels": ["array-like"],
        "proba": ["array-like"],
        "classes": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def expected_leakage_matrix(
    labels: ArrayLike,
    proba: ArrayLike,
    *,
    classes: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """Mean probability that each cluster's points put on each cluster.

    Entry ``(i, j)`` is the mean of ``p(j | x)`` over the points ``x`` of cluster
    ``i``: the expected leakage from ``i`` into ``j`` for ``i != j``, lower is
    better. Each row sums to 1 and the diagonal is 1 minus the cluster's expected
    leakage (see :func:`expected_leakage` with ``average=None``).

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Cluster of each sample.
    proba : array-like of shape (n_samples, n_clusters)
        Out-of-sample probability of each sample for each cluster.
    classes : array-like of shape (n_clusters,), default=None
        Cluster ids in the column order of ``proba``. ``np.unique(labels)`` if
        None.

    Returns
    -------
    matrix : ndarray of shape (n_clusters, n_clusters)
        Rows are the points' own clusters, columns where their mass goes. A
        cluster with no point has a zero row.

    See Also
    --------
    leakage_matrix : Thresholded counterpart.

    Examples
    --------
    >>> from sklearn_leakage import expected_leakage_matrix
    >>> labels = [0, 0, 1, 1]
    >>> proba = [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]]
    >>> expected_leakage_matrix(labels, proba)
    array([[0.95, 0.05],
           [0.1 , 0.9 ]])
    """
    codes, proba, classes = check_labels_proba(labels, proba, classes)
    n_clusters = classes.shape[0]
    matrix = np.empty((n_clusters, n_clusters))
    for j in range(n_clusters):
        matrix[:, j] = _per_cluster_mean(codes, proba[:, j], n_clusters)
    return matrix
