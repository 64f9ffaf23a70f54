"""merge_leaky_clusters: greedy merging of clusters that leak into each other."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_leakage import merge_leaky_clusters
from sklearn_leakage._merge import symmetric_leakage

# Cluster 0 leaks into 1 (row 0: 0.3) and 1 into 0 (row 2: 0.4): L[0, 1] =
# L[1, 0] = 1/2. Row 4 of cluster 2 puts 0.03 on each of 0 and 1, below the 0.05
# threshold, so cluster 2 does not leak -- until 0 and 1 are merged and the
# summed column holds 0.03 + 0.03 = 0.06.
CHAIN_LABELS = np.array([0, 0, 1, 1, 2, 2])
CHAIN_PROBA = np.array(
    [
        [0.7, 0.3, 0.0],
        [1.0, 0.0, 0.0],
        [0.4, 0.6, 0.0],
        [0.0, 1.0, 0.0],
        [0.03, 0.03, 0.94],
        [0.0, 0.0, 1.0],
    ]
)


def probe_proba(X, labels):
    """Out-of-fold probabilities of the default probe (C=100 logistic regression)."""
    probe = make_pipeline(StandardScaler(), LogisticRegression(C=100, max_iter=1000))
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    return cross_val_predict(probe, X, labels, cv=cv, method="predict_proba")


def test_symmetric_leakage_takes_the_larger_direction():
    matrix = np.array([[1.0, 0.3, 0.0], [0.1, 1.0, 0.2], [0.0, 0.05, 1.0]])
    # max(0.3, 0.1) = 0.3, max(0.0, 0.0) = 0, max(0.2, 0.05) = 0.2; diagonal 0.
    np.testing.assert_allclose(
        symmetric_leakage(matrix),
        [[0.0, 0.3, 0.0], [0.3, 0.0, 0.2], [0.0, 0.2, 0.0]],
    )


def test_merge_recomputes_leakage_after_each_merge():
    # Level 0.4: 0 and 1 leak 1/2 > 0.4 and merge; then half of cluster 2 (row 4,
    # 0.06 on the merged cluster) leaks, 1/2 > 0.4, and everything merges into 0.
    merged = merge_leaky_clusters(CHAIN_LABELS, CHAIN_PROBA, leakage_level=0.4)
    np.testing.assert_array_equal(merged, [0, 0, 0, 0, 0, 0])


def test_merge_stops_at_the_level():
    # Level 0.5: the largest symmetric leakage is exactly 1/2, which does not
    # exceed the level, so nothing is merged.
    merged = merge_leaky_clusters(CHAIN_LABELS, CHAIN_PROBA, leakage_level=0.5)
    np.testing.assert_array_equal(merged, CHAIN_LABELS)


def test_merge_uses_the_detection_threshold():
    # At threshold 0.02, row 4's 0.03 on each of 0 and 1 already counts, and row
    # 5 has nothing: cluster 2 leaks 1/2 into both. The pairs (0, 1) and (0, 2)
    # tie at 1/2; the first, (0, 1), merges, then 2 leaks into it and merges too.
    merged = merge_leaky_clusters(
        CHAIN_LABELS, CHAIN_PROBA, detection_threshold=0.02, leakage_level=0.4
    )
    np.testing.assert_array_equal(merged, np.zeros(6))
    # At threshold 0.35 only row 2 (0.4 on cluster 0) leaks: L[1, 0] = 1/2, the
    # rest 0; at level 0.4 clusters 0 and 1 merge, cluster 2 stays.
    merged = merge_leaky_clusters(
        CHAIN_LABELS, CHAIN_PROBA, detection_threshold=0.35, leakage_level=0.4
    )
    np.testing.assert_array_equal(merged, [0, 0, 0, 0, 2, 2])


def test_merged_cluster_takes_the_smaller_id_and_keeps_the_dtype():
    # Same partition with ids 7 (was 0), 3 (was 1), 9 (was 2) as int32: at level
    # 0.5 with threshold 0.35 clusters 7 and 3 merge under id 3.
    labels = np.array([7, 7, 3, 3, 9, 9], dtype=np.int32)
    proba = CHAIN_PROBA[:, [1, 0, 2]]  # columns in the order of classes 3, 7, 9
    merged = merge_leaky_clusters(
        labels, proba, detection_threshold=0.35, leakage_level=0.4
    )
    np.testing.assert_array_equal(merged, [3, 3, 3, 3, 9, 9])
    assert merged.dtype == np.int32


def test_merge_with_string_labels_and_explicit_classes():
    labels = np.array(["b", "b", "a", "a", "c", "c"])
    # classes in the column order of CHAIN_PROBA: "b" is column 0, "a" column 1.
    merged = merge_leaky_clusters(
        labels,
        CHAIN_PROBA,
        classes=["b", "a", "c"],
        detection_threshold=0.35,
        leakage_level=0.4,
    )
    np.testing.assert_array_equal(merged, ["a", "a", "a", "a", "c", "c"])


def test_merge_does_not_modify_inputs():
    labels, proba = CHAIN_LABELS.copy(), CHAIN_PROBA.copy()
    merge_leaky_clusters(labels, proba, leakage_level=0.4)
    np.testing.assert_array_equal(labels, CHAIN_LABELS)
    np.testing.assert_array_equal(proba, CHAIN_PROBA)


def test_merge_invariant_to_relabelling():
    merged = merge_leaky_clusters(
        CHAIN_LABELS * 2 + 10, CHAIN_PROBA, detection_threshold=0.35, leakage_level=0.4
    )
    # [0, 0, 0, 0, 2, 2] * 2 + 10
    np.testing.assert_array_equal(merged, [10, 10, 10, 10, 14, 14])


@pytest.mark.parametrize("seed", [1, 3, 7])
def test_merge_recovers_three_blobs_from_six_kmeans_clusters(seed):
    X, y = make_blobs(n_samples=600, centers=3, cluster_std=1.0, random_state=seed)
    labels = KMeans(6, n_init=10, random_state=0).fit_predict(X)
    # Precondition: these seeds give well-separated blobs that KMeans(6) only
    # splits, never mixes (each of the 6 clusters lies inside one blob).
    for cluster in range(6):
        assert np.unique(y[labels == cluster]).shape[0] == 1
    merged = merge_leaky_clusters(labels, probe_proba(X, labels), leakage_level=0.1)
    assert np.unique(merged).shape[0] == 3
    assert adjusted_rand_score(y, merged) == 1.0


def test_merge_on_iris_joins_versicolor_and_virginica():
    X, y = load_iris(return_X_y=True)
    proba = probe_proba(X, y)
    # Virginica (2) leaks 20% into versicolor (1), versicolor 12% into
    # virginica; setosa (0) leaks 2% at most.
    merged = merge_leaky_clusters(y, proba, leakage_level=0.1)
    np.testing.assert_array_equal(merged, np.where(y == 0, 0, 1))
    # Above 20% nothing merges.
    np.testing.assert_array_equal(merge_leaky_clusters(y, proba, leakage_level=0.25), y)


def test_merge_rejects_bad_level():
    with pytest.raises(InvalidParameterError, match="'leakage_level' parameter"):
        merge_leaky_clusters(CHAIN_LABELS, CHAIN_PROBA, leakage_level=1.0)


def test_merge_rejects_noise_without_a_column():
    labels = np.array([0, 0, 1, 1, 2, -1])
    with pytest.raises(ValueError, match=r"labels contain \[-1\] which are not"):
        merge_leaky_clusters(labels, CHAIN_PROBA, classes=[0, 1, 2])
