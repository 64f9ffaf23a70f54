"""The probe's isotropic scaling keeps the geometry the clusterer partitioned."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import pairwise_distances
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_leakage import select_n_clusters
from sklearn_leakage._scaling import IsotropicScaler


def test_distances_keep_their_ratios():
    X = np.random.default_rng(0).normal(size=(50, 4)) * [1.0, 10.0, 0.1, 3.0]
    Z = IsotropicScaler().fit_transform(X)
    before, after = pairwise_distances(X), pairwise_distances(Z)
    scale = np.sqrt(X.var(axis=0).mean())
    np.testing.assert_allclose(after * scale, before, atol=1e-10)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    assert Z.var(axis=0).mean() == pytest.approx(1.0)


def test_sparse_input_is_scaled_without_centering():
    X = sp.random(40, 6, density=0.3, format="csr", random_state=0)
    Z = IsotropicScaler(with_mean=False).fit_transform(X)
    assert sp.issparse(Z)
    np.testing.assert_allclose(
        Z.toarray() * IsotropicScaler(with_mean=False).fit(X).scale_, X.toarray()
    )
    with pytest.raises(ValueError, match="with_mean=False"):
        IsotropicScaler().fit(X)


def test_constant_data_and_float32():
    assert IsotropicScaler().fit(np.ones((5, 3))).scale_ == 1.0
    X = np.random.default_rng(0).normal(size=(20, 3)).astype(np.float32)
    assert IsotropicScaler().fit_transform(X).dtype == np.float32


def test_features_the_clusterer_ignored_do_not_mislead_the_probe():
    # Four blobs, plus 50 features of tiny variance that k-means' distances
    # barely see. Standardized, those features would weigh as much as the two
    # that carry the clusters, and the probe would fit their noise.
    X, _ = make_blobs(400, centers=4, cluster_std=0.8, random_state=3)
    noisy = np.c_[X, 0.1 * np.random.default_rng(0).normal(size=(400, 50))]
    for clusterer in (KMeans(n_init=3, random_state=0), AgglomerativeClustering()):
        search = select_n_clusters(noisy, clusterer, range(1, 9), random_state=0)
        assert search.best_params_ == {"clusterer__n_clusters": 4}


def test_a_standardizing_probe_would_miss_the_four_blobs():
    # The same search with the probe standardized: the reason for the common
    # scale (doc/user_guide.rst, "choosing the probe").
    standardized = make_pipeline(
        StandardScaler(), LogisticRegression(C=100, max_iter=1000)
    )
    X, _ = make_blobs(400, centers=4, cluster_std=0.8, random_state=3)
    noisy = np.c_[X, 0.1 * np.random.default_rng(0).normal(size=(400, 50))]
    search = select_n_clusters(
        noisy,
        KMeans(n_init=3, random_state=0),
        range(1, 9),
        classifier=standardized,
        random_state=0,
    )
    assert search.best_params_ == {"clusterer__n_clusters": 2}
