"""Boundary leakage: the nearest-neighbour measure of how dense a boundary is."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

from sklearn_leakage._boundary import (
    N_NEIGHBORS,
    boundary_leakage,
    neighbors_for,
    pairwise_neighbor_leakage,
)


def _kmeans_codes(X, k):
    return KMeans(k, n_init=5, random_state=0).fit_predict(X).astype(np.intp)


def test_a_gap_between_clusters_leaks_nothing():
    X, y = make_blobs(400, centers=[[-10, 0], [10, 0]], random_state=0)
    assert boundary_leakage(X, y.astype(np.intp)) == 0.0


def test_a_cut_through_a_gaussian_is_denser_than_through_uniform_data():
    # The reason for the measure: k-means cuts one Gaussian blob through its
    # dense middle, and a uniform square where the density is average.
    rng = np.random.default_rng(0)
    gaussian = rng.normal(size=(2000, 2))
    uniform = rng.uniform(-1, 1, size=(2000, 2))
    cut_gaussian = boundary_leakage(gaussian, _kmeans_codes(gaussian, 2))
    cut_uniform = boundary_leakage(uniform, _kmeans_codes(uniform, 2))
    assert cut_gaussian == pytest.approx(0.0201, abs=0.003)
    assert cut_uniform == pytest.approx(0.0155, abs=0.003)
    assert cut_gaussian > 1.2 * cut_uniform


def test_splitting_a_real_cluster_shows_up_as_the_densest_boundary():
    X, _ = make_blobs(900, centers=[[-8, 0], [0, 8], [8, 0]], random_state=1)
    assert boundary_leakage(X, _kmeans_codes(X, 3)) < 0.001
    assert boundary_leakage(X, _kmeans_codes(X, 4)) > 0.03


def test_pairs_count_neighbours_across_each_boundary():
    # Three points in a row, two clusters: with one neighbour each, the middle
    # point's neighbour is ambiguous, the outer two look at the middle one.
    X = np.array([[0.0], [1.0], [3.0], [10.0], [11.0]])
    codes = np.array([0, 0, 1, 1, 1], dtype=np.intp)
    pairs = pairwise_neighbor_leakage(X, codes, n_neighbors=1)
    # Point 2 (x=3) has neighbour x=1 in cluster 0: one neighbour across,
    # out of 5 points with 1 neighbour each.
    assert pairs[0, 1] == pytest.approx(1 / 5)
    assert pairs[1, 0] == pairs[0, 1]
    assert np.all(np.diag(pairs) == 0)


def test_neighbourhoods_stay_smaller_than_the_smallest_cluster():
    assert neighbors_for(np.array([50, 40, 30])) == N_NEIGHBORS
    assert neighbors_for(np.array([50, 7, 0])) == 6
    assert neighbors_for(np.array([1, 50])) == 1
    assert neighbors_for(np.array([], dtype=int)) == N_NEIGHBORS
    # Two 7-point clusters far apart: with 6 neighbours nothing crosses the
    # gap; with 10, every point must look across it.
    X = np.vstack([np.arange(7.0), np.arange(7.0) + 100.0]).reshape(-1, 1)
    codes = np.repeat([0, 1], 7).astype(np.intp)
    assert boundary_leakage(X, codes, neighbors_for(np.bincount(codes))) == 0.0
    assert boundary_leakage(X, codes, 10) > 0.3


def test_noise_points_are_left_out():
    X, y = make_blobs(300, centers=[[-10, 0], [10, 0]], random_state=0)
    codes = y.astype(np.intp)
    noisy = np.vstack([X, np.zeros((20, 2))])
    noisy_codes = np.concatenate([codes, np.full(20, -1, dtype=np.intp)])
    assert boundary_leakage(noisy, noisy_codes) == boundary_leakage(X, codes)


def test_fewer_than_two_clusters_is_zero():
    X = np.random.default_rng(0).normal(size=(50, 3))
    assert boundary_leakage(X, np.zeros(50, dtype=np.intp)) == 0.0
    assert boundary_leakage(X, np.full(50, -1, dtype=np.intp)) == 0.0


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_clusters=st.integers(2, 5),
    scale=st.floats(1e-3, 1e3),
)
def test_properties(seed, n_clusters, scale):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(60, 3))
    codes = rng.integers(0, n_clusters, size=60).astype(np.intp)
    codes[:n_clusters] = np.arange(n_clusters)  # every cluster present
    pairs = pairwise_neighbor_leakage(X, codes)
    assert pairs.shape == (n_clusters, n_clusters)
    assert np.all((pairs >= 0) & (pairs <= 1))
    np.testing.assert_allclose(pairs, pairs.T)
    # Scaling the data keeps every neighbourhood: the measure is scale-free.
    np.testing.assert_allclose(pairwise_neighbor_leakage(X * scale, codes), pairs)
    # Renaming the clusters permutes the matrix.
    perm = rng.permutation(n_clusters)
    renamed = pairwise_neighbor_leakage(X, perm[codes].astype(np.intp))
    np.testing.assert_allclose(renamed[np.ix_(perm, perm)], pairs)
