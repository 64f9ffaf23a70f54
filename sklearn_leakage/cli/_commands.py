"""The three commands: demo, select and evaluate."""

from __future__ import annotations

import warnings
from concurrent.futures.process import BrokenProcessPool

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.preprocessing import StandardScaler

from sklearn_leakage import (
    KSelectionDisplay,
    LeakageReport,
    cross_val_proba,
    select_n_clusters,
    total_leakage_interval,
)
from sklearn_leakage._display.k_selection import _rule_text
from sklearn_leakage._report._format import format_level, format_percent
from sklearn_leakage._selection import (
    VERDICTS,
    close_call_message,
)
from sklearn_leakage.cli._clusterers import clusterer_name, make_clusterer
from sklearn_leakage.cli._console import (
    PROG,
    UsageError,
    _Console,
    _library_messages,
)
from sklearn_leakage.cli._data import Data, _describe, prepare_data
from sklearn_leakage.cli._output import (
    _OUTPUTS,
    Written,
    _candidate_lines,
    _cluster_lines,
    _prepare_out,
    _report_files,
    _write_outputs,
    cluster_table,
    report_notes,
    with_dropped_rows,
)


def _close_call_advice(seed: int) -> str:
    """What to do about a close call, in the command line's words.

    Two seeds other than the one the run used (it had said "1 and 2" after a
    run with --random-state 1).
    """
    others = [(seed + step) % 2**32 for step in (1, 2)]
    return (
        "Such answers often move with the seed of the splits; rerun with "
        f"--random-state {others[0]} and {others[1]} and compare."
    )


#: Candidates of the demo, as in the issue: 1 (no structure) to 8 clusters.
DEMO_N_CLUSTERS = range(1, 9)


#: The largest candidate of the default --k, on data of 200 rows or more.
DEFAULT_LARGEST_K = 10


