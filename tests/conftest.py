"""Seeded data and fixtures shared by the test modules."""

import os

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, make_blobs
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import GridSearchCV, RepeatedKFold
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from sklearn_leakage import LeakageScore, leakage_scorer, refit_n_clusters

# One BLAS/OpenMP thread per process, for `python -m pytest` as typed (.ci/run
# sets the same): no result depends on it, but on two cores numpy's, scipy's and
# scikit-learn's threads and the n_jobs tests' worker processes spin against
# each other. On a busy machine the suite took 36 minutes without the limit and
# 2 with it. The variables reach the subprocesses the tests start, and keep a
# value the user set; in this process the fixture below holds the libraries
# to one thread whatever they say.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")


@pytest.fixture(autouse=True, scope="session")
def _one_thread_per_library():
    """The same limit for the libraries this process has loaded already."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture
def blobs4():
    """Four Gaussian blobs in 2-D, 600 rows, closest centres 8 std apart."""
    return make_blobs(
        n_samples=600, centers=4, cluster_std=0.8, center_box=(-10, 10), random_state=3
    )


@pytest.fixture
def iris_std():
    """Standardized iris features and species labels."""
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture
def uniform_noise():
    """600 rows of uniform noise in the unit square: no cluster structure."""
    return np.random.default_rng(0).uniform(size=(600, 2))


@pytest.fixture
def pyplot():
    """matplotlib.pyplot on the Agg backend; closes every figure afterwards."""
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg", force=True)
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


class _KMeansFailingAtFour(KMeans):
    def fit(self, X, y=None, sample_weight=None):
        if self.n_clusters == 4:
            raise ValueError("4 clusters cannot be fitted here")
        return super().fit(X, y, sample_weight)


@pytest.fixture
def search_failing_at_four():
    """A search of 1..5 clusters on three blobs whose k = 4 fails on every split."""
    X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
    search = GridSearchCV(
        LeakageScore(_KMeansFailingAtFour(n_init=3, random_state=0), random_state=0),
        {"clusterer__n_clusters": [1, 2, 3, 4, 5]},
        cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
        scoring=leakage_scorer,
        refit=refit_n_clusters,
        error_score=np.nan,
    )
    with pytest.warns(FitFailedWarning, match="4 clusters cannot be fitted"):
        return search.fit(X)
