"""The probe classifier and its out-of-fold probabilities."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed

from sklearn_leakage._align import match_clusters
from sklearn_leakage._scaling import IsotropicScaler
from sklearn_leakage._validation import final_step
from sklearn_leakage._warn import user_stacklevel
from sklearn_leakage.exceptions import FoldError, FoldWarning, SmallClusterWarning

#: Inverse regularisation of the default probe. A weakly regularised logistic
#: regression reproduces a partition's boundaries instead of blurring them. On
#: standardized iris with the true species (5-fold out-of-fold, threshold 0.05),
#: C=100 lets 2% of setosa leak into versicolor where C=1 lets 18% and the
#: leakyblobs pipeline 90%, and has the lowest log loss (0.073 against 0.155 at
#: C=1); see benchmarks/probe.py and its results.
DEFAULT_C = 100.0


#: Neighbours of the probe for clusterers whose boundaries are not linear. Five,
#: distance-weighted, follow a curved boundary closely while still averaging
#: over more than one point: on two moons with their true labels they reach
#: 1.000 out-of-fold accuracy where the linear probe reaches 0.883, and 15
#: plain neighbours blur the overlap of iris' versicolor and virginica
#: (leakage 0.66 and 0.72 against 0.20 and 0.26; benchmarks/results/probe.md).
DEFAULT_N_NEIGHBORS = 5


def draws_linear_boundaries(fitted_clusterer) -> bool:
    """Whether a fitted clusterer assigns points to the nearest of its centres.

    KMeans, MiniBatchKMeans, MeanShift and AffinityPropagation expose
    ``cluster_centers_`` and predict by the nearest centre, so their partitions
    are Voronoi cells: linear boundaries that a logistic regression reproduces
    exactly. BisectingKMeans, which also has them, predicts by walking down its
    tree of bisections instead: its cells are bounded by hyperplanes too, but
    are not exactly the Voronoi cells of its final centres (8 clusters of
    50,000 uniform points in the square: the two disagree on 8% of them), so
    the linear probe approximates them. A Pipeline is judged by its last step.
    """
    final = final_step(fitted_clusterer)
    return hasattr(final, "cluster_centers_") and hasattr(final, "predict")


#: Name of the default nearest-neighbour probe's step, by which a fit on fewer
#: rows than its neighbours knows to use fewer (clone keeps step names).
DEFAULT_NEIGHBORS_STEP = "default_neighbors"


def default_classifier(X, fitted_clusterer=None) -> object:
    """The default probe, chosen by the shape of the clusterer's boundaries.

    Linear boundaries (centroid clusterers, or labels given without a
    clusterer): scale, then a weakly regularised logistic regression. Other
    clusterers (GaussianMixture, Agglomerative, Spectral, DBSCAN, ...) draw
    curved boundaries: scale, then 5 distance-weighted nearest neighbours. The
    scaling divides every feature by one common scale
    (:class:`~sklearn_leakage._scaling.IsotropicScaler`), so the probe weighs
    the features as the clusterer's distances did. Centering is skipped for
    sparse input, which it would densify. The neighbours' step is named
    :data:`DEFAULT_NEIGHBORS_STEP`: :func:`fit_probe` gives it fewer than 5
    neighbours when it is fitted on fewer than 5 rows (a training fold of a
    handful of rows that the clusterer handles).
    """
    scaler = IsotropicScaler(with_mean=not sp.issparse(X))
    if fitted_clusterer is None or draws_linear_boundaries(fitted_clusterer):
        return make_pipeline(scaler, LogisticRegression(C=DEFAULT_C, max_iter=1000))
    return Pipeline(
        [
            ("isotropicscaler", scaler),
            (
                DEFAULT_NEIGHBORS_STEP,
                KNeighborsClassifier(DEFAULT_N_NEIGHBORS, weights="distance"),
            ),
        ]
    )


def cluster_labels(clusterer, X) -> NDArray:
    """Fit ``clusterer`` in place on ``X`` and return its labels.

    Works for inductive clusterers (``predict``) and for those that only offer
    ``fit_predict`` or ``labels_`` (AgglomerativeClustering, DBSCAN, Spectral).
    """
    if hasattr(clusterer, "fit_predict"):
        return np.asarray(clusterer.fit_predict(X))
    clusterer.fit(X)
    if hasattr(clusterer, "labels_"):
        return np.asarray(clusterer.labels_)
    if not hasattr(clusterer, "predict"):
        raise TypeError(
            f"clusterer {type(clusterer).__name__} gives no cluster labels: it "
            "has none of fit_predict, labels_ and predict. Pass a clusterer such "
            "as KMeans()."
        )
    return np.asarray(clusterer.predict(X))


def aligned_proba(classifier, X, n_classes: int) -> NDArray[np.float64]:
    """``predict_proba`` of a probe trained on integer codes, one column per code.

    A cluster absent from the training part has no column in the classifier's
    output; it gets probability 0 here.
    """
    proba = np.zeros((X.shape[0], n_classes))
    proba[:, np.asarray(classifier.classes_, dtype=np.intp)] = classifier.predict_proba(
        X
    )
    return proba


def fit_probe(classifier, X, codes):
    """Fit a clone of the probe on the rows with a cluster (code >= 0).

    With a single cluster there is nothing to learn (and most classifiers refuse
    one class): a constant predictor stands in.
    """
    keep = codes >= 0
    X_keep, y_keep = X[keep], codes[keep]
    if np.unique(y_keep).shape[0] < 2:
        return DummyClassifier(strategy="prior").fit(X_keep, y_keep)
    probe = clone(classifier)
    if isinstance(probe, Pipeline) and probe.steps[-1][0] == DEFAULT_NEIGHBORS_STEP:
        # The default probe only: a user's probe is fitted as given.
        n_neighbors = min(probe.steps[-1][1].n_neighbors, y_keep.shape[0])
        probe.set_params(**{f"{DEFAULT_NEIGHBORS_STEP}__n_neighbors": n_neighbors})
    return probe.fit(X_keep, y_keep)


def _fold_proba(
    clusterer, classifier, X, codes, n_classes, train, test, mode, noise="exclude"
):
    if mode == "refit":
        fold_labels = cluster_labels(clone(clusterer), X[train])
        fold_classes, fold_codes = np.unique(fold_labels, return_inverse=True)
        if noise == "exclude":
            # Noise is no cluster to learn; with noise="cluster" the fold's -1
            # is a cluster like the others, paired with the whole clustering's.
            fold_codes = np.where(fold_labels == -1, -1, fold_codes)
        # Pair the fold's clusters with the full clustering's on the training
        # points, so that held-out probabilities read in the full clustering's ids.
        both = (fold_codes >= 0) & (codes[train] >= 0)
        mapping = match_clusters(
            fold_codes[both], codes[train][both], fold_classes.shape[0], n_classes
        )
        train_codes = np.where(fold_codes >= 0, mapping[fold_codes], -1)
    else:
        train_codes = codes[train]
    if not np.any(train_codes >= 0):
        # The fold's clustering found no cluster (DBSCAN calling everything
        # noise): nothing can be predicted, so the held-out points get uniform
        # probabilities, the most leakage there is.
        return np.full((len(test), n_classes), 1.0 / n_classes)
    probe = fit_probe(classifier, X[train], train_codes)
    return aligned_proba(probe, X[test], n_classes)


def n_folds(cv: int, codes: NDArray) -> int:
    """The number of stratified folds ``cv`` gives for these cluster codes.

    No more than the largest cluster has points (noise, code -1, not counted),
    so that stratified folds exist; at least 2; no more than there are rows.
    """
    sizes = np.bincount(codes[codes >= 0]) if np.any(codes >= 0) else np.array([0])
    return int(min(cv, max(2, sizes.max()), codes.shape[0]))


def make_folds(cv, codes, random_state):
    """Stratified, shuffled folds over the rows; small clusters reduce the folds.

    ``cv=None`` is the default, 5 folds. Stratified: a cluster absent from a
    training fold would lose its probability column. Shuffled: rows often
    arrive sorted by cluster or by time.
    """
    sizes = np.bincount(codes[codes >= 0]) if np.any(codes >= 0) else np.array([0])
    sizes = sizes[sizes > 0]
    if cv is None:
        # scikit-learn's meaning of None: the default number of folds.
        cv = 5
    if isinstance(cv, int | np.integer):
        if codes.shape[0] < 2:
            raise ValueError(
                f"Got {codes.shape[0]} sample; cross-validation needs at least 2."
            )
        if sizes.max() == 1:
            # StratifiedKFold's own message names neither the labels nor a fix.
            raise ValueError(
                f"Every one of the {sizes.size} clusters has a single row, so no "
                "probe can be trained on one cluster and tested on another row "
                "of it; the clusters need 2 rows or more (fewer clusters, or "
                "labels that group the rows)."
            )
        n_splits = n_folds(cv, codes)
        too_small = int(np.sum(sizes < n_splits))
        if too_small:
            warnings.warn(
                f"{too_small} of {sizes.size} clusters have fewer than {n_splits} "
                f"points (smallest: {sizes.min()}), so they cannot be spread over "
                f"all {n_splits} folds; a one-point cluster has no training point "
                "when held out and counts as leaking. " + SMALL_CLUSTER_ADVICE,
                SmallClusterWarning,
                stacklevel=user_stacklevel(default=3),
            )
        splitter = StratifiedKFold(
            n_splits=n_splits, shuffle=True, random_state=random_state
        )
    else:
        splitter = check_cv(cv, y=codes, classifier=True)
    with warnings.catch_warnings():
        # Reported as a SmallClusterWarning above (an int cv), or as a
        # FoldWarning below when a user's splitter leaves a cluster out.
        warnings.filterwarnings("ignore", message="The least populated class")
        try:
            folds = list(splitter.split(np.zeros((codes.shape[0], 1)), codes))
        except ValueError as exc:
            if "groups" not in str(exc):
                raise
            # GroupKFold and its kin: fit takes no groups to hand them.
            raise FoldError(
                f"cv={cv!r} splits by groups, and no groups are passed to the "
                "fold loop. Pass the folds themselves, made with your groups "
                "for the rows fitted, each row held out once (GroupKFold's "
                f"are): cv=list({cv!r}.split(X, groups=groups))."
            ) from exc
    # Masks, which indexing accepts as well, become row numbers to be counted.
    n_rows = codes.shape[0]
    folds = [(_as_rows(train, n_rows), _as_rows(test, n_rows)) for train, test in folds]
    _check_partition(folds, n_rows)
    if not isinstance(cv, int | np.integer):
        # Stratified folds from an int were checked above by cluster size.
        _warn_untrained_clusters(folds, codes)
    return folds


def _warn_untrained_clusters(folds, codes) -> None:
    """Warn when a fold holds out points of a cluster its training part lacks."""
    n_folds_short, short = 0, set()
    for train, test in folds:
        trained = set(np.unique(codes[train]).tolist())
        held_out = set(np.unique(codes[test]).tolist())
        missing = {code for code in held_out - trained if code >= 0}
        if missing:
            n_folds_short += 1
            short |= missing
    if n_folds_short:
        n_clusters = np.unique(codes[codes >= 0]).shape[0]
        smallest = int(min(np.sum(codes == code) for code in short))
        if smallest < len(folds):
            # No splitter can put such a cluster in every training part.
            advice = (
                f"The smallest of them has {smallest} point"
                f"{'s' if smallest != 1 else ''}, fewer than the {len(folds)} "
                "folds. " + SMALL_CLUSTER_ADVICE
            )
        else:
            advice = (
                "Rows sorted by cluster do this with unshuffled KFold: pass "
                "StratifiedKFold(shuffle=True) or an int."
            )
        warnings.warn(
            f"In {n_folds_short} of {len(folds)} folds of cv, the probe is "
            f"trained without any point of a cluster the fold holds out "
            f"({len(short)} of {n_clusters} clusters): it cannot predict them, "
            f"so those points count as leaking whatever the clustering. {advice}",
            FoldWarning,
            stacklevel=user_stacklevel(default=3),
        )


def _as_rows(indices, n_rows: int):
    """Row numbers of a fold's part, which a splitter may give as a mask."""
    indices = np.asarray(indices)
    if indices.dtype == bool:
        if indices.shape != (n_rows,):
            raise FoldError(
                f"A fold given as cv is a mask of shape {indices.shape}, but "
                f"{n_rows} rows are scored; masks must have one entry per "
                "scored row (LeakageScore scores a subsample when max_samples "
                "is below the number of rows)."
            )
        return np.flatnonzero(indices)
    if indices.ndim != 1:
        raise FoldError(
            f"A fold given as cv has shape {indices.shape}; each part of a fold "
            "must be a 1-D array of row numbers or a mask."
        )
    # An empty list arrives as floats; row numbers are integers.
    return indices.astype(np.intp) if indices.size == 0 else indices


