"""Scale: dtypes, sparse input, subsampling, parallel runs and memory."""

import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score

from sklearn_leakage import LeakageScore, select_n_clusters
from sklearn_leakage._subsample import AUTO_MAX_SAMPLES, stratified_subsample


def kmeans(n_clusters=None, n_init=3):
    if n_clusters is None:
        return KMeans(n_init=n_init, random_state=0)
    return KMeans(n_clusters, n_init=n_init, random_state=0)


class RecordingKMeans(KMeans):
    """KMeans that logs the container type and dtype of every X it is fitted on."""

    received: list = []

    def fit(self, X, y=None, sample_weight=None):
        RecordingKMeans.received.append((type(X), X.dtype))
        return super().fit(X, y, sample_weight=sample_weight)


class RecordingLogisticRegression(LogisticRegression):
    """LogisticRegression that logs the container type and dtype it is fitted on."""

    received: list = []

    def fit(self, X, y, sample_weight=None):
        RecordingLogisticRegression.received.append((type(X), X.dtype))
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.fixture
def recorded():
    """Empty logs before the test; every clone appends to its class's log."""
    RecordingKMeans.received.clear()
    RecordingLogisticRegression.received.clear()
    yield
    RecordingKMeans.received.clear()
    RecordingLogisticRegression.received.clear()


# ---- dtypes -------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::sklearn_leakage.exceptions.InSampleScoreWarning")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_reaches_clusterer_and_probe_unchanged(recorded, dtype):
    X, _ = make_blobs(n_samples=400, centers=3, random_state=0)
    X = X.astype(dtype)
    X_before = X.copy()
    est = LeakageScore(
        RecordingKMeans(3, n_init=3, random_state=0),
        RecordingLogisticRegression(C=100, max_iter=1000),
        random_state=0,
    ).fit(X)
    est.score(X)

    assert est.clusterer_.cluster_centers_.dtype == dtype
    # One fit on all of X, one per fold (5), more in score(): every one of them
    # must see X's own dtype, so no float64 copy of a float32 X is ever made.
    assert len(RecordingKMeans.received) >= 6
    assert {dt for _, dt in RecordingKMeans.received} == {np.dtype(dtype)}
    assert len(RecordingLogisticRegression.received) >= 6
    assert {dt for _, dt in RecordingLogisticRegression.received} == {np.dtype(dtype)}
    np.testing.assert_array_equal(X, X_before)


# ---- sparse input -------------------------------------------------------------------

#: Three topics with disjoint vocabularies, and filler words every document shares.
TOPICS = (
    "star planet orbit galaxy telescope comet nebula asteroid moon quasar",
    "flour butter oven simmer garlic recipe whisk saute onion pepper",
    "mast hull keel anchor harbour tide rudder jib starboard regatta",
)
FILLER = "the a of and to in is it that with".split()


def topic_corpus(n_per_topic=60, seed=0):
    """Documents of 8-14 topic words and 6 filler words, in random order, and topics."""
    rng = np.random.default_rng(seed)
    documents, topics = [], []
    for topic, vocabulary in enumerate(TOPICS):
        words = vocabulary.split()
        for _ in range(n_per_topic):
            chosen = list(rng.choice(words, rng.integers(8, 15)))
            chosen += list(rng.choice(FILLER, 6))
            documents.append(" ".join(rng.permutation(chosen)))
            topics.append(topic)
    # Shuffled: an unshuffled cv=2 would otherwise hold out whole topics.
    order = rng.permutation(len(documents))
    return [documents[i] for i in order], np.array(topics)[order]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sparse_tfidf_topics_recovered(recorded, dtype):
    documents, topics = topic_corpus()
    X = TfidfVectorizer(dtype=dtype).fit_transform(documents)
    assert sp.issparse(X)
    assert X.format == "csr"

    est = LeakageScore(RecordingKMeans(3, n_init=3, random_state=0), random_state=0)
    est.fit(X)
    assert est.n_clusters_ == 3
    assert adjusted_rand_score(topics, est.labels_) == 1.0
    # Disjoint vocabularies: no document sits near a boundary (measured 0.0).
    assert est.total_leakage_ <= 0.02
    # The clusterer got the sparse matrix itself, in its dtype, every time.
    assert {(t, dt) for t, dt in RecordingKMeans.received} == {
        (type(X), np.dtype(dtype))
    }
    # score() refits on held-out sparse rows; every topic reproduces there.
    assert est.score(X[1::2]) >= 0.95


