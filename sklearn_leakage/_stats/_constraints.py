"""Parameter constraints shared by the public statistics functions."""

from __future__ import annotations

import datetime
import numbers
from numbers import Real

import numpy as np
from numpy.typing import NDArray

from sklearn_leakage._compat import Interval, StrOptions

__all__ = ["ALTERNATIVE", "LEVEL", "METHOD", "PREDICTIONS", "SHARE", "as_numbers"]

ALTERNATIVE = [StrOptions({"greater", "less", "two-sided"})]
#: A probability or a confidence level: the ends 0 and 1 are meaningless.
LEVEL = [Interval(Real, 0, 1, closed="neither")]
#: A share of points: 0 and 1 are possible values.
SHARE = [Interval(Real, 0, 1, closed="both")]
METHOD = [StrOptions({"holm", "bh"})]
#: The ``(labels, proba, classes)`` inputs of every test of a labelling.
PREDICTIONS = {
    "labels": ["array-like"],
    "proba": ["array-like"],
    "classes": ["array-like", None],
}


#: What an object array may hold that numpy would turn into a number, or fail
#: to with a TypeError that names no parameter.
_REFUSED = (str, bytes, bool, np.bool_, datetime.date, datetime.timedelta)
_REFUSED += (np.datetime64, np.timedelta64)


def _not_a_number(item) -> bool:
    # numpy's complex64 is no Python complex; numbers.Complex holds both.
    complex_ = isinstance(item, numbers.Complex) and not isinstance(item, numbers.Real)
    return isinstance(item, _REFUSED) or complex_


def as_numbers(values, name: str, what: str) -> NDArray[np.float64]:
    """``values`` as a float array, refusing what numpy would read as numbers.

    numpy reads "3" as 3 and True as 1, and turns ``[True, 0.2]`` into floats
    before its dtype can show the bool: text or booleans in a column of counts
    or p-values are more likely the wrong column than numbers, and complex
    numbers or dates are no counts or shares at all. A masked array with
    masked entries is refused too, since ``np.asarray`` would drop its mask
    and use them. ``what`` names what the values should be, for the message.
    """
    if isinstance(values, np.ma.MaskedArray):
        if np.ma.is_masked(values):
            raise ValueError(
                f"{name} is a masked array with masked entries, which would be "
                "used as they are; pass the entries to use, the same ones of "
                f"every input (for example {name}[~{name}.mask])."
            )
        values = np.ma.getdata(values)
    raw = np.asarray(values)
    # An array's dtype tells what it holds; a list read as floats hides a bool
    # among numbers, which an object array keeps as it was given.
    if raw.dtype == object or not hasattr(values, "__array__"):
        items = np.asarray(values, dtype=object).ravel()
    else:
        items = ()
    if raw.dtype.kind in "USbcmM" or any(_not_a_number(item) for item in items):
        raise ValueError(
            f"{name} must hold {what}, not text, booleans, complex numbers or "
            "dates; convert them with float() first if they are numbers written "
            "as text."
        )
    return raw.astype(np.float64)
