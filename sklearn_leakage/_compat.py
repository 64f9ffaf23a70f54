"""The one place that imports private scikit-learn helpers.

scikit-learn keeps parameter validation and ``_fit_context`` private; routing every
import through this module leaves a single fix point when they move.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    validate_params,
)

__all__ = [
    "HasMethods",
    "Interval",
    "RealNotInt",
    "StrOptions",
    "_fit_context",
    "validate_params",
]
