"""Rows a LeakageReport is built on: from a fitted LeakageScore or raw predictions.

Both builders drop the noise points, keep one id per scored point and pass the
rest of the settings through to the report's constructor.
"""

from __future__ import annotations

import copy

import numpy as np

from sklearn_leakage._validation import (
    check_columns_follow_classes,
    check_rows_follow_labels,
    final_step,
    fitted_leakage_score,
    one_dimensional_labels,
    proba_rows_per_label,
    scored_oof_rows,
    unique_labels,
)

__all__ = ["chosen_leakage_score", "report_from_estimator", "report_from_predictions"]


def chosen_leakage_score(search, X=None):
    """The LeakageScore a fitted search chose, with its diagnostics.

    A candidate fitted with ``compute_oof=False`` gets them on a copy, from
    ``X``, so that the user's search is left as it was.
    """
    best = getattr(search, "best_estimator_", None)
    if not hasattr(search, "cv_results_") or best is None:
        raise TypeError(
            f"LeakageReport.from_search needs a fitted GridSearchCV with refit "
            f"(such as the result of select_n_clusters), got "
            f"{type(search).__name__} without best_estimator_."
        )
    estimator = final_step(best)
    if not hasattr(estimator, "_add_diagnostics"):
        raise TypeError(
            f"LeakageReport.from_search: the search's best_estimator_ is a "
            f"{type(estimator).__name__}, not a LeakageScore; search over "
            "LeakageScore(clusterer) (or use select_n_clusters)."
        )
    steps_before = best is not estimator
    if steps_before and X is not None:
        # The LeakageScore of a Pipeline saw X through the steps before it.
        X = best[:-1].transform(X)
    if hasattr(estimator, "oof_proba_"):
        if X is not None:
            # X only names the rows here; rows of other data would be named
            # wrongly without a word.
            estimator._fitted_space(
                X,
                "the data the search was fitted on",
                steps_before=steps_before,
                stacklevel=5,
            )
        return estimator
    if X is None:
        raise ValueError(
            "LeakageReport.from_search: the chosen candidate was fitted with "
            "compute_oof=False and has no out-of-fold diagnostics; pass X=, the "
            "data the search was fitted on, to compute them."
        )
    return copy.deepcopy(estimator)._add_diagnostics(
        X, "the data the search was fitted on", steps_before=steps_before
    )


def report_from_estimator(cls, estimator, *, detection_threshold, ids, **kwargs):
    """A report on the scored rows of a fitted LeakageScore, noise left out."""
    estimator = fitted_leakage_score(estimator, "LeakageReport.from_estimator")
    labels, proba, classes, rows = scored_oof_rows(
        estimator, "LeakageReport.from_estimator", "report"
    )
    all_labels = np.asarray(estimator.labels_)
    if ids is None:
        ids = np.arange(all_labels.shape[0])
    ids = np.asarray(ids)
    if ids.shape != all_labels.shape:
        raise ValueError(
            f"ids has shape {ids.shape} but the estimator was fitted on "
            f"{all_labels.shape[0]} rows; pass one id per row of X."
        )
    if detection_threshold is None:
        detection_threshold = estimator.detection_threshold
    report = cls(
        labels,
        proba,
        classes=classes,
        ids=ids[rows],
        detection_threshold=detection_threshold,
        # Noise is left out only with noise="exclude"; with "cluster", -1 is
        # reported as a cluster, and nothing is left out.
        noise_share=(
            float(getattr(estimator, "noise_ratio_", 0.0))
            if estimator.noise == "exclude"
            else 0.0
        ),
        **kwargs,
    )
    n_sampled = np.asarray(estimator.sample_indices_).shape[0]
    if n_sampled < all_labels.shape[0]:
        # max_samples: the probe saw a subsample, and the report must say so,
        # or its point count reads as the size of the data.
        report._subsample = (n_sampled, all_labels.shape[0])
    return report


def report_from_predictions(
    cls,
    labels,
    proba,
    *,
    classes,
    detection_threshold,
    confidence_level,
    leakage_level,
    method,
    noise,
    ids,
    include_samples,
):
    """A report on ``labels`` and ``proba`` without the noise points."""
    check_rows_follow_labels(labels, proba)
    labels = one_dimensional_labels(labels)
    if ids is not None:
        ids = np.asarray(ids)
        if ids.shape != labels.shape:
            raise ValueError(
                f"ids has shape {ids.shape} but labels has shape "
                f"{labels.shape}; pass one id per sample."
            )
    proba, columns = proba_rows_per_label(proba, labels.shape[0])
    is_noise = np.zeros(labels.shape, dtype=bool)
    if noise == "exclude" and labels.dtype.kind in "iufO":
        # Object labels too: text cluster names beside the number -1, as the
        # estimator's encode_with_noise reads them.
        is_noise = np.asarray(labels == -1, dtype=bool)
        if classes is not None and np.any(np.asarray(classes) == -1):
            raise ValueError(
                "classes contains -1 but noise='exclude' drops the points "
                "labelled -1; pass noise='cluster' to score -1 as a cluster, "
                "or leave -1 out of classes."
            )
    if is_noise.all():
        raise ValueError(
            f"all {labels.shape[0]} points are labelled -1 (noise); there is "
            "no cluster to report on. Pass noise='cluster' to treat -1 as a "
            "cluster."
        )
    keep = ~is_noise
    # The clusters in the columns' order: the labels' own when none are given.
    order = unique_labels(labels[keep]) if classes is None else np.asarray(classes)
    if classes is None and is_noise.any() and proba.shape[1] == order.shape[0] + 1:
        # cross_val_proba(..., noise="cluster") gives noise a column of its own.
        raise ValueError(
            f"proba has {proba.shape[1]} columns, one more than the clusters "
            "without noise: a column for -1 as well, as cross_val_proba(..., "
            "noise='cluster') gives. Pass noise='cluster' here too, or drop "
            "that column and the noise rows."
        )
    if columns is not None:
        check_columns_follow_classes(columns, order, classes is not None)
    row_ids = np.flatnonzero(keep) if ids is None else ids[keep]
    return cls(
        labels[keep],
        proba[keep],
        classes=classes,
        ids=row_ids,
        detection_threshold=detection_threshold,
        confidence_level=confidence_level,
        leakage_level=leakage_level,
        method=method,
        noise_share=float(is_noise.mean()),
        include_samples=include_samples,
    )
