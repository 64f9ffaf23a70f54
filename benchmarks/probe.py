"""Measure candidate probe classifiers: calibration, flexibility, speed.

The probe must measure the clusters, not its own weakness. For each candidate this
script reports, out-of-fold (5 stratified shuffled folds):

* on standardized iris with the true species: setosa's leakage into versicolor
  and virginica at detection threshold 0.05 (setosa is linearly separable, so a
  good probe shows ~0), versicolor <-> virginica leakage (they overlap), log loss;
* on two moons (non-convex, true labels): accuracy and log loss;
* on 20-D Gaussian blobs (k=10) with 20,000 rows: seconds for one fit.

Usage: ``python benchmarks/probe.py [--quick]``; writes ``results/probe.md`` and
``results/probe.csv``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _env import environment_header, markdown_table
from sklearn.datasets import load_iris, make_blobs, make_moons
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.kernel_approximation import RBFSampler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_leakage import leakage_matrix


def candidates():
    def logistic(C):
        return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000))

    return {
        "logistic C=1": logistic(1.0),
        "logistic C=10": logistic(10.0),
        "logistic C=100 (default, centroid clusterers)": logistic(100.0),
        "logistic C=1000": logistic(1000.0),
        "hist gradient boosting": HistGradientBoostingClassifier(random_state=0),
        "15 nearest neighbours": make_pipeline(
            StandardScaler(), KNeighborsClassifier(15)
        ),
        "5 distance-weighted neighbours (default, curved boundaries)": make_pipeline(
            StandardScaler(), KNeighborsClassifier(5, weights="distance")
        ),
        "leakyblobs (100 RBF features + logistic C=1)": make_pipeline(
            RBFSampler(n_components=100, random_state=0),
            LogisticRegression(C=1.0, max_iter=2000),
        ),
    }


def oof(classifier, X, y):
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    return cross_val_predict(classifier, X, y, cv=folds, method="predict_proba")


def log_loss(y, proba):
    return float(-np.mean(np.log(np.clip(proba[np.arange(len(y)), y], 1e-15, 1))))


def measure(name, classifier, n_speed):
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    proba = oof(classifier, X, y)
    matrix = leakage_matrix(y, proba, detection_threshold=0.05)
    Xm, ym = make_moons(600, noise=0.1, random_state=0)
    proba_m = oof(classifier, Xm, ym)
    Xs, ys = make_blobs(n_speed, n_features=20, centers=10, random_state=0)
    start = time.perf_counter()
    classifier.fit(Xs, ys)
    seconds = time.perf_counter() - start
    return {
        "probe": name,
        "setosa->versicolor": matrix[0, 1],
        "setosa->virginica": matrix[0, 2],
        "versicolor->virginica": matrix[1, 2],
        "virginica->versicolor": matrix[2, 1],
        "iris log loss": log_loss(y, proba),
        "moons accuracy": float(np.mean(proba_m.argmax(1) == ym)),
        "moons log loss": log_loss(ym, proba_m),
        f"fit seconds (n={n_speed})": seconds,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 rows for speed")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = parser.parse_args(argv)
    n_speed = 5_000 if args.quick else 20_000
    rows = [measure(name, clf, n_speed) for name, clf in candidates().items()]
    table = pd.DataFrame(rows)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "probe.csv", index=False)
    text = [
        "# Probe classifier candidates",
        "",
        environment_header(),
        "",
        "Out-of-fold (5 stratified shuffled folds). Iris columns: share of the "
        "first species' points with probability >= 0.05 on the second. Lower "
        "setosa leakage and lower log loss are better.",
        "",
        markdown_table(table),
        "",
    ]
    (out / "probe.md").write_text("\n".join(text))
    print("\n".join(text))


if __name__ == "__main__":
    main()
