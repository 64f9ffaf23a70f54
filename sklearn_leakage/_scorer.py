"""Scorers for GridSearchCV: one for LeakageScore, one for bare clusterers."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state

from sklearn_leakage._compat import HasMethods, Interval, StrOptions, validate_params
from sklearn_leakage._estimator import LeakageScore


class _LeakageScoreScorer:
    """Calls ``score`` of a fitted LeakageScore (or a Pipeline ending in one)."""

    def __call__(self, estimator, X, y=None) -> float:
        if not hasattr(estimator, "score"):
            raise TypeError(
                f"leakage_scorer needs a fitted LeakageScore, got {estimator!r}; "
                "for a bare clusterer use make_leakage_scorer()."
            )
        return float(estimator.score(X))

    def __repr__(self) -> str:
        return "leakage_scorer"


#: Scorer for a fitted :class:`LeakageScore`: its ``score`` on held-out data, the
#: number of clusters that reproduce (greater is better).
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

    def __call__(self, estimator, X, y=None) -> float:
        params = dict(self.leakage_params)
        rng = check_random_state(params.get("random_state"))
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
        inner = LeakageScore(clone(estimator), **params)
        X_first = X.iloc[first] if hasattr(X, "iloc") else X[first]
        X_second = X.iloc[second] if hasattr(X, "iloc") else X[second]
        return float(inner.fit(X_first).score(X_second))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(self.leakage_params.items()))
        return f"make_leakage_scorer({args})"


@validate_params(
    {
        "classifier": [HasMethods(["fit", "predict_proba"]), None],
        "cv": ["cv_object"],
        "agreement_level": [Interval(Real, 0, 1, closed="neither")],
        "noise": [StrOptions({"exclude", "cluster"})],
        "max_samples": [
            StrOptions({"auto"}),
            Interval(Integral, 2, None, closed="left"),
            Interval(Real, 0, 1, closed="right"),
            None,
        ],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_leakage_scorer(
    classifier=None,
    *,
    cv=5,
    agreement_level: float = 0.9,
    noise: str = "exclude",
    max_samples="auto",
    random_state=0,
):
    """Make a scorer that judges a bare clusterer inside ``GridSearchCV``.

    ``GridSearchCV(KMeans(), {"n_clusters": range(2, 11)},
    scoring=make_leakage_scorer())`` scores each candidate on each held-out fold:
    the fold is split in two halves, a clone of the clusterer with the candidate's
    parameters is wrapped in :class:`LeakageScore`, fitted on one half and scored on
    the other. The value is the number of clusters that reproduce (greater is
    better), as for :meth:`LeakageScore.score`.

    Parameters
    ----------
    classifier : estimator object, default=None
        The probe; see :class:`LeakageScore`.
    cv : int, cross-validation generator or iterable, default=5
        Inner folds of the wrapped :class:`LeakageScore`.
    agreement_level : float, default=0.9
        Held-out agreement from which a cluster counts as reproducible.
    noise : {"exclude", "cluster"}, default="exclude"
        What label -1 means.
    max_samples : "auto", int, float or None, default="auto"
        Rows used by the probe; see :class:`LeakageScore`.
    random_state : int, RandomState instance or None, default=0
        Seeds the halves and the inner folds. An int by default, so that every
        candidate is judged on the same halves.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> float``; picklable, so it runs on joblib
        and Dask workers.

    See Also
    --------
    LeakageScore : The meta-estimator; its ``score`` is what this scorer returns.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_leakage import make_leakage_scorer
    >>> X, _ = make_blobs(n_samples=600, centers=3, random_state=0)
    >>> search = GridSearchCV(
    ...     KMeans(n_init=3, random_state=0),
    ...     {"n_clusters": [2, 3, 4, 5]},
    ...     scoring=make_leakage_scorer(),
    ...     cv=2,
    ... ).fit(X)
    >>> search.best_params_
    {'n_clusters': 3}
    """
    return _BareClustererScorer(
        classifier=classifier,
        cv=cv,
        agreement_level=agreement_level,
        noise=noise,
        max_samples=max_samples,
        random_state=random_state,
    )
