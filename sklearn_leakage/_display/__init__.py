"""matplotlib Display objects; each file holds one and imports matplotlib lazily."""

from sklearn_leakage._display.k_selection import KSelectionDisplay
from sklearn_leakage._display.leakage_graph import LeakageGraphDisplay
from sklearn_leakage._display.leakage_matrix import LeakageMatrixDisplay
from sklearn_leakage._display.sample_leakage import SampleLeakageDisplay
from sklearn_leakage._display.threshold_sweep import ThresholdSweepDisplay

__all__ = [
    "KSelectionDisplay",
    "LeakageGraphDisplay",
    "LeakageMatrixDisplay",
    "SampleLeakageDisplay",
    "ThresholdSweepDisplay",
]
