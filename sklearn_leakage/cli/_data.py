"""Reading the input table and turning it into a numeric matrix."""

from __future__ import annotations

import csv
import importlib.util
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.preprocessing import PowerTransformer, StandardScaler

from sklearn_leakage._validation import install_hint, listed_names
from sklearn_leakage.cli._console import PROG, UsageError, _Console

#: Fewest rows a command accepts: the chosen clustering's diagnostics split all
#: rows into 5 folds, and 10 rows give each fold two.
MIN_ROWS = 10

_CSV_SUFFIXES = {".csv": ",", ".txt": ",", ".tsv": "\t", ".tab": "\t"}


_PARQUET_SUFFIXES = {".parquet", ".pq"}


_COMPRESSION_SUFFIXES = {".gz", ".bz2", ".zip", ".xz", ".zst"}

#: What a data file's name ends in, as ``read_table`` knows it (an .xls is
#: refused there with advice, but it is the file the user meant).
DATA_SUFFIXES = frozenset({*_CSV_SUFFIXES, *_PARQUET_SUFFIXES, ".xlsx", ".xls"})


def data_suffix(path: Path) -> str:
    """The suffix that says a file's type, lower-cased, past a compression one."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSION_SUFFIXES:
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def read_table(
    path: Path, sep: str | None = None, decimal: str | None = None
) -> pd.DataFrame:
    """Read a CSV/TSV (optionally compressed) or Parquet file; never writes.

    ``sep`` and ``decimal`` are the user's ``--sep`` and ``--decimal``: given,
    they replace what ``_read_csv`` would guess from a delimited file.
    """
    _check_marks(sep, decimal)
    if not path.exists():
        raise UsageError(f"data file {str(path)!r} not found; check the path")
    if path.is_dir():
        raise UsageError(f"{str(path)!r} is a folder; pass a .csv or .parquet file")
    suffix = data_suffix(path)
    if suffix in _PARQUET_SUFFIXES or suffix == ".xlsx":
        _refuse_marks(path, sep, decimal)
    if suffix in _PARQUET_SUFFIXES:
        if not any(importlib.util.find_spec(m) for m in ("pyarrow", "fastparquet")):
            raise UsageError(
                f"reading Parquet ({path.name}) needs pyarrow: "
                f"{install_hint('parquet')}"
            )
        reader = pd.read_parquet
    elif suffix in _CSV_SUFFIXES:
        expected = _CSV_SUFFIXES[suffix]

        def reader(source):
            return _read_csv(source, expected, sep=sep, decimal=decimal)
    elif suffix == ".xlsx":
        # The excel extra that writes report.xlsx reads workbooks too.
        if importlib.util.find_spec("openpyxl") is None:
            raise UsageError(
                f"reading Excel ({path.name}) needs openpyxl: "
                f"{install_hint('excel')}, or "
                "save the sheet as CSV"
            )

        def reader(source):
            try:
                return pd.read_excel(source, sheet_name=0, engine="openpyxl")
            except zipfile.BadZipFile:
                # An .xlsx is a zip archive; a CSV renamed .xlsx is not one.
                raise ValueError("it is not an Excel workbook") from None
    else:
        hint = " (save the sheet as .xlsx or CSV)" if suffix == ".xls" else ""
        raise UsageError(
            f"cannot read {path.name!r}: unknown file type {suffix or 'without'!r}"
            f"{hint}; use a .csv, .tsv, .xlsx or .parquet file"
        )
    try:
        frame = reader(path)
    except UnicodeDecodeError as exc:
        # Older Excel versions save "CSV" in the Windows code page, not UTF-8.
        # exc.start counts from pandas' read buffer, not from the file's start,
        # so the byte is named without a position.
        raise UsageError(
            f"cannot read {str(path)!r}: it is not UTF-8 text (it has the byte "
            f"{exc.object[exc.start]:#04x}); save it again as 'CSV UTF-8' (Excel) "
            "or with UTF-8 encoding"
        ) from None
    except (OSError, ValueError) as exc:
        # ValueError covers pandas' parser and empty-file errors, bad encodings
        # and pyarrow's ArrowInvalid for a file that is not Parquet.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        raise UsageError(
            f"cannot read {str(path)!r}: {reason}; pass a CSV, TSV, Excel or "
            "Parquet file with a header row"
        ) from None
    return frame


def _check_marks(sep: str | None, decimal: str | None) -> None:
    """Refuse a --sep that is also the decimal mark.

    Unquoted, "1,5" between commas (or "1.5" between points) is two fields:
    no reader can tell a field from a decimal part. pandas splits such a
    number without a word, so the options are refused before any reading.
    """
    if sep == "," and decimal == ",":
        raise UsageError(
            "--sep , and --decimal , name the same character, and a field cannot "
            "be told from a decimal part; save the file separated by semicolons "
            "and pass --sep semicolon --decimal ,"
        )
    if sep == "." and decimal != ",":
        raise UsageError(
            "--sep . is also the decimal mark ('.' unless --decimal , is given), "
            "and a field cannot be told from a decimal part; pass --decimal , too "
            "if the numbers are written with decimal commas"
        )


def _refuse_marks(path: Path, sep: str | None, decimal: str | None) -> None:
    """Refuse --sep and --decimal for a file that stores typed columns."""
    given = [
        name
        for name, value in (("--sep", sep), ("--decimal", decimal))
        if value is not None
    ]
    if given:
        kind = "an Excel workbook" if path.suffix.lower() == ".xlsx" else "Parquet"
        named = " and ".join(given)
        verb = "apply" if len(given) > 1 else "applies"
        raise UsageError(
            f"{named} {verb} to delimited text files (.csv, .tsv, .txt, .tab) "
            f"only; {path.name} is {kind}, which stores numbers as numbers, not "
            f"as text: leave out {named}"
        )


#: Separators a file of a comma or tab type may use instead, as its header shows.
_OTHER_SEPARATORS = (";", "\t", "|")

#: How the data line names a separator; any other shows as itself ("':'").
_SEPARATOR_NAMES = {
    ",": "commas",
    ";": "semicolons",
    "\t": "tabs",
    "|": "bars",
    " ": "spaces",
}

#: How the data line says a file was read with decimal commas; the error for
#: a column written with points looks for it.
_DECIMAL_COMMAS = "with decimal commas"

#: What the data line adds to a way of reading that the user set, so that it
#: is not taken for a guess ("separated by tabs as --sep says").
_GIVEN = {"sep": " as --sep says", "decimal": " as --decimal says"}

#: A number written with thousands separators, English style: an optional
#: sign, a first group of 1 to 3 digits, then groups of exactly 3 after each
#: comma, and perhaps a decimal point. The first group never starts with 0:
#: nobody writes 125 as "0,125", so that value can only be a decimal comma.
#: "1,5" and "12,34" (not 3 digits after the comma) do not match either.
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")

#: The same with dots between the groups and perhaps a decimal comma, as
#: German, French or Italian spreadsheets write 4037 and 3652.95: "4.037",
#: "3.652,95". Read with decimal points, "4.037" is 4.037, a thousand times
#: too small, and nothing in the value says which was meant.
_THOUSAND_DOTS = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")

#: A number written without grouping, with a decimal comma or none.
_PLAIN_COMMA_NUMBER = re.compile(r"[+-]?\d+(?:,\d+)?")


def _separator_name(sep: str) -> str:
    return _SEPARATOR_NAMES.get(sep, repr(sep))


def _other_separator(source, expected: str) -> str | None:
    """The separator a file's header shows, when it is one field with another.

    Decided from the header alone: read with the wrong separator, the data
    rows split into more fields than the header (a decimal comma in a
    semicolon file splits every number), which ``_read_fields`` refuses. A
    single column whose header merely holds the character ("dose|mg") is kept
    when its data rows do not hold it (``_read_csv``).
    """
    header = pd.read_csv(source, sep=expected, nrows=0).columns
    if len(header) != 1:
        return None
    for sep in _OTHER_SEPARATORS:
        if sep != expected and sep in str(header[0]):
            return sep
    return None


def _decimal_comma_columns(frame: pd.DataFrame) -> list[str]:
    """The text columns that read as numbers once their commas are points.

    Only a column whose every value does, and holds at least one comma, counts:
    text that merely contains a comma ("Smith, J.") stays text.
    """
    columns = []
    for name in frame.columns:
        values = frame[name].dropna()
        if pd.api.types.is_numeric_dtype(values) or values.empty:
            continue
        text = values.astype(str)
        if not text.str.contains(",", regex=False).any():
            continue
        converted = pd.to_numeric(
            text.str.replace(",", ".", regex=False), errors="coerce"
        )
        if converted.notna().all():
            columns.append(name)
    return columns


def _ambiguous_commas(frame: pd.DataFrame, columns: list[str]) -> dict[str, str]:
    """Columns whose commas may be thousands separators, with why, by name.

    "12,500" is 12.5 with a decimal comma and 12500 with an English thousands
    separator; read the first way by mistake, a column shrinks 1000 times
    without a word. A column is taken as decimal commas only when one of its
    comma-holding values cannot be a thousands separator ("12,5", "0,125",
    "1,2345"). Each column decides for itself, from all its values: a file
    pasted together from several sources can write each column its own way
    (see ``_not_numeric`` on a column written with points). The refusal waits
    until the columns to use are known (``refuse_ambiguous_numbers``): a column
    left out with --ignore does not matter. Passing --decimal , settles it.
    """
    ambiguous = {}
    for name in columns:
        text = frame[name].dropna().astype(str).str.strip()
        commas = text[text.str.contains(",", regex=False)]
        if commas.str.fullmatch(_THOUSANDS).all():
            value = str(commas.iloc[0])
            ambiguous[name] = (
                f"column {name!r} holds {value!r} in row {commas.index[0]}, "
                f"{value.replace(',', '')} with a thousands separator or "
                f"{value.replace(',', '.')} with a decimal comma"
            )
    return ambiguous


def _grouped_by_points(text: pd.Series) -> pd.Series | None:
    """Which values group thousands by points, if the column is written so.

    Every value must be such a number ("4.037", "3.652,95") or a plain one
    ("929", "12,5"), and one at least must have a point: text that holds a
    point ("St. Louis") is not. None when the column is not.
    """
    grouped = text.str.fullmatch(_THOUSAND_DOTS)
    if grouped.any() and (grouped | text.str.fullmatch(_PLAIN_COMMA_NUMBER)).all():
        return grouped
    return None


def _points_in_doubt(text: pd.Series) -> str | None:
    """Where a column of numbers with points may be grouping thousands.

    When every value holding a point groups three digits ("4.037"), its
    first such value and row and both readings; None otherwise.
    """
    dotted = text[text.str.contains(".", regex=False)]
    if not len(dotted) or not dotted.str.fullmatch(_THOUSAND_DOTS).all():
        return None
    value = str(dotted.iloc[0])
    return (
        f"holds {value!r} in row {dotted.index[0]}, {value.replace('.', '')} "
        f"with a thousands point or {value} with a decimal point"
    )


def _thousand_dot_columns(frame: pd.DataFrame) -> list[str]:
    """Text columns written as numbers with thousands dots ("4.037", "3.652,95")."""
    columns = []
    for name in frame.columns:
        values = frame[name].dropna()
        if pd.api.types.is_numeric_dtype(values) or values.empty:
            continue
        if _grouped_by_points(values.astype(str).str.strip()) is not None:
            columns.append(name)
    return columns


def _without_thousand_dots(values: pd.Series) -> pd.Series:
    """ "3.652,95" -> 3652.95: the dots dropped, the decimal comma made a point."""
    text = values.astype("string").str.strip()
    plain = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(plain)


def _ambiguous_dots(source, frame: pd.DataFrame, sep: str) -> dict[str, str]:
    """Columns read with decimal points whose points may group thousands.

    Only a file not separated by commas can be European ("4.037;54"), and
    only a number column in which every value with a point has exactly the
    groups of thousands ("4.037", "45.000", "12.500.000"; not "0.125", "4.5",
    "1.2345") is in doubt: one such value beside "12.5" or "0.3" is a decimal
    point. A file in which some column shows a decimal point that cannot
    group thousands (a value below 1 with a fraction, or more than 3
    decimals) writes decimal points, and none of its columns is in doubt: a
    spreadsheet that groups thousands by points writes decimals with commas.
    The columns that remain are read again as text, for what they hold
    exactly ("4.0370" is not a group of thousands, nor "45" a "45.000").
    """
    suspects = []
    for name in frame.columns:
        values = frame[name].dropna()
        if not pd.api.types.is_float_dtype(values) or values.empty:
            continue
        fractional = values[values != np.round(values)]
        thousands = np.round(fractional * 1000)
        if (np.abs(fractional) < 1).any() or not np.allclose(
            fractional * 1000, thousands, rtol=0, atol=1e-6
        ):
            # This column's points are decimal points, and so the file's.
            return {}
        # A column of round values may be "45.000" (read as 45.0): a float
        # column holds a point or a missing cell somewhere.
        suspects.append(name)
    if not suspects:
        return {}
    text = _read_fields(source, sep=sep, usecols=suspects, dtype=str)
    ambiguous = {}
    for name in suspects:
        doubt = _points_in_doubt(text[name].dropna().str.strip())
        if doubt is not None:
            ambiguous[name] = f"column {name!r} {doubt}"
    return ambiguous


def refuse_ambiguous_numbers(frame: pd.DataFrame, used: list[str], source: str) -> None:
    """Stop when a column to be used may hold thousands separators."""
    commas = frame.attrs.get("ambiguous_commas", {})
    dots = frame.attrs.get("ambiguous_dots", {})
    for name in used:
        if name in commas:
            raise UsageError(
                f"cannot tell how {source} writes its numbers: {commas[name]}; "
                "pass --decimal , if its commas are decimal marks, or remove the "
                "thousands separators from the file, or leave the column out "
                "with --ignore"
            )
        if name in dots:
            raise UsageError(
                f"cannot tell how {source} writes its numbers: {dots[name]}; "
                "pass --decimal , if its points group thousands (and its "
                "decimal marks are commas), --decimal . if they are decimal "
                "points, or leave the column out with --ignore"
            )


def _data_lines(source) -> pd.Series:
    """The rows after the header, each whole, as text (decompressed as pandas does).

    Read with a separator no text file holds and without quoting, so that no
    row is split; empty when the file has no data rows.
    """
    try:
        lines = pd.read_csv(
            source,
            sep="\x1f",
            header=None,
            skiprows=1,
            dtype=str,
            quoting=csv.QUOTE_NONE,
            keep_default_na=False,
        )
    except pd.errors.EmptyDataError:
        return pd.Series([], dtype=str)
    return lines.iloc[:, 0]


def _read_fields(source, **kwargs) -> pd.DataFrame:
    """``pd.read_csv`` that refuses rows with more fields than the header.

    By default pandas makes an index of the surplus fields and keeps the last
    ones as the columns, a silent misread; ``index_col=False`` makes it warn
    instead, and the warning becomes the error.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            return pd.read_csv(source, index_col=False, **kwargs)
        except pd.errors.ParserWarning:
            raise ValueError(
                "its rows have more fields than its header (decimal commas in a "
                "comma-separated file, or a header missing a name?)"
            ) from None


