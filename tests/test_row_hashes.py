"""Row hashes that recognise the fitted rows among scored ones."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sklearn_leakage import _row_hashes as row_hashes_module
from sklearn_leakage._row_hashes import count_rows, row_hashes, within

finite = st.floats(-1e6, 1e6, allow_nan=False, width=64)


def test_equal_rows_hash_alike_and_others_do_not():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 7))
    hashes = row_hashes(X)
    assert np.unique(hashes).size == 1000
    assert np.array_equal(row_hashes(X[::-1]), hashes[::-1])
    # The same values: negative zero, float32, a Fortran-ordered copy.
    signed = np.array([[0.0, 1.5], [-0.0, 1.5]])
    assert row_hashes(signed)[0] == row_hashes(signed)[1]
    X32 = X.astype(np.float32)
    assert np.array_equal(row_hashes(X32), row_hashes(X32.astype(np.float64)))
    assert np.array_equal(row_hashes(np.asfortranarray(X)), hashes)
    # Rounding below float32's precision is not another row.
    assert np.array_equal(row_hashes(X + 1e-12), hashes)
    # A swap of two values, or one value changed in float32's last bit, is.
    swapped = X[:1, [1, 0, 2, 3, 4, 5, 6]]
    assert row_hashes(swapped)[0] != hashes[0]
    nudged = X[:1].astype(np.float32)
    nudged[0, 3] = np.nextafter(nudged[0, 3], np.float32(np.inf))
    assert row_hashes(nudged)[0] != hashes[0]
    # Values beyond float32's range hash apart from finite ones.
    huge = np.array([[1e300, 1.0], [3e38, 1.0]])
    assert row_hashes(huge)[0] != row_hashes(huge)[1]


def test_sparse_rows_hash_by_their_values_not_their_storage():
    X = sp.csr_matrix(np.array([[0.0, 2.0, 0.0], [0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]))
    # An explicit zero stored in the empty row.
    stored_zero = sp.csr_matrix(
        (np.array([2.0, 0.0, 1.0]), np.array([1, 2, 0]), np.array([0, 1, 2, 3])),
        shape=(3, 3),
    )
    duplicated = sp.csr_matrix(
        (np.array([1.0, 1.0, 1.0]), np.array([1, 1, 0]), np.array([0, 2, 2, 3])),
        shape=(3, 3),
    )
    hashes = row_hashes(X)
    assert np.unique(hashes).size == 3
    assert np.array_equal(row_hashes(stored_zero), hashes)
    assert np.array_equal(row_hashes(duplicated), hashes)
    assert np.array_equal(row_hashes(X.tocsc()), hashes)
    # The column of a value counts: 2 in column 1 is not 2 in column 2.
    assert row_hashes(sp.csr_matrix([[0.0, 0.0, 2.0]]))[0] != hashes[0]


@settings(deadline=None, max_examples=60)
@given(
    X=arrays(
        np.float64, st.tuples(st.integers(2, 40), st.integers(1, 5)), elements=finite
    ),
    data=st.data(),
)
def test_any_part_of_the_rows_in_any_order_is_within_them(X, data):
    # Continuous data rarely repeat a row: a row number makes every row
    # distinct, whatever values hypothesis draws.
    X = np.column_stack([X, np.arange(X.shape[0])])
    counted = count_rows(row_hashes(X))
    rows = data.draw(
        st.lists(
            st.integers(0, X.shape[0] - 1), min_size=1, max_size=X.shape[0], unique=True
        )
    )
    assert within(row_hashes(X[rows]), counted)
    # One row repeated more often than the fitted rows hold it is not.
    hashes = row_hashes(X)
    copies = int(np.sum(hashes == hashes[rows[0]]))
    assert not within(row_hashes(X[rows + [rows[0]] * copies]), counted)
    # Nor is a row the fitted rows do not hold.
    new_row = np.full((1, X.shape[1]), 2e6)
    assert not within(row_hashes(np.vstack([X[rows], new_row])), counted)


@pytest.mark.parametrize("n_folds", [2, 5])
def test_a_held_out_fold_of_repeated_rows_is_not_within_the_others(n_folds):
    # 8 distinct rows (three binary answers), 25 times each: every held-out
    # row is also a fitted row, and with 5 folds no more often than there.
    X = np.repeat(np.array(np.meshgrid([0, 1], [0, 1], [0, 1])).reshape(3, -1).T, 25, 0)
    for seed in range(5):
        order = np.random.default_rng(seed).permutation(X.shape[0])
        held = order[: X.shape[0] // n_folds]
        fitted = np.setdiff1d(order, held)
        assert not within(row_hashes(X[held]), count_rows(row_hashes(X[fitted])))
    # All the fitted rows are, even repeated ones; so is a part that holds a
    # row the fitted rows hold once.
    counted = count_rows(row_hashes(X))
    assert within(row_hashes(X[::-1]), counted)
    once = np.vstack([X, [[5.0, 5.0, 5.0]]])
    assert within(row_hashes(once[[-1, 0, 1]]), count_rows(row_hashes(once)))


def test_nothing_is_within_no_rows():
    empty = count_rows(row_hashes(np.empty((0, 2))))
    assert not within(row_hashes(np.zeros((1, 2))), empty)


def test_beyond_the_cap_the_fitted_rows_are_recognised_whole_only(monkeypatch):
    # Above MAX_COUNTED_ROWS the estimator keeps a checksum, not a hash per
    # row, so that what it keeps does not grow with the data.
    monkeypatch.setattr(row_hashes_module, "MAX_COUNTED_ROWS", 100)
    X = np.random.default_rng(0).normal(size=(300, 3))
    fitted = row_hashes_module.FittedRows(X)
    assert fitted.counted is None
    assert fitted.recognise(X)
    assert fitted.recognise(X[::-1].astype(np.float32))
    assert not fitted.recognise(X[:200])  # a part is not recognised here
    assert not fitted.recognise(np.vstack([X[:299], X[:1]]))
    small = row_hashes_module.FittedRows(X[:100])
    assert small.counted is not None
    assert small.recognise(X[10:50])
