"""sklearn-leakage: judge a clustering by how predictable it is."""

from sklearn_leakage._display import (
    KSelectionDisplay,
    LeakageGraphDisplay,
    LeakageMatrixDisplay,
    SampleLeakageDisplay,
    ThresholdSweepDisplay,
)
from sklearn_leakage._display.pvalue_grid import LeakageTestGridDisplay
from sklearn_leakage._estimator import LeakageScore
from sklearn_leakage._external import cross_val_proba, leakage_score
from sklearn_leakage._interval import total_leakage_interval
from sklearn_leakage._merge import merge_leaky_clusters
from sklearn_leakage._metrics import (
    expected_leakage,
    expected_leakage_matrix,
    leakage_matrix,
    total_leakage,
)
from sklearn_leakage._report import LeakageReport
from sklearn_leakage._scorer import leakage_scorer, make_leakage_scorer
from sklearn_leakage._search import select_n_clusters
from sklearn_leakage._selection import close_call, refit_n_clusters
from sklearn_leakage._stats import (
    adjust_pvalues,
    binomial_test,
    leakage_test_grid,
    pairwise_leakage_test,
    proportion_ci,
    total_leakage_test,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "KSelectionDisplay",
    "LeakageGraphDisplay",
    "LeakageMatrixDisplay",
    "LeakageReport",
    "LeakageScore",
    "LeakageTestGridDisplay",
    "SampleLeakageDisplay",
    "ThresholdSweepDisplay",
    "__version__",
    "adjust_pvalues",
    "binomial_test",
    "close_call",
    "cross_val_proba",
    "expected_leakage",
    "expected_leakage_matrix",
    "leakage_matrix",
    "leakage_score",
    "leakage_scorer",
    "leakage_test_grid",
    "make_leakage_scorer",
    "merge_leaky_clusters",
    "pairwise_leakage_test",
    "proportion_ci",
    "refit_n_clusters",
    "select_n_clusters",
    "total_leakage",
    "total_leakage_interval",
    "total_leakage_test",
]