def _read_csv(
    source: Path, expected: str, *, sep: str | None = None, decimal: str | None = None
) -> pd.DataFrame:
    """Read a delimited file, taking the separator and decimal mark it shows.

    Spreadsheets save "CSV" with semicolons where the decimal mark is a comma;
    such a file is read with its own separator and, when its numbers are
    written with commas, its decimal mark (a tab-separated file's too), and
    ``attrs["read_as"]`` says so for the data line, where a wrong guess would
    show as columns of the wrong type. Reading two or three times costs little
    next to clustering the data. A ``sep`` or ``decimal`` the user gave
    replaces that guess, and the data line says it came from the option.
    ``attrs["sep"]`` keeps the separator read with, for ``_not_numeric``'s advice.
    """
    read_as = []
    frame = None
    if sep is not None:
        read_as.append(f"separated by {_separator_name(sep)}{_GIVEN['sep']}")
    else:
        sep = expected
        other = _other_separator(source, expected)
        if other is not None:
            # One column named "dose|mg" whose rows never hold a bar stays one
            # column; a row that holds the other separator, even before an
            # empty field ("1;"), says the file uses it.
            lines = _data_lines(source)
            if lines.empty or lines.str.contains(other, regex=False).any():
                frame, sep = _read_fields(source, sep=other), other
                read_as.append(f"separated by {_separator_name(other)}")
    if decimal is not None:
        if decimal == sep:
            # Only a guessed comma separator gets here: _check_marks refused
            # the two options naming the same character.
            raise UsageError(
                f"--decimal , was given, but {source.name} is read as separated "
                "by commas (its header shows no other separator); pass --sep "
                "too, e.g. --sep semicolon"
            )
        frame = _read_fields(source, sep=sep, decimal=decimal)
        frame.attrs["decimal"] = decimal
        mark = _DECIMAL_COMMAS if decimal == "," else "with decimal points"
        read_as.append(f"{mark}{_GIVEN['decimal']}")
        if decimal == ",":
            # With decimal commas a point can only group thousands.
            grouped = _thousand_dot_columns(frame)
            for name in grouped:
                frame[name] = _without_thousand_dots(frame[name])
            if grouped:
                read_as.append("thousands grouped by points")
    else:
        if frame is None:
            frame = _read_fields(source, sep=sep)
        # With commas between fields a decimal comma cannot be told from one.
        columns = _decimal_comma_columns(frame) if sep != "," else []
        ambiguous = _ambiguous_commas(frame, columns)
        if len(ambiguous) < len(columns):
            # Some column's commas can only be decimal marks. Columns that
            # might hold thousands stay text, as written: refused as features,
            # kept as they read for an id or a labels column ("1,001" is not
            # 1.001, and "1" and "1,000" are two clusters).
            text = dict.fromkeys(ambiguous, str)
            frame = _read_fields(source, sep=sep, decimal=",", dtype=text)
            frame.attrs["decimal"] = ","
            read_as.append(_DECIMAL_COMMAS)
            # A column written "4.037" beside decimal commas groups
            # thousands, or comes from a source with decimal points: it
            # stays text, and _not_numeric says so if it is used.
            dots = {}
        elif sep != ",":
            dots = _ambiguous_dots(source, frame, sep)
        else:
            dots = {}
        frame.attrs["ambiguous_commas"] = ambiguous
        frame.attrs["ambiguous_dots"] = dots
    if read_as:
        frame.attrs["read_as"] = ", ".join(read_as)
    frame.attrs["sep"] = sep
    frame.attrs.setdefault("decimal", ".")
    return frame


