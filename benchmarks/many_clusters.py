"""Many small, tight clusters: where the default probe's softness costs the rule.

Step 1 of ``refit_n_clusters`` reads the mean probability that the probe puts on
the paired cluster, not the share of points it predicts there. The default
probe for k-means, a logistic regression with ``C=100`` after one common
scaling, pays an L2 penalty for the steep weights a sharp boundary needs. When
many clusters share the range of the data, each is tight relative to that
range and a half of the data holds few points of each, so the penalty keeps the
probabilities soft near every boundary even where the two halves' partitions
agree: the worst cluster's agreement falls below the level 0.8 although its
points are predicted into the right cluster.

This script measures that on data shaped like the R15 benchmark set (Veenman,
Reinders and Backer 2002, "A maximum variance cluster algorithm", IEEE TPAMI
24(9): 15 Gaussian clusters in the plane, 8 on an inner ring around the centre
and 7 on an outer ring): here 8 clusters on a circle of radius 3, 7 on one of
radius 10, standard deviation 0.45, with 40 points per cluster (600 rows, as
R15) and with 120 (1,800 rows), seeds 0, 1 and 2, standardized. It also runs
pyclustering's Simple08 (4 one-dimensional clusters of different spreads,
``benchmarks/_external_battery.py``), where the same soft probabilities keep
two stable cuts through its widest cluster from passing.

Methods, on the candidates of ``benchmarks/k_selection.py`` (1..21 for 15
clusters): the rule with the default probe; the rule with a sharper probe that
a user can pass, ``select_n_clusters(..., classifier=make_pipeline(
StandardScaler(), LogisticRegression(C=1e4, max_iter=5000)))``; the rule with
the default probe's ``C`` grown with the number of clusters, ``100 * max(k, 3)
/ 3`` (``probe_c`` of ``benchmarks/_leakage_method.py``, which says why;
``k_selection.py --probe-c per-cluster`` runs it on the batteries); prediction
strength (hard assignments by the nearest centroid), silhouette and the gap
statistic of ``benchmarks/_baselines.py``. Writes ``results/many_clusters.md``
and ``.csv``.

    python benchmarks/many_clusters.py --n-jobs 2
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from benchmarks._baselines import baseline_rows  # noqa: E402
from benchmarks._battery import Dataset  # noqa: E402
from benchmarks._env import environment_header, markdown_table  # noqa: E402
from benchmarks._leakage_method import probe_c  # noqa: E402
from benchmarks.k_selection import candidate_ks  # noqa: E402
from sklearn_leakage import select_n_clusters  # noqa: E402
from sklearn_leakage._selection import _metric  # noqa: E402

RESULTS = _ROOT / "benchmarks" / "results"
SEEDS = (0, 1, 2)
DEFAULT_PROBE = "leakage (default probe)"
SHARP_PROBE = "leakage, probe C=1e4"
PER_CLUSTER_PROBE = "leakage, probe C per cluster"
BASELINE_METHODS = ("prediction_strength", "silhouette", "gap")


def two_rings(per_cluster: int, seed: int) -> Dataset:
    """15 tight Gaussian clusters on two rings, shaped like R15."""
    rng = np.random.default_rng(seed)
    inner = np.arange(8) * 2 * np.pi / 8
    outer = np.arange(7) * 2 * np.pi / 7 + 0.3
    centres = np.vstack(
        [
            np.c_[3 * np.cos(inner), 3 * np.sin(inner)],
            np.c_[10 * np.cos(outer), 10 * np.sin(outer)],
        ]
    )
    X = np.vstack([rng.normal(c, 0.45, (per_cluster, 2)) for c in centres])
    y = np.repeat(np.arange(15), per_cluster)
    return Dataset(
        name=f"two_rings_{per_cluster}_per_cluster",
        family="many_clusters",
        X=StandardScaler().fit_transform(X),
        n_clusters=15,
        clusterer="kmeans",
        y=y,
    )


def _simple08() -> Dataset | None:
    try:
        from benchmarks._external_battery import make_external_battery
    except ImportError:  # pragma: no cover - optional package
        return None
    for dataset in make_external_battery():
        if dataset.name == "simple_Simple08":
            return dataset
    return None


def _sharp_probe():
    return make_pipeline(StandardScaler(), LogisticRegression(C=1e4, max_iter=5000))


def _answers(dataset: Dataset, seed: int) -> list[dict]:
    k_range = candidate_ks(dataset)
    case = {"dataset": dataset.name, "true_k": dataset.n_clusters, "seed": seed}
    rows = []
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method, probe, c in (
            (DEFAULT_PROBE, None, "fixed"),
            (SHARP_PROBE, _sharp_probe(), "fixed"),
            (PER_CLUSTER_PROBE, None, "per-cluster"),
        ):
            with probe_c(c):
                search = select_n_clusters(
                    dataset.X,
                    KMeans(n_init=10, random_state=seed),
                    k_range,
                    classifier=probe,
                    random_state=seed,
                )
            cv = search.cv_results_
            ks = list(np.asarray(cv["param_clusterer__n_clusters"], dtype=int))
            mean, error = _metric(cv, "reproducibility")
            at_truth = ks.index(dataset.n_clusters)
            rows.append(
                {
                    **case,
                    "method": method,
                    "chosen_k": int(search.best_params_["clusterer__n_clusters"]),
                    "step_1_at_true_k": float(mean[at_truth] - error[at_truth]),
                }
            )
        rows += baseline_rows(
            case, BASELINE_METHODS, dataset.X, dataset.clusterer, k_range, seed
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    tasks = [
        (two_rings(per_cluster, seed), seed)
        for per_cluster in (40, 120)
        for seed in SEEDS
    ]
    simple08 = _simple08()
    if simple08 is not None:
        tasks += [(simple08, seed) for seed in SEEDS]
    print(f"many_clusters: {len(tasks)} data sets", file=sys.stderr)
    answers = Parallel(n_jobs=args.n_jobs)(
        delayed(_answers)(dataset, seed) for dataset, seed in tasks
    )
    results = pd.DataFrame([row for rows in answers for row in rows])
    chosen = results.pivot_table(
        index=["dataset", "true_k", "seed"], columns="method", values="chosen_k"
    )[[DEFAULT_PROBE, SHARP_PROBE, PER_CLUSTER_PROBE, *BASELINE_METHODS]]
    chosen = chosen.reset_index()
    level = results.pivot_table(
        index=["dataset", "seed"], columns="method", values="step_1_at_true_k"
    )[[DEFAULT_PROBE, SHARP_PROBE, PER_CLUSTER_PROBE]].reset_index()
    text = [
        "# Many small, tight clusters: the probe's softness",
        "",
        environment_header(),
        f"- wall time: {(time.perf_counter() - start) / 60:.1f} min with "
        f"--n-jobs {args.n_jobs}",
        f"- command: `python benchmarks/many_clusters.py {' '.join(sys.argv[1:])}`",
        "",
        "Data and methods: the script's docstring. The rule with the default "
        "probe and with `make_pipeline(StandardScaler(), "
        "LogisticRegression(C=1e4, max_iter=5000))` passed as `classifier=`, "
        "and with the default probe's C grown with the number of clusters, "
        "C = 100 * max(k, 3) / 3 (`benchmarks/_leakage_method.py`, `probe_c`, "
        "a variant the package does not offer); prediction "
        "strength, silhouette and the gap statistic of "
        "`benchmarks/_baselines.py` on the same k-means and candidates.",
        "",
        "## Chosen number of clusters",
        "",
        markdown_table(chosen, floatfmt=".0f"),
        "",
        "## Step 1 at the true k: mean reproducibility less one standard error",
        "",
        "The level is 0.8; below it, the true k cannot be chosen.",
        "",
        markdown_table(level, floatfmt=".3f"),
        "",
    ]
    (RESULTS / "many_clusters.md").write_text("\n".join(text))
    results.to_csv(RESULTS / "many_clusters.csv", index=False)
    print("many_clusters: wrote", RESULTS / "many_clusters.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
