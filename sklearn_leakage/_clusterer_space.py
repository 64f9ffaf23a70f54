"""The space a Pipeline clusterer clusters in.

``LeakageScore(make_pipeline(StandardScaler(), KMeans()))`` clusters the
scaled rows. Everything else the estimator measures about the partition must
be measured there too: the probe's features, the reference data (uniform in
the principal-axis box of the rows the clusterer saw), the dispersion and
separation gains, and the nearest neighbours of the boundary test. Measured
on the raw rows instead, a feature in large units (wine's proline, in the
hundreds to the thousands, beside hues near 1) would fill the reference box
and the sums of squares alone, while the clusters were made on all features
alike: ``select_n_clusters`` then answered 1 on wine, where it answers 3 on
wine scaled beforehand.

So the fitted preprocessing steps, fitted once on the rows the estimator is
fitted on, carry any data (training, held-out or new rows) into the final
step's space, and every further clustering (of a held-out part, of reference
data, of the diagnostic folds) is a clone of the final step alone. This is
what ``make_pipeline(StandardScaler(), LeakageScore(KMeans()))`` does, where
the search's held-out half is scaled as its training half was.
"""

from __future__ import annotations

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils import check_array

from sklearn_leakage._validation import check_numeric_columns


def split_clusterer(fitted_clusterer):
    """The fitted preprocessing steps (a list) and the final clusterer.

    Nested Pipelines are unrolled: ``make_pipeline(A, make_pipeline(B, C))``
    gives ``[A, B]`` and ``C``. A clusterer that is not a Pipeline has no
    preprocessing.
    """
    steps = []
    final = fitted_clusterer
    while isinstance(final, Pipeline):
        steps.extend(step for _, step in final.steps[:-1] if not _skipped(step))
        final = final.steps[-1][1]
    return steps, final


def _skipped(step) -> bool:
    """Whether a Pipeline step is left out (None or "passthrough")."""
    return step is None or (isinstance(step, str) and step == "passthrough")


def to_clusterer_space(steps, X):
    """``X`` transformed by the fitted preprocessing ``steps``.

    Returned as a float array (CSR if sparse), whatever the steps' output
    container (``set_output(transform="pandas")`` gives data frames), so that
    rows can be indexed like ``X``'s.
    """
    for step in steps:
        X = step.transform(X)
    if not steps:
        return X
    # The steps' output must be numbers: name a text column left unencoded.
    check_numeric_columns(X)
    return check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32])
