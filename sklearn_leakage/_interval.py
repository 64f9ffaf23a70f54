"""A confidence interval of the total leakage that holds for new samples.

The exact interval of :func:`total_leakage_test` is about the points at hand
under the fitted fold probes. How much the share would move on another sample
of the same population depends on the whole procedure (the clustering, when it
is part of it, the probe's fits and the folds), so this module resamples the
rows and redoes all of it.
"""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import norm
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import _num_samples

from sklearn_leakage._clusterer_space import (
    check_steps_output,
    has_steps,
    split_clusterer,
    steps_fill_no_nan,
    to_clusterer_space,
)
from sklearn_leakage._compat import (
    N_JOBS,
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn_leakage._estimator import encode_with_noise
from sklearn_leakage._external import _check_X, _check_X_labels, cross_val_proba
from sklearn_leakage._metrics import total_leakage
from sklearn_leakage._probe import (
    cluster_labels,
    default_classifier,
    n_folds,
    out_of_fold_proba,
)
from sklearn_leakage._restarts import with_restarts
from sklearn_leakage._seeding import with_seeds
from sklearn_leakage._stats._constraints import LEVEL
from sklearn_leakage._stats._results import BootstrapIntervalResult, ConfidenceInterval
from sklearn_leakage._typing import Estimator, MatrixLike, RandomStateLike
from sklearn_leakage._validation import check_clusterer, check_probe

__all__ = ["total_leakage_interval"]

_MAX_SEED = np.iinfo(np.int32).max


def _row_folds(rows, codes, cv: int, seed: int) -> list | None:
    """Stratified folds in which every copy of an original row sits together.

    A bootstrap sample repeats rows; were one copy trained on while another is
    scored, the probe would have seen the scored point and the copies would
    leak the answer. The distinct rows are split by ``StratifiedKFold`` on
    their cluster and each copy follows its row, which is what
    ``StratifiedGroupKFold(groups=rows)`` is for when a row's copies share
    its label, at a small part of its cost. None when no cluster has two
    distinct rows: such a resample cannot be scored out of fold.
    """
    distinct, first = np.unique(rows, return_index=True)
    strata = codes[first]
    if np.bincount(strata[strata >= 0]).max(initial=0) < 2:
        return None
    n_splits = n_folds(cv, strata)
    fold_of_row = np.empty(rows.max() + 1, dtype=np.intp)
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        # A cluster with fewer distinct rows than folds is missing from some
        # held-out parts; the share counts that as cross_val_proba does.
        warnings.filterwarnings("ignore", message="The least populated class")
        for fold, (_, test) in enumerate(
            splitter.split(np.zeros((strata.shape[0], 1)), strata)
        ):
            fold_of_row[distinct[test]] = fold
    fold = fold_of_row[rows]
    return [
        (np.flatnonzero(fold != f), np.flatnonzero(fold == f)) for f in range(n_splits)
    ]


def _share(codes, proba, n_classes: int, detection_threshold: float) -> float:
    """Total leakage of the rows in a cluster; NaN when there is none."""
    keep = codes >= 0
    if not np.any(keep):
        return float("nan")
    return float(
        total_leakage(
            codes[keep],
            proba[keep],
            classes=np.arange(n_classes),
            detection_threshold=detection_threshold,
        )
    )


def _fit_labels(clusterer, X, seed: int):
    """Fit a clone of ``clusterer`` on ``X``.

    Returns the fitted clusterer, its final step (the whole clusterer unless
    it is a Pipeline; what mode="refit" refits on each training fold), its
    labels, and X in its space. A Pipeline clusterer's steps are part of the
    clustering, so the probe learns the labels from the rows as they
    transform them, as :class:`LeakageScore` does (``_clusterer_space``).
    """
    # n_init="auto" of a k-means becomes several runs, as LeakageScore makes
    # it (see _restarts): the same procedure as the share it reports.
    fitted = with_seeds(with_restarts(clusterer), seed)
    with steps_fill_no_nan(X, has_steps(fitted)):
        labels = cluster_labels(fitted, X)
    steps, final = split_clusterer(fitted)
    return fitted, final, labels, to_clusterer_space(steps, X)


def _resampled_share(
    X, labels, clusterer, probe, noise, cv, mode, detection_threshold, seed
) -> float:
    """The whole procedure on one bootstrap sample of the rows.

    NaN when the sample has nothing to score: no cluster, or no cluster with
    two distinct rows (left out of the interval, with a warning).
    """
    rng = np.random.RandomState(seed)
    n = _num_samples(X)
    rows = rng.randint(n, size=n)
    # A Pipeline clusterer may take a data frame, or text, as its first step
    # does; rows are taken as scikit-learn takes them.
    X_sample = _safe_indexing(X, rows)
    fold_clusterer = None
    if clusterer is None:
        sample_labels = labels[rows]
    else:
        _, final, sample_labels, X_sample = _fit_labels(
            clusterer, X_sample, rng.randint(_MAX_SEED)
        )
        if mode == "refit":
            # Refitted on each training fold, in its own space, as
            # LeakageScore's diagnostics do.
            fold_clusterer = final
    classes, codes = encode_with_noise(sample_labels, noise)
    if classes.shape[0] < 2:
        # One cluster has nothing to leak into (cross_val_proba's share is 0);
        # a sample of noise only has nothing to score.
        return 0.0 if classes.shape[0] else float("nan")
    fold_seed, probe_seed = rng.randint(_MAX_SEED, size=2)
    folds = _row_folds(rows, codes, cv, fold_seed)
    if folds is None:
        return float("nan")
    proba = out_of_fold_proba(
        fold_clusterer,
        with_seeds(probe, probe_seed),
        X_sample,
        codes,
        classes.shape[0],
        cv=folds,
        mode=mode,
        random_state=fold_seed,
        n_jobs=None,
        noise=noise,
    )
    return _share(codes, proba, classes.shape[0], detection_threshold)


def _check_source(labels, clusterer, mode: str) -> None:
    if labels is None and clusterer is None:
        raise ValueError(
            "Pass either labels (a clustering made elsewhere, kept with its "
            "rows in every resample) or clusterer= (refitted on every "
            "resample, so that the interval includes the clustering's own "
            "variation); got neither."
        )
    if mode == "refit" and clusterer is None:
        raise ValueError(
            "mode='refit' refits the clusterer on every training fold, so it "
            "needs clusterer=; labels made elsewhere can only be judged with "
            "mode='fixed'."
        )
    if labels is not None and clusterer is not None:
        raise ValueError(
            "Pass labels or clusterer=, not both: given labels stay with their "
            "rows in every resample, while a clusterer is refitted on each; "
            "drop labels to resample the clustering too, or drop clusterer= "
            "to judge these labels."
        )


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "labels": ["array-like", None],
        "clusterer": [HasMethods(["fit"]), None],
        "classifier": [HasMethods(["fit", "predict_proba"]), None],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "mode": [StrOptions({"fixed", "refit"})],
        "noise": [StrOptions({"exclude", "cluster"})],
        "detection_threshold": LEVEL,
        "confidence_level": LEVEL,
        "method": [StrOptions({"normal", "percentile"})],
        "n_resamples": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
        "n_jobs": N_JOBS,
    },
    prefer_skip_nested_validation=True,
)
def total_leakage_interval(
    X: MatrixLike,
    labels: ArrayLike | None = None,
    *,
    clusterer: Estimator | None = None,
    classifier: Estimator | None = None,
    cv: int = 5,
    mode: str = "fixed",
    noise: str = "exclude",
    detection_threshold: float = 0.05,
    confidence_level: float = 0.95,
    method: str = "normal",
    n_resamples: int = 200,
    random_state: RandomStateLike = None,
    n_jobs: int | None = None,
) -> BootstrapIntervalResult:
    """Bootstrap interval of the total leakage, valid for new samples.

    The Clopper-Pearson interval of :func:`total_leakage_test` describes these
    points under these fitted probes. The share a new sample of the same
    population gives varies more, or less, than that: the fitted boundary
    decides every point's leak at once. This function resamples the rows with
    replacement ``n_resamples`` times and, on each sample, redoes the whole
    procedure: the labels (refitting ``clusterer``, or carrying the given
    ``labels`` with their rows), the out-of-fold probabilities of the probe
    and the :func:`total_leakage`. The spread of those shares gives the
    interval. The statistic lies in [0, 1] (0: no leakage; lower is better).

    Read more in the :ref:`User Guide <leakage_statistics>`.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The data: numbers, or, for a Pipeline ``clusterer``, whatever its
        first step takes (a data frame for a ``ColumnTransformer``); its steps
        are then part of the procedure and the probe learns the labels from
        their output, as in :class:`LeakageScore`.
    labels : array-like of shape (n_samples,), default=None
        A clustering made elsewhere, or classes; -1 marks noise. Each
        resample keeps every row's label. Give ``labels`` or ``clusterer``,
        not both.
    clusterer : estimator object, default=None
        An unfitted clusterer (``KMeans(3)``), fitted on ``X`` and refitted on
        every resample, so that the interval includes the clustering's own
        variation. It is cloned; a ``random_state`` left at None is seeded
        from ``random_state``.
    classifier : estimator object, default=None
        The probe, with ``predict_proba``. None: the probe
        :func:`cross_val_proba` uses for labels and centroid clusterers (an
        isotropic scaling then ``LogisticRegression(C=100)``), or the one
        :class:`LeakageScore` uses for other clusterers (scaled 5 nearest
        neighbours).
    cv : int, default=5
        Number of folds, stratified by cluster. In a resample the copies of a
        row are held out together, so a splitter object cannot be given.
    mode : {"fixed", "refit"}, default="fixed"
        ``"fixed"``: the probe alone is refitted on each training fold, on
        the labels of the whole (re)sample. ``"refit"`` (needs
        ``clusterer``): the clusterer is refitted on each training fold too,
        its clusters paired with the whole sample's, as
        :class:`LeakageScore`'s diagnostics do by default; the interval is
        then one of the share :attr:`LeakageScore.total_leakage_` reports.
    noise : {"exclude", "cluster"}, default="exclude"
        ``"exclude"``: rows labelled -1 are left out of the share and of the
        probe's training. ``"cluster"``: -1 is a cluster.
    detection_threshold : float, default=0.05
        Probability from which another cluster counts as plausible, in (0, 1).
    confidence_level : float, default=0.95
        Coverage of the interval, in (0, 1).
    method : {"normal", "percentile"}, default="normal"
        ``"normal"``: the share plus or minus the normal quantile times the
        standard deviation of the resampled shares, clipped to [0, 1].
        ``"percentile"``: the ``(1 - confidence_level) / 2`` and
        ``(1 + confidence_level) / 2`` quantiles of the resampled shares.
    n_resamples : int, default=200
        Number of bootstrap samples; each costs one clustering (with
        ``clusterer``) and ``cv`` probe fits.
    random_state : int, RandomState instance or None, default=None
        Seeds the resampling, the folds, and the clusterer and probe where
        their ``random_state`` is None. With labels and an int, ``statistic``
        is the total leakage of ``cross_val_proba(X, labels,
        random_state=random_state)`` on the rows not labelled -1.
    n_jobs : int, default=None
        Resamples run in parallel.

    Returns
    -------
    result : BootstrapIntervalResult
        With ``statistic``, ``ci`` (a ``(low, high)`` named tuple),
        ``standard_error``, ``bootstrap_distribution``, ``confidence_level``
        and ``method``.

    Raises
    ------
    ValueError
        If neither or both of ``labels`` and ``clusterer`` are given, if
        ``labels`` does not match the rows of ``X``, or if fewer than two
        resamples had a cluster to score.

    See Also
    --------
    total_leakage_test : Exact interval for these points under these probes.
    cross_val_proba : The out-of-fold probabilities behind the share.

    Notes
    -----
    Folds of a resample are stratified folds of its distinct rows, each copy
    following its row: a probe trained on one copy of a point would otherwise
    score another copy.

    ``python benchmarks/interval_coverage.py`` measured the coverage of the
    nominal 95% intervals (``n_resamples=100``, 120 data sets per case, two
    unit Gaussian clusters 2.5 apart in 2-D, 200 and 1,000 rows, default
    probe, threshold 0.05; ``benchmarks/results/interval_coverage.md``). For
    given overlapping labels the normal interval covered the share averaged
    over samples in 91% and 92% of them (200 and 1,000 rows), the percentile
    interval in 92% and 91%, where Clopper-Pearson covered 59% and 58% (of
    all 200 data sets per case); for
    labels refitted by ``KMeans(2)``, 99% and 98%, and 100% and 98%; with
    ``mode="refit"`` (the share of ``LeakageScore``), 99% and 98%, and 100%
    and 100%. The basic ("reverse percentile") interval fell to 78% there and
    is not offered. On three unequal unit Gaussian clusters in 5-D
    (``--family three_5d_unequal``), the normal interval covered 94% and 93%
    for given labels (Clopper-Pearson 70% of all 200), 99% for k-means labels and 100%
    and 99% with ``mode="refit"``.
    Other data, probes and clusterers were not measured; with a standard
    error of about 2.7 points on each coverage, the intervals may fall a few
    points short of 95% for overlapping labels.

    When few points leak, the bootstrap sees little of their variation: with
    no leaking point every resample's share is usually 0 and the interval
    collapses to [0, 0]. The exact interval of :func:`total_leakage_test` is
    then the better statement.

    A resample repeats rows, and a density clusterer (``DBSCAN``, ``HDBSCAN``)
    counts the copies towards ``min_samples``, so it finds denser clusters on a
    resample than on the data; its intervals were not measured.

    The cost is ``n_resamples + 1`` runs of the procedure; memory stays at one
    resample (a copy of ``X`` and its probabilities) per job.

    References
    ----------
    .. [1] B. Efron and R. J. Tibshirani (1993). "An Introduction to the
       Bootstrap". Chapman & Hall, chapters 12 and 13.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_leakage import total_leakage_interval
    >>> X, species = load_iris(return_X_y=True)
    >>> result = total_leakage_interval(X, species, n_resamples=50, random_state=0)
    >>> round(result.statistic, 3)  # 15 of the 150 flowers leak
    0.1
    >>> low, high = result.ci
    >>> bool(low < result.statistic < high)
    True
    """
    _check_source(labels, clusterer, mode)
    check_probe(classifier)
    rng = check_random_state(random_state)
    if clusterer is None:
        X, labels = _check_X_labels(X, labels)
        probe = default_classifier(X) if classifier is None else classifier
        # No clusterer to refit: _check_source refused mode="refit".
        X_space, final = X, None
    else:
        check_clusterer(clusterer)
        if has_steps(clusterer):
            # The steps take X as the user gives it (a ColumnTransformer picks
            # a frame's columns by name, a vectorizer takes text); what they
            # output must be numbers, as for LeakageScore.
            check_steps_output(clusterer, X)
        else:
            X = _check_X(X)
        fitted, final, labels, X_space = _fit_labels(
            clusterer, X, rng.randint(_MAX_SEED)
        )
        if classifier is None:
            probe = default_classifier(X_space, fitted)
        else:
            probe = classifier
    classes, codes = encode_with_noise(labels, noise)
    if mode == "refit" and classes.shape[0] >= 2:
        # Seeded as cross_val_proba seeds the probe of mode="fixed", so that
        # the same random_state gives the same statistic.
        probe_seed = rng.randint(_MAX_SEED)
        proba = out_of_fold_proba(
            final,
            with_seeds(probe, probe_seed),
            X_space,
            codes,
            classes.shape[0],
            cv=cv,
            mode="refit",
            random_state=rng,
            n_jobs=None,
            noise=noise,
        )
    else:
        proba = cross_val_proba(
            X_space, labels, classifier=probe, cv=cv, noise=noise, random_state=rng
        )
    statistic = _share(codes, proba, classes.shape[0], detection_threshold)
    seeds = rng.randint(_MAX_SEED, size=n_resamples)
    shares = np.asarray(
        Parallel(n_jobs=n_jobs)(
            delayed(_resampled_share)(
                X,
                labels,
                clusterer,
                probe,
                noise,
                cv,
                mode,
                detection_threshold,
                seed,
            )
            for seed in seeds
        ),
        dtype=np.float64,
    )
    scored = shares[~np.isnan(shares)]
    if scored.shape[0] < 2:
        raise ValueError(
            f"{n_resamples - scored.shape[0]} of {n_resamples} resamples had no "
            "cluster to score (every point noise, or no cluster with two "
            "distinct rows), so there is no spread to read. Give more rows, "
            "clusters of more rows, or noise='cluster'."
        )
    if scored.shape[0] < n_resamples:
        warnings.warn(
            f"{n_resamples - scored.shape[0]} of {n_resamples} resamples had no "
            "cluster to score (every point noise, or no cluster with two "
            "distinct rows) and are left out of the interval; it describes "
            "the samples that have one.",
            UserWarning,
            stacklevel=3,
        )
    alpha = 1.0 - confidence_level
    standard_error = float(np.std(scored, ddof=1))
    if method == "normal":
        half_width = float(norm.ppf(1.0 - alpha / 2)) * standard_error
        low, high = statistic - half_width, statistic + half_width
    else:
        low, high = np.quantile(scored, [alpha / 2, 1.0 - alpha / 2])
    return BootstrapIntervalResult(
        statistic=statistic,
        ci=ConfidenceInterval(float(np.clip(low, 0, 1)), float(np.clip(high, 0, 1))),
        standard_error=standard_error,
        bootstrap_distribution=shares,
        confidence_level=float(confidence_level),
        method=method,
    )
