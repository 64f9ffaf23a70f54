"""How well the exact binomial interval covers a clustering's leakage share.

``total_leakage_test`` treats the scored points as independent coin flips
given the out-of-fold probabilities. This script measures what that model
leaves out. For each sample size it draws many data sets from one
distribution (``--family two_2d``, the default: two unit Gaussian clusters in
2-D, centres 2.5 apart, equal sizes; ``--family three_5d_unequal``: three in
5-D, 3 apart, with 50%, 30% and 20% of the rows), labels each with k-means of
the family's number of clusters (a clustering's labels) or with the
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
  interval ``share +- 1.96`` times that estimate;
* the bootstrap of the whole procedure, ``total_leakage_interval``: on each
  of ``B`` samples of the rows drawn with replacement, the labels
  (``kmeans``: k-means refitted on the sample; ``kmeans-refit``: the
  same with ``mode="refit"``, k-means refitted on each training fold too, as
  ``LeakageScore`` does, whose ``total_leakage_`` is then the share;
  ``components``: the given labels, which travel with their rows), the
  out-of-fold probabilities
  with folds grouped by original row (the copies of a row are all held out
  together, never trained on while one of them is scored) and the share; from
  the ``B`` shares, the percentile interval, the basic ("reverse
  percentile") interval and the normal interval (the function's default,
  ``share +- 1.96`` times their standard deviation, clipped to [0, 1]), and
  how often each covers the target.

Usage: ``python benchmarks/interval_coverage.py [--quick] [--family F]``;
writes ``results/interval_coverage.md`` and ``.csv`` (the default family) or
``results/interval_coverage_three_5d.md`` and ``.csv``.
"""

from __future__ import annotations

import argparse
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from _env import environment_header, markdown_table
from joblib import Parallel, delayed
from sklearn.cluster import KMeans

from sklearn_leakage import (
    LeakageScore,
    cross_val_proba,
    total_leakage,
    total_leakage_interval,
    total_leakage_test,
)

DETECTION_THRESHOLD = 0.05
N_HALVES = 8
N_FOLD_SEEDS = 20
LEVEL = 0.95
N_JOBS = 2
N_RESAMPLES = 100
N_BOOTSTRAP_DRAWS = 120
N_RESAMPLES_QUICK = 50


@dataclass(frozen=True)
class Family:
    """Gaussian clusters with unit variance: their centres and shares of rows."""

    centres: tuple[tuple[float, ...], ...]
    weights: tuple[float, ...]
    description: str
    stem: str

    @property
    def n_clusters(self) -> int:
        return len(self.weights)

    def kmeans(self, random_state=None) -> KMeans:
        """The k-means that labels this family's data sets, 10 starts."""
        return KMeans(self.n_clusters, n_init=10, random_state=random_state)


# Equilateral triangle of side 3 in the first two of five coordinates.
_TRIANGLE = tuple(
    (3 / np.sqrt(3) * np.cos(a), 3 / np.sqrt(3) * np.sin(a), 0.0, 0.0, 0.0)
    for a in (np.pi / 2, np.pi / 2 + 2 * np.pi / 3, np.pi / 2 + 4 * np.pi / 3)
)

FAMILIES = {
    "two_2d": Family(
        centres=((0.0, 0.0), (2.5, 0.0)),
        weights=(0.5, 0.5),
        description="two unit Gaussian clusters in 2-D, centres 2.5 apart, equal sizes",
        stem="interval_coverage",
    ),
    # Another number of clusters, more dimensions than the clusters span, and
    # unequal sizes: what the first family holds fixed.
    "three_5d_unequal": Family(
        centres=_TRIANGLE,
        weights=(0.5, 0.3, 0.2),
        description=(
            "three unit Gaussian clusters in 5-D, centres at the corners of an "
            "equilateral triangle of side 3 in two of the coordinates, with "
            "50%, 30% and 20% of the rows"
        ),
        stem="interval_coverage_three_5d",
    ),
}


