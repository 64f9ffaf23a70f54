"""Parameter constraints shared by the public statistics functions."""

from __future__ import annotations

from numbers import Real

from sklearn_leakage._compat import Interval, StrOptions

__all__ = ["ALTERNATIVE", "LEVEL", "METHOD", "PREDICTIONS", "SHARE"]

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
