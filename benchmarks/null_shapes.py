"""Structureless data whose 2-cluster cut reproduces: elongated, rotated shapes.

Target 2 of the k-selection issue asks the rule to answer "no clusters" on
structureless data at least as often as the gap statistic. The batteries'
structureless sets are nearly all round (a Gaussian, a uniform square or cube,
a ball, a Student t): k-means cuts them differently on every half, so step 1
of the rule already answers 1 and test (a), the comparison with the reference
box, is rarely asked. Elongated shapes are cut the same way on every half, so
there only test (a) can answer 1. This script asks it on 54 such data sets:

* a uniform box and a Gaussian, in 2, 3 and 5 dimensions, with the first axis
  2, 3 or 5 times as long as the others (each the same length), turned by a
  random rotation, then standardized feature by feature as a user would;
* 600 points each, seeds 0, 1 and 2 (the seed draws the data, the rotation and
  every method's randomness).

Standardizing a turned box shears it: the result is a parallelepiped, not a
box, and its principal-axis bounding box (the reference of the rule and of the
gap statistic) has empty corners. Each data set is searched once with
``select_n_clusters`` (``KMeans(n_init=10)``, k = 1..8). The baselines of
``benchmarks/k_selection.py`` that can answer 1 (the gap statistic, GMM BIC
and prediction strength) choose on the same data with the same candidates;
silhouette, Calinski-Harabasz and Davies-Bouldin cannot answer 1 and are left
out. Writes ``results/null_shapes.md`` and ``.csv``.

    python benchmarks/null_shapes.py --n-jobs 2
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
from scipy.stats import special_ortho_group  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from benchmarks._baselines import baseline_rows  # noqa: E402
from benchmarks._env import environment_header, markdown_table  # noqa: E402
from benchmarks._leakage_method import reference_box  # noqa: E402
from sklearn_leakage import select_n_clusters  # noqa: E402
from sklearn_leakage._selection import (  # noqa: E402
    _metric,
    reaches_level,
    reference_margins,
)

RESULTS = _ROOT / "benchmarks" / "results"
SEEDS = (0, 1, 2)
CANDIDATES = range(1, 9)
SHAPES = ("uniform box", "Gaussian")
DIMENSIONS = (2, 3, 5)
ELONGATIONS = (2, 3, 5)
RULE = "leakage (default)"
#: The rule with a reference box of the data's variances instead of its ranges
#: (``benchmarks/_leakage_method.py``), a variant the package does not offer.
VARIANCE_BOX = "leakage, variance box"
BASELINE_METHODS = ("gap", "gmm_bic", "prediction_strength")
N_SAMPLES = 600


def structureless(shape: str, dim: int, elongation: float, seed: int) -> np.ndarray:
    """One elongated structureless shape, turned at random, then standardized."""
    rng = np.random.default_rng(seed)
    axes = np.ones(dim)
    axes[0] = elongation
    if shape == "uniform box":
        X = rng.uniform(-0.5, 0.5, (N_SAMPLES, dim)) * axes
    else:
        X = rng.normal(size=(N_SAMPLES, dim)) * axes
    rotation = special_ortho_group.rvs(dim, random_state=seed)
    return StandardScaler().fit_transform(X @ rotation)


def _answers(shape: str, dim: int, elongation: float, seed: int) -> list[dict]:
    X = structureless(shape, dim, elongation, seed)
    case = {"shape": shape, "dimensions": dim, "elongation": elongation, "seed": seed}
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = select_n_clusters(
            X, KMeans(n_init=10, random_state=seed), CANDIDATES, random_state=seed
        )
        cv = search.cv_results_
        ks = np.asarray(cv["param_clusterer__n_clusters"], dtype=int)
        mean, error = _metric(cv, "reproducibility")
        passes = (ks > 1) & reaches_level(mean, error)
        reproducible = [int(k) for k in ks[passes]]
        margins = reference_margins(cv)
        rows = [
            {
                **case,
                "method": RULE,
                "chosen_k": int(search.best_params_["clusterer__n_clusters"]),
                "reproducible_k": " ".join(map(str, reproducible)) or "-",
                "k2_margin_a": float(margins[list(ks).index(2)]),
            }
        ]
        with reference_box("variance"):
            variant = select_n_clusters(
                X, KMeans(n_init=10, random_state=seed), CANDIDATES, random_state=seed
            )
        chosen = variant.best_params_["clusterer__n_clusters"]
        rows.append({**case, "method": VARIANCE_BOX, "chosen_k": int(chosen)})
        rows += baseline_rows(case, BASELINE_METHODS, X, "kmeans", CANDIDATES, seed)
    return rows


def summarize(results: pd.DataFrame) -> pd.DataFrame:
    """Answers of 1 per shape and dimension, and in all, for each method."""
    ones = results.assign(one=results["chosen_k"] == 1)
    methods = [RULE, VARIANCE_BOX, *BASELINE_METHODS]
    groups = [
        (
            f"{shape}, {dim} dimensions",
            (ones["shape"] == shape) & (ones["dimensions"] == dim),
        )
        for shape in SHAPES
        for dim in DIMENSIONS
    ]
    groups += [(f"{shape}, all", ones["shape"] == shape) for shape in SHAPES]
    groups.append(("all", pd.Series(True, index=ones.index)))
    rows = []
    for label, mask in groups:
        counts = ones[mask].groupby("method")["one"].agg(["sum", "size"])
        row = {"data": label, "runs": int(counts["size"].iloc[0])}
        row.update({method: int(counts.loc[method, "sum"]) for method in methods})
        rows.append(row)
    return pd.DataFrame(rows)


def box_extents(dim: int = 5, n_draws: int = 20) -> pd.DataFrame:
    """How far a uniform box reaches along estimated and along true axes.

    Sides 1 to 3 (geometric), turned at random, not standardized, 300 points
    (a training half of this script's data sets): the extent of the points
    along each axis over the side it measures, mean over ``n_draws`` draws.
    """
    sides = np.geomspace(1.0, 3.0, dim)[::-1]
    along_estimated, along_true = [], []
    for seed in range(n_draws):
        rng = np.random.default_rng(seed)
        box = rng.uniform(-0.5, 0.5, (N_SAMPLES // 2, dim)) * sides
        along_true.append(np.ptp(box, axis=0) / sides)
        turned = box @ special_ortho_group.rvs(dim, random_state=seed)
        centred = turned - turned.mean(axis=0)
        axes = np.linalg.svd(centred, full_matrices=False)[2]
        along_estimated.append(np.ptp(centred @ axes.T, axis=0) / sides)
    return pd.DataFrame(
        {
            "side": sides,
            "extent / side, estimated axes": np.mean(along_estimated, axis=0),
            "extent / side, true axes": np.mean(along_true, axis=0),
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    tasks = [
        (shape, dim, elongation, seed)
        for shape in SHAPES
        for dim in DIMENSIONS
        for elongation in ELONGATIONS
        for seed in SEEDS
    ]
    print(f"null_shapes: {len(tasks)} data sets", file=sys.stderr)
    answers = Parallel(n_jobs=args.n_jobs)(delayed(_answers)(*task) for task in tasks)
    results = pd.DataFrame([row for rows in answers for row in rows])
    table = summarize(results)
    rule = results[results["method"] == RULE]
    columns = ["shape", "dimensions", "elongation", "seed", "chosen_k"]
    wrong = rule.loc[rule["chosen_k"] != 1, [*columns, "reproducible_k", "k2_margin_a"]]
    text = [
        "# Structureless data whose 2-cluster cut reproduces",
        "",
        environment_header(),
        f"- wall time: {(time.perf_counter() - start) / 60:.1f} min with "
        f"--n-jobs {args.n_jobs}",
        f"- command: `python benchmarks/null_shapes.py {' '.join(sys.argv[1:])}`",
        "",
        "Elongated uniform boxes and Gaussians (see the script's docstring), "
        "turned at random and standardized; k = 1..8, seeds 0, 1, 2. Cells: "
        "runs answered 1 (the right answer on every one of them).",
        "",
        markdown_table(table),
        "",
        "## The rule's other answers",
        "",
        "`reproducible_k`: the candidates above 1 that pass step 1; "
        "`k2_margin_a`: test (a)'s margin at k = 2 (positive passes).",
        "",
        markdown_table(wrong) if len(wrong) else "None.",
        "",
        "## Why: a box along estimated axes is wider than the box",
        "",
        "A uniform box in 5 dimensions, sides 1 to 3, turned at random and not "
        "standardized, 300 points, 20 draws: how far the points reach along the "
        "principal axes estimated from them, and along the box's own axes, over "
        "the side (longest first). The reference box of the rule and of the gap "
        "statistic takes the first; beyond 1, it is wider than the data.",
        "",
        markdown_table(box_extents()),
        "",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "null_shapes.md").write_text("\n".join(text))
    results.to_csv(RESULTS / "null_shapes.csv", index=False)
    print("null_shapes: wrote", RESULTS / "null_shapes.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