def test_sparse_tfidf_search_finds_the_topics():
    documents, _ = topic_corpus()
    X = TfidfVectorizer().fit_transform(documents)
    search = select_n_clusters(X, kmeans(), range(2, 6), cv=2, random_state=0)
    assert search.best_params_["clusterer__n_clusters"] == 3


# ---- max_samples --------------------------------------------------------------------


@pytest.fixture
def unequal_blobs():
    """Blobs of 600, 300 and 100 rows, 10 std apart: KMeans finds them exactly."""
    return make_blobs(
        n_samples=[600, 300, 100],
        centers=[[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]],
        random_state=0,
    )


@pytest.mark.parametrize(
    ("max_samples", "n_scored"),
    [(200, 200), (0.25, 250), (None, 1000), ("auto", 1000), (5000, 1000)],
)
def test_max_samples_count_and_stratification(unequal_blobs, max_samples, n_scored):
    X, y = unequal_blobs
    est = LeakageScore(kmeans(3), max_samples=max_samples, random_state=0).fit(X)
    # The clusterer always sees every row; the probe only the subsample.
    assert est.labels_.shape == (1000,)
    assert adjusted_rand_score(y, est.labels_) == 1.0
    assert est.sample_indices_.shape == (n_scored,)
    assert est.oof_proba_.shape == (n_scored, 3)
    assert np.all(np.diff(est.sample_indices_) > 0)  # sorted, no repeats
    # Stratified: 200 of 1000 rows keeps 120, 60 and 20 of the 600, 300 and 100.
    sizes = np.bincount(est.labels_)
    kept = np.bincount(est.labels_[est.sample_indices_], minlength=3)
    np.testing.assert_array_equal(kept, sizes * n_scored // 1000)
    if n_scored == 1000:
        np.testing.assert_array_equal(est.sample_indices_, np.arange(1000))


def test_max_samples_seed_changes_rows_not_counts(unequal_blobs):
    X, _ = unequal_blobs
    one = LeakageScore(kmeans(3), max_samples=200, random_state=0).fit(X)
    two = LeakageScore(kmeans(3), max_samples=200, random_state=1).fit(X)
    assert not np.array_equal(one.sample_indices_, two.sample_indices_)
    np.testing.assert_array_equal(
        np.bincount(one.labels_[one.sample_indices_]),
        np.bincount(two.labels_[two.sample_indices_]),
    )


def test_tiny_cluster_kept_by_subsample():
    # 2 of 1000 rows form their own cluster: 200 rows would give it 0.4 of a row.
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (998, 2)), [[50.0, 50.0], [50.5, 50.0]]])
    est = LeakageScore(kmeans(2), cv=2, max_samples=200, random_state=0).fit(X)
    kept = np.bincount(est.labels_[est.sample_indices_], minlength=2)
    assert kept.min() >= 1


def test_int_max_samples_is_exact_when_quotas_round():
    X, _ = make_blobs(
        n_samples=[603, 297, 100],
        centers=[[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]],
        random_state=0,
    )
    est = LeakageScore(kmeans(3), max_samples=200, random_state=0).fit(X)
    assert est.sample_indices_.shape == (200,)


# ---- stratified_subsample ----------------------------------------------------------


