"""scikit-learn's estimator checks on LeakageScore, around six kinds of clusterer."""

from sklearn.cluster import DBSCAN, HDBSCAN, AgglomerativeClustering, KMeans
from sklearn.mixture import GaussianMixture
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_leakage import LeakageScore

#: Why the two sparse checks fail for every clusterer. They end by reading
#: ``tags.classifier_tags.multi_class`` of any estimator with predict_proba;
#: LeakageScore is no classifier (its predict_proba has one column per
#: cluster), so that tag set is None and the check raises AttributeError before
#: it compares anything. Fitting, predict and predict_proba on the same sparse
#: formats and index widths are tested in tests/test_estimator.py.
SPARSE_REASON = (
    "the check reads classifier_tags.multi_class of a non-classifier with "
    "predict_proba, which is None"
)

#: Why four checks fail with DBSCAN and HDBSCAN. On their small random data
#: both label every point as noise; the fit warns (SingleClusterWarning), and
#: predict_proba then has no cluster to give a probability for and raises,
#: rather than return an array without columns.
ALL_NOISE_REASON = "the clusterer labels all of the check's data as noise"


def _expected_failed_checks(estimator):
    expected = {}
    density = DBSCAN | HDBSCAN
    if isinstance(estimator.clusterer, KMeans | density):
        # They take sparse input, so the checks go on to the tag read. A
        # mixture, agglomerative clustering and the scaler pipeline refuse
        # sparse input with the message the checks ask for, and pass.
        expected["check_estimator_sparse_array"] = SPARSE_REASON
        expected["check_estimator_sparse_matrix"] = SPARSE_REASON
    if isinstance(estimator.clusterer, density) and estimator.noise == "exclude":
        for check in (
            "check_estimators_dtypes",
            "check_methods_sample_order_invariance",
            "check_methods_subset_invariance",
            "check_dict_unchanged",
        ):
            expected[check] = ALL_NOISE_REASON
    return expected


@parametrize_with_checks(
    [
        LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0),
        LeakageScore(GaussianMixture(3, random_state=0), random_state=0),
        LeakageScore(DBSCAN(), random_state=0),
        # With noise as a cluster of its own, all-noise data have one cluster
        # and DBSCAN passes the checks that fail above.
        LeakageScore(DBSCAN(), noise="cluster", random_state=0),
        # HDBSCAN has no predict either, and labels noise as DBSCAN does.
        LeakageScore(HDBSCAN(copy=True), random_state=0),
        LeakageScore(HDBSCAN(copy=True), noise="cluster", random_state=0),
        # A clusterer without predict: the probe predicts new rows.
        LeakageScore(AgglomerativeClustering(3), random_state=0),
        LeakageScore(
            make_pipeline(StandardScaler(), KMeans(3, n_init=3, random_state=0)),
            random_state=0,
        ),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
