"""LeakageReport: every leakage table of a clustering, with tests, in one object."""

from __future__ import annotations

from numbers import Real
from os import PathLike

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.utils.validation import check_is_fitted

from sklearn_leakage._compat import HasMethods, Interval, StrOptions, validate_params
from sklearn_leakage._merge import symmetric_leakage
from sklearn_leakage._metrics import expected_leakage, total_leakage
from sklearn_leakage._stats import (
    leakage_test_grid,
    pairwise_leakage_test,
    proportion_ci,
    total_leakage_test,
)
from sklearn_leakage._validation import check_labels_proba

__all__ = ["LeakageReport"]

#: Default rows and columns of the p-value grid (those of the leakyblobs grid);
#: the report's own threshold and level are added when missing.
GRID_VALUES = (0.01, 0.02, 0.05, 0.1, 0.2)

_METHOD_NAMES = {"holm": "Holm", "bh": "Benjamini-Hochberg"}

_COMMON_CONSTRAINTS = {
    "confidence_level": [Interval(Real, 0, 1, closed="neither")],
    "leakage_level": [Interval(Real, 0, 1, closed="both")],
    "method": [StrOptions({"holm", "bh"})],
    "ids": ["array-like", None],
    "include_samples": ["boolean"],
}


def _percent(value: float) -> str:
    return "n/a" if np.isnan(value) else f"{value:.1%}"


def _pvalue(value: float) -> str:
    if np.isnan(value):
        return "n/a"
    return f"{value:.2g}" if value >= 1e-4 else f"{value:.1e}"


