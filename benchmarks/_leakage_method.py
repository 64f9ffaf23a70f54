"""The package's own k-selection method, exactly as documented for users.

``select_n_clusters`` is GridSearchCV over ``clusterer__n_clusters`` with
LeakageScore's defaults, ``scoring=leakage_scorer`` and
``refit=refit_n_clusters``; nothing here is tuned for the battery.
"""

from __future__ import annotations

import contextlib
import warnings

import numpy as np
from sklearn.model_selection import KFold

import sklearn_leakage._estimator as estimator_module
from benchmarks._baselines import make_clusterer
from sklearn_leakage import select_n_clusters
from sklearn_leakage._probe import DEFAULT_C, draws_linear_boundaries
from sklearn_leakage._reference import UniformReference
from sklearn_leakage._validation import final_step

#: Reference boxes a search can draw from: the package's (the ranges of the
#: training part along its principal axes, the gap statistic's box) and a
#: variant that ``--reference-box variance`` measures, not offered by the
#: package (sides of sqrt(12) standard deviations along the same axes).
REFERENCE_BOXES = ("range", "variance")


@contextlib.contextmanager
def _replaced(owner, name: str, replacement):
    """``owner.name`` is ``replacement`` while inside, and itself again after."""
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


@contextlib.contextmanager
def reference_box(kind: str = "range"):
    """Draw the search's reference data from the box ``kind`` while inside.

    The variance box has the data's variance along each principal axis, which
    a uniform distribution has when its side is sqrt(12) standard deviations.
    It does not depend on how far the data reach, and so not on how the
    estimated axes are turned from a box's own (``benchmarks/null_shapes.py``).
    The class is patched for the duration, in this process only; the search
    runs its candidates in the same process (``n_jobs=None``).
    """
    if kind == "range":
        yield
        return
    if kind != "variance":
        raise ValueError(f"unknown reference box {kind!r}; use {REFERENCE_BOXES}")
    original = UniformReference.fit

    def fit_variance_box(self, X, rng):
        original(self, X, rng)
        sample = np.asarray(X, dtype=np.float64)
        projected = (sample - self.mean_) @ self.axes_.T
        half_side = np.sqrt(3.0) * projected.std(axis=0)
        self.low_, self.high_ = -half_side, half_side
        return self

    with _replaced(UniformReference, "fit", fit_variance_box):
        yield


#: The default probe's regularisation: the package's (``C=100`` whatever the
#: number of clusters) and a variant that ``--probe-c per-cluster`` measures,
#: not offered by the package (``C`` grows with the number of clusters).
PROBE_CS = ("fixed", "per-cluster")


@contextlib.contextmanager
def probe_c(kind: str = "fixed"):
    """Give the default linear probe ``C = 100 * max(k, 3) / 3`` while inside.

    The reason to measure it: the multinomial logistic regression's objective
    is one L2 penalty on every cluster's weights plus ``C`` times the sum of
    the points' log losses. Each cluster's weights are pulled by its own
    points, about ``n / k`` of them, so with ``C`` fixed the penalty weighs
    more on each cluster as ``k`` grows and the probabilities near its
    boundaries stay softer. ``C`` proportional to ``k`` keeps that balance at
    what it is for three clusters, where ``C=100`` was chosen
    (``benchmarks/probe.py``, iris). The estimator module's
    ``default_classifier`` is replaced in this process only; the search runs
    its candidates in the same process.
    """
    if kind == "fixed":
        yield
        return
    if kind != "per-cluster":
        raise ValueError(f"unknown probe C {kind!r}; use {PROBE_CS}")
    original = estimator_module.default_classifier

    def per_cluster(X, fitted_clusterer=None):
        classifier = original(X, fitted_clusterer)
        if fitted_clusterer is not None and draws_linear_boundaries(fitted_clusterer):
            k = final_step(fitted_clusterer).cluster_centers_.shape[0]
            classifier.set_params(logisticregression__C=DEFAULT_C * max(k, 3) / 3)
        return classifier

    with _replaced(estimator_module, "default_classifier", per_cluster):
        yield


def leakage_search(
    X,
    clusterer_name,
    k_range,
    random_state,
    search_cv="halves",
    box="range",
    probe="fixed",
):
    """The fitted search of ``select_n_clusters`` on the dataset's clusterer.

    ``search_cv="five-folds"`` (``k_selection.py --search-cv five-folds``)
    replaces the default halves, split twice, with ``KFold(5)``, scikit-learn's
    default number of folds; ``"halves-once"`` splits into halves once (2
    splits instead of 4); ``"subsamples"`` fits on one random 80% of the rows
    and scores on another, drawn independently, 4 times, so that each part
    holds more rows than a half but the two parts share most of them. Each
    measures what the choice does to the rule. ``box`` is the reference box
    (:func:`reference_box`), ``probe`` the default probe's ``C``
    (:func:`probe_c`).
    """
    base = make_clusterer(clusterer_name, 2, random_state)
    cv = None  # select_n_clusters' halves, twice
    if search_cv == "five-folds":
        cv = KFold(5, shuffle=True, random_state=random_state)
    elif search_cv == "halves-once":
        cv = KFold(2, shuffle=True, random_state=random_state)
    elif search_cv == "subsamples":
        cv = overlapping_subsamples(X.shape[0], random_state)
    # select_n_clusters refuses candidates above half the rows (a half cannot
    # hold more clusters than rows); another harness may offer them on small
    # data sets, and they could not win anyway. This battery's candidates
    # stop at n / 6 and are never cut.
    candidates = [k for k in k_range if k <= X.shape[0] // 2] or [1]
    with warnings.catch_warnings(), reference_box(box), probe_c(probe):
        # One-cluster candidates, small clusters and disconnected spectral graphs
        # warn by design; the benchmark reads only the chosen k and the scores.
        warnings.simplefilter("ignore")
        return select_n_clusters(X, base, candidates, cv=cv, random_state=random_state)


def overlapping_subsamples(n_samples, random_state, share=0.8, n_splits=4):
    """``n_splits`` pairs of independent random subsamples of ``share`` of the rows.

    A ``cv`` iterable for GridSearchCV: the training and the scored part are
    drawn independently, so they overlap in about ``share`` of the scored rows.
    """
    rng = np.random.default_rng(random_state)
    size = round(share * n_samples)
    splits = []
    for _ in range(n_splits):
        train = np.sort(rng.permutation(n_samples)[:size])
        scored = np.sort(rng.permutation(n_samples)[:size])
        splits.append((train, scored))
    return splits


def leakage_method(
    X,
    clusterer_name,
    k_range,
    random_state,
    search_cv="halves",
    box="range",
    probe="fixed",
):
    """k chosen by held-out reproducibility and the no-structure test."""
    search = leakage_search(
        X, clusterer_name, k_range, random_state, search_cv, box, probe
    )
    return int(search.best_params_["clusterer__n_clusters"])
