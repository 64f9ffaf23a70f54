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

import contextlib
import re

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from sklearn.utils import check_array

from sklearn_leakage._validation import (
    check_numeric_columns,
    listed_names,
    non_numeric_columns,
)


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


def has_steps(clusterer) -> bool:
    """Whether ``clusterer`` is a Pipeline with preprocessing before its last step."""
    return bool(split_clusterer(clusterer)[0])


def _skipped(step) -> bool:
    """Whether a Pipeline step is left out (None or "passthrough")."""
    return step is None or (isinstance(step, str) and step == "passthrough")


#: A sparse output of a Pipeline's steps fed dense rows is made dense, for the
#: reference data, when it has at most this many columns (a one-hot encoder's
#: of a few categorical columns, whatever their density: the reference's
#: principal axes then cost little) ...
MAX_DENSE_COLUMNS = 256
#: ... or when at least this share of its entries is non-zero, so that the
#: dense copy is at most 50 times the non-zero values. A text vectorizer's
#: output is neither (a few words per row of a vocabulary of thousands): it
#: stays sparse, as sparse X does, and gets no reference instead of a dense
#: copy of rows times vocabulary and an SVD in the vocabulary's dimension per
#: fit. Both tests read the shape and the count of non-zero entries alone,
#: not the memory, so that float32 and float64 output are judged alike.
MIN_DENSE_SHARE = 0.02


def to_clusterer_space(steps, X, densify: bool | None = None):
    """``X`` transformed by the fitted preprocessing ``steps``.

    Returned as a float array, whatever the steps' output container
    (``set_output(transform="pandas")`` gives data frames), so that rows can
    be indexed like ``X``'s: dense or CSR. A sparse output (sparse ``X``
    itself, without steps) is made dense when ``densify`` is True and kept
    sparse when it is False; None decides by :func:`_worth_densifying`. An
    estimator decides at fit and passes its decision on with every later
    call, so that held-out and new rows live in the same kind of space as the
    rows it was fitted on.
    """
    given, dense_input = X, not sp.issparse(X)
    if steps:
        for step in steps:
            X = step.transform(X)
        # The steps' output must be numbers: name a text column left unencoded.
        check_numeric_columns(X)
        with steps_fill_no_nan(given):
            X = check_array(X, accept_sparse="csr", dtype=[np.float64, np.float32])
    if densify is None:
        densify = dense_input and _worth_densifying(X)
    if densify and sp.issparse(X):
        # A OneHotEncoder makes sparse columns from a dense frame, and rows
        # scored by an estimator fitted on dense ones may come sparse; sparse
        # rows would get no reference data, nor be compared with it.
        X = X.toarray()
    return X


@contextlib.contextmanager
def steps_fill_no_nan(X, steps: bool = True):
    """Say where NaN in what a Pipeline's steps output comes from, and the fix.

    Only scikit-learn's own "Input (X) contains NaN" is rewritten, the
    original chained: a scaler passes missing values of ``X`` through, and
    that message's advice is for supervised learning. When ``X`` has no
    missing values, a step made the NaN, and no imputer is the fix.
    ``steps=False`` (a clusterer without steps, whose X was checked before)
    leaves every error as it is.
    """
    try:
        yield
    except ValueError as error:
        text = str(error)
        if not steps or not re.match(r"Input (X )?contains NaN", text):
            raise
        if _has_missing_values(X):
            raise ValueError(
                "X has missing values (NaN) that no step of the clusterer's Pipeline "
                "fills. Put an imputer among the steps, make_pipeline("
                "SimpleImputer(), ...), or drop the rows that have them."
            ) from error
        raise ValueError(
            "A step of the clusterer's Pipeline output NaN, though X has no "
            "missing values: check what the steps compute (a logarithm of "
            "negative values, say)."
        ) from error


def _has_missing_values(X) -> bool:
    """Whether ``X``, as the user passed it, has a missing value anywhere."""
    try:
        if sp.issparse(X):
            return bool(np.isnan(X.data).any())
        return bool(np.asarray(pd.isna(pd.DataFrame(X))).any())
    except (TypeError, ValueError):
        # Input only the steps understand (documents, say): not a table.
        return False


def _worth_densifying(X) -> bool:
    """Whether sparse ``X`` is narrow or dense enough to copy densely.

    See :data:`MAX_DENSE_COLUMNS` and :data:`MIN_DENSE_SHARE`.
    """
    if not sp.issparse(X):
        return False
    n_rows, n_columns = X.shape
    if n_columns <= MAX_DENSE_COLUMNS:
        return True
    return X.nnz >= MIN_DENSE_SHARE * n_rows * n_columns


def check_steps_output(clusterer, X):
    """Fit clones of a Pipeline clusterer's steps on ``X``; validate their output.

    The search fits the steps once per candidate and split, and GridSearchCV
    only warns when a fit fails, then reports "All the fits failed"; running
    the steps once first gives their own error (a text column a scaler cannot
    take, missing values without an imputer) or ours for what they output.
    Returns that output, validated: what the final step clusters.
    """
    output = X
    try:
        for step in split_clusterer(clone(clusterer))[0]:
            output = step.fit_transform(output)
    except ValueError as exc:
        text = non_numeric_columns(X)
        hint = (
            f" X has text columns ({listed_names(text)}): encode "
            "them in a ColumnTransformer as the first step, or drop them."
            if text
            else ""
        )
        raise ValueError(
            "The steps of the clusterer's Pipeline failed on X: "
            f"{str(exc).rstrip('.')}.{hint}"
        ) from exc
    check_numeric_columns(output)
    with steps_fill_no_nan(X):
        return check_array(
            output, accept_sparse="csr", dtype="numeric", ensure_min_samples=2
        )
