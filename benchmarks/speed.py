"""Time and memory of scoring a clustering, against the indices users already know.

For n in {1e3, 1e4, 1e5, 1e6} rows of 20-D Gaussian blobs (10 centres), float32 and
float64, this script measures in one run:

(a) ``LeakageScore(KMeans(10, n_init=1, random_state=0), random_state=0).fit(X)``
    with its defaults (includes the clusterer's own fit on all of X);
(b) ``silhouette_score``, on all rows and with ``sample_size=10000``;
(c) ``calinski_harabasz_score``;
(d) the leakyblobs pipeline (``benchmarks/_leakyblobs.py``);
(e) ``KMeans(10, n_init=1, random_state=0).fit(X)`` alone.

(b)-(d) score the labels of (e), computed beforehand, so they exclude the
clustering; (a) includes it, which is how it is used. Every case runs in a fresh
subprocess that reports its wall time (median of repeats, ``perf_counter``) and
its peak resident memory (VmHWM, reset after the imports) net of the interpreter
with every library imported, X included. The full run then times
``select_n_clusters`` over k = 2..15 at n = 1e6 (float32), splitting its time into
clustering and the rest.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
        python benchmarks/speed.py        # full: about 7 minutes on 2 cores
    python benchmarks/speed.py --quick    # n <= 1e4, no search: under 2 minutes

One BLAS/OpenMP thread per process is how the committed results were made: on a
machine shared with other jobs, threads of one fit wait for each other whenever
another job holds a CPU, which made single fits of the probe several times
slower in earlier runs. The thread settings in force are written into the
results.

Writes ``results/speed.md`` and ``results/speed.csv`` (``speed_quick.*`` with
``--quick``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

# Run as a script or as ``python -m benchmarks.speed``: import by package name.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402
from sklearn.metrics import calinski_harabasz_score, silhouette_score  # noqa: E402

from benchmarks._env import environment_header, markdown_table  # noqa: E402
from benchmarks._leakyblobs import leakyblobs_total_leakage  # noqa: E402
from sklearn_leakage import LeakageScore, select_n_clusters  # noqa: E402
from sklearn_leakage._subsample import AUTO_MAX_SAMPLES  # noqa: E402

RANDOM_STATE = 0
N_FEATURES = 20
N_CLUSTERS = 10
#: make_blobs' default spread (centres in (-10, 10), std 1) separates 10 centres in
#: 20-D so well that Lloyd converges in 2 iterations, which makes KMeans unusually
#: cheap. Centres in (-1.25, 1.25) make the blobs touch (ARI of KMeans with the true
#: blobs 0.66-0.78) and KMeans(10, n_init=1, random_state=0) then needs 10-28
#: iterations at every n and dtype (measured once while tuning; (-1.5, 1.5) gave 8
#: at n=1e3, (-1.0, 1.0) gave ARI 0.55). n_iter_ is reported for every run.
CENTER_BOX = (-1.25, 1.25)
CLUSTER_STD = 1.0
FULL_SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
DTYPES = ("float32", "float64")
#: Repeats per case (median reported); a case stops repeating once it has used
#: REPEAT_BUDGET seconds.
REPEATS = {1_000: 7, 10_000: 5, 100_000: 3, 1_000_000: 3}
QUICK_REPEATS = {1_000: 3, 10_000: 1}
REPEAT_BUDGET = 60.0
#: The paired case gets more repeats and time: its median ratio is the target.
PAIRED_REPEATS = {1_000: 7, 10_000: 7, 100_000: 5, 1_000_000: 5}
PAIRED_BUDGET = 240.0
#: Largest n run per method, and why. Full silhouette is O(n^2 d): about 0.7 s at
#: 1e4 rows on this machine, so 100 times that at 1e5 and 10,000 times at 1e6.
#: leakyblobs took 4 to 10 s at 1e5 (26 logistic fits on 100 RBF features,
#: linear in n), so 1 to 2 minutes per repeat at 1e6: left out to keep the run
#: short, since its growth is already measured.
MAX_N = {"silhouette (full)": 30_000, "leakyblobs": 100_000}
SKIP_REASONS = {
    "silhouette (full)": "O(n^2), 100x the time per 10x rows",
    "leakyblobs": "1-2 min per repeat at 1e6, linear in n from 1e4 to 1e5",
}
#: --quick keeps to 2 minutes on a shared 2-CPU machine: float32 only, one
#: leakyblobs size (its 26 logistic fits take 0.5 to 1 s at 1e4) and no copy_x
#: cases.
QUICK_MAX_N = {**MAX_N, "leakyblobs": 1_000}
QUICK_SKIP_REASONS = {**SKIP_REASONS, "leakyblobs": "--quick"}
CASE_TIMEOUT = 1800
SEARCH_N = 1_000_000
SEARCH_CANDIDATES = range(2, 16)

#: The memory of KMeans(copy_x=True) is X plus a centred copy plus a temporary of
#: X's size (np.var in its tolerance); copy_x=False drops the copy. These two
#: cases show how much of LeakageScore's peak is its clusterer's.
KM_NOCOPY = "KMeans fit (copy_x=False)"
LEAK_NOCOPY = "LeakageScore (KMeans copy_x=False)"
#: KMeans and LeakageScore timed back to back; `value` is the median of the
#: per-pair time ratios (the target's ratio).
PAIRED = "LeakageScore / KMeans, paired"
#: The cap of max_samples="auto" before issue #6 (20,000 rows): what halving it
#: saved in time, and how far the leakage estimate moved. Only run where the cap
#: matters; at or below AUTO_MAX_SAMPLES rows both use every row.
PREVIOUS_CAP = 20_000
LEAK_PREVIOUS_CAP = f"LeakageScore (max_samples={PREVIOUS_CAP})"
MIN_N = {LEAK_PREVIOUS_CAP: AUTO_MAX_SAMPLES + 1}
METHODS = (
    "LeakageScore",
    "silhouette (full)",
    "silhouette (sample_size=10000)",
    "calinski_harabasz",
    "leakyblobs",
    "KMeans fit",
    KM_NOCOPY,
    LEAK_NOCOPY,
    PAIRED,
    LEAK_PREVIOUS_CAP,
)
#: Environment variables that set the threads of BLAS and OpenMP; recorded.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
#: Methods that score the precomputed KMeans labels.
NEEDS_LABELS = {
    "silhouette (full)",
    "silhouette (sample_size=10000)",
    "calinski_harabasz",
    "leakyblobs",
}


def _kmeans(n_clusters: int = N_CLUSTERS, copy_x: bool = True) -> KMeans:
    return KMeans(n_clusters, n_init=1, random_state=RANDOM_STATE, copy_x=copy_x)


def make_data(n_samples: int, dtype: str) -> np.ndarray:
    """Seeded blobs; the centres are drawn first, so they are the same for every n."""
    X, _ = make_blobs(
        n_samples=n_samples,
        n_features=N_FEATURES,
        centers=N_CLUSTERS,
        cluster_std=CLUSTER_STD,
        center_box=CENTER_BOX,
        random_state=RANDOM_STATE,
    )
    return X.astype(dtype)


# ---- the measured cases (run inside the child process) -----------------------------


def _case_leakage_score(X, labels):
    est = LeakageScore(_kmeans(), random_state=RANDOM_STATE).fit(X)
    return {"n_iter": int(est.clusterer_.n_iter_), "value": est.total_leakage_}


def _case_leakage_score_previous_cap(X, labels):
    est = LeakageScore(_kmeans(), max_samples=PREVIOUS_CAP, random_state=RANDOM_STATE)
    est.fit(X)
    return {"n_iter": int(est.clusterer_.n_iter_), "value": est.total_leakage_}


def _case_leakage_score_nocopy(X, labels):
    est = LeakageScore(_kmeans(copy_x=False), random_state=RANDOM_STATE).fit(X)
    return {"n_iter": int(est.clusterer_.n_iter_), "value": est.total_leakage_}


def _case_kmeans(X, labels):
    km = _kmeans().fit(X)
    return {"n_iter": int(km.n_iter_), "value": float(km.inertia_)}


def _case_paired(X, labels):
    """KMeans, then LeakageScore around the same KMeans, back to back.

    Other jobs on a shared machine slow cases down at different moments; timing
    the two members of the ratio next to each other and taking the median of the
    per-pair ratios keeps that out of the ratio.
    """
    start = time.perf_counter()
    km = _kmeans().fit(X)
    kmeans_seconds = time.perf_counter() - start
    start = time.perf_counter()
    LeakageScore(_kmeans(), random_state=RANDOM_STATE).fit(X)
    leakage_seconds = time.perf_counter() - start
    return {
        "n_iter": int(km.n_iter_),
        "value": leakage_seconds / kmeans_seconds,
        "kmeans_seconds": kmeans_seconds,
        "leakage_seconds": leakage_seconds,
    }


def _case_kmeans_nocopy(X, labels):
    km = _kmeans(copy_x=False).fit(X)
    return {"n_iter": int(km.n_iter_), "value": float(km.inertia_)}


def _case_silhouette_full(X, labels):
    return {"value": float(silhouette_score(X, labels))}


def _case_silhouette_sample(X, labels):
    value = silhouette_score(X, labels, sample_size=10_000, random_state=RANDOM_STATE)
    return {"value": float(value)}


def _case_calinski_harabasz(X, labels):
    return {"value": float(calinski_harabasz_score(X, labels))}


def _case_leakyblobs(X, labels):
    return {"value": leakyblobs_total_leakage(X, labels, random_state=RANDOM_STATE)}


class TimedKMeans(KMeans):
    """KMeans that logs the rows and seconds of every fit (for the search split)."""

    log: list = []

    def fit(self, X, y=None, sample_weight=None):
        start = time.perf_counter()
        super().fit(X, y, sample_weight=sample_weight)
        TimedKMeans.log.append((X.shape[0], time.perf_counter() - start))
        return self


def _case_search(X, labels):
    """select_n_clusters at full size; clustering time comes from TimedKMeans."""
    TimedKMeans.log.clear()
    start = time.perf_counter()
    search = select_n_clusters(
        X,
        TimedKMeans(n_init=1, random_state=RANDOM_STATE),
        SEARCH_CANDIDATES,
        random_state=RANDOM_STATE,
    )
    total = time.perf_counter() - start
    rows = np.array([r for r, _ in TimedKMeans.log])
    seconds = np.array([s for _, s in TimedKMeans.log])
    n_scored = search.best_estimator_.sample_indices_.shape[0]
    # Fits on more rows than the probe's subsample are the clusterer on the data
    # (each half, then the refit); fits on exactly as many rows are score()'s
    # refit on its held-out subsample (and any reference data of that size);
    # fewer rows are the inner fold refits.
    on_data = rows > n_scored
    in_score = rows == n_scored
    results = search.cv_results_
    n_splits = search.n_splits_
    alone = []
    for n_clusters in SEARCH_CANDIDATES:
        start = time.perf_counter()
        _kmeans(n_clusters).fit(X)
        alone.append(time.perf_counter() - start)
    return {
        "value": int(search.best_params_["clusterer__n_clusters"]),
        "search_seconds": total,
        "clustering_seconds": float(seconds.sum()),
        "clustering_on_data_seconds": float(seconds[on_data].sum()),
        "clustering_in_folds_seconds": float(seconds[~on_data & ~in_score].sum()),
        "clustering_in_score_seconds": float(seconds[in_score].sum()),
        "n_clusterer_fits": int(rows.shape[0]),
        "n_fits_on_all_rows": int(np.sum(rows == X.shape[0])),
        "sum_fit_seconds": float(np.sum(results["mean_fit_time"]) * n_splits),
        "sum_score_seconds": float(np.sum(results["mean_score_time"]) * n_splits),
        "refit_seconds": float(search.refit_time_),
        "n_candidates": len(SEARCH_CANDIDATES),
        "n_splits": int(n_splits),
        "kmeans_alone_seconds": float(np.sum(alone)),
        "mean_test": {
            key[len("mean_test_") :]: [float(v) for v in results[key]]
            for key in results
            if key.startswith("mean_test_")
        },
        "mean_fit_time": [float(v) for v in results["mean_fit_time"]],
        "mean_score_time": [float(v) for v in results["mean_score_time"]],
        "kmeans_alone": alone,
    }


CASES = {
    "LeakageScore": _case_leakage_score,
    "silhouette (full)": _case_silhouette_full,
    "silhouette (sample_size=10000)": _case_silhouette_sample,
    "calinski_harabasz": _case_calinski_harabasz,
    "leakyblobs": _case_leakyblobs,
    "KMeans fit": _case_kmeans,
    KM_NOCOPY: _case_kmeans_nocopy,
    LEAK_NOCOPY: _case_leakage_score_nocopy,
    PAIRED: _case_paired,
    LEAK_PREVIOUS_CAP: _case_leakage_score_previous_cap,
    "select_n_clusters": _case_search,
}


def _status_kb(field: str) -> int | None:
    """A memory field of /proc/self/status in kB (None where there is no /proc)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss() -> int:
    """Restart the peak-RSS count at the current RSS and return it, in bytes.

    Imports leave a high-water mark above the resident memory (freed temporaries),
    which would hide a method's first megabytes. Linux resets VmHWM when "5" is
    written to /proc/self/clear_refs (proc(5)); elsewhere ru_maxrss stands in.
    """
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return peak_rss()
    return peak_rss()


