"""Tests of LeakageScore on real and seeded data."""

import pickle
import re
import threading
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, OutlierMixin, clone
from sklearn.cluster import (
    DBSCAN,
    HDBSCAN,
    AgglomerativeClustering,
    Birch,
    KMeans,
)
from sklearn.datasets import make_blobs
from sklearn.exceptions import FitFailedWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    KFold,
    RepeatedKFold,
    ShuffleSplit,
    StratifiedKFold,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from threadpoolctl import threadpool_info, threadpool_limits

from sklearn_leakage import (
    LeakageMatrixDisplay,
    LeakageScore,
    cross_val_proba,
    leakage_matrix,
    leakage_score,
    leakage_scorer,
    make_leakage_scorer,
    refit_n_clusters,
    select_n_clusters,
    total_leakage_interval,
)
from sklearn_leakage import _threads as threads_module
from sklearn_leakage._probe import default_classifier
from sklearn_leakage.exceptions import (
    FoldError,
    FoldWarning,
    InSampleScoreWarning,
    SingleClusterWarning,
    SmallClusterWarning,
    UnbalancedSplitWarning,
)


def kmeans(n_clusters):
    return KMeans(n_clusters, n_init=3, random_state=0)


def test_separated_blobs_barely_leak(blobs4):
    X, _ = blobs4
    est = LeakageScore(kmeans(4), random_state=0).fit(X)
    assert est.n_clusters_ == 4
    # Measured 0.0117 and 0.0039: blobs 8 std apart leave few points near a
    # boundary.
    assert est.total_leakage_ < 0.02
    assert est.expected_leakage_ < 0.01
    assert est.oof_proba_.shape == (600, 4)
    np.testing.assert_allclose(est.oof_proba_.sum(axis=1), 1.0)


def test_over_split_blobs_leak_more(blobs4):
    X, _ = blobs4
    right = LeakageScore(kmeans(4), random_state=0).fit(X)
    over = LeakageScore(kmeans(8), random_state=0).fit(X)
    # Splitting real blobs puts boundaries through dense regions: total leakage
    # rises from 0.012 to 0.557 (measured).
    assert over.total_leakage_ > 0.4
    assert over.total_leakage_ > 10 * right.total_leakage_


def test_iris_species_with_default_probe(iris_std):
    # The requirement: with the true species, setosa leaks <= 2% into each
    # other species at threshold 0.05, and versicolor/virginica leak into each
    # other (they overlap).
    from sklearn_leakage import cross_val_proba

    X, y = iris_std
    proba = cross_val_proba(X, y, random_state=0)
    matrix = leakage_matrix(y, proba, detection_threshold=0.05)
    assert matrix[0, 1] <= 0.02
    assert matrix[0, 2] <= 0.02
    assert matrix[1, 2] > 0.05
    assert matrix[2, 1] > 0.05


@pytest.mark.parametrize("mode", ["refit", "fixed"])
def test_same_seed_same_numbers_any_n_jobs(blobs4, mode):
    X, _ = blobs4
    one = LeakageScore(kmeans(5), mode=mode, random_state=3, n_jobs=1).fit(X)
    two = LeakageScore(kmeans(5), mode=mode, random_state=3, n_jobs=2).fit(X)
    np.testing.assert_array_equal(one.oof_proba_, two.oof_proba_)
    assert one.score(X[:300]) == two.score(X[:300])


def test_refit_mode_differs_from_fixed_mode(blobs4):
    X, _ = blobs4
    refit = LeakageScore(kmeans(6), mode="refit", random_state=0).fit(X)
    fixed = LeakageScore(kmeans(6), mode="fixed", random_state=0).fit(X)
    assert not np.allclose(refit.oof_proba_, fixed.oof_proba_)
    # Six clusters on four blobs cut blobs where the folds disagree:
    # refitting the clusterer on each fold shows it, a fixed partition does
    # not (its cuts are straight and a probe learns them).
    assert refit.expected_leakage_ == pytest.approx(0.184, abs=0.01)
    assert fixed.expected_leakage_ == pytest.approx(0.068, abs=0.01)


@pytest.mark.filterwarnings("ignore::sklearn_leakage.exceptions.InSampleScoreWarning")
def test_user_objects_not_fitted_or_modified(blobs4):
    X, _ = blobs4
    X_before = X.copy()
    clusterer = kmeans(4)
    est = LeakageScore(clusterer, random_state=0)
    params_before = est.get_params(deep=False)
    est.fit(X)
    est.score(X)
    assert not hasattr(clusterer, "cluster_centers_")
    assert est.clusterer_ is not clusterer
    np.testing.assert_array_equal(X, X_before)
    assert est.get_params(deep=False) == params_before


def test_float32_stays_float32(blobs4):
    X, _ = blobs4
    est = LeakageScore(kmeans(4), random_state=0).fit(X.astype(np.float32))
    assert est.clusterer_.cluster_centers_.dtype == np.float32


def test_nested_params_and_clone(blobs4):
    X, _ = blobs4
    est = LeakageScore(KMeans(n_init=3, random_state=0), random_state=0)
    est.set_params(clusterer__n_clusters=4)
    assert clone(est).clusterer.n_clusters == 4
    assert est.fit(X).n_clusters_ == 4


def test_pickle_round_trip_same_score(blobs4):
    X, _ = blobs4
    est = LeakageScore(kmeans(4), random_state=0).fit(X[:400])
    again = pickle.loads(pickle.dumps(est))
    assert again.score(X[400:]) == est.score(X[400:])
    np.testing.assert_array_equal(again.oof_proba_, est.oof_proba_)


@pytest.mark.parametrize(
    "clusterer",
    [
        GaussianMixture(4, random_state=0),
        AgglomerativeClustering(4),
        Birch(n_clusters=4),
    ],
    ids=["gmm", "agglomerative", "birch"],
)
def test_other_clusterers(blobs4, clusterer):
    X, _ = blobs4
    est = LeakageScore(clusterer, random_state=0).fit(X)
    assert est.n_clusters_ == 4
    assert est.total_leakage_ < 0.05
    # Every one of the four blobs reproduces on the held-out rows.
    assert est.score(X[::2]) > 0.95


def test_predict_delegates_only_when_clusterer_predicts(blobs4):
    X, _ = blobs4
    est = LeakageScore(kmeans(4), random_state=0).fit(X)
    np.testing.assert_array_equal(est.predict(X), est.clusterer_.predict(X))
    assert not hasattr(LeakageScore(AgglomerativeClustering(4)), "predict")


