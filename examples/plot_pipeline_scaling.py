"""
================================================
Scaling features before clustering in a Pipeline
================================================

The default probe centres the data and divides every feature by one common
scale (it does not standardize them), and the clusterer sees the data as given.
On the wine data one feature (proline) has a standard deviation near 300,
magnesium near 14 and the other eleven below 4 (most below 1), so k-means on the
raw features cuts along proline almost alone. Putting a
:class:`~sklearn.preprocessing.StandardScaler` in front of
:class:`~sklearn_leakage.LeakageScore` in a :class:`~sklearn.pipeline.Pipeline`
changes the partition. Leakage says how predictable each partition is from the
features it was made on; it does not say which features should count. That
choice, scaling included, is made before clustering.
"""

# %%
# Raw and standardized features
# -----------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import load_wine
from sklearn.metrics import adjusted_rand_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_leakage import LeakageMatrixDisplay, LeakageScore

X, cultivar = load_wine(return_X_y=True, as_frame=True)
print(X.std().round(2).sort_values(ascending=False).head(4))

# %%
# Both models cluster into three groups with the same seeds; only the input
# differs. In the pipeline the scaler is fitted first and ``LeakageScore`` receives
# the standardized columns.
raw = LeakageScore(KMeans(3, n_init=10, random_state=0), random_state=0)
raw.fit(X)

scaled = make_pipeline(
    StandardScaler(),
    LeakageScore(KMeans(3, n_init=10, random_state=0), random_state=0),
)
scaled.fit(X)

# %%
# Compare the leakage
# -------------------
# Total leakage is the share of wines whose out-of-fold probability on some other
# cluster reaches 5%; expected leakage is the mean probability put on other
# clusters. Both are lower-is-better. The cultivars were not used for fitting; the
# adjusted Rand index against them is printed only as an outside check.
for name, est in [("raw features", raw), ("standardized", scaled[-1])]:
    print(
        f"{name:>13}: total leakage {est.total_leakage_:.3f}, "
        f"expected leakage {est.expected_leakage_:.3f}, "
        f"ARI with cultivars {adjusted_rand_score(cultivar, est.labels_):.2f}"
    )

# %%
# The two partitions are about equally predictable (total leakage 0.084 and
# 0.079), yet only the standardized one follows the cultivars.
#
# Where the leakage is
# --------------------
# Entry (i, j) of each matrix is the share of cluster i's wines that put at least
# 5% probability on cluster j. On the raw features the two clusters cut apart
# along proline do not leak into each other at all (a cut along one dominant
# feature is easy to learn); their leakage goes to the third cluster (6% and
# 11%). After scaling, five of the six ordered pairs leak a little (at most
# 8%); cluster 2 does not leak into cluster 1. Both matrices share one colour
# scale, up to the larger of their largest leakages, so that equal colours
# mean equal shares.
fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
off_diagonal = ~np.eye(3, dtype=bool)
largest = 100 * max(
    raw.leakage_matrix_[off_diagonal].max(),
    scaled[-1].leakage_matrix_[off_diagonal].max(),
)
shared = {"vmin": 0.0, "vmax": largest}
LeakageMatrixDisplay.from_estimator(raw, ax=axes[0], colorbar=False, im_kw=shared)
axes[0].set_title("k-means on raw features")
display = LeakageMatrixDisplay.from_estimator(
    scaled[-1], ax=axes[1], colorbar=False, im_kw=shared
)
axes[1].set_title("k-means after StandardScaler")
fig.colorbar(display.im_, ax=axes, label="Leakage (% of the row's points)")
plt.show()

# %%
# The scaler inside the clusterer
# -------------------------------
# The scaler can also be a step of the clusterer:
# ``LeakageScore(make_pipeline(StandardScaler(), KMeans(3)))``. The steps before
# the clusterer are then part of the clustering: fitted once on the rows
# ``LeakageScore`` is fitted on, they carry the rows into the space the clusterer
# works in, and the probe, the reference data and every score work there too.
# Both placements measure the same thing, to the last digit.
inside = LeakageScore(
    make_pipeline(StandardScaler(), KMeans(3, n_init=10, random_state=0)),
    random_state=0,
).fit(X)
print(
    f"scaler inside: total leakage {inside.total_leakage_:.3f}, "
    f"in front: {scaled[-1].total_leakage_:.3f}"
)

# %%
# Searching inside the pipeline
# -----------------------------
# The pipeline is an ordinary estimator, so the number of clusters can be searched
# through it with the usual double-underscore names::
#
#     from sklearn.model_selection import GridSearchCV, RepeatedKFold
#     from sklearn_leakage import leakage_scorer, refit_n_clusters
#
#     GridSearchCV(
#         # the candidates skip the out-of-fold diagnostics, which the rule
#         # does not read
#         scaled.set_params(leakagescore__compute_oof=False),
#         {"leakagescore__clusterer__n_clusters": range(1, 7)},
#         cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
#         scoring=leakage_scorer,
#         refit=refit_n_clusters,
#     ).fit(X)
#
# The scaler is then refitted on each training split, so no statistic of the
# held-out rows reaches the clusterer. The outer splits are halves, as in
# :func:`~sklearn_leakage.select_n_clusters`: with 178 wines, the default
# five-fold split would leave only about 35 rows to judge each candidate on.
