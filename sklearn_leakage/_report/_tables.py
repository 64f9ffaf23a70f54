"""The tables of a LeakageReport, computed once from labels and probabilities."""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from sklearn_leakage._merge import symmetric_leakage
from sklearn_leakage._metrics import expected_leakage, total_leakage
from sklearn_leakage._report._format import format_percent
from sklearn_leakage._stats import (
    GRID_VALUES,
    LeakageTestResult,
    leakage_test_grid,
    pairwise_leakage_test,
    proportion_ci,
    total_leakage_test,
)

__all__ = ["ReportTables", "build_tables", "pair_tables"]


class ReportTables(NamedTuple):
    """Every table of a report, and the total test the summary reads."""

    clusters: pd.DataFrame
    probe_scores: pd.DataFrame
    probe: pd.DataFrame
    pairs: pd.DataFrame
    merge_candidates: pd.DataFrame
    total_test: LeakageTestResult
    totals: pd.DataFrame
    test_grid: pd.DataFrame
    samples: pd.DataFrame | None


def build_tables(report, codes, include_samples) -> ReportTables:
    """The tables of ``report`` (its inputs and settings) for cluster codes ``codes``.

    The report's own threshold and level are added to the grid's rows and columns
    when missing, so that the grid shows the test the report made.
    """
    proba, classes = report.proba, report.classes
    n_samples, n_clusters = proba.shape
    index = np.arange(n_clusters)
    threshold = report.detection_threshold
    support = np.bincount(codes, minlength=n_clusters)

    # Per-point quantities; proba is copied once so the caller's array is
    # never written to.
    rows = np.arange(n_samples)
    own = proba[rows, codes].astype(np.float64)
    others = proba.astype(np.float64, copy=True)
    others[rows, codes] = -np.inf
    predicted = np.argmax(proba, axis=1)
    if n_clusters > 1:
        other_code = np.argmax(others, axis=1)
        max_other = others[rows, other_code]
        most_likely_other = classes[other_code]
    else:
        max_other = np.zeros(n_samples)
        most_likely_other = np.full(n_samples, None, dtype=object)
    leaks = max_other >= threshold
    correct = predicted == codes

    share = total_leakage(
        codes,
        proba,
        classes=index,
        detection_threshold=threshold,
        average=None,
    )
    leaking = np.rint(share * support).astype(np.int64)
    low, high = proportion_ci(leaking, support, report.confidence_level)
    precision, recall, f1, _ = precision_recall_fscore_support(
        codes, predicted, labels=index, zero_division=0.0
    )
    leaky_recall = np.bincount(
        codes, weights=correct & ~leaks, minlength=n_clusters
    ) / np.maximum(support, 1)
    expected = expected_leakage(codes, proba, classes=index, average=None)
    # A cluster of classes with no point has no share of anything: the metric
    # functions count it 0 (and leave it out of their averages), which a
    # table would show as "0.0%", no leakage and a probe that never finds it.
    empty = support == 0
    clusters = pd.DataFrame(
        {
            "cluster": classes,
            "support": support,
            "leaking": leaking,
            "leakage": np.where(empty, np.nan, share),
            "ci_low": low,
            "ci_high": high,
            "expected_leakage": np.where(empty, np.nan, expected),
            "recall": np.where(empty, np.nan, recall),
            "leaky_recall": np.where(empty, np.nan, leaky_recall),
        }
    )
    # 0/0 is no score: recall and F1 of a cluster without points, precision
    # of one the probe predicts no point into (scikit-learn writes them 0).
    never_predicted = np.bincount(predicted, minlength=n_clusters) == 0
    probe_scores = pd.DataFrame(
        {
            "cluster": classes,
            "precision": np.where(never_predicted, np.nan, precision),
            "recall": np.where(empty, np.nan, recall),
            "f1": np.where(empty & never_predicted, np.nan, f1),
            "support": support,
        }
    )
    with warnings.catch_warnings():
        # One cluster asks for a 1x1 matrix, which scikit-learn warns about
        # although labels= gives it its shape.
        warnings.filterwarnings("ignore", message="A single label was found")
        matrix = confusion_matrix(codes, predicted, labels=index)
    probe = pd.DataFrame(
        matrix,
        index=pd.Index(classes, name="cluster"),
        columns=pd.Index(classes, name="predicted"),
    )

    pairs, merge_candidates = pair_tables(report, codes)

    total = total_leakage_test(
        codes,
        proba,
        classes=index,
        detection_threshold=threshold,
        comparison_value=report.leakage_level,
        confidence_level=report.confidence_level,
    )
    totals = pd.DataFrame(
        {
            "n_samples": [n_samples],
            "n_clusters": [n_clusters],
            "leaking": [total.count],
            "total_leakage": [total.statistic],
            "ci_low": [total.ci.low],
            "ci_high": [total.ci.high],
            "leakage_level": [report.leakage_level],
            "p_value": [total.pvalue],
            "expected_leakage": [expected_leakage(codes, proba, classes=index)],
            "probe_accuracy": [float(np.mean(correct))],
            "noise_share": [report.noise_share],
            "detection_threshold": [threshold],
        }
    )

    # The report's threshold is computed as given and labelled as written: a
    # float32 0.05 (0.0500000007) is the row 0.05, as the summary and the
    # workbook print it, in the place of the grid's own 0.05.
    label = report._threshold_as_written
    grid_thresholds = sorted(
        {value for value in GRID_VALUES if value != label} | {threshold}
    )
    grid_values = sorted({*GRID_VALUES, report.leakage_level})
    test_grid = leakage_test_grid(
        codes,
        proba,
        classes=index,
        detection_thresholds=grid_thresholds,
        comparison_values=grid_values,
    )
    if label != threshold:
        test_grid = test_grid.rename(index={threshold: label})

    samples = None
    if include_samples:
        samples = pd.DataFrame(
            {
                "id": report.ids,
                "cluster": classes[codes],
                "own_proba": own,
                "max_other_proba": max_other,
                "most_likely_other": most_likely_other,
                "leaks": leaks,
            }
        )
    return ReportTables(
        clusters=clusters,
        probe_scores=probe_scores,
        probe=probe,
        pairs=pairs,
        merge_candidates=merge_candidates,
        total_test=total,
        totals=totals,
        test_grid=test_grid,
        samples=samples,
    )