def test_predict_proba_follows_the_clustering(blobs4):
    X, _ = blobs4
    est = LeakageScore(kmeans(4), random_state=0).fit(X)
    proba = est.predict_proba(X)
    assert proba.shape == (600, 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # The probe learned k-means' Voronoi cells: its most probable cluster is
    # k-means' own on every row, and 4 of the 600 points (measured) lie close
    # enough to a boundary to keep less than 0.95 on their cluster.
    np.testing.assert_array_equal(est.classes_[proba.argmax(axis=1)], est.predict(X))
    assert 1 <= np.sum(proba.max(axis=1) < 0.95) <= 12


def test_predict_proba_without_clusterer_predict():
    # DBSCAN cannot predict new points; the probe can, in classes_' order.
    rng = np.random.default_rng(0)
    X = np.vstack(
        [
            rng.normal(0, 0.3, (150, 2)),
            rng.normal(5, 0.3, (150, 2)),
            rng.uniform(-3, 8, (30, 2)),
        ]
    )
    est = LeakageScore(DBSCAN(eps=0.5, min_samples=5), random_state=0).fit(X)
    assert not hasattr(est, "predict")
    new = np.array([[0.0, 0.0], [5.0, 5.0], [2.5, 2.5]])
    proba = est.predict_proba(new)
    assert proba.shape == (3, 2)
    assert est.classes_[proba[0].argmax()] == est.labels_[0]
    assert est.classes_[proba[1].argmax()] == est.labels_[150]
    assert proba[:2].max(axis=1).min() > 0.99
    # Halfway between the blobs the probe hesitates (measured 0.60 / 0.40).
    assert 0.5 <= proba[2].max() < 0.9


def test_predict_proba_after_all_noise_names_the_fix():
    X = np.random.default_rng(0).uniform(size=(40, 2))
    with pytest.warns(SingleClusterWarning):
        est = LeakageScore(DBSCAN(eps=1e-4), random_state=0).fit(X)
    with pytest.raises(ValueError, match=r"every training point as noise.*eps"):
        est.predict_proba(X)


def test_dbscan_noise_excluded_and_reported():
    rng = np.random.default_rng(0)
    X = np.vstack(
        [
            rng.normal(0, 0.3, (150, 2)),
            rng.normal(5, 0.3, (150, 2)),
            rng.uniform(-3, 8, (30, 2)),  # scattered points DBSCAN calls noise
        ]
    )
    est = LeakageScore(DBSCAN(eps=0.5, min_samples=5), random_state=0).fit(X)
    assert est.n_clusters_ == 2
    assert -1 not in est.classes_
    assert 0.02 < est.noise_ratio_ < 0.1
    assert est.total_leakage_ < 0.02
    as_cluster = LeakageScore(
        DBSCAN(eps=0.5, min_samples=5), noise="cluster", random_state=0
    ).fit(X)
    assert as_cluster.n_clusters_ == 3
    assert -1 in as_cluster.classes_


# Scored on the fitted rows on purpose: no cluster scores 0 wherever the rows
# come from, so that is not an in-sample score to warn about.
@pytest.mark.filterwarnings("error::sklearn_leakage.exceptions.InSampleScoreWarning")
def test_all_noise_gives_clear_result():
    X = np.random.default_rng(0).uniform(size=(40, 2))
    with pytest.warns(SingleClusterWarning, match="every point as noise"):
        est = LeakageScore(DBSCAN(eps=1e-4), random_state=0).fit(X)
    assert est.n_clusters_ == 0
    assert np.isnan(est.total_leakage_)
    assert est.score(X) == 0.0
    assert est.score_details(X) == {
        "reproducibility": 0.0,
        "leakage": 1.0,
        "prediction_strength": 0.0,
        "reference_leakage": 1.0,
        "boundary_leakage": 1.0,
        "reference_boundary_leakage": 1.0,
        "n_clusters_found": 0.0,
    }


def test_unexpected_single_cluster_warns_and_scores_one(uniform_noise):
    # DBSCAN with a huge radius puts everything in one cluster unasked.
    with pytest.warns(SingleClusterWarning, match="one cluster"):
        est = LeakageScore(DBSCAN(eps=10.0), random_state=0).fit(uniform_noise)
    assert est.n_clusters_ == 1
    assert est.total_leakage_ == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SingleClusterWarning)
        # One cluster scores 1 wherever the rows come from: no in-sample
        # warning on the fitted rows.
        warnings.simplefilter("error", InSampleScoreWarning)
        assert est.score(uniform_noise) == 1.0


def test_one_cluster_asked_for_is_silent(uniform_noise):
    # k=1 is the "no structure" candidate of every search: no warning for it.
    with warnings.catch_warnings():
        warnings.simplefilter("error", SingleClusterWarning)
        est = LeakageScore(kmeans(1), random_state=0).fit(uniform_noise)
        piped = LeakageScore(
            make_pipeline(StandardScaler(), GaussianMixture(1, random_state=0)),
            random_state=0,
        ).fit(uniform_noise)
    assert est.score(uniform_noise) == 1.0
    assert piped.n_clusters_ == 1


class _NoCentres(KMeans):
    """KMeans that does not show its centres: judged like a non-centroid clusterer."""

    def fit(self, X, y=None, sample_weight=None):
        super().fit(X, y, sample_weight)
        self.centres_ = self.__dict__.pop("cluster_centers_")
        return self


@pytest.mark.filterwarnings("ignore::sklearn_leakage.exceptions.InSampleScoreWarning")
def test_centroid_clusterer_reference_has_no_probe(blobs4):
    # A centroid clusterer is judged against the reference by dispersion and
    # boundaries, so no probe is trained on reference data and the reference's
    # held-out leakage is not recorded. The reference rows and their own
    # clustering are those every clusterer gets: the same KMeans without its
    # centres goes the probe's way and finds the same reference boundary.
    X, _ = blobs4
    centroid = LeakageScore(kmeans(4), compute_oof=False, random_state=0).fit(X)
    other = LeakageScore(
        _NoCentres(4, n_init=3, random_state=0), compute_oof=False, random_state=0
    ).fit(X)
    assert centroid.reference_ is not None
    assert centroid.reference_classifier_ is None
    assert other.reference_classifier_ is not None
    with_dispersion, with_probe = centroid.score_details(X), other.score_details(X)
    # Each records the pair its test (a) compares.
    assert "reference_leakage" not in with_dispersion
    assert "dispersion_gain" not in with_probe
    assert "separation_gain" not in with_probe
    assert 0.0 < with_probe["reference_leakage"] < 1.0
    assert with_dispersion["reference_boundary_leakage"] > 0.0
    assert (
        with_dispersion["reference_boundary_leakage"]
        == with_probe["reference_boundary_leakage"]
    )
    # Four blobs explain far more of their dispersion than k-means explains of
    # uniform data's.
    gain, reference_gain = (
        with_dispersion["dispersion_gain"],
        with_dispersion["reference_dispersion_gain"],
    )
    assert gain > reference_gain + 1.0 > 1.0
    # Four blobs in two dimensions: their three centre directions span the
    # plane, so the separation gain is the dispersion gain.
    assert with_dispersion["separation_gain"] == pytest.approx(gain)
    assert with_dispersion["reference_separation_gain"] == pytest.approx(reference_gain)


