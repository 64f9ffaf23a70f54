"""Stratified subsampling for the probe when the data are large."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from numpy.typing import NDArray

#: Rows used by ``max_samples="auto"``. With 20,000 rows a leakage share p is
#: estimated with a standard error of sqrt(p(1-p)/20000) <= 0.0035, finer than any
#: decision the package takes, while the probe's cost stops growing with n.
AUTO_MAX_SAMPLES = 20_000


def resolve_max_samples(max_samples, n_samples: int) -> int:
    """Number of rows to keep for a ``max_samples`` parameter value."""
    if max_samples is None:
        return n_samples
    if isinstance(max_samples, str):  # "auto"
        return min(n_samples, AUTO_MAX_SAMPLES)
    if isinstance(max_samples, Integral):
        return min(n_samples, int(max_samples))
    return max(2, min(n_samples, round(max_samples * n_samples)))


def stratified_subsample(
    codes: NDArray[np.intp], n_keep: int, seed: int
) -> NDArray[np.intp]:
    """Sorted row indices, ``n_keep`` of them, keeping each cluster's share.

    Each cluster (and the noise rows, code -1) keeps at least one row, so that no
    cluster vanishes from the probe's training data; otherwise exactly
    ``n_keep`` rows are kept.
    """
    n_samples = codes.shape[0]
    if n_keep >= n_samples:
        return np.arange(n_samples)
    rng = np.random.default_rng(seed)
    _, inverse = np.unique(codes, return_inverse=True)
    sizes = np.bincount(inverse)
    # Largest-remainder apportionment (Hamilton's method): floor each group's
    # share, then give the rows still missing to the largest fractional parts,
    # so that exactly n_keep rows are kept (more only when the one-row minimum
    # of many tiny groups forces it).
    share = sizes * n_keep / n_samples
    quota = np.maximum(1, np.floor(share)).astype(int)
    missing = n_keep - int(quota.sum())
    if missing > 0:
        room = quota < sizes
        order = np.argsort(-(share - np.floor(share)) - 2.0 * ~room, kind="stable")
        quota[order[:missing]] += 1
    order = rng.permutation(n_samples)
    # Rank of each row within its group in random order: keep the first `quota`.
    by_group = order[np.argsort(inverse[order], kind="stable")]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.empty(n_samples, dtype=np.intp)
    rank[by_group] = np.arange(n_samples) - np.repeat(starts, sizes)
    keep = rank < quota[inverse]
    return np.flatnonzero(keep)
