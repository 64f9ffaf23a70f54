"""What the command line prints and writes: tables, plots and reports."""

from __future__ import annotations

import importlib.util
import inspect
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sklearn_leakage import (
    KSelectionDisplay,
    LeakageReport,
)
from sklearn_leakage.cli._console import UsageError, _Console

_EXCEL_HINT = 'pip install "sklearn-leakage[excel]"'


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


def _write_outputs(
    console, out, report, table, display=None, candidates=None
) -> list[Path]:
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
    if candidates is not None:
        write("k_selection.csv", lambda p: candidates.to_csv(p, index=False))
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
    "k_selection.csv",
    "clusters.csv",
)


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


def _step_2_note(display, j) -> str:
    """Why the plot marks candidate j as not real, in the plot's words."""
    if display.not_real is None or not display.not_real[j]:
        return ""
    if display.dense_boundary is not None and display.dense_boundary[j]:
        return "not real: a boundary denser than noise's"
    return "not real: no better than uniform noise"


def _verdict(display, j, chosen) -> str:
    """What the rule made of candidate j, in the order it judges."""
    if chosen:
        return "chosen"
    level = display.level
    if level is not None and display.mean_scores[j] - display.std_errors[j] < level:
        return f"does not reproduce: mean - s.e. below {level:g}"
    return _step_2_note(display, j)


#: The step-2 comparisons of the table: (a) for centroid clusterers, (a) for
#: the others, (b). Each is (column title, metric on the data, on noise).
_COMPARISONS = {
    "a_dispersion": ("dispersion gain", "dispersion_gain"),
    "a_leakage": ("leakage", "leakage"),
    "b": ("boundary leakage", "boundary_leakage"),
}


def candidate_table(search, display, ran, names) -> pd.DataFrame:
    """Every candidate's scores and verdict, one row per candidate.

    Columns: ``n_clusters`` (asked for), then for each metric the search
    recorded its mean over the splits and standard error (``std / sqrt(n_splits)``),
    then ``verdict``. A candidate that failed on a split has NaN scores and the
    verdict "failed".
    """
    results = search.cv_results_
    n_splits = max(int(search.n_splits_), 1)
    frame = pd.DataFrame(
        {"n_clusters": [p["clusterer__n_clusters"] for p in results["params"]]}
    )
    for name in names:
        mean = np.asarray(results[f"mean_test_{name}"], dtype=float)
        std = np.asarray(results[f"std_test_{name}"], dtype=float)
        frame[f"mean_{name}"] = mean
        frame[f"std_error_{name}"] = std / np.sqrt(n_splits)
    position = {int(i): j for j, i in enumerate(ran)}
    verdicts = [
        _verdict(display, position[i], i == search.best_index_)
        if i in position
        else "failed"
        for i in range(len(frame))
    ]
    made = frame.get("mean_n_clusters_found", frame["n_clusters"]).to_numpy(float)
    frame["verdict"] = [
        verdict
        if verdict != ""
        else (
            "one cluster: the answer when no larger k passes"
            if made[i] <= 1
            else "passes; the rule takes the largest that does"
        )
        for i, verdict in enumerate(verdicts)
    ]
    return frame


def _cell(value, digits=3) -> str:
    return "-" if not np.isfinite(value) else f"{value:.{digits}f}"


def _candidate_lines(frame: pd.DataFrame, names) -> list[str]:
    """The candidates table as the terminal shows it.

    Only what the rule reads: reproducibility with its standard error, the
    clusters each candidate made, and the two comparisons of step 2 on the
    data and on uniform noise (``doc/selection.rst``); ``k_selection.csv``
    has every metric.
    """
    primary = names[0]
    headers = ["k", f"{primary} (+- s.e.)"]
    columns = []
    if "n_clusters_found" in names:
        headers.append("made")
    a_key = "a_dispersion" if "dispersion_gain" in names else "a_leakage"
    for key in (a_key, "b"):
        title, metric = _COMPARISONS[key]
        if metric in names and f"reference_{metric}" in names:
            columns.append(metric)
            step = key[0]
            headers += [f"({step}) {title}", "on noise"]
    rows = []
    for row in frame.itertuples(index=False):
        row = row._asdict()
        if row["verdict"] == "failed":
            cells = [str(row["n_clusters"])] + ["failed"] * (len(headers) - 1)
        else:
            mean, error = row[f"mean_{primary}"], row[f"std_error_{primary}"]
            cells = [str(row["n_clusters"]), f"{mean:.3f} +- {error:.3f}"]
            made = row.get("mean_n_clusters_found", np.nan)
            if "n_clusters_found" in names:
                # A count reads best as a count: 4, or 4.25 when splits disagree.
                cells.append(f"{made:g}")
            tested = not np.isfinite(made) or made > 1
            for metric in columns:
                for value in (row[f"mean_{metric}"], row[f"mean_reference_{metric}"]):
                    cells.append(_cell(value) if tested else "-")
        rows.append((cells, row["verdict"]))
    widths = [
        max(len(headers[c]), *(len(cells[c]) for cells, _ in rows))
        for c in range(len(headers))
    ]
    lines = ["  ".join(f"{h:>{w}}" for h, w in zip(headers, widths, strict=True))]
    for cells, verdict in rows:
        line = "  ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))
        if verdict == "chosen":
            line += "  <- chosen"
        elif verdict != "failed":
            line += f"  ({verdict})"
        lines.append(line)
    lines = ["  " + line for line in lines]
    failed = frame.loc[frame["verdict"] == "failed", "n_clusters"].astype(str)
    if len(failed):
        lines.append(
            f"failed: k = {', '.join(failed)} could not be fitted on some split "
            "(often: too few rows for that many clusters); not chosen"
        )
    return lines
