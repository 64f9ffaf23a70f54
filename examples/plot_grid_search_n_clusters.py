"""
==================================================
Choosing the number of clusters with GridSearchCV
==================================================

:class:`~sklearn_leakage.LeakageScore` wraps a clusterer so that scikit-learn's
model selection tools can tune it. ``GridSearchCV`` over ``clusterer__n_clusters``
fits each candidate on part of the rows and judges it on the rest; the scorer
:data:`~sklearn_leakage.leakage_scorer` records what the choice needs, the refit
rule :func:`~sklearn_leakage.refit_n_clusters` makes it, and
:class:`~sklearn_leakage.KSelectionDisplay` shows it.

The criterion itself is explained on :doc:`/selection`.
"""

# %%
# Data with a known answer
# ------------------------
# Four Gaussian blobs in two dimensions. The candidates include one cluster, so
# that "no cluster structure" is a possible answer.

import matplotlib.pyplot as plt
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.model_selection import GridSearchCV, RepeatedKFold

from sklearn_leakage import (
    KSelectionDisplay,
    LeakageScore,
    leakage_scorer,
    refit_n_clusters,
)

X, y_true = make_blobs(n_samples=400, centers=4, cluster_std=1.2, random_state=7)

fig, ax = plt.subplots(figsize=(4.5, 4))
ax.scatter(X[:, 0], X[:, 1], c=y_true, s=8, cmap="tab10")
ax.set(title="Four blobs", xticks=[], yticks=[])
plt.show()

# %%
# The search
# ----------
# Each outer split fits the clusterer on one half of the rows and judges it on the
# other half, in both directions, twice over
# (``RepeatedKFold(n_splits=2, n_repeats=2)``). The rule reads only the held-out
# scores, so the candidates skip the out-of-fold diagnostics
# (``compute_oof=False``), which would cost ``cv`` more clusterer and probe fits
# each.
search = GridSearchCV(
    LeakageScore(KMeans(n_init=3, random_state=0), compute_oof=False, random_state=0),
    param_grid={"clusterer__n_clusters": range(1, 8)},
    cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
    scoring=leakage_scorer,
    refit=refit_n_clusters,
)
search.fit(X)
print("chosen:", search.best_params_)

# %%
# What the search recorded
# ------------------------
# ``leakage_scorer`` returns several held-out metrics at once, so
# ``cv_results_`` has one ``mean_test_<name>`` column per metric. Because
# ``refit`` is a callable, ``GridSearchCV`` has no ``best_score_``. K-means
# records no ``reference_leakage``: a centroid clusterer is compared with the
# reference by its dispersion gain, over all directions and along the
# directions between its centres (the separation gain), so no probe is
# trained on reference data.
results = search.cv_results_
metrics = sorted(
    key[len("mean_test_") :] for key in results if key.startswith("mean_test_")
)
print("metrics:", metrics)
for i, k in enumerate(results["param_clusterer__n_clusters"]):
    values = ", ".join(f"{m} {results['mean_test_' + m][i]:.3f}" for m in metrics)
    print(f"n_clusters={k}: {values}")

# %%
# Plot the choice
# ---------------
# The display draws one recorded metric per candidate, here the held-out
# reproducibility, with error bars of one standard error of the mean over the
# outer splits; the text box repeats the first line of the refit rule's docstring.
# The dotted line is the level 0.8 of step 1. Among the candidates that reach
# it, a red cross would mark one whose partition is no tighter than the same
# k-means partition of structureless reference data, neither over all
# directions nor along those between its centres (test (a) of step 2), a red
# square one that is tighter but has a boundary denser than the reference's
# densest (test (b)), each by more than one standard error. Candidates below
# the level are drawn hollow: step 2 does not judge them.
disp = KSelectionDisplay.from_cv_results(search, score_name="reproducibility")
plt.show()
# sphinx_gallery_thumbnail_number = 2

# %%
# The refitted estimator is an ordinary fitted ``LeakageScore`` on all of ``X``;
# switched back to ``compute_oof=True`` it also has the out-of-fold diagnostics
# that the displays and the report read:
best = search.best_estimator_.set_params(compute_oof=True).fit(X)
print(f"n_clusters_ = {best.n_clusters_}")
print(f"total leakage = {best.total_leakage_:.3f}")
print(f"expected leakage = {best.expected_leakage_:.3f}")

# %%
# The same recipe in one call
# ---------------------------
# :func:`~sklearn_leakage.select_n_clusters` builds and fits this search and
# returns the fitted ``GridSearchCV``::
#
#     from sklearn_leakage import select_n_clusters
#
#     search = select_n_clusters(X, KMeans(n_init=3), range(1, 8), random_state=0)
#     search.best_params_["clusterer__n_clusters"]
#
# The same search works for clusterers without a ``predict`` method, such as
# :class:`~sklearn.cluster.AgglomerativeClustering`.
