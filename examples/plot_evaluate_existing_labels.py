"""
=====================================
Judging cluster labels made elsewhere
=====================================

Often the clustering already exists: a segmentation computed in another tool, a
column in a database, labels from a colleague. There is no clusterer to refit,
only ``X`` and ``labels``. :func:`~sklearn_leakage.cross_val_proba` trains the
probe out-of-fold on those labels, and every metric, test and report of the
package takes its output.

The second part shows why the probabilities must be out-of-fold.
"""

# %%
# Labels from somewhere else
# --------------------------
# Here the labels come from Ward agglomerative clustering of the standardized iris
# measurements; any integer or string labels would do.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.preprocessing import StandardScaler

from sklearn_leakage import (
    LeakageMatrixDisplay,
    LeakageReport,
    cross_val_proba,
    expected_leakage,
    leakage_matrix,
    leakage_score,
    total_leakage,
)

X, _ = load_iris(return_X_y=True)
labels = AgglomerativeClustering(n_clusters=3, linkage="ward").fit_predict(
    StandardScaler().fit_transform(X)
)
print("cluster sizes:", np.bincount(labels))

# %%
# Out-of-fold probabilities and the metrics
# -----------------------------------------
# Each row of ``proba`` comes from a probe that was trained on the other four
# folds. The columns follow ``np.unique(labels)``.
proba = cross_val_proba(X, labels, random_state=0)
print("leakage matrix (row: own cluster, column: leaks into):")
print(leakage_matrix(labels, proba).round(3))
print(f"total leakage:    {total_leakage(labels, proba):.3f}  (lower is better)")
print(f"expected leakage: {expected_leakage(labels, proba):.3f}  (lower is better)")

# %%
# :func:`~sklearn_leakage.leakage_score` is the one-number summary, in the manner
# of :func:`~sklearn.metrics.silhouette_score`: the mean out-of-fold probability
# of each point's own cluster, greater is better. With the same seed it runs the
# same folds, so it equals one minus the expected leakage above.
print(f"leakage_score:    {leakage_score(X, labels, random_state=0):.3f}")

# %%
# A report on the same probabilities
# ----------------------------------
# :meth:`~sklearn_leakage.LeakageReport.from_predictions` builds every table and
# the exact tests from ``labels`` and ``proba``:
report = LeakageReport.from_predictions(labels, proba)
print(report.summary())

# %%
LeakageMatrixDisplay.from_predictions(labels, proba)
plt.show()

# %%
# Why the probabilities must be out-of-fold
# -----------------------------------------
# Give the same points labels drawn at random: there is nothing to learn, so an
# honest probe should put about one third of its probability on each point's own
# "cluster". A random forest asked about the points it was trained on remembers
# them and reports far more confidence; asked out-of-fold, it is back near chance.
rng = np.random.default_rng(0)
random_labels = rng.integers(0, 3, size=X.shape[0])
forest = RandomForestClassifier(n_estimators=200, random_state=0)

in_sample = forest.fit(X, random_labels).predict_proba(X)
out_of_fold = cross_val_proba(X, random_labels, classifier=forest, random_state=0)

for name, p in [("in-sample", in_sample), ("out-of-fold", out_of_fold)]:
    own = 1 - expected_leakage(random_labels, p)
    print(f"{name:>12}: mean probability on the random label {own:.2f}")

# %%
# In-sample probabilities would make any partition look predictable, and more so
# the more flexible the probe. Every function of this package expects
# out-of-sample probabilities; :func:`~sklearn_leakage.cross_val_proba` and
# :class:`~sklearn_leakage.LeakageScore` produce them.
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
bins = np.linspace(0, 1, 21)
own_in = in_sample[np.arange(X.shape[0]), random_labels]
own_oof = out_of_fold[np.arange(X.shape[0]), random_labels]
ax.hist(own_in, bins=bins, alpha=0.6, label="in-sample")
ax.hist(own_oof, bins=bins, alpha=0.6, label="out-of-fold")
ax.axvline(1 / 3, color="k", linestyle=":", label="chance (1/3)")
ax.set(
    xlabel="probability on the point's own (random) label",
    ylabel="points",
    title="Random labels: in-sample versus out-of-fold",
)
ax.legend()
plt.show()