def _check_columns(frame: pd.DataFrame, names, source: str) -> None:
    known = [str(column) for column in frame.columns]
    unknown = [name for name in names if name is not None and name not in known]
    if unknown:
        # A name holding a comma is shown quoted, as the lists take it.
        listed = [
            '"' + name.replace('"', '""') + '"' if "," in name else name
            for name in known
        ]
        shown = ", ".join(listed[:12]) + (", ..." if len(known) > 12 else "")
        quoting = ""
        if any("," in name for name in known):
            quoting = (
                "; in --columns and --ignore, write a name that holds a comma "
                "in double quotes (a quote inside it doubled), the list in "
                "single quotes: --ignore '\"a, b\",c'"
            )
        raise UsageError(
            f"column {unknown[0]!r} not found in {source}; its columns are: "
            f"{shown}{quoting}"
        )


def _not_numeric(frame: pd.DataFrame, name: str) -> str:
    """Why a column is not numeric: its first value that is not a number."""
    values = frame[name].dropna()
    bad = values[pd.to_numeric(values.astype(str), errors="coerce").isna()]
    if len(bad):
        if frame.attrs.get("sep", ",") == ",":
            # A quoted "1,5" in a comma-separated file: the decimal mark cannot
            # be told from the separator there, so the file must change.
            comma_fix = "use '.' for decimals, or save the file separated by semicolons"
        else:
            # Elsewhere a decimal comma stays text only where --decimal . said
            # so, or beside a value that is text however it is read.
            comma_fix = "pass --decimal ,"
        text = bad.astype(str).str.strip()
        if text.str.fullmatch(_THOUSANDS).all():
            # Every value that is not a number is one with thousands
            # separators; "1,234.5" or "12,345,678" cannot be a decimal comma.
            clear = pd.to_numeric(
                text.str.replace(",", ".", regex=False), errors="coerce"
            ).isna()
            if clear.any():
                return (
                    f"{name!r} holds {text[clear].iloc[0]!r} in row "
                    f"{text[clear].index[0]}, a number with thousands separators: "
                    "remove them from the file"
                )
            return (
                f"{name!r} holds {text.iloc[0]!r} in row {text.index[0]}, a "
                "thousands separator or a decimal comma: remove the thousands "
                f"separators from the file; if the commas are decimal marks, "
                f"{comma_fix}"
            )
        grouped = _grouped_by_points(text)
        if frame.attrs.get("sep", ",") != "," and grouped is not None:
            # "3.652,95": points between groups of three, a decimal comma.
            return (
                f"{name!r} holds {text[grouped].iloc[0]!r} in row "
                f"{text[grouped].index[0]}, a number with thousands grouped by "
                "points: pass --decimal , (commas are then decimal marks and "
                "points group thousands)"
            )
        first = str(bad.iloc[0])
        if pd.notna(pd.to_numeric(first.replace(",", "."), errors="coerce")):
            return (
                f"{name!r} holds {first!r} in row {bad.index[0]}, a decimal comma: "
                f"{comma_fix}"
            )
        return f"{name!r} holds {first!r} in row {bad.index[0]}"
    read_as = frame.attrs.get("read_as", "")
    if len(values) and _DECIMAL_COMMAS + _GIVEN["decimal"] in read_as:
        # Every value is a number on its own, but --decimal , said that the
        # file writes its decimals with commas.
        return (
            f"{name!r} writes its decimals with '.' ({str(values.iloc[0])!r}) "
            "but --decimal , was given; leave out --decimal , if the file uses "
            "'.', or use one decimal mark"
        )
    if len(values) and _DECIMAL_COMMAS in read_as:
        # Every value is a number on its own, but the file was read with
        # decimal commas and this column writes them with points.
        doubt = _points_in_doubt(values.astype(str).str.strip())
        if doubt is not None:
            return (
                f"{name!r} {doubt}, where the file's other columns write decimal "
                "commas; pass --decimal , if its points group thousands, or use "
                "one decimal mark"
            )
        return (
            f"{name!r} writes its decimals with '.' ({str(values.iloc[0])!r}) "
            "where the file's other columns use ','; use one decimal mark"
        )
    return f"{name!r} has type {frame[name].dtype}"


