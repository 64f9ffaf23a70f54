"""Holm and Benjamini-Hochberg corrections of a family of p-values."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from sklearn_leakage._compat import validate_params
from sklearn_leakage._stats._constraints import METHOD, as_numbers

__all__ = ["adjust_pvalues"]


@validate_params(
    {
        "pvalues": ["array-like"],
        "method": METHOD,
    },
    prefer_skip_nested_validation=True,
)
def adjust_pvalues(pvalues: ArrayLike, *, method: str = "holm") -> NDArray[np.float64]:
    """Correct p-values for multiple testing (Holm or Benjamini-Hochberg).

    With the ``m`` finite p-values sorted as ``p(1) <= ... <= p(m)``:

    - ``"holm"`` controls the family-wise error rate:
      ``q(i) = max over j <= i of min(1, (m - j + 1) * p(j))``.
    - ``"bh"`` controls the false discovery rate (for independent or positively
      dependent tests): ``q(i) = min over j >= i of min(1, m * p(j) / j)``.

    A hypothesis is rejected at level ``alpha`` when its adjusted p-value is at
    most ``alpha``. Adjusted values lie in [0, 1] and are never below the raw ones.

    Read more in the :ref:`User Guide <leakage_statistics>`.

    Parameters
    ----------
    pvalues : array-like of any shape
        Raw p-values in [0, 1]. NaN entries (pairs that were not tested) stay NaN
        and do not count towards ``m``; so do the masked entries of a numpy
        masked array and the missing values (``pd.NA``) of a pandas nullable
        float array. None, ``pd.NA`` and ``pd.NaT`` in an object array, text
        and booleans are refused.
    method : {"holm", "bh"}, default="holm"
        Holm's step-down method or the Benjamini-Hochberg step-up method.

    Returns
    -------
    adjusted : ndarray of the shape of ``pvalues``
        Adjusted p-values.

    See Also
    --------
    pairwise_leakage_test : Applies this to every pair of clusters.

    Notes
    -----
    Sorting costs O(m log m).

    References
    ----------
    .. [1] S. Holm (1979). "A simple sequentially rejective multiple test
       procedure". Scandinavian Journal of Statistics, 6(2), 65-70.
    .. [2] Y. Benjamini and Y. Hochberg (1995). "Controlling the false discovery
       rate: a practical and powerful approach to multiple testing". Journal of
       the Royal Statistical Society, Series B, 57(1), 289-300.

    Examples
    --------
    >>> from sklearn_leakage import adjust_pvalues
    >>> adjust_pvalues([0.01, 0.04, 0.03])  # sorted: 3*.01, 2*.03, max(.06, 1*.04)
    array([0.03, 0.06, 0.06])
    >>> adjust_pvalues([0.01, 0.04, 0.03], method="bh")  # 3/1 * .01, 3/3 * .04, ...
    array([0.03, 0.04, 0.04])
    """
    if isinstance(pvalues, np.ma.MaskedArray):
        # A masked p-value is a test not made, as NaN is: np.asarray would
        # drop the mask and put the masked value in the family. The unmasked
        # entries go through the checks below as any input does.
        masked = np.ma.getmaskarray(pvalues)
        pvalues = np.array(np.ma.getdata(pvalues), dtype=object)
        pvalues[masked] = np.nan
    raw = np.asarray(pvalues)
    values = list(raw.ravel()) if raw.dtype == object else []
    if any(value is None or value is pd.NA or value is pd.NaT for value in values):
        raise ValueError(
            "pvalues contain a missing value (None, pd.NA or pd.NaT); pass NaN "
            "for a test that was not made (it is left out of the family), or "
            "leave it out."
        )
    pvalues = as_numbers(
        pvalues, "pvalues", "numbers in [0, 1] (NaN for a test not made)"
    )
    finite = ~np.isnan(pvalues)
    flat = pvalues[finite]
    if np.any((flat < 0) | (flat > 1)):
        raise ValueError(
            f"pvalues must lie in [0, 1], found values in [{flat.min():.4g}, "
            f"{flat.max():.4g}]."
        )
    adjusted = np.full(pvalues.shape, np.nan)
    m = flat.shape[0]
    if m == 0:
        return adjusted
    order = np.argsort(flat, kind="stable")
    ranked = flat[order]
    rank = np.arange(1, m + 1)
    if method == "holm":
        # Step-down: each threshold may only rise, hence the running maximum.
        steps = np.maximum.accumulate(np.minimum(1.0, (m - rank + 1) * ranked))
    else:
        # Step-up: each value is the smallest over the ranks at or above it.
        scaled = np.minimum(1.0, m * ranked / rank)
        steps = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty(m)
    out[order] = steps
    adjusted[finite] = out
    return adjusted
