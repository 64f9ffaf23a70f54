"""Match the clusters of one labelling to those of another on shared points."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment


def match_clusters(
    source: NDArray[np.intp],
    target: NDArray[np.intp],
    n_source: int,
    n_target: int,
    *,
    one_to_one: bool = False,
) -> NDArray[np.intp]:
    """Map each source cluster to a target cluster by maximum overlap.

    Cluster ids are arbitrary, so a clustering refitted on other data names its
    clusters differently. Source and target clusters are paired one to one by the
    Hungarian algorithm on their contingency table (Lange et al., 2004, "Stability-
    based validation of clustering solutions", Neural Computation 16), which
    maximises the number of points whose two labels agree. By default a pair that
    shares no point is not a match: a source cluster left without a match (the
    source has more clusters, or its cluster covers none of the remaining target
    clusters) goes to the target cluster it overlaps most, so every point still
    gets one.

    Parameters
    ----------
    source, target : ndarray of shape (n_samples,)
        Integer codes of the same points in two labellings (no noise codes).
    n_source, n_target : int
        Number of clusters of each labelling.
    one_to_one : bool, default=False
        Keep every pair the assignment makes, even one that shares no point, so
        that no two source clusters share a target cluster while the target has
        clusters to spare. Only a source cluster beyond the target's number goes
        to the target cluster it overlaps most.

    Returns
    -------
    mapping : ndarray of shape (n_source,)
        Target code of each source code.
    """
    contingency = np.bincount(
        source * n_target + target, minlength=n_source * n_target
    ).reshape(n_source, n_target)
    rows, cols = linear_sum_assignment(contingency, maximize=True)
    mapping = contingency.argmax(axis=1)
    # Pairs the assignment made that overrule the argmax: all of them, or by
    # default only those that share a point.
    kept = slice(None) if one_to_one else contingency[rows, cols] > 0
    mapping[rows[kept]] = cols[kept]
    return mapping.astype(np.intp)
