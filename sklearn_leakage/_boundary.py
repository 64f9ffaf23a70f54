"""How dense is a partition's densest boundary? Leakage of a nearest-neighbour probe.

A boundary drawn through a gap between two clusters has few points on either
side of it; a boundary drawn through the middle of one cluster has as many as
the cluster's core. Each point's nearest neighbours are a probe that needs no
training: the share of them lying in another cluster is the point's leakage
across its boundaries. Because the neighbourhood shrinks where points are dense,
this share measures the density at a boundary relative to the density of the
two clusters it separates, whatever their scale.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from sklearn.neighbors import NearestNeighbors

from sklearn_leakage._subsample import uniform_rows

#: Neighbours per point: few enough to stay local to a boundary, enough for the
#: share to move in steps of 0.1.
N_NEIGHBORS = 10

#: Rows the boundaries are measured on. A neighbour search costs O(n^2 d) in
#: many dimensions, so a fixed number of rows keeps its cost from growing with
#: the data, while leaving 125 rows per cluster at 16 clusters.
MAX_ROWS = 2_000


def pairwise_neighbor_leakage(
    X, codes: NDArray[np.intp], n_neighbors: int = N_NEIGHBORS
) -> NDArray[np.float64]:
    """Leakage between every two clusters under a nearest-neighbour probe.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        The data.
    codes : ndarray of shape (n_samples,)
        Cluster codes 0..k-1; -1 marks noise, left out (as are its neighbours).
    n_neighbors : int, default=10
        Neighbours of each point, the point itself not counted.

    Returns
    -------
    pairs : ndarray of shape (k, k)
        Symmetric, zero diagonal: entry (i, j) is the number of neighbours that
        the points of clusters i and j have across their common boundary,
        divided by ``n_neighbors`` times the two clusters' total size.
    """
    keep = codes >= 0
    codes = codes[keep]
    X = X[keep]
    n_clusters = int(codes.max()) + 1 if codes.size else 0
    pairs = np.zeros((n_clusters, n_clusters))
    if n_clusters < 2 or codes.shape[0] < 2:
        return pairs
    n_neighbors = min(n_neighbors, codes.shape[0] - 1)
    # kneighbors() without X leaves each point out of its own neighbours.
    neighbors = (
        NearestNeighbors(n_neighbors=n_neighbors)
        .fit(X)
        .kneighbors(return_distance=False)
    )
    counts = np.bincount(
        (codes[:, None] * n_clusters + codes[neighbors]).ravel(),
        minlength=n_clusters * n_clusters,
    ).reshape(n_clusters, n_clusters)
    across = counts + counts.T
    np.fill_diagonal(across, 0)
    sizes = np.bincount(codes, minlength=n_clusters)
    return across / (n_neighbors * (sizes[:, None] + sizes[None, :]))


def neighbors_for(sizes: NDArray[np.intp]) -> int:
    """Neighbours per point for clusters of these sizes.

    :data:`N_NEIGHBORS`, or fewer than the smallest non-empty cluster has
    points: a point of a 7-point cluster has only 6 neighbours inside it, so
    with 10 it would leak across any boundary, however wide the gap.
    """
    sizes = np.asarray(sizes)
    sizes = sizes[sizes > 0]
    if not sizes.size:
        return N_NEIGHBORS
    return int(max(1, min(N_NEIGHBORS, sizes.min() - 1)))


def boundary_leakage(
    X, codes: NDArray[np.intp], n_neighbors: int = N_NEIGHBORS
) -> float:
    """Leakage across the partition's densest boundary, in [0, 1].

    The largest entry of :func:`pairwise_neighbor_leakage`; 0 with fewer than
    two clusters.
    """
    pairs = pairwise_neighbor_leakage(X, codes, n_neighbors)
    return float(pairs.max()) if pairs.size else 0.0


def paired_boundary_leakage(
    X, codes: NDArray[np.intp], R, reference_codes, rng: np.random.Generator
) -> tuple[float, float]:
    """Densest-boundary leakage of a partition and of a reference partition.

    Both are measured on at most :data:`MAX_ROWS` rows drawn uniformly (which
    keeps the densities' ratios), with the same number of neighbours: fewer
    than the data partition's smallest cluster has points there. ``R`` None
    gives NaN for the reference.
    """
    keep = uniform_rows(codes.shape[0], MAX_ROWS, rng)
    if keep is not None:
        X, codes = X[keep], codes[keep]
    n_neighbors = neighbors_for(np.bincount(codes[codes >= 0]))
    data = boundary_leakage(X, codes, n_neighbors)
    if R is None:
        return data, float("nan")
    keep = uniform_rows(reference_codes.shape[0], MAX_ROWS, rng)
    if keep is not None:
        R, reference_codes = R[keep], reference_codes[keep]
    return data, boundary_leakage(R, reference_codes, n_neighbors)
