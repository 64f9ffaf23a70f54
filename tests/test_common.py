"""scikit-learn's estimator checks on LeakageScore."""

from sklearn.cluster import KMeans
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_leakage import LeakageScore


def _expected_failed_checks(estimator):
    return {}


@parametrize_with_checks(
    [LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0)],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