def _check_partition(folds, n_rows: int) -> None:
    """Refuse folds that do not hold out every row exactly once.

    Out-of-fold probabilities need one held-out prediction per row, as
    :func:`sklearn.model_selection.cross_val_predict` does: repeated splits
    would overwrite earlier ones, and rows never held out would keep no
    probability at all.
    """
    tests = [np.asarray(test) for _, test in folds]
    held_out = np.concatenate(tests) if tests else np.empty(0, dtype=np.intp)
    if held_out.size and (held_out.min() < 0 or held_out.max() >= n_rows):
        raise FoldError(
            f"The folds given as cv hold out row {int(held_out.max())}, but "
            f"{n_rows} rows are scored. Folds given as row numbers must index "
            "exactly the scored rows; LeakageScore scores a subsample when "
            "max_samples is below the number of rows (the default 'auto' keeps "
            "10,000). Pass cv as a number of folds or a splitter (KFold(5)), "
            "or max_samples=None."
        )
    counts = np.bincount(held_out.astype(np.intp), minlength=n_rows)
    if np.any(counts != 1):
        never, repeated = int(np.sum(counts == 0)), int(np.sum(counts > 1))
        parts = []
        if repeated:
            parts.append(f"hold out {repeated} of the {n_rows} rows more than once")
        if never:
            parts.append(f"never hold out {never} of them")
        what = (
            "hold out no row (a generator given as cv is used up by its first fit)"
            if not held_out.size
            else " and ".join(parts)
        )
        raise FoldError(
            f"Out-of-fold probabilities need folds that hold out every row "
            f"exactly once, as cross_val_predict's do; the folds given as cv "
            f"{what}. Repeated splits (RepeatedKFold) and random subsets "
            "(ShuffleSplit) do not; pass a number of folds, KFold(5), or a "
            "list of (train, test) splits that partition the rows."
        )


