"""Command line: ``sklearn-leakage demo | select | evaluate``.

For analysts who never open Python: the commands read a CSV or Parquet file,
choose the number of clusters (``select``) or judge a clustering made elsewhere
(``evaluate``), print the answer and write a report to a folder. They call only
the public API of sklearn-leakage and scikit-learn.

Results go to stdout, progress and notes to stderr (``--quiet`` silences them).
A user mistake (missing file, unknown column, bad range...) prints one line
``sklearn-leakage: error: ...`` to stderr and exits with status 2; anything else
is a bug and raises.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import inspect
import os
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import AgglomerativeClustering, Birch, KMeans, MiniBatchKMeans
from sklearn.exceptions import FitFailedWarning
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from sklearn_leakage import (
    KSelectionDisplay,
    LeakageReport,
    __version__,
    cross_val_proba,
    select_n_clusters,
)
from sklearn_leakage.exceptions import SingleClusterWarning, SmallClusterWarning

PROG = "sklearn-leakage"

#: Fewest rows a command accepts: the search splits the data into halves and
#: each half again into 5 folds; with fewer rows a half cannot fill its folds.
MIN_ROWS = 10

#: Candidates of the demo, as in the issue: 1 (no structure) to 8 clusters.
DEMO_N_CLUSTERS = range(1, 9)

#: Number of KMeans / MiniBatchKMeans initialisations: more than scikit-learn's
#: single "auto" start, because a poor local optimum on one half of the data
#: would count against the reproducibility of that number of clusters.
N_INIT = 3

CLUSTERER_NAMES = ("kmeans", "minibatch-kmeans", "gmm", "agglomerative", "birch")

_CSV_SUFFIXES = {".csv": ",", ".txt": ",", ".tsv": "\t", ".tab": "\t"}
_PARQUET_SUFFIXES = {".parquet", ".pq"}
_COMPRESSION_SUFFIXES = {".gz", ".bz2", ".zip", ".xz", ".zst"}

_PARQUET_HINT = 'pip install "sklearn-leakage[parquet]"'
_EXCEL_HINT = 'pip install "sklearn-leakage[excel]"'


class UsageError(Exception):
    """A mistake of the user: reported in one line, exit status 2."""


class GaussianMixtureClusterer(ClusterMixin, BaseEstimator):
    """:class:`~sklearn.mixture.GaussianMixture` with an ``n_clusters`` parameter.

    ``select_n_clusters`` searches a parameter named ``n_clusters``, which
    GaussianMixture calls ``n_components``; this thin clusterer renames it and
    labels each point with its most probable component.

    Parameters
    ----------
    n_clusters : int, default=1
        Number of mixture components.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        Passed to GaussianMixture.
    n_init : int, default=1
        Passed to GaussianMixture.
    random_state : int, RandomState instance or None, default=None
        Passed to GaussianMixture.

    Attributes
    ----------
    mixture_ : GaussianMixture
        The fitted mixture.
    labels_ : ndarray of shape (n_samples,)
        Most probable component of each training point.
    """

    def __init__(
        self, n_clusters=1, *, covariance_type="full", n_init=1, random_state=None
    ):
        self.n_clusters = n_clusters
        self.covariance_type = covariance_type
        self.n_init = n_init
        self.random_state = random_state

    def fit(self, X, y=None):
        """Fit the mixture and label the training points.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.

        Returns
        -------
        self : GaussianMixtureClusterer
            The fitted clusterer.
        """
        self.mixture_ = GaussianMixture(
            n_components=self.n_clusters,
            covariance_type=self.covariance_type,
            n_init=self.n_init,
            random_state=self.random_state,
        ).fit(X)
        self.labels_ = self.mixture_.predict(X)
        return self

    def predict(self, X):
        """Most probable component of each point.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Component of each point.
        """
        check_is_fitted(self)
        return self.mixture_.predict(X)


def make_clusterer(name: str, random_state: int):
    """The clusterer behind ``--clusterer NAME``, without its number of clusters."""
    if name == "kmeans":
        return KMeans(n_init=N_INIT, random_state=random_state)
    if name == "minibatch-kmeans":
        return MiniBatchKMeans(n_init=N_INIT, random_state=random_state)
    if name == "gmm":
        return GaussianMixtureClusterer(random_state=random_state)
    if name == "agglomerative":
        return AgglomerativeClustering(linkage="ward")
    if name == "birch":
        return Birch()
    raise ValueError(f"unknown clusterer {name!r}")  # argparse's choices prevent it


# --------------------------------------------------------------------- output
class _Console:
    """Results to stdout; progress and notes to stderr unless quiet."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.stdout_closed = False

    def result(self, text: str = "") -> None:
        if self.stdout_closed:
            return
        try:
            print(text, file=sys.stdout, flush=True)
        except BrokenPipeError:
            # The reader left (`... | head`): keep working so that the files
            # are still written, and stop Python's exit-time flush from
            # failing on the closed pipe.
            self.stdout_closed = True
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    def progress(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)