@dataclass
class Data:
    """The rows and columns a command works on, after the user's choices."""

    X: np.ndarray  # float64, scaled as asked
    features: list[str]
    ids: np.ndarray  # one per kept row: the id column, or the row number
    id_name: str
    labels: np.ndarray | None = None  # evaluate only
    n_dropped: int = 0  # rows dropped for missing values
    # When rows were dropped: every read row's id, and which rows were kept,
    # so that clusters.csv can list the dropped rows too, in file order.
    all_ids: np.ndarray | None = None
    kept: np.ndarray | None = None
    # evaluate: every read row's label (missing where the file has none), so
    # that a row dropped for a missing feature keeps its label in clusters.csv.
    all_labels: np.ndarray | None = None
    # How a file was read when not by its type's separator ("separated by
    # semicolons, with decimal commas"), or as --sep and --decimal said
    # ("separated by tabs as --sep says"), for the data line; empty otherwise.
    read_as: str = ""


def prepare_data(args, console: _Console, labels_col: str | None = None) -> Data:
    """Read DATA and apply the options that shape it.

    --sep and --decimal, --columns or --ignore, --id-col, --missing, --scale.
    """
    frame = read_table(args.data, sep=args.sep, decimal=args.decimal)
    source = args.data.name
    if frame.shape[0] == 0:
        raise UsageError(f"{source} has a header but no data rows; add rows")
    frame.columns = [str(column) for column in frame.columns]
    text_file = data_suffix(args.data) in _CSV_SUFFIXES
    if text_file:
        # Excel and Parquet files have column names of their own, not a line.
        _warn_of_a_header_of_numbers(frame, console)
    ignored = args.ignore or []
    named = [args.id_col, labels_col, *(args.columns or []), *ignored]
    _check_columns(frame, named, source)
    named_ids = args.id_col is not None or labels_col is not None
    if named_ids and data_suffix(args.data) in _CSV_SUFFIXES:
        frame = _ids_and_labels_as_written(frame, args.data, args.id_col, labels_col)
    reserved = {args.id_col, labels_col, *ignored} - {None}
    if args.columns is not None:
        clash = [name for name in args.columns if name in reserved]
        if clash:
            role = "labels" if clash[0] == labels_col else "id"
            raise UsageError(
                f"column {clash[0]!r} is the {role} column; leave it out of --columns"
            )
        features = list(dict.fromkeys(args.columns))
        empty = [name for name in features if frame[name].isna().all()]
        if empty:
            raise UsageError(
                f"column {empty[0]!r} has no values (no cell holds one); "
                "leave it out of --columns"
            )
        refuse_ambiguous_numbers(frame, features, source)
        for name in features:
            if not pd.api.types.is_numeric_dtype(frame[name]):
                raise UsageError(
                    f"column {name!r} is not numeric ({_not_numeric(frame, name)}); "
                    "fix the data or leave it out of --columns"
                )
    else:
        features = [name for name in frame.columns if name not in reserved]
        # An empty column (a separator at the end of every line makes one) would
        # drop every row as missing a value; it holds nothing to cluster on.
        empty = [name for name in features if frame[name].isna().all()]
        if empty:
            # pandas names the column after a separator that ends every line.
            trailing = (
                text_file
                and frame.columns[-1] in empty
                and frame.columns[-1].startswith("Unnamed: ")
            )
            console.progress(
                f"note: left out column{'s' if len(empty) > 1 else ''} "
                f"{listed_names(empty)}: no cell holds a value"
                + (" (each line ends with a separator)" if trailing else "")
            )
            features = [name for name in features if name not in empty]
        refuse_ambiguous_numbers(frame, features, source)
        text = [
            name for name in features if not pd.api.types.is_numeric_dtype(frame[name])
        ]
        if text:
            plural = len(text) > 1
            raise UsageError(
                f"non-numeric column{'s' if plural else ''} {listed_names(text)} "
                f"({_not_numeric(frame, text[0])}); leave {'them' if plural else 'it'}"
                " out with --ignore, or choose the numeric columns with --columns "
                "a,b,c (and name an identifier with --id-col)"
            )
    if not features:
        raise UsageError(f"{source} has no column to cluster; pass --columns a,b,c")

    values = frame[features].astype(np.float64)
    if args.columns is None:
        # Only for columns taken by default: one named in --columns is meant.
        for name in features:
            column = values[name].to_numpy()
            if _counts_rows(column):
                why = f"counts the rows ({_first_last(values[name])})"
            elif _named_like_an_id(str(name)) and _distinct_whole_numbers(column):
                why = (
                    "is named like an identifier and holds a different whole "
                    "number on every row"
                )
            else:
                continue
            console.progress(
                f"{PROG}: warning: column {name!r} {why}, so it is likely an "
                f"identifier, and it is clustered on as a feature; pass --id-col "
                f"{name} (or --ignore {name}) if it is one"
            )
    infinite = np.isinf(values.to_numpy()).any(axis=0)
    if infinite.any():
        name = features[int(np.flatnonzero(infinite)[0])]
        raise UsageError(f"column {name!r} contains infinite values; fix the data")
    used = features + ([labels_col] if labels_col is not None else [])
    missing = frame[used].isna().any(axis=1).to_numpy()
    n_read, n_missing = frame.shape[0], int(missing.sum())
    if n_missing:
        columns = [name for name in used if frame[name].isna().any()]
        where = ", ".join(repr(name) for name in columns[:5])
        if args.missing == "error":
            raise UsageError(
                f"{n_missing} of {n_read} rows have missing values (in {where}); "
                "fill them in, or pass --missing drop to leave those rows out"
            )
        console.progress(
            f"note: dropped {n_missing} of {n_read} rows with missing values "
            f"(in {where})"
        )
    keep = ~missing
    n_rows = int(keep.sum())
    if n_rows < MIN_ROWS:
        after = f" after dropping {n_missing} with missing values" if n_missing else ""
        raise UsageError(
            f"{source} has {n_rows} usable rows{after}; at least {MIN_ROWS} are needed"
        )

    if args.id_col is None:
        id_name, all_ids = "row", np.arange(n_read)
    else:
        id_name, all_ids = args.id_col, frame[args.id_col].to_numpy()
        # Every row is listed in clusters.csv, dropped ones too, and its id is
        # what a later step joins on: an empty cell joins nothing, and it
        # turns a column of whole numbers into floats (38 written as 38.0).
        empty = frame[args.id_col].isna().to_numpy()
        if empty.any():
            n_empty = int(empty.sum())
            raise UsageError(
                f"id column {args.id_col!r} is empty in {n_empty} "
                f"row{'s' if n_empty != 1 else ''} (e.g. row "
                f"{frame.index[empty][0]}), or holds text read as missing (NA, "
                "null, n/a); each row needs its own id: fill it in, or leave "
                "--id-col out to number the rows"
            )
    ids = all_ids[keep]
    if args.id_col is not None:
        # Over every row, dropped ones too: clusters.csv lists them all.
        duplicated = pd.Series(all_ids).duplicated()
        if duplicated.any():
            repeated = int(duplicated.sum())
            example = str(all_ids[duplicated.to_numpy()][0])
            raise UsageError(
                f"id column {args.id_col!r} has {repeated} repeated "
                f"value{'s' if repeated != 1 else ''} (e.g. {example!r}); each row "
                "needs its own id"
            )
    labels = None
    if labels_col is not None:
        labels = frame[labels_col][keep]
        # A labels column with a missing value is read as floats: 1.0 -> 1.
        if pd.api.types.is_float_dtype(labels) and (labels % 1 == 0).all():
            labels = labels.astype(np.int64)
        labels = labels.to_numpy()
        if n_missing:
            every = frame[labels_col].astype(object)
            if labels.dtype.kind in "iu":
                # 3.0, read as a float beside a missing cell, is the cluster 3
                # as in the kept rows; a missing label stays missing.
                every = every.map(
                    lambda v: int(v) if isinstance(v, float) and v.is_integer() else v
                )
            all_labels = every.where(frame[labels_col].notna(), None).to_numpy()

    X = values.to_numpy()[keep]
    if args.scale == "standard":
        X = StandardScaler().fit_transform(X)
    elif args.scale == "power":
        X = _power_transform(X, features)
    dropped = {"all_ids": all_ids, "kept": keep} if n_missing else {}
    if n_missing and labels_col is not None:
        dropped["all_labels"] = all_labels
    read_as = frame.attrs.get("read_as", "")
    return Data(
        X, features, ids, id_name, labels, n_missing, **dropped, read_as=read_as
    )


