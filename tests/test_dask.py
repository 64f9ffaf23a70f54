"""GridSearchCV over LeakageScore on a real Dask cluster gives the local numbers."""

import re

import joblib
import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.model_selection import GridSearchCV

from sklearn_leakage import LeakageScore, leakage_scorer, refit_n_clusters

try:
    from dask import distributed
except ImportError:  # pragma: no cover - the [dask] extra is part of [test]
    pytest.skip(
        "dask.distributed is not importable; pip install '.[dask]' from the checkout",
        allow_module_level=True,
    )

CANDIDATES = [2, 3, 4, 5]
N_OUTER_FOLDS = 2


@pytest.fixture(scope="module")
def client():
    """Two single-threaded worker processes, closed in the fixture's teardown."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def make_search():
    return GridSearchCV(
        LeakageScore(KMeans(n_init=3, random_state=0), random_state=0),
        {"clusterer__n_clusters": CANDIDATES},
        cv=N_OUTER_FOLDS,
        scoring=leakage_scorer,
        refit=refit_n_clusters,
        n_jobs=-1,
    )


def fit_and_score_calls(task_stream) -> dict[str, int]:
    """Number of GridSearchCV fits each worker ran, from the task stream's keys.

    joblib's Dask backend names a task ``batch_of_<function>_<n>_calls-<hash>``.
    """
    calls = {}
    for task in task_stream:
        match = re.match(r"batch_of__fit_and_score_(\d+)_calls", str(task["key"]))
        if match:
            calls[task["worker"]] = calls.get(task["worker"], 0) + int(match[1])
    return calls


def test_grid_search_on_dask_matches_local_run(client):
    X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
    local = make_search().fit(X)

    with (
        distributed.get_task_stream(client=client) as stream,
        joblib.parallel_backend("dask"),
    ):
        remote = make_search().fit(X)

    # Every (candidate, fold) fit ran as a task on one of the cluster's workers.
    calls = fit_and_score_calls(stream.data)
    workers = set(client.scheduler_info()["workers"])
    assert set(calls) <= workers
    assert sum(calls.values()) == len(CANDIDATES) * N_OUTER_FOLDS

    # Same seeds, same numbers: bit for bit, whichever process ran the fit.
    scores = [key for key in local.cv_results_ if "_test_" in key]
    assert scores
    for key in scores:
        np.testing.assert_array_equal(
            remote.cv_results_[key], local.cv_results_[key], err_msg=key
        )
    assert remote.best_params_ == local.best_params_
    # Three blobs: the search on either side finds them.
    assert local.best_params_ == {"clusterer__n_clusters": 3}
