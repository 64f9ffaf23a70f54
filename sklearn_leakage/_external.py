"""Leakage of a clustering made elsewhere: labels in, out-of-fold proba out."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.model_selection import PredefinedSplit
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array

from sklearn_leakage._compat import (
    N_JOBS,
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn_leakage._estimator import encode_with_noise
from sklearn_leakage._metrics import expected_leakage
from sklearn_leakage._probe import default_classifier, out_of_fold_proba
from sklearn_leakage._seeding import with_seeds
from sklearn_leakage._subsample import stratified_subsample
from sklearn_leakage._typing import CVLike, Estimator, RandomStateLike
from sklearn_leakage._validation import (
    check_label_values,
    check_numeric_columns,
    check_probe,
    missing_values_advice,
    n_rows,
)
from sklearn_leakage.exceptions import FoldError

_COMMON = {
    "X": ["array-like", "sparse matrix"],
    "labels": ["array-like"],
    "classifier": [HasMethods(["fit", "predict_proba"]), None],
    "cv": ["cv_object"],
    "noise": [StrOptions({"exclude", "cluster"})],
    "random_state": ["random_state"],
    "n_jobs": N_JOBS,
}


def _check_X(X):
    """``X`` as a numeric array or CSR matrix of at least 2 rows."""
    check_numeric_columns(X)
    with missing_values_advice():
        return check_array(
            X, accept_sparse="csr", dtype=[np.float64, np.float32], ensure_min_samples=2
        )


def _check_X_labels(X, labels):
    X = _check_X(X)
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.shape[0] != X.shape[0]:
        raise ValueError(
            f"labels must have one entry per row of X: X has {X.shape[0]} rows, "
            f"labels has shape {labels.shape}."
        )
    check_label_values(labels)
    return X, labels


@validate_params(_COMMON, prefer_skip_nested_validation=True)
def cross_val_proba(
    X: ArrayLike,
    labels: ArrayLike,
    *,
    classifier: Estimator | None = None,
    cv: CVLike = 5,
    noise: str = "exclude",
    random_state: RandomStateLike = None,
    n_jobs: int | None = None,
) -> NDArray[np.float64]:
    """Out-of-fold probabilities of a probe classifier trained on given labels.

    Each row's probabilities come from a probe that was trained on the other folds
    only (stratified, shuffled folds), so they are honest out-of-sample estimates:
    in-sample probabilities would make any partition look predictable. Feed the
    result to :func:`leakage_matrix`, :func:`total_leakage` or the report.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The data that were clustered.
    labels : array-like of shape (n_samples,)
        The clustering to judge; -1 marks noise.
    classifier : estimator object, default=None
        The probe, with ``predict_proba``. None: an isotropic scaling (one
        common scale for every feature) then ``LogisticRegression(C=100)``.
    cv : int, cross-validation generator, iterable or None, default=5
        Folds; an int gives stratified, shuffled folds, None gives 5. Folds
        given otherwise must hold out every row exactly once, as
        :func:`~sklearn.model_selection.cross_val_predict` asks; a fold whose
        training part lacks a cluster it holds out warns with
        :class:`~sklearn_leakage.exceptions.FoldWarning`.
    noise : {"exclude", "cluster"}, default="exclude"
        ``"exclude"``: rows labelled -1 get probabilities (from probes trained on
        the other rows) but -1 has no column. ``"cluster"``: -1 is a cluster.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds, and the classifier where its ``random_state`` (or a
        step's, in a Pipeline) is None, so that the same seed gives the same
        numbers with a random classifier too; the classifier passed is not
        modified.
    n_jobs : int, default=None
        Folds run in parallel.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_clusters)
        Columns in the order of ``np.unique`` of the (non-noise) labels.

    See Also
    --------
    leakage_score : The same probabilities summarised as one number.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_leakage import cross_val_proba, total_leakage
    >>> X, y = load_iris(return_X_y=True)
    >>> proba = cross_val_proba(X, y, random_state=0)
    >>> proba.shape
    (150, 3)
    >>> round(total_leakage(y, proba), 2)
    0.1...
    """
    check_probe(classifier)
    X, labels = _check_X_labels(X, labels)
    classes, codes = encode_with_noise(labels, noise)
    if not classes.shape[0]:
        raise ValueError(
            "Every label is -1 (noise); there is no cluster to score. Pass "
            "noise='cluster' to treat -1 as a cluster."
        )
    if classes.shape[0] < 2:
        return np.ones((X.shape[0], classes.shape[0]))
    if classifier is None:
        classifier = default_classifier(X)
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    return out_of_fold_proba(
        None,
        # As LeakageScore seeds its probe: a random forest left unseeded would
        # give other probabilities on every call with the same random_state.
        with_seeds(classifier, seed),
        X,
        codes,
        classes.shape[0],
        cv=cv,
        mode="fixed",
        random_state=seed,
        n_jobs=n_jobs,
    )


def _check_clusters_to_score(labels, noise) -> NDArray[np.intp]:
    """Refuse labels with fewer than 2 clusters (the folds refuse one-row ones).

    As :func:`~sklearn.metrics.silhouette_score` refuses one label: a single
    cluster has nothing to leak into (its score would be 1 by definition),
    and clusters of one row each cannot be split into folds. Returns the
    labels' codes (-1 for noise), which a subsample is drawn by.
    """
    _, codes = encode_with_noise(labels, noise)
    if not np.any(codes >= 0):
        # Every row is noise: cross_val_proba's own message names the fix.
        return codes
    sizes = np.bincount(codes[codes >= 0])
    n_clusters = int(np.sum(sizes > 0))
    if n_clusters < 2:
        noise_hint = (
            " (rows labelled -1 are noise and left out; noise='cluster' counts "
            "them as a cluster)"
            if noise == "exclude" and np.any(labels == -1)
            else ""
        )
        raise ValueError(
            f"The labels hold {n_clusters} cluster{'s' if n_clusters != 1 else ''}"
            f"{noise_hint}; leakage_score needs 2 or more, as silhouette_score "
            "does: one cluster has nothing to leak into and would score 1 by "
            "definition."
        )
    return codes


@validate_params(
    {**_COMMON, "sample_size": [Interval(Integral, 2, None, closed="left"), None]},
    prefer_skip_nested_validation=True,
)
def leakage_score(
    X: ArrayLike,
    labels: ArrayLike,
    *,
    classifier: Estimator | None = None,
    cv: CVLike = 5,
    noise: str = "exclude",
    sample_size: int | None = None,
    random_state: RandomStateLike = None,
    n_jobs: int | None = None,
) -> float:
    """Mean out-of-fold probability that points put on their own cluster.

    The counterpart of :func:`sklearn.metrics.silhouette_score` for leakage: it
    trains the probe out-of-fold on ``labels`` (see :func:`cross_val_proba`) and
    returns ``1 - expected_leakage``, the mean of ``p(own cluster | x)``. Greater
    is better: 1 when every point is predicted in its own cluster with certainty,
    ``1 / n_clusters`` for a labelling the probe cannot learn at all.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The data that were clustered.
    labels : array-like of shape (n_samples,)
        The clustering to judge; -1 marks noise (left out by default). At
        least 2 clusters, as :func:`~sklearn.metrics.silhouette_score` asks
        (one cluster would score 1 by definition), one of them of 2 rows or
        more.
    classifier : estimator object, default=None
        The probe, with ``predict_proba``. None: an isotropic scaling (one
        common scale for every feature) then ``LogisticRegression(C=100)``.
    cv : int, cross-validation generator, iterable or None, default=5
        Folds; an int gives stratified, shuffled folds. Folds given otherwise
        must hold out every row exactly once; a fold whose training part
        lacks a cluster it holds out warns with
        :class:`~sklearn_leakage.exceptions.FoldWarning`.
    noise : {"exclude", "cluster"}, default="exclude"
        Whether rows labelled -1 are left out or form a cluster.
    sample_size : int, default=None
        Score a subsample of this many rows (at least one per cluster, each
        cluster keeping its share, as ``LeakageScore``'s ``max_samples``
        draws it), as :func:`~sklearn.metrics.silhouette_score`'s
        ``sample_size`` does; None scores every row. The score's cost is the
        probe's ``cv`` fits on these rows: on large data, 10,000 rows give a
        mean probability with a standard error below half a percentage point.
        It needs 2 rows per cluster at least, and ``cv`` as a number of folds
        or a splitter (folds given as row numbers index the whole ``X``).
    random_state : int, RandomState instance or None, default=None
        Seeds the subsample, the folds, and the classifier where its
        ``random_state`` (or a step's, in a Pipeline) is None, so that the
        same seed gives the same numbers with a random classifier too; the
        classifier passed is not modified.
    n_jobs : int, default=None
        Folds run in parallel.

    Returns
    -------
    score : float
        Mean own-cluster probability, in [0, 1]; greater is better.

    See Also
    --------
    cross_val_proba : The per-sample probabilities behind this number.
    LeakageScore : Score a clusterer, and choose its number of clusters.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_leakage import leakage_score
    >>> X, y = load_iris(return_X_y=True)
    >>> round(leakage_score(X, y, random_state=0), 2)
    0.9...
    """
    X, labels = _check_X_labels(X, labels)
    codes = _check_clusters_to_score(labels, noise)
    if sample_size is not None and sample_size < n_rows(X):
        if not (cv is None or isinstance(cv, Integral) or hasattr(cv, "get_n_splits")):
            raise FoldError(
                "sample_size scores a subsample, but cv gives folds as row "
                "numbers of the whole X; pass cv as a number of folds or a "
                "splitter (KFold(5)), or leave sample_size out."
            )
        if isinstance(cv, PredefinedSplit):
            raise FoldError(
                "sample_size scores a subsample, but PredefinedSplit's folds "
                "are set for every row of X; pass cv as a number of folds or "
                "another splitter, or leave sample_size out."
            )
        n_clusters = np.unique(codes[codes >= 0]).shape[0]
        if sample_size < 2 * n_clusters:
            raise ValueError(
                f"sample_size={sample_size} leaves fewer than 2 rows for some of "
                f"the {n_clusters} clusters, and each needs 2 to be split into "
                f"folds; pass sample_size={2 * n_clusters} or more."
            )
        # One generator for the subsample and then the folds, so that without
        # sample_size the folds are drawn as they always were.
        random_state = check_random_state(random_state)
        seed = random_state.randint(np.iinfo(np.int32).max)
        rows = stratified_subsample(codes, sample_size, seed)
        X, labels = X[rows], labels[rows]
    proba = cross_val_proba(
        X,
        labels,
        classifier=classifier,
        cv=cv,
        noise=noise,
        random_state=random_state,
        n_jobs=n_jobs,
    )
    classes, codes = encode_with_noise(labels, noise)
    keep = codes >= 0
    return 1.0 - expected_leakage(
        codes[keep], proba[keep], classes=np.arange(classes.shape[0])
    )