def pair_tables(report, codes) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``pairs`` and ``merge_candidates`` tables, from the pairwise tests."""
    classes = report.classes
    n_clusters = classes.shape[0]
    result = pairwise_leakage_test(
        codes,
        report.proba,
        classes=np.arange(n_clusters),
        detection_threshold=report.detection_threshold,
        comparison_value=report.leakage_level,
        method=report.method,
        confidence_level=report.confidence_level,
    )
    source, target = np.nonzero((result.count > 0) & ~np.eye(n_clusters, dtype=bool))
    pairs = pd.DataFrame(
        {
            "source": classes[source],
            "target": classes[target],
            "leakage": result.statistic[source, target],
            "count": result.count[source, target],
            "support": result.n[source],
            "ci_low": result.ci.low[source, target],
            "ci_high": result.ci.high[source, target],
            "p_value": result.pvalue[source, target],
            "p_adjusted": result.pvalue_adjusted[source, target],
        }
    )
    pairs["sentence"] = [
        f"cluster {s} leaks into cluster {t}: {format_percent(share)} ({c} of {n})"
        for s, t, share, c, n in zip(
            pairs["source"],
            pairs["target"],
            pairs["leakage"],
            pairs["count"],
            pairs["support"],
            strict=True,
        )
    ]
    pairs = pairs.sort_values(
        ["leakage", "count"], ascending=False, kind="stable"
    ).reset_index(drop=True)

    matrix = result.statistic
    sym = symmetric_leakage(matrix)
    a, b = np.nonzero(np.triu(sym > report.leakage_level, k=1))
    candidates = pd.DataFrame(
        {
            "cluster_a": classes[a],
            "cluster_b": classes[b],
            "leakage_ab": matrix[a, b],
            "leakage_ba": matrix[b, a],
            "symmetric_leakage": sym[a, b],
        }
    )
    candidates = candidates.sort_values(
        "symmetric_leakage", ascending=False, kind="stable"
    ).reset_index(drop=True)
    return pairs, candidates
