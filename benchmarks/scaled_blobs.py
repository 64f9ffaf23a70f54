"""Round clusters made long by standardizing: where the rule cuts each in two.

``StandardScaler`` divides every feature by its standard deviation over all
rows. When clusters lie far apart along one feature and close along another,
the first feature's deviation is mostly the distance between the clusters, so
dividing by it squeezes every cluster along that feature: round clusters come
out as ellipses. k-means cuts an ellipse across its long axis in the same
place on every half of the data, so the cut reproduces (step 1 of
``refit_n_clusters``); the partition is tighter than a partition of the
reference box (test (a)); and the neighbour-based test (b) does not see the
cut as denser than a cut through the box, because an ellipse's neighbourhoods
are small next to its length (``doc/selection.rst``, "Tight is not the same as
separate").

Data: ``make_blobs(n_samples=1000, centers=k, cluster_std=1.0,
random_state=s)`` for k = 2, 3, 4 and s = 0..9 (centres drawn uniformly in
scikit-learn's default box of side 20, so nearly all pairs are far apart),
each clustered as drawn (``raw``) and after ``StandardScaler``
(``standardized``). ``aspect`` is the square root of the ratio of the largest
to the smallest eigenvalue of the pooled within-cluster covariance, by the
generating labels: 1 for round clusters, larger when scaling stretched them.

Methods, on the candidates of ``benchmarks/k_selection.py``: the rule
(``select_n_clusters`` with ``KMeans(n_init=10)``) and the baselines of
``benchmarks/_baselines.py``, all on the same data. Writes
``results/scaled_blobs.md`` and ``.csv``; with ``--random-state 1`` (the
searches' seed: splits, k-means starts, reference draws; the data do not
change), ``results/scaled_blobs_seed1.*``.

    python benchmarks/scaled_blobs.py --n-jobs 2
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
from sklearn.datasets import make_blobs  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from benchmarks._baselines import baseline_rows  # noqa: E402
from benchmarks._battery import Dataset  # noqa: E402
from benchmarks._env import environment_header, markdown_table  # noqa: E402
from benchmarks.k_selection import candidate_ks  # noqa: E402
from sklearn_leakage import select_n_clusters  # noqa: E402

RESULTS = _ROOT / "benchmarks" / "results"
N_SAMPLES = 1000
TRUE_KS = (2, 3, 4)
DATA_SEEDS = range(10)
RULE = "leakage (default)"
BASELINE_METHODS = (
    "prediction_strength",
    "silhouette",
    "calinski_harabasz",
    "davies_bouldin",
    "gap",
    "gmm_bic",
)


def _aspect(X, y) -> float:
    """sqrt(largest / smallest eigenvalue) of the pooled within-cluster covariance."""
    centred = X - np.vstack([X[y == c].mean(axis=0) for c in np.unique(y)])[y]
    eigenvalues = np.linalg.eigvalsh(np.cov(centred, rowvar=False))
    return float(np.sqrt(eigenvalues.max() / eigenvalues.min()))


def datasets() -> list[tuple[Dataset, str]]:
    cases = []
    for k in TRUE_KS:
        for seed in DATA_SEEDS:
            X, y = make_blobs(
                n_samples=N_SAMPLES, centers=k, cluster_std=1.0, random_state=seed
            )
            for scaling, data in (
                ("raw", X),
                ("standardized", StandardScaler().fit_transform(X)),
            ):
                name = f"blobs_k{k}_seed{seed}"
                cases.append(
                    (
                        Dataset(
                            name=name,
                            family=scaling,
                            X=data,
                            n_clusters=k,
                            clusterer="kmeans",
                            y=y,
                        ),
                        scaling,
                    )
                )
    return cases


def _answers(dataset: Dataset, scaling: str, seed: int) -> list[dict]:
    k_range = candidate_ks(dataset)
    case = {
        "dataset": dataset.name,
        "scaling": scaling,
        "true_k": dataset.n_clusters,
        "aspect": _aspect(dataset.X, dataset.y),
    }
    rows = []
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = select_n_clusters(
            dataset.X, KMeans(n_init=10, random_state=seed), k_range, random_state=seed
        )
        chosen = int(search.best_params_["clusterer__n_clusters"])
        rows.append({**case, "method": RULE, "chosen_k": chosen})
        rows += baseline_rows(
            case, BASELINE_METHODS, dataset.X, dataset.clusterer, k_range, seed
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--random-state", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    cases = datasets()
    print(f"scaled_blobs: {len(cases)} searches", file=sys.stderr)
    answers = Parallel(n_jobs=args.n_jobs)(
        delayed(_answers)(dataset, scaling, args.random_state)
        for dataset, scaling in cases
    )
    results = pd.DataFrame([row for rows in answers for row in rows])
    results["hit"] = results["chosen_k"] == results["true_k"]
    methods = [RULE, *BASELINE_METHODS]
    hits = results.pivot_table(
        index=["scaling", "true_k"], columns="method", values="hit", aggfunc="sum"
    )[methods].reset_index()
    totals = results.pivot_table(
        index="scaling", columns="method", values="hit", aggfunc="sum"
    )[methods].reset_index()
    rule = results[results["method"] == RULE]
    chosen = rule.pivot_table(
        index=["dataset", "true_k"], columns="scaling", values="chosen_k"
    )
    aspect = rule[rule["scaling"] == "standardized"].set_index("dataset")["aspect"]
    chosen["aspect_standardized"] = aspect.reindex(
        chosen.index.get_level_values("dataset")
    ).to_numpy()
    misses = chosen[chosen["standardized"] != chosen.index.get_level_values("true_k")]
    standardized = rule[rule["scaling"] == "standardized"]
    missed = standardized["chosen_k"] != standardized["true_k"]
    text = [
        "# Round clusters made long by standardizing",
        "",
        environment_header(),
        f"- wall time: {(time.perf_counter() - start) / 60:.1f} min with "
        f"--n-jobs {args.n_jobs}; random_state={args.random_state}",
        f"- command: `python benchmarks/scaled_blobs.py {' '.join(sys.argv[1:])}`",
        "",
        "Data and methods: the script's docstring. Cells: data sets whose true "
        f"k was chosen, of {len(DATA_SEEDS)} per row.",
        "",
        "## Exact hits",
        "",
        markdown_table(hits, floatfmt=".0f"),
        "",
        f"Totals, of {len(TRUE_KS) * len(DATA_SEEDS)} per scaling:",
        "",
        markdown_table(totals, floatfmt=".0f"),
        "",
        "## The rule's misses after standardizing",
        "",
        "`aspect_standardized`: how much standardizing stretched the clusters "
        f"(median {standardized['aspect'].median():.2f} over all standardized "
        f"data sets; {standardized.loc[missed, 'aspect'].median():.2f} over the "
        "missed ones).",
        "",
        markdown_table(misses.reset_index(), floatfmt=".2f"),
        "",
    ]
    # Seed 0 is the committed run; other seeds, as k_selection.py's, beside it.
    stem = "scaled_blobs" + (f"_seed{args.random_state}" if args.random_state else "")
    (RESULTS / f"{stem}.md").write_text("\n".join(text))
    results.to_csv(RESULTS / f"{stem}.csv", index=False)
    print("scaled_blobs: wrote", RESULTS / f"{stem}.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