@pytest.mark.filterwarnings("ignore::sklearn_leakage.exceptions.InSampleScoreWarning")
def test_compute_oof_false_skips_diagnostics_not_scores(blobs4):
    X, _ = blobs4
    full = LeakageScore(kmeans(4), random_state=0).fit(X)
    lean = LeakageScore(kmeans(4), compute_oof=False, random_state=0).fit(X)
    for name in ("oof_proba_", "leakage_matrix_", "total_leakage_"):
        assert hasattr(full, name)
        assert not hasattr(lean, name)
    # The held-out scores use only the clusterer, the probe and the reference,
    # which are fitted identically.
    assert lean.score_details(X) == full.score_details(X)
    assert lean.score(X) > 0.95
    with pytest.raises(ValueError, match="fitted with compute_oof=False"):
        LeakageMatrixDisplay.from_estimator(lean)


def test_refit_without_diagnostics_drops_the_earlier_ones(blobs4):
    # A display must not show the leakage of the earlier fit's clustering.
    X, _ = blobs4
    estimator = LeakageScore(kmeans(4), random_state=0).fit(X)
    assert estimator.total_leakage_ < 0.05
    estimator.set_params(compute_oof=False).fit(X[:300])
    for name in ("oof_proba_", "leakage_matrix_", "total_leakage_"):
        assert not hasattr(estimator, name)
    with pytest.raises(ValueError, match="fitted with compute_oof=False"):
        LeakageMatrixDisplay.from_estimator(estimator)


def test_cv_none_means_five_folds(blobs4):
    X, _ = blobs4
    default = LeakageScore(kmeans(5), random_state=0).fit(X)
    none = LeakageScore(kmeans(5), cv=None, random_state=0).fit(X)
    np.testing.assert_array_equal(none.oof_proba_, default.oof_proba_)
    assert none.total_leakage_ == default.total_leakage_ > 0.05


@pytest.mark.parametrize(
    "cv, problem",
    [
        (RepeatedKFold(n_splits=5, n_repeats=2, random_state=0), "more than once"),
        (ShuffleSplit(3, test_size=0.1, random_state=0), "never hold out"),
    ],
)
def test_folds_must_hold_out_every_row_once(blobs4, cv, problem):
    # As cross_val_predict: repeated splits would overwrite earlier values
    # (only the last repeat counted), random subsets leave rows without any.
    X, labels = blobs4
    with pytest.raises(FoldError, match=problem):
        cross_val_proba(X, labels, cv=cv, random_state=0)
    with pytest.raises(FoldError, match=f"{problem}.*KFold"):
        LeakageScore(kmeans(4), cv=cv, random_state=0).fit(X)
    # A list of splits that partition the rows is used as given, and so are
    # the same splits as boolean masks, which indexing accepts too.
    splits = list(KFold(5, shuffle=True, random_state=0).split(X))
    given = LeakageScore(kmeans(4), cv=splits, random_state=0).fit(X)
    assert given.oof_proba_.sum(axis=1) == pytest.approx(1.0)
    rows = np.arange(X.shape[0])
    masks = [(np.isin(rows, train), np.isin(rows, test)) for train, test in splits]
    masked = LeakageScore(kmeans(4), cv=masks, random_state=0).fit(X)
    np.testing.assert_array_equal(masked.oof_proba_, given.oof_proba_)
    # A mask of the wrong shape is named as such.
    with pytest.raises(FoldError, match="mask of shape"):
        LeakageScore(kmeans(4), cv=[(m[:-1], t) for m, t in masks]).fit(X)


def test_a_splitter_by_groups_is_told_to_pass_its_folds(blobs4):
    # GroupKFold got no groups, and the message blamed rows, folds and clusters.
    X, labels = blobs4
    groups = np.arange(X.shape[0]) % 20
    advice = r"cv=list\(GroupKFold\(.*\)\.split\(X, groups=groups\)\)"
    with pytest.raises(FoldError, match=advice):
        LeakageScore(kmeans(4), cv=GroupKFold(4), random_state=0).fit(X)
    with pytest.raises(FoldError, match=advice):
        cross_val_proba(X, labels, cv=GroupKFold(4))
    # The advice works: the folds made with the groups are used as given.
    folds = list(GroupKFold(4).split(X, groups=groups))
    est = LeakageScore(kmeans(4), cv=folds, random_state=0).fit(X)
    assert est.oof_proba_.shape == (X.shape[0], 4)
    assert cross_val_proba(X, labels, cv=folds).sum(axis=1) == pytest.approx(1.0)


@pytest.mark.parametrize("mode", ["fixed", "refit"])
def test_folds_that_train_without_a_held_out_cluster_warn(mode):
    # Rows sorted by cluster and unshuffled KFold(3): each fold holds out one
    # cluster whole, and its probe never saw it. Every point then counted as
    # leaking (a score of 0.0, total leakage 1.0 against 0.01), silently.
    X, y = make_blobs(300, centers=3, cluster_std=0.5, random_state=0)
    order = np.argsort(y, kind="stable")
    X, y = X[order], y[order]
    with pytest.warns(FoldWarning, match=r"In 3 of 3 folds of cv.*3 of 3 clusters"):
        assert leakage_score(X, y, cv=KFold(3)) == 0.0
    with pytest.warns(FoldWarning, match="StratifiedKFold"):
        cross_val_proba(X, y, cv=KFold(3), random_state=0)
    estimator = LeakageScore(kmeans(3), cv=KFold(3), mode=mode, random_state=0)
    with pytest.warns(FoldWarning):
        assert estimator.fit(X).total_leakage_ == 1.0
    # Shuffled folds, a list of stratified splits and an int are silent.
    splits = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    with warnings.catch_warnings():
        warnings.simplefilter("error", FoldWarning)
        assert leakage_score(X, y, cv=KFold(3, shuffle=True, random_state=0)) > 0.99
        assert leakage_score(X, y, cv=splits) > 0.99
        estimator.set_params(cv=3)
        assert estimator.fit(X).total_leakage_ == pytest.approx(0.01)