class LeakageReport:
    """Tables, exact tests and exports that explain a clustering's leakage.

    A report is built from the out-of-fold probabilities of a probe classifier,
    either from a fitted :class:`LeakageScore` (:meth:`from_estimator`) or from
    labels and probabilities made elsewhere (:meth:`from_predictions`). Every
    table is computed once, when the report is built; the properties return
    them as :class:`pandas.DataFrame` and :meth:`to_excel` and :meth:`to_html`
    only write them out. Leakage shares lie in [0, 1]; lower is better.

    Read more in the :ref:`User Guide <leakage_report>`.

    Parameters
    ----------
    labels : array-like of shape (n_scored,)
        Cluster of each scored point (noise already removed).
    proba : array-like of shape (n_scored, n_clusters)
        Out-of-fold probability of each scored point for each cluster.
    classes : array-like of shape (n_clusters,), default=None
        Cluster ids in the column order of ``proba``; ``np.unique(labels)`` if
        None.
    ids : array-like of shape (n_scored,), default=None
        Identifier of each scored point in the ``samples`` table; positions
        ``0 .. n_scored - 1`` if None.
    detection_threshold : float, default=0.05
        Probability from which another cluster counts as plausible for a point.
    confidence_level : float, default=0.95
        Coverage of the Clopper-Pearson intervals.
    leakage_level : float, default=0.05
        Tolerated leakage share: the null hypothesis of the exact tests, and the
        symmetric leakage above which two clusters are merge candidates.
    method : {"holm", "bh"}, default="holm"
        Correction of the pairwise p-values (Holm or Benjamini-Hochberg).
    noise_share : float, default=0.0
        Share of the original points labelled as noise, shown in ``totals``.
    include_samples : bool, default=True
        Build the per-sample table ``samples`` (one row per scored point).

    Attributes
    ----------
    clusters : pandas.DataFrame
        One row per cluster: ``cluster``, ``support`` (points), ``leaking``
        (points whose largest probability on another cluster is at least the
        threshold), ``leakage`` (``leaking / support``), ``ci_low``,
        ``ci_high`` (Clopper-Pearson bounds of ``leakage``),
        ``expected_leakage`` (mean probability on other clusters), ``recall``
        (the probe's out-of-fold recall: share of the cluster's points whose
        most probable cluster is their own) and ``leaky_recall`` (share
        predicted correctly *and* not leaking).
    pairs : pandas.DataFrame
        One row per ordered pair with at least one leaking point, by decreasing
        ``leakage``: ``source``, ``target``, ``leakage`` (share of ``source``'s
        points with probability at least the threshold on ``target``), ``count``,
        ``support``, ``ci_low``, ``ci_high``, ``p_value`` (exact binomial test
        that the share exceeds ``leakage_level``), ``p_adjusted`` (corrected over
        all ordered pairs with ``method``) and ``sentence`` (the row in words).
    merge_candidates : pandas.DataFrame
        Unordered pairs whose symmetric leakage ``max(L[a, b], L[b, a])``
        exceeds ``leakage_level``, by decreasing symmetric leakage: ``cluster_a``,
        ``cluster_b``, ``leakage_ab``, ``leakage_ba``, ``symmetric_leakage``. The
        maximum rather than the mean, so that a small cluster spilling into a
        large one is listed (as in :func:`merge_leaky_clusters`).
    totals : pandas.DataFrame
        One row: ``n_samples``, ``n_clusters``, ``leaking``, ``total_leakage``,
        ``ci_low``, ``ci_high``, ``leakage_level``, ``p_value`` (exact test that
        the total leakage exceeds ``leakage_level``), ``expected_leakage``,
        ``probe_accuracy``, ``noise_share`` and ``detection_threshold``.
    test_grid : pandas.DataFrame
        :func:`leakage_test_grid` over detection thresholds (rows) and tolerated
        shares (columns).
    probe : pandas.DataFrame
        Out-of-fold confusion matrix of the probe: index ``cluster`` (true),
        columns ``predicted`` (most probable cluster), counts of points.
    probe_scores : pandas.DataFrame
        Per-cluster ``precision``, ``recall``, ``f1`` and ``support`` of the
        probe's out-of-fold predictions. Low scores everywhere point to a weak
        probe; low scores on a few clusters point to weak clusters.
    samples : pandas.DataFrame or None
        One row per scored point: ``id``, ``cluster``, ``own_proba``,
        ``max_other_proba``, ``most_likely_other`` (the other cluster with the
        largest probability) and ``leaks`` (``max_other_proba`` at least the
        threshold). None if ``include_samples=False``.

    See Also
    --------
    LeakageScore : Fits the clusterer and the probe.
    pairwise_leakage_test : The tests behind ``pairs``.
    merge_leaky_clusters : Merge the candidates.

    Notes
    -----
    Building costs O(n_scored * n_clusters) for the per-point quantities and
    ``n_clusters ** 2`` exact tests. The properties return shallow copies
    (pandas copy-on-write), so editing one never changes the report.

    The tests treat points as independent, which out-of-fold probabilities
    only approximately are; read p-values as a guide, not a guarantee.

    Examples
    --------
    >>> from sklearn_leakage import LeakageReport
    >>> labels = [0, 0, 0, 1, 1, 1]
    >>> proba = [[1.0, 0.0], [0.9, 0.1], [0.99, 0.01],
    ...          [0.0, 1.0], [0.3, 0.7], [0.02, 0.98]]
    >>> report = LeakageReport.from_predictions(labels, proba)
    >>> report.clusters[["cluster", "support", "leaking", "leakage"]]
       cluster  support  leaking    leakage
    0        0        3        1   0.333333
    1        1        3        1   0.333333
    >>> report.pairs["sentence"].tolist()
    ['cluster 0 leaks into cluster 1: 33.3% (1 of 3)',
     'cluster 1 leaks into cluster 0: 33.3% (1 of 3)']
    """

    def __init__(
        self,
        labels: ArrayLike,
        proba: ArrayLike,
        *,
        classes: ArrayLike | None = None,
        ids: ArrayLike | None = None,
        detection_threshold: float = 0.05,
        confidence_level: float = 0.95,
        leakage_level: float = 0.05,
        method: str = "holm",
        noise_share: float = 0.0,
        include_samples: bool = True,
    ):
        codes, proba, classes = check_labels_proba(labels, proba, classes)
        self.labels = np.asarray(labels)
        self.proba = proba
        self.classes = classes
        self.detection_threshold = float(detection_threshold)
        self.confidence_level = float(confidence_level)
        self.leakage_level = float(leakage_level)
        self.method = method
        self.noise_share = float(noise_share)
        n_samples = codes.shape[0]
        if ids is None:
            ids = np.arange(n_samples)
        ids = np.asarray(ids)
        if ids.shape != (n_samples,):
            raise ValueError(
                f"ids has shape {ids.shape} but there are {n_samples} scored "
                "points; pass one id per row of labels."
            )
        self.ids = ids
        self._build(codes, include_samples)

    # ------------------------------------------------------------------ builders
    @classmethod
    @validate_params(
        {
            "estimator": [HasMethods(["fit"])],
            "detection_threshold": [Interval(Real, 0, 1, closed="neither"), None],
            **_COMMON_CONSTRAINTS,
        },
        prefer_skip_nested_validation=True,
    )
    def from_estimator(
        cls,
        estimator,
        *,
        detection_threshold: float | None = None,
        confidence_level: float = 0.95,
        leakage_level: float = 0.05,
        method: str = "holm",
        ids: ArrayLike | None = None,
        include_samples: bool = True,
    ) -> LeakageReport:
        """Report on a fitted :class:`LeakageScore`.

        Uses its out-of-fold probabilities ``oof_proba_`` for the rows
        ``sample_indices_``; rows labelled -1 are left out when the estimator
        was fitted with ``noise="exclude"`` and counted in ``noise_share``.

        Parameters
        ----------
        estimator : LeakageScore
            A fitted :class:`LeakageScore`.
        detection_threshold : float, default=None
            Probability from which another cluster counts as plausible; the
            estimator's ``detection_threshold`` if None.
        confidence_level : float, default=0.95
            Coverage of the Clopper-Pearson intervals, in (0, 1).
        leakage_level : float, default=0.05
            Tolerated leakage share for the tests and the merge candidates.
        method : {"holm", "bh"}, default="holm"
            Correction of the pairwise p-values.
        ids : array-like of shape (n_samples,), default=None
            Identifier of each row of the data the estimator was fitted on (for
            example ``X.index``); the row positions if None.
        include_samples : bool, default=True
            Build the per-sample table.

        Returns
        -------
        report : LeakageReport

        Examples
        --------
        >>> from sklearn.cluster import KMeans
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn_leakage import LeakageReport, LeakageScore
        >>> X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
        >>> est = LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0)
        >>> report = LeakageReport.from_estimator(est.fit(X))
        >>> report.totals["n_samples"].item()
        300
        """
        return _from_estimator(
            cls,
            estimator,
            detection_threshold=detection_threshold,
            confidence_level=confidence_level,
            leakage_level=leakage_level,
            method=method,
            ids=ids,
            include_samples=include_samples,
        )

    @classmethod
    @validate_params(
        {
            "labels": ["array-like"],
            "proba": ["array-like"],
            "classes": ["array-like", None],
            "detection_threshold": [Interval(Real, 0, 1, closed="neither")],
            "noise": [StrOptions({"exclude", "cluster"})],
            **_COMMON_CONSTRAINTS,
        },
        prefer_skip_nested_validation=True,
    )
    def from_predictions(
        cls,
        labels: ArrayLike,
        proba: ArrayLike,
        *,
        classes: ArrayLike | None = None,
        detection_threshold: float = 0.05,
        confidence_level: float = 0.95,
        leakage_level: float = 0.05,
        method: str = "holm",
        noise: str = "exclude",
        ids: ArrayLike | None = None,
        include_samples: bool = True,
    ) -> LeakageReport:
        """Report on labels and out-of-sample probabilities made elsewhere.

        Parameters
        ----------
        labels : array-like of shape (n_samples,)
            Cluster of each sample; -1 is noise when ``noise="exclude"``.
        proba : array-like of shape (n_samples, n_clusters)
            Out-of-sample probability of each sample for each cluster (rows of
            noise points are ignored).
        classes : array-like of shape (n_clusters,), default=None
            Cluster ids in the column order of ``proba``; the sorted labels
            (without -1 when noise is excluded) if None.
        detection_threshold : float, default=0.05
            Probability from which another cluster counts as plausible, in
            (0, 1).
        confidence_level : float, default=0.95
            Coverage of the Clopper-Pearson intervals, in (0, 1).
        leakage_level : float, default=0.05
            Tolerated leakage share for the tests and the merge candidates.
        method : {"holm", "bh"}, default="holm"
            Correction of the pairwise p-values.
        noise : {"exclude", "cluster"}, default="exclude"
            Whether label -1 marks noise points, left out of every table, or is
            an ordinary cluster.
        ids : array-like of shape (n_samples,), default=None
            Identifier of each sample for the ``samples`` table; positions if
            None.
        include_samples : bool, default=True
            Build the per-sample table.

        Returns
        -------
        report : LeakageReport

        Examples
        --------
        >>> from sklearn_leakage import LeakageReport
        >>> labels = [0, 0, 1, 1, -1]
        >>> proba = [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0], [0.5, 0.5]]
        >>> report = LeakageReport.from_predictions(labels, proba)
        >>> report.totals[["n_samples", "leaking", "noise_share"]]
           n_samples  leaking  noise_share
        0          4        2          0.2
        """
        labels = np.asarray(labels)
        proba = np.asarray(proba)
        if ids is not None:
            ids = np.asarray(ids)
            if ids.shape != labels.shape:
                raise ValueError(
                    f"ids has shape {ids.shape} but labels has shape "
                    f"{labels.shape}; pass one id per sample."
                )
        if proba.ndim != 2 or proba.shape[0] != labels.shape[0]:
            raise ValueError(
                f"proba has shape {proba.shape} but labels has {labels.shape[0]} "
                "samples; pass one row of probabilities per label."
            )
        is_noise = np.zeros(labels.shape, dtype=bool)
        if noise == "exclude" and labels.dtype.kind in "iuf":
            is_noise = labels == -1
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

    # ------------------------------------------------------------------ tables
    def _build(self, codes, include_samples):
        proba, classes = self.proba, self.classes
        n_samples, n_clusters = proba.shape
        index = np.arange(n_clusters)
        threshold = self.detection_threshold
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
        low, high = proportion_ci(leaking, support, self.confidence_level)
        precision, recall, f1, _ = precision_recall_fscore_support(
            codes, predicted, labels=index, zero_division=0.0
        )
        leaky_recall = np.bincount(
            codes, weights=correct & ~leaks, minlength=n_clusters
        ) / np.maximum(support, 1)
        self._clusters = pd.DataFrame(
            {
                "cluster": classes,
                "support": support,
                "leaking": leaking,
                "leakage": share,
                "ci_low": low,
                "ci_high": high,
                "expected_leakage": expected_leakage(
                    codes, proba, classes=index, average=None
                ),
                "recall": recall,
                "leaky_recall": leaky_recall,
            }
        )
        self._probe_scores = pd.DataFrame(
            {
                "cluster": classes,
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "support": support,
            }
        )
        self._probe = pd.DataFrame(
            confusion_matrix(codes, predicted, labels=index),
            index=pd.Index(classes, name="cluster"),
            columns=pd.Index(classes, name="predicted"),
        )

        self._pairs, self._merge_candidates = self._pair_tables(codes)

        total = total_leakage_test(
            codes,
            proba,
            classes=index,
            detection_threshold=threshold,
            comparison_value=self.leakage_level,
            confidence_level=self.confidence_level,
        )
        self._total_test = total
        self._totals = pd.DataFrame(
            {
                "n_samples": [n_samples],
                "n_clusters": [n_clusters],
                "leaking": [total.count],
                "total_leakage": [total.statistic],
                "ci_low": [total.ci.low],
                "ci_high": [total.ci.high],
                "leakage_level": [self.leakage_level],
                "p_value": [total.pvalue],
                "expected_leakage": [expected_leakage(codes, proba, classes=index)],
                "probe_accuracy": [float(np.mean(correct))],
                "noise_share": [self.noise_share],
                "detection_threshold": [threshold],
            }
        )

        grid_thresholds = sorted({*GRID_VALUES, threshold})
        grid_values = sorted({*GRID_VALUES, self.leakage_level})
        self._test_grid = leakage_test_grid(
            codes,
            proba,
            classes=index,
            detection_thresholds=grid_thresholds,
            comparison_values=grid_values,
        )

        self._samples = None
        if include_samples:
            self._samples = pd.DataFrame(
                {
                    "id": self.ids,
                    "cluster": classes[codes],
                    "own_proba": own,
                    "max_other_proba": max_other,
                    "most_likely_other": most_likely_other,
                    "leaks": leaks,
                }
            )

    def _pair_tables(self, codes):
        classes = self.classes
        n_clusters = classes.shape[0]
        result = pairwise_leakage_test(
            codes,
            self.proba,
            classes=np.arange(n_clusters),
            detection_threshold=self.detection_threshold,
            comparison_value=self.leakage_level,
            method=self.method,
            confidence_level=self.confidence_level,
        )
        source, target = np.nonzero(
            (result.count > 0) & ~np.eye(n_clusters, dtype=bool)
        )
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
            f"cluster {s} leaks into cluster {t}: {share:.1%} ({c} of {n})"
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
        a, b = np.nonzero(np.triu(sym > self.leakage_level, k=1))
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

    # ------------------------------------------------------------- properties
    @property
    def clusters(self) -> pd.DataFrame:
        """Per-cluster leakage, intervals and probe recall (see the class)."""
        return self._clusters.copy(deep=False)

    @property
    def pairs(self) -> pd.DataFrame:
        """Ordered pairs with leaking points, tested and in words."""
        return self._pairs.copy(deep=False)

    @property
    def merge_candidates(self) -> pd.DataFrame:
        """Pairs whose symmetric (maximum) leakage exceeds ``leakage_level``."""
        return self._merge_candidates.copy(deep=False)

    @property
    def totals(self) -> pd.DataFrame:
        """One row of overall figures: total leakage, its interval and test."""
        return self._totals.copy(deep=False)

    @property
    def test_grid(self) -> pd.DataFrame:
        """Exact p-values over detection thresholds and tolerated shares."""
        return self._test_grid.copy(deep=False)

    @property
    def probe(self) -> pd.DataFrame:
        """Out-of-fold confusion matrix of the probe (true x predicted)."""
        return self._probe.copy(deep=False)

    @property
    def probe_scores(self) -> pd.DataFrame:
        """Per-cluster precision, recall and F1 of the probe."""
        return self._probe_scores.copy(deep=False)

    @property
    def samples(self) -> pd.DataFrame | None:
        """One row per scored point, or None when not built."""
        return None if self._samples is None else self._samples.copy(deep=False)

    # ------------------------------------------------------------------ text
    def summary(self, n_pairs: int = 5) -> str:
        """A short plain-text summary for terminals and logs.

        Parameters
        ----------
        n_pairs : int, default=5
            Number of leakiest pairs listed.

        Returns
        -------
        text : str
            Lines of text, without a trailing newline.
        """
        total = self._total_test
        method = _METHOD_NAMES[self.method]
        lines = [
            f"Leakage report: {total.n} points in {self.classes.shape[0]} clusters, "
            f"detection threshold {self.detection_threshold:g}",
            f"total leakage {_percent(total.statistic)} ({total.count} of "
            f"{total.n}), {self.confidence_level:.0%} CI "
            f"[{_percent(total.ci.low)}, {_percent(total.ci.high)}]",
            f"  above {_percent(self.leakage_level)}? exact one-sided p = "
            f"{_pvalue(total.pvalue)}",
            f"expected leakage {_percent(self._totals['expected_leakage'].item())}, "
            f"probe accuracy {_percent(self._totals['probe_accuracy'].item())}, "
            f"noise {_percent(self.noise_share)}",
        ]
        if len(self._pairs):
            lines.append(f"leakiest pairs ({method}-adjusted p):")
            for row in self._pairs.head(n_pairs).itertuples():
                lines.append(f"  {row.sentence}, p = {_pvalue(row.p_adjusted)}")
        else:
            lines.append("no point leaks into another cluster")
        candidates = self._merge_candidates
        if len(candidates):
            listed = ", ".join(
                f"{row.cluster_a}+{row.cluster_b} ({_percent(row.symmetric_leakage)})"
                for row in candidates.itertuples()
            )
            lines.append(
                f"merge candidates (leakage above {_percent(self.leakage_level)}): "
                + listed
            )
        else:
            lines.append(
                f"no merge candidate (no pair leaks above "
                f"{_percent(self.leakage_level)})"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        total = self._total_test
        return (
            f"LeakageReport(n_samples={total.n}, n_clusters={self.classes.shape[0]}, "
            f"total_leakage={total.statistic:.3f}, "
            f"detection_threshold={self.detection_threshold:g})"
        )

    def _repr_html_(self) -> str:
        from sklearn_leakage._report_html import html_fragment

        return html_fragment(self)

    # ----------------------------------------------------------------- export
    def to_excel(self, path: str | PathLike) -> None:
        """Write every table to an Excel workbook, one sheet per table.

        Shares get percentage formats, leakage columns a white-to-red colour
        scale, headers are frozen and columns sized to their content. Requires
        openpyxl (``pip install "sklearn-leakage[excel]"``).

        Parameters
        ----------
        path : str or path-like
            Destination ``.xlsx`` file; overwritten if it exists.
        """
        from sklearn_leakage._report_excel import write_excel

        write_excel(self, path)

    def to_html(self, path: str | PathLike) -> None:
        """Write a self-contained HTML page: summary, tables and plots.

        Plots are inline SVG and styles inline CSS, so the file opens offline
        and can be sent by e-mail; it loads nothing from the network.

        Parameters
        ----------
        path : str or path-like
            Destination ``.html`` file; overwritten if it exists.
        """
        from sklearn_leakage._report_html import write_html

        write_html(self, path)


def _from_estimator(cls, estimator, *, detection_threshold, ids, **kwargs):
    check_is_fitted(estimator)
    needed = ("labels_", "classes_", "sample_indices_", "oof_proba_")
    missing = [name for name in needed if not hasattr(estimator, name)]
    if missing:
        raise TypeError(
            "LeakageReport.from_estimator needs a fitted LeakageScore with its "
            f"out-of-fold diagnostics, got {type(estimator).__name__} without "
            f"{missing}. Fit LeakageScore with compute_oof=True (the default); for "
            "labels and probabilities made elsewhere, use "
            "LeakageReport.from_predictions."
        )
    classes = np.asarray(estimator.classes_)
    if classes.shape[0] == 0:
        raise ValueError(
            "The estimator has no scored cluster (every point is noise); there is "
            "nothing to report. Loosen the clusterer's density parameters or fit "
            "with noise='cluster'."
        )
    all_labels = np.asarray(estimator.labels_)
    indices = np.asarray(estimator.sample_indices_)
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
    labels = all_labels[indices]
    # Rows whose label is not a scored cluster are noise (noise="exclude"); the
    # estimator's own leakage attributes leave them out as well.
    keep = np.isin(labels, classes)
    return cls(
        labels[keep],
        np.asarray(estimator.oof_proba_)[keep],
        classes=classes,
        ids=ids[indices][keep],
        detection_threshold=detection_threshold,
        noise_share=float(getattr(estimator, "noise_ratio_", 0.0)),
        **kwargs,
    )