def _warn_of_a_header_of_numbers(frame: pd.DataFrame, console: _Console) -> None:
    """Warn when every column name is a number: the file may have no header.

    A file without a header line gives its first data row as the names, and
    that row is then neither clustered nor listed in clusters.csv.
    """
    names = [
        name
        for name in frame.columns
        # A separator at the end of every line adds an empty, unnamed column.
        if not (name.startswith("Unnamed: ") and frame[name].isna().all())
    ]
    try:
        numbers = [_header_number(name, names[:i]) for i, name in enumerate(names)]
    except ValueError:
        return
    if not numbers or not all(np.isfinite(numbers)):
        # "nan" and "inf" read as floats but are words in a header.
        return
    if not _could_be_a_row(frame, names, numbers):
        return
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    console.progress(
        f"{PROG}: warning: every column name is a number ({shown}); if the "
        "file has no header line, its first row was read as one and is left "
        "out: add a line of column names"
    )


#: Rows below which a header of numbers is not compared with the columns: a
#: few rows say little about where a column's values lie.
_MIN_ROWS_TO_COMPARE = 10
#: How many times its column's range a header number must lie beyond it to
#: be no value of that column: a first row of data, even an outlier, usually
#: lies within a few ranges of the rest; years over shares lie thousands out.
_FAR = 10


