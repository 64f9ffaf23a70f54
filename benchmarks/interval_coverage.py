"""How well the exact binomial interval covers a clustering's leakage share.

``total_leakage_test`` treats the scored points as independent coin flips
given the out-of-fold probabilities. This script measures what that model
leaves out. For each sample size it draws many data sets from one
distribution (two unit Gaussian clusters in 2-D, centres 2.5 apart, equal
sizes), labels each with ``KMeans(2)`` (a clustering's labels) or with the
component each point was drawn from (given labels that overlap, as classes of
real data do), computes ``cross_val_proba`` of the labels (5 folds, the
default probe) and the Clopper-Pearson interval of the total leakage share at
detection threshold 0.05. The target is the share the procedure gives on
average over data sets, estimated by the mean over the draws.

It reports:

* the coverage of the nominal 95% interval of that target;
* the variance of the leaking count over data sets, over its binomial
  variance ``n q (1 - q)``;
* the spread that another ``random_state`` (other folds, on the same data)
  gives, against the spread over data sets;
* a resampling check a user can run on one data set: the share on random
  halves of the rows (each half clustered and probed on its own), whose
  standard deviation over 8 halves, divided by sqrt(2) (a half has half the
  rows), estimates the spread over data sets; and the coverage of the
  interval ``share +- 1.96`` times that estimate.

Usage: ``python benchmarks/interval_coverage.py [--quick]``; writes
``results/interval_coverage.md`` and ``.csv``.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from _env import environment_header, markdown_table
from sklearn.cluster import KMeans

from sklearn_leakage import cross_val_proba, total_leakage, total_leakage_test

DETECTION_THRESHOLD = 0.05
N_HALVES = 8
N_FOLD_SEEDS = 20


def draw(n_samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two unit Gaussian clusters in 2-D, centres 2.5 apart, and components."""
    rng = np.random.default_rng(seed)
    component = np.repeat([0, 1], n_samples // 2)
    return 2.5 * component[:, None] * [1.0, 0.0] + rng.standard_normal(
        (n_samples, 2)
    ), component


def label(X, component, labels: str, seed: int) -> np.ndarray:
    if labels == "components":
        return component
    return KMeans(2, n_init=10, random_state=seed).fit_predict(X)


def leaking_share(X, component, labels: str, seed: int):
    """The labels of X, their out-of-fold probabilities and leaking share."""
    y = label(X, component, labels, seed)
    proba = cross_val_proba(X, y, random_state=seed)
    return total_leakage(y, proba), y, proba


def halves_spread(X, component, labels: str, seed: int) -> float:
    """Standard deviation of the share over random halves, over sqrt(2)."""
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    shares = []
    for i in range(N_HALVES):
        half = rng.permutation(n)[: n // 2]
        shares.append(leaking_share(X[half], component[half], labels, seed + i)[0])
    return float(np.std(shares, ddof=1) / np.sqrt(2))


def run(n_samples: int, labels: str, n_draws: int) -> dict:
    shares, lows, highs, spreads = [], [], [], []
    for seed in range(n_draws):
        X, component = draw(n_samples, seed)
        share, y, proba = leaking_share(X, component, labels, seed)
        test = total_leakage_test(y, proba, detection_threshold=DETECTION_THRESHOLD)
        shares.append(share)
        lows.append(test.ci.low)
        highs.append(test.ci.high)
        spreads.append(halves_spread(X, component, labels, 10_000 + seed))
    shares, lows, highs, spreads = map(np.asarray, (shares, lows, highs, spreads))
    target = shares.mean()
    across = shares.std(ddof=1)
    # Other folds on one data set: what rerunning with another random_state
    # shows.
    X, component = draw(n_samples, 0)
    y = label(X, component, labels, 0)
    by_fold_seed = [
        total_leakage(y, cross_val_proba(X, y, random_state=seed))
        for seed in range(N_FOLD_SEEDS)
    ]
    binomial_sd = np.sqrt(target * (1 - target) / n_samples)
    return {
        "labels": labels,
        "n_samples": n_samples,
        "data_sets": n_draws,
        "mean_share": target,
        "clopper_pearson_coverage": np.mean((lows <= target) & (target <= highs)),
        "variance_ratio": across**2 / binomial_sd**2,
        "sd_over_data_sets": across,
        "binomial_sd": binomial_sd,
        "sd_over_fold_seeds": float(np.std(by_fold_seed, ddof=1)),
        "halves_sd_estimate_median": float(np.median(spreads)),
        "halves_interval_coverage": np.mean(np.abs(shares - target) <= 1.96 * spreads),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 draws per size")
    parser.add_argument(
        "--out",
        default=str(Path(__file__).resolve().parent / "results"),
        help="output directory (default benchmarks/results)",
    )
    args = parser.parse_args(argv)
    n_draws = 40 if args.quick else 200
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = [
            run(n, labels, n_draws)
            for labels in ("kmeans", "components")
            for n in (200, 1000)
        ]
    wall = time.perf_counter() - start
    table = pd.DataFrame(rows)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = "interval_coverage_quick" if args.quick else "interval_coverage"
    table.to_csv(out / f"{stem}.csv", index=False, float_format="%.4g")
    text = f"""# Coverage of the exact interval of the total leakage

{environment_header()}
- wall time: {wall / 60:.1f} min
- command: `python benchmarks/interval_coverage.py{" --quick" if args.quick else ""}`

Each data set: two unit Gaussian clusters in 2-D, centres 2.5 apart, equal
sizes, labelled by `KMeans(2)` (`kmeans`) or by the component each point was
drawn from (`components`); `cross_val_proba` (5 folds, default probe);
total leakage at detection threshold {DETECTION_THRESHOLD}. The target is the
mean share over the data sets. `variance_ratio` is the variance of the share
over data sets divided by the binomial variance `q (1 - q) / n` that the exact
interval assumes. `sd_over_fold_seeds` is the spread of the share over
{N_FOLD_SEEDS} values of `random_state` on one data set.
`halves_sd_estimate_median` is the median, over the data sets, of the standard
deviation of the share on {N_HALVES} random halves divided by sqrt(2);
`halves_interval_coverage` is how often `share +- 1.96` times that estimate
covers the target.

{markdown_table(table, floatfmt=".3f")}
"""
    (out / f"{stem}.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
