"""One 64-bit hash per row, to recognise the fitted rows among scored ones.

:meth:`LeakageScore.score` treats its rows as held out. Rows the estimator was
fitted on make the score optimistic whether they come whole, in another order
or as a part (``score(X[:300])``), so the estimator keeps a hash of every
fitted row (12 bytes a distinct row, with its count) rather than one checksum
of the whole array, which only recognises the same array. Up to
``MAX_COUNTED_ROWS`` rows, that is: beyond, the fitted estimator would grow
with the data by 12 bytes a row, where the rest of what it keeps grows by
the labels alone (``labels_``) or is capped by ``max_samples``,
so it keeps one order-free checksum of all the rows, which recognises them
whole in any order but not a part of them.

The hash is of the values as numbers, rounded to float32 (about 7 significant
digits): ``-0.0`` and ``0.0`` hash alike, and so do the fitted rows and their
float32 copy, or the rows with 1e-12 added, which are still the rows the probe
has seen. Rows that differ only beyond that precision are taken for the same
row. Distinct rows collide otherwise with probability about ``n**2 / 2**65``:
under 3e-8 for a million rows.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

#: Rows hashed at a time, so that a large X is never copied whole.
_BLOCK_ROWS = 65_536

#: Most fitted rows whose hashes are kept (1.2 MB at most).
MAX_COUNTED_ROWS = 100_000

_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_ODD = np.uint64(0x9E3779B97F4A7C15)


def _mix(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """A bijective scramble of 64-bit words (the finaliser of splitmix64)."""
    # Wrapping uint64 arithmetic is what is wanted here.
    values = values ^ (values >> np.uint64(30))
    values = values * _MIX_1
    values = values ^ (values >> np.uint64(27))
    values = values * _MIX_2
    return values ^ (values >> np.uint64(31))


def _bits(values) -> NDArray[np.uint64]:
    """The float32 bit patterns of ``values``, with ``-0.0`` made ``0.0``."""
    # Values beyond float32's range become infinite: they still hash apart
    # from every finite value.
    with np.errstate(over="ignore"):
        rounded = np.asarray(values).astype(np.float32)
    # Adding 0.0 turns -0.0 into 0.0 and leaves every other value as it is.
    return (rounded + np.float32(0.0)).view(np.uint32).astype(np.uint64)


def row_hashes(X) -> NDArray[np.uint64]:
    """A 64-bit hash of each row of a 2-D array or sparse matrix of numbers."""
    if sp.issparse(X):
        return _sparse_row_hashes(sp.csr_matrix(X))
    n_rows, n_columns = X.shape
    hashes = np.empty(n_rows, dtype=np.uint64)
    for start in range(0, n_rows, _BLOCK_ROWS):
        block = X[start : start + _BLOCK_ROWS]
        digest = np.full(block.shape[0], np.uint64(n_columns), dtype=np.uint64)
        for column in range(n_columns):
            # Each column's value is folded in after the previous ones have
            # been scrambled, so that the order of the values matters.
            digest = _mix(digest * _ODD ^ _bits(block[:, column]))
        hashes[start : start + block.shape[0]] = digest
    return hashes


def _sparse_row_hashes(X) -> NDArray[np.uint64]:
    # Explicit zeros and duplicates would give equal rows different entries.
    X = X.copy()
    X.sum_duplicates()
    X.eliminate_zeros()
    entries = _mix(X.indices.astype(np.uint64) * _ODD ^ _bits(X.data))
    # A row's hash is the wrapping sum of its entries' (the order of the
    # entries does not matter, their columns are in them); cumulative sums
    # give every row's sum at once, empty rows included.
    sums = np.concatenate([[np.uint64(0)], np.cumsum(entries, dtype=np.uint64)])
    per_row = sums[X.indptr[1:]] - sums[X.indptr[:-1]]
    return _mix(per_row ^ np.diff(X.indptr).astype(np.uint64))


def count_rows(hashes: NDArray[np.uint64]) -> tuple[NDArray, NDArray]:
    """The distinct hashes, sorted, and how many rows have each."""
    distinct, counts = np.unique(hashes, return_counts=True)
    return distinct, counts.astype(np.uint32)


def within(hashes: NDArray[np.uint64], counted: tuple[NDArray, NDArray]) -> bool:
    """Are these rows a part of the counted rows, as only the fitted rows are?

    The fitted rows themselves (in any order), or a part of them that holds a
    row the fitted rows hold once, are; every scored row must be among the
    counted ones, each no more often than there. A held-out part of data
    whose rows repeat (a few distinct rows, each many times: binary answers,
    a grid) is not, though each of its rows is also a fitted row: its rows
    are repeated rows, and the probe predicts them from their fitted copies
    whether or not the scored row itself was seen. A held-out fold of data
    whose rows do not repeat holds rows the fitted rows do not.
    """
    distinct, counts = count_rows(hashes)
    fitted, fitted_counts = counted
    if fitted.shape[0] == 0:
        return False
    position = np.minimum(np.searchsorted(fitted, distinct), fitted.shape[0] - 1)
    if not np.all(fitted[position] == distinct):
        return False
    seen_counts = fitted_counts[position]
    if np.any(counts > seen_counts):
        return False
    whole = distinct.shape[0] == fitted.shape[0] and np.array_equal(counts, seen_counts)
    return bool(whole or np.any(seen_counts == 1))


class FittedRows:
    """What an estimator keeps of its fitted rows, to recognise them later.

    The counts of every row's hash up to ``MAX_COUNTED_ROWS`` rows (see
    :func:`within`); beyond, the number of rows and the wrapping sum of their
    scrambled hashes, the same whatever their order.
    """

    def __init__(self, X):
        hashes = row_hashes(X)
        self.n_rows = int(hashes.shape[0])
        # One record or the other, by the size: never both.
        self.counted = count_rows(hashes) if self.n_rows <= MAX_COUNTED_ROWS else None
        self.checksum = None if self.counted is not None else _order_free_sum(hashes)

    def recognise(self, X) -> bool:
        """Are the rows ``X`` fitted rows, as :func:`within` says (see above)?"""
        if self.counted is not None:
            return within(row_hashes(X), self.counted)
        # Held-out rows are fewer: no need to hash them to tell.
        return X.shape[0] == self.n_rows and (
            _order_free_sum(row_hashes(X)) == self.checksum
        )


def _order_free_sum(hashes: NDArray[np.uint64]) -> int:
    # Scrambled first, so that rows whose hashes cancel in a sum are unlikely.
    return int(np.sum(_mix(hashes), dtype=np.uint64))