class _OneLineWarnings:
    """Show each distinct warning once, in one line.

    The search fits the same clusterer dozens of times, and scikit-learn resets
    Python's once-per-location registry inside its own ``catch_warnings``; without
    this, one BIRCH warning filled 80 lines.
    """

    def __init__(self):
        self.seen = set()

    def __call__(self, message, category, filename, lineno, file=None, line=None):
        text = " ".join(str(message).split())
        if text not in self.seen:
            self.seen.add(text)
            print(f"{PROG}: warning: {text}", file=sys.stderr)


@contextlib.contextmanager
def _library_messages(console: _Console, searching: bool = False):
    """Route the library's warnings and GridSearchCV's progress to stderr.

    BLAS and OpenMP are held to one thread: on data of CLI size the threads cost
    more than they give (the demo's search took 46 s with two threads and 2 s
    with one, on a busy two-core machine), and ``--n-jobs`` parallelises over
    processes.
    """
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        if console.quiet:
            warnings.simplefilter("ignore")
        else:
            warnings.showwarning = _OneLineWarnings()
        # Expected whenever 1 is a candidate; the table says it in words.
        warnings.simplefilter("ignore", SingleClusterWarning)
        if searching:
            # Large candidates make small clusters on halves of the data; their
            # lower score already says so, and cv= is not a CLI option.
            warnings.simplefilter("ignore", SmallClusterWarning)
            # A candidate that fails on a split is marked "failed" in the
            # table; scikit-learn's own messages carry tracebacks.
            warnings.simplefilter("ignore", FitFailedWarning)
            warnings.filterwarnings("ignore", message="One or more of the test")
        # A one-cluster report asks scikit-learn for a 1x1 confusion matrix,
        # which warns although the shape is right.
        warnings.filterwarnings("ignore", message="A single label was found")
        with contextlib.redirect_stdout(sys.stderr):
            yield


# ------------------------------------------------------------------- parsing
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


def _column_list(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("no column named; use e.g. --columns a,b,c")
    return names


def _add_common(parser: argparse.ArgumentParser, *, data: bool) -> None:
    if data:
        parser.add_argument(
            "data",
            metavar="DATA",
            type=Path,
            help="a .csv, .tsv or .parquet file, one row per point (read only, "
            "never modified); .csv may be compressed (.csv.gz)",
        )
        parser.add_argument(
            "--columns",
            type=_column_list,
            metavar="A,B,C",
            help="comma-separated numeric columns to use (default: every column "
            "but the id and labels columns, which must then all be numeric)",
        )
        parser.add_argument(
            "--id-col",
            metavar="ID",
            help="column that identifies each row in clusters.csv and the report "
            "(default: the row number, 0 for the first data row)",
        )
        parser.add_argument(
            "--scale",
            choices=("standard", "none"),
            default="standard",
            help="standard (default): standardize each column (mean 0, variance 1, "
            "on all rows) before anything else, so that columns in large units do "
            "not dominate; none: use the values as they are",
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
        help="processes working in parallel, each on one thread (default 1; -1: "
        "one per CPU)",
    )
    parser.add_argument(
        "--random-state",
        type=_seed,
        default=0,
        metavar="N",
        help="seed of the splits, folds and clusterer (default 0, so that a run "
        "repeats exactly; change it to see how stable the answer is)",
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
        epilog="Start with 'sklearn-leakage demo'. Exit status: 0 done, 2 usage error.",
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
        "1 to 8 clusters, print the answer and write the report.",
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
        "report.xlsx (needs openpyxl), k_selection.png, k_selection.svg and "
        "clusters.csv to --out.",
    )
    select.add_argument(
        "--k",
        type=parse_n_clusters,
        default=parse_n_clusters("1:10"),
        metavar="FIRST:LAST",
        help="candidate numbers of clusters, both ends included (default 1:10; "
        "1 allows the answer 'no cluster structure')",
    )
    select.add_argument(
        "--clusterer",
        choices=CLUSTERER_NAMES,
        default="kmeans",
        help=f"kmeans (default, n_init={N_INIT}), minibatch-kmeans, gmm (Gaussian "
        "mixture, full covariances), agglomerative (Ward; memory grows with the "
        "square of the rows) or birch",
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
        help="column holding each row's cluster (numbers or names; -1 is noise)",
    )
    evaluate.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="output folder"
    )
    _add_common(evaluate, data=True)
    evaluate.set_defaults(run=run_evaluate)
    return parser