def _supported_k(n_rows: int) -> int:
    """The largest k whose clusters hold 10 rows each on a half: n / 20, at least 2.

    The README's practical advice: each half of the data is clustered on its
    own, and a cluster of fewer rows there is found by chance as often as not.
    """
    return max(2, n_rows // 20)


def _searched_ks(given: list[int] | None, n_rows: int, console) -> list[int]:
    """The numbers of clusters to search: --k, or 1 to what the rows support."""
    if given is None:
        return list(range(1, min(DEFAULT_LARGEST_K, _supported_k(n_rows)) + 1))
    # The search halves the data; a half cannot hold more clusters than points.
    largest = n_rows // 2
    if given[-1] > largest:
        raise UsageError(
            f"--k goes up to {given[-1]} but the data have {n_rows} rows; the "
            f"search clusters halves of the data, so use at most {largest}"
        )
    if given[-1] > _supported_k(n_rows):
        console.progress(
            f"{PROG}: warning: --k goes up to {given[-1]}, but with {n_rows} rows "
            f"each half holds fewer than 10 rows per cluster beyond k = "
            f"{_supported_k(n_rows)} (n / 20), too few for those candidates to "
            "reproduce reliably; their verdicts say little"
        )
    return given


def _note_fewer_clusters_made(console, name, candidates) -> None:
    """Say once that some candidates made fewer clusters than they asked for."""
    fewer = candidates.loc[
        candidates["n_clusters_found"] < candidates["n_clusters"], "n_clusters"
    ]
    if fewer.empty:
        return
    why = (
        "its threshold leaves too few subclusters"
        if name == "Birch"
        else "some of its clusters were left empty"
    )
    console.progress(
        f"{PROG}: warning: {name} made fewer clusters than asked for "
        f"k = {', '.join(str(k) for k in fewer)} ({why}); the 'made' column "
        "shows how many, and the rule counts those"
    )


def _selection(console, data, clusterer, n_clusters, args, out, notes, written=()):
    """Search, print the table and the choice, write the outputs.

    ``notes`` say in the report files what the data were; ``written`` lists
    files the command wrote before, for the list at the end.
    """
    from matplotlib.figure import Figure  # lazily: --help stays quick

    name = clusterer_name(clusterer)
    console.progress(
        f"searching {n_clusters[0]}..{n_clusters[-1]} clusters with {name} on "
        f"{data.X.shape[0]} rows"
    )
    n_jobs = args.n_jobs
    # Level 1: GridSearchCV says how many fits it runs, in one line; higher
    # levels add a line per fit (32 for the demo), noise next to the table.
    verbose = 0 if console.quiet else 1
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
        except BrokenProcessPool:
            # joblib's worker was killed, by the system most often for lack
            # of memory: each worker holds its own copy of the data.
            raise UsageError(
                f"a worker process of --n-jobs {n_jobs} died while searching "
                f"{data.X.shape[0]} rows, most often for lack of memory (each "
                "worker holds its own copy of the data); use fewer jobs, fewer "
                "rows or --clusterer kmeans"
            ) from None
        except ValueError as exc:
            # GridSearchCV's message when every fit failed, or refit_n_clusters'
            # when no candidate has a score: a range too large for the data, so
            # a usage error. Any other ValueError is a bug and propagates.
            text = str(exc)
            if not ("fits failed" in text or "Every candidate failed" in text):
                raise
            if "MemoryError" in text or "Unable to allocate" in text:
                # Fewer clusters would not help: the clusterer's memory grows
                # with the rows (Ward's distances, Birch's subclusters).
                quadratic = getattr(args, "clusterer", None) in (
                    "agglomerative",
                    "birch",
                )
                advice = (
                    " (its memory grows with the square of the rows, or of "
                    "Birch's subclusters); use --clusterer kmeans or "
                    "minibatch-kmeans, or fewer rows"
                    if quadratic
                    else "; use fewer rows"
                    + (
                        ", or --clusterer minibatch-kmeans"
                        if getattr(args, "clusterer", "kmeans") != "minibatch-kmeans"
                        else ""
                    )
                )
                raise UsageError(
                    f"{name} ran out of memory on {data.X.shape[0]} rows{advice}"
                ) from None
            raise UsageError(
                f"no candidate in --k {n_clusters[0]}:{n_clusters[-1]} could be "
                f"fitted on {data.X.shape[0]} rows; try fewer clusters, e.g. "
                f"--k 1:{max(data.X.shape[0] // 4, 1)}"
            ) from None
        # A bare Figure needs no GUI backend and leaves pyplot's state alone.
        ax = Figure(figsize=(6, 4), layout="constrained").subplots()
        # A candidate that failed on a split keeps its tick, without a point.
        display = KSelectionDisplay.from_cv_results(search, ax=ax)
        best = search.best_estimator_
        report = LeakageReport.from_search(search, ids=data.ids)
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
    table = with_dropped_rows(table, data.all_ids, data.kept)

    console.result(
        f"held-out scores of each number of clusters k, mean over "
        f"{search.n_splits_} splits"
    )
    console.result("")
    candidates = report.k_selection
    console.result("\n".join(_candidate_lines(candidates)))
    console.result("")
    _note_fewer_clusters_made(console, name, candidates)
    # The rule as its docstring states it; the plot's text adds how it fell
    # back, which the chosen line below says in its own words.
    console.result(f"rule: {_rule_text(search.refit, None)}")
    made = int(best.n_clusters_)
    verdict = candidates["verdict"].iloc[search.best_index_]
    if verdict != VERDICTS["chosen"]:
        # Nothing passed and the rule fell back on this candidate; the files
        # say so in its verdict, and so does this line.
        fewer = f" ({name} made {made})" if made != chosen else ""
        console.result(
            f"chosen: k = {chosen}{fewer}, {verdict.removeprefix('chosen ')}"
        )
    elif made != chosen:
        # Birch, for one, makes fewer clusters than asked when its threshold
        # leaves fewer subclusters; say what the report is about.
        console.result(
            f"chosen: k = {chosen}, for which {name} made {made} "
            f"cluster{'s' if made != 1 else ''}"
        )
    elif chosen == 1:
        # Why: no larger k reproduces, or some do and none is real (it said
        # "no reproducible cluster structure" beside a k = 2 that reproduces).
        reproduced = [
            f"{k:g}"
            for k, verdict in zip(
                candidates["n_clusters"], candidates["verdict"], strict=True
            )
            if verdict in (VERDICTS["no_better"], VERDICTS["dense"])
        ]
        if not reproduced:
            why = "no reproducible cluster structure"
        elif len(reproduced) == 1:
            why = f"k = {reproduced[0]} reproduces but is not real"
        else:
            why = f"k = {', '.join(reproduced)} reproduce but none is real"
        console.result(f"chosen: 1 cluster ({why})")
        # demo has no --scale to suggest.
        hint = _skewness_hint(data, getattr(args, "scale", None), name)
        if hint:
            console.result(hint)
    else:
        console.result(f"chosen: {chosen} clusters")
    close = report._k_selection.close_call()
    if close is not None:
        # Said here, on the result's own line, rather than as a warning.
        advice = _close_call_advice(args.random_state)
        console.result(f"close call: {close_call_message(close, advice)}")
    console.result("")
    console.result(report.summary())
    resampled = []
    if getattr(args, "bootstrap", None) is not None:
        # demo has no --bootstrap; one cluster has nothing to leak into.
        resampled = [
            "bootstrap: not run, one cluster has nothing to leak into"
            if made < 2
            else _bootstrap_line(console, data.X, report, args, estimator=best)
        ]
        console.result(resampled[0])
    console.result("")
    console.result("\n".join(_cluster_lines(report)))
    written = [
        *written,
        *_write_outputs(
            console,
            out,
            report,
            table,
            display,
            candidates,
            report_notes(
                args,
                *notes,
                f"clusterer: {name}, searched {_candidates(n_clusters)}, "
                f"random_state={args.random_state}",
                *resampled,
            ),
        ),
    ]
    _report_files(console, written, out)
    return chosen


#: Skewness beyond which a distribution is called highly skewed (M. G. Bulmer,
#: Principles of Statistics, 1979: beyond 1 in absolute value).
HIGH_SKEWNESS = 1.0


def _skewness_hint(data: Data, scale: str | None, name: str) -> str | None:
    """Advice beside the answer 1 when columns have long tails, or None.

    A clusterer such as k-means at k = 2 splits off a tail of a skewed
    column, a cut that either does not reproduce or is no tighter than noise
    in the box the tail stretches, and the search answers 1
    (``examples/plot_skewed_features.py``). Skewness does not change with
    standardizing, so the kept rows' values tell. ``--scale power`` is the
    remedy measured in ``benchmarks/k_selection.py --preprocess power``;
    already in use, or on data without long tails, there is nothing to say.
    Columns of one or two values (indicators) are skewed when one value is
    rare, but no transform makes them symmetric: they are left out.
    """
    if scale not in ("standard", "none") or data.X.shape[0] < 3:
        return None
    from scipy.stats import skew

    with np.errstate(all="ignore"), warnings.catch_warnings():
        # A constant column has no skewness (NaN), which is no long tail.
        warnings.simplefilter("ignore", RuntimeWarning)
        skewness = skew(data.X, axis=0)
    tailed = [
        i
        for i in np.argsort(-np.abs(np.nan_to_num(skewness)))
        if abs(skewness[i]) > HIGH_SKEWNESS and np.unique(data.X[:, i]).size > 2
    ]
    if not tailed:
        return None
    shown = tailed[:5]
    names = ", ".join(f"{data.features[i]} {skewness[i]:.2f}" for i in shown)
    more = f", and {len(tailed) - 5} more" if len(tailed) > 5 else ""
    one = len(tailed) == 1
    return (
        f"hint: {len(tailed)} column{'' if one else 's'} "
        f"{'is' if one else 'are'} highly skewed (skewness {names}{more}; "
        f"beyond {HIGH_SKEWNESS:g} in absolute value). If "
        f"{'it is' if one else 'they are'} skewed by nature (counts, "
        f"concentrations, amounts), {name} may be splitting off "
        f"{'its tail' if one else 'their tails'}: try --scale power."
    )


def _candidates(n_clusters) -> str:
    if len(n_clusters) == 1:
        return f"{n_clusters[0]} cluster{'s' if n_clusters[0] != 1 else ''}"
    return f"{n_clusters[0]} to {n_clusters[-1]} clusters"


def run_demo(args) -> int:
    """``sklearn-leakage demo``."""
    from sklearn.datasets import load_wine

    console = _Console(args.quiet)
    # The output folder is checked before anything is printed or computed.
    _prepare_out(args.out, None, (*_OUTPUTS, DEMO_DATA))
    wine = load_wine()
    X = StandardScaler().fit_transform(wine.data)
    # The ids of the wine.csv written below, so that its rows and those of
    # clusters.csv can be joined.
    data = Data(X, list(wine.feature_names), np.arange(1, X.shape[0] + 1), "wine")
    console.result(
        "demo: scikit-learn's wine data, 178 wines x 13 chemical measurements "
        "(standardized), from 3 grape cultivars"
    )
    console.result(
        f"question: how many clusters do the data support? KMeans, "
        f"{DEMO_N_CLUSTERS[0]} to {DEMO_N_CLUSTERS[-1]} clusters"
    )
    data_file = args.out / DEMO_DATA
    replaced = data_file.exists()
    notes = [
        "data: scikit-learn's wine data (load_wine), 178 rows, 13 columns, "
        f"standardized; written to {data_file}"
    ]
    _write_demo_data(wine, data_file)
    chosen = _selection(
        console,
        data,
        make_clusterer("kmeans", args.random_state),
        list(DEMO_N_CLUSTERS),
        args,
        args.out,
        notes,
        written=[Written(data_file, replaced)],
    )
    console.result("")
    console.result(
        f"the demo chose {chosen} cluster{'s' if chosen != 1 else ''}; the wines "
        "come from 3 cultivars."
    )
    console.result("")
    console.result(
        f"the same with the command for data files, on the wine data as written "
        f"to {data_file}:"
    )
    console.result(
        f"  sklearn-leakage select {data_file} --id-col wine --ignore cultivar "
        "--k 1:8 --out DIR"
    )
    console.result("and the cultivars judged as a clustering made elsewhere:")
    console.result(
        f"  sklearn-leakage evaluate {data_file} --id-col wine --labels-col "
        "cultivar --out DIR"
    )
    return 0


#: The demo's data as a file, for trying ``select`` and ``evaluate`` on.
DEMO_DATA = "wine.csv"


def _bootstrap_line(console, X, report, args, *, labels=None, estimator=None) -> str:
    """The bootstrap interval of the total leakage, as one line of the summary.

    ``evaluate`` passes its ``labels``, which stay with their rows; with the
    command's seed, the resamples' point estimate is then the report's total
    leakage (the same folds and probe), so the line gives only the interval.
    ``select`` passes the chosen ``estimator``: its clusterer is refitted on
    every resample and on every training fold (its ``mode``), the procedure
    behind the report's share, so that the interval includes the
    clustering's own variation. The report's own interval is exact for these
    rows; this one is for new samples (the user guide's "An interval for new
    samples").
    """
    if estimator is None:
        source = {"labels": labels}
        refitted = "the probe refitted"
    else:
        source = {
            "clusterer": clone(estimator.clusterer),
            "classifier": estimator.classifier,
            "mode": estimator.mode,
            "noise": estimator.noise,
        }
        refitted = "the clusterer and the probe refitted"
    console.progress(
        f"bootstrap: {args.bootstrap} resamples of the rows, {refitted} on each"
    )
    with _library_messages(console):
        result = total_leakage_interval(
            X,
            **source,
            detection_threshold=report.detection_threshold,
            confidence_level=report.confidence_level,
            n_resamples=args.bootstrap,
            random_state=args.random_state,
            n_jobs=args.n_jobs,
        )
    low, high = result.ci
    line = (
        f"total leakage of new samples from the same population: "
        f"{format_level(report.confidence_level)} CI [{format_percent(low)}, "
        f"{format_percent(high)}]"
    )
    if estimator is None:
        return f"{line} (bootstrap, {args.bootstrap} resamples)"
    # The interval is centred on the whole procedure redone on all rows with
    # the interval's seeds: not the report's share to the digit (other
    # seeds, and all rows where the report may score a subsample), so that
    # share is given too.
    return (
        f"{line}, around {format_percent(result.statistic)}, the share of the "
        f"same procedure redone on these rows (bootstrap, {args.bootstrap} "
        "resamples, the clustering refitted on each)"
    )


def _write_demo_data(wine, path) -> None:
    """The wine data in their own units, with an id and the cultivar columns."""
    frame = pd.DataFrame(wine.data, columns=wine.feature_names)
    frame.insert(0, "wine", np.arange(1, frame.shape[0] + 1))
    frame["cultivar"] = wine.target_names[wine.target]
    try:
        frame.to_csv(path, index=False)
    except OSError as exc:
        raise UsageError(f"cannot write {str(path)!r}: {exc.strerror}") from None


def run_select(args) -> int:
    """``sklearn-leakage select``."""
    console = _Console(args.quiet)
    data = prepare_data(args, console)
    n_clusters = _searched_ks(args.k, data.X.shape[0], console)
    _prepare_out(args.out, args.data, _OUTPUTS)
    described = _describe(data, args.data.name, args.scale)
    console.result(described)
    _selection(
        console,
        data,
        make_clusterer(args.clusterer, args.random_state),
        n_clusters,
        args,
        args.out,
        [described],
    )
    return 0


def run_evaluate(args) -> int:
    """``sklearn-leakage evaluate``."""
    console = _Console(args.quiet)
    data = prepare_data(args, console, labels_col=args.labels_col)
    labels = data.labels
    assert labels is not None  # prepare_data reads it when labels_col is given
    # Label -1 is noise, as for DBSCAN (the library's noise="exclude").
    if labels.dtype.kind in "iuf":
        is_noise = np.asarray(labels == -1)
    else:
        # A text column read with names beside -1 holds it as the text "-1";
        # the library knows noise as the number -1.
        is_noise = np.array([str(label).strip() == "-1" for label in labels])
        labels = labels.astype(object)
        labels[is_noise] = -1
    clusters, sizes = np.unique(labels[~is_noise], return_counts=True)
    if clusters.shape[0] < 2:
        raise UsageError(
            f"labels column {args.labels_col!r} holds {clusters.shape[0]} "
            "cluster(s); at least 2 are needed to measure leakage between them: "
            "pass a column with 2 or more labels"
        )
    if sizes.min() < 2:
        raise UsageError(
            f"cluster {str(clusters[np.argmin(sizes)])!r} of {args.labels_col!r} has "
            "one row; a probe cannot learn a cluster from one point, so merge or "
            "drop it"
        )
    out = args.out
    _prepare_out(out, args.data, _OUTPUTS)
    described = _describe(data, args.data.name, args.scale)
    clustering = (
        f"clusters: column {args.labels_col!r}, {clusters.shape[0]} clusters"
        + (f", {int(is_noise.sum())} noise rows (-1)" if is_noise.any() else "")
    )
    console.result(described)
    console.result(clustering)
    # cross_val_proba leaves the noise rows out (noise="exclude").
    n_clustered = int((~is_noise).sum())
    console.progress(
        f"training the probe out-of-fold on {n_clustered} rows"
        + (f" ({int(is_noise.sum())} noise rows left out)" if is_noise.any() else "")
    )
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
    table = with_dropped_rows(table, data.all_ids, data.kept, data.all_labels)
    console.result("")
    console.result(report.summary())
    resampled = []
    if args.bootstrap is not None:
        resampled = [_bootstrap_line(console, data.X, report, args, labels=labels)]
        console.result(resampled[0])
    console.result("")
    console.result("\n".join(_cluster_lines(report)))
    notes = report_notes(
        args,
        described,
        clustering,
        f"probe folds: random_state={args.random_state}",
        *resampled,
    )
    written = _write_outputs(console, out, report, table, notes=notes)
    _report_files(console, written, out)
    return 0
