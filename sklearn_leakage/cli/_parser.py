"""Argument parsing of the command line."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from sklearn_leakage import (
    __version__,
)
from sklearn_leakage.cli._clusterers import CLUSTERER_NAMES, N_INIT
from sklearn_leakage.cli._commands import run_demo, run_evaluate, run_select
from sklearn_leakage.cli._console import PROG, UsageError
from sklearn_leakage.cli._data import SCALINGS


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (with a pointer to --help)."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def parse_n_clusters(text: str) -> list[int]:
    """``"2:12"`` -> ``[2, 3, ..., 12]`` (inclusive); ``"4"`` -> ``[4]``."""
    parts = text.split(":")
    try:
        if len(parts) == 1:
            first = last = int(parts[0])
        elif len(parts) == 2:
            first, last = int(parts[0]), int(parts[1])
        else:
            raise ValueError
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a range; use FIRST:LAST, e.g. 2:12 (both included)"
        ) from None
    if first < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} starts at {first}; the smallest number of clusters is 1 "
            "(1 means 'no cluster structure')"
        )
    if last < first:
        raise argparse.ArgumentTypeError(
            f"{text!r} ends before it starts; use FIRST:LAST with FIRST <= LAST, "
            f"e.g. {last}:{first}"
        )
    if last == 1:
        # One cluster always "passes": the answer would claim a test not made.
        raise argparse.ArgumentTypeError(
            f"{text!r} offers only 1 cluster, so nothing is tested; use "
            "1:LAST with LAST >= 2, e.g. 1:8"
        )
    return list(range(first, last + 1))


def _n_jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value == 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of processes; use 1, 2, ... or -1 (all CPUs)"
        )
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    # NumPy's legacy seeds (used by scikit-learn's random_state) are 32-bit.
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a seed; use a whole number from 0 to {2**32 - 1}"
        )
    return value


def _resamples(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    # Two resamples are the fewest with a spread; fewer than about 100 give a
    # rough one, which the option's help says.
    if value < 2:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of resamples; use 2 or more (200 is usual)"
        )
    return value


def _column_list(text: str) -> list[str]:
    # Read as one CSV line, so that a name holding a comma can be quoted:
    # --ignore '"segment, final",region' (a quote inside doubled). A list
    # that is no CSV line (an unclosed quote, a name that starts with a
    # quoted part, '"Net" (EUR)') is split at its commas as it stands.
    try:
        fields = next(csv.reader([text], skipinitialspace=True, strict=True), [])
    except csv.Error:
        fields = text.split(",")
    names = [name.strip() for name in fields if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("no column named; use e.g. --columns a,b,c")
    return names


#: Words for separators that are awkward to type in a shell; "\\t" is a tab
#: written as backslash-t, which a shell passes on as two characters.
_SEPARATOR_WORDS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "bar": "|",
    "\\t": "\t",
}


def _separator(text: str) -> str:
    sep = _SEPARATOR_WORDS.get(text.lower(), text)
    # A letter or digit would split the numbers themselves, a quote is how a
    # field holding the separator is written, and a line break ends a row.
    if len(sep) != 1 or sep.isalnum() or sep in '"\r\n':
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a separator; use one character other than a "
            "letter, digit or quote, or tab, comma, semicolon or bar"
        )
    return sep


def _add_bootstrap(parser: argparse.ArgumentParser, *, refitted: str) -> None:
    """--bootstrap N, with what each resample refits."""
    parser.add_argument(
        "--bootstrap",
        type=_resamples,
        default=None,
        metavar="N",
        help="also give an interval of the total leakage for new samples of the "
        f"same population: N resamples of the rows, each with {refitted} "
        "refitted (200 is usual; each costs one out-of-fold run on all rows, "
        "spread them with --n-jobs). The exact interval printed otherwise is "
        "about these rows and can be too narrow for that claim",
    )


def _add_common(parser: argparse.ArgumentParser, *, data: bool) -> None:
    if data:
        parser.add_argument(
            "data",
            metavar="DATA",
            type=Path,
            help="a .csv, .tsv, .xlsx (first sheet; needs openpyxl) or .parquet "
            "file, one row per point (read only, never modified); .csv may be "
            "compressed (.csv.gz), and separated by semicolons with decimal "
            "commas, as spreadsheets save it in many countries: the separator "
            "and decimal mark are guessed from the file, unless --sep and "
            "--decimal say them",
        )
        parser.add_argument(
            "--sep",
            type=_separator,
            metavar="SEP",
            help="the character between the fields of a .csv, .tsv, .txt or .tab "
            "file (compressed too), in place of the one guessed from its header: "
            "one character, or tab, comma, semicolon or bar (\\t is a tab too)",
        )
        parser.add_argument(
            "--decimal",
            choices=(".", ","),
            help="the decimal mark of such a file's numbers, in place of the "
            "guess (',' when a column not separated by commas reads as numbers "
            "with commas as points; a used column that may hold thousands "
            "separators instead, such as '12,500', is refused until --decimal , "
            "reads its commas as points, its separators are removed, or --ignore "
            "leaves it out)",
        )
        # Naming the columns to use and naming those to leave out are two
        # ways to say the same thing; both at once could contradict each other.
        chosen = parser.add_mutually_exclusive_group()
        chosen.add_argument(
            "--columns",
            type=_column_list,
            metavar="A,B,C",
            help="comma-separated numeric columns to use (default: every column "
            "but the id, labels and --ignore columns, which must then all be "
            "numeric)",
        )
        chosen.add_argument(
            "--ignore",
            type=_column_list,
            metavar="A,B",
            help="comma-separated columns to leave out (names, dates, a segment "
            "column...); every other column but the id and labels is used (in "
            "either list, a name holding a comma goes in double quotes)",
        )
        parser.add_argument(
            "--id-col",
            metavar="ID",
            help="column that identifies each row in clusters.csv and the report "
            "(default: the row number, 0 for the first data row)",
        )
        parser.add_argument(
            "--scale",
            choices=tuple(SCALINGS),
            default="standard",
            help="standard (default): standardize each column (mean 0, variance 1, "
            "on the rows used, after --missing) before anything else, so that "
            "columns in large units do not dominate; power: make each column "
            "symmetric first (scikit-learn's PowerTransformer, Yeo-Johnson), then "
            "standardize, for measurements skewed by nature (counts, "
            "concentrations, amounts) whose long tails k-means would split off; "
            "none: use the values as they are",
        )
        parser.add_argument(
            "--missing",
            choices=("drop", "error"),
            default="drop",
            help="rows with a missing value in a used column: drop them and say "
            "how many on stderr (default), or stop with an error",
        )
    parser.add_argument(
        "--n-jobs",
        type=_n_jobs,
        default=None,
        metavar="N",
        help="processes working in parallel (default 1; -1: one per CPU); the "
        "main process keeps its numeric libraries (BLAS, OpenMP) to one "
        "thread, and joblib gives each worker its share of the CPUs",
    )
    parser.add_argument(
        "--random-state",
        type=_seed,
        default=0,
        metavar="N",
        help="seed of every random step (default 0, so that a run repeats "
        "exactly): the search's splits, the clusterer and the probe's folds "
        "for select and demo, the probe's folds and the bootstrap's resamples "
        "for evaluate; change it to see how stable the result is",
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress or notes on stderr (errors are still printed)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``sklearn-leakage``."""
    parser = _Parser(
        prog=PROG,
        description="Judge a clustering by how predictable it is. A probe "
        "classifier predicts each point's cluster out-of-fold; probability put on "
        "other clusters is leakage. The number of clusters is chosen by how well "
        "the clusters reproduce on held-out data.",
        epilog="Start with 'sklearn-leakage demo'. Exit status: 0 done, 2 usage "
        "error, 130 interrupted (Ctrl-C).",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="choose the number of clusters of the wine data and write a report",
        description="Run 'select' on scikit-learn's wine data (178 wines, 13 "
        "chemical measurements, standardized; 3 grape cultivars) with KMeans and "
        "1 to 8 clusters, print the answer and write the report, and write the "
        "data themselves to wine.csv (in their own units, with a 'wine' id and "
        "the cultivar) for trying 'select' and 'evaluate' on a file.",
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("sklearn-leakage-demo"),
        metavar="DIR",
        help="output folder, created if needed (default: ./sklearn-leakage-demo)",
    )
    _add_common(demo, data=False)
    demo.set_defaults(run=run_demo)

    select = commands.add_parser(
        "select",
        help="choose the number of clusters of a data file",
        description="Cluster DATA for each candidate number of clusters, measure "
        "how well the clusters reproduce on held-out data, choose the number, and "
        "write the leakage report of the chosen clustering. Writes report.html, "
        "report.xlsx (needs openpyxl), k_selection.png, k_selection.svg, "
        "k_selection.csv and clusters.csv to --out.",
    )
    select.add_argument(
        "--k",
        type=parse_n_clusters,
        default=None,
        metavar="FIRST:LAST",
        help="candidate numbers of clusters, both ends included (default 1 to "
        "the smaller of 10 and n / 20, at least 2, so that each half of the "
        "data holds 10 rows per cluster; 1 allows the answer 'no cluster "
        "structure')",
    )
    select.add_argument(
        "--clusterer",
        choices=CLUSTERER_NAMES,
        default="kmeans",
        help=f"kmeans (default), minibatch-kmeans, gmm (Gaussian mixture, full "
        f"covariances), each with {N_INIT} starts; agglomerative (Ward; memory "
        "grows with the square of the rows) or birch (its last step's memory "
        "grows with the square of the subclusters it keeps, up to one per "
        "row): these two for tens of thousands of rows at most",
    )
    _add_bootstrap(
        select,
        refitted="the chosen clusterer (on every training fold too) and the probe",
    )
    select.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="output folder"
    )
    _add_common(select, data=True)
    select.set_defaults(run=run_select)

    evaluate = commands.add_parser(
        "evaluate",
        help="judge a clustering made elsewhere (a labels column)",
        description="Judge the clusters given in a column of DATA: a probe "
        "classifier learns them out-of-fold and the leakage between them is "
        "reported. Writes report.html, report.xlsx (needs openpyxl) and "
        "clusters.csv to --out.",
    )
    evaluate.add_argument(
        "--labels-col",
        required=True,
        metavar="COLUMN",
        help="column holding each row's cluster (numbers or names; -1 is noise, "
        "in a numeric column or as the text '-1')",
    )
    _add_bootstrap(evaluate, refitted="the probe")
    evaluate.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="output folder"
    )
    _add_common(evaluate, data=True)
    evaluate.set_defaults(run=run_evaluate)
    return parser
