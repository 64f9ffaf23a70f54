"""Why does the rule answer 1 on the held-out battery?

``refit_n_clusters`` answers 1, "no cluster structure", when no candidate of
2 or more clusters passes both steps. On the held-out battery
(``benchmarks/_holdout_battery.py``) it does so on most data sets, and this
script says which step stops the smallest partition, k = 2, on each. It runs
the default search of ``benchmarks/k_selection.py`` (``select_n_clusters``
with the data set's candidates) once per data set at one seed and reads its
``cv_results_``:

* step 1: the worst cluster's mean agreement at k = 2 less one standard
  error, and whether it reaches 0.8;
* test (a): its margin (positive passes) and the dispersion and separation
  gains of the data and of the uniform reference at k = 2;
* test (b): its margin (negative vetoes);
* the answer, and which step stopped k = 2 when the answer is 1.

Writes ``results/answers_of_one.md`` and ``.csv``.

    python benchmarks/answers_of_one.py --n-jobs 2
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
from threadpoolctl import threadpool_limits  # noqa: E402

from benchmarks._env import environment_header, markdown_table  # noqa: E402
from benchmarks._holdout_battery import make_holdout_battery  # noqa: E402
from benchmarks._leakage_method import leakage_search  # noqa: E402
from benchmarks.k_selection import candidate_ks  # noqa: E402
from sklearn_leakage._selection import (  # noqa: E402
    _metric,
    boundary_margins,
    reaches_level,
    reference_margins,
)

RESULTS = _ROOT / "benchmarks" / "results"


def _why(dataset, seed) -> dict:
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = leakage_search(
            dataset.X, dataset.clusterer, candidate_ks(dataset), seed
        )
    cv = search.cv_results_
    ks = list(cv["param_clusterer__n_clusters"])
    two = ks.index(2)
    mean, std_error = _metric(cv, "reproducibility")
    reproduces = bool(reaches_level(mean, std_error)[two])
    margin_a = float(reference_margins(cv)[two])
    margin_b = float(boundary_margins(cv)[two])
    chosen = int(search.best_params_["clusterer__n_clusters"])
    if chosen != 1:
        stopped = ""
    elif not reproduces:
        stopped = "step 1"
    elif not margin_a > 0:
        stopped = "test (a)"
    else:
        stopped = "test (b)"

    def mean_of(name):
        return float(cv[f"mean_test_{name}"][two])

    return {
        "dataset": dataset.name,
        "true_k": dataset.n_clusters,
        "chosen_k": chosen,
        "k2_reproducibility_less_se": float(mean[two] - std_error[two]),
        "k2_reproduces": reproduces,
        "k2_margin_a": margin_a,
        "k2_margin_b": margin_b,
        "k2_dispersion_gain": mean_of("dispersion_gain"),
        "k2_reference_dispersion_gain": mean_of("reference_dispersion_gain"),
        "k2_separation_gain": mean_of("separation_gain"),
        "k2_reference_separation_gain": mean_of("reference_separation_gain"),
        "k2_stopped_by": stopped,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--random-state", type=int, default=0)
    args = parser.parse_args(argv)
    datasets = make_holdout_battery(0)
    start = time.perf_counter()
    rows = Parallel(n_jobs=args.n_jobs)(
        delayed(_why)(dataset, args.random_state) for dataset in datasets
    )
    wall = time.perf_counter() - start
    table = pd.DataFrame(rows)
    ones = table[table["chosen_k"] == 1]
    counts = ones["k2_stopped_by"].value_counts()
    summary = (
        f"The rule answers 1 on {len(ones)} of the {len(table)} data sets. What "
        "stops k = 2 there: "
        + ", ".join(f"{step} on {count}" for step, count in counts.items())
        + ". Step 1 of those it stops: the worst cluster's agreement at k = 2, "
        "less one standard error, runs from "
        f"{_range(ones, 'step 1', 'k2_reproducibility_less_se')}. Test (a) "
        "compares the gains of the data with those of the uniform reference "
        "box (positive margin passes)."
    )
    lines = [
        "# Why the rule answers 1 on the held-out battery",
        "",
        environment_header(),
        f"- wall time: {wall / 60:.1f} min with --n-jobs {args.n_jobs}; "
        f"random_state={args.random_state}",
        f"- command: `python benchmarks/answers_of_one.py {' '.join(sys.argv[1:])}`",
        "",
        summary,
        "",
        markdown_table(table, floatfmt=".3f"),
        "",
    ]
    (RESULTS / "answers_of_one.md").write_text("\n".join(lines))
    table.to_csv(RESULTS / "answers_of_one.csv", index=False)
    print(summary)
    return 0


def _range(ones: pd.DataFrame, step: str, column: str) -> str:
    values = ones.loc[ones["k2_stopped_by"] == step, column]
    if values.empty:
        return "no data set"
    return f"{np.min(values):.2f} to {np.max(values):.2f}"


if __name__ == "__main__":
    sys.exit(main())