def test_a_cluster_smaller_than_the_folds_gets_the_small_cluster_advice():
    # Stratified and shuffled, as the sorted-rows advice asks, and still one
    # fold trains without the one-point cluster: the advice is fewer folds.
    X, y = make_blobs(200, centers=3, random_state=0)
    y = y.copy()
    y[0] = 3
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    with pytest.warns(FoldWarning, match="1 of 5 folds.*1 point, fewer than the 5 "):
        leakage_score(X, y, cv=cv)


@pytest.mark.parametrize("mode", ["fixed", "refit"])
def test_default_neighbours_fit_in_a_training_fold(mode):
    # Six rows: AgglomerativeClustering clusters them, and the default
    # nearest-neighbour probe must not ask a training fold of 3 or 4 rows for
    # 5 neighbours (scikit-learn's "Expected n_neighbors <= n_samples_fit").
    X, _ = make_blobs(6, centers=2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallClusterWarning)
        estimator = LeakageScore(
            AgglomerativeClustering(2), mode=mode, random_state=0
        ).fit(X)
    assert np.allclose(estimator.oof_proba_.sum(axis=1), 1.0)
    # Only the fits on fewer than 5 rows use fewer neighbours: the probe of
    # all 6 rows keeps 5, and so does one scored on 9 other rows (the cap
    # must not change a score that worked before).
    assert estimator.classifier_[-1].n_neighbors == 5
    X, _ = make_blobs(18, centers=2, random_state=1)
    fitted = LeakageScore(
        AgglomerativeClustering(2), compute_oof=False, random_state=0
    ).fit(X[:9])
    assert fitted.classifier_[-1].n_neighbors == 5
    # A probe the user passes is fitted as given, and fails as scikit-learn's.
    users = make_pipeline(StandardScaler(), KNeighborsClassifier(5))
    with pytest.raises(ValueError, match="n_neighbors"):
        LeakageScore(AgglomerativeClustering(2), users, random_state=0).fit(X[:6])


def test_folds_given_as_rows_must_fit_the_subsample(blobs4):
    # max_samples scores a subsample; row numbers of the whole X do not index
    # it (this was an IndexError), and the message names the way out.
    X, _ = blobs4
    splits = list(KFold(5, shuffle=True, random_state=0).split(X))
    estimator = LeakageScore(kmeans(4), cv=splits, max_samples=0.5, random_state=0)
    with pytest.raises(FoldError, match="max_samples=None"):
        estimator.fit(X)
    # A generator is used up by the first fit; the second fit says so.
    once = LeakageScore(kmeans(4), cv=iter(splits), random_state=0).fit(X)
    with pytest.raises(FoldError, match="generator"):
        once.fit(X)


def test_max_samples_one_is_not_a_fraction(blobs4):
    # 1 is a count of rows (too few), not the whole data as 1.0 is.
    X, _ = blobs4
    with pytest.raises(ValueError, match="max_samples"):
        LeakageScore(kmeans(4), max_samples=1).fit(X)
    whole = LeakageScore(kmeans(4), max_samples=1.0, random_state=0).fit(X)
    assert whole.sample_indices_.shape[0] == X.shape[0]


@pytest.mark.parametrize("clusterer", [kmeans(6), GaussianMixture(6, random_state=0)])
def test_scoring_rows_too_few_for_the_clusters_fails_the_split_only(blobs4, clusterer):
    # Scoring clusters the held-out rows on their own; 5 rows cannot hold 6
    # clusters. The split fails with NaN under every key a success has, so
    # that GridSearchCV records it instead of failing the whole search.
    X, _ = blobs4
    estimator = LeakageScore(clusterer, compute_oof=False, random_state=0).fit(X)
    scored = estimator.score_details(X[:300])
    with pytest.warns(FitFailedWarning, match="failed on the 5 scored rows"):
        failed = estimator.score_details(X[:5])
    assert sorted(failed) == sorted(scored)
    # Every score is NaN; the clusters the fitted clusterer made are known.
    assert failed.pop("n_clusters_found") == 6
    assert all(np.isnan(value) for value in failed.values())


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
@pytest.mark.filterwarnings("ignore::sklearn_leakage.exceptions.UnbalancedSplitWarning")
def test_search_with_candidates_too_large_for_a_fold_completes():
    X, _ = make_blobs(n_samples=100, centers=3, random_state=0)
    search = GridSearchCV(
        LeakageScore(kmeans(2), compute_oof=False, random_state=0),
        {"clusterer__n_clusters": range(1, 13)},
        cv=KFold(10, shuffle=True, random_state=0),
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    ).fit(X)
    reproducibility = search.cv_results_["mean_test_reproducibility"]
    assert np.all(np.isnan(reproducibility[10:]))  # 11 and 12 clusters
    assert np.all(np.isfinite(reproducibility[:10]))
    assert search.best_params_["clusterer__n_clusters"] <= 10


@pytest.mark.parametrize(
    "clusterer, match",
    [
        (KMeans, "pass an instance, KMeans()"),
        (SVC(), "SVC is a classifier, which needs y"),
        (StandardScaler(), "StandardScaler gives no cluster labels"),
    ],
)
def test_what_is_not_a_clusterer_is_named(blobs4, clusterer, match):
    X, _ = blobs4
    with pytest.raises(TypeError, match=re.escape(match)):
        LeakageScore(clusterer).fit(X)


class _OutlierProbe(OutlierMixin, BaseEstimator):
    """An outlier detector with predict_proba, tagged as such."""

    def fit(self, X, y=None):
        return self

    def predict_proba(self, X):
        return np.full((len(X), 2), 0.5)


@pytest.mark.parametrize(
    "probe, match",
    [
        (KNeighborsClassifier, "classifier is the class KNeighborsClassifier; pass"),
        # A mixture has fit and predict_proba, so the constraint lets it in; it
        # ignores the labels and failed after the fit on a missing classes_.
        (GaussianMixture(4), "GaussianMixture is a density estimator, not a"),
        (
            make_pipeline(StandardScaler(), GaussianMixture(4)),
            "GaussianMixture is a density estimator, not a",
        ),
        (_OutlierProbe(), "_OutlierProbe is an outlier detector, not a"),
    ],
)
def test_what_is_not_a_probe_is_named_by_every_entry_point(blobs4, probe, match):
    X, y = blobs4
    calls = [
        lambda: LeakageScore(kmeans(4), probe).fit(X),
        lambda: select_n_clusters(X, kmeans(4), [1, 2], classifier=probe),
        lambda: make_leakage_scorer(classifier=probe),
        lambda: leakage_score(X, y, classifier=probe),
        lambda: cross_val_proba(X, y, classifier=probe),
        lambda: total_leakage_interval(X, y, classifier=probe),
    ]
    for call in calls:
        with pytest.raises(TypeError, match=re.escape(match)):
            call()


