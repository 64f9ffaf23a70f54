"""Type aliases of the public signatures, in scikit-learn's own terms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from numpy.random import RandomState
from sklearn.base import BaseEstimator
from sklearn.model_selection import BaseCrossValidator

#: ``random_state``: a seed, a RandomState instance, or None.
RandomStateLike = int | RandomState | None

#: ``cv``: a number of folds, a splitter, or an iterable of (train, test) pairs.
CVLike = int | BaseCrossValidator | Iterable | None

#: A scikit-learn estimator (a clusterer, a classifier, a Pipeline, a search).
Estimator = BaseEstimator

#: ``X``: an array, a sparse matrix or a data frame, whatever scikit-learn's
#: ``check_array`` (or a Pipeline's first step) takes. numpy's ArrayLike covers
#: neither sparse matrices nor data frames, so the checks are left to run time.
MatrixLike = Any
