"""
==================================
Running a search on a Dask cluster
==================================

.. note::

   This example is shown but **not run** when the documentation is built: it
   starts worker processes and would slow the build down. Its file name does not
   start with ``plot_``, which is how the gallery tells the two kinds apart. It
   needs the ``[dask]`` extra (``pip install ".[dask]"`` from the checkout).

A search over the number of clusters fits one
:class:`~sklearn_leakage.LeakageScore` per candidate and split, and each of those
fits is independent. joblib, which scikit-learn uses for ``n_jobs``, can send
that work to a Dask cluster instead of local processes: start a
``dask.distributed.Client`` and run the search inside
``joblib.parallel_backend("dask")``.

Results do not depend on where the work runs: every seed is drawn before any
task is sent, so the same ``random_state`` gives the same numbers with one
process, sixteen, or a cluster.
"""

# %%
# The search
# ----------
# The search is the same as on a laptop. ``n_jobs=-1`` lets joblib use every
# worker thread that the back end offers. The estimator's own ``n_jobs`` stays at
# its default: the search is the level that runs in parallel, and a second,
# nested level would only add overhead.
import joblib
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.model_selection import GridSearchCV, RepeatedKFold

from sklearn_leakage import LeakageScore, leakage_scorer, refit_n_clusters

X, _ = make_blobs(n_samples=20_000, centers=6, n_features=5, random_state=0)

search = GridSearchCV(
    # compute_oof=False: the candidates skip the out-of-fold diagnostics, which
    # the rule does not read (as in select_n_clusters)
    LeakageScore(KMeans(n_init=3, random_state=0), compute_oof=False, random_state=0),
    {"clusterer__n_clusters": range(1, 11)},
    cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
    scoring=leakage_scorer,
    refit=refit_n_clusters,
    n_jobs=-1,
)

# %%
# Start a cluster and run
# -----------------------
# ``LocalCluster`` starts a scheduler and workers on this machine, which is enough
# to try the set-up. On a real cluster, connect to its scheduler instead:
# ``Client("tcp://scheduler-address:8786")``. Dask starts its worker processes
# anew, so a script must create the cluster under ``if __name__ == "__main__"``.
#
# ``scatter=[X]`` sends the data to every worker once, instead of once per task.


def main():
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster:
        with Client(cluster) as client:
            print("dashboard:", client.dashboard_link)
            with joblib.parallel_backend("dask", scatter=[X]):
                search.fit(X)
    print("chosen:", search.best_params_)


if __name__ == "__main__":
    main()

# %%
# Ray and Spark
# -------------
# The same search runs on Ray or on Spark through their joblib back ends: the
# registration call and the back-end name change, and ``scatter`` is Dask's
# own (see :ref:`scaling`)::
#
#     import ray
#     from ray.util.joblib import register_ray
#
#     ray.init(address="auto")  # join a running Ray cluster; omit to run locally
#     register_ray()
#     with joblib.parallel_backend("ray"):
#         search.fit(X)
#
#     from joblibspark import register_spark
#
#     register_spark()
#     with joblib.parallel_backend("spark"):
#         search.fit(X)