def _could_be_a_row(frame: pd.DataFrame, names: list[str], numbers: list) -> bool:
    """Whether header numbers could be a row of the data below them.

    A first row of data read as the header lies near its columns' values,
    though not always inside their range: a sorted file starts at one end, an
    id column at its smallest id, a row may be extreme. Years over columns of
    shares lie far from them. So only numbers that lie beyond their column's
    range by more than ten times the range's own width, in most of the
    columns that hold numbers, are taken as a header: a wrong "header" would
    silently leave out a row of data. With fewer than ten rows, or no column
    to compare, they could be a row.
    """
    if frame.shape[0] < _MIN_ROWS_TO_COMPARE:
        return True
    far = compared = 0
    for name, number in zip(names, numbers, strict=True):
        values = pd.to_numeric(frame[name], errors="coerce").dropna()
        if values.empty:
            continue
        compared += 1
        low, high = float(values.min()), float(values.max())
        far += bool(max(low - number, number - high) > _FAR * (high - low))
    return compared == 0 or 2 * far <= compared


def _header_number(name: str, before: list[str]) -> float:
    """A header name read as a number; ``ValueError`` if it is a word.

    pandas renames a repeated name ``1.5`` to ``1.5.1``: with the suffix
    dropped, a first row of data that repeats a value still reads as numbers.
    """
    repeated = re.fullmatch(r"(.+)\.\d+", name)
    if repeated and repeated.group(1) in before:
        name = repeated.group(1)
    return float(name.replace(",", "."))


