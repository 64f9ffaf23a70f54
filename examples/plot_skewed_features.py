"""
==========================================================
Skewed measurements: make them symmetric before the search
==========================================================

Counts, concentrations and amounts often have long right tails: a few values
many times the typical one. k-means reads such a feature as it is, so at
k = 2 it may cut off the tail rather than separate the groups, and the tail
also stretches the box of uniform reference data that step 2 of
:func:`~sklearn_leakage.refit_n_clusters` compares the partition with.

This example draws two groups of log-normal measurements (each group Gaussian
in the logarithm) and runs the same search on the standardized values and on
the values made symmetric by scikit-learn's
:class:`~sklearn.preprocessing.PowerTransformer` (Yeo-Johnson, then
standardized; the command line's ``--scale power``). It is advice for
features skewed by nature: a feature is also skewed when its clusters differ
in size, and there the transform squeezes them together (on the synthetic
battery of ``benchmarks/k_selection.py`` it costs the rule 9 of its 52 hits,
and every other method but leakyblobs some;
``benchmarks/results/k_selection_power.md``).
"""

# %%
# Two groups of log-normal measurements
# -------------------------------------
# 150 points per group in two features; the groups' logarithms are unit
# Gaussians 3 standard deviations apart.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import KMeans
from sklearn.preprocessing import PowerTransformer, StandardScaler

from sklearn_leakage import KSelectionDisplay, LeakageReport, select_n_clusters

rng = np.random.default_rng(0)
logs = np.concatenate([rng.normal(0, 1, (150, 2)), rng.normal(3, 1, (150, 2))])
group = np.repeat([0, 1], 150)
X = np.exp(logs)

standardized = StandardScaler().fit_transform(X)
symmetric = PowerTransformer().fit_transform(X)

# %%
# What k-means makes of each at k = 2
# -----------------------------------
# On the standardized values the second cluster is the upper tail of the
# second group: about half of its points, the farther ones, while the rest of
# that group lies with the first. On the transformed values the two clusters are
# the two groups.
for name, values in [("standardized", standardized), ("power", symmetric)]:
    labels = KMeans(2, n_init=10, random_state=0).fit_predict(values)
    sizes = np.bincount(labels)
    share = [group[labels == c].mean() for c in range(2)]
    print(
        f"{name:>12}: cluster sizes {sizes.tolist()}, "
        f"share of the second group in each {np.round(share, 2).tolist()}"
    )

# %%
# The search on each
# ------------------
# The same candidates, seeds and splits; only the input differs.
searches = {
    name: select_n_clusters(
        values, KMeans(n_init=10, random_state=0), range(1, 7), random_state=0
    )
    for name, values in [("standardized", standardized), ("power", symmetric)]
}
for name, search in searches.items():
    print(f"{name:>12}: chosen {search.best_params_['clusterer__n_clusters']}")

# %%
# Why the standardized search answers 1
# -------------------------------------
# The report's ``k_selection`` table gives each candidate's verdict and the
# margin of each test. On the standardized values the 2-cluster partition
# reproduces (step 1's margin, the mean reproducibility less one standard
# error less 0.8, is positive): k-means cuts off the same tail on both halves
# of every split. But that cut is no tighter than k-means' partition of
# uniform data in the box the tail stretches, by either gain of test (a), so
# step 2 calls it not real. Transformed, the two groups are tighter than the
# box by a wide margin.
columns = [
    "step_1_margin",
    "mean_dispersion_gain",
    "mean_reference_dispersion_gain",
    "test_a_margin",
    "verdict",
]
for name, search in searches.items():
    table = LeakageReport.from_search(search).k_selection.set_index("n_clusters")
    print(f"{name}, k = 2:")
    for column in columns:
        value = table.loc[2, column]
        print(f"  {column}: {value if isinstance(value, str) else round(value, 3)}")

# %%
# The data and the two k-selection plots
# --------------------------------------
# Top: the measurements as given (log scale, for legibility) and as the
# transform leaves them, coloured by group. Bottom: each search's
# reproducibility per candidate; a cross marks a candidate that reproduces but
# is no better than the reference data.
fig, axes = plt.subplots(2, 2, figsize=(10, 8), layout="constrained")
axes[0, 0].scatter(*X.T, c=group, s=8, cmap="coolwarm")
axes[0, 0].set(xscale="log", yscale="log", title="measurements (log axes)")
axes[0, 1].scatter(*symmetric.T, c=group, s=8, cmap="coolwarm")
axes[0, 1].set(title="PowerTransformer()")
for ax, (name, search) in zip(axes[1], searches.items(), strict=True):
    KSelectionDisplay.from_cv_results(search, ax=ax)
    ax.set_title(f"{name}: chosen {search.best_params_['clusterer__n_clusters']}")
plt.show()
