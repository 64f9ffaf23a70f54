"""The bootstrap interval of the total leakage (``total_leakage_interval``)."""

import itertools

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.compose import make_column_transformer
from sklearn.datasets import load_iris, load_wine, make_blobs
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_leakage import (
    LeakageScore,
    cross_val_proba,
    total_leakage,
    total_leakage_interval,
    total_leakage_test,
)
from sklearn_leakage._interval import _row_folds


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


@pytest.fixture(scope="module")
def iris_result(iris):
    X, species = iris
    return total_leakage_interval(X, species, n_resamples=60, random_state=0)


@pytest.fixture(scope="module")
def overlapping():
    """Two unit Gaussian blobs 2.5 apart, labelled by the blob they came from."""
    return make_blobs(
        n_samples=300, centers=[[0, 0], [2.5, 0]], cluster_std=1.0, random_state=0
    )


# ------------------------------------------------------------- the numbers
def test_iris_statistic_is_the_share_cross_val_proba_gives(iris, iris_result):
    X, species = iris
    expected = total_leakage(species, cross_val_proba(X, species, random_state=0))
    assert expected == pytest.approx(0.1)  # 15 of 150 flowers leak
    assert iris_result.statistic == expected


def test_iris_interval_surrounds_the_share(iris_result):
    low, high = iris_result.ci
    assert 0.0 <= low < iris_result.statistic < high <= 1.0
    # Normal interval: symmetric about the share, 1.96 standard errors each way.
    assert iris_result.statistic - low == pytest.approx(high - iris_result.statistic)
    assert high - low == pytest.approx(2 * 1.959964 * iris_result.standard_error)
    # The resampled shares centre near the share: 60 samples put their mean
    # within about 0.004 of it; allow 3 standard errors of that mean and more.
    shares = iris_result.bootstrap_distribution
    assert shares.shape == (60,)
    assert abs(shares.mean() - iris_result.statistic) < 0.02
    # And the interval is a neighbourhood, not the whole range: the share of
    # 150 points moves by a few points in 100.
    assert 0.02 < iris_result.standard_error < 0.05


def test_iris_interval_is_as_wide_as_clopper_pearson(iris, iris_result):
    # For iris' species the share varies over resamples about as a binomial
    # count would (standard error 1.0 to 1.2 times the binomial one over
    # random_state 0 to 7 with 100 resamples), so the two intervals are of a
    # size: 0.103 wide for Clopper-Pearson (15 of 150), 0.10 to 0.11 here.
    X, species = iris
    exact = total_leakage_test(species, cross_val_proba(X, species, random_state=0)).ci
    ratio = (iris_result.ci.high - iris_result.ci.low) / (exact.high - exact.low)
    assert 0.8 < ratio < 1.5


def test_overlapping_labels_get_a_wider_interval_than_clopper_pearson(overlapping):
    # The case the exact interval gets wrong (benchmarks/interval_coverage.py):
    # given labels that overlap make the share vary several times more than
    # binomially. Here 57% leak; Clopper-Pearson is 0.115 wide, the bootstrap
    # interval 0.24.
    X, blob = overlapping
    result = total_leakage_interval(X, blob, n_resamples=60, random_state=0)
    exact = total_leakage_test(blob, cross_val_proba(X, blob, random_state=0)).ci
    assert result.statistic == pytest.approx(0.573, abs=0.001)
    assert result.ci.high - result.ci.low > 1.5 * (exact.high - exact.low)
    assert result.ci.low < result.statistic < result.ci.high


def test_separated_blobs_refitted_by_kmeans_leak_almost_nothing():
    X, _ = make_blobs(n_samples=300, centers=3, cluster_std=0.5, random_state=1)
    result = total_leakage_interval(
        X, clusterer=KMeans(3, n_init=10), n_resamples=30, random_state=0
    )
    assert result.statistic < 0.01  # 1 of 300
    assert result.ci.low == 0.0  # clipped at 0
    assert result.ci.high < 0.02
    assert np.all(result.bootstrap_distribution < 0.02)


