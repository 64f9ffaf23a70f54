"""The one place that imports private scikit-learn helpers.

scikit-learn keeps parameter validation and ``_fit_context`` private; routing every
import through this module leaves a single fix point when they move.
"""

from numbers import Integral

from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    validate_parameter_constraints,
    validate_params,
)

#: ``n_jobs`` as joblib reads it: None, a positive number of jobs, or -1, -2...
#: for all cores, all but one... scikit-learn accepts any integer and leaves 0
#: to joblib, whose error would surface inside this package's fold loops.
N_JOBS = [
    Interval(Integral, None, -1, closed="right"),
    Interval(Integral, 1, None, closed="left"),
    None,
]

__all__ = [
    "N_JOBS",
    "HasMethods",
    "Interval",
    "RealNotInt",
    "StrOptions",
    "_fit_context",
    "validate_parameter_constraints",
    "validate_params",
]