def _ids_and_labels_as_written(
    frame: pd.DataFrame, path: Path, id_col: str | None, labels_col: str | None
) -> pd.DataFrame:
    """``frame`` with its id and labels columns as the file writes them.

    pandas reads "00001" as the number 1 and "0.10" as 0.1: an id would no
    longer join back to its source (and "007" and "7" would be one id), a
    labels column would merge the clusters "1" and "01". Such a column is
    kept as text, as written; one whose every value reads back as written,
    in the file's decimal mark (1, 2, 38; 2.5, or 2,5 with decimal commas),
    keeps pandas' numbers.
    """
    names = [name for name in (id_col, labels_col) if name is not None]
    text = _read_fields(
        path, sep=frame.attrs["sep"], usecols=names, dtype=str, keep_default_na=True
    )
    text.columns = [str(column) for column in text.columns]
    decimal = frame.attrs.get("decimal", ".")
    kept = {}
    for name in names:
        if not pd.api.types.is_numeric_dtype(frame[name]):
            continue  # already text
        # Two texts of one number ("7" and "7.0") may be two ids, but they
        # are one cluster code.
        distinct = name == id_col
        if not _reads_back_as_written(frame[name], text[name], decimal, distinct):
            kept[name] = text[name].str.strip()
    return frame.assign(**kept) if kept else frame


