"""Excel export of a LeakageReport: one formatted sheet per table (openpyxl)."""

from __future__ import annotations

from os import PathLike
from typing import BinaryIO

import numpy as np
import pandas as pd

from sklearn_leakage._report._format import (
    LEAKAGE_COLUMNS,
    TINY_PVALUE,
    axis_names,
    column_kind,
    column_words,
    cut_probabilities,
    format_percent,
    format_pvalue,
    format_threshold,
    format_tolerated,
)
from sklearn_leakage._validation import check_optional_dependency

__all__ = ["write_excel"]

#: Largest number of data rows of a sheet: Excel's 1,048,576 rows minus the header.
MAX_ROWS = 1_048_575

#: Characters an Excel cell holds.
MAX_CELL_CHARACTERS = 32_767

#: One decimal, and three for a share below 0.1% but not 0, as the HTML page
#: and the summary write them: 0.037% is not shown as 0.0%, which reads as
#: none, nor 0.055% as 0.1%, twice itself. A share above 99.9% but below 1
#: gets a format of its own (``percent_format``): the format's two conditions
#: are taken.
PERCENT = "[=0]0.0%;[<0.001]0.000%;0.0%"
#: A point's probabilities: two decimals and up to two more where they are
#: not zero (4.96%, 4.9996%). Excel rounds, so the values are written cut to
#: those four decimals (``cut_probability``), as the page cuts them: a value
#: just below a detection threshold of 5% is not shown as 5.00%.
PROBABILITY = "0.00##%"
#: The margins of the rule's tests, three decimals as on the page.
MARGIN = "0.000"
#: Four decimals, and below 0.0001 a mantissa and exponent: a fixed format
#: showed 2.1e-06 as "0.0000", the HTML page as 2.1e-06. A p-value too small
#: for a float is 0, shown "<1e-300" as on the page rather than 0.0E+00, and
#: so is one below ``TINY_PVALUE``, written as 0 (``_zero_tiny_pvalues``).
_PVALUE_WITH = '[=0]"<1e-300";[<0.0001]0.0E+00;0.{}'
PVALUE = _PVALUE_WITH.format("0" * 4)
#: As many decimals as the threshold has, up to three: 0.025 stays 0.025. A
#: threshold with more gets a format with them all (``threshold_format``).
THRESHOLD = "0.0##"
#: A tolerated share with one decimal (5.0%), and one with more with all of
#: them (``tolerated_format``): rounded, 1.01% and 1.02% both read 1.0%.
TOLERATED = "0.0%"
#: The k-selection scores, three decimals as on the page and the command line.
SCORE = "0.000"
#: Excel number format of each kind of column (see ``column_kind``).
NUMBER_FORMATS = {
    "share": PERCENT,
    "probability": PROBABILITY,
    "pvalue": PVALUE,
    "threshold": THRESHOLD,
    "tolerated": TOLERATED,
}


def _cell_value(value):
    """A value openpyxl writes as a number, text or blank (never NaN).

    An infinite value (a dispersion gain when every cluster is one point) is
    written as the text "inf": a cell cannot hold it as a number, and openpyxl
    wrote it as a blank, which reads as "not computed".
    """
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, float) and np.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


#: Sheets whose header keeps the table's column names: ``k_selection`` is the
#: whole of ``report.k_selection`` (and of the command line's k_selection.csv),
#: with a mean and a standard error for whatever metrics the search recorded,
#: a table read back by code rather than a page to read.
RAW_HEADER_SHEETS = {"k_selection"}


def _sheets(report, include_samples=True) -> list[tuple[str, pd.DataFrame, bool]]:
    """(sheet name, table, write the index) in workbook order."""
    sheets = (
        []
        if report.k_selection is None
        else [("k_selection", report.k_selection, False)]
    )
    sheets += [
        ("totals", report.totals, False),
        ("clusters", report.clusters, False),
        ("pairs", report.pairs, False),
        ("merge_candidates", report.merge_candidates, False),
        ("probe", report.probe, True),
        ("probe_scores", report.probe_scores, False),
        ("test_grid", report.test_grid, True),
    ]
    if include_samples and report.samples is not None:
        sheets.append(("samples", report.samples, False))
    return sheets


def _zero_tiny_pvalues(frame: pd.DataFrame, title: str) -> pd.DataFrame:
    """``frame`` with its p-values below 1e-300 written as 0.

    The page writes them "<1e-300" (``format_pvalue``); the workbook's format
    shows that text for 0, the one value its condition can name exactly, so
    a p-value of 1e-305 would otherwise read "1.0E-305" there.
    """
    if title == "test_grid":
        return frame.mask(frame < TINY_PVALUE, 0.0)
    tiny = {
        name: frame[name].mask(frame[name] < TINY_PVALUE, 0.0)
        for name in frame.columns
        if column_kind(name) == "pvalue"
    }
    return frame.assign(**tiny) if tiny else frame


