"""Published ways of choosing the number of clusters, for the k-selection benchmark.

Every method has the signature ``(X, clusterer_name, k_range, random_state) -> int``
and returns the chosen k. It judges the labelings of the clusterer named by
``clusterer_name`` (see :func:`make_clusterer`), except GMM BIC, whose model is its
own clusterer. Methods that cannot score a single cluster only look at k >= 2.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import AgglomerativeClustering, KMeans, SpectralClustering
from sklearn.kernel_approximation import RBFSampler
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline

Method = Callable[[ArrayLike, str, Sequence[int], int], int]

#: "kmeans-single-start" is KMeans run once per fit (n_init=1), for
#: ``k_selection.py --kmeans-starts 1``; "kmeans" runs it 10 times.
CLUSTERERS = ("kmeans", "kmeans-single-start", "spectral", "agglomerative-single")


class _OneCluster(ClusterMixin, BaseEstimator):
    """Put every point in cluster 0 (the k = 1 answer of every clusterer)."""

    def __init__(self, n_clusters: int = 1):
        self.n_clusters = n_clusters

    def fit(self, X, y=None):
        X = np.asarray(X)
        self.labels_ = np.zeros(len(X), dtype=np.int64)
        self.cluster_centers_ = X.mean(axis=0, keepdims=True)
        return self


def make_clusterer(name: str, n_clusters: int, random_state: int | None = None):
    """A fresh, unfitted clusterer; k = 1 gives the trivial one-cluster labeling."""
    if name not in CLUSTERERS:
        raise ValueError(f"clusterer must be one of {CLUSTERERS}, got {name!r}.")
    if n_clusters == 1:
        return _OneCluster()
    if name == "kmeans":
        return KMeans(n_clusters, n_init=10, random_state=random_state)
    if name == "kmeans-single-start":
        return KMeans(n_clusters, n_init=1, random_state=random_state)
    if name == "spectral":
        return SpectralClustering(
            n_clusters, affinity="nearest_neighbors", random_state=random_state
        )
    return AgglomerativeClustering(n_clusters, linkage="single")


def _labels(X, name: str, n_clusters: int, random_state) -> NDArray[np.int64]:
    with warnings.catch_warnings():
        # Spectral clustering warns when the k-NN graph is disconnected, which is
        # expected on well-separated data and does not change the labels' meaning.
        warnings.simplefilter("ignore", UserWarning)
        return make_clusterer(name, n_clusters, random_state).fit_predict(X)


def _argbest_index(
    X, clusterer_name, k_range, random_state, score, greater_is_better
) -> int:
    ks = [k for k in k_range if k >= 2]
    best_k, best = ks[0], -np.inf
    for k in ks:
        labels = _labels(X, clusterer_name, k, random_state)
        # A clusterer may return fewer clusters than asked; the indices need two.
        if not 2 <= len(np.unique(labels)) <= len(X) - 1:
            continue
        value = score(X, labels) * (1 if greater_is_better else -1)
        if value > best:  # strict: ties keep the smaller k
            best_k, best = k, value
    return best_k


def silhouette(X, clusterer_name, k_range, random_state) -> int:
    """k >= 2 with the largest mean silhouette (Rousseeuw 1987)."""
    X = np.asarray(X, dtype=np.float64)
    return _argbest_index(
        X, clusterer_name, k_range, random_state, silhouette_score, True
    )


def calinski_harabasz(X, clusterer_name, k_range, random_state) -> int:
    """k >= 2 with the largest variance ratio (Calinski & Harabasz 1974)."""
    X = np.asarray(X, dtype=np.float64)
    return _argbest_index(
        X, clusterer_name, k_range, random_state, calinski_harabasz_score, True
    )


def davies_bouldin(X, clusterer_name, k_range, random_state) -> int:
    """k >= 2 with the smallest Davies-Bouldin index (Davies & Bouldin 1979)."""
    X = np.asarray(X, dtype=np.float64)
    return _argbest_index(
        X, clusterer_name, k_range, random_state, davies_bouldin_score, False
    )


def _within_dispersion(X: NDArray[np.float64], labels: NDArray) -> float:
    """W_k: the sum over clusters of squared distances to the cluster mean."""
    _, codes = np.unique(labels, return_inverse=True)
    counts = np.bincount(codes)
    sums = np.zeros((len(counts), X.shape[1]))
    np.add.at(sums, codes, X)
    # sum ||x - mean_c||^2 = sum ||x||^2 - sum_c ||sum_c x||^2 / n_c, O(n d).
    return float(np.sum(X * X) - np.sum(sums * sums / counts[:, None]))


def gap_statistic(X, clusterer_name, k_range, random_state, n_refs: int = 10) -> int:
    """Smallest k with Gap(k) >= Gap(k + 1) - s_{k+1} (Tibshirani et al. 2001).

    ``Gap(k) = mean_b log W*_kb - log W_k``, with W the within-cluster sum of squares.
    The B = 10 reference sets are uniform in the bounding box of the data's principal
    components (the paper's method (b)), and are clustered with k-means (3 inits, to
    stay fast). ``s_k = sd_k * sqrt(1 + 1 / B)``, sd_k the standard deviation over
    the B references. When no k passes the rule, the largest k is returned.
    """
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(random_state)
    ks = sorted(k_range)
    mean = X.mean(axis=0)
    _, _, vt = np.linalg.svd(X - mean, full_matrices=False)
    scores = (X - mean) @ vt.T
    low, high = scores.min(axis=0), scores.max(axis=0)
    ref_log_w = np.empty((n_refs, len(ks)))
    for b in range(n_refs):
        ref = rng.uniform(low, high, size=scores.shape) @ vt + mean
        seed = int(rng.integers(2**31 - 1))
        for j, k in enumerate(ks):
            if k == 1:
                labels = np.zeros(len(ref), dtype=np.int64)
            else:
                labels = KMeans(k, n_init=3, random_state=seed).fit_predict(ref)
            ref_log_w[b, j] = np.log(_within_dispersion(ref, labels))
    log_w = np.array(
        [
            np.log(_within_dispersion(X, _labels(X, clusterer_name, k, random_state)))
            for k in ks
        ]
    )
    gap = ref_log_w.mean(axis=0) - log_w
    # The paper's sd_k divides by B (np.std's default, ddof=0).
    s = ref_log_w.std(axis=0) * np.sqrt(1 + 1 / n_refs)
    for j in range(len(ks) - 1):
        if gap[j] >= gap[j + 1] - s[j + 1]:
            return ks[j]
    return ks[-1]


def gmm_bic(X, clusterer_name, k_range, random_state) -> int:
    """k with the smallest BIC of a Gaussian mixture (Fraley & Raftery 2002).

    Full covariances, diagonal ones past 20 features (a full covariance then has more
    parameters than the smaller clusters have points); best of 2 initialisations.
    ``clusterer_name`` is not used: the mixture is its own clusterer.
    """
    X = np.asarray(X, dtype=np.float64)
    covariance_type = "full" if X.shape[1] <= 20 else "diag"
    best_k, best = None, np.inf
    for k in k_range:
        gmm = GaussianMixture(
            k, covariance_type=covariance_type, n_init=2, random_state=random_state
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning at large k
            bic = gmm.fit(X).bic(X)
        if bic < best:
            best_k, best = k, bic
    return best_k


def _co_assignment(test_labels: NDArray, predicted: NDArray) -> float:
    """Smallest share, over test clusters, of pairs the training rule keeps together.

    Counted from the contingency table: a test cluster j of n_j points has
    n_j (n_j - 1) / 2 pairs, sum_b n_jb (n_jb - 1) / 2 of them predicted together.
    Clusters of one point have no pairs and are left out (the share is undefined).
    """
    _, t = np.unique(test_labels, return_inverse=True)
    _, p = np.unique(predicted, return_inverse=True)
    n_test, n_pred = t.max() + 1, p.max() + 1
    cells = np.bincount(t * n_pred + p, minlength=n_test * n_pred).astype(np.float64)
    cell_pairs = np.bincount(
        np.arange(len(cells)) // n_pred, weights=cells * (cells - 1) / 2
    )
    sizes = np.bincount(t).astype(np.float64)
    pairs = sizes * (sizes - 1) / 2
    keep = pairs > 0
    if not keep.any():
        return 0.0
    return float(np.min(cell_pairs[keep] / pairs[keep]))


def prediction_strength(
    X,
    clusterer_name,
    k_range,
    random_state,
    n_repeats: int = 5,
    threshold: float = 0.8,
) -> int:
    """Largest k whose mean prediction strength is at least 0.8 (Tibshirani & Walther
    2005).

    Each repeat splits the data at random into halves. Both are clustered; each test
    point is given the cluster of the training rule (nearest training centroid for
    k-means, the label of the nearest training point otherwise), and PS(k) is the
    smallest share, over test clusters, of within-cluster test pairs that the rule
    puts together. PS(1) = 1, so the answer can be 1. The paper suggests a threshold
    of 0.8 to 0.9.
    """
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(random_state)
    ks = sorted(k_range)
    strength = np.zeros((n_repeats, len(ks)))
    for r in range(n_repeats):
        order = rng.permutation(len(X))
        train, test = X[order[: len(X) // 2]], X[order[len(X) // 2 :]]
        seed = int(rng.integers(2**31 - 1))
        for j, k in enumerate(ks):
            if k == 1:
                strength[r, j] = 1.0
                continue
            train_labels = _labels(train, clusterer_name, k, seed)
            test_labels = _labels(test, clusterer_name, k, seed)
            if clusterer_name.startswith("kmeans"):
                _, codes = np.unique(train_labels, return_inverse=True)
                counts = np.bincount(codes)
                centroids = np.zeros((len(counts), X.shape[1]))
                np.add.at(centroids, codes, train)
                centroids /= counts[:, None]
                # argmin ||x - c||^2 = argmin (||c||^2 - 2 x.c): no n x n matrix.
                dist = (centroids**2).sum(axis=1) - 2 * test @ centroids.T
                predicted = dist.argmin(axis=1)
            else:
                knn = KNeighborsClassifier(n_neighbors=1).fit(train, train_labels)
                predicted = knn.predict(test)
            strength[r, j] = _co_assignment(test_labels, predicted)
    mean_strength = strength.mean(axis=0)
    passing = [k for k, ps in zip(ks, mean_strength, strict=True) if ps >= threshold]
    return max(passing) if passing else min(ks)


def _total_leakage(
    y_test: NDArray, proba: NDArray[np.float64], threshold: float = 0.05
) -> float:
    """Share of test points with probability >= threshold on some other cluster."""
    others = proba.copy()
    others[np.arange(len(y_test)), y_test] = -np.inf
    return float(np.mean(others.max(axis=1) >= threshold))


def leakyblobs(X, clusterer_name, k_range, random_state) -> int:
    """k >= 2 with the smallest total leakage, re-implemented from leakyblobs' docs.

    The clusterer's labels are split 80/20 (stratified when every cluster has two
    points). RBFSampler(100 components) -> LogisticRegression, C picked from
    logspace(-4, 0, 5) by 5-fold accuracy, predicts probabilities on the 20%; a test
    point leaks when its largest probability on another cluster is >= 0.05.
    """
    X = np.asarray(X, dtype=np.float64)
    best_k, best = None, np.inf
    for k in (k for k in k_range if k >= 2):
        labels = _labels(X, clusterer_name, k, random_state)
        _, y = np.unique(labels, return_inverse=True)
        n_labels = int(y.max()) + 1
        if n_labels < 2:
            continue
        stratify = y if np.bincount(y).min() >= 2 else None
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.2, stratify=stratify, random_state=random_state
        )
        model = make_pipeline(
            RBFSampler(n_components=100, random_state=random_state),
            LogisticRegression(max_iter=1000),
        )
        search = GridSearchCV(
            model,
            {"logisticregression__C": np.logspace(-4, 0, 5)},
            cv=5,
            scoring="accuracy",
        )
        with warnings.catch_warnings():
            # Tiny clusters trigger "least populated class" warnings in 5-fold CV.
            warnings.simplefilter("ignore")
            search.fit(X_train, y_train)
        # A cluster missing from the training part has no column: probability 0.
        proba = np.zeros((len(y_test), n_labels))
        proba[:, search.classes_] = search.predict_proba(X_test)
        leakage = _total_leakage(y_test, proba)
        if leakage < best:
            best_k, best = k, leakage
    return best_k


BASELINES: dict[str, Method] = {
    "silhouette": silhouette,
    "calinski_harabasz": calinski_harabasz,
    "davies_bouldin": davies_bouldin,
    "gap": gap_statistic,
    "gmm_bic": gmm_bic,
    "prediction_strength": prediction_strength,
    "leakyblobs": leakyblobs,
}


def baseline_rows(
    case: dict, names, X, clusterer_name: str, k_range, random_state
) -> list[dict]:
    """One result row per baseline of ``names``: ``case``, the method, its k.

    The rows of the small benchmarks that run a few baselines beside the
    package's rule, on the same data, clusterer, candidates and seed.
    """
    return [
        {
            **case,
            "method": name,
            "chosen_k": int(BASELINES[name](X, clusterer_name, k_range, random_state)),
        }
        for name in names
    ]