def test_a_probe_without_tags_and_a_classifier_pipeline_are_accepted(blobs4):
    X, y = blobs4

    class TaglessProbe:
        # Duck-typed, without scikit-learn's base classes: taken at its word.
        def __init__(self):
            self.inner = KNeighborsClassifier(5)

        def get_params(self, deep=True):
            return {}

        def set_params(self, **params):
            return self

        def fit(self, X, y):
            self.inner.fit(X, y)
            self.classes_ = self.inner.classes_
            return self

        def predict_proba(self, X):
            return self.inner.predict_proba(X)

    for probe in (
        TaglessProbe(),
        make_pipeline(StandardScaler(), KNeighborsClassifier(5)),
    ):
        assert leakage_score(X, y, classifier=probe, random_state=0) > 0.95


def test_precomputed_distances_are_refused(blobs4):
    # Read as 600 features, a distance matrix would give the probe and the
    # reference data nonsense; cross_validate would cut it into non-square
    # blocks.
    X, _ = blobs4
    distances = np.linalg.norm(X[:, None] - X[None], axis=2)
    for clusterer in (
        DBSCAN(metric="precomputed"),
        HDBSCAN(metric="precomputed"),
        AgglomerativeClustering(3, metric="precomputed", linkage="average"),
    ):
        with pytest.raises(ValueError, match="precomputed distance or affinity"):
            LeakageScore(clusterer).fit(distances)


@pytest.mark.filterwarnings("ignore::sklearn_leakage.exceptions.SmallClusterWarning")
def test_a_fold_too_small_is_reported_with_the_data_passed(blobs4):
    X, _ = blobs4
    # 4 clusters of 6 rows: a training fold of 3 rows cannot hold them.
    with pytest.raises(ValueError, match=r"fold loop .* of the 6 scored rows"):
        LeakageScore(AgglomerativeClustering(4)).fit(X[:6])
    # Without the fold loop the fit goes through.
    LeakageScore(AgglomerativeClustering(4), compute_oof=False).fit(X[:6])
    # A max_samples that leaves too few rows is named, with its own fix.
    with pytest.raises(
        ValueError,
        match=r"max_samples=0.01 keeps 6 of the 600 rows\).*a larger max_samples",
    ):
        LeakageScore(kmeans(4), max_samples=0.01).fit(X)


@pytest.mark.parametrize("n_jobs", [0, 1.5, "2"])
def test_n_jobs_without_a_meaning_is_refused_by_name(blobs4, n_jobs):
    # joblib's own "n_jobs == 0 has no meaning" would surface inside the fold
    # loop, under advice about small data.
    X, labels = blobs4
    for call in (
        lambda: LeakageScore(kmeans(4), n_jobs=n_jobs).fit(X),
        lambda: cross_val_proba(X, labels, n_jobs=n_jobs),
        lambda: leakage_score(X, labels, n_jobs=n_jobs),
        lambda: select_n_clusters(X, kmeans(4), [1, 2], n_jobs=n_jobs),
    ):
        with pytest.raises(ValueError, match=r"'n_jobs' parameter of .* must be"):
            call()


def test_small_clusters_warn_and_do_not_crash():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.1, (40, 2)), [[9.0, 9.0], [9.1, 9.0], [30, 30]]])
    with pytest.warns(SmallClusterWarning, match="fewer than 5 points") as record:
        est = LeakageScore(kmeans(3), random_state=0).fit(X)
    # The one-point cluster at (30, 30) has no training point when held out.
    singleton = est.classes_[np.bincount(est.labels_) == 1][0]
    assert est.oof_proba_[est.labels_ == singleton, singleton].item() == 0.0
    # Each entry point warns at the caller's line, not in the package.
    with pytest.warns(SmallClusterWarning) as by_metric:
        leakage_score(X, est.labels_)
    with pytest.warns(SmallClusterWarning) as by_interval:
        total_leakage_interval(X, labels=est.labels_, n_resamples=2, random_state=0)
    for caught in (record, by_metric, by_interval):
        assert caught[0].filename == __file__


def test_string_labels_via_classifier_order(blobs4):
    # A clusterer whose labels are strings, in a non-sorted order of first use.
    class StringClusterer(KMeans):
        def fit_predict(self, X, y=None, sample_weight=None):
            names = np.array(["zeta", "alpha", "mid", "beta"])
            return names[super().fit_predict(X)]

    X, _ = blobs4
    est = LeakageScore(StringClusterer(4, n_init=3, random_state=0), random_state=0)
    est.fit(X)
    np.testing.assert_array_equal(est.classes_, ["alpha", "beta", "mid", "zeta"])
    assert est.total_leakage_ < 0.02


def test_classifier_without_predict_proba_is_rejected(blobs4):
    X, _ = blobs4
    with pytest.raises(ValueError, match="predict_proba"):
        LeakageScore(kmeans(4), SVC()).fit(X)


def test_grid_search_over_nested_parameter(blobs4):
    X, _ = blobs4
    search = GridSearchCV(
        LeakageScore(KMeans(n_init=3, random_state=0), random_state=0),
        {"clusterer__n_clusters": [2, 4, 6]},
        cv=2,
    ).fit(X)
    scores = search.cv_results_["mean_test_score"]
    # 2 and 4 clusters reproduce (merging blobs keeps them stable); splitting a
    # blob in 6 does not.
    assert scores[0] > 0.95
    assert scores[1] > 0.95
    assert scores[2] < 0.8


def test_failing_candidate_respects_error_score(blobs4):
    X, _ = blobs4
    search = GridSearchCV(
        LeakageScore(KMeans(n_init=3, random_state=0), random_state=0),
        {"clusterer__n_clusters": [4, 10_000]},
        cv=2,
        error_score=-1.0,
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    )
    with pytest.warns(FitFailedWarning, match="fits failed"):
        search.fit(X)
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_reproducibility"][1], -1.0
    )
    assert search.best_params_ == {"clusterer__n_clusters": 4}


def test_max_samples_subsamples_probe_only(blobs4):
    X, _ = blobs4
    est = LeakageScore(kmeans(4), max_samples=200, random_state=0).fit(X)
    assert est.labels_.shape == (600,)
    assert est.sample_indices_.shape[0] == pytest.approx(200, abs=4)
    assert est.oof_proba_.shape[0] == est.sample_indices_.shape[0]
    # Each cluster keeps its share of rows: about 50 of 150.
    counts = np.bincount(est.labels_[est.sample_indices_])
    np.testing.assert_allclose(counts, 50, atol=2)


