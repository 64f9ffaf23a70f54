"""select_n_clusters: the documented GridSearchCV recipe in one call."""

from __future__ import annotations

import time
import warnings
from collections import Counter
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike
from sklearn.model_selection import GridSearchCV, RepeatedKFold
from sklearn.utils import check_array, check_random_state, get_tags

from sklearn_leakage._clusterer_space import check_steps_output, has_steps
from sklearn_leakage._compat import N_JOBS, HasMethods, validate_params
from sklearn_leakage._estimator import LeakageScore
from sklearn_leakage._restarts import single_start_steps
from sklearn_leakage._scorer import leakage_scorer
from sklearn_leakage._selection import find_n_clusters_param, refit_n_clusters
from sklearn_leakage._typing import CVLike, Estimator, RandomStateLike
from sklearn_leakage._validation import (
    check_clusterer,
    check_numeric_columns,
    check_probe,
    final_step,
    missing_values_advice,
)
from sklearn_leakage.exceptions import SingleStartWarning

#: Outer splits of the default search. Halves, as in prediction strength
#: (Tibshirani & Walther, 2005): each half is clustered on its own and judged by a
#: probe trained on the other half, in both directions, twice over. Eight splits
#: instead of four doubled the search's time and bought no more hits and no
#: fewer answers that move with the seed (benchmarks/results/eight_splits/).
DEFAULT_N_REPEATS = 2


def default_search_cv(random_state=None) -> RepeatedKFold:
    """Two repetitions of a shuffled split into halves (4 train/test splits)."""
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    return RepeatedKFold(n_splits=2, n_repeats=DEFAULT_N_REPEATS, random_state=seed)


def _check_candidates(n_clusters, n_samples: int, cv) -> list[int]:
    """The candidates as a list of ints; a clear error for impossible ones.

    Without this, a candidate such as 0, 2.5 or more clusters than a half has
    rows would fail on every split inside ``GridSearchCV``, which only warns,
    and the search would choose among the others as if nothing had happened.
    """
    values = np.asarray(n_clusters, dtype=object)
    if values.ndim > 1:
        raise ValueError(
            f"n_clusters must be a 1-dimensional list of candidates, got an "
            f"array of shape {values.shape}; pass them as one list, for example "
            "range(1, 11)."
        )
    values = values.ravel()  # a single number, 0-dimensional, as a list of one
    if values.size == 0:
        raise ValueError(
            "n_clusters is empty; pass the candidate numbers of clusters, for "
            "example range(1, 11)."
        )
    bad = [
        value
        for value in values
        if isinstance(value, bool)
        or not isinstance(value, (Integral, float, np.floating))
        or not float(value).is_integer()
        or value < 1
    ]
    if bad:
        raise ValueError(
            f"n_clusters must hold whole numbers >= 1, got {bad!r} among "
            f"{values.tolist()!r}; include 1 to allow the answer 'no cluster "
            "structure'."
        )
    candidates = [int(value) for value in values]
    if max(candidates) == 1:
        # One cluster always "passes": the answer would claim a test not made.
        raise ValueError(
            "n_clusters offers only 1 cluster, so nothing is tested; add the "
            "numbers of clusters to compare it with, for example range(1, 11)."
        )
    # The default splits cluster halves of the rows on their own, and a half
    # cannot hold more clusters than rows. With another cv the user knows the
    # fold sizes; a candidate too large for them fails with its own warning.
    if cv is None and max(candidates) > n_samples // 2:
        raise ValueError(
            f"n_clusters goes up to {max(candidates)}, but the search clusters "
            f"halves of the {n_samples} rows, {n_samples // 2} rows each; keep "
            f"the candidates at most {n_samples // 2}, and at most n_samples / 20 "
            f"({n_samples // 20}, 10 rows per cluster in each half) for clusters "
            "to be found reliably."
        )
    return candidates


def _warn_once_each(caught) -> None:
    """Warn once for each distinct warning of ``caught``, saying how often it came.

    The warnings go through the caller's filters as they are given here, so
    a warning the caller ignores stays ignored and one turned into an error
    raises.
    """
    # Messages that differ only in their numbers (Birch's "found (6) ... less
    # than (7)") stay apart: merged under one text, a caller's filter on one
    # of them would silence the others, and their numbers would be lost.
    counts = Counter((record.category, str(record.message)) for record in caught)
    for (category, message), count in counts.items():
        times = f" ({count} times in the search's fits)" if count > 1 else ""
        # Past this function, select_n_clusters and validate_params' wrapper.
        warnings.warn(message + times, category, stacklevel=4)


