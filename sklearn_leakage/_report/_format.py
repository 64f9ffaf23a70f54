"""How the report writes numbers: shared by the summary, the HTML and Excel.

Each column of the tables has one kind (a share, a p-value, a threshold), so that
the three outputs write the same column the same way.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

import numpy as np
import pandas as pd

__all__ = [
    "COLUMN_WORDS",
    "LEAKAGE_COLUMNS",
    "METHOD_NAMES",
    "ONE_CLUSTER_NOTE",
    "PROBABILITY_COLUMNS",
    "PVALUE_COLUMNS",
    "SHARE_COLUMNS",
    "TINY_PVALUE",
    "axis_names",
    "column_kind",
    "column_words",
    "cut_probabilities",
    "cut_probability",
    "format_level",
    "format_percent",
    "format_percent_exact",
    "format_probability",
    "format_pvalue",
    "format_score",
    "format_threshold",
    "format_tolerated",
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
    "probe_accuracy",
    "noise_share",
    "leakage_ab",
    "leakage_ba",
    "symmetric_leakage",
    "precision",
    "f1",
}
#: A point's probabilities, compared with the detection threshold: two
#: decimals, so that 4.96% is not written as the threshold 5.0% it is below.
PROBABILITY_COLUMNS = {"own_proba", "max_other_proba"}
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
    """Kind of a column: share, probability, pvalue, threshold, tolerated or None.

    The detection threshold and the tolerated share are settings, written
    with all their digits (:func:`format_threshold`, :func:`format_tolerated`);
    the shares are measured, and rounded.
    """
    if name in SHARE_COLUMNS:
        return "share"
    if name in PROBABILITY_COLUMNS:
        return "probability"
    if name in PVALUE_COLUMNS:
        return "pvalue"
    if name == "detection_threshold":
        return "threshold"
    if name == "leakage_level":
        return "tolerated"
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
    """A share as a percentage with one decimal, near 0% and 100% with more.

    A share below 0.1% is not written with one decimal, which would make 0.037%
    read as none (0.0%) and 0.055% as twice itself (0.1%): they stay 0.037% and
    0.055%, and below 0.001% it is written as such. A share above 99.9% but
    below 1 is the mirror case: one decimal would make a probe that misses 1
    point of 5000 read as perfect (100.0%), so its distance from 100% gets the
    same two significant digits (99.98%, 99.963%), and above 99.999% it is
    written as such.
    """
    if np.isnan(value):
        return "n/a"
    percent = 100 * value
    if 0 < percent < 0.001:
        return "<0.001%"
    if 0 < percent < 0.1:
        return f"{percent:.2g}%"
    # 100 * (1 - value), not 100 - percent (100 * 0.9998 is 99.97999999999999),
    # rounded to 10 decimals: 1 - 0.99999 is 9.99999999995449e-06, not 1e-05.
    missing = round(100 * (1 - value), 10)
    if 0 <= missing < 0.001 and value < 1:
        return ">99.999%"
    if 0 < missing < 0.1:
        # In Decimal, the digits written for the distance are subtracted
        # exactly: the text cannot gain a float's rounding digits.
        return f"{Decimal(100) - Decimal(f'{missing:.2g}')}%"
    return f"{value:.1%}"


def setting_as_written(value: float) -> float:
    """A float setting as the user wrote it, as a Python float.

    ``float(np.float32(0.05))`` is 0.05000000074505806, which the report would
    print as such and add to its grid beside 0.05; the shortest text of a
    numpy float is the number the user meant. The detection threshold, which
    probabilities are compared with, is used as given (as the estimator and
    the metric functions use it) and only labelled with this.
    """
    if isinstance(value, np.floating):
        return float(str(value))
    return float(value)


def format_threshold(value: float) -> str:
    """A detection threshold as the shortest decimal that is its value.

    Not rounded: 0.0101 is "0.0101", where "%g" or two decimals made it 0.01,
    the grid's own threshold beside it. A float32 threshold, which the report
    uses as given (0.05 is 0.05000000074505806), is written as the float32 it
    was given as, "0.05", as its row of the test grid is labelled.
    """
    value = float(value)
    single = np.float32(value)
    shortest = single if float(single) == value else value
    return np.format_float_positional(shortest, trim="-")


def format_tolerated(value: float) -> str:
    """A tolerated share (``leakage_level``) as a percentage, not rounded.

    One decimal at least, as the measured shares beside it (5.0%, 2.5%), and
    every digit the setting has (1.02%): rounded to one decimal, 1.01% and
    1.02% would both read 1.0%, and a test against 1.02% would be labelled
    with the grid's 1% beside it.
    """
    whole, _, decimals = format_percent_exact(value).removesuffix("%").partition(".")
    return f"{whole}.{decimals or '0'}%"


def format_level(level: float) -> str:
    """A confidence level as a percentage with the digits it has.

    0.95 is "95%", 0.995 "99.5%": a whole percent would call a 99.5% interval
    a 100% one. Rounded to 10 decimals of the percentage (100 * 0.9 is
    90.00000000000001), without an exponent: 0.9999999 is "99.99999%", 1e-7
    "0.00001%".
    """
    return f"{np.format_float_positional(round(100 * level, 10), trim='-')}%"


def cut_probability(value: float) -> float:
    """A probability cut (not rounded) to 6 decimals, 4 of its percentage.

    Cut from its shortest decimal form (``repr``), so that 0.29, stored as
    0.28999..., stays 0.29, and a value below a detection threshold stays
    below it (0.15 - 0.1, stored as 0.04999999999999999, is 0.049999).
    """
    if not np.isfinite(value):
        return value
    return float(Decimal(repr(float(value))).quantize(Decimal("1e-6"), ROUND_FLOOR))


def cut_probabilities(frame):
    """``frame`` with its point probability columns cut by :func:`cut_probability`.

    The columns of :data:`PROBABILITY_COLUMNS` it has; the others, such as a
    user's ids, are left as they are. The workbook and the command line's
    clusters.csv write these cut values, so that a point shows the numbers
    the page shows, and one just below the detection threshold stays below
    it beside its ``leaks`` flag.
    """
    cut = {
        name: _cut_column(frame[name])
        for name in frame.columns
        if name in PROBABILITY_COLUMNS
    }
    return frame.assign(**cut)


# Farther than this from a multiple of 1e-6, a value scaled by 1e6 has the
# floor its decimal form has: the product's rounding error is below 1e-9.
_CUT_MARGIN = 1e-6


def _cut_column(column):
    """:func:`cut_probability` of every value of a column, at array speed.

    Per value through ``Decimal`` a million probabilities took about 3.5 s;
    here only the values within ``_CUT_MARGIN`` of a multiple of 1e-6 that are
    not that multiple take that path, where the scaled product's rounding
    could cross the multiple. The others are ``floor(1e6 * value) / 1e6``,
    the float nearest the cut decimal, as ``float(Decimal)`` gives it.
    """
    values = column.to_numpy(dtype=float, na_value=np.nan)
    scaled = values * 1e6
    with np.errstate(invalid="ignore"):
        floor = np.floor(scaled)
        fraction = scaled - floor
        near = np.isfinite(values) & (
            (fraction < _CUT_MARGIN) | (fraction > 1 - _CUT_MARGIN)
        )
    # A value that is the float nearest a multiple of 1e-6 (0, 1, 0.05) is
    # written as that multiple, so it is its own cut; a sharp probe gives many.
    # (Its product with 1e6 may fall just below the multiple: floor + 1.)
    exact = (values == floor / 1e6) | (values == (floor + 1) / 1e6)
    cut = np.where(np.isfinite(values) & ~exact, floor / 1e6, values)
    near &= ~exact
    cut[near] = [cut_probability(value) for value in values[near]]
    return pd.Series(cut, index=column.index, name=column.name)


def format_score(value: float, missing: str) -> str:
    """A k-selection score with three decimals; ``missing`` where there is none.

    An infinite score (a gain when every cluster is one point) is written
    "inf": it was computed, and a blank or "n/a" would read as not computed.
    """
    if np.isnan(value):
        return missing
    return f"{value:.3f}" if np.isfinite(value) else f"{value}"


def format_probability(value: float) -> str:
    """A point's probability as a percentage, cut (not rounded) at 4 decimals.

    At least two decimals, trailing zeros dropped beyond: 4.96%, 4.9996%.
    Cut (:func:`cut_probability`), so that a probability just below the
    detection threshold is never written as the threshold (0.049996 as 5.00%
    beside leaks = False).
    """
    if np.isnan(value):
        return "n/a"
    text = f"{100 * cut_probability(value):.4f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    # -0.0 is written as 0.
    whole = "0" if whole == "-0" else whole
    return f"{whole}.{decimals:0<2}%"


#: Below this a p-value is written as the bound "<1e-300", on the page and in
#: the workbook.
TINY_PVALUE = 1e-300


#: Levels a reader compares p-values with; a value that two digits would round
#: onto one of them gets the digits that show which side it lies on.
USUAL_LEVELS = (0.001, 0.01, 0.05, 0.1)


def format_pvalue(value: float, levels: tuple[float, ...] = ()) -> str:
    """Two significant digits; below 1e-4 in scientific notation.

    A value that two digits would round onto a usual level (0.0496 and 0.0504
    both to "0.05") gets up to six, so that the text says which side of the
    level it lies on: "0.0496", "0.0504". ``levels`` adds levels to the usual
    ones (a display's own significance level).

    Below 1e-300 a p-value is written as that bound: an exact 0 is one that
    floating point cannot hold (below 5e-324), and a bound written for it must
    not be larger than values written beside it.
    """
    # A Python float: numpy's float16 and float32 would compare the text's
    # value with theirs at their own precision and call 0.0499878 "0.05".
    value = float(value)
    if np.isnan(value):
        return "n/a"
    if value < TINY_PVALUE:
        return "<1e-300"
    if value < 1e-4:
        return f"{value:.1e}"
    guarded = (*USUAL_LEVELS, *(float(level) for level in levels))
    for digits in range(2, 7):
        text = f"{value:.{digits}g}"
        if float(text) not in guarded or float(text) == value:
            return text
    # Within 5e-7 of a level: the shortest text that reads back as the value
    # is never the level's.
    return repr(value)


#: Column and axis names of the report's tables in words, for the page and the
#: workbook; the tables themselves keep the names code reads (``ci_low``), which
#: are those of the functions that make them. ``{level}`` stands for the
#: confidence level, ``{method}`` for the multiple-testing correction. Names
#: missing here (``cluster``, ``support``, ``recall``) are words already.
COLUMN_WORDS = {
    # totals
    "n_samples": "points scored",
    "n_clusters": "clusters",
    "leaking": "leaking points",
    "total_leakage": "total leakage",
    "leakage_level": "tolerated leakage (test)",
    "probe_accuracy": "probe accuracy (out-of-fold)",
    "noise_share": "noise share",
    "detection_threshold": "detection threshold",
    # clusters and pairs
    "ci_low": "{level} CI, low",
    "ci_high": "{level} CI, high",
    "expected_leakage": "expected leakage",
    "leaky_recall": "recall without leaking",
    "count": "leaking points",
    "p_value": "p-value (leakage above tolerated)",
    "p_adjusted": "{method}-adjusted p-value",
    # merge candidates: "a leaks into b" as the pairs' sentences say it
    "cluster_a": "cluster a",
    "cluster_b": "cluster b",
    "leakage_ab": "a leaks into b",
    "leakage_ba": "b leaks into a",
    "symmetric_leakage": "symmetric leakage (larger of the two)",
    # probe scores
    "f1": "F1",
    # samples
    "own_proba": "own-cluster probability",
    "max_other_proba": "largest probability on another cluster",
    "most_likely_other": "most likely other cluster",
    # axes of the test grid
    "comparison_value": "tolerated share",
}
#: Names that read otherwise in one table: the totals test the total leakage.
_TABLE_WORDS: dict[str | None, dict[str, str]] = {
    "totals": {"p_value": "p-value (total leakage above tolerated)"}
}


def column_words(report, table: str | None = None) -> dict[str, str]:
    """Each column name of a report's table, as the page and the workbook write it.

    Parameters
    ----------
    report : LeakageReport
        Gives the confidence level and the correction the names mention.
    table : str, default=None
        Name of the table (``"totals"``), for the names that read otherwise
        there; the names shared by every table if None.

    Returns
    -------
    words : dict
        From the DataFrame's column name to its name in words, for use with
        ``DataFrame.rename(columns=words)``.
    """
    values = {
        "level": format_level(report.confidence_level),
        "method": METHOD_NAMES[report.method],
    }
    words = {**COLUMN_WORDS, **_TABLE_WORDS.get(table, {})}
    return {name: label.format(**values) for name, label in words.items()}


def grid_for_reading(grid):
    """The test grid with its axes named in words and its labels written in full.

    pandas writes a float index with two decimals (0.10). The thresholds are
    written as the shortest decimal that is their value (0.1, 0.025,
    :func:`format_threshold`) and the tolerated shares as percentages (5%,
    2.5%), with the digits the workbook and the cards give them; neither
    rounds, so two close values never share a label.
    """
    rows_name, columns_name = axis_names(grid)
    labelled = grid.rename(index=format_threshold, columns=format_percent_exact)
    return labelled.rename_axis(index=rows_name, columns=columns_name)


def axis_names(frame) -> tuple[str, str]:
    """The names of a table's rows and columns axes, in words where they have some."""
    return (
        COLUMN_WORDS.get(frame.index.name, frame.index.name),
        COLUMN_WORDS.get(frame.columns.name, frame.columns.name),
    )


def format_percent_exact(value: float) -> str:
    """A set share as a percentage with the digits it has: 5%, 2.5%, 10.00004%.

    For the settings a grid is labelled with, which must never share a label.
    """
    # round() drops the binary noise of the product (0.07 * 100 = 7.000000000000001);
    # positional, so that 1e-7 is 0.00001%, not 1e-05%.
    percent = round(100 * float(value), 10)
    return f"{np.format_float_positional(percent, trim='-')}%"


#: Why a one-cluster report shows no leakage and a perfect probe.
ONE_CLUSTER_NOTE = (
    "With one cluster there is no other cluster to leak into: leakage is 0 and "
    "the probe's accuracy 100% by definition, not by merit."
)
