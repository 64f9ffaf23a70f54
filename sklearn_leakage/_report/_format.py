"""How the report writes numbers: shared by the summary, the HTML and Excel.

Each column of the tables has one kind (a share, a p-value, a threshold), so that
the three outputs write the same column the same way.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "AXIS_WORDS",
    "LEAKAGE_COLUMNS",
    "METHOD_NAMES",
    "ONE_CLUSTER_NOTE",
    "PVALUE_COLUMNS",
    "SHARE_COLUMNS",
    "axis_names",
    "column_kind",
    "format_percent",
    "format_pvalue",
    "grid_for_reading",
    "subsample_note",
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


def subsample_note(subsample: tuple[int, int]) -> str:
    """Say that the report's points are a subsample of the clustered rows."""
    scored, clustered = subsample
    # "from": noise points of the subsample are left out of the points counted.
    return (
        f"from a stratified random subsample of {scored} of the {clustered} "
        "rows, max_samples"
    )


def format_percent(value: float) -> str:
    """A share as a percentage with one decimal, small ones with two digits.

    A share below 0.05% is not written as 0.0%, which would read as none: an
    interval's upper end of 0.037% stays 0.037%, and below 0.001% it is
    written as such.
    """
    if np.isnan(value):
        return "n/a"
    percent = 100 * value
    if 0 < percent < 0.001:
        return "<0.001%"
    if 0 < percent < 0.05:
        return f"{percent:.2g}%"
    return f"{value:.1%}"


def format_pvalue(value: float) -> str:
    """Two significant digits; below 1e-4 in scientific notation.

    Below 1e-300 a p-value is written as that bound: an exact 0 is one that
    floating point cannot hold (below 5e-324), and a bound written for it must
    not be larger than values written beside it.
    """
    if np.isnan(value):
        return "n/a"
    if value < 1e-300:
        return "<1e-300"
    return f"{value:.2g}" if value >= 1e-4 else f"{value:.1e}"


#: Axis names of the report's tables in words, for the page and the workbook;
#: the tables themselves keep the names of the functions that make them.
AXIS_WORDS = {
    "detection_threshold": "detection threshold",
    "comparison_value": "tolerated share",
}


def grid_for_reading(grid):
    """The test grid with its axes named in words and its labels written in full.

    pandas writes a float index with two decimals (0.10). The thresholds are
    written as the shortest decimal that is their value (0.1, 0.025) and the
    tolerated shares as percentages (5%, 2.5%), as the workbook and the cards
    show them; neither rounds, so two close values never share a label.
    """
    rows_name, columns_name = axis_names(grid)
    return grid.rename(index=_shortest, columns=_shortest_percent).rename_axis(
        index=rows_name, columns=columns_name
    )


def axis_names(frame) -> tuple[str, str]:
    """The names of a table's rows and columns axes, in words where they have some."""
    return (
        AXIS_WORDS.get(frame.index.name, frame.index.name),
        AXIS_WORDS.get(frame.columns.name, frame.columns.name),
    )


def _shortest(value) -> str:
    return repr(float(value))


def _shortest_percent(value) -> str:
    # round() drops the binary noise of the product (0.07 * 100 = 7.000000000000001).
    percent = repr(round(100 * float(value), 10))
    return f"{percent.removesuffix('.0')}%"


#: Why a one-cluster report shows no leakage and a perfect probe.
ONE_CLUSTER_NOTE = (
    "With one cluster there is no other cluster to leak into: leakage is 0 and "
    "the probe's accuracy 100% by definition, not by merit."
)