def test_clusterer_is_fitted_on_the_data_and_refitted_on_every_resample(iris):
    X, _ = iris
    result = total_leakage_interval(
        X, clusterer=KMeans(3, n_init=10), n_resamples=30, random_state=0
    )
    # The statistic: the clusterer seeded by the first draw of random_state,
    # then cross_val_proba of its labels with the same generator.
    rng = np.random.RandomState(0)
    seed = rng.randint(np.iinfo(np.int32).max)
    labels = KMeans(3, n_init=10, random_state=seed).fit_predict(X)
    expected = total_leakage(labels, cross_val_proba(X, labels, random_state=rng))
    assert result.statistic == expected
    # k-means cells are linear, so its labels leak less than the species.
    assert result.statistic < 0.1
    assert np.unique(result.bootstrap_distribution).shape[0] > 5


class _CountingKMeans(KMeans):
    """k-means that counts its fits, over every clone."""

    fits = 0

    def fit(self, X, y=None, sample_weight=None):
        _CountingKMeans.fits += 1
        return super().fit(X, y, sample_weight)


@pytest.mark.parametrize("mode, fits", [("fixed", 1 + 3), ("refit", 1 + 3 + 4 * 3)])
def test_refit_mode_refits_the_clusterer_on_every_training_fold(iris, mode, fits):
    # On the data and on each of 3 resamples; with mode="refit" also on each
    # of the 3 training folds of each of those 4.
    _CountingKMeans.fits = 0
    total_leakage_interval(
        iris[0],
        clusterer=_CountingKMeans(3, n_init=1),
        mode=mode,
        cv=3,
        n_resamples=3,
        random_state=0,
    )
    assert _CountingKMeans.fits == fits


def test_refit_mode_is_the_share_leakage_score_reports():
    # LeakageScore refits k-means on each training fold by default; its share
    # on wine and the interval's statistic in the same mode are the same
    # procedure with other seeds.
    X = StandardScaler().fit_transform(load_wine().data)
    reported = [
        LeakageScore(KMeans(3, n_init=10), random_state=seed).fit(X).total_leakage_
        for seed in range(3)
    ]
    result = total_leakage_interval(
        X, clusterer=KMeans(3, n_init=10), mode="refit", n_resamples=20, random_state=0
    )
    assert min(reported) - 0.02 <= result.statistic <= max(reported) + 0.02
    assert result.ci.low < np.mean(reported) < result.ci.high


class _RecordingKMeans(KMeans):
    """k-means that records the n_init of its fits."""

    n_inits: list = []

    def fit(self, X, y=None, sample_weight=None):
        _RecordingKMeans.n_inits.append(self.n_init)
        return super().fit(X, y, sample_weight)


def test_auto_restarts_are_resolved_as_leakage_score_resolves_them(iris):
    # n_init="auto" runs k-means once since scikit-learn 1.4; LeakageScore
    # makes it 10 runs, and the interval must redo the same procedure.
    _RecordingKMeans.n_inits = []
    LeakageScore(_RecordingKMeans(3), random_state=0).fit(iris[0])
    by_estimator = set(_RecordingKMeans.n_inits)
    _RecordingKMeans.n_inits = []
    total_leakage_interval(
        iris[0], clusterer=_RecordingKMeans(3), mode="refit", n_resamples=2
    )
    assert set(_RecordingKMeans.n_inits) == by_estimator == {10}


def test_refit_statistic_repeats_with_a_random_probe(iris):
    # The probe is seeded from random_state in both modes.
    def statistic():
        return total_leakage_interval(
            iris[0],
            clusterer=KMeans(3, n_init=3, random_state=0),
            classifier=RandomForestClassifier(5),
            mode="refit",
            n_resamples=2,
            random_state=0,
        ).statistic

    assert len({statistic() for _ in range(3)}) == 1


def test_refit_mode_needs_a_clusterer(iris):
    X, species = iris
    with pytest.raises(ValueError, match="mode='refit' refits the clusterer"):
        total_leakage_interval(X, species, mode="refit")


