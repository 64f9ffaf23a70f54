"""
=====================================
Large data: max_samples and its cost
=====================================

The clusterer always sees every row, but the probe and its cross-validation loop
only need enough rows to estimate leakage shares. ``max_samples`` sets how many:
by default (``"auto"``) at most 10,000, drawn as a stratified subsample so that
every cluster keeps its share.

This example times :class:`~sklearn_leakage.LeakageScore` for several values of
``max_samples`` and shows how the leakage estimate moves with it. It runs on
100,000 rows so that the documentation builds quickly; set ``N_SAMPLES`` to
``1_000_000`` to run the million-row case (a few hundred MB of memory at most:
the data are 16 MB and nothing is quadratic in the number of rows).
"""

# %%
# Data
# ----
# Four overlapping Gaussian blobs in the plane. Change ``N_SAMPLES`` to scale up.
from time import perf_counter

import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.datasets import make_blobs

from sklearn_leakage import LeakageScore

N_SAMPLES = 100_000
X, _ = make_blobs(
    n_samples=N_SAMPLES,
    centers=[[0, 0], [4, 0], [0, 4], [4, 4]],
    cluster_std=1.0,
    random_state=0,
)
clusterer = MiniBatchKMeans(n_clusters=4, n_init=3, random_state=0)

# %%
# Timing
# ------
# ``time.perf_counter`` measures wall time. One fit of the clusterer on all rows
# is the part that ``max_samples`` does not change. For a benchmark worth
# quoting, repeat each measurement a few times and keep the median, and measure
# peak memory in a fresh process per case (as ``benchmarks/`` does); a single
# timing, as here, shows the trend only.
start = perf_counter()
clusterer.fit(X)
print(f"clusterer alone on {N_SAMPLES:,} rows: {perf_counter() - start:.2f} s")

sizes = [1_000, 2_000, 5_000, 10_000, 20_000]
seconds, leakage = [], []
for max_samples in sizes:
    est = LeakageScore(clusterer, max_samples=max_samples, random_state=0)
    start = perf_counter()
    est.fit(X)
    seconds.append(perf_counter() - start)
    leakage.append(est.total_leakage_)
    print(
        f"max_samples={max_samples:>6,}: {seconds[-1]:5.2f} s, "
        f"total leakage {est.total_leakage_:.4f} "
        f"on {est.sample_indices_.shape[0]:,} scored rows"
    )

# %%
# Reading the two curves
# ----------------------
# The error bars are two binomial standard errors, ``2 * sqrt(p (1 - p) / m)``
# for a share ``p`` estimated on ``m`` rows: the sampling noise of the estimate.
# At the default 10,000 rows one standard error is at most half a percentage
# point (at p = 0.5).
#
# The estimate also drifts down as ``m`` grows (0.047 at 1,000 rows, 0.019 at
# 20,000), by more than its error bars over that range: a
# probe trained on more rows draws sharper boundaries, so fewer points keep 5% of
# probability on a neighbouring cluster. Leakage is therefore a property of the
# partition *and* of how much the probe learns from; compare clusterings at the
# same ``max_samples``. The default caps it at 10,000 rows, so that data sets of
# different sizes above that cap are compared on equal terms.
sizes_arr, leakage_arr = np.array(sizes), np.array(leakage)
errors = 2 * np.sqrt(leakage_arr * (1 - leakage_arr) / sizes_arr)

fig, (ax_time, ax_leak) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
ax_time.plot(sizes_arr, seconds, "o-")
ax_time.set(
    xscale="log",
    xlabel="max_samples",
    ylabel="seconds for fit",
    title=f"Time of LeakageScore.fit, {N_SAMPLES:,} rows",
)
ax_leak.errorbar(sizes_arr, leakage_arr, yerr=errors, fmt="o-", capsize=4)
ax_leak.set(
    xscale="log",
    xlabel="max_samples",
    ylabel="total leakage",
    title="Estimate with two standard errors",
)
plt.show()

# %%
# More cores
# ----------
# ``LeakageScore(..., n_jobs=-1)`` runs the probe's folds in parallel. Inside
# ``GridSearchCV``, give ``n_jobs`` to the search instead and leave the estimator's
# at its default, so that only one level opens worker processes. For a cluster of
# machines, see :ref:`scaling` and the Dask example.