# A DIA matrix of scattered values has one diagonal per row; scipy says so.
@pytest.mark.filterwarnings("ignore::scipy.sparse.SparseEfficiencyWarning")
@pytest.mark.parametrize("container", ["matrix", "array"])
@pytest.mark.parametrize("fmt", ["csr", "csc", "coo", "lil", "dok", "bsr", "dia"])
def test_sparse_input(blobs4, fmt, container):
    import scipy.sparse as sp

    X, _ = blobs4
    dense = X - X.min()
    make = sp.csr_matrix if container == "matrix" else sp.csr_array
    X_sparse = make(dense).asformat(fmt)
    est = LeakageScore(kmeans(4), random_state=0).fit(X_sparse)
    assert est.total_leakage_ < 0.05
    assert default_classifier(X_sparse).steps[0][1].with_mean is False
    labels = est.predict(X_sparse)
    assert labels.shape == (600,)
    proba = est.predict_proba(X_sparse)
    assert proba.shape == (600, 4)
    np.testing.assert_array_equal(est.classes_[proba.argmax(axis=1)], labels)
    assert 0.95 < est.score(X_sparse[::2] if fmt == "csr" else make(dense[::2])) <= 1


def test_sparse_input_with_64_bit_indices_gets_the_clusterers_message(blobs4):
    import scipy.sparse as sp

    X, _ = blobs4
    X_sparse = sp.csr_matrix(X - X.min())
    X_sparse.indices = X_sparse.indices.astype(np.int64)
    X_sparse.indptr = X_sparse.indptr.astype(np.int64)
    # The matrix reaches the clusterer untouched; KMeans takes 32-bit indices
    # only and says so, which scikit-learn's estimator checks accept.
    with pytest.raises(ValueError, match="sparse matrices with 32-bit integer"):
        LeakageScore(kmeans(4), random_state=0).fit(X_sparse)


@pytest.mark.parametrize(
    "X, match",
    [
        (
            np.array([[np.nan, 1.0], [1.0, 2.0], [3.0, 1.0]]),
            r"contains NaN.*make_pipeline\(SimpleImputer\(\), clusterer\)",
        ),
        (np.array([[np.inf, 1.0], [1.0, 2.0], [3.0, 1.0]]), "infinity"),
        (np.zeros((0, 2)), "0 sample"),
        (np.array([[1.0, 2.0]]), "1 sample"),
    ],
)
def test_bad_X_raises(X, match):
    with pytest.raises(ValueError, match=match):
        LeakageScore(kmeans(2)).fit(X)


def test_non_numeric_columns_are_named_with_the_fix():
    import pandas as pd

    df = pd.DataFrame(
        {
            "a": [1.0, 2.0, 3.0, 4.0],
            "shop": ["x", "y", "x", "y"],
            "grade": pd.Categorical(["u", "v", "u", "v"]),
            "member": [True, False, True, False],
        }
    )
    before = df.copy()
    match = r"not numbers: 'shop', 'grade'\. .*drop them.*one-hot"
    with pytest.raises(ValueError, match=match):
        LeakageScore(kmeans(2)).fit(df)
    with pytest.raises(ValueError, match=match):
        select_n_clusters(df, kmeans(2), range(1, 3))
    fitted = LeakageScore(kmeans(2), random_state=0).fit(df[["a", "member"]])
    # New data with text where the fitted data had numbers are named too.
    with pytest.raises(ValueError, match="not numbers: 'member'"):
        fitted.predict_proba(df[["a", "shop"]].rename(columns={"shop": "member"}))
    pd.testing.assert_frame_equal(df, before)


def test_text_columns_encoded_in_front_of_leakage_score():
    # The recipe the error names: encode in a Pipeline before LeakageScore.
    # Three blobs in two numeric columns beside a shop drawn at random: the
    # one-hot shop columns put each blob's rows on two exact parallel planes,
    # so the search finds 3 blobs x 2 shops = 6 clusters, as the message
    # warns, and 3 once the shop is dropped.
    import pandas as pd
    from sklearn.compose import make_column_transformer
    from sklearn.model_selection import RepeatedKFold
    from sklearn.preprocessing import OneHotEncoder

    X, blob = make_blobs(n_samples=300, centers=3, random_state=2)
    shop = np.random.default_rng(0).choice(["north", "south"], 300)
    frame = pd.DataFrame({"x": X[:, 0], "y": X[:, 1], "shop": shop})
    encode = make_column_transformer(
        (StandardScaler(), ["x", "y"]), (OneHotEncoder(), ["shop"])
    )
    search = GridSearchCV(
        make_pipeline(
            encode,
            LeakageScore(
                KMeans(n_init=10, random_state=0), compute_oof=False, random_state=0
            ),
        ),
        {"leakagescore__clusterer__n_clusters": range(1, 7)},
        cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    ).fit(frame)
    assert search.best_params_["leakagescore__clusterer__n_clusters"] == 6
    # The 6 clusters are the blobs split by shop (two blobs touch: adjusted
    # Rand index 0.87 measured against blob x shop).
    assert (
        adjusted_rand_score(2 * blob + (shop == "north"), search.predict(frame)) > 0.8
    )
    assert search.predict_proba(frame).shape == (300, 6)
    numeric = select_n_clusters(
        frame.drop(columns=["shop"]),
        KMeans(n_init=10, random_state=0),
        range(1, 7),
        random_state=0,
    )
    assert numeric.best_params_["clusterer__n_clusters"] == 3


class _NoiseOnSmallData(KMeans):
    """KMeans that calls every point noise when given fewer than 400 rows."""

    def fit_predict(self, X, y=None, sample_weight=None):
        labels = super().fit_predict(X)
        return labels if X.shape[0] >= 400 else np.full(X.shape[0], -1)


def test_refit_fold_that_finds_only_noise_counts_as_leaking(blobs4):
    # All 600 rows get 4 clusters, but with cv=2 each training fold has 300
    # rows: the refitted clusterer finds only noise there, so nothing can be
    # predicted and every held-out point gets 1/4 on each cluster.
    X, _ = blobs4
    est = LeakageScore(
        _NoiseOnSmallData(4, n_init=3, random_state=0), cv=2, random_state=0
    ).fit(X)
    assert est.n_clusters_ == 4
    np.testing.assert_allclose(est.oof_proba_, 0.25)
    assert est.total_leakage_ == 1.0


def test_one_feature_and_constant_columns(blobs4):
    X, _ = blobs4
    # One informative feature: blob centres still differ along x.
    one = LeakageScore(kmeans(2), random_state=0).fit(X[:, :1])
    assert one.n_features_in_ == 1
    assert one.oof_proba_.shape == (600, 2)
    # A constant column carries nothing; StandardScaler leaves it at 0.
    padded = np.hstack([X, np.full((600, 1), 7.0)])
    est = LeakageScore(kmeans(4), random_state=0).fit(padded)
    assert est.total_leakage_ < 0.02


