"""Type aliases of the public signatures, in scikit-learn's own terms."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

from numpy.random import RandomState
from sklearn.base import BaseEstimator

#: ``random_state``: a seed, a RandomState instance, or None.
RandomStateLike = int | RandomState | None


@runtime_checkable
class Splitter(Protocol):
    """What ``GridSearchCV`` asks of a ``cv`` object: ``split`` and a count.

    scikit-learn's splitters share no public base class (``RepeatedKFold``
    and ``ShuffleSplit`` are not ``BaseCrossValidator``), so the type says
    what they do.
    """

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator: ...

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int: ...


#: ``cv``: a number of folds, a splitter, or an iterable of (train, test) pairs.
CVLike = int | Splitter | Iterable | None

#: A scikit-learn estimator (a clusterer, a classifier, a Pipeline, a search).
Estimator = BaseEstimator

#: ``X``: an array, a sparse matrix or a data frame, whatever scikit-learn's
#: ``check_array`` (or a Pipeline's first step) takes. numpy's ArrayLike covers
#: neither sparse matrices nor data frames, so the checks are left to run time.
MatrixLike = Any