def draw(family: Family, n_samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A data set of ``family`` and the component each row was drawn from."""
    rng = np.random.default_rng(seed)
    sizes = np.round(n_samples * np.asarray(family.weights)).astype(int)
    sizes[0] += n_samples - sizes.sum()
    component = np.repeat(np.arange(family.n_clusters), sizes)
    centres = np.asarray(family.centres)
    return centres[component] + rng.standard_normal(
        (n_samples, centres.shape[1])
    ), component


def label(family: Family, X, component, labels: str, seed: int) -> np.ndarray:
    if labels == "components":
        return component
    return family.kmeans(seed).fit_predict(X)


def leaking_share(family: Family, X, component, labels: str, seed: int):
    """The labels of X, their out-of-fold probabilities and leaking share.

    ``kmeans-refit``: the share LeakageScore reports (its default
    mode="refit": k-means refitted on each training fold too).
    """
    if labels == "kmeans-refit":
        est = LeakageScore(family.kmeans(seed), random_state=seed).fit(X)
        return est.total_leakage_, est.labels_, est.oof_proba_
    y = label(family, X, component, labels, seed)
    proba = cross_val_proba(X, y, random_state=seed)
    return total_leakage(y, proba), y, proba


def halves_spread(family: Family, X, component, labels: str, seed: int) -> float:
    """Standard deviation of the share over random halves, over sqrt(2)."""
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    shares = []
    for i in range(N_HALVES):
        half = rng.permutation(n)[: n // 2]
        shares.append(
            leaking_share(family, X[half], component[half], labels, seed + i)[0]
        )
    return float(np.std(shares, ddof=1) / np.sqrt(2))


def bootstrap(family: Family, X, component, labels: str, seed: int, n_resamples: int):
    """``total_leakage_interval`` of the labels, or of k-means refitted."""
    if labels == "components":
        source = {"labels": component}
    elif labels == "kmeans":
        source = {"clusterer": family.kmeans()}
    else:
        source = {"clusterer": family.kmeans(), "mode": "refit"}
    return total_leakage_interval(
        X,
        **source,
        detection_threshold=DETECTION_THRESHOLD,
        confidence_level=LEVEL,
        method="normal",
        n_resamples=n_resamples,
        random_state=seed,
    )


def one_data_set(
    family: Family, n_samples: int, labels: str, seed: int, n_resamples: int
) -> dict:
    """Every interval on one drawn data set."""
    with warnings.catch_warnings():
        # In the worker process: the parent's filter does not reach it.
        warnings.simplefilter("ignore")
        return _one_data_set(family, n_samples, labels, seed, n_resamples)


def _one_data_set(
    family: Family, n_samples: int, labels: str, seed: int, n_resamples: int
) -> dict:
    X, component = draw(family, n_samples, seed)
    share, y, proba = leaking_share(family, X, component, labels, seed)
    test = total_leakage_test(
        y, proba, detection_threshold=DETECTION_THRESHOLD, confidence_level=LEVEL
    )
    result = {
        "share": share,
        "cp": (test.ci.low, test.ci.high),
        "halves_sd": halves_spread(family, X, component, labels, 10_000 + seed),
    }
    if not n_resamples:
        return result
    boot = bootstrap(family, X, component, labels, 20_000 + seed, n_resamples)
    shares = boot.bootstrap_distribution
    alpha = 1 - LEVEL
    q_low, q_high = np.quantile(shares, [alpha / 2, 1 - alpha / 2])
    return result | {
        "percentile": (q_low, q_high),
        "basic": (2 * boot.statistic - q_high, 2 * boot.statistic - q_low),
        "normal": tuple(boot.ci),
        "boot_sd": boot.standard_error,
        "boot_bias": shares.mean() - boot.statistic,
    }


def covers(intervals, target) -> float:
    intervals = np.asarray(intervals)
    return float(np.mean((intervals[:, 0] <= target) & (target <= intervals[:, 1])))


def run(
    family: Family,
    n_samples: int,
    labels: str,
    n_draws: int,
    n_boot_draws: int,
    n_resamples: int,
):
    # The bootstrap, a hundred times the cost of the rest, runs on the first
    # n_boot_draws data sets only.
    results = Parallel(n_jobs=N_JOBS)(
        delayed(one_data_set)(
            family, n_samples, labels, seed, n_resamples if seed < n_boot_draws else 0
        )
        for seed in range(n_draws)
    )
    shares = np.array([r["share"] for r in results])
    spreads = np.array([r["halves_sd"] for r in results])
    target = shares.mean()
    across = shares.std(ddof=1)
    # Other folds on one data set: what rerunning with another random_state
    # shows.
    X, component = draw(family, n_samples, 0)
    y = label(family, X, component, labels, 0)
    if labels == "kmeans-refit":
        by_fold_seed = [
            LeakageScore(
                family.kmeans(0),
                random_state=seed,
            )
            .fit(X)
            .total_leakage_
            for seed in range(N_FOLD_SEEDS)
        ]
    else:
        by_fold_seed = [
            total_leakage(y, cross_val_proba(X, y, random_state=seed))
            for seed in range(N_FOLD_SEEDS)
        ]
    binomial_sd = np.sqrt(target * (1 - target) / n_samples)
    boot = results[:n_boot_draws]
    return {
        "labels": labels,
        "n_samples": n_samples,
        "data_sets": n_draws,
        "mean_share": target,
        "clopper_pearson_coverage": covers([r["cp"] for r in results], target),
        "variance_ratio": across**2 / binomial_sd**2,
        "sd_over_data_sets": across,
        "binomial_sd": binomial_sd,
        "sd_over_fold_seeds": float(np.std(by_fold_seed, ddof=1)),
        "halves_sd_estimate_median": float(np.median(spreads)),
        "halves_interval_coverage": np.mean(np.abs(shares - target) <= 1.96 * spreads),
        "bootstrap_data_sets": n_boot_draws,
        "bootstrap_sd_median": float(np.median([r["boot_sd"] for r in boot])),
        "bootstrap_bias_mean": float(np.mean([r["boot_bias"] for r in boot])),
        "percentile_coverage": covers([r["percentile"] for r in boot], target),
        "basic_coverage": covers([r["basic"] for r in boot], target),
        "normal_coverage": covers([r["normal"] for r in boot], target),
        "clopper_pearson_width_median": float(
            np.median([np.diff(r["cp"])[0] for r in results])
        ),
        "percentile_width_median": float(
            np.median([np.diff(r["percentile"])[0] for r in boot])
        ),
        "normal_width_median": float(
            np.median([np.diff(r["normal"])[0] for r in boot])
        ),
    }


EXACT_COLUMNS = [
    "labels",
    "n_samples",
    "data_sets",
    "mean_share",
    "clopper_pearson_coverage",
    "variance_ratio",
    "sd_over_data_sets",
    "binomial_sd",
    "sd_over_fold_seeds",
    "halves_sd_estimate_median",
    "halves_interval_coverage",
]
BOOTSTRAP_COLUMNS = [
    "labels",
    "n_samples",
    "bootstrap_data_sets",
    "sd_over_data_sets",
    "bootstrap_sd_median",
    "bootstrap_bias_mean",
    "percentile_coverage",
    "basic_coverage",
    "normal_coverage",
    "clopper_pearson_width_median",
    "percentile_width_median",
    "normal_width_median",
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"40 draws per size, 20 bootstrapped with {N_RESAMPLES_QUICK} samples",
    )
    parser.add_argument(
        "--out",
        default=str(Path(__file__).resolve().parent / "results"),
        help="output directory (default benchmarks/results)",
    )
    parser.add_argument(
        "--family",
        choices=sorted(FAMILIES),
        default="two_2d",
        help="the data sets to draw (default two_2d); each family writes its own "
        "results file",
    )
    args = parser.parse_args(argv)
    family = FAMILIES[args.family]
    k = family.n_clusters
    n_draws = 40 if args.quick else 200
    n_boot_draws = 20 if args.quick else N_BOOTSTRAP_DRAWS
    n_resamples = N_RESAMPLES_QUICK if args.quick else N_RESAMPLES
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = [
            run(family, n, labels, n_draws, n_boot_draws, n_resamples)
            for labels in ("kmeans", "components", "kmeans-refit")
            for n in (200, 1000)
        ]
    wall = time.perf_counter() - start
    table = pd.DataFrame(rows)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{family.stem}_quick" if args.quick else family.stem
    command = "python benchmarks/interval_coverage.py" + (
        "" if args.family == "two_2d" else f" --family {args.family}"
    )
    table.to_csv(out / f"{stem}.csv", index=False, float_format="%.4g")
    text = f"""# Coverage of the exact interval of the total leakage

{environment_header()}
- wall time: {wall / 60:.1f} min
- command: `{command}{" --quick" if args.quick else ""}`

Each data set: {family.description}, labelled by `KMeans({k})` (`kmeans`) or
by the component each point was
drawn from (`components`); `cross_val_proba` (5 folds, default probe); for
`kmeans-refit`, `LeakageScore(KMeans({k}))` and its `total_leakage_`, whose
out-of-fold loop refits k-means on each training fold too (`mode="refit"`,
its default);
total leakage at detection threshold {DETECTION_THRESHOLD}. The target is the
mean share over the data sets. `variance_ratio` is the variance of the share
over data sets divided by the binomial variance `q (1 - q) / n` that the exact
interval assumes. `sd_over_fold_seeds` is the spread of the share over
{N_FOLD_SEEDS} values of `random_state` on one data set.
`halves_sd_estimate_median` is the median, over the data sets, of the standard
deviation of the share on {N_HALVES} random halves divided by sqrt(2);
`halves_interval_coverage` is how often `share +- 1.96` times that estimate
covers the target.

{markdown_table(table[EXACT_COLUMNS], floatfmt=".3f")}

## Bootstrap of the whole procedure

`total_leakage_interval` on each of the first {n_boot_draws} data sets of
every row, with `n_resamples={n_resamples}` (`B = {n_resamples}` bootstrap
samples of the rows, drawn with replacement); on each, the labels (`kmeans`:
`KMeans({k})` refitted on the sample; `components`: the given labels,
travelling with their rows; `kmeans-refit`: as `kmeans`, with `mode="refit"`,
k-means refitted on each training fold as well), the out-of-fold
probabilities with the copies of a row all in one fold (stratified folds of
the distinct rows) and the total leakage. With `s` the function's share on
the data set and `q` the quantiles of the {n_resamples} bootstrap shares, the
{LEVEL:.0%} intervals are:
percentile `[q(0.025), q(0.975)]`; basic `[2 s - q(0.975), 2 s - q(0.025)]`;
normal (the function's `ci`, its default `method`) `s +- 1.96 sd` with `sd`
the standard deviation of the bootstrap shares, clipped to [0, 1]. Each
`*_coverage` is how often the interval covers the target (the mean share over
all {n_draws} data sets);
with {n_boot_draws} data sets, a coverage near 0.9 has a standard error of
about {np.sqrt(0.9 * 0.1 / n_boot_draws):.3f}. `bootstrap_bias_mean` is the
mean of (mean bootstrap share - share); widths are medians over the data sets.

{markdown_table(table[BOOTSTRAP_COLUMNS], floatfmt=".3f")}
"""
    (out / f"{stem}.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
