"""The k-selection criterion: reproducible clusters on held-out data."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sklearn_leakage._align import match_clusters


def held_out_agreement(
    test_codes: NDArray[np.intp], proba: NDArray[np.floating]
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Agreement of each held-out cluster with the probe's training clusters.

    Parameters
    ----------
    test_codes : ndarray of shape (n_samples,)
        Codes of the held-out data's own clustering (-1: noise, left out).
    proba : ndarray of shape (n_samples, n_train_clusters)
        The probe's probabilities for the same rows.

    Returns
    -------
    agreement : ndarray of shape (n_test_clusters,)
        Mean probability that each held-out cluster's points put on the training
        cluster paired with it.
    sizes : ndarray of shape (n_test_clusters,)
        Points in each held-out cluster.
    """
    keep = test_codes >= 0
    codes, proba = test_codes[keep], proba[keep]
    n_test = int(codes.max()) + 1
    predicted = proba.argmax(axis=1)
    mapping = match_clusters(codes, predicted, n_test, proba.shape[1])
    own = proba[np.arange(codes.shape[0]), mapping[codes]]
    sizes = np.bincount(codes, minlength=n_test)
    sums = np.bincount(codes, weights=own, minlength=n_test)
    agreement = np.divide(sums, sizes, out=np.zeros(n_test), where=sizes > 0)
    return agreement, sizes


def reproducible_clusters(agreement: NDArray, level: float) -> float:
    """Number of clusters whose held-out agreement reaches ``level``."""
    return float(np.sum(agreement >= level))
