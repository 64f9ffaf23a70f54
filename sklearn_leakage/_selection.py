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


def _param_name(cv_results, suffix="n_clusters"):
    names = [
        key[len("param_") :]
        for key in cv_results
        if key.startswith("param_") and key.endswith(suffix)
    ]
    if len(names) != 1:
        raise ValueError(
            f"Expected exactly one searched parameter ending in {suffix!r}, found "
            f"{names}; search over clusterer__n_clusters (or n_clusters)."
        )
    return names[0]


def _n_splits(cv_results):
    return sum(
        1
        for key in cv_results
        if key.startswith("split") and key.endswith("_test_score")
    )


def refit_n_clusters(cv_results: dict) -> int:
    """Most reproducible clusters, within one standard error, fewest clusters.

    A refit callable for ``GridSearchCV(..., refit=refit_n_clusters)``: it reads
    the mean and the standard error (``std_test_score / sqrt(n_splits)``) of the
    score of every candidate and returns the index of the candidate with the
    fewest clusters whose mean score is within one standard error of the best
    (the one-standard-error rule of Breiman et al., 1984). ``GridSearchCV`` then
    refits that candidate; note that it has no ``best_score_`` with a callable
    ``refit``.

    Parameters
    ----------
    cv_results : dict of numpy (masked) ndarrays
        ``GridSearchCV.cv_results_``; the searched parameter must end in
        ``n_clusters``.

    Returns
    -------
    best_index : int
        Index of the chosen candidate in ``cv_results``.

    References
    ----------
    .. [1] L. Breiman, J. Friedman, R. Olshen and C. Stone (1984). "Classification
       and Regression Trees". Wadsworth.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_leakage import refit_n_clusters
    >>> cv_results = {
    ...     "param_n_clusters": np.array([2, 3, 4]),
    ...     "mean_test_score": np.array([2.0, 2.9, 3.0]),
    ...     "std_test_score": np.array([0.0, 0.0, 0.2]),
    ...     "split0_test_score": np.array([2.0, 2.9, 2.8]),
    ...     "split1_test_score": np.array([2.0, 2.9, 3.2]),
    ... }
    >>> refit_n_clusters(cv_results)  # 2.9 >= 3.0 - 0.2 / sqrt(2)
    1
    """
    name = _param_name(cv_results)
    n_clusters = np.asarray(cv_results[f"param_{name}"], dtype=float)
    mean = np.asarray(cv_results["mean_test_score"], dtype=float)
    std_error = np.asarray(cv_results["std_test_score"], dtype=float) / np.sqrt(
        max(_n_splits(cv_results), 1)
    )
    valid = np.isfinite(mean)
    if not np.any(valid):
        raise ValueError("Every candidate failed; no score to choose from.")
    best = int(np.nanargmax(np.where(valid, mean, -np.inf)))
    close = valid & (mean >= mean[best] - std_error[best])
    candidates = np.flatnonzero(close)
    return int(candidates[np.argmin(n_clusters[candidates])])