def test_duplicate_rows_and_more_clusters_than_half_the_rows():
    # 12 rows, 4 distinct points, 7 clusters asked: KMeans can make only 4.
    X = np.repeat([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0], [5.0, 5.0]], 3, axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # KMeans' ConvergenceWarning
        est = LeakageScore(kmeans(7), random_state=0).fit(X)
    # Four distinct points make four clusters of three identical rows each,
    # and identical rows are predicted together: nothing leaks.
    assert est.n_clusters_ == 4
    assert np.bincount(est.labels_).tolist() == [3, 3, 3, 3]
    assert est.total_leakage_ == 0.0
    np.testing.assert_allclose(est.oof_proba_.sum(axis=1), 1.0)


def test_fewer_rows_than_folds_reduces_the_folds():
    # 4 rows, cv=5: the folds drop to 2 (the largest cluster's size), so every
    # cluster is still in every training fold and nothing warns or leaks.
    X = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", SmallClusterWarning)
        est = LeakageScore(kmeans(2), cv=5, random_state=0).fit(X)
    assert est.total_leakage_ == 0.0


def test_class_missing_from_a_training_fold_gets_zero_column():
    # Cluster "c" has one point: when it is held out, the probe never saw "c",
    # so its predict_proba has 2 columns; they go to "a" and "b", "c" gets 0.
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.2, (20, 2)), rng.normal(4, 0.2, (20, 2)), [[9, 9]]])
    from sklearn_leakage import cross_val_proba

    labels = np.array(["a"] * 20 + ["b"] * 20 + ["c"])
    with pytest.warns(SmallClusterWarning, match="one-point cluster"):
        proba = cross_val_proba(X, labels, random_state=0)
    assert proba.shape == (41, 3)
    assert proba[-1, 2] == 0.0
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def _details_of_halves(X, ks, n_init):
    """score_details of the odd rows, per k, for KMeans fitted on the even rows."""
    details = {}
    for k in ks:
        est = LeakageScore(
            KMeans(k, n_init=n_init, random_state=0), compute_oof=False, random_state=0
        ).fit(X[::2])
        details[k] = est.score_details(X[1::2])
    return details


def test_score_details_report_prediction_strength():
    # Four blobs, some of them touching. Fitted on one half and scored on the
    # other, k = 4 keeps 86% of each held-out cluster's pairs together (its
    # worst cluster's mean probability on its paired cluster is 0.91); k = 6
    # cuts blobs where the two halves disagree, and fewer than half of the
    # worst cluster's pairs stay together. One cluster keeps all of them.
    X, _ = make_blobs(600, centers=4, random_state=0)
    details = _details_of_halves(X, (1, 4, 6), n_init=10)
    assert details[1]["prediction_strength"] == 1.0
    assert details[4]["prediction_strength"] == pytest.approx(0.855, abs=0.01)
    assert details[4]["reproducibility"] == pytest.approx(0.909, abs=0.01)
    assert details[6]["prediction_strength"] == pytest.approx(0.485, abs=0.01)


def test_score_details_measure_the_densest_boundary():
    # Three blobs with gaps between them: k=3 draws its boundaries through the
    # gaps (no neighbour across), k=4 cuts one blob through its middle, which
    # is denser than the densest cut through the uniform reference.
    X, _ = make_blobs(900, centers=[[-8, 0], [0, 8], [8, 0]], random_state=1)
    details = _details_of_halves(X, (3, 4), n_init=3)
    assert details[3]["boundary_leakage"] == 0.0
    assert details[3]["reference_boundary_leakage"] == pytest.approx(0.044, abs=0.005)
    assert details[4]["boundary_leakage"] == pytest.approx(0.0573, abs=0.005)
    assert details[4]["boundary_leakage"] > details[4]["reference_boundary_leakage"]
    # The dispersion gain log(W_1 / W_k) cannot see that cut: the blobs are
    # far tighter than the reference's cells at k = 3 (3.36 against 1.14) and
    # cutting one blob in two tightens the partition further (3.49 at k = 4).
    assert details[3]["dispersion_gain"] == pytest.approx(3.363, abs=0.01)
    assert details[3]["reference_dispersion_gain"] == pytest.approx(1.140, abs=0.05)
    assert details[4]["dispersion_gain"] > details[3]["dispersion_gain"]


def test_scoring_much_less_data_than_was_fitted_warns():
    X, _ = make_blobs(n_samples=400, centers=3, random_state=0)
    est = LeakageScore(KMeans(3, n_init=3, random_state=0), compute_oof=False)
    est.set_params(random_state=0).fit(X[:200])
    # Halves (and a third against two thirds) are even-handed enough.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnbalancedSplitWarning)
        est.score(X[200:])
        est.score(X[200:300])
    # A fifth against four fifths, as in GridSearchCV's default 5 folds.
    with pytest.warns(
        UnbalancedSplitWarning, match="X has 50 rows, the fitted data 200"
    ):
        est.score(X[200:250])
    search = GridSearchCV(
        LeakageScore(KMeans(n_init=3, random_state=0), compute_oof=False),
        {"clusterer__n_clusters": [1, 2, 3]},
        cv=5,
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    )
    with pytest.warns(UnbalancedSplitWarning, match=r"RepeatedKFold\(n_splits=2"):
        search.fit(X)