def test_subsample_apportions_exactly_with_noise_and_absent_codes():
    # Codes 0, 1 and 3 (2 absent) and noise: 5,000, 3,000, 1,500 and 500 rows.
    codes = np.repeat(np.array([0, 1, 3, -1]), [5000, 3000, 1500, 500])
    codes = np.random.default_rng(0).permutation(codes)
    kept = stratified_subsample(codes, 1001, seed=0)
    assert kept.shape == (1001,)
    assert np.all(np.diff(kept) > 0)  # sorted, no repeats
    # Shares of 1001 rows: 500.5, 300.3, 150.15 and 50.05 (noise). Floors give
    # 500 + 300 + 150 + 50 = 1000; the one missing row goes to the largest
    # remainder, cluster 0's 0.5. The absent code 2 gets nothing.
    counts = np.bincount(codes[kept] + 1, minlength=5)
    np.testing.assert_array_equal(counts, [50, 501, 300, 0, 150])


def test_subsample_keeps_one_row_of_every_tiny_group():
    # 300 groups (more than a byte holds) of 1,000 rows, then 40 one-row groups.
    codes = np.concatenate([np.repeat(np.arange(300), 1000), np.arange(300, 340)])
    kept = stratified_subsample(codes, 3000, seed=1)
    counts = np.bincount(codes[kept], minlength=340)
    # The 40 singletons keep their row (share 0.01 each); the 300 large groups
    # share the other 2,960 rows: 9.87 each, so 260 get 10 and 40 get 9.
    np.testing.assert_array_equal(counts[300:], np.ones(40))
    assert kept.shape == (3000,)
    assert sorted(np.unique(counts[:300])) == [9, 10]
    assert np.sum(counts[:300] == 10) == 260


def test_subsample_draws_uniformly_within_each_group():
    # Over 2,000 seeds, each of a group's rows must be kept about equally often:
    # a draw that favoured the first rows of a group (or the rows in input
    # order) would give a slope in the counts.
    codes = np.repeat([0, 1], [60, 40])
    hits = np.zeros(100)
    for seed in range(2000):
        hits[stratified_subsample(codes, 10, seed)] += 1
    # Expected 2000 * 6/60 = 200 per row of group 0 and 2000 * 4/40 = 200 of
    # group 1; a binomial count has sd sqrt(2000 * 0.1 * 0.9) = 13.4.
    assert np.all(np.abs(hits - 200) < 5 * 13.4)
    assert abs(hits[:30].sum() - hits[30:60].sum()) < 5 * 13.4 * np.sqrt(60)


def test_subsample_seed_reproduces_rows():
    codes = np.random.default_rng(2).integers(-1, 5, 5000)
    np.testing.assert_array_equal(
        stratified_subsample(codes, 700, 3), stratified_subsample(codes, 700, 3)
    )
    assert not np.array_equal(
        stratified_subsample(codes, 700, 3), stratified_subsample(codes, 700, 4)
    )


