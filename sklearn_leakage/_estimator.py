"""LeakageScore: a meta-estimator that scores any clusterer by its leakage."""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClusterMixin, MetaEstimatorMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from sklearn_leakage._compat import HasMethods, Interval, StrOptions, _fit_context
from sklearn_leakage._metrics import (
    expected_leakage,
    expected_leakage_matrix,
    leakage_matrix,
    total_leakage,
)
from sklearn_leakage._probe import (
    aligned_proba,
    cluster_labels,
    default_classifier,
    fit_probe,
    out_of_fold_proba,
)
from sklearn_leakage._selection import held_out_agreement, reproducible_clusters
from sklearn_leakage._subsample import resolve_max_samples, stratified_subsample
from sklearn_leakage.exceptions import SingleClusterWarning


def _clusterer_has(attr):
    def check(self):
        return hasattr(
            self.clusterer_ if hasattr(self, "clusterer_") else self.clusterer, attr
        )

    return check


def encode_with_noise(labels, noise):
    """Cluster ids and integer codes; noise (-1) gets code -1 when excluded."""
    labels = np.asarray(labels)
    is_noise = labels == -1 if noise == "exclude" else np.zeros(labels.shape, bool)
    classes = np.unique(labels[~is_noise])
    codes = np.full(labels.shape[0], -1, dtype=np.intp)
    codes[~is_noise] = np.searchsorted(classes, labels[~is_noise])
    return classes, codes