#: What the small-cluster warning advises. The folds are those of the
#: out-of-fold diagnostics, which a search's own ``cv`` does not set: the
#: advice names whose ``cv=`` it means, and how a search skips the diagnostics.
SMALL_CLUSTER_ADVICE = (
    "Use fewer folds (cv= of LeakageScore or cross_val_proba, not of a search) "
    "or fewer clusters; a search over the number of clusters can skip these "
    "out-of-fold diagnostics with LeakageScore(..., compute_oof=False), as "
    "select_n_clusters does."
)


def out_of_fold_proba(
    clusterer,
    classifier,
    X,
    codes: NDArray[np.intp],
    n_classes: int,
    *,
    cv,
    mode: str,
    random_state,
    n_jobs,
    noise: str = "exclude",
) -> NDArray[np.float64]:
    """Every row's probability over the clusters from a probe that never saw it.

    ``noise`` says what a refitted fold's -1 labels are: left out
    (``"exclude"``), or a cluster (``"cluster"``, whose ``codes`` give -1 a
    code of its own).
    """
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    folds = make_folds(cv, codes, seed)
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fold_proba)(
            clusterer, classifier, X, codes, n_classes, tr, te, mode, noise
        )
        for tr, te in folds
    )
    proba = np.zeros((codes.shape[0], n_classes))
    for (_, test), fold_proba in zip(folds, results, strict=True):
        proba[test] = fold_proba
    return proba
