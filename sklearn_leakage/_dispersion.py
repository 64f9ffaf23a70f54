"""How much does a partition reduce the dispersion of the data? The gap statistic's W.

Tibshirani, Walther and Hastie (2001) compare ``log W_k``, the logarithm of the
within-cluster sum of squares of a k-cluster partition, with its value on
structureless reference data. Here the quantity is taken relative to one
cluster, ``log W_1 - log W_k``: the share of the total sum of squares a
partition explains, on a log scale. It is 0 for one cluster and grows as the
clusters get tighter; it does not change when the data are shifted or scaled.
Compared with the same quantity on reference data, it is the gap statistic's
"gap at k minus gap at 1".

The same quantity restricted to the directions that separate the clusters (the
span of their centres) is the *separation gain*. Dispersion in directions that
no centre differs in, such as an irrelevant noise feature, is left untouched by
the partition and only dilutes the first gain; the second does not see it. For
two clusters it is the first gain of the data projected on the line through
their centres, where the gap statistic's one-dimensional argument applies
directly: uniform data, cut in half, keep a quarter of their variance
(``log 4``), and a partition must divide the data more than that.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def _clustered_rows(X, codes: NDArray[np.intp]):
    """The clustered rows (code >= 0) as floats, sorted by cluster, and the
    index at which each cluster starts among them."""
    scored = codes >= 0
    codes = codes[scored]
    order = np.argsort(codes, kind="stable")
    rows = np.asarray(X[scored], dtype=np.float64)[order]
    starts = np.flatnonzero(np.diff(codes[order], prepend=-1))
    return rows, starts


def _gain(rows, starts) -> float:
    """``log(W_1 / W_k)`` of rows sorted by cluster (see :func:`_clustered_rows`)."""
    if rows.shape[0] == 0:
        return float("nan")
    total = float(((rows - rows.mean(axis=0)) ** 2).sum())
    # Each cluster centred on its own mean: exact even for clusters much
    # tighter than the distances between them, where the shortcut
    # sum ||x||^2 - n_c ||mean_c||^2 would lose the within part to rounding.
    within = sum(
        float(((part - part.mean(axis=0)) ** 2).sum())
        for part in np.split(rows, starts[1:])
    )
    if total == 0.0:
        return float("nan")
    if within == 0.0:
        return float("inf")
    return float(np.log(total) - np.log(within))


def dispersion_gain(X, codes: NDArray[np.intp]) -> float:
    """``log(W_1 / W_k)``: total over within-cluster sum of squares, logged.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data (dense).
    codes : ndarray of shape (n_samples,)
        Cluster codes 0..k-1; -1 marks noise, left out.

    Returns
    -------
    gain : float
        0 for one cluster, greater for tighter clusters; ``inf`` when every
        cluster is a single repeated point, NaN when no point is clustered or
        the clustered points are all equal.
    """
    return _gain(*_clustered_rows(X, codes))


def separation_gain(X, codes: NDArray[np.intp]) -> float:
    """:func:`dispersion_gain` in the subspace spanned by the cluster centres.

    The rows are centred on their mean and projected on the directions in
    which the clusters' centres differ (at most k - 1 of them); the between-
    cluster sum of squares lies entirely in that subspace, so the gain is
    ``log(1 + B / W_S)`` with ``B`` the between-cluster sum of squares and
    ``W_S`` the within-cluster sum of squares along those directions.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data (dense).
    codes : ndarray of shape (n_samples,)
        Cluster codes; -1 marks noise, left out.

    Returns
    -------
    gain : float
        0 for one cluster or for clusters with equal centres, greater for
        clusters better separated along the line(s) between their centres;
        ``inf`` and NaN as for :func:`dispersion_gain`.
    """
    rows, starts = _clustered_rows(X, codes)
    if starts.shape[0] < 2:
        return _gain(rows, starts)
    sizes = np.diff(np.append(starts, rows.shape[0]))
    centres = np.add.reduceat(rows, starts, axis=0) / sizes[:, None]
    mean = rows.mean(axis=0)
    _, singular, axes = np.linalg.svd(centres - mean, full_matrices=False)
    if singular[0] == 0.0:
        return 0.0
    # Directions with a (numerically) zero singular value carry no centre.
    axes = axes[singular > singular[0] * 1e-10]
    # The projected rows keep the clusters' order, so the same starts apply.
    return _gain((rows - mean) @ axes.T, starts)


#: The gains test (a) of a centroid clusterer compares with the reference's,
#: by the name ``score_details`` records them under; either may pass.
GAINS = {"dispersion_gain": dispersion_gain, "separation_gain": separation_gain}