def test_copies_of_a_row_never_leak_the_answer():
    # Labels drawn at random: a 1-nearest-neighbour probe can only guess, and
    # about half the points leak. Were a copy of a held-out point in the
    # training part, the probe would find it at distance 0 and be right: with
    # plain stratified folds over the resampled positions the resampled shares
    # average 0.22; grouped by original row they average 0.48, near the 0.44
    # of the data.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 2))
    labels = rng.integers(0, 2, 200)
    result = total_leakage_interval(
        X,
        labels,
        classifier=KNeighborsClassifier(1),
        n_resamples=40,
        random_state=0,
    )
    assert result.statistic == pytest.approx(0.44)
    assert abs(result.bootstrap_distribution.mean() - result.statistic) < 0.08


def test_percentile_method_reads_the_quantiles(overlapping):
    X, blob = overlapping
    kwargs = {"n_resamples": 40, "random_state": 3}
    percentile = total_leakage_interval(X, blob, method="percentile", **kwargs)
    normal = total_leakage_interval(X, blob, **kwargs)
    shares = percentile.bootstrap_distribution
    np.testing.assert_array_equal(shares, normal.bootstrap_distribution)
    assert percentile.ci == pytest.approx(np.quantile(shares, [0.025, 0.975]))
    assert percentile.method == "percentile"
    assert normal.method == "normal"


@pytest.mark.parametrize("method", ["normal", "percentile"])
def test_higher_confidence_gives_nested_intervals(overlapping, method):
    # Same random_state, same resamples: only the level changes.
    X, blob = overlapping
    intervals = [
        total_leakage_interval(
            X[:150],
            blob[:150],
            confidence_level=level,
            method=method,
            n_resamples=30,
            random_state=5,
        ).ci
        for level in (0.5, 0.8, 0.95)
    ]
    for inner, outer in itertools.pairwise(intervals):
        assert outer.low <= inner.low <= inner.high <= outer.high
    assert intervals[0].high - intervals[0].low < intervals[2].high - intervals[2].low


def test_noise_rows_are_left_out_of_the_share(iris):
    X, species = iris
    labels = species.copy()
    labels[:10] = -1  # ten setosa flowers called noise
    result = total_leakage_interval(X, labels, n_resamples=20, random_state=0)
    keep = labels != -1
    proba = cross_val_proba(X, labels, random_state=0)
    assert result.statistic == total_leakage(labels[keep], proba[keep])


def test_sparse_X(iris):
    # Sparse rows are resampled as they are; the probe skips centering them.
    X, species = iris
    result = total_leakage_interval(
        sp.csr_matrix(X), species, n_resamples=5, random_state=0
    )
    assert result.statistic == pytest.approx(0.1, abs=0.02)
    assert np.all(np.isfinite(result.bootstrap_distribution))


# ------------------------------------------------------ reproducibility
def test_same_random_state_same_result(iris):
    X, species = iris
    first = total_leakage_interval(X, species, n_resamples=20, random_state=7)
    second = total_leakage_interval(X, species, n_resamples=20, random_state=7)
    other = total_leakage_interval(X, species, n_resamples=20, random_state=8)
    np.testing.assert_array_equal(
        first.bootstrap_distribution, second.bootstrap_distribution
    )
    assert first.ci == second.ci
    assert not np.array_equal(
        first.bootstrap_distribution, other.bootstrap_distribution
    )


def test_n_jobs_does_not_change_the_numbers(iris):
    X, _ = iris
    kwargs = {"clusterer": KMeans(3, n_init=3), "n_resamples": 8, "random_state": 0}
    serial = total_leakage_interval(X, **kwargs)
    parallel = total_leakage_interval(X, n_jobs=2, **kwargs)
    np.testing.assert_array_equal(
        serial.bootstrap_distribution, parallel.bootstrap_distribution
    )