def peak_rss() -> int:
    """Peak resident memory of this process since the last reset, in bytes."""
    hwm = _status_kb("VmHWM")
    if hwm is not None:
        return hwm * 1024
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def _median(values: list):
    """Median of the repeats' numbers; counts (ints) stay ints when they agree."""
    middle = float(np.median(values))
    if all(isinstance(v, int) for v in values) and middle.is_integer():
        return int(middle)
    return middle


def run_case(method: str, x_path: str, labels_path: str, repeats: int) -> dict:
    """Child side: load the data, run one method, report time and peak memory."""
    # Every module is imported above, so the baseline is the interpreter with the
    # libraries loaded; what follows is the data and the method's own memory.
    gc.collect()
    baseline = reset_peak_rss()
    X = np.load(x_path)
    labels = np.load(labels_path) if method in NEEDS_LABELS else None
    budget = PAIRED_BUDGET if method == PAIRED else REPEAT_BUDGET
    times, cpu_times, extras = [], [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for _ in range(repeats):
            start, cpu_start = time.perf_counter(), time.process_time()
            extras.append(CASES[method](X, labels))
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu_start)
            if len(times) == 1:
                # The first call in a fresh process: what one fit costs. Later
                # calls can peak higher, because the allocator keeps blocks freed
                # by earlier calls resident.
                first_peak = peak_rss() - baseline
            if sum(times) > budget:
                break
    peak = peak_rss() - baseline
    # Numbers a case reports (n_iter_, the index, a paired ratio): median too.
    summary = {
        key: _median([extra[key] for extra in extras])
        if isinstance(value, int | float)
        else value
        for key, value in extras[-1].items()
    }
    return {
        "seconds": float(np.median(times)),
        "min_seconds": float(np.min(times)),
        "max_seconds": float(np.max(times)),
        "cpu_seconds": float(np.median(cpu_times)),
        "repeats": len(times),
        "peak_mb": peak / 2**20,
        "first_peak_mb": first_peak / 2**20,
        "x_mb": X.nbytes / 2**20,
        **summary,
    }


