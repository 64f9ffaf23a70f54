"""Seeded data and fixtures shared by the test modules."""

import numpy as np
import pytest
from sklearn.datasets import load_iris, make_blobs
from sklearn.preprocessing import StandardScaler


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
