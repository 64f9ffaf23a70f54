"""How the report writes numbers: shared by the summary, the HTML and Excel.

Each column of the tables has one kind (a share, a p-value, a threshold), so that
the three outputs write the same column the same way.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "LEAKAGE_COLUMNS",
    "METHOD_NAMES",
    "PVALUE_COLUMNS",
    "SHARE_COLUMNS",
    "column_kind",
    "format_percent",
    "format_pvalue",
]

#: Names of the multiple-testing corrections in sentences.
METHOD_NAMES = {"holm": "Holm", "bh": "Benjamini-Hochberg"}

#: Share columns, shown as percentages.
SHARE_COLUMNS = {
    "leakage",
    "ci_low",
    "ci_high",
    "expected_leakage",
    "recall",
    "leaky_recall",
    "total_leakage",
    "leakage_level",
    "probe_accuracy",
    "noise_share",
    "leakage_ab",
    "leakage_ba",
    "symmetric_leakage",
    "precision",
    "f1",
    "own_proba",
    "max_other_proba",
}
#: Columns that get a white-to-red colour scale in Excel: the leakage shares.
LEAKAGE_COLUMNS = {
    "leakage",
    "expected_leakage",
    "total_leakage",
    "leakage_ab",
    "leakage_ba",
    "symmetric_leakage",
}
PVALUE_COLUMNS = {"p_value", "p_adjusted"}


def column_kind(name) -> str | None:
    """``"share"``, ``"pvalue"``, ``"threshold"`` or None (no format of its own)."""
    if name in SHARE_COLUMNS:
        return "share"
    if name in PVALUE_COLUMNS:
        return "pvalue"
    if name == "detection_threshold":
        return "threshold"
    return None


def format_percent(value: float) -> str:
    return "n/a" if np.isnan(value) else f"{value:.1%}"


def format_pvalue(value: float) -> str:
    if np.isnan(value):
        return "n/a"
    return f"{value:.2g}" if value >= 1e-4 else f"{value:.1e}"
