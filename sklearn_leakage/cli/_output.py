"""What the command line prints and writes: tables, plots and reports."""

from __future__ import annotations

import importlib.util
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from sklearn_leakage import (
    LeakageReport,
)
from sklearn_leakage._report._format import (
    cut_probabilities,
    format_percent,
    format_score,
)
from sklearn_leakage._report._k_selection import verdict_text
from sklearn_leakage._selection import VERDICTS
from sklearn_leakage._validation import install_hint
from sklearn_leakage.cli._console import PROG, UsageError, _Console, _library_messages


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


def with_dropped_rows(
    table: pd.DataFrame, all_ids, kept, all_labels=None
) -> pd.DataFrame:
    """``table`` with the rows dropped for missing values put back, empty.

    clusters.csv then has one row per row of the data file, in its order, so
    that it joins back on the id; a dropped row has no cluster, unless
    ``all_labels`` (evaluate's labels column, every read row) gives it one.
    ``kept`` is None when nothing was dropped.
    """
    if kept is None:
        return table
    id_name = table.columns[0]
    if pd.api.types.is_integer_dtype(table["cluster"]):
        # Integer cluster ids stay integers beside the empty cells (not 2.0).
        table = table.astype({"cluster": "Int64"})
    full = table.set_axis(np.flatnonzero(kept)).reindex(np.arange(kept.shape[0]))
    full[id_name] = all_ids
    if all_labels is not None:
        dropped = ~np.asarray(kept)
        cluster = full["cluster"].astype(object)
        cluster[dropped] = all_labels[dropped]
        full["cluster"] = cluster.astype(table["cluster"].dtype, errors="ignore")
    full["leaks"] = full["leaks"].astype("boolean")
    return full.reset_index(drop=True)


