"""
============================================
The leakage report, its displays and merging
============================================

:class:`~sklearn_leakage.LeakageReport` gathers every table about a clustering's
leakage, with exact tests and confidence intervals, and writes them to HTML or
Excel. The display objects draw the same numbers. When clusters leak into each
other a lot, :func:`~sklearn_leakage.merge_leaky_clusters` merges them.
"""

# %%
# Fit and build the report
# ------------------------
# k-means with three clusters on the iris measurements: setosa is separate,
# versicolor and virginica overlap.
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, make_blobs
from sklearn.metrics import adjusted_rand_score

from sklearn_leakage import (
    LeakageGraphDisplay,
    LeakageMatrixDisplay,
    LeakageReport,
    LeakageScore,
    LeakageTestGridDisplay,
    SampleLeakageDisplay,
    ThresholdSweepDisplay,
    cross_val_proba,
    merge_leaky_clusters,
    total_leakage,
)

X, _ = load_iris(return_X_y=True, as_frame=True)
kmeans = KMeans(n_clusters=3, n_init=10, random_state=0)
est = LeakageScore(kmeans, random_state=0).fit(X)
report = LeakageReport.from_estimator(est, ids=X.index)
print(report.summary())

# %%
# The tables
# ----------
# ``clusters``: one row per cluster, with its leakage, the Clopper-Pearson interval
# of that share, the expected leakage, the probe's out-of-fold recall and its
# ``leaky_recall``, the share of the cluster's points that are predicted in
# their own cluster without leaking (recall counts leaking points too).
report.clusters.round(3)

# %%
# ``pairs``: one row per ordered pair of clusters with at least one leaking point,
# the exact binomial p-value that the share exceeds ``leakage_level`` (5% by
# default) and the Holm-adjusted p-value over all ordered pairs. Its last column
# says the same in words.
pairs = report.pairs
print("\n".join(pairs["sentence"]))
pairs.drop(columns="sentence").round(4)

# %%
# ``totals`` has one row of overall figures; ``merge_candidates`` lists the pairs
# whose leakage in either direction exceeds ``leakage_level``.
report.totals.round(4)

# %%
report.merge_candidates.round(3)

# %%
# The displays
# ------------
# Each display is built from the fitted estimator (or from labels and
# probabilities) and drawn on the axes it is given.
fig, axes = plt.subplots(2, 2, figsize=(11, 9), layout="constrained")
LeakageMatrixDisplay.from_estimator(est, ax=axes[0, 0])
LeakageGraphDisplay.from_estimator(est, ax=axes[0, 1])
SampleLeakageDisplay.from_estimator(est, ax=axes[1, 0])
ThresholdSweepDisplay.from_estimator(est, ax=axes[1, 1])
plt.show()

# %%
# The p-value grid repeats the test of the total leakage over several detection
# thresholds (rows) and tolerated shares (columns). It is a sensitivity analysis:
# the cells are not corrected for their number.
LeakageTestGridDisplay.from_report(report)
plt.show()

# %%
# Writing the report
# ------------------
# ``to_html`` writes one self-contained file (inline SVG, no network); ``to_excel``
# writes one sheet per table and needs openpyxl
# (``pip install "sklearn-leakage[excel]"``). In a notebook, the report displays
# itself as HTML.
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "iris_leakage.html"
    report.to_html(path)
    print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB")

# %%
# Merging clusters that leak into each other
# ------------------------------------------
# Ask k-means for six clusters on data with three blobs: it cuts one blob in
# three and another in two and keeps the third whole, and the pieces of a cut
# blob leak heavily into each other.
X_blobs, y_blobs = make_blobs(n_samples=500, centers=3, random_state=7)
six = KMeans(n_clusters=6, n_init=5, random_state=0)
over = LeakageScore(six, random_state=0).fit(X_blobs)
print(f"six clusters: total leakage {over.total_leakage_:.3f}")
LeakageReport.from_estimator(over).merge_candidates.round(3)

# %%
# :func:`~sklearn_leakage.merge_leaky_clusters` merges, one pair at a time, the two
# clusters with the largest leakage in either direction, as long as it exceeds
# ``leakage_level`` (0.1 here, its default: a level for merging, higher than the
# report's 5% level for testing). It reuses the probe's probabilities (the
# merged cluster's column is the sum of the two), so nothing is refitted.
labels = over.labels_[over.sample_indices_]
merged = merge_leaky_clusters(
    labels, over.oof_proba_, classes=over.classes_, leakage_level=0.1
)
print("clusters after merging:", np.unique(merged))
before = adjusted_rand_score(y_blobs, labels)
after = adjusted_rand_score(y_blobs, merged)
print(f"ARI with the blobs: before {before:.2f}, after {after:.2f}")

# %%
# Check the merged partition with a probe trained on it: summing columns
# approximates a probe that never had to separate the halves. No pair of the
# merged clusters leaks 2% or more, so the graph draws no arrow.
proba = cross_val_proba(X_blobs, merged, random_state=0)
print(f"merged partition: total leakage {total_leakage(merged, proba):.3f}")
LeakageGraphDisplay.from_predictions(merged, proba)
plt.show()
