"""Merge clusters that leak into each other until none leaks past a level."""

from __future__ import annotations

from numbers import Real

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_leakage._compat import Interval, validate_params
from sklearn_leakage._metrics import leakage_matrix
from sklearn_leakage._validation import check_labels_proba

__all__ = ["merge_leaky_clusters", "symmetric_leakage"]


def symmetric_leakage(matrix: ArrayLike) -> NDArray[np.float64]:
    """Leakage between two clusters in either direction: ``max(L[i, j], L[j, i])``.

    The maximum, not the mean: a small cluster that spills into a large one has a
    large share in one direction and a tiny one in the other, and is worth
    merging all the same. The diagonal is set to 0.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    sym = np.maximum(matrix, matrix.T)
    np.fill_diagonal(sym, 0.0)
    return sym


@validate_params(
    {
        "labels": ["array-like"],
        "proba": ["array-like"],
        "classes": ["array-like", None],
        "detection_threshold": [Interval(Real, 0, 1, closed="neither")],
        "leakage_level": [Interval(Real, 0, 1, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def merge_leaky_clusters(
    labels: ArrayLike,
    proba: ArrayLike,
    *,
    classes: ArrayLike | None = None,
    detection_threshold: float = 0.05,
    leakage_level: float = 0.1,
) -> NDArray:
    """Greedily merge the clusters that leak into each other the most.

    At each step the pairwise :func:`leakage_matrix` ``L`` is computed and the
    pair with the largest symmetric leakage ``max(L[i, j], L[j, i])`` is merged,
    as long as that value exceeds ``leakage_level``. The merged cluster keeps
    the smaller of the two ids and its probability column is the sum of the two
    columns (the probe's probability of "either cluster"), so that the leakage of
    the new partition is recomputed without refitting the probe. Merging stops
    when no pair leaks more than ``leakage_level`` or one cluster is left.

    Read more in the :ref:`User Guide <merging_clusters>`.

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
    leakage_level : float, default=0.1
        Two clusters are merged while their symmetric leakage exceeds this share,
        in [0, 1).

    Returns
    -------
    merged_labels : ndarray of shape (n_samples,)
        The labels after merging, with the dtype of ``labels`` (or of
        ``classes`` when wider); each merged cluster carries the smallest id of
        its parts.

    See Also
    --------
    leakage_matrix : Pairwise leakage shares.
    LeakageReport.merge_candidates : The pairs above a level, without merging.

    Notes
    -----
    Greedy agglomeration: at most ``n_clusters - 1`` steps, each one
    :func:`leakage_matrix` in O(n_samples * n_clusters). Summing columns is exact
    for the probabilities of a fixed probe; a probe refitted on the merged labels
    may be sharper, so the result is a conservative (not over-merged) partition
    only when the merged clusters are well separated from the rest.

    Examples
    --------
    >>> from sklearn_leakage import merge_leaky_clusters
    >>> labels = [0, 0, 1, 1, 2, 2]
    >>> proba = [[0.8, 0.2, 0.0], [0.6, 0.4, 0.0], [0.3, 0.7, 0.0],
    ...          [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.01, 0.99]]
    >>> merge_leaky_clusters(labels, proba, leakage_level=0.5)
    array([0, 0, 0, 0, 2, 2])
    """
    codes, proba, classes = check_labels_proba(labels, proba, classes)
    labels = np.asarray(labels)
    # Work on integer codes and a private copy of the columns: the caller's proba
    # is never written to, and ids of any type merge alike.
    columns = [proba[:, j].astype(np.float64) for j in range(classes.shape[0])]
    groups = [[j] for j in range(classes.shape[0])]
    group_of = codes.copy()
    while len(groups) > 1:
        merged_proba = np.column_stack(columns)
        matrix = leakage_matrix(
            group_of,
            merged_proba,
            classes=np.arange(len(groups)),
            detection_threshold=detection_threshold,
        )
        sym = symmetric_leakage(matrix)
        # argmax returns the first maximum: ties go to the pair of smallest
        # indices, so the result does not depend on anything but the data.
        i, j = np.unravel_index(int(np.argmax(sym)), sym.shape)
        if sym[i, j] <= leakage_level:
            break
        keep, drop = min(i, j), max(i, j)
        columns[keep] = columns[keep] + columns[drop]
        del columns[drop]
        groups[keep] = groups[keep] + groups[drop]
        del groups[drop]
        group_of = np.where(group_of == drop, keep, group_of)
        group_of = np.where(group_of > drop, group_of - 1, group_of)

    # Each group is named after the smallest id among its clusters.
    sorted_ids = np.argsort(classes, kind="stable")
    rank = np.empty_like(sorted_ids)
    rank[sorted_ids] = np.arange(classes.shape[0])
    new_id = np.empty(classes.shape[0], dtype=np.intp)
    for members in groups:
        smallest = min(members, key=lambda member: rank[member])
        new_id[members] = smallest
    merged = classes[new_id[codes]]
    # Cast back to the labels' dtype unless classes are wider (longer strings,
    # int64 classes for int32 labels), which would truncate.
    return merged.astype(np.result_type(labels.dtype, classes.dtype), copy=False)
