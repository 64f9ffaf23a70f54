"""Scorers for GridSearchCV: one for LeakageScore, one for bare clusterers."""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state

from sklearn_leakage._compat import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn_leakage._estimator import LeakageScore
from sklearn_leakage._typing import Estimator, MatrixLike, RandomStateLike
from sklearn_leakage._validation import check_probe, final_step


class _LeakageScoreScorer:
    """Held-out details of a fitted LeakageScore (or a Pipeline ending in one).

    Returns a dict, which ``GridSearchCV`` records as metrics:
    ``reproducibility`` and ``prediction_strength`` (greater is better),
    ``leakage``, ``boundary_leakage`` and ``reference_boundary_leakage`` (lower
    is better), ``n_clusters_found``, and the pair that test (a) of
    :func:`refit_n_clusters` compares: ``dispersion_gain``,
    ``separation_gain`` and their ``reference_`` values (greater is tighter)
    for centroid clusterers, ``reference_leakage`` for the others; see
    :meth:`LeakageScore.score_details`.

    Parameters
    ----------
    estimator : LeakageScore or Pipeline
        A fitted :class:`LeakageScore`, or a fitted Pipeline ending in one.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Held-out rows, as the search passes its test fold.
    y : None
        Ignored; present for the scorer API.

    Returns
    -------
    scores : dict of str to float
        The held-out details named above.

    See Also
    --------
    refit_n_clusters : The rule that reads these scores.
    make_leakage_scorer : The same scores for a bare clusterer.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_leakage import LeakageScore, leakage_scorer
    >>> X, _ = make_blobs(n_samples=400, centers=3, random_state=0)
    >>> est = LeakageScore(KMeans(3, random_state=0), compute_oof=False,
    ...                    random_state=0).fit(X[::2])
    >>> scores = leakage_scorer(est, X[1::2])
    >>> scores["n_clusters_found"], scores["reproducibility"] > 0.8
    (3.0, True)
    """

    def __call__(
        self, estimator: Estimator, X: MatrixLike, y: object = None
    ) -> dict[str, float]:
        final = final_step(estimator)
        if not hasattr(final, "score_details"):
            raise TypeError(
                f"leakage_scorer needs a fitted LeakageScore, got {final!r}; "
                "for a bare clusterer use make_leakage_scorer()."
            )
        if hasattr(estimator, "steps"):
            # Transform X by the pipeline's earlier steps, as Pipeline.score does.
            for _, step in estimator.steps[:-1]:
                if step is not None and step != "passthrough":
                    X = step.transform(X)
        return final.score_details(X)

    def __repr__(self) -> str:
        return "leakage_scorer"


#: Multi-metric scorer for a fitted :class:`LeakageScore`: on held-out data, the
#: worst cluster's agreement ``reproducibility`` and the ``prediction_strength``
#: (greater is better), the ``leakage``, the ``boundary_leakage`` across the
#: densest boundary and the same on structureless reference data (lower is
#: better), the ``n_clusters_found`` by the fitted clusterer, and the
#: comparison with the reference that test (a) reads: dispersion and
#: separation gains for centroid clusterers, the reference's held-out leakage
#: for the others. Use it with ``refit=refit_n_clusters``.
leakage_scorer = _LeakageScoreScorer()


