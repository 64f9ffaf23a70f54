"""n_init="auto" of a k-means becomes several runs in every fit of LeakageScore."""

import warnings

import numpy as np
import pytest
from sklearn.cluster import (
    AgglomerativeClustering,
    BisectingKMeans,
    KMeans,
    MiniBatchKMeans,
)
from sklearn.datasets import make_blobs
from sklearn.mixture import BayesianGaussianMixture, GaussianMixture
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_leakage import LeakageScore, select_n_clusters
from sklearn_leakage._restarts import single_start_steps, with_restarts
from sklearn_leakage.exceptions import SingleStartWarning


@pytest.mark.parametrize(
    "clusterer, expected",
    [
        (KMeans(), 10),
        (MiniBatchKMeans(), 10),
        # The user's own numbers, and starts where "auto" already means
        # several runs or where runs cannot differ, are kept.
        (KMeans(n_init=1), 1),
        (KMeans(n_init=4), 4),
        (KMeans(init="random"), "auto"),
        (KMeans(init=np.zeros((2, 2)), n_clusters=2), "auto"),
        (BisectingKMeans(), 1),
    ],
)
def test_auto_runs_resolve_to_scikit_learns_former_defaults(clusterer, expected):
    before = clusterer.n_init
    resolved = with_restarts(clusterer)
    assert resolved.get_params()["n_init"] == expected
    assert resolved is not clusterer
    # The user's object keeps what it had.
    assert clusterer.n_init == before


def test_pipelines_get_their_k_means_step_resolved_and_others_untouched():
    pipeline = make_pipeline(StandardScaler(), KMeans(3))
    resolved = with_restarts(pipeline)
    assert resolved.get_params()["kmeans__n_init"] == 10
    assert pipeline.get_params()["kmeans__n_init"] == "auto"
    agglomerative = AgglomerativeClustering(3)
    assert with_restarts(agglomerative).get_params() == agglomerative.get_params()


@pytest.mark.filterwarnings("ignore::sklearn_leakage.exceptions.InSampleScoreWarning")
def test_every_fit_of_the_estimator_uses_the_resolved_runs():
    X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
    clusterer = KMeans(3, random_state=0)
    est = LeakageScore(clusterer, cv=3, random_state=0).fit(X)
    assert est.clusterer_.n_init == 10
    assert est.get_params()["clusterer"] is clusterer
    assert clusterer.n_init == "auto"
    # Same partition as an explicit KMeans(n_init=10) with the same seed.
    explicit = LeakageScore(KMeans(3, n_init=10, random_state=0), cv=3, random_state=0)
    explicit.fit(X)
    np.testing.assert_array_equal(est.labels_, explicit.labels_)
    np.testing.assert_allclose(est.oof_proba_, explicit.oof_proba_)
    assert est.score_details(X) == explicit.score_details(X)


@pytest.fixture(scope="module")
def twelve_blobs():
    """Twelve blobs in 5 dimensions, 50 points each: many local optima."""
    X, _ = make_blobs(
        n_samples=600, centers=12, n_features=5, center_box=(-8, 8), random_state=1
    )
    return X


def _search_around_twelve(X, clusterer):
    """select_n_clusters over 1 and 11 to 13 clusters, seeded."""
    return select_n_clusters(X, clusterer, [1, 11, 12, 13], random_state=0)


def test_default_k_means_finds_twelve_blobs_that_single_runs_miss(twelve_blobs):
    # Single k-means++ runs land in different local optima on the two halves
    # (a pair merged here, a blob split there), so k = 12 does not reproduce
    # and the answer falls to 1.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one-cluster and small-cluster notes
        default = _search_around_twelve(twelve_blobs, KMeans(random_state=0))
        single = _search_around_twelve(twelve_blobs, KMeans(n_init=1, random_state=0))
    assert default.best_params_ == {"clusterer__n_clusters": 12}
    reproducibility = default.cv_results_["mean_test_reproducibility"]
    assert reproducibility[2] == pytest.approx(0.98, abs=0.01)
    assert single.best_params_ == {"clusterer__n_clusters": 1}
    assert single.cv_results_["mean_test_reproducibility"][2] < 0.5


@pytest.mark.parametrize(
    "clusterer, expected",
    [
        (KMeans(), []),
        (KMeans(n_init=1), ["KMeans"]),
        (KMeans(n_init=1, init=np.zeros((2, 2)), n_clusters=2), []),
        (BisectingKMeans(), ["BisectingKMeans"]),
        (GaussianMixture(), ["GaussianMixture"]),
        (GaussianMixture(n_init=3), []),
        (make_pipeline(StandardScaler(), GaussianMixture()), ["gaussianmixture"]),
        # It has no means_init, which was read and raised AttributeError.
        (BayesianGaussianMixture(), ["BayesianGaussianMixture"]),
        (BayesianGaussianMixture(n_init=3), []),
        (AgglomerativeClustering(), []),
    ],
)
def test_single_start_steps_names_what_starts_once(clusterer, expected):
    assert single_start_steps(clusterer) == expected


def test_a_bayesian_mixture_at_its_defaults_is_searched_with_the_warning():
    # select_n_clusters raised AttributeError ('means_init') before any fit.
    X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
    with pytest.warns(SingleStartWarning, match="BayesianGaussianMixture"):
        search = select_n_clusters(
            X, BayesianGaussianMixture(random_state=0), range(1, 5), random_state=0
        )
    assert search.best_params_ == {"clusterer__n_components": 3}


def test_single_mixture_starts_miss_twelve_blobs_and_the_search_says_so(
    twelve_blobs,
):
    # EM from one k-means start lands in different local optima on the
    # halves; five starts find all twelve.
    with pytest.warns(SingleStartWarning, match=r"Pass n_init=5 or more"):
        single = _search_around_twelve(twelve_blobs, GaussianMixture(random_state=0))
    assert single.best_params_ == {"clusterer__n_components": 1}
    with warnings.catch_warnings():
        warnings.simplefilter("error", SingleStartWarning)
        several = _search_around_twelve(
            twelve_blobs, GaussianMixture(n_init=5, random_state=0)
        )
    assert several.best_params_ == {"clusterer__n_components": 12}


def test_mini_batches_need_the_same_ten_runs(twelve_blobs):
    # MiniBatchKMeans used 3 runs before scikit-learn 1.4; on the twelve blobs
    # 3 answer 1 and the 10 that "auto" becomes here find all twelve.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one-cluster and small-cluster notes
        auto = _search_around_twelve(twelve_blobs, MiniBatchKMeans(random_state=0))
        three = _search_around_twelve(
            twelve_blobs, MiniBatchKMeans(n_init=3, random_state=0)
        )
    assert auto.best_estimator_.clusterer_.n_init == 10
    assert auto.best_params_ == {"clusterer__n_clusters": 12}
    assert three.best_params_ == {"clusterer__n_clusters": 1}
