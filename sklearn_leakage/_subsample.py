"""Subsampling for the probe, the reference and the boundaries when data are large."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from numpy.typing import NDArray

#: Rows used by ``max_samples="auto"``, the ``sample_size`` usually given to
#: silhouette_score. A leakage share p estimated on m rows has a standard error of
#: sqrt(p(1-p)/m): at most sqrt(0.25/10000) = 0.005 (half a percentage point, at
#: p = 0.5) and 0.0022 at a typical p = 0.05. Twice the rows would only narrow that
#: by a factor of 1.4 while doubling the probe's fits, the reference data and the
#: clusterer's fold refits, which at a million rows already cost a third to a
#: half of the clustering itself (0.6 s beside KMeans' 1.0 s for float32,
#: benchmarks/results/speed.md).
AUTO_MAX_SAMPLES = 10_000


def resolve_max_samples(max_samples, n_samples: int) -> int:
    """Number of rows to keep for a ``max_samples`` parameter value."""
    if max_samples is None:
        return n_samples
    if isinstance(max_samples, str):  # "auto"
        return min(n_samples, AUTO_MAX_SAMPLES)
    if isinstance(max_samples, Integral):
        return min(n_samples, int(max_samples))
    return max(2, min(n_samples, round(max_samples * n_samples)))


def uniform_rows(
    n_samples: int, n_keep: int, rng: np.random.Generator
) -> NDArray[np.intp] | None:
    """Sorted indices of ``n_keep`` rows drawn uniformly without replacement.

    None when ``n_keep`` covers every row: nothing is drawn from ``rng``, and
    the caller keeps its array as it is instead of copying it.
    """
    if n_keep >= n_samples:
        return None
    return np.sort(rng.choice(n_samples, n_keep, replace=False))


def _quotas(sizes: NDArray[np.intp], n_keep: int) -> NDArray[np.intp]:
    """Rows to keep per group: shares of ``n_keep``, at least one each.

    Largest-remainder apportionment (Hamilton's method): floor each group's
    share, then give the rows still missing to the largest fractional parts, so
    that exactly ``n_keep`` rows are kept (more only when the one-row minimum of
    many tiny groups forces it).
    """
    n_samples = int(sizes.sum())
    share = sizes * n_keep / n_samples
    quota = np.maximum(1, np.floor(share)).astype(np.intp)
    missing = n_keep - int(quota.sum())
    if missing > 0:
        # Groups already at their size (one-row groups) go last, whatever their
        # remainder; the others by decreasing remainder.
        full = quota >= sizes
        order = np.argsort(-(share - np.floor(share)) + 2.0 * full, kind="stable")
        quota[order[:missing]] += 1
    # A group never gives more rows than it has.
    return np.minimum(quota, sizes)


def stratified_subsample(
    codes: NDArray[np.intp], n_keep: int, seed: int
) -> NDArray[np.intp]:
    """Sorted row indices, ``n_keep`` of them, keeping each cluster's share.

    ``codes`` holds a cluster code >= 0 per row, or -1 for noise. Each cluster
    (and the noise rows) keeps at least one row, so that no cluster vanishes from
    the probe's training data; otherwise exactly ``n_keep`` rows are kept, drawn
    uniformly without replacement within each cluster.
    """
    n_samples = codes.shape[0]
    if n_keep >= n_samples:
        return np.arange(n_samples)
    rng = np.random.default_rng(seed)
    # Group g holds the rows of code g - 1 (noise is group 0). In the smallest
    # unsigned type that holds the groups, numpy's stable argsort is a radix sort:
    # linear in n, and the only temporaries of n entries are these groups (1-2
    # bytes each) and the sort's index array. At a million rows this is what
    # subsampling costs beyond X; every other array here has one entry per
    # group or per kept row.
    n_groups = int(codes.max()) + 2
    groups = np.add(codes, 1, dtype=np.min_scalar_type(n_groups - 1), casting="unsafe")
    sizes = np.bincount(groups, minlength=n_groups)
    by_group = np.argsort(groups, kind="stable")
    del groups
    starts = np.cumsum(sizes) - sizes
    present = np.flatnonzero(sizes)
    quota = _quotas(sizes[present], n_keep)
    kept = [
        by_group[start + rng.choice(size, size=q, replace=False)]
        for start, size, q in zip(starts[present], sizes[present], quota, strict=True)
    ]
    return np.sort(np.concatenate(kept))