class _BareClustererScorer:
    """Scores a bare clusterer's settings by reproducibility within held-out data.

    The held-out fold is split in two halves at random: a clone of the clusterer
    wrapped in :class:`LeakageScore` is fitted on one half and scored on the other.
    Only the clusterer's parameters are used, so this works for clusterers without
    ``predict`` (Agglomerative, DBSCAN, Spectral) too.
    """

    def __init__(self, **leakage_params):
        self.leakage_params = leakage_params

    def __call__(
        self, estimator: Estimator, X: MatrixLike, y: object = None
    ) -> dict[str, float]:
        params = dict(self.leakage_params)
        rng = check_random_state(params.get("random_state"))
        if not hasattr(X, "shape"):
            X = np.asarray(X)  # a list of rows, which cannot be indexed by rows
        n_samples = X.shape[0]
        if n_samples < 4:
            raise ValueError(
                f"The held-out fold has {n_samples} rows; scoring needs at least 4. "
                "Use fewer cross-validation folds."
            )
        order = rng.permutation(n_samples)
        first, second = (
            np.sort(order[: n_samples // 2]),
            np.sort(order[n_samples // 2 :]),
        )
        # Only the held-out scores are read: skip the out-of-fold diagnostics.
        inner = LeakageScore(clone(estimator), compute_oof=False, **params)
        X_first = X.iloc[first] if hasattr(X, "iloc") else X[first]
        X_second = X.iloc[second] if hasattr(X, "iloc") else X[second]
        return inner.fit(X_first).score_details(X_second)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(self.leakage_params.items()))
        return f"make_leakage_scorer({args})"


@validate_params(
    {
        "classifier": [HasMethods(["fit", "predict_proba"]), None],
        "noise": [StrOptions({"exclude", "cluster"})],
        "max_samples": [
            StrOptions({"auto"}),
            Interval(Integral, 2, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
            None,
        ],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_leakage_scorer(
    classifier: Estimator | None = None,
    *,
    noise: str = "exclude",
    max_samples: int | float | str | None = "auto",
    random_state: RandomStateLike = 0,
) -> Callable[..., dict[str, float]]:
    """Make a scorer that judges a bare clusterer inside ``GridSearchCV``.

    ``GridSearchCV(KMeans(), {"n_clusters": range(2, 11)},
    scoring=make_leakage_scorer())`` scores each candidate on each held-out fold:
    the fold is split in two halves, a clone of the clusterer with the candidate's
    parameters is wrapped in :class:`LeakageScore` (``compute_oof=False``: the
    scores need no out-of-fold diagnostics), fitted on one half and scored on the
    other. Like :data:`leakage_scorer` it returns the metrics
    of :meth:`LeakageScore.score_details`, so use it with
    ``refit=refit_n_clusters``.

    Parameters
    ----------
    classifier : estimator object, default=None
        The probe; see :class:`LeakageScore`.
    noise : {"exclude", "cluster"}, default="exclude"
        What label -1 means.
    max_samples : "auto", int, float or None, default="auto"
        Rows used by the probe and by the scoring of the other half; see
        :class:`LeakageScore`.
    random_state : int, RandomState instance or None, default=0
        Seeds the halves, the subsample, the reference draw and, where it is
        None, the clusterer's ``random_state`` (see :class:`LeakageScore`). An
        int by default, so that every candidate is judged on the same halves.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> dict``; picklable, so it runs on joblib
        and Dask workers.

    See Also
    --------
    LeakageScore : The meta-estimator; its ``score_details`` is what this scorer
        returns.

    Notes
    -----
    A scorer is given only the held-out fold, so each fit sees half of a
    held-out fold: with the recommended halves (``RepeatedKFold(n_splits=2)``)
    a quarter of the data, and with ``GridSearchCV``'s default 5 folds a tenth.
    Wrapping the clusterer in :class:`LeakageScore` (or calling
    :func:`select_n_clusters`) judges partitions of halves instead, so prefer
    it unless every cluster still has enough points in a quarter of the rows:
    on the 178 wines of ``load_wine`` a quarter is 44 rows.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_leakage import make_leakage_scorer
    >>> X, _ = make_blobs(n_samples=600, centers=3, random_state=0)
    >>> from sklearn.model_selection import RepeatedKFold
    >>> from sklearn_leakage import refit_n_clusters
    >>> search = GridSearchCV(
    ...     KMeans(n_init=3, random_state=0),
    ...     {"n_clusters": [1, 2, 3, 4, 5]},
    ...     scoring=make_leakage_scorer(),
    ...     refit=refit_n_clusters,
    ...     cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
    ... ).fit(X)
    >>> search.best_params_
    {'n_clusters': 3}
    """
    check_probe(classifier)
    return _BareClustererScorer(
        classifier=classifier,
        noise=noise,
        max_samples=max_samples,
        random_state=random_state,
    )