def test_inputs_are_not_modified(iris):
    X, species = iris
    X = X.copy()
    labels = species.copy()
    clusterer = KMeans(3, n_init=3)
    classifier = LogisticRegression(C=10, max_iter=500)
    X_before, labels_before = X.copy(), labels.copy()
    total_leakage_interval(X, labels, n_resamples=5, random_state=0)
    total_leakage_interval(
        X, clusterer=clusterer, classifier=classifier, n_resamples=5, random_state=0
    )
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(labels, labels_before)
    assert clusterer.random_state is None
    assert not hasattr(clusterer, "cluster_centers_")
    assert not hasattr(classifier, "coef_")


# ----------------------------------------------------------- the folds
@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(10, 80),
    n_clusters=st.integers(1, 4),
    cv=st.integers(2, 6),
    seed=st.integers(0, 2**16),
)
@example(n=10, n_clusters=4, cv=2, seed=58620)  # 4 distinct rows, 4 clusters
def test_row_folds_hold_every_copy_of_a_row_out_together(n, n_clusters, cv, seed):
    rng = np.random.default_rng(seed)
    codes_of_row = rng.integers(0, n_clusters, n)
    rows = rng.integers(0, n, n)
    codes = codes_of_row[rows]
    folds = _row_folds(rows, codes, cv, seed)
    first = np.unique(rows, return_index=True)[1]
    if np.bincount(codes[first]).max() < 2:
        # No cluster has two distinct rows (4 rows in 4 clusters): such a
        # resample cannot be scored out of fold, and the folds say so.
        assert folds is None
        return
    held_out = np.concatenate([test for _, test in folds])
    # Every resampled position is held out exactly once...
    np.testing.assert_array_equal(np.sort(held_out), np.arange(n))
    for train, test in folds:
        # ...never beside a copy of itself in the training part...
        assert not set(rows[train]) & set(rows[test])
        assert np.intersect1d(train, test).size == 0
        assert train.size + test.size == n
    # ...and, as in cross_val_proba, never in more folds than the largest
    # cluster has distinct rows.
    distinct_sizes = np.bincount(codes_of_row[np.unique(rows)])
    assert 2 <= len(folds) <= max(2, min(cv, distinct_sizes.max()))


# ---------------------------------------------------------- bad input
def test_neither_labels_nor_clusterer(iris):
    with pytest.raises(ValueError, match=r"Pass either labels .* or clusterer="):
        total_leakage_interval(iris[0])


def test_both_labels_and_clusterer(iris):
    X, species = iris
    with pytest.raises(ValueError, match="not both"):
        total_leakage_interval(X, species, clusterer=KMeans(3))


def test_labels_of_another_length(iris):
    X, species = iris
    with pytest.raises(ValueError, match="one entry per row of X: X has 150 rows"):
        total_leakage_interval(X, species[:-1])


def test_missing_labels(iris):
    X, species = iris
    labels = species.astype(float)
    labels[3] = np.nan
    with pytest.raises(ValueError, match="missing values"):
        total_leakage_interval(X, labels)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"cv": KFold(5)}, "cv"),
        ({"cv": 1}, "cv"),
        ({"n_resamples": 1}, "n_resamples"),
        ({"method": "basic"}, "method"),
        ({"confidence_level": 1.0}, "confidence_level"),
        ({"detection_threshold": 0.0}, "detection_threshold"),
        ({"n_jobs": 0}, "n_jobs"),
    ],
)
def test_parameters_out_of_range(iris, params, name):
    X, species = iris
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        total_leakage_interval(X, species, **params)
    # scikit-learn's parameter error is a ValueError too.
    assert issubclass(InvalidParameterError, ValueError)


def test_clusterer_class_instead_of_instance(iris):
    with pytest.raises(TypeError, match=r"pass an instance, KMeans\(\)"):
        total_leakage_interval(iris[0], clusterer=KMeans)


def test_every_label_noise(iris):
    X, _ = iris
    with pytest.raises(ValueError, match="Every label is -1"):
        total_leakage_interval(X, np.full(X.shape[0], -1))