def test_subsample_memory_is_one_index_array():
    # At a million rows the only temporaries of n entries should be the 1-byte
    # group array and the sort's index array (8 bytes a row); the earlier
    # version made a dozen int64 arrays of n (46 MB here).
    n_samples = 1_000_000
    codes = np.random.default_rng(0).integers(-1, 10, n_samples).astype(np.intp)
    tracemalloc.start()
    try:
        kept = stratified_subsample(codes, AUTO_MAX_SAMPLES, seed=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept.shape == (AUTO_MAX_SAMPLES,)
    assert peak < 1.5 * 8 * n_samples


# ---- max_samples="auto" beyond the cap ----------------------------------------------


@pytest.fixture(scope="module")
def above_cap():
    """Three float32 blobs of 2 x AUTO_MAX_SAMPLES rows in all, 4:3:1."""
    n_samples = 2 * AUTO_MAX_SAMPLES
    X, _ = make_blobs(
        n_samples=[n_samples // 2, 3 * n_samples // 8, n_samples // 8],
        centers=[[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]],
        random_state=0,
    )
    return X.astype(np.float32)


def test_auto_cap_keeps_dtype_and_shares(recorded, above_cap):
    X = above_cap
    est = LeakageScore(
        RecordingKMeans(3, n_init=1, random_state=0),
        RecordingLogisticRegression(C=100, max_iter=1000),
        cv=2,
        random_state=0,
    ).fit(X)
    assert est.labels_.shape == (X.shape[0],)
    assert est.sample_indices_.shape == (AUTO_MAX_SAMPLES,)
    assert est.oof_proba_.shape == (AUTO_MAX_SAMPLES, 3)
    # Half the rows of each cluster, to the row: a cluster of odd size gets its
    # half rounded up or down, as the remainders decide.
    sizes = np.bincount(est.labels_)
    kept = np.bincount(est.labels_[est.sample_indices_], minlength=3)
    assert np.all(np.abs(2 * kept - sizes) <= 1)
    # The subsample and the reference data stay float32 for every fit.
    assert {dt for _, dt in RecordingKMeans.received} == {np.dtype(np.float32)}
    assert {dt for _, dt in RecordingLogisticRegression.received} == {
        np.dtype(np.float32)
    }


@pytest.mark.filterwarnings("ignore::sklearn_leakage.exceptions.UnbalancedSplitWarning")
def test_auto_cap_same_numbers_with_two_jobs(above_cap):
    X = above_cap
    one, two = (
        LeakageScore(
            KMeans(3, n_init=1, random_state=0), n_jobs=n_jobs, random_state=0
        ).fit(X)
        for n_jobs in (1, 2)
    )
    np.testing.assert_array_equal(one.sample_indices_, two.sample_indices_)
    np.testing.assert_array_equal(one.oof_proba_, two.oof_proba_)
    assert one.total_leakage_ == two.total_leakage_
    assert one.score_details(X[::3]) == two.score_details(X[::3])


# ---- n_jobs -------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::sklearn_leakage.exceptions.UnbalancedSplitWarning")
def test_leakage_score_same_numbers_with_two_jobs(blobs4):
    X, _ = blobs4
    params = {"max_samples": 400, "random_state": 0}
    one = LeakageScore(kmeans(4), n_jobs=1, **params).fit(X[:450])
    two = LeakageScore(kmeans(4), n_jobs=2, **params).fit(X[:450])
    np.testing.assert_array_equal(one.labels_, two.labels_)
    np.testing.assert_array_equal(one.sample_indices_, two.sample_indices_)
    np.testing.assert_array_equal(one.oof_proba_, two.oof_proba_)
    assert one.total_leakage_ == two.total_leakage_
    assert one.score(X[450:]) == two.score(X[450:])


def test_select_n_clusters_same_numbers_with_two_jobs(blobs4):
    X, _ = blobs4
    searches = [
        select_n_clusters(X, kmeans(), range(2, 6), n_jobs=n_jobs, random_state=0)
        for n_jobs in (1, 2)
    ]
    one, two = (search.cv_results_ for search in searches)
    scores = [key for key in one if "_test_" in key]
    assert scores
    for key in scores:
        np.testing.assert_array_equal(one[key], two[key], err_msg=key)
    assert searches[0].best_params_ == searches[1].best_params_
    assert searches[0].best_params_["clusterer__n_clusters"] == 4


# ---- memory -------------------------------------------------------------------------


def test_memory_grows_linearly_not_quadratically():
    rng = np.random.default_rng(0)
    centers = rng.uniform(-10, 10, size=(4, 5))
    rows = rng.integers(0, 4, 200_000)
    X = (centers[rows] + rng.standard_normal((200_000, 5))).astype(np.float32)
    tracemalloc.start()
    try:
        est = LeakageScore(KMeans(4, n_init=1, random_state=0), random_state=0)
        est.fit(X)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert est.n_clusters_ == 4
    # tracemalloc counts what fit allocates, X excluded: measured 3.06 x
    # X.nbytes before issue #6 (its subsample made a dozen int64 arrays over the
    # rows), 2.66 after: KMeans' centred copy of X and np.var's temporary of X's
    # size, plus arrays of one entry per row, each 0.2-0.4 x X at 5 features. 6
    # leaves a 2x margin; any step quadratic in 200,000 rows would need
    # thousands of times X.
    assert peak < 6 * X.nbytes