class LeakageScore(MetaEstimatorMixin, ClusterMixin, BaseEstimator):
    """Score a clusterer by how predictable, and how reproducible, its clusters are.

    ``fit`` fits a clone of ``clusterer`` on all of ``X``, then gives every point an
    out-of-fold probability over the clusters from a probe classifier, and reads
    leakage off those probabilities: the probability mass a point puts on clusters
    other than its own. ``score`` measures the same thing on held-out data and
    returns the number of clusters that reproduce there, so that ``GridSearchCV``
    over ``clusterer__n_clusters`` picks the number of clusters (greater is better).

    Read more in the :ref:`User Guide <leakage_score>`.

    Parameters
    ----------
    clusterer : estimator object
        Any scikit-learn clusterer (or Pipeline ending in one) with ``fit`` and
        either ``fit_predict``, ``labels_`` or ``predict``. It is cloned, never
        fitted in place. Label -1 means noise (DBSCAN, HDBSCAN, OPTICS).
    classifier : estimator object, default=None
        The probe: a classifier with ``predict_proba``. None means a
        ``StandardScaler`` followed by ``LogisticRegression(C=100)``, chosen by
        measurement (see the User Guide).
    cv : int, cross-validation generator or iterable, default=5
        Folds for the out-of-fold probabilities. An int gives that many stratified,
        shuffled folds (fewer if no cluster has that many points).
    mode : {"refit", "fixed"}, default="refit"
        ``"refit"``: on each fold a clone of the clusterer is refitted on the
        training part, the probe learns those labels, and the fold's clusters are
        paired with the full clustering's (Hungarian matching on the training
        points) before the held-out part is predicted. This judges whether the
        partition is reproducible. ``"fixed"``: the probe learns the full
        clustering's labels of the training part; this judges one given partition
        and is what a clustering made elsewhere gets.
    detection_threshold : float, default=0.05
        Probability from which another cluster counts as plausible for a point
        (for ``leakage_matrix_`` and ``total_leakage_``).
    agreement_level : float, default=0.9
        A cluster reproduces on held-out data when its points put at least this
        mean probability on its matched cluster; used by ``score``.
    noise : {"exclude", "cluster"}, default="exclude"
        What label -1 means: noise points left out of the leakage figures, or an
        ordinary cluster.
    max_samples : "auto", int, float or None, default="auto"
        Rows used for the probe and the fold loop; the clusterer always sees all of
        ``X``. An int is a count, a float a fraction of the rows, None all rows,
        ``"auto"`` at most 20,000 rows (a stratified subsample beyond that, whose
        leakage estimates have a standard error below 0.4 points).
    n_jobs : int, default=None
        Folds run in parallel. None means 1 unless in a joblib context.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds and the subsample. Pass an int for reproducible results;
        results do not depend on ``n_jobs``.

    Attributes
    ----------
    clusterer_ : estimator object
        The clone of ``clusterer`` fitted on all of ``X``.
    classifier_ : estimator object
        The probe fitted on the scored rows and the full clustering's labels.
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training row, as the clusterer labelled it.
    classes_ : ndarray of shape (n_clusters_,)
        Cluster ids that are scored (without -1 when ``noise="exclude"``).
    n_clusters_ : int
        Number of scored clusters.
    noise_ratio_ : float
        Share of rows labelled -1 (0 when there is no noise).
    sample_indices_ : ndarray of shape (n_scored,)
        Rows used by the probe and the fold loop (all rows unless subsampled).
    oof_proba_ : ndarray of shape (n_scored, n_clusters_)
        Out-of-fold probability of each row of ``sample_indices_`` for each
        cluster of ``classes_``.
    leakage_matrix_ : ndarray of shape (n_clusters_, n_clusters_)
        :func:`leakage_matrix` of the out-of-fold probabilities (non-noise rows).
    total_leakage_ : float
        :func:`total_leakage` of the out-of-fold probabilities.
    expected_leakage_ : float
        :func:`expected_leakage` of the out-of-fold probabilities.
    expected_leakage_matrix_ : ndarray of shape (n_clusters_, n_clusters_)
        :func:`expected_leakage_matrix` of the out-of-fold probabilities.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    leakage_score : Score a labelling made elsewhere.
    make_leakage_scorer : Score a bare clusterer in ``GridSearchCV``.
    select_by_reproducibility : Refit rule that also answers "no structure".

    Notes
    -----
    ``fit`` costs one fit of the clusterer on ``X`` plus, on at most
    ``max_samples`` rows, ``cv`` refits of the clusterer (``mode="refit"``) and
    ``cv + 1`` fits of the probe. Nothing is quadratic in the number of rows.

    ``score(X)`` is computed on ``X`` as held-out data: a clone of the clusterer is
    refitted on ``X`` (for inductive and non-inductive clusterers alike, since
    ``predict`` would only replay the training partition), the fitted probe
    predicts ``X``, the two labellings are paired by the Hungarian algorithm, and
    each of ``X``'s clusters reproduces when its points' mean probability on the
    paired training cluster reaches ``agreement_level``. The score is the number
    of clusters that reproduce; with ``GridSearchCV`` it is averaged over the
    outer folds.

    References
    ----------
    .. [1] T. Lange, V. Roth, M. L. Braun and J. M. Buhmann (2004). "Stability-based
       validation of clustering solutions". Neural Computation, 16(6), 1299-1323.
    .. [2] R. Tibshirani and G. Walther (2005). "Cluster validation by prediction
       strength". Journal of Computational and Graphical Statistics, 14(3),
       511-528.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_leakage import LeakageScore
    >>> X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
    >>> est = LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0)
    >>> est.fit(X).n_clusters_
    3
    >>> round(est.total_leakage_, 2)
    0.0...
    """

    _parameter_constraints: dict = {
        "clusterer": [HasMethods(["fit"])],
        "classifier": [HasMethods(["fit", "predict_proba"]), None],
        "cv": ["cv_object"],
        "mode": [StrOptions({"refit", "fixed"})],
        "detection_threshold": [Interval(Real, 0, 1, closed="neither")],
        "agreement_level": [Interval(Real, 0, 1, closed="neither")],
        "noise": [StrOptions({"exclude", "cluster"})],
        "max_samples": [
            StrOptions({"auto"}),
            Interval(Integral, 2, None, closed="left"),
            Interval(Real, 0, 1, closed="right"),
            None,
        ],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        clusterer,
        classifier=None,
        *,
        cv=5,
        mode="refit",
        detection_threshold=0.05,
        agreement_level=0.9,
        noise="exclude",
        max_samples="auto",
        n_jobs=None,
        random_state=None,
    ):
        self.clusterer = clusterer
        self.classifier = classifier
        self.cv = cv
        self.mode = mode
        self.detection_threshold = detection_threshold
        self.agreement_level = agreement_level
        self.noise = noise
        self.max_samples = max_samples
        self.n_jobs = n_jobs
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X: ArrayLike, y=None) -> LeakageScore:
        """Fit the clusterer on ``X`` and measure its out-of-fold leakage.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. Not modified.
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : LeakageScore
            The fitted estimator.
        """
        X = validate_data(
            self,
            X,
            accept_sparse="csr",
            dtype=[np.float64, np.float32],
            ensure_min_samples=2,
        )
        rng = check_random_state(self.random_state)
        # Seeds are drawn in a fixed order before any parallel work, so that the
        # results do not depend on n_jobs.
        subsample_seed, fold_seed = rng.randint(np.iinfo(np.int32).max, size=2)

        self.clusterer_ = clone(self.clusterer)
        self.labels_ = cluster_labels(self.clusterer_, X)
        self.classes_, codes = encode_with_noise(self.labels_, self.noise)
        self.n_clusters_ = int(self.classes_.shape[0])
        self.noise_ratio_ = float(np.mean(self.labels_ == -1))

        n_keep = resolve_max_samples(self.max_samples, X.shape[0])
        self.sample_indices_ = stratified_subsample(codes, n_keep, subsample_seed)
        X_s, codes_s = X[self.sample_indices_], codes[self.sample_indices_]
        classifier = (
            default_classifier(X) if self.classifier is None else self.classifier
        )
        if self.n_clusters_ == 0:
            warnings.warn(
                "The clusterer labelled every point as noise (-1); there is no "
                "cluster to score. Loosen its density parameters (eps, "
                "min_samples) or pass noise='cluster'.",
                SingleClusterWarning,
                stacklevel=3,
            )
        elif self.n_clusters_ == 1:
            warnings.warn(
                "The clusterer put every scored point into one cluster; its leakage "
                "is 0 by definition and score() counts 1 reproducible cluster.",
                SingleClusterWarning,
                stacklevel=3,
            )
        if self.n_clusters_ >= 2:
            self.oof_proba_ = out_of_fold_proba(
                self.clusterer,
                classifier,
                X_s,
                codes_s,
                self.n_clusters_,
                cv=self.cv,
                mode=self.mode,
                random_state=fold_seed,
                n_jobs=self.n_jobs,
            )
        else:
            self.oof_proba_ = np.ones((codes_s.shape[0], self.n_clusters_))
        self.classifier_ = (
            fit_probe(classifier, X_s, codes_s) if self.n_clusters_ >= 1 else None
        )
        self._set_leakage_attributes(codes_s)
        return self

    def _set_leakage_attributes(self, codes_s):
        scored = codes_s >= 0
        if self.n_clusters_ == 0:
            self.leakage_matrix_ = np.zeros((0, 0))
            self.expected_leakage_matrix_ = np.zeros((0, 0))
            self.total_leakage_ = self.expected_leakage_ = float("nan")
            return
        labels, proba = codes_s[scored], self.oof_proba_[scored]
        classes = np.arange(self.n_clusters_)
        threshold = self.detection_threshold
        self.leakage_matrix_ = leakage_matrix(
            labels, proba, classes=classes, detection_threshold=threshold
        )
        self.total_leakage_ = total_leakage(
            labels, proba, classes=classes, detection_threshold=threshold
        )
        self.expected_leakage_ = expected_leakage(labels, proba, classes=classes)
        self.expected_leakage_matrix_ = expected_leakage_matrix(
            labels, proba, classes=classes
        )

    def held_out_agreement(self, X: ArrayLike) -> tuple[NDArray, NDArray]:
        """Per-cluster agreement of ``X``'s own clustering with the fitted probe.

        A clone of the clusterer is refitted on ``X``; each of its clusters is
        paired with a training cluster (Hungarian matching on the probe's
        predictions) and its agreement is its points' mean probability on that
        training cluster.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Held-out data.

        Returns
        -------
        agreement : ndarray of shape (n_test_clusters,)
            Mean probability on the paired training cluster, in [0, 1].
        sizes : ndarray of shape (n_test_clusters,)
            Number of points in each of ``X``'s clusters.
        """
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            accept_sparse="csr",
            dtype=[np.float64, np.float32],
            reset=False,
            ensure_min_samples=2,
        )
        rng = check_random_state(self.random_state)
        n_keep = resolve_max_samples(self.max_samples, X.shape[0])
        if n_keep < X.shape[0]:
            X = X[np.sort(rng.choice(X.shape[0], n_keep, replace=False))]
        test_labels = cluster_labels(clone(self.clusterer), X)
        _, test_codes = encode_with_noise(test_labels, self.noise)
        if self.n_clusters_ == 0 or not np.any(test_codes >= 0):
            return np.zeros(0), np.zeros(0, dtype=np.intp)
        proba = aligned_proba(self.classifier_, X, self.n_clusters_)
        return held_out_agreement(test_codes, proba)

    def score(self, X: ArrayLike, y=None) -> float:
        """Number of clusters that reproduce on ``X`` (greater is better).

        ``X`` is treated as held-out data (see Notes of the class). A cluster of
        ``X``'s own clustering reproduces when its points put on average at least
        ``agreement_level`` of their probability on the training cluster paired
        with it. Over-splitting a real cluster makes both halves fail, merging two
        clusters leaves fewer to count, so the count peaks at the number of
        clusters the data support.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Held-out data. Not modified.
        y : None
            Ignored.

        Returns
        -------
        score : float
            Number of reproducible clusters, between 0 and the number of clusters.
        """
        agreement, _ = self.held_out_agreement(X)
        return reproducible_clusters(agreement, self.agreement_level)

    @available_if(_clusterer_has("predict"))
    def predict(self, X: ArrayLike) -> NDArray:
        """Predict the cluster of each sample with the fitted clusterer.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            New data.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Cluster of each sample.
        """
        check_is_fitted(self)
        X = validate_data(
            self, X, accept_sparse="csr", dtype=[np.float64, np.float32], reset=False
        )
        return self.clusterer_.predict(X)

    def fit_predict(self, X: ArrayLike, y=None) -> NDArray:
        """Fit on ``X`` and return the clusterer's labels of ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Cluster of each sample (-1 for noise).
        """
        return self.fit(X).labels_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.clusterer.__sklearn_tags__()
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = False
        tags.non_deterministic = inner.non_deterministic
        return tags