def _reads_back_as_written(
    numbers: pd.Series, text: pd.Series, decimal: str = ".", distinct: bool = True
) -> bool:
    """Whether every number of a column is written as its file writes it.

    A whole number may be written with ".0" ("3.0" is 3), in the file's
    decimal mark. With ``distinct``, two texts of one number ("3" and "3.0")
    make the column text too.
    """
    present = text.notna().to_numpy()
    written = text[present].str.strip().to_numpy(dtype=str)
    if decimal != ".":
        written = np.char.replace(written, decimal, ".")
    values = numbers.to_numpy()[present]
    if distinct and pd.unique(written).shape[0] != pd.unique(values).shape[0]:
        return False
    matches = written == values.astype(str)  # 38, 2.5, 3.0 as Python writes them
    if values.dtype.kind == "f":
        whole = np.isfinite(values) & (np.abs(values) < 2**53)
        whole &= values == np.round(values)
        integers = np.where(whole, values, 0).astype(np.int64).astype(str)
        matches |= whole & (written == integers)
    return bool(matches.all())


def _counts_rows(column: np.ndarray) -> bool:
    """Whether a column holds whole numbers that step by one from row to row.

    1, 2, ..., n (or n, ..., 1), as a row id does; a missing cell leaves its
    place in the count, so that an id column with a gap still counts.
    """
    rows = np.flatnonzero(np.isfinite(column))
    if rows.shape[0] < MIN_ROWS:
        return False
    values = column[rows]
    if not np.all(values == np.round(values)):
        return False
    return bool(np.ptp(values - rows) == 0 or np.ptp(values + rows) == 0)


#: Names of identifier columns: "id", "customer_id", "Kunden-Nr", "order no",
#: "CustomerID", "key", "code". The word must end the name.
_ID_NAME = re.compile(r"(?:^|[\s_\-.#])(?:id|key|index|no|nr|num|number|code)$")


def _named_like_an_id(name: str) -> bool:
    return bool(_ID_NAME.search(name.lower().strip())) or name.endswith("ID")


def _distinct_whole_numbers(column: np.ndarray) -> bool:
    """Whether every known value is a whole number that no other row holds.

    Shuffled customer numbers do not count the rows, but a feature named like
    an identifier whose values never repeat is one as surely.
    """
    known = column[np.isfinite(column)]
    return (
        known.shape[0] >= MIN_ROWS
        and bool(np.all(known == np.round(known)))
        and np.unique(known).shape[0] == known.shape[0]
    )


def _first_last(column: pd.Series) -> str:
    """The first two and the last values of a whole-number column, in full."""
    known = column.dropna()
    first, second, last = (int(known.iloc[i]) for i in (0, 1, -1))
    return f"{first}, {second}, ..., {last}"


def _power_transform(X: np.ndarray, features: list[str]) -> np.ndarray:
    """``--scale power``: Yeo-Johnson, then standardized, or a usage error.

    The transform raises values to powers estimated per column; on values far
    beyond the float range of their powers (1e300) it overflows and returns
    NaN, which k-means would refuse with a message about NaN in X, not about
    the column.
    """
    with np.errstate(over="ignore", invalid="ignore"), warnings.catch_warnings():
        # The overflow is reported below, once, by column.
        warnings.simplefilter("ignore", RuntimeWarning)
        transformed = PowerTransformer().fit_transform(X)
    broken = [
        name
        for name, ok in zip(features, np.isfinite(transformed).all(axis=0), strict=True)
        if not ok
    ]
    if broken:
        raise UsageError(
            f"--scale power overflowed on {', '.join(broken[:5])}"
            f"{', ...' if len(broken) > 5 else ''}: their values are too large "
            "for the power transform; divide them by a power of ten first, or "
            "use --scale standard."
        )
    return transformed


#: The choices of ``--scale`` and how the data line describes each.
SCALINGS = {
    "standard": "standardized",
    "power": "power-transformed (Yeo-Johnson) and standardized",
    "none": "not scaled",
}


def _describe(data: Data, source: str, scale: str) -> str:
    # Every column up to 12, so that a class column left in by mistake shows.
    shown = (
        ", ".join(data.features)
        if len(data.features) <= 12
        else ", ".join(data.features[:10]) + f", ... ({len(data.features) - 10} more)"
    )
    dropped = f", {data.n_dropped} dropped for missing values" if data.n_dropped else ""
    scaled = SCALINGS[scale]
    if data.read_as:
        source = f"{source} ({data.read_as})"
    return (
        f"data: {source}, {data.X.shape[0]} rows{dropped}, "
        f"{len(data.features)} column{'s' if len(data.features) != 1 else ''} "
        f"({shown}), {scaled}"
    )
