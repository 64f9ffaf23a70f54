"""sklearn-leakage: judge a clustering by how predictable it is."""

from sklearn_leakage._estimator import LeakageScore
from sklearn_leakage._metrics import (
    expected_leakage,
    expected_leakage_matrix,
    leakage_matrix,
    total_leakage,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "LeakageScore",
    "__version__",
    "expected_leakage",
    "expected_leakage_matrix",
    "leakage_matrix",
    "total_leakage",
]