def _cluster_lines(report: LeakageReport) -> list[str]:
    clusters = report.clusters
    width = max(7, *(len(str(c)) for c in clusters["cluster"]))
    lines = [f"  {'cluster':>{width}}  {'points':>7}  {'leaking':>8}  95% interval"]
    for row in clusters.itertuples():
        lines.append(
            f"  {row.cluster!s:>{width}}  {row.support:>7d}  "
            f"{format_percent(row.leakage):>8}  "
            f"[{format_percent(row.ci_low)}, {format_percent(row.ci_high)}]"
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
        raise UsageError(
            f"cannot create {str(out)!r}: {exc.strerror}; choose another --out"
        ) from None


class Written(NamedTuple):
    """A file the command wrote, and whether one of that name was there before."""

    path: Path
    replaced: bool


def _write_outputs(
    console, out, report, table, display=None, candidates=None, notes=()
) -> list[Written]:
    # Writing can warn too (matplotlib, the report's tables): one line each.
    with _library_messages(console):
        return _write_files(console, out, report, table, display, candidates, notes)


#: Rows an Excel sheet holds below its header.
EXCEL_MAX_ROWS = 1_048_575

#: Digits of the scores in k_selection.csv: six significant digits, not the
#: 17 of a float's full repr.
CSV_FLOAT_FORMAT = "%.6g"


def _write_files(
    console, out, report, table, display, candidates, notes
) -> list[Written]:
    written = []

    def write(name, save):
        path = out / name
        replaced = path.exists()
        try:
            save(path)
        except OSError as exc:
            raise UsageError(f"cannot write {str(path)!r}: {exc.strerror}") from None
        written.append(Written(path, replaced))

    # clusters.csv first: it is the one output every later step joins on.
    write(
        "clusters.csv",
        # Cut as the workbook and the page cut them (rounding wrote 0.04999996
        # as 0.05 beside leaks = False).
        lambda p: cut_probabilities(table).to_csv(p, index=False),
    )
    write("report.html", lambda p: report.to_html(p, notes=notes))
    if importlib.util.find_spec("openpyxl") is not None:
        samples = report.samples is not None and len(report.samples) <= EXCEL_MAX_ROWS
        if report.samples is not None and not samples:
            console.progress(
                f"note: report.xlsx has no samples sheet: {len(report.samples)} "
                f"points are more than an Excel sheet holds ({EXCEL_MAX_ROWS}); "
                "every row is in clusters.csv"
            )
        write(
            "report.xlsx",
            lambda p: report.to_excel(p, include_samples=samples, notes=notes),
        )
    else:
        console.progress(
            f"note: report.xlsx not written; it needs {install_hint('excel')}"
        )
    if display is not None:
        write("k_selection.png", lambda p: display.figure_.savefig(p, dpi=150))
        write("k_selection.svg", display.figure_.savefig)
    if candidates is not None:
        write(
            "k_selection.csv",
            lambda p: candidates.to_csv(p, index=False, float_format=CSV_FLOAT_FORMAT),
        )
    return written


def report_notes(args, *lines: str) -> list[str]:
    """What the report files say of their making: the data, and the command."""
    return [*lines, f"command: {PROG} {shlex.join(args.argv)}"]


def _report_files(console: _Console, written: list[Written], out: Path) -> None:
    console.result("")
    console.result("wrote:")
    for path, replaced in written:
        note = "  (replaced the file there)" if replaced else ""
        console.result(f"  {path}{note}")
    # An earlier command's outputs in the same folder (the k-selection files of
    # a select, beside the report of an evaluate) would read as this run's.
    names = {path.name for path, _ in written}
    stale = [name for name in _OUTPUTS if name not in names and (out / name).exists()]
    if stale:
        console.result(
            f"not from this run, left in {out} by an earlier one: {', '.join(stale)}"
        )


_OUTPUTS = (
    "report.html",
    "report.xlsx",
    "k_selection.png",
    "k_selection.svg",
    "k_selection.csv",
    "clusters.csv",
)


#: The step-2 comparisons of the table: (a) for centroid clusterers (two
#: gains, either may pass), (a) for the others, (b). Each is (column title,
#: metric).
_COMPARISONS = {
    "a_dispersion": ("dispersion gain", "dispersion_gain"),
    "a_separation": ("separation gain", "separation_gain"),
    "a_leakage": ("leakage", "leakage"),
    "b": ("boundary leakage", "boundary_leakage"),
}


def _candidate_lines(frame: pd.DataFrame) -> list[str]:
    """The candidates table (``LeakageReport.k_selection``) as the terminal shows it.

    Only what the rule reads: reproducibility with its standard error, the
    clusters each candidate made, and the comparisons of step 2 on the data
    and on uniform noise (``doc/selection.rst``: for centroid clusterers two
    gains for test (a), either of which may pass); ``k_selection.csv``
    has every metric.
    """
    names = [c[len("mean_") :] for c in frame.columns if c.startswith("mean_")]
    primary = names[0]
    headers = ["k", f"{primary} (+- s.e.)", "made"]
    columns = []
    centroid = "dispersion_gain" in names
    a_keys = ("a_dispersion", "a_separation") if centroid else ("a_leakage",)
    for key in (*a_keys, "b"):
        title, metric = _COMPARISONS[key]
        if metric in names and f"reference_{metric}" in names:
            columns.append(metric)
            headers += [f"({key[0]}) {title}", "on noise"]
    rows = []
    failed = []
    for row in frame.to_dict("records"):
        mean, error = row[f"mean_{primary}"], row[f"std_error_{primary}"]
        if not np.isfinite(mean):
            failed.append(str(row["n_clusters"]))
            cells = [str(row["n_clusters"])] + ["failed"] * (len(headers) - 1)
            rows.append((cells, "failed"))
            continue
        # The clusters made read best as a count: 4, or 4.5 when splits disagree.
        made = row["n_clusters_found"]
        cells = [str(row["n_clusters"]), f"{mean:.3f} +- {error:.3f}", f"{made:g}"]
        for metric in columns:
            for value in (row[f"mean_{metric}"], row[f"mean_reference_{metric}"]):
                # Step 2 does not test a single cluster.
                cells.append(format_score(value, "-") if made > 1 else "-")
        rows.append((cells, verdict_text(row)))
    widths = [
        max(len(headers[c]), *(len(cells[c]) for cells, _ in rows))
        for c in range(len(headers))
    ]
    lines = ["  ".join(f"{h:>{w}}" for h, w in zip(headers, widths, strict=True))]
    for cells, verdict in rows:
        line = "  ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))
        if verdict == VERDICTS["chosen"]:
            line += "  <- chosen"
        elif verdict.startswith("chosen"):
            # The rule fell back on this candidate: say how, on its line.
            line += f"  <- {verdict}"
        elif verdict != "failed":
            line += f"  ({verdict})"
        lines.append(line)
    lines = ["  " + line for line in lines]
    if failed:
        lines.append(
            f"failed: k = {', '.join(failed)} could not be fitted on some split "
            "(often: too few rows for that many clusters); not chosen"
        )
    return lines