def _decimals(text: str) -> int:
    """Decimals of a number as the page writes it ("0.0496", "99.98%").

    0 in scientific notation, which a cell's format writes in a section of
    its own.
    """
    if "e" in text:
        return 0
    return len(text.removesuffix("%").partition(".")[2])


def pvalue_format(value) -> str:
    """The p-value format, with the decimals the page shows near a usual level.

    Four decimals write 0.04996 as 0.0500, the level itself; the page writes
    it "0.04996" (``format_pvalue``). Excel's format takes two conditions, so
    a cell that needs more decimals gets a format of its own.
    """
    if not isinstance(value, float) or not 1e-4 <= value:
        return PVALUE
    return _PVALUE_WITH.format("0" * max(_decimals(format_pvalue(value)), 4))


def percent_format(value) -> str:
    """The share format, with the decimals the page shows just below 100%.

    One decimal writes 0.9998 (1 point of 5000 missed) as 100.0%, which reads
    as none missed; the page writes it "99.98%" (``format_percent``) and
    0.9999996 ">99.999%", which the cell shows as that text; so is a share
    below 0.001% written "<0.001%", where three decimals would write "0.000%".
    Below 0.1% the page writes two significant digits (0.0055%), which three
    decimals would round (0.006%): those cells get the page's decimals too.
    """
    if not isinstance(value, float) or not (0 < value < 1e-3 or 0.999 < value < 1):
        return PERCENT
    text = format_percent(value)
    if text.startswith((">", "<")):
        return f'"{text}"'
    return f"0.{'0' * _decimals(text)}%"


def threshold_format(value) -> str:
    """The threshold format, with every decimal the threshold has.

    Three decimals wrote a threshold of 0.0101 as 0.01, the grid's own
    threshold in the row above it.
    """
    if not isinstance(value, float):
        return THRESHOLD
    return f"0.0{'#' * max(_decimals(format_threshold(value)) - 1, 2)}"


def tolerated_format(value) -> str:
    """The tolerated share's format, with every decimal of its percentage."""
    if not isinstance(value, float):
        return TOLERATED
    return f"0.{'0' * _decimals(format_tolerated(value))}%"


#: Formats whose decimals depend on the cell's value: those the page writes.
_VALUE_FORMATS = {
    PVALUE: pvalue_format,
    PERCENT: percent_format,
    THRESHOLD: threshold_format,
    TOLERATED: tolerated_format,
}


def _cell_format(number_format: str, value) -> str:
    """The format of one cell of a column formatted with ``number_format``."""
    for_value = _VALUE_FORMATS.get(number_format)
    return number_format if for_value is None else for_value(value)