def _spawn(method: str, x_path: Path, labels_path: Path, repeats: int) -> dict:
    """Parent side: one case in a fresh interpreter."""
    command = [sys.executable, str(Path(__file__).resolve()), "--case", method]
    command += [str(x_path), str(labels_path), str(repeats)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=CASE_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return {"note": f"timed out after {CASE_TIMEOUT} s"}
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"note": f"failed: {tail[0]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(data_dir: Path, sizes, dtypes, methods, quick: bool) -> pd.DataFrame:
    """Every method at every size and dtype; one row per case."""
    repeats = QUICK_REPEATS if quick else REPEATS
    paired_repeats = QUICK_REPEATS if quick else PAIRED_REPEATS
    max_n = QUICK_MAX_N if quick else MAX_N
    reasons = QUICK_SKIP_REASONS if quick else SKIP_REASONS
    rows = []
    for n_samples in sizes:
        for dtype in dtypes:
            X = make_data(n_samples, dtype)
            x_path = data_dir / f"X_{n_samples}_{dtype}.npy"
            labels_path = data_dir / f"labels_{n_samples}_{dtype}.npy"
            np.save(x_path, X)
            np.save(labels_path, _kmeans().fit_predict(X))
            del X
            for method in methods:
                row = {"method": method, "dtype": dtype, "n_samples": n_samples}
                if n_samples > max_n.get(method, np.inf):
                    reason = reasons.get(method, "")
                    row["note"] = f"skipped (> {max_n[method]:.0e} rows): {reason}"
                elif n_samples < MIN_N.get(method, 0):
                    row["note"] = "skipped: the same as LeakageScore at this n"
                else:
                    _log(f"{method}, n={n_samples}, {dtype}")
                    row["load"] = os.getloadavg()[0]
                    count = (paired_repeats if method == PAIRED else repeats)[n_samples]
                    row.update(_spawn(method, x_path, labels_path, count))
                rows.append(row)
    table = pd.DataFrame(rows)
    numbers = ("seconds", "min_seconds", "max_seconds", "cpu_seconds", "load")
    numbers += ("peak_mb", "first_peak_mb", "x_mb", "n_iter", "value")
    numbers += ("kmeans_seconds",)
    for column in (*numbers, "leakage_seconds", "repeats", "note"):
        if column not in table:
            table[column] = np.nan
    table["peak_over_x"] = table["peak_mb"] / table["x_mb"]
    table["first_peak_over_x"] = table["first_peak_mb"] / table["x_mb"]
    return table


def scaling_exponents(table: pd.DataFrame) -> pd.DataFrame:
    """Log-log slope of time against n, over all measured n and over the last two."""
    rows = []
    for (method, dtype), group in table.groupby(["method", "dtype"], sort=False):
        if method == PAIRED:  # its seconds are a pair's, not one method's
            continue
        done = group.dropna(subset=["seconds"]).sort_values("n_samples")
        if done.shape[0] < 2:
            continue
        log_n = np.log10(done["n_samples"].to_numpy(dtype=float))
        log_t = np.log10(done["seconds"].to_numpy(dtype=float))
        n_min, n_max = done["n_samples"].min(), done["n_samples"].max()
        rows.append(
            {
                "method": method,
                "dtype": dtype,
                "n range": f"{n_min:.0e}-{n_max:.0e}",
                "slope (all n)": float(np.polyfit(log_n, log_t, 1)[0]),
                "slope (last two n)": float(
                    (log_t[-1] - log_t[-2]) / (log_n[-1] - log_n[-2])
                ),
            }
        )
    return pd.DataFrame(rows)


#: Memory target: peak memory under this multiple of X's size.
MEMORY_TARGET = 3.0
#: Time target: LeakageScore's fit at most this multiple of KMeans' fit.
TIME_TARGET = 2.0
#: Methods whose peak memory the memory table shows, LeakageScore's first.
MEMORY_METHODS = ("LeakageScore", "KMeans fit", LEAK_NOCOPY, KM_NOCOPY)


def target_ratios(table: pd.DataFrame) -> pd.DataFrame:
    """At the largest n: LeakageScore's time over KMeans' time, per dtype."""
    n_max = table["n_samples"].max()
    rows = []
    for dtype in DTYPES:
        at = table[(table["n_samples"] == n_max) & (table["dtype"] == dtype)]
        at = at.set_index("method")
        leak, km, paired = at.loc["LeakageScore"], at.loc["KMeans fit"], at.loc[PAIRED]
        time_ratio = paired["value"]
        rows.append(
            {
                "dtype": dtype,
                "n_samples": int(n_max),
                "LeakageScore s (paired)": paired["leakage_seconds"],
                "KMeans s (paired)": paired["kmeans_seconds"],
                "time ratio, paired (target <= 2)": time_ratio,
                "time met": "yes" if time_ratio <= TIME_TARGET else "NO",
                "ratio of separate cases": leak["seconds"] / km["seconds"],
            }
        )
    return pd.DataFrame(rows)


def memory_table(table: pd.DataFrame) -> pd.DataFrame:
    """At the largest n: peak memory over X's size, under each reading.

    "X included" counts the data itself, so 1.00 means nothing beyond X; "beyond
    X" subtracts it. "first fit" is the peak of the first call in a fresh
    process, "all repeats" the peak over every repeat of the case.
    """
    n_max = table["n_samples"].max()
    rows = []
    for dtype in DTYPES:
        at = table[(table["n_samples"] == n_max) & (table["dtype"] == dtype)]
        at = at.set_index("method")
        for method in MEMORY_METHODS:
            first, every = (
                at.loc[method, "first_peak_over_x"],
                at.loc[method, "peak_over_x"],
            )
            rows.append(
                {
                    "method": method,
                    "dtype": dtype,
                    "peak / X, X included, first fit": first,
                    "peak / X, X included, all repeats": every,
                    "peak beyond X / X, first fit": first - 1,
                    "peak beyond X / X, all repeats": every - 1,
                }
            )
    return pd.DataFrame(rows)


def overhead_table(table: pd.DataFrame) -> pd.DataFrame:
    """LeakageScore's time beyond its clusterer's fit at every n (paired case)."""
    paired = table[table["method"] == PAIRED]
    rows = []
    for dtype in DTYPES:
        for row in paired[paired["dtype"] == dtype].itertuples():
            rows.append(
                {
                    "dtype": dtype,
                    "n_samples": f"{row.n_samples:.0e}",
                    "LeakageScore s": row.leakage_seconds,
                    "KMeans s": row.kmeans_seconds,
                    "difference s": row.leakage_seconds - row.kmeans_seconds,
                    "median ratio": row.value,
                }
            )
    return pd.DataFrame(rows)


def _memory_verdict(value: float) -> str:
    # Judged at the precision shown: a peak of 2.997 x X is X plus two copies of
    # it less a few kilobytes, which is the bound itself, not under it.
    return "met" if round(value, 2) < MEMORY_TARGET else "**missed**"


def _signed(value: float) -> str:
    """``+0.19``, and ``+0.00`` rather than ``-0.00`` for a tiny negative."""
    return f"{round(value, 2) + 0.0:+.2f}"


def verdict_lines(table: pd.DataFrame) -> list[str]:
    """Plain sentences on each target, from the numbers of this run."""
    ratios = target_ratios(table).set_index("dtype")
    memory = memory_table(table).set_index(["dtype", "method"])
    over = overhead_table(table)
    lines = []
    for dtype in DTYPES:
        r = ratios.loc[dtype]
        diffs = over[over["dtype"] == dtype]["difference s"].to_numpy()
        sizes = over[over["dtype"] == dtype]["n_samples"].to_numpy()
        time_ratio = r["time ratio, paired (target <= 2)"]
        kmeans_seconds = r["KMeans s (paired)"]
        verdict = "met" if time_ratio <= TIME_TARGET else "**missed**"
        lines.append(
            f"- Time, {dtype}: {verdict}, LeakageScore takes {time_ratio:.2f} x "
            f"KMeans' fit (target <= {TIME_TARGET:g}). Beyond the clusterer's fit, "
            f"it spends {diffs[-1]:.1f} s on the probe's subsample of at most "
            f"{AUTO_MAX_SAMPLES:,} rows (the clusterer refitted in each fold, the "
            f"probe fitted per fold and once more, the reference data), a cost "
            f"that does not grow with n ({diffs[-2]:.1f} s at {sizes[-2]}, "
            f"{diffs[-1]:.1f} s at {sizes[-1]}), next to {kmeans_seconds:.1f} s for "
            f"KMeans(n_init=1) on all rows."
        )
        at = table[
            (table["dtype"] == dtype) & (table["n_samples"] == table["n_samples"].max())
        ]
        at = at.set_index("method")
        if LEAK_PREVIOUS_CAP in at.index and pd.notna(
            at.loc[LEAK_PREVIOUS_CAP, "value"]
        ):
            old, new = at.loc[LEAK_PREVIOUS_CAP], at.loc["LeakageScore"]
            error = np.sqrt(new["value"] * (1 - new["value"]) / AUTO_MAX_SAMPLES)
            if abs(new["value"] - old["value"]) > 2 * error:
                why = (
                    "more than twice the binomial standard error at "
                    f"{AUTO_MAX_SAMPLES:,} rows ({error:.4f}): it is not sampling "
                    "noise but the probe, which draws softer boundaries when "
                    "trained on fewer rows, so more points keep 5% of their "
                    "probability on a neighbour"
                )
            else:
                why = (
                    "within twice the binomial standard error at "
                    f"{AUTO_MAX_SAMPLES:,} rows ({error:.4f})"
                )
            lines.append(
                f"- The cap, {dtype}: with max_samples={PREVIOUS_CAP:,} (the "
                f"default before this change) the same fit takes "
                f"{old['seconds']:.1f} s against {new['seconds']:.1f} s "
                f"(separate cases, median of repeats), and its total leakage "
                f"is {old['value']:.4f} against {new['value']:.4f} with "
                f"{AUTO_MAX_SAMPLES:,} rows, a difference {why}. Leakage "
                f"figures compare at equal max_samples."
            )
        leak = memory.loc[(dtype, "LeakageScore")]
        km = memory.loc[(dtype, "KMeans fit")]
        nocopy = memory.loc[(dtype, LEAK_NOCOPY)]
        km_first = km["peak / X, X included, first fit"]
        out_of_reach = (
            ", so no scorer that includes this clusterer's fit can meet the "
            "reading with X included"
            if km_first >= MEMORY_TARGET
            else ""
        )
        first = leak["peak / X, X included, first fit"]
        every = leak["peak / X, X included, all repeats"]
        beyond = leak["peak beyond X / X, all repeats"]
        lines.append(
            f"- Memory, {dtype} (target: peak < {MEMORY_TARGET:g} x X): "
            f"read as peak including X over all repeats, "
            f"{_memory_verdict(every)} ({every:.2f} x X); "
            f"as peak including X of one fit in a fresh process, "
            f"{_memory_verdict(first)} ({first:.2f} x X); "
            f"as peak beyond X, {_memory_verdict(beyond)} ({beyond:.2f} x X "
            f"over all repeats). KMeans alone peaks at "
            f"{km['peak / X, X included, first fit']:.2f} x X on its first fit "
            f"and {km['peak / X, X included, all repeats']:.2f} x X over all "
            f"repeats: X, its centred copy (copy_x=True) and a temporary of X's "
            f"size from np.var in its tolerance{out_of_reach}. LeakageScore "
            f"adds {_signed(first - km_first)} x X to "
            f"its clusterer on the first fit and "
            f"{_signed(every - km['peak / X, X included, all repeats'])} x X over all "
            f"repeats; with KMeans(copy_x=False) it peaks at "
            f"{nocopy['peak / X, X included, first fit']:.2f} x X on the first "
            f"fit and {nocopy['peak / X, X included, all repeats']:.2f} x X over "
            f"all repeats, X included."
        )
    return lines


def _display_table(table: pd.DataFrame) -> pd.DataFrame:
    shown = table.copy()
    shown["n_samples"] = shown["n_samples"].map(lambda n: f"{n:.0e}")

    def fmt(value, spec):
        return "" if pd.isna(value) else format(value, spec)

    shown["seconds"] = shown["seconds"].map(lambda v: fmt(v, ".3g"))
    shown["min s"] = shown["min_seconds"].map(lambda v: fmt(v, ".3g"))
    shown["max s"] = shown["max_seconds"].map(lambda v: fmt(v, ".3g"))
    shown["CPU s"] = shown["cpu_seconds"].map(lambda v: fmt(v, ".3g"))
    shown["load"] = shown["load"].map(lambda v: fmt(v, ".1f"))
    shown["peak MB"] = shown["peak_mb"].map(lambda v: fmt(v, ".1f"))
    shown["peak / X"] = shown["peak_over_x"].map(lambda v: fmt(v, ".2f"))
    shown["first fit peak / X"] = shown["first_peak_over_x"].map(
        lambda v: fmt(v, ".2f")
    )
    shown["X MB"] = shown["x_mb"].map(lambda v: fmt(v, ".2f"))
    shown["KMeans n_iter_"] = shown["n_iter"].map(lambda v: fmt(v, ".0f"))
    shown["value"] = shown["value"].map(lambda v: fmt(v, ".4g"))
    shown["note"] = shown["note"].fillna("")
    columns = ["method", "dtype", "n_samples", "seconds", "min s", "max s", "CPU s"]
    columns += ["repeats", "load", "peak MB", "X MB", "peak / X"]
    columns += ["first fit peak / X", "KMeans n_iter_"]
    columns += ["value", "note"]
    shown["repeats"] = shown["repeats"].map(lambda v: fmt(v, ".0f"))
    return shown[columns]


def _search_section(search: dict | None) -> list[str]:
    if search is None:
        return ["Not run (`--quick` or `--no-search`)."]
    if "search_seconds" not in search:
        return [f"Did not finish: {search.get('note', 'unknown error')}."]
    total = search["search_seconds"]
    clustering = search["clustering_seconds"]
    per_k = pd.DataFrame(
        {
            "n_clusters": list(SEARCH_CANDIDATES),
            "mean fit s": search["mean_fit_time"],
            "mean score s": search["mean_score_time"],
            **{
                f"mean test {metric}": values
                for metric, values in search["mean_test"].items()
            },
            "KMeans alone on 1e6 rows s": search["kmeans_alone"],
        }
    )
    fits = search["n_candidates"] * search["n_splits"]
    on_data = search["clustering_on_data_seconds"]
    scoring = total - on_data
    goal = "met" if scoring <= on_data else "**missed**"
    return [
        f"`select_n_clusters(X, KMeans(n_init=1, random_state=0), range(2, 16), "
        f"random_state=0)` on {SEARCH_N:.0e} rows x {N_FEATURES} float32, as a "
        f"user runs it: {search['n_candidates']} candidates x "
        f"{search['n_splits']} splits = {fits} fits of LeakageScore(compute_oof="
        f"False) on halves, each scored on the other half, then the chosen "
        f"candidate refitted on all rows by GridSearchCV and its diagnostic fold "
        f"loop added to that fit (compute_oof=True); n_jobs=None. It chose "
        f"k = {search['value']}.",
        "",
        f"- total: {total:.0f} s ({total / 60:.1f} min); peak memory "
        f"{search['peak_mb']:.0f} MB = {search['peak_over_x']:.2f} x X (X "
        f"included), {search['peak_over_x'] - 1:.2f} x X beyond X",
        f"- the clustering being scored (KMeans on each half and the final refit "
        f"on all rows, timed by a KMeans subclass): {on_data:.0f} s = "
        f"{on_data / total:.0%} of the total",
        f"- scoring, everything else: {scoring:.0f} s = {scoring / total:.0%}. "
        f"Of it, KMeans on the probe's subsample: "
        f"{search['clustering_in_score_seconds']:.0f} s on exactly its size "
        f"(score()'s refit on held-out rows, the reference data) and "
        f"{search['clustering_in_folds_seconds']:.0f} s on fewer rows (the fold "
        f"refits of the final diagnostics); the rest is the probe's fits and "
        f"predictions, subsampling and matching",
        f"- goal (scoring costs no more than the clustering it scores): {goal}, "
        f"scoring / clustering = {scoring / on_data:.2f}",
        f"- every KMeans fit together: {clustering:.0f} s = "
        f"{clustering / total:.0%} of the total ({search['n_clusterer_fits']} fits, "
        f"{search.get('n_fits_on_all_rows', 'not recorded')} of them on all rows)",
        f"- GridSearchCV's own split: fit {search['sum_fit_seconds']:.0f} s, score "
        f"{search['sum_score_seconds']:.0f} s, refit {search['refit_seconds']:.0f} s",
        "- which k wins is not what this case measures: on these deliberately "
        "overlapping blobs, a single-start KMeans refitted on each held-out "
        "subsample lands in different local optima from one random_state to "
        "the next, and the choice moves with them; benchmarks/k_selection.py "
        "measures the quality of the choice",
        f"- KMeans alone, once per candidate on all rows (the least any k sweep "
        f"costs): {search['kmeans_alone_seconds']:.0f} s; the search takes "
        f"{total / search['kmeans_alone_seconds']:.1f} x that (it clusters "
        f"{search['n_splits']} halves, {search['n_splits'] // 2} x all rows, per "
        f"candidate)",
        "",
        markdown_table(per_k, floatfmt=".2f"),
    ]


def _package_changes() -> str:
    """Uncommitted changes to the package, which the numbers also reflect."""
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--", "sklearn_leakage"],
            capture_output=True,
            text=True,
            check=True,
            cwd=_ROOT,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    changed = sorted(line[3:] for line in out.splitlines())
    return ", ".join(changed) if changed else "none"


def write_results(table, search, out_dir: Path, stem: str, sizes, loads, wall) -> None:
    """results/<stem>.csv (one row per case) and results/<stem>.md."""
    out_dir.mkdir(parents=True, exist_ok=True)
    csv = table.copy()
    if search is not None:
        flat = {
            key: value
            for key, value in search.items()
            if not isinstance(value, list | dict)
        }
        flat.update(
            {"method": "select_n_clusters", "dtype": "float32", "n_samples": SEARCH_N}
        )
        if "search_seconds" in flat:
            flat["seconds"] = flat["search_seconds"]
        csv = pd.concat([csv, pd.DataFrame([flat])], ignore_index=True)
    csv.to_csv(out_dir / f"{stem}.csv", index=False)

    exponents = scaling_exponents(table)
    lines = [
        "# Speed and memory",
        "",
        environment_header(),
        f"- load average (1 min) at start / end: {loads[0]:.1f} / {loads[1]:.1f} "
        "(other jobs shared the 2 CPUs; ratios come from the same run)",
        f"- wall time of this run: {wall / 60:.1f} min",
        f"- package files changed since that commit: {_package_changes()}",
        "- threads: "
        + ", ".join(
            f"{name}={os.environ.get(name, 'unset')}" for name in THREAD_VARIABLES
        ),
        "",
        f"Data: `make_blobs(n, {N_FEATURES}, centers={N_CLUSTERS}, "
        f"cluster_std={CLUSTER_STD}, center_box={CENTER_BOX}, random_state="
        f"{RANDOM_STATE})`, cast to the dtype. The centres are closer than "
        "make_blobs' default so that KMeans needs >= 10 Lloyd iterations, as on "
        "real data (with the default, 2 iterations); see the KMeans n_iter_ column.",
        "",
        "Each case runs in a fresh subprocess. `seconds`: median wall time over "
        "`repeats` (perf_counter), with the fastest and slowest repeat; `CPU s`: "
        "median process CPU time (all threads); `load`: 1-minute load average "
        "when the case started. Other jobs shared this machine's 2 CPUs, and "
        "OpenMP and BLAS threads wait for each other when a CPU is taken, so a "
        "case's time can vary several-fold between repeats and between cases; "
        "the time target therefore uses the paired case, which times KMeans and "
        "LeakageScore back to back and reports the median of the per-pair "
        "ratios as `value`. `peak MB`: peak resident memory (VmHWM, reset after "
        "the imports) net of the interpreter with every library imported, X "
        "included; `peak / X`: that over X's size, so 1.00 means no memory "
        "beyond X (below n = 1e5 the fixed cost of thread pools and first calls "
        "dominates; silhouette computes distances in chunks of up to 1 GB, "
        "sklearn's working_memory), over all repeats; `first fit peak / X`: the "
        "same for the first repeat alone. LeakageScore includes "
        "its clusterer's fit on all of X; silhouette, Calinski-Harabasz and "
        "leakyblobs score the KMeans labels computed beforehand. `value`: "
        "LeakageScore's total_leakage_, the index, leakyblobs' total leakage, "
        "KMeans' inertia, the paired time ratio.",
        "",
        "## Targets (n = 1e6)",
        "",
    ]
    if max(sizes) >= 1_000_000:
        lines += [
            markdown_table(target_ratios(table), floatfmt=".2f"),
            "",
            markdown_table(memory_table(table), floatfmt=".2f"),
            "",
            *verdict_lines(table),
            "",
            "Why later repeats peak higher than the first: the allocator (glibc "
            "malloc) keeps blocks that a fit freed resident for reuse, and the "
            "next fit's copies of X, too large for those blocks, are mapped on "
            "top of them. It is memory no fit holds: while writing this script, "
            "calling glibc's malloc_trim(0) between repeats kept every repeat of "
            "LeakageScore at its first fit's peak. The first-fit column is the "
            "peak one fit needs; the all-repeats column is what a process that "
            "fits again and again may see.",
            "",
            "LeakageScore's time beyond its clusterer's fit:",
            "",
            markdown_table(overhead_table(table), floatfmt=".2f"),
        ]
    else:
        lines.append("Not measured: the quick run stops at n = 1e4.")
    lines += [
        "",
        "## Scaling exponents",
        "",
        "Slope of log10(seconds) against log10(n) over the measured n (1 means "
        "linear time, 2 quadratic). LeakageScore's time is its clusterer's fit, "
        f"which grows with n, plus the work on at most {AUTO_MAX_SAMPLES:,} "
        "rows, which does not; while that fixed part dominates, its slope stays "
        "near 0. Cases "
        "under ~0.5 s mostly measure start-up and waiting threads.",
        "",
        markdown_table(exponents, floatfmt=".2f"),
        "",
        "## All cases",
        "",
        markdown_table(_display_table(table)),
        "",
        "## select_n_clusters at n = 1e6",
        "",
        *_search_section(search),
        "",
    ]
    (out_dir / f"{stem}.md").write_text("\n".join(lines))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="n <= 1e4, no search")
    parser.add_argument(
        "--no-search", action="store_true", help="skip select_n_clusters at 1e6"
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=Path(__file__).resolve().parent / "results",
        help="where to write speed.md and speed.csv",
    )
    parser.add_argument("--case", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        method, x_path, labels_path, repeats = args.case
        print(json.dumps(run_case(method, x_path, labels_path, int(repeats))))
        return 0

    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    stem = "speed_quick" if args.quick else "speed"
    start, load_start = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="sklearn_leakage_speed_") as tmp:
        data_dir = Path(tmp)
        if args.quick:
            skip = (KM_NOCOPY, LEAK_NOCOPY, LEAK_PREVIOUS_CAP)
            methods = [m for m in METHODS if m not in skip]
            table = measure(data_dir, sizes, ("float32",), methods, quick=True)
        else:
            table = measure(data_dir, sizes, DTYPES, METHODS, quick=False)
        search = None
        if not (args.quick or args.no_search):
            # Written once before the long search, so a failure there loses nothing.
            loads = (load_start, os.getloadavg()[0])
            write_results(
                table,
                None,
                args.out_dir,
                stem,
                sizes,
                loads,
                time.perf_counter() - start,
            )
            _log(f"select_n_clusters, n={SEARCH_N}, float32")
            x_path = data_dir / f"X_{SEARCH_N}_float32.npy"
            search = _spawn("select_n_clusters", x_path, x_path, 1)
            if "peak_mb" in search:
                search["peak_over_x"] = search["peak_mb"] / search["x_mb"]
    loads = (load_start, os.getloadavg()[0])
    write_results(
        table, search, args.out_dir, stem, sizes, loads, time.perf_counter() - start
    )
    print(markdown_table(_display_table(table)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