# ---------------------------------------------------------------------- data
def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV/TSV (optionally compressed) or Parquet file; never writes."""
    if not path.exists():
        raise UsageError(f"data file {str(path)!r} not found")
    if path.is_dir():
        raise UsageError(f"{str(path)!r} is a folder; pass a .csv or .parquet file")
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSION_SUFFIXES:
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in _PARQUET_SUFFIXES:
        if not any(importlib.util.find_spec(m) for m in ("pyarrow", "fastparquet")):
            raise UsageError(
                f"reading Parquet ({path.name}) needs pyarrow: {_PARQUET_HINT}"
            )
        reader = pd.read_parquet
    elif suffix in _CSV_SUFFIXES:
        sep = _CSV_SUFFIXES[suffix]

        def reader(source):
            return pd.read_csv(source, sep=sep)
    else:
        hint = " (save the sheet as CSV)" if suffix in {".xls", ".xlsx"} else ""
        raise UsageError(
            f"cannot read {path.name!r}: unknown file type {suffix or 'without'!r}"
            f"{hint}; use a .csv, .tsv or .parquet file"
        )
    try:
        return reader(path)
    except (OSError, ValueError) as exc:
        # ValueError covers pandas' parser and empty-file errors, bad encodings
        # and pyarrow's ArrowInvalid for a file that is not Parquet.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        raise UsageError(f"cannot read {str(path)!r}: {reason}") from None


def _check_columns(frame: pd.DataFrame, names, source: str) -> None:
    known = [str(column) for column in frame.columns]
    unknown = [name for name in names if name is not None and name not in known]
    if unknown:
        shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
        raise UsageError(
            f"column {unknown[0]!r} not found in {source}; its columns are: {shown}"
        )


def _not_numeric(frame: pd.DataFrame, name: str) -> str:
    """Why a column is not numeric: its first value that is not a number."""
    values = frame[name].dropna()
    bad = values[pd.to_numeric(values.astype(str), errors="coerce").isna()]
    if len(bad):
        return f"{name!r} holds {str(bad.iloc[0])!r} in row {bad.index[0]}"
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


def prepare_data(args, console: _Console, labels_col: str | None = None) -> Data:
    """Read DATA and apply --columns, --id-col, --missing and --scale."""
    frame = read_table(args.data)
    source = args.data.name
    frame.columns = [str(column) for column in frame.columns]
    _check_columns(frame, [args.id_col, labels_col, *(args.columns or [])], source)
    reserved = {args.id_col, labels_col} - {None}
    if args.columns is not None:
        clash = [name for name in args.columns if name in reserved]
        if clash:
            role = "labels" if clash[0] == labels_col else "id"
            raise UsageError(
                f"column {clash[0]!r} is the {role} column; leave it out of --columns"
            )
        features = list(dict.fromkeys(args.columns))
        for name in features:
            if not pd.api.types.is_numeric_dtype(frame[name]):
                raise UsageError(
                    f"column {name!r} is not numeric ({_not_numeric(frame, name)}); "
                    "fix the data or leave it out of --columns"
                )
    else:
        features = [name for name in frame.columns if name not in reserved]
        text = [
            name for name in features if not pd.api.types.is_numeric_dtype(frame[name])
        ]
        if text:
            listed = ", ".join(repr(name) for name in text[:5])
            more = f" and {len(text) - 5} more" if len(text) > 5 else ""
            raise UsageError(
                f"non-numeric column{'s' if len(text) > 1 else ''} {listed}{more} "
                f"({_not_numeric(frame, text[0])}); choose the numeric ones with "
                "--columns a,b,c (and name an identifier with --id-col)"
            )
    if not features:
        raise UsageError(f"{source} has no column to cluster; pass --columns a,b,c")

    values = frame[features].astype(np.float64)
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
        id_name, ids = "row", np.flatnonzero(keep)
    else:
        id_name, ids = args.id_col, frame[args.id_col].to_numpy()[keep]
        duplicated = pd.Series(ids).duplicated()
        if duplicated.any():
            raise UsageError(
                f"id column {args.id_col!r} has {int(duplicated.sum())} repeated "
                f"values (e.g. {str(ids[duplicated.to_numpy()][0])!r}); each row "
                "needs its own id"
            )
    labels = None
    if labels_col is not None:
        labels = frame[labels_col][keep]
        # A labels column with a missing value is read as floats: 1.0 -> 1.
        if pd.api.types.is_float_dtype(labels) and (labels % 1 == 0).all():
            labels = labels.astype(np.int64)
        labels = labels.to_numpy()

    X = values.to_numpy()[keep]
    if args.scale == "standard":
        X = StandardScaler().fit_transform(X)
    return Data(X, features, ids, id_name, labels, n_missing)


def _describe(data: Data, source: str, scale: str) -> str:
    shown = ", ".join(data.features[:6]) + (", ..." if len(data.features) > 6 else "")
    dropped = f", {data.n_dropped} dropped for missing values" if data.n_dropped else ""
    scaled = "standardized" if scale == "standard" else "not scaled"
    return (
        f"data: {source}, {data.X.shape[0]} rows{dropped}, "
        f"{len(data.features)} columns ({shown}), {scaled}"
    )


# ------------------------------------------------------------------- results
def cluster_table(ids, id_name, labels, rows, proba, classes, threshold):
    """One row per data row: id, cluster and how surely the probe places it.

    ``proba[i]`` is the out-of-fold probability of row ``rows[i]`` over
    ``classes``; rows without it (noise, or left out of a subsample) get empty
    probability cells.
    """
    labels = np.asarray(labels)
    classes = np.asarray(classes)
    n = labels.shape[0]
    own = np.full(n, np.nan)
    max_other = np.full(n, np.nan)
    other = np.full(n, None, dtype=object)
    leaks = pd.array(np.full(n, pd.NA), dtype="boolean")
    rows = np.asarray(rows)
    scored = np.isin(labels[rows], classes)
    rows, proba = rows[scored], np.asarray(proba)[scored]
    if rows.size:
        column = {value: code for code, value in enumerate(classes.tolist())}
        codes = np.array([column[value] for value in labels[rows].tolist()])
        positions = np.arange(rows.size)
        own[rows] = proba[positions, codes]
        if classes.shape[0] > 1:
            others = proba.copy()
            others[positions, codes] = -np.inf
            best = others.argmax(axis=1)
            max_other[rows] = others[positions, best]
            other[rows] = classes[best]
        else:
            max_other[rows] = 0.0
        leaks[rows] = max_other[rows] >= threshold
    return pd.DataFrame(
        {
            id_name: ids,
            "cluster": labels,
            "own_proba": own,
            "max_other_proba": max_other,
            "most_likely_other": other,
            "leaks": leaks,
        }
    )


def _cluster_lines(report: LeakageReport) -> list[str]:
    clusters = report.clusters
    width = max(7, *(len(str(c)) for c in clusters["cluster"]))
    lines = [f"  {'cluster':>{width}}  {'points':>7}  {'leaking':>8}  95% interval"]
    for row in clusters.itertuples():
        lines.append(
            f"  {row.cluster!s:>{width}}  {row.support:>7d}  {row.leakage:>8.1%}  "
            f"[{row.ci_low:.1%}, {row.ci_high:.1%}]"
        )
    return lines


def _prepare_out(out: Path, data_path: Path | None, names: Sequence[str]) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} is a file; pass a folder")
    if data_path is not None:
        source = data_path.resolve()
        for name in names:
            if (out / name).resolve() == source:
                raise UsageError(
                    f"--out {str(out)!r} would overwrite the data file {name!r}; "
                    "choose another folder"
                )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {str(out)!r}: {exc.strerror}") from None


def _write_outputs(console, out, report, table, display=None) -> list[Path]:
    written = []

    def write(name, save):
        path = out / name
        try:
            save(path)
        except OSError as exc:
            raise UsageError(f"cannot write {str(path)!r}: {exc.strerror}") from None
        written.append(path)

    write("report.html", report.to_html)
    if importlib.util.find_spec("openpyxl") is not None:
        write("report.xlsx", report.to_excel)
    else:
        console.progress(f"note: report.xlsx not written; it needs {_EXCEL_HINT}")
    if display is not None:
        write("k_selection.png", lambda p: display.figure_.savefig(p, dpi=150))
        write("k_selection.svg", display.figure_.savefig)
    write("clusters.csv", lambda p: table.to_csv(p, index=False))
    return written


def _report_files(console: _Console, written: list[Path]) -> None:
    console.result("")
    console.result("wrote:")
    for path in written:
        console.result(f"  {path}")


_OUTPUTS = (
    "report.html",
    "report.xlsx",
    "k_selection.png",
    "k_selection.svg",
    "clusters.csv",
)


# ------------------------------------------------------------------ commands
def _score_names(cv_results) -> list[str]:
    """The metrics a search recorded, the one its rule reads first.

    A single-metric search records ``score``; ``select_n_clusters`` may record
    several (``reproducibility`` first, then leakage figures), all shown.
    """
    names = [key[10:] for key in cv_results if key.startswith("mean_test_")]
    for primary in ("score", "reproducibility"):
        if primary in names:
            names.remove(primary)
            names.insert(0, primary)
            break
    return names


def _take(value, rows):
    """Rows of one ``cv_results_`` entry (an array, masked array or list)."""
    if isinstance(value, np.ndarray):
        return value[rows]
    return [value[i] for i in rows]


def _k_display(search, name: str, ax):
    """The k-selection plot; candidates that failed on a split are left out.

    A failed fit gives a candidate a NaN mean, which the display cannot draw, so
    it is given only the candidates that ran (``from_cv_results`` accepts a
    ``cv_results_`` dict); the table still lists the failed ones.
    """
    results = search.cv_results_
    ran = np.flatnonzero(np.isfinite(np.asarray(results[f"mean_test_{name}"], float)))
    if ran.shape[0] == len(results["params"]):
        return KSelectionDisplay.from_cv_results(search, score_name=name, ax=ax), ran
    rule = None
    if callable(search.refit):
        rule = (inspect.getdoc(search.refit) or "").strip().splitlines()[0]
    display = KSelectionDisplay.from_cv_results(
        {key: _take(value, ran) for key, value in results.items()},
        best_index=int(np.searchsorted(ran, search.best_index_)),
        score_name=name,
        rule=rule,
        ax=ax,
    )
    return display, ran


def _candidate_lines(search, display, ran, names) -> list[str]:
    """The candidates table: k, the main metric with its error, other means."""
    headers = ["k", f"mean {names[0]}", "std. error"]
    headers += [f"mean {name}" for name in names[1:]]
    widths = [max(4, len(header)) for header in headers]
    lines = ["  ".join(f"{h:>{w}}" for h, w in zip(headers, widths, strict=True))]
    results = search.cv_results_
    position = {int(i): j for j, i in enumerate(ran)}
    failed = []
    for i, params in enumerate(results["params"]):
        k = params["clusterer__n_clusters"]
        if i in position:
            j = position[i]
            values = [display.mean_scores[j], display.std_errors[j]]
            values += [results[f"mean_test_{name}"][i] for name in names[1:]]
            cells = [str(k)] + [f"{v:.3f}" for v in values]
        else:
            failed.append(str(k))
            cells = [str(k)] + ["failed"] * (len(headers) - 1)
        line = "  ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))
        lines.append(line + ("  <- chosen" if i == search.best_index_ else ""))
    lines = ["  " + line for line in lines]
    if failed:
        lines.append(
            f"failed: k = {', '.join(failed)} could not be fitted on some split "
            "(often: too few rows for that many clusters); not chosen"
        )
    return lines


def _check_n_clusters(n_clusters: list[int], n_rows: int) -> None:
    # The search halves the data; a half cannot hold more clusters than points.
    largest = n_rows // 2
    if n_clusters[-1] > largest:
        raise UsageError(
            f"--k goes up to {n_clusters[-1]} but the data have {n_rows} rows; the "
            f"search clusters halves of the data, so use at most {largest}"
        )


def _selection(console, data, clusterer, n_clusters, args, out):
    """Search, print the table and the choice, write the outputs."""
    from matplotlib.figure import Figure  # lazily: --help stays quick

    name = type(clusterer).__name__
    console.progress(
        f"searching {n_clusters[0]}..{n_clusters[-1]} clusters with {name} on "
        f"{data.X.shape[0]} rows"
    )
    n_jobs = args.n_jobs
    # GridSearchCV prints per split and candidate from the worker that fits it;
    # only with one process do those prints reach our redirect to stderr.
    verbose = 0 if console.quiet else (3 if n_jobs in (None, 1) else 1)
    with _library_messages(console, searching=True):
        try:
            search = select_n_clusters(
                data.X,
                clusterer,
                n_clusters,
                n_jobs=n_jobs,
                random_state=args.random_state,
                verbose=verbose,
            )
        except ValueError as exc:
            # GridSearchCV's message when every fit failed, or refit_n_clusters'
            # when no candidate has a score: a range too large for the data, so
            # a usage error. Any other ValueError is a bug and propagates.
            text = str(exc)
            if not ("fits failed" in text or "Every candidate failed" in text):
                raise
            raise UsageError(
                f"no candidate in --k {n_clusters[0]}:{n_clusters[-1]} could be "
                f"fitted on {data.X.shape[0]} rows; try fewer clusters, e.g. "
                f"--k 1:{max(data.X.shape[0] // 4, 1)}"
            ) from None
        # A bare Figure needs no GUI backend and leaves pyplot's state alone.
        ax = Figure(figsize=(6, 4), layout="constrained").subplots()
        names = _score_names(search.cv_results_)
        display, ran = _k_display(search, names[0], ax)
        best = search.best_estimator_
        report = LeakageReport.from_estimator(best, ids=data.ids)
    chosen = search.best_params_["clusterer__n_clusters"]
    table = cluster_table(
        data.ids,
        data.id_name,
        best.labels_,
        best.sample_indices_,
        best.oof_proba_,
        best.classes_,
        best.detection_threshold,
    )

    console.result(
        f"held-out scores of each number of clusters k, mean over "
        f"{search.n_splits_} splits"
    )
    console.result("")
    console.result("\n".join(_candidate_lines(search, display, ran, names)))
    console.result("")
    console.result(f"rule: {display.rule}")
    made = int(best.n_clusters_)
    if made != chosen:
        # Birch, for one, makes fewer clusters than asked when its threshold
        # leaves fewer subclusters; say what the report is about.
        console.result(f"chosen: k = {chosen}, for which {name} made {made} clusters")
    elif chosen == 1:
        console.result("chosen: 1 cluster (no reproducible cluster structure)")
    else:
        console.result(f"chosen: {chosen} clusters")
    console.result("")
    console.result(report.summary())
    console.result("")
    console.result("\n".join(_cluster_lines(report)))
    written = _write_outputs(console, out, report, table, display)
    _report_files(console, written)
    return chosen


def run_demo(args) -> int:
    """``sklearn-leakage demo``."""
    from sklearn.datasets import load_wine

    console = _Console(args.quiet)
    wine = load_wine()
    X = StandardScaler().fit_transform(wine.data)
    data = Data(X, list(wine.feature_names), np.arange(X.shape[0]), "row")
    console.result(
        "demo: scikit-learn's wine data, 178 wines x 13 chemical measurements "
        "(standardized), from 3 grape cultivars"
    )
    console.result(
        f"question: how many clusters do the data support? KMeans, "
        f"{DEMO_N_CLUSTERS[0]} to {DEMO_N_CLUSTERS[-1]} clusters"
    )
    _prepare_out(args.out, None, _OUTPUTS)
    chosen = _selection(
        console,
        data,
        make_clusterer("kmeans", args.random_state),
        list(DEMO_N_CLUSTERS),
        args,
        args.out,
    )
    console.result("")
    console.result(
        f"the demo chose {chosen} cluster{'s' if chosen != 1 else ''}; the wines "
        "come from 3 cultivars."
    )
    console.result(
        "next, your own data: sklearn-leakage select DATA.csv --k 1:10 --out DIR"
    )
    return 0


def run_select(args) -> int:
    """``sklearn-leakage select``."""
    console = _Console(args.quiet)
    data = prepare_data(args, console)
    _check_n_clusters(args.k, data.X.shape[0])
    _prepare_out(args.out, args.data, _OUTPUTS)
    console.result(_describe(data, args.data.name, args.scale))
    _selection(
        console,
        data,
        make_clusterer(args.clusterer, args.random_state),
        args.k,
        args,
        args.out,
    )
    return 0


def run_evaluate(args) -> int:
    """``sklearn-leakage evaluate``."""
    console = _Console(args.quiet)
    data = prepare_data(args, console, labels_col=args.labels_col)
    labels = data.labels
    # Label -1 is noise, as for DBSCAN (the library's noise="exclude").
    if labels.dtype.kind in "iuf":
        is_noise = labels == -1
    else:
        is_noise = np.zeros(labels.shape[0], dtype=bool)
    clusters, sizes = np.unique(labels[~is_noise], return_counts=True)
    if clusters.shape[0] < 2:
        raise UsageError(
            f"labels column {args.labels_col!r} holds {clusters.shape[0]} "
            "cluster(s); at least 2 are needed to measure leakage between them"
        )
    if sizes.min() < 2:
        raise UsageError(
            f"cluster {clusters[np.argmin(sizes)]!r} of {args.labels_col!r} has one "
            "row; a probe cannot learn a cluster from one point, so merge or drop it"
        )
    out = args.out
    _prepare_out(out, args.data, _OUTPUTS)
    console.result(_describe(data, args.data.name, args.scale))
    console.result(
        f"clusters: column {args.labels_col!r}, {clusters.shape[0]} clusters"
        + (f", {int(is_noise.sum())} noise rows (-1)" if is_noise.any() else "")
    )
    console.progress(f"training the probe out-of-fold on {data.X.shape[0]} rows")
    with _library_messages(console):
        proba = cross_val_proba(
            data.X, labels, random_state=args.random_state, n_jobs=args.n_jobs
        )
        report = LeakageReport.from_predictions(labels, proba, ids=data.ids)
    table = cluster_table(
        data.ids,
        data.id_name,
        labels,
        np.arange(labels.shape[0]),
        proba,
        clusters,
        report.detection_threshold,
    )
    console.result("")
    console.result(report.summary())
    console.result("")
    console.result("\n".join(_cluster_lines(report)))
    _report_files(console, _write_outputs(console, out, report, table))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``sklearn-leakage`` with ``argv`` (default ``sys.argv[1:]``).

    Parameters
    ----------
    argv : sequence of str, default=None
        The arguments, without the program name.

    Returns
    -------
    status : int
        0 when done, 2 for a usage error (reported in one line on stderr).
    """
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        if args.command is None:
            raise UsageError(
                "choose a command: demo, select or evaluate (see 'sklearn-leakage "
                "--help')"
            )
        return args.run(args)
    except UsageError as exc:
        message = " ".join(str(exc).split())
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return 2