def _write_sheet(sheet, frame, with_index: bool, words: dict) -> None:
    """Write ``frame`` to ``sheet``, its header renamed by ``words``.

    Number formats and colour scales follow the frame's own column names,
    not the words of the header. ``sheet`` is a write-only sheet: its rows go
    to the file as they are appended, so that a per-row table of a million
    points is not held as a million rows of cell objects. What is set on the
    sheet as a whole (widths, frozen panes, colour scales) is set first.
    """
    import itertools

    frame = _zero_tiny_pvalues(frame, sheet.title)
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if with_index:
        rows_name, columns_name = axis_names(frame)
        corner = f"{rows_name} \\ {columns_name}"
        # A matrix's column labels are cluster ids or grid values, not names.
        header = names = [corner, *(_cell_value(c) for c in frame.columns)]
        rows = (
            [_cell_value(label), *(_cell_value(v) for v in values)]
            for label, values in zip(frame.index, frame.to_numpy(), strict=True)
        )
    else:
        names = [str(c) for c in frame.columns]
        header = [words.get(name, name) for name in names]
        # A point's probabilities are written cut to what the format shows:
        # Excel rounds, and would show 0.0499996 as 5.00%.
        cut = cut_probabilities(frame)
        columns = [cut[c].to_numpy() for c in frame.columns]
        rows = (
            [_cell_value(column[i]) for column in columns] for i in range(len(frame))
        )
    # The widths are measured on the first rows, which are then written.
    first = list(itertools.islice(rows, _WIDTH_ROWS))
    n_rows = len(frame) + 1
    formats = [
        _column_format(sheet.title, name, position, with_index)
        for position, name in enumerate(names, 1)
    ]
    for position, (name, title) in enumerate(zip(names, header, strict=True), 1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = _width(
            title, (row[position - 1] for row in first)
        )
        if name in LEAKAGE_COLUMNS and n_rows > 1:
            # Anchored at 0, so that a column of small leakages stays pale.
            sheet.conditional_formatting.add(
                f"{letter}2:{letter}{n_rows}",
                ColorScaleRule(
                    start_type="num",
                    start_value=0,
                    start_color="FFFFFFFF",
                    end_type="max",
                    end_color="FFF8696B",
                ),
            )
    # The header row stays visible; matrices also keep their row labels.
    sheet.freeze_panes = "B2" if with_index else "A2"

    bold = Font(bold=True)
    fill = PatternFill("solid", start_color="FFEAEEF2")
    centred = Alignment(horizontal="center", wrap_text=False)
    grid = sheet.title == "test_grid"
    header_cells = []
    for position, value in enumerate(header, 1):
        cell = _cell(WriteOnlyCell(sheet, value=value), None)
        cell.font, cell.fill, cell.alignment = bold, fill, centred
        if grid and position > 1:
            # Row labels are detection thresholds, column labels tolerated shares.
            cell.number_format = tolerated_format(value)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in itertools.chain(first, rows):
        cells = []
        for position, value in enumerate(row):
            number_format = formats[position]
            if grid and position == 0:
                number_format = threshold_format(value)
            elif number_format is not None:
                number_format = _cell_format(number_format, value)
            if number_format is None and not _looks_like_a_formula(value):
                cells.append(value)
            else:
                cells.append(_cell(WriteOnlyCell(sheet, value=value), number_format))
        sheet.append(cells)


#: Rows whose values set a column's width (with its header).
_WIDTH_ROWS = 1000


def _looks_like_a_formula(value) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _cell(cell, number_format):
    """``cell`` with ``number_format``, its text kept as text."""
    if cell.data_type == "f":
        # Text that starts with "=" (a note, a cluster named "=a") is text,
        # not a formula for Excel to evaluate.
        cell.data_type = "s"
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _column_format(title: str, name, position: int, with_index: bool):
    """The number format of a column of sheet ``title``, or None."""
    if with_index and position > 1:
        # Matrix cells: counts in the confusion matrix, p-values in the grid.
        return PVALUE if title == "test_grid" else "0"
    if title == "k_selection" and str(name).startswith(("mean_", "std_error_")):
        return SCORE
    if title == "k_selection" and str(name).endswith("_margin"):
        return MARGIN
    kind = column_kind(name)
    return None if kind is None else NUMBER_FORMATS.get(kind)


def _width(title, values) -> float:
    """Characters of the widest of the header and ``values``, 8 to 80."""
    longest = len(str(title))
    for value in values:
        if value is None:
            continue
        if isinstance(value, float):
            # Displayed through a number format: "12.3%" or "0.0123".
            length = 7
        else:
            length = len(str(value))
        longest = max(longest, length)
    return float(min(max(longest + 2, 8), 80))


def write_excel(
    report, path: str | PathLike | BinaryIO, include_samples: bool = True, notes=()
) -> None:
    """Write the report's tables to ``path``, one sheet each.

    ``notes``, when given, go first, one per row of a ``notes`` sheet; a
    report of a search adds the choice in words (with a close call) after them,
    as the page writes it above the candidates.
    """
    openpyxl = check_optional_dependency("openpyxl", "excel")
    sheets = _sheets(report, include_samples)
    if report._k_selection is not None:
        notes = [*notes, report._k_selection.choice_text()]
    for number, note in enumerate(notes, start=1):
        if len(note) > MAX_CELL_CHARACTERS:
            raise ValueError(
                f"Note {number} has {len(note)} characters, more than an Excel "
                f"cell holds ({MAX_CELL_CHARACTERS}); shorten it or split it into "
                "several notes."
            )
    if notes:
        sheets.insert(0, ("notes", pd.DataFrame({"note": list(notes)}), False))
    for name, frame, _ in sheets:
        if len(frame) > MAX_ROWS:
            raise ValueError(
                f"The {name} table has {len(frame)} rows, more than an Excel sheet "
                f"holds ({MAX_ROWS}); pass include_samples=False to to_excel and "
                "write report.samples to CSV or Parquet."
            )
    workbook = openpyxl.Workbook(write_only=True)
    for name, frame, with_index in sheets:
        words = {} if name in RAW_HEADER_SHEETS else column_words(report, name)
        _write_sheet(workbook.create_sheet(name), frame, with_index, words)
    workbook.save(path)