class _NoiseOnRepeats(ClusterMixin, BaseEstimator):
    """Two halves by the first feature, or all noise when ``X`` repeats rows.

    With ``always=False`` only repeats of the first row count, which about
    two resamples in three have.
    """

    def __init__(self, always=True):
        self.always = always

    def fit(self, X, y=None):
        rows = X if self.always else X[:1]
        repeats = any(np.sum(np.all(X == row, axis=1)) > 1 for row in rows)
        median = np.median(X[:, 0])
        self.labels_ = np.where(repeats, -1, (X[:, 0] > median).astype(int))
        return self


def test_no_cluster_in_any_resample(iris):
    X, _ = iris
    X = np.unique(X, axis=0)  # iris has one repeated flower
    with pytest.raises(ValueError, match="had no cluster to score"):
        total_leakage_interval(X, clusterer=_NoiseOnRepeats(), n_resamples=5)


def test_no_cluster_in_some_resamples_warns(iris):
    X, _ = iris
    X = np.unique(X, axis=0)
    with pytest.warns(UserWarning, match="resamples had no cluster to score"):
        result = total_leakage_interval(
            X, clusterer=_NoiseOnRepeats(always=False), n_resamples=12, random_state=0
        )
    shares = result.bootstrap_distribution
    assert 0 < np.isnan(shares).sum() < 12
    assert np.all(np.isfinite(result.ci))


def test_pipeline_clusterer_is_probed_in_its_own_space():
    # The steps are part of the clustering: the probe learns the labels from
    # the scaled rows, so the pipeline on raw wine gives the share of KMeans
    # on wine scaled beforehand (same seeds, same labels, same space).
    X, _ = load_wine(return_X_y=True)
    pipeline = make_pipeline(StandardScaler(), KMeans(3, n_init=3))
    raw = total_leakage_interval(X, clusterer=pipeline, n_resamples=20, random_state=0)
    scaled = total_leakage_interval(
        StandardScaler().fit_transform(X),
        clusterer=KMeans(3, n_init=3),
        n_resamples=20,
        random_state=0,
    )
    assert raw.statistic == pytest.approx(scaled.statistic)
    # In raw units proline (hundreds) drowns the other features: the probe
    # fitted there would see another partition than the clusterer made.
    assert raw.statistic < 0.15


def test_resamples_without_a_cluster_of_two_distinct_rows_are_left_out():
    # Three clusters of two rows: a resample may draw one row of each twice,
    # and nothing can then be scored out of fold (4 of these 50 do).
    X = np.arange(12, dtype=float).reshape(6, 2)
    labels = np.repeat(np.arange(3), 2)
    with pytest.warns(UserWarning, match="no cluster with two distinct rows"):
        result = total_leakage_interval(X, labels, n_resamples=50, random_state=3)
    shares = result.bootstrap_distribution
    assert 0 < np.isnan(shares).sum() < 50
    assert np.all(np.isfinite(result.ci))


def test_pipeline_takes_the_frame_as_its_first_step_does():
    # A ColumnTransformer picks a frame's columns by name and encodes a text
    # column; the rows reach it as a frame in every resample, as they reach
    # LeakageScore's pipeline.
    X, _ = load_wine(return_X_y=True)
    frame = pd.DataFrame(X[:, :4], columns=list("abcd"))
    frame["kind"] = np.where(X[:, 0] > 13, "red", "white")
    columns = make_column_transformer(
        (StandardScaler(), list("abcd")), (OneHotEncoder(), ["kind"])
    )
    pipeline = make_pipeline(columns, KMeans(3, n_init=3))
    result = total_leakage_interval(
        frame, clusterer=pipeline, n_resamples=10, random_state=0
    )
    assert 0 < result.statistic < 0.3
    assert np.all(np.isfinite(result.bootstrap_distribution))
    # Without the encoder, the steps' own error names the text column.
    with pytest.raises(ValueError, match=r"X has text columns \('kind'\)"):
        total_leakage_interval(
            frame, clusterer=make_pipeline(StandardScaler(), KMeans(3)), n_resamples=5
        )
