"""LeakageReport: every leakage table of a clustering, with tests, in one object."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from os import PathLike
from typing import BinaryIO

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sklearn_leakage._compat import HasMethods, Interval, StrOptions, validate_params
from sklearn_leakage._report._format import (
    METHOD_NAMES,
    ONE_CLUSTER_NOTE,
    format_level,
    format_percent,
    format_pvalue,
    format_threshold,
    format_tolerated,
    setting_as_written,
    subsample_note,
)
from sklearn_leakage._report._inputs import (
    chosen_leakage_score,
    report_from_estimator,
    report_from_predictions,
)
from sklearn_leakage._report._k_selection import k_selection_from_search
from sklearn_leakage._report._tables import build_tables
from sklearn_leakage._typing import Estimator, MatrixLike
from sklearn_leakage._validation import check_labels_proba, takes_no_data

__all__ = ["LeakageReport"]


_COMMON_CONSTRAINTS = {
    "confidence_level": [Interval(Real, 0, 1, closed="neither")],
    "leakage_level": [Interval(Real, 0, 1, closed="both")],
    "method": [StrOptions({"holm", "bh"})],
    "ids": ["array-like", None],
    "include_samples": ["boolean"],
}


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
        ``0 .. n_scored - 1`` if None. They are copied as given and need not
        be unique (a data frame's index may repeat); the command line, whose
        ``clusters.csv`` is joined on them, refuses repeated or empty ids.
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
        Share of the original points left out as noise (labelled -1 with
        ``noise="exclude"``), shown in ``totals``.
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
        predicted correctly *and* not leaking). A cluster of ``classes`` with
        no point has support 0 and NaN shares (written "n/a").
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
        probe; low scores on a few clusters point to weak clusters. NaN where
        a score is 0/0: the recall of a cluster without points, the precision
        of one no point is predicted into.
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
    Building costs O(n_scored * n_clusters) for the per-point quantities, one
    exact test per cluster, one per ordered pair of clusters and one per cell
    of the test grid. The properties return shallow copies (pandas
    copy-on-write), so editing one never changes the report, and the report
    keeps copies of the arrays it is given, so changing them afterwards never
    changes it either (:meth:`to_html` draws its plots from them).

    The tests and intervals are exact for these points under these fitted
    probes, each point counted as an independent draw. Points that share a
    fitted boundary are not independent: for given labels that overlap, the
    variance of the share from sample to sample was 3.8 to 5.7 times what the
    binomial model assumes, and a 95% interval covered the average share in
    58 to 70% of the samples (two families of Gaussian clusters,
    ``benchmarks/results/interval_coverage*.md``). Read the p-values as a
    guide to which clusters and pairs deserve attention; for a claim about
    new samples, :func:`~sklearn_leakage.total_leakage_interval` resamples
    the rows and redoes the whole procedure.

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

    @validate_params(
        {
            "labels": ["array-like"],
            "proba": ["array-like"],
            "classes": ["array-like", None],
            "detection_threshold": [Interval(Real, 0, 1, closed="neither")],
            "noise_share": [Interval(Real, 0, 1, closed="both")],
            **_COMMON_CONSTRAINTS,
        },
        prefer_skip_nested_validation=True,
    )
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
        # Copies, as the builders' are: to_html draws its plots from these
        # long after the tables were built, so a caller who reuses an array
        # would otherwise make the plots disagree with the tables.
        self.labels = np.array(labels)
        self.proba = np.array(proba)
        self.classes = np.array(classes)
        # As given: the estimator and the metric functions compare the
        # probabilities with this very value (a float32 0.05 is 0.0500000007).
        self.detection_threshold = float(detection_threshold)
        self._threshold_as_written = setting_as_written(detection_threshold)
        self.confidence_level = setting_as_written(confidence_level)
        self.leakage_level = setting_as_written(leakage_level)
        self.method = method
        self.noise_share = float(noise_share)
        n_samples = codes.shape[0]
        if ids is None:
            ids = np.arange(n_samples)
        ids = np.array(ids)
        if ids.shape != (n_samples,):
            raise ValueError(
                f"ids has shape {ids.shape} but there are {n_samples} scored "
                "points; pass one id per row of labels."
            )
        self.ids = ids
        self._k_selection = None
        # (scored, clustered) rows when the builder knows the probe saw a
        # subsample of the clustered data (max_samples), else None.
        self._subsample: tuple[int, int] | None = None
        self._build(codes, include_samples)

    # ------------------------------------------------------------------ builders
    @classmethod
    @takes_no_data
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
        estimator: Estimator,
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
        was fitted with ``noise="exclude"`` and counted in ``noise_share``
        (0 with ``noise="cluster"``, where -1 is a cluster like any other, as
        in :meth:`from_predictions`).

        Parameters
        ----------
        estimator : LeakageScore or Pipeline
            A fitted :class:`LeakageScore`, or a fitted Pipeline ending in one.
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
        return report_from_estimator(
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
            "search": [HasMethods(["fit"])],
            "X": ["array-like", "sparse matrix", None],
            "detection_threshold": [Interval(Real, 0, 1, closed="neither"), None],
            **_COMMON_CONSTRAINTS,
        },
        prefer_skip_nested_validation=True,
    )
    def from_search(
        cls,
        search: Estimator,
        X: MatrixLike = None,
        *,
        detection_threshold: float | None = None,
        confidence_level: float = 0.95,
        leakage_level: float = 0.05,
        method: str = "holm",
        ids: ArrayLike | None = None,
        include_samples: bool = True,
    ) -> LeakageReport:
        """Report on the clustering a search chose, and on why it chose it.

        The report describes ``search.best_estimator_`` as
        :meth:`from_estimator` does, and keeps the search's scores:
        :attr:`k_selection` lists every candidate with its scores and the
        rule's verdict (when :func:`refit_n_clusters` made the choice; else
        "chosen" and "not chosen"). The HTML page opens with the choice (the plot of
        :class:`KSelectionDisplay` and that table); the workbook opens with a
        ``notes`` sheet ending with the choice in words, then has the table
        as its ``k_selection`` sheet.

        Parameters
        ----------
        search : GridSearchCV
            Fitted, with a refitted :class:`LeakageScore` (or a Pipeline ending
            in one) as ``best_estimator_``: for example the result of
            :func:`select_n_clusters`, or a search scored by
            :data:`leakage_scorer` with ``refit=refit_n_clusters``.
        X : {array-like, sparse matrix} of shape (n_samples, n_features), \
                default=None
            The data the search was fitted on. Needed only when the chosen
            candidate skipped the out-of-fold diagnostics
            (``compute_oof=False``): they are then computed on a copy, as
            :func:`select_n_clusters` does, without refitting the clusterer;
            the search is not modified. Otherwise it names the rows (its
            index, for a data frame). Either way it must be the fitted data,
            all rows in their order: other rows raise a ValueError (after
            steps of a Pipeline before the LeakageScore, whose ``transform``
            may differ from their ``fit_transform`` at fit, other values
            warn instead).
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
            Identifier of each row of ``X``. If None, the index of ``X`` when
            it is a data frame, else the row positions.
        include_samples : bool, default=True
            Build the per-sample table.

        Returns
        -------
        report : LeakageReport

        Examples
        --------
        >>> from sklearn.cluster import KMeans
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn_leakage import LeakageReport, select_n_clusters
        >>> X, _ = make_blobs(n_samples=400, centers=4, random_state=3)
        >>> search = select_n_clusters(
        ...     X, KMeans(n_init=3, random_state=0), range(1, 7), random_state=0
        ... )
        >>> report = LeakageReport.from_search(search)
        >>> report.k_selection[["n_clusters", "verdict"]].iloc[2:5]
           n_clusters                                        verdict
        2           3  passes; the rule takes the largest that does
        3           4                                         chosen
        4           5      does not reproduce: mean - s.e. below 0.8
        """
        estimator = chosen_leakage_score(search, X)
        if ids is None and isinstance(getattr(X, "index", None), pd.Index):
            # A data frame's rows are named by its index (customer ids, dates).
            ids = np.asarray(X.index)
        report = report_from_estimator(
            cls,
            estimator,
            detection_threshold=detection_threshold,
            confidence_level=confidence_level,
            leakage_level=leakage_level,
            method=method,
            ids=ids,
            include_samples=include_samples,
        )
        report._k_selection = k_selection_from_search(search)
        return report

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
            Identifier of each sample for the ``samples`` table. If None, the
            index of ``labels`` when it is a pandas Series (``df["cluster"]``
            names the rows by ``df.index``), else the positions.
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
        if ids is None and isinstance(labels, pd.Series):
            # As from_search names rows by a data frame's index.
            ids = np.asarray(labels.index)
        return report_from_predictions(
            cls,
            labels,
            proba,
            classes=classes,
            detection_threshold=detection_threshold,
            confidence_level=confidence_level,
            leakage_level=leakage_level,
            method=method,
            noise=noise,
            ids=ids,
            include_samples=include_samples,
        )

    # ------------------------------------------------------------------ tables
    def _build(self, codes, include_samples):
        tables = build_tables(self, codes, include_samples)
        self._clusters = tables.clusters
        self._probe_scores = tables.probe_scores
        self._probe = tables.probe
        self._pairs = tables.pairs
        self._merge_candidates = tables.merge_candidates
        self._total_test = tables.total_test
        self._totals = tables.totals
        self._test_grid = tables.test_grid
        self._samples = tables.samples

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
    def k_selection(self) -> pd.DataFrame | None:
        """Candidates of the search the report was built from, or None.

        Only reports made by :meth:`from_search` have it. One row per
        candidate: ``n_clusters`` (the searched value), ``n_clusters_found``
        (the clusters its fits made, median over the splits; NaN for a
        candidate that failed on every split), ``mean_<metric>``
        and ``std_error_<metric>`` (standard deviation over the splits divided
        by the root of their number) for every metric the search recorded
        (step 2's metrics empty for a candidate that made one cluster, which
        step 2 does not test), and ``verdict``: "chosen" (or, when nothing
        passed and the rule fell
        back on a candidate, "chosen only as the smallest candidate ..." or
        "chosen as the most reproducible ..."), or the first step of
        :func:`refit_n_clusters` the candidate fails ("does not reproduce",
        "not real: ..."), or why it passes and is not the answer. When the
        search's ``refit`` made another choice than the rule's, the rule's
        verdicts would explain a choice not made: they are "chosen" and "not
        chosen" then. Otherwise ``step_1_margin``, ``test_a_margin`` and
        ``test_b_margin`` follow: by how much the candidate passes (>= 0;
        test (a): > 0) or fails each test, the numbers the rule compares with
        0 (mean reproducibility less one standard error less 0.8; the mean
        paired difference from the reference less, for test (b) plus, one
        standard error), NaN where a test judges nothing.
        """
        if self._k_selection is None:
            return None
        return self._k_selection.table.copy(deep=False)

    @property
    def samples(self) -> pd.DataFrame | None:
        """One row per scored point, or None when not built."""
        return None if self._samples is None else self._samples.copy(deep=False)

    # ------------------------------------------------------------------ text
    @validate_params(
        {"n_pairs": [Interval(Integral, 1, None, closed="left")]},
        prefer_skip_nested_validation=True,
    )
    def summary(self, n_pairs: int = 5) -> str:
        """A short plain-text summary for terminals and logs.

        Parameters
        ----------
        n_pairs : int, default=5
            Number of leakiest pairs listed, at least 1 (all of them when
            there are fewer).

        Returns
        -------
        text : str
            Lines of text, without a trailing newline.
        """
        total = self._total_test
        method = METHOD_NAMES[self.method]
        level = format_tolerated(self.leakage_level)
        expected = format_percent(self._totals["expected_leakage"].item())
        accuracy = format_percent(self._totals["probe_accuracy"].item())
        n_clusters = self.classes.shape[0]
        lines = [
            f"Leakage report: {total.n} points in {n_clusters} "
            f"cluster{'s' if n_clusters != 1 else ''}, "
            f"detection threshold {format_threshold(self.detection_threshold)}",
            f"total leakage {format_percent(total.statistic)} ({total.count} of "
            f"{total.n}), {format_level(self.confidence_level)} CI "
            f"[{format_percent(total.ci.low)}, {format_percent(total.ci.high)}]",
            f"  above {level}? exact one-sided p = {format_pvalue(total.pvalue)}",
            f"expected leakage {expected}, probe accuracy {accuracy}, "
            f"noise {format_percent(self.noise_share)}",
        ]
        if self._subsample is not None:
            lines.insert(1, f"  ({subsample_note(self._subsample)})")
        if n_clusters == 1:
            lines.append(ONE_CLUSTER_NOTE)
        if len(self._pairs):
            lines.append(f"leakiest pairs ({method}-adjusted p):")
            # int(): True passes the Integral constraint, as in scikit-learn,
            # where pandas' head refuses a bool.
            for row in self._pairs.head(int(n_pairs)).itertuples():
                lines.append(f"  {row.sentence}, p = {format_pvalue(row.p_adjusted)}")
        else:
            lines.append("no point leaks into another cluster")
        candidates = self._merge_candidates
        if len(candidates):
            listed = ", ".join(
                f"{row.cluster_a}+{row.cluster_b} "
                f"({format_percent(row.symmetric_leakage)})"
                for row in candidates.itertuples()
            )
            lines.append(
                f"merge candidates (observed leakage above {level}, significant "
                "or not): " + listed
            )
        else:
            lines.append(f"no merge candidate (no pair leaks above {level})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        total = self._total_test
        return (
            f"LeakageReport(n_samples={total.n}, n_clusters={self.classes.shape[0]}, "
            f"total_leakage={total.statistic:.3f}, "
            f"detection_threshold={format_threshold(self.detection_threshold)})"
        )

    def _repr_html_(self) -> str:
        from sklearn_leakage._report._html import html_fragment

        return html_fragment(self)

    # ----------------------------------------------------------------- export
    def to_excel(
        self,
        path: str | PathLike | BinaryIO,
        *,
        include_samples: bool = True,
        notes: Sequence[str] = (),
    ) -> None:
        """Write every table to an Excel workbook, one sheet per table.

        Shares get percentage formats, p-values four decimals (a mantissa
        and exponent below 0.0001), the detection thresholds and tolerated
        shares every decimal they have (0.0101 is not shown as 0.01), the
        k-selection scores three decimals,
        leakage columns a white-to-red colour scale; headers are frozen and
        columns sized to their content. Headers name the columns in words, as
        the HTML page does ("95% CI, low" for ``ci_low``), except on the
        ``k_selection`` sheet, which is :attr:`k_selection` whole and keeps its
        column names. Requires openpyxl (``pip install "sklearn-leakage[excel]"``).

        Parameters
        ----------
        path : str, path-like or file object
            Destination ``.xlsx`` file, overwritten if it exists, or a binary
            file object (``io.BytesIO``).
        include_samples : bool, default=True
            Write the per-point ``samples`` table as a sheet, when the report
            has one. An Excel sheet holds 1,048,575 rows below its header;
            for more points pass False and keep ``report.samples`` in a CSV
            or Parquet file.
        notes : sequence of str, default=()
            Sentences to keep with the tables, such as where the data came
            from and how they were clustered; written first, one per row of a
            ``notes`` sheet. A report of a search (:meth:`from_search`) adds
            the choice in words after them, with its close call if it is one,
            as the page writes it above the candidates.
        """
        from sklearn_leakage._report._excel import write_excel

        if not isinstance(include_samples, bool | np.bool_):
            raise TypeError(
                f"include_samples must be True or False, got {include_samples!r}."
            )
        write_excel(
            self,
            _check_path(path, "to_excel"),
            include_samples=bool(include_samples),
            notes=_check_notes(notes, "to_excel"),
        )

    def to_html(self, path: str | PathLike, *, notes: Sequence[str] = ()) -> None:
        """Write a self-contained HTML page: summary, tables and plots.

        Plots are inline SVG and styles inline CSS, so the file opens offline
        and can be sent by e-mail; it loads nothing from the network.

        Parameters
        ----------
        path : str or path-like
            Destination ``.html`` file; overwritten if it exists.
        notes : sequence of str, default=()
            Sentences listed under the page's heading, such as where the data
            came from and how they were clustered: the page is often read
            without the code or the terminal that made it.
        """
        from sklearn_leakage._report._html import write_html

        write_html(self, _check_path(path, "to_html"), _check_notes(notes, "to_html"))


def _check_notes(notes, method: str) -> list[str]:
    """``notes`` as a list of strings.

    A single string would be listed letter by letter; a generator is read
    once, here, so that no check consumes it before it is written.
    """
    message = (
        f"{method}: notes must be a list (or tuple) of strings, one per note, "
        f"got {notes!r}."
    )
    if isinstance(notes, str):
        raise TypeError(message)
    try:
        notes = list(notes)
    except TypeError:
        raise TypeError(message) from None
    if not all(isinstance(note, str) for note in notes):
        raise TypeError(message)
    return notes


def _check_path(path, method: str):
    """Refuse a number, which would be taken for an open file descriptor."""
    if isinstance(path, Integral):
        raise TypeError(
            f"{method} takes a file name (str or pathlib.Path) or a file "
            f"object, got the number {path!r}."
        )
    return path
