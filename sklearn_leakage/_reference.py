"""Structureless reference data for the no-structure test."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sklearn_leakage._subsample import uniform_rows

#: Rows used to estimate the principal axes. The box only needs the axes and the
#: ranges along them, which 20,000 rows fix well; more would only cost time.
_MAX_ROWS_FOR_AXES = 20_000


class UniformReference:
    """Uniform data in the principal-axis bounding box of a data set.

    This is the reference distribution of the gap statistic (Tibshirani, Walther
    and Hastie, 2001, "Estimating the number of clusters in a data set via the gap
    statistic", JRSS B 63(2), their second choice): it has the extent and the
    orientation of the data but no cluster structure. A clusterer still draws
    boundaries through it; how much those boundaries leak is what a partition of
    the real data must beat.
    """

    def fit(self, X, rng: np.random.Generator) -> UniformReference:
        if X.shape[0] > _MAX_ROWS_FOR_AXES:
            X = X[rng.choice(X.shape[0], _MAX_ROWS_FOR_AXES, replace=False)]
        X = np.asarray(X, dtype=np.float64)
        self.mean_ = X.mean(axis=0)
        _, _, self.axes_ = np.linalg.svd(X - self.mean_, full_matrices=False)
        projected = (X - self.mean_) @ self.axes_.T
        self.low_ = projected.min(axis=0)
        self.high_ = projected.max(axis=0)
        return self

    def sample(self, n_samples: int, dtype, rng: np.random.Generator) -> NDArray:
        draws = rng.uniform(self.low_, self.high_, size=(n_samples, self.low_.size))
        return (draws @ self.axes_ + self.mean_).astype(dtype, copy=False)

    def split_sample(self, n_samples: int, dtype, rng: np.random.Generator) -> NDArray:
        """Draw one sample of 2 * n_samples rows; return its first half.

        The second half is kept as ``held_out_`` for scoring. Two halves of one
        draw share its accidental anisotropy, exactly as the training and
        held-out halves of the real data share theirs; two independent draws
        would not, and on symmetric shapes (a square, a ball) their partitions
        would disagree more than the data's do, overstating the reference
        leakage.
        """
        both = self.sample(2 * n_samples, dtype, rng)
        # A copy: a view would keep the whole draw alive in the fitted
        # estimator (twice the rows), after the caller is done with the first
        # half.
        self.held_out_ = both[n_samples:].copy()
        return both[:n_samples]

    def held_out(self, n_samples: int, rng: np.random.Generator) -> NDArray:
        """``n_samples`` rows of the kept half (all of it if it has fewer)."""
        keep = uniform_rows(self.held_out_.shape[0], n_samples, rng)
        return self.held_out_ if keep is None else self.held_out_[keep]
