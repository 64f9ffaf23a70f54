"""scikit-learn's estimator checks on LeakageScore."""

from sklearn.cluster import KMeans
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_leakage import LeakageScore


def _expected_failed_checks(estimator):
    # These two checks read predict_proba as a classifier's, with one column per
    # class of the y they pass; LeakageScore ignores y and has one column per
    # cluster. tests/test_estimator.py::test_sparse_input covers the same sparse
    # formats and index widths with the right shapes.
    reason = "predict_proba has one column per cluster, not per class of y"
    return {
        "check_estimator_sparse_array": reason,
        "check_estimator_sparse_matrix": reason,
    }


@parametrize_with_checks(
    [LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0)],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
