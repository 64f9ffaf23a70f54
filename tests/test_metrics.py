"""Tests of the pure leakage metrics: hand-worked cases and properties."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier

from sklearn_leakage import (
    LeakageReport,
    cross_val_proba,
    expected_leakage,
    expected_leakage_matrix,
    leakage_matrix,
    leakage_score,
    leakage_test_grid,
    total_leakage,
    total_leakage_interval,
)
from sklearn_leakage.exceptions import FoldError, SmallClusterWarning

# Six points, three clusters. Columns are clusters (a, b, c).
LABELS = np.array(["a", "a", "b", "b", "c", "c"])
PROBA = np.array(
    [
        [0.90, 0.10, 0.00],  # a: leaks into b (0.10 >= 0.05)
        [1.00, 0.00, 0.00],  # a: solid
        [0.04, 0.96, 0.00],  # b: 0.04 < 0.05, solid at the default threshold
        [0.30, 0.50, 0.20],  # b: leaks into a and into c
        [0.00, 0.00, 1.00],  # c: solid
        [0.00, 0.20, 0.80],  # c: leaks into b
    ]
)


def test_leakage_matrix_hand_worked():
    # Row a: 1 of 2 points has p_b >= 0.05 -> 0.5; own column: both >= 0.05 -> 1.
    # Row b: p_a >= 0.05 for 1 of 2 (0.30); p_c for 1 of 2 (0.20); own 2 of 2.
    # Row c: p_b >= 0.05 for 1 of 2 (0.20); own 2 of 2.
    expected = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]])
    np.testing.assert_allclose(leakage_matrix(LABELS, PROBA), expected)
    counts = leakage_matrix(LABELS, PROBA, normalize=False)
    np.testing.assert_allclose(counts, expected * 2)


def test_total_leakage_hand_worked():
    # Points leaking anywhere at 0.05: rows 0, 3, 5 -> 3 of 6.
    assert total_leakage(LABELS, PROBA) == pytest.approx(0.5)
    # At 0.03 row 2 (0.04 on a) also leaks -> 4 of 6.
    assert total_leakage(LABELS, PROBA, detection_threshold=0.03) == pytest.approx(
        4 / 6
    )
    # Per cluster at 0.05: a 1/2, b 1/2, c 1/2.
    np.testing.assert_allclose(
        total_leakage(LABELS, PROBA, average=None), [0.5, 0.5, 0.5]
    )


def test_expected_leakage_hand_worked():
    # 1 - p_own: 0.10, 0, 0.04, 0.50, 0, 0.20 -> sum 0.84, mean 0.14.
    assert expected_leakage(LABELS, PROBA) == pytest.approx(0.14)
    # per cluster: a 0.05, b 0.27, c 0.10; macro = 0.42 / 3 = 0.14.
    np.testing.assert_allclose(
        expected_leakage(LABELS, PROBA, average=None), [0.05, 0.27, 0.10]
    )
    assert expected_leakage(LABELS, PROBA, average="macro") == pytest.approx(0.14)


def test_expected_leakage_matrix_rows_sum_to_one():
    matrix = expected_leakage_matrix(LABELS, PROBA)
    # Row b: mean of (0.04, 0.30) = 0.17 on a, (0.96, 0.50) = 0.73, (0, 0.2) = 0.1.
    np.testing.assert_allclose(matrix[1], [0.17, 0.73, 0.10])
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0)


def test_label_invariance():
    # Relabelling clusters as 2*id + 10 (and reordering columns to match) changes
    # nothing, as for sklearn's clustering metrics.
    codes = np.array([0, 0, 1, 1, 2, 2])
    relabelled = codes * 2 + 10
    assert total_leakage(relabelled, PROBA) == total_leakage(LABELS, PROBA)
    np.testing.assert_allclose(
        leakage_matrix(relabelled, PROBA), leakage_matrix(LABELS, PROBA)
    )


def test_classes_order_follows_proba_columns():
    # Columns given in the order (c, a, b): the matrix follows that order.
    proba = PROBA[:, [2, 0, 1]]
    matrix = leakage_matrix(LABELS, proba, classes=["c", "a", "b"])
    expected = leakage_matrix(LABELS, PROBA)[np.ix_([2, 0, 1], [2, 0, 1])]
    np.testing.assert_allclose(matrix, expected)


def test_empty_cluster_in_classes_gives_zero_row():
    proba = np.hstack([PROBA, np.zeros((6, 1))])
    matrix = leakage_matrix(LABELS, proba, classes=["a", "b", "c", "d"])
    np.testing.assert_array_equal(matrix[3], 0)


def test_input_is_not_modified():
    proba = PROBA.copy()
    labels = LABELS.copy()
    total_leakage(labels, proba)
    leakage_matrix(labels, proba)
    np.testing.assert_array_equal(proba, PROBA)
    np.testing.assert_array_equal(labels, LABELS)


@pytest.mark.parametrize(
    "labels, proba, kwargs, match",
    [
        (LABELS, PROBA[:, :2], {}, "proba has 2 columns but labels hold 3 distinct"),
        # A cluster of proba's columns that no label names: the classes were
        # taken from labels, not given, and the message says so.
        (["a"] * 6, PROBA, {}, r"labels hold 1 distinct value \('a'\), the only class"),
        (LABELS, PROBA, {"classes": ["a", "b"]}, "3 columns but 2 classes were given"),
        (LABELS[:5], PROBA, {}, "proba has 6 rows but labels has 5"),
        (LABELS, PROBA * 2, {}, r"proba must lie in \[0, 1\]"),
        (LABELS, PROBA * 0.9, {}, "must sum to 1, but row 0 sums to 0.9"),
        (LABELS, PROBA, {"classes": ["a", "b", "x"]}, r"labels contain \['c'\]"),
        (LABELS, PROBA, {"classes": ["a", "a", "b"]}, "classes contains duplicates"),
        (LABELS, PROBA[:, 0], {}, "proba must be 2-dimensional"),
        (LABELS[:0], PROBA[:0], {}, "labels is empty"),
        (LABELS, np.where(PROBA > 0.5, np.nan, PROBA), {}, "NaN or infinity"),
    ],
)
def test_bad_input_raises(labels, proba, kwargs, match):
    with pytest.raises(ValueError, match=match):
        total_leakage(labels, proba, **kwargs)


def test_noise_label_hint():
    with pytest.raises(ValueError, match="Drop noise points"):
        total_leakage([-1, 0, 1], np.eye(3)[:, :2][[0, 0, 1]], classes=[0, 1])


def test_noise_rows_without_a_column_name_the_fix(blobs4):
    # cross_val_proba leaves noise out of its columns; the metrics say how to
    # leave its rows out too, and then agree with the rows without noise.
    X, y = blobs4
    y = y.copy()
    y[:20] = -1
    proba = cross_val_proba(X, y, random_state=0)
    assert proba.shape[1] == 4
    with pytest.raises(ValueError, match=r"labels contain -1 \(noise\)"):
        total_leakage(y, proba)
    keep = y != -1
    assert total_leakage(y[keep], proba[keep]) < 0.05


@pytest.mark.parametrize(
    "labels",
    [
        np.array([0.0, np.nan, 1.0, 1.0, 0.0, 1.0]),
        np.array(["a", None, "b", "b", "a", "b"], dtype=object),
        pd.array([0, pd.NA, 1, 1, 0, 1], dtype="Int64"),
    ],
)
def test_missing_labels_are_refused(labels):
    proba = np.full((6, 2), 0.5)
    with pytest.raises(ValueError, match="1 missing values"):
        total_leakage(labels, proba)


def test_labels_that_are_not_whole_numbers_warn(blobs4):
    # As scikit-learn's clustering metrics warn: a continuous column passed
    # as labels makes every distinct value a cluster, silently.
    labels = np.array([0, 0, 1, 1]) + 0.5
    proba = np.array([[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]])
    with pytest.warns(
        UserWarning, match=r"not whole numbers \(e.g. 0.5\).* 2 distinct"
    ):
        assert total_leakage(labels, proba) == pytest.approx(0.5)
    X, y = blobs4
    with pytest.warns(UserWarning, match="not whole numbers"):
        leakage_score(X, y + 0.5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        total_leakage(labels - 0.5, proba)  # whole floats are ids


def test_labels_of_mixed_types_are_refused():
    labels = np.array([0, "a", 0, "a"], dtype=object)
    with pytest.raises(ValueError, match=r"labels mix types \(int, str\)"):
        total_leakage(labels, np.full((4, 2), 0.5))


def test_text_columns_and_missing_labels_in_cross_val_proba(blobs4):
    X, y = blobs4
    frame = pd.DataFrame(X, columns=["x", "y"]).assign(region="east")
    with pytest.raises(ValueError, match="not numbers: 'region'"):
        cross_val_proba(frame, y)
    with pytest.raises(ValueError, match="1 missing values"):
        leakage_score(X, np.where(np.arange(y.shape[0]) == 0, np.nan, y))


@pytest.mark.parametrize("score", [cross_val_proba, leakage_score])
def test_labels_that_are_all_noise_are_refused_with_the_fix(blobs4, score):
    # cross_val_proba returned an array of shape (600, 0) here.
    X, _ = blobs4
    with pytest.raises(ValueError, match=r"Every label is -1.*noise='cluster'"):
        score(X, np.full(X.shape[0], -1))
    proba = cross_val_proba(X, np.full(X.shape[0], -1), noise="cluster")
    assert proba.shape == (X.shape[0], 1)


def test_probabilities_rounded_just_outside_the_unit_interval_are_clipped():
    # Within the rounding tolerance, -0.0009 was kept and made a leakage of
    # -0.0009, outside the documented [0, 1].
    proba = np.array([[1.0009, -0.0009], [0.5, 0.5]])
    assert expected_leakage([0, 1], proba) == pytest.approx(0.25)
    matrix = expected_leakage_matrix([0, 1], proba)
    np.testing.assert_allclose(matrix, [[1.0, 0.0], [0.5, 0.5]])
    assert proba[0, 1] == -0.0009  # the input is not modified


@pytest.mark.parametrize("threshold", [0, 1, -0.1, 1.5])
def test_threshold_outside_open_interval(threshold):
    with pytest.raises(ValueError, match="detection_threshold"):
        leakage_matrix(LABELS, PROBA, detection_threshold=threshold)


# Property-based tests: random labellings with random probability rows.


@st.composite
def labelled_proba(draw, max_clusters=6, max_samples=40):
    n_clusters = draw(st.integers(2, max_clusters))
    n_samples = draw(st.integers(1, max_samples))
    labels = draw(arrays(np.int64, n_samples, elements=st.integers(0, n_clusters - 1)))
    weights = draw(
        arrays(
            np.float64,
            (n_samples, n_clusters),
            elements=st.floats(0, 1, allow_nan=False, allow_infinity=False),
        )
    )
    weights = weights + 1e-3  # avoid all-zero rows
    proba = weights / weights.sum(axis=1, keepdims=True)
    return labels, proba, np.arange(n_clusters)


@settings(deadline=None, max_examples=60)
@given(labelled_proba(), st.floats(0.01, 0.99))
def test_leakage_metrics_match_a_row_by_row_count(data, threshold):
    # The definitions, one point at a time: a point leaks into another cluster
    # when its probability there reaches the threshold; its expected leakage is
    # 1 minus its probability on its own cluster.
    labels, proba, classes = data
    leaks = [
        any(proba[i, j] >= threshold for j in classes if j != labels[i])
        for i in range(labels.shape[0])
    ]
    own = [proba[i, labels[i]] for i in range(labels.shape[0])]
    assert total_leakage(
        labels, proba, classes=classes, detection_threshold=threshold
    ) == pytest.approx(np.mean(leaks))
    assert expected_leakage(labels, proba, classes=classes) == pytest.approx(
        1.0 - np.mean(own)
    )
    matrix = leakage_matrix(
        labels, proba, classes=classes, detection_threshold=threshold
    )
    for a in np.unique(labels):
        members = np.flatnonzero(labels == a)
        for b in classes:
            share = np.mean([proba[i, b] >= threshold for i in members])
            assert matrix[a, b] == pytest.approx(share)


@settings(deadline=None, max_examples=60)
@given(labelled_proba(), st.floats(0.01, 0.49), st.floats(0.0, 0.5))
def test_total_leakage_does_not_rise_with_threshold(data, low, step):
    labels, proba, classes = data
    high = min(low + step, 0.99)
    assert total_leakage(
        labels, proba, classes=classes, detection_threshold=high
    ) <= total_leakage(labels, proba, classes=classes, detection_threshold=low)


@settings(deadline=None, max_examples=60)
@given(labelled_proba(), st.randoms(use_true_random=False))
def test_permuting_cluster_ids_permutes_matrix(data, random):
    labels, proba, classes = data
    perm = np.array(random.sample(range(classes.shape[0]), classes.shape[0]))
    # Cluster i becomes perm[i]; column perm[i] of the new proba is column i.
    new_labels = perm[labels]
    new_proba = np.empty_like(proba)
    new_proba[:, perm] = proba
    before = leakage_matrix(labels, proba, classes=classes)
    after = leakage_matrix(new_labels, new_proba, classes=classes)
    np.testing.assert_allclose(after[np.ix_(perm, perm)], before)


@settings(deadline=None, max_examples=40)
@given(labelled_proba(), st.floats(0.01, 0.99))
def test_one_hot_proba_gives_zero_leakage(data, threshold):
    labels, _, classes = data
    proba = np.eye(classes.shape[0])[labels]
    assert total_leakage(
        labels, proba, classes=classes, detection_threshold=threshold
    ) == pytest.approx(0.0)
    assert expected_leakage(labels, proba, classes=classes) == pytest.approx(0.0)


@settings(deadline=None, max_examples=40)
@given(labelled_proba())
def test_uniform_proba_gives_maximum_leakage(data):
    labels, _, classes = data
    n_clusters = classes.shape[0]
    proba = np.full((labels.shape[0], n_clusters), 1 / n_clusters)
    # Every point leaks at any threshold up to 1/k, and loses 1 - 1/k of its mass.
    assert total_leakage(labels, proba, classes=classes) == pytest.approx(1.0)
    assert expected_leakage(labels, proba, classes=classes) == pytest.approx(
        1 - 1 / n_clusters
    )


def test_grid_values_and_missing_features_are_named():
    labels, proba = [0, 1, 0, 1], np.eye(2)[[0, 1, 0, 1]]
    with pytest.raises(ValueError, match=r"must lie in \(0, 1\), got \[nan\]"):
        leakage_test_grid(labels, proba, detection_thresholds=[np.nan])
    with pytest.raises(ValueError, match="must hold shares, not text"):
        leakage_test_grid(labels, proba, detection_thresholds=["a"])
    X = np.array([[np.nan, 1.0]] + [[0.0, 1.0]] * 9)
    with pytest.raises(ValueError, match="impute them with a SimpleImputer"):
        cross_val_proba(X, [0, 1] * 5)


def test_a_random_probe_gives_the_same_numbers_with_the_same_seed():
    # A random forest left unseeded is seeded from random_state, as
    # LeakageScore seeds its probe; the forest passed is not modified.
    X, y = load_iris(return_X_y=True)
    forest = RandomForestClassifier(n_estimators=10)
    first = cross_val_proba(X, y, classifier=forest, random_state=0)
    second = cross_val_proba(X, y, classifier=forest, random_state=0)
    np.testing.assert_array_equal(first, second)
    assert forest.random_state is None
    other = cross_val_proba(X, y, classifier=forest, random_state=1)
    assert not np.array_equal(first, other)
    assert leakage_score(X, y, classifier=forest, random_state=0) == leakage_score(
        X, y, classifier=forest, random_state=0
    )


def test_leakage_score_on_a_sample_of_the_rows():
    # As silhouette_score's sample_size: the score of a stratified subsample,
    # close to the whole data's on data whose leakage is spread evenly.
    from sklearn.datasets import make_blobs

    X, y = make_blobs(n_samples=20_000, centers=4, cluster_std=2.5, random_state=0)
    whole = leakage_score(X, y, random_state=0)
    sampled = [leakage_score(X, y, sample_size=2_000, random_state=s) for s in (0, 1)]
    assert sampled[0] != sampled[1]  # the seed draws the sample
    assert max(abs(value - whole) for value in sampled) < 0.01
    assert leakage_score(X, y, sample_size=2_000, random_state=0) == sampled[0]
    # A sample as large as the data is the data, with the same folds.
    assert leakage_score(X[:500], y[:500], sample_size=500, random_state=0) == (
        leakage_score(X[:500], y[:500], random_state=0)
    )
    # Every cluster keeps a row, even one far smaller than the sample's share.
    labels = np.r_[np.zeros(19_990, dtype=int), np.ones(10, dtype=int)]
    with pytest.warns(SmallClusterWarning, match="cannot be spread over all"):
        assert 0 < leakage_score(X, labels, sample_size=100, random_state=0) <= 1
    with pytest.raises(ValueError, match="'sample_size' parameter"):
        leakage_score(X, y, sample_size=1)
    with pytest.raises(ValueError, match="pass sample_size=8 or more"):
        leakage_score(X, y, sample_size=4)  # 4 clusters need 2 rows each


@pytest.mark.parametrize("folds", ["list", "predefined"])
def test_leakage_score_refuses_folds_of_the_whole_x_on_a_sample(folds):
    from sklearn.datasets import make_blobs
    from sklearn.model_selection import KFold, PredefinedSplit

    X, y = make_blobs(n_samples=600, centers=6, random_state=0)
    cv = (
        list(KFold(3).split(X))
        if folds == "list"
        else PredefinedSplit(np.arange(600) % 3)
    )
    # Without sample_size they index X as they should.
    assert 0 < leakage_score(X, y, cv=cv, random_state=0) <= 1
    # A FoldError, as every refusal of folds (it is a ValueError).
    with pytest.raises(FoldError, match="sample_size scores a subsample"):
        leakage_score(X, y, cv=cv, sample_size=200, random_state=0)
    # A splitter draws its folds on the subsample.
    assert 0 < leakage_score(X, y, cv=KFold(3), sample_size=200, random_state=0) <= 1


def test_leakage_score_needs_two_clusters_as_silhouette_score_does():
    # One cluster would score 1 by definition; silhouette_score refuses it too.
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="hold 1 cluster; leakage_score needs 2"):
        leakage_score(X, np.zeros(150, dtype=int))
    # One cluster beside noise: the message says how noise counts.
    with pytest.raises(ValueError, match="noise='cluster'"):
        leakage_score(X, np.where(y == 0, -1, 0))
    assert 0 < leakage_score(X, np.where(y == 0, -1, 0), noise="cluster") <= 1
    # Clusters of one row each cannot be split into folds (this was
    # scikit-learn's message about n_splits=2, a number the user never gave).
    with pytest.raises(ValueError, match="a single row"):
        leakage_score(X, np.arange(150))
    # The same folds, reached from the two other functions of labels, gave
    # that message too.
    with pytest.raises(ValueError, match="Every one of the 2 clusters has a single"):
        cross_val_proba(X[:2], [0, 1])
    with pytest.raises(ValueError, match="Every one of the 2 clusters has a single"):
        total_leakage_interval(X[:2], [0, 1], n_resamples=5, random_state=0)


# ------------------------------------------------ probabilities in a data frame
FRAME_LABELS = ["a", "a", "b", "b", "c", "c"]
FRAME_PROBA = pd.DataFrame(
    [[0.9, 0.1, 0], [1, 0, 0], [0, 1, 0], [0, 0.9, 0.1], [0, 0, 1], [0, 0, 1]],
    columns=["a", "b", "c"],
)


@pytest.mark.parametrize(
    "metric", [total_leakage, expected_leakage, leakage_matrix, expected_leakage_matrix]
)
def test_frame_columns_named_in_another_order_are_refused(metric):
    # Read by position, the reordered frame put each point's probability on
    # another cluster: total leakage 1.0 instead of 1/3, without a word.
    reordered = FRAME_PROBA[["c", "a", "b"]]
    with pytest.raises(ValueError, match=r"Pass classes=\['c', 'a', 'b'\]"):
        metric(FRAME_LABELS, reordered)
    with pytest.raises(ValueError, match="in the order of classes"):
        metric(FRAME_LABELS, reordered, classes=["a", "b", "c"])
    np.testing.assert_allclose(
        metric(FRAME_LABELS, reordered, classes=list(reordered.columns)),
        metric(FRAME_LABELS, FRAME_PROBA)
        if metric in (total_leakage, expected_leakage)
        else np.asarray(metric(FRAME_LABELS, FRAME_PROBA))[[2, 0, 1]][:, [2, 0, 1]],
    )


def test_frame_columns_in_order_or_not_named_by_clusters_are_read():
    assert total_leakage(FRAME_LABELS, FRAME_PROBA) == pytest.approx(1 / 3)
    unnamed = pd.DataFrame(FRAME_PROBA.to_numpy())  # columns 0, 1, 2
    assert total_leakage(FRAME_LABELS, unnamed) == pytest.approx(1 / 3)
    prefixed = FRAME_PROBA.add_prefix("p_")[["p_c", "p_a", "p_b"]]
    # Names that are not the clusters say nothing about the order: by position.
    assert total_leakage(FRAME_LABELS, prefixed) == 1.0
    codes = pd.DataFrame(FRAME_PROBA.to_numpy()[:, [2, 0, 1]], columns=[2, 0, 1])
    with pytest.raises(ValueError, match=r"order \[2, 0, 1\]"):
        total_leakage([0, 0, 1, 1, 2, 2], codes)
    # Read back from CSV, integer clusters are named "2", "0", "1".
    text = codes.rename(columns=str)
    with pytest.raises(
        ValueError, match=r"order \['2', '0', '1'\].*classes=\[2, 0, 1\]"
    ):
        total_leakage([0, 0, 1, 1, 2, 2], text)
    # The advice works: the labels' own values in the columns' order.
    assert total_leakage([0, 0, 1, 1, 2, 2], text, classes=[2, 0, 1]) == (
        pytest.approx(1 / 3)
    )
    in_order = pd.DataFrame(FRAME_PROBA.to_numpy(), columns=["0", "1", "2"])
    assert total_leakage([0, 0, 1, 1, 2, 2], in_order) == pytest.approx(1 / 3)


def test_rows_named_in_another_order_are_refused():
    # Read by position, the shuffled frame paired each point with another's
    # probabilities: on iris total leakage 0.73 instead of 0.10, without a word.
    X, y = load_iris(return_X_y=True)
    names = [f"flower{i}" for i in range(150)]
    labels = pd.Series(np.array(["setosa", "versicolor", "virginica"])[y], index=names)
    proba = pd.DataFrame(
        cross_val_proba(X, labels, random_state=0),
        index=names,
        columns=["setosa", "versicolor", "virginica"],
    )
    assert total_leakage(labels, proba) == pytest.approx(0.1)
    shuffled = proba.sample(frac=1, random_state=0)
    for metric in (total_leakage, expected_leakage, leakage_matrix):
        with pytest.raises(ValueError, match=r"pass proba\.loc\[labels\.index\]"):
            metric(labels, shuffled)
    with pytest.raises(ValueError, match="same rows in different orders"):
        LeakageReport.from_predictions(labels, shuffled)
    # The advice works; rows named otherwise (a frame built from an array) are
    # read by position, as before.
    assert total_leakage(labels, shuffled.loc[labels.index]) == pytest.approx(0.1)
    assert total_leakage(labels, proba.reset_index(drop=True)) == pytest.approx(0.1)


def test_a_frame_indexed_by_position_pairs_with_shuffled_labels():
    # Labels of shuffled rows keep their old names (a reordering of 0..149);
    # probabilities in a frame built from an array are indexed 0, 1, ... by
    # position. The two were refused as "the same rows in another order", and
    # the advice, proba.loc[labels.index], paired them wrongly (0.73).
    frame = load_iris(as_frame=True).frame.sample(frac=1, random_state=0)
    X, labels = frame.drop(columns="target"), frame["target"]
    proba = pd.DataFrame(cross_val_proba(X, labels, random_state=0))
    expected = total_leakage(labels.to_numpy(), proba.to_numpy())
    assert total_leakage(labels, proba) == expected
    assert LeakageReport.from_predictions(labels, proba).totals[
        "total_leakage"
    ].item() == pytest.approx(expected)


@pytest.mark.parametrize(
    "metric, per_cluster",
    [(total_leakage, [0.5, 0.5]), (expected_leakage, [0.05, 0.1])],
)
def test_a_listed_cluster_without_points_is_zero_and_left_out_of_macro(
    metric, per_cluster
):
    labels = [0, 0, 1, 1]
    proba = [[0.9, 0.05, 0.05], [1.0, 0.0, 0.0], [0.2, 0.8, 0.0], [0.0, 1.0, 0.0]]
    np.testing.assert_allclose(
        metric(labels, proba, classes=[0, 1, 2], average=None), [*per_cluster, 0.0]
    )
    # The macro average is over the two clusters with points, not three.
    assert metric(labels, proba, classes=[0, 1, 2], average="macro") == (
        pytest.approx(np.mean(per_cluster))
    )