def _check_takes_sparse(final, clustered) -> None:
    """Refuse sparse rows for a scikit-learn clusterer that takes dense ones only.

    Every fit of the search would fail, and GridSearchCV would report "All
    the fits failed". scikit-learn's own clusterers declare what they take
    in their tags; another library's may leave the tag at its default
    (dense only) and take sparse data all the same, so only scikit-learn's
    are refused.
    """
    if not sp.issparse(clustered) or get_tags(final).input_tags.sparse:
        return
    if not type(final).__module__.startswith("sklearn."):
        return
    dense_mb = clustered.shape[0] * clustered.shape[1] * clustered.dtype.itemsize / 1e6
    raise TypeError(
        f"{type(final).__name__} does not take sparse X, so every fit of the "
        f"search would fail. Pass dense X (X.toarray(): {dense_mb:.3g} MB, which "
        "also gives the rule its reference data) or a clusterer that takes "
        "sparse data (KMeans, MiniBatchKMeans, BisectingKMeans, Birch, DBSCAN, "
        "SpectralClustering)."
    )


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "clusterer": [HasMethods(["fit"])],
        "n_clusters": ["array-like"],
        "classifier": [HasMethods(["fit", "predict_proba"]), None],
        "cv": ["cv_object"],
        "n_jobs": N_JOBS,
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=False,
)
def select_n_clusters(
    X: ArrayLike,
    clusterer: Estimator,
    n_clusters: ArrayLike = range(1, 11),
    *,
    classifier: Estimator | None = None,
    cv: CVLike = None,
    n_jobs: int | None = None,
    random_state: RandomStateLike = None,
    verbose: int = 0,
) -> GridSearchCV:
    """Choose the number of clusters by held-out reproducibility.

    This is the package's documented recipe in one call; it returns the fitted
    ``GridSearchCV`` so that everything scikit-learn offers (``cv_results_``,
    ``best_estimator_``, ``best_params_``) is there::

        GridSearchCV(
            LeakageScore(clusterer, classifier, compute_oof=False, random_state=...),
            {"clusterer__n_clusters": n_clusters},
            cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=...),
            scoring=leakage_scorer,
            refit=refit_n_clusters,
        )

    The two ``...`` are ints drawn from ``random_state``, and the searched
    parameter is ``clusterer__n_components`` for a mixture
    (``clusterer__<step>__n_clusters`` for a Pipeline).

    The candidates skip the out-of-fold diagnostics, which the rule does not
    read. ``GridSearchCV`` refits the chosen candidate on all of ``X``, and
    the diagnostic fold loop is then run on that fit, which becomes
    ``compute_oof=True``: ``best_estimator_`` equals a fit with
    ``compute_oof=True`` made from scratch, so that the displays and
    :class:`LeakageReport` can show why it was chosen, without fitting the
    clusterer on all of ``X`` twice.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The data.
    clusterer : estimator object
        A clusterer with an ``n_clusters`` parameter (KMeans, Agglomerative,
        Spectral, Birch...) or, for mixtures, ``n_components``
        (GaussianMixture), or a Pipeline ending in one.
    n_clusters : array-like of int, default=range(1, 11)
        Candidates, whole numbers >= 1, one of them at least 2. Include 1 to
        allow the answer "no cluster structure". With the default ``cv`` each
        half of the rows is clustered on its own, so no candidate may exceed
        half the number of rows; keep them at most ``n_samples / 20``, 10
        rows per cluster in each half.
    classifier : estimator object, default=None
        The probe; see :class:`LeakageScore`.
    cv : int, cross-validation generator or iterable, default=None
        Outer splits. None: the data are split into halves twice, each half
        serving once as training and once as held-out data.
    n_jobs : int, default=None
        Candidates and splits run in parallel.
    random_state : int, RandomState instance or None, default=None
        Seeds the splits, the inner folds, the reference draws and the
        ``random_state`` of ``clusterer`` and ``classifier`` where it is
        None (see :class:`LeakageScore`). Pass an int for reproducible
        results.
    verbose : int, default=0
        Passed to ``GridSearchCV``.

    Returns
    -------
    search : GridSearchCV
        Fitted; ``search.best_params_["clusterer__n_clusters"]`` is the choice
        (``"clusterer__n_components"`` for a mixture,
        ``"clusterer__<step>__n_clusters"`` for a Pipeline).

    Warns
    -----
    SingleStartWarning
        When a k-means or a Gaussian mixture in ``clusterer`` starts once
        (``n_init=1``; ``n_init="auto"`` of a k-means runs it 10 times here,
        see :class:`LeakageScore`'s ``clusterer_``).
    NoStructureWarning
        When no candidate passes and 1 is not among them (the smallest
        candidate is then returned; see :func:`refit_n_clusters`).

    See Also
    --------
    refit_n_clusters : The rule that picks the candidate.

    Notes
    -----
    The warnings of the search's fits (the clusterer's own, such as
    spectral clustering's "Graph is not fully connected", or
    :class:`~sklearn_leakage.exceptions.SmallClusterWarning`) come once each,
    with the number of fits that gave them, instead of once per fit (with
    ``n_jobs`` None or 1: worker processes show their own).

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_leakage import select_n_clusters
    >>> X, _ = make_blobs(n_samples=400, centers=4, random_state=3)
    >>> search = select_n_clusters(
    ...     X, KMeans(n_init=3, random_state=0), range(1, 7), random_state=0
    ... )
    >>> search.best_params_["clusterer__n_clusters"]
    4
    """
    # Every candidate would fail on bad X (NaN, text, one row), and the search
    # would only warn once per fit; checking once here gives scikit-learn's own
    # error instead. The converted copy is not kept: the search gets X as passed,
    # with its feature names.
    check_clusterer(clusterer)
    check_probe(classifier)
    if has_steps(clusterer):
        # A Pipeline's steps take X as passed (columns by name, text to
        # encode, missing values to impute): check what they make of it.
        clustered = check_steps_output(clusterer, X)
    else:
        check_numeric_columns(X)
        with missing_values_advice():
            clustered = check_array(
                X, accept_sparse="csr", dtype="numeric", ensure_min_samples=2
            )
    _check_takes_sparse(final_step(clusterer), clustered)
    n_samples = clustered.shape[0]
    candidates = _check_candidates(n_clusters, n_samples, cv)
    rng = check_random_state(random_state)
    cv_seed, leak_seed = rng.randint(np.iinfo(np.int32).max, size=2)
    estimator = LeakageScore(
        clusterer, classifier, compute_oof=False, random_state=int(leak_seed)
    )
    param = find_n_clusters_param(
        name
        for name in estimator.get_params(deep=True)
        if name.startswith("clusterer__")
    )
    if param is None:
        raise ValueError(
            f"{type(clusterer).__name__} has no n_clusters or n_components "
            "parameter, so select_n_clusters cannot vary it. For density "
            "parameters (eps, min_cluster_size), fit LeakageScore once per "
            "setting on all rows and compare total_leakage_, noise_ratio_ and "
            "n_clusters_ (the gallery's DBSCAN example, plot_dbscan_noise.py): "
            "the largest held-out score of a search prefers the setting that "
            "makes one cluster."
        )
    single = single_start_steps(clusterer)
    if single:
        warnings.warn(
            f"{', '.join(single)} starts once (n_init=1): on the two halves of "
            "a split it can land in different local optima, which counts as "
            "clusters that do not reproduce and lowers the answer. Pass "
            "n_init=5 or more (KMeans(n_init='auto') already runs 10 times "
            "here).",
            SingleStartWarning,
            # Past validate_params' wrapper, to the caller's line.
            stacklevel=3,
        )
    search = GridSearchCV(
        estimator,
        {param: candidates},
        cv=default_search_cv(int(cv_seed)) if cv is None else cv,
        scoring=leakage_scorer,
        refit=refit_n_clusters,
        n_jobs=n_jobs,
        verbose=verbose,
        error_score=np.nan,
    )
    # Each fit of the clusterer warns anew (scikit-learn's own warnings
    # included: every warnings.catch_warnings in a fit resets Python's
    # once-per-line memory), so a search of 16 candidates can print one
    # warning 64 times. They are collected and each is given once, with its
    # count.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # With every cluster one point (k at a half's rows) the gains are
        # infinite, and GridSearchCV's standard deviation of them subtracts
        # inf from inf. Filtered by the module that subtracts, so the same
        # warning from the user's clusterer still shows.
        warnings.filterwarnings(
            "ignore",
            "invalid value encountered in subtract",
            RuntimeWarning,
            r"sklearn\.model_selection\._search",
        )
        # GridSearchCV calls a metric non-finite without naming it or the
        # candidate. Both causes here are by design: a candidate with as many
        # clusters as a half has rows has infinite gains (no dispersion left),
        # and sparse data get no reference (a dense uniform box would not fit
        # in memory), so their reference scores are NaN. A fit or a score
        # that fails still warns on its own (FitFailedWarning, "Scoring
        # failed").
        warnings.filterwarnings(
            "ignore", "One or more of the test scores are non-finite"
        )
        search.fit(X)
        # The diagnostics of the chosen candidate only: one fold loop instead
        # of one per candidate and split, added to the refitted candidate
        # rather than fitting its clusterer on all of X a second time. Its
        # fits warn as the search's do, so their warnings join the count.
        start = time.perf_counter()
        search.best_estimator_._add_diagnostics(X)
        search.refit_time_ += time.perf_counter() - start
    _warn_once_each(caught)
    return search