def test_scoring_the_fitted_rows_warns_that_the_score_is_in_sample():
    # A nearest-neighbour probe predicts its own training points, and the
    # clusterer refitted on the same rows replays their partition: six
    # Gaussian components on uniform noise score 1 on the fitted rows.
    rng = np.random.RandomState(0)
    noise, fresh = rng.uniform(size=(600, 2)), rng.uniform(size=(600, 2))
    est = LeakageScore(GaussianMixture(6, n_init=3), random_state=0).fit(noise)
    for score in (est.score, lambda X: est.score_details(X)["reproducibility"]):
        with pytest.warns(
            InSampleScoreWarning, match="nearest neighbours predict each"
        ) as record:
            in_sample = score(noise)
        assert in_sample == 1.0
        # The warning points at the caller's line, not at the package.
        assert record[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error", InSampleScoreWarning)
        # On fresh noise the worst of the six clusters is paired with a
        # training cluster that none of its points' neighbours belong to.
        assert est.score(fresh) == 0.0
        # Fresh rows with a few fitted ones among them are not all seen.
        assert est.score(np.vstack([fresh[:500], noise[:100]])) < 0.5
    # A part of the fitted rows, in another order: the probe has seen them all.
    part = noise[np.random.RandomState(1).permutation(600)[:400]]
    with pytest.warns(InSampleScoreWarning, match="or a part, in any order"):
        est.score(part)


def test_an_in_sample_score_of_k_means_is_higher_than_held_out():
    # The user guide's number: k-means on four blobs scores 0.96 on the rows
    # it was fitted on, 0.91 and 0.94 on the half it was not.
    X, _ = make_blobs(400, centers=4, random_state=0)
    est = LeakageScore(KMeans(4, n_init=3), random_state=0)
    with pytest.warns(InSampleScoreWarning) as record:
        assert est.fit(X).score(X) == pytest.approx(0.957, abs=5e-4)
    # Its probe is a logistic regression: no word of nearest neighbours, nor
    # of a score of 1.
    (said,) = [w for w in record if w.category is InSampleScoreWarning]
    assert "the probe has seen every point, and" in str(said.message)
    assert "neighbours" not in str(said.message)
    with warnings.catch_warnings():
        warnings.simplefilter("error", InSampleScoreWarning)
        assert est.fit(X[:200]).score(X[200:]) == pytest.approx(0.911, abs=5e-4)
        assert est.fit(X[200:]).score(X[:200]) == pytest.approx(0.936, abs=5e-4)


def test_a_pipeline_clusterer_names_a_one_dimensional_row_as_such():
    # The steps take X unchecked; a single row passed as a 1-D array had
    # surfaced as "X does not contain any features".
    X, _ = make_blobs(n_samples=60, n_features=3, centers=3, random_state=0)
    pipeline = make_pipeline(StandardScaler(), KMeans(3, n_init=3, random_state=0))
    est = LeakageScore(pipeline, random_state=0).fit(X)
    for method in (est.predict, est.predict_proba):
        with pytest.raises(
            ValueError, match=r"2-dimensional X, as at fit, got 1 dimension\(s\)"
        ):
            method(X[0])
    assert est.predict(X[:1]).shape == (1,)


def test_a_pipeline_clusterer_takes_the_one_dimensional_input_of_its_steps():
    # A text vectorizer's documents are 1-D, and theirs to take.
    docs = [f"apple pear fig {i}" for i in range(30)] + [
        f"train bus car {i}" for i in range(30)
    ]
    pipeline = make_pipeline(TfidfVectorizer(), KMeans(2, n_init=3, random_state=0))
    est = LeakageScore(pipeline, random_state=0).fit(docs)
    assert adjusted_rand_score(np.repeat([0, 1], 30), est.labels_) == 1.0
    assert (
        est.predict(["fig pear apple", "bus car"]).tolist()
        == est.predict([docs[0], docs[-1]]).tolist()
    )


def test_a_pipeline_clusterer_warns_once_about_feature_names():
    # Fitted on a data frame, given an array: one warning, as a Pipeline gives,
    # not one from LeakageScore and another from its scaler.
    X, _ = make_blobs(n_samples=100, n_features=3, centers=3, random_state=0)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    pipeline = make_pipeline(StandardScaler(), KMeans(3, n_init=3, random_state=0))
    est = LeakageScore(pipeline, random_state=0).fit(frame)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.predict(X)
    names = [w for w in caught if "feature names" in str(w.message)]
    assert len(names) == 1
    assert "LeakageScore was fitted with feature names" in str(names[0].message)


class _BlasThreadsKMeans(KMeans):
    """k-means that records how many BLAS threads its fits were given."""

    def fit(self, X, y=None, sample_weight=None):
        self.blas_threads_ = [
            pool["num_threads"]
            for pool in threadpool_info()
            if pool["user_api"] == "blas"
        ]
        return super().fit(X, y, sample_weight)


def _blas_threads():
    return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]


def test_fit_and_score_hold_blas_to_one_thread():
    # The search's many small fits run faster with one BLAS thread; the
    # estimator sets it itself, whatever the caller's setting, and gives the
    # caller's setting back.
    X, _ = make_blobs(n_samples=200, centers=3, random_state=0)
    with threadpool_limits(limits=2, user_api="blas"):
        outside = _blas_threads()
        if not outside or max(outside) < 2:
            pytest.skip("this BLAS cannot be given two threads")
        clusterer = _BlasThreadsKMeans(3, n_init=1, random_state=0)
        est = LeakageScore(clusterer, random_state=0).fit(X[:100])
        assert est.clusterer_.blas_threads_ == [1] * len(outside)
        assert _blas_threads() == outside
        est.score(X[100:])
        assert _blas_threads() == outside


class _ProcessSetting:
    """A stand-in for threadpool_limits over one process-wide setting.

    OpenBLAS may ignore a limit set from a thread other than the main one, so
    the overlap of two threads is checked on the bookkeeping itself.
    """

    value = 2

    def __init__(self, limits, user_api):
        self.original = _ProcessSetting.value
        _ProcessSetting.value = limits

    def restore_original_limits(self):
        _ProcessSetting.value = self.original


def test_one_blas_thread_gives_the_setting_back_across_threads(monkeypatch):
    # Two calls overlap in two threads: A enters, B enters, A leaves, B
    # leaves. Each restoring what it found on entry, A would give B two
    # threads while B runs, and B would then restore A's 1 for good.
    monkeypatch.setattr(threads_module, "threadpool_limits", _ProcessSetting)
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with threads_module.one_blas_thread():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def second():
        a_in.wait(5)
        with threads_module.one_blas_thread():
            b_in.set()
            a_out.wait(5)
            seen["while B holds"] = _ProcessSetting.value

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen["while B holds"] == 1
    assert _ProcessSetting.value == 2


def test_refit_folds_learn_the_noise_cluster_when_noise_is_a_cluster():
    # With noise="cluster", -1 is a cluster: the folds' refitted DBSCAN marks
    # noise too, and the probe must learn it. Before, the folds left their
    # -1 out, so no noise point could be predicted as noise (p(own) 0.0).
    X, _ = make_blobs(n_samples=300, centers=[[0, 0], [6, 0]], random_state=0)
    rng = np.random.default_rng(0)
    X = np.vstack([X, rng.uniform([-3, -3], [9, 3], size=(100, 2))])
    est = LeakageScore(
        DBSCAN(eps=0.5, min_samples=8), noise="cluster", random_state=0
    ).fit(X)
    labels = est.labels_[est.sample_indices_]
    columns = np.searchsorted(est.classes_, labels)
    own = est.oof_proba_[np.arange(labels.shape[0]), columns]
    assert own[labels == -1].mean() > 0.8


def test_the_fitted_estimator_keeps_no_more_of_the_reference_than_it_scores():
    X, _ = make_blobs(n_samples=400, centers=3, random_state=0)
    est = LeakageScore(kmeans(3), random_state=0).fit(X)
    held_out = est.reference_.held_out_
    # Its own rows, not a view of the draw of twice as many.
    assert held_out.shape[0] == 400
    assert held_out.base is None or held_out.base.shape[0] == 400
