"""LeakageScore: a meta-estimator that scores any clusterer by its leakage."""

from __future__ import annotations

import contextlib
import warnings
import zlib
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray
from sklearn.base import BaseEstimator, ClusterMixin, MetaEstimatorMixin, clone
from sklearn.exceptions import FitFailedWarning
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from sklearn_leakage._boundary import paired_boundary_leakage
from sklearn_leakage._clusterer_space import (
    has_steps,
    split_clusterer,
    steps_fill_no_nan,
    to_clusterer_space,
)
from sklearn_leakage._compat import (
    N_JOBS,
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    _fit_context,
)
from sklearn_leakage._dispersion import GAINS
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
    draws_linear_boundaries,
    fit_probe,
    out_of_fold_proba,
)
from sklearn_leakage._reference import UniformReference
from sklearn_leakage._restarts import with_restarts
from sklearn_leakage._row_hashes import FittedRows
from sklearn_leakage._seeding import with_seeds
from sklearn_leakage._selection import (
    N_CLUSTERS_PARAMS,
    held_out_agreement,
    held_out_prediction_strength,
)
from sklearn_leakage._subsample import (
    resolve_max_samples,
    stratified_subsample,
    uniform_rows,
)
from sklearn_leakage._threads import one_blas_thread
from sklearn_leakage._validation import (
    check_clusterer,
    check_numeric_columns,
    check_probe,
    final_step,
    n_rows,
)
from sklearn_leakage._warn import user_stacklevel
from sklearn_leakage.exceptions import (
    FoldError,
    InSampleScoreWarning,
    SingleClusterWarning,
    UnbalancedSplitWarning,
)

#: Held-out rows, as a share of the fitted rows, below which scoring warns.
#: Halves give 1 (up to one row); 3 folds give 0.5 when the rows divide by 3
#: (a fold one row short already warns); 5 folds,
#: scikit-learn's default, give 0.25: measured on the three benchmark batteries
#: (benchmarks/results/k_selection*_five_folds.md), 5 folds find the true k on
#: 62 of 96 data sets against 69 with halves. They lean towards fewer clusters,
#: which costs the main battery (43 of 59 against 52); the R data sets gain
#: (6 of 18 against 3).
_MIN_HELD_OUT_SHARE = 0.5


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


def _asked_for_one_cluster(clusterer) -> bool:
    """Whether the clusterer (or a Pipeline's last step) was set to 1 cluster."""
    final = final_step(clusterer)
    params = final.get_params(deep=False) if hasattr(final, "get_params") else {}
    return any(params.get(name) == 1 for name in N_CLUSTERS_PARAMS)


#: What the diagnostic fold loop sets (``compute_oof=True``).
_DIAGNOSTIC_ATTRIBUTES = (
    "oof_proba_",
    "leakage_matrix_",
    "expected_leakage_matrix_",
    "total_leakage_",
    "expected_leakage_",
)


@contextlib.contextmanager
def _feature_names_said_once():
    """Silence a Pipeline clusterer's steps about X's feature names.

    ``validate_data`` has compared X's feature names with those of the fit,
    which the Pipeline's first step saw too; the step would say the same again
    (scikit-learn's own Pipeline says it once).
    """
    with warnings.catch_warnings():
        for start in ("X does not have valid feature names", "X has feature names"):
            warnings.filterwarnings("ignore", message=start, category=UserWarning)
        yield


class LeakageScore(MetaEstimatorMixin, ClusterMixin, BaseEstimator):
    """Score a clusterer by how predictable, and how reproducible, its clusters are.

    ``fit`` fits a clone of ``clusterer`` on all of ``X``, then gives every point an
    out-of-fold probability over the clusters from a probe classifier, and reads
    leakage off those probabilities: the probability mass a point puts on clusters
    other than its own. ``score`` measures on held-out data how well the worst
    cluster reproduces (greater is better); with ``scoring=leakage_scorer`` and
    ``refit=refit_n_clusters``, ``GridSearchCV`` over ``clusterer__n_clusters``
    picks the number of clusters, and can answer that there is no structure.

    Read more in the :ref:`User Guide <leakage_score>`.

    Parameters
    ----------
    clusterer : estimator object
        Any scikit-learn clusterer (or Pipeline ending in one) with ``fit`` and
        either ``fit_predict``, ``labels_`` or ``predict``. It is cloned, never
        fitted in place. Label -1 means noise (DBSCAN, HDBSCAN, OPTICS). A
        k-means with ``n_init="auto"`` runs several times in the clones (see
        ``clusterer_``). A Pipeline's steps before the clusterer are part of
        the clustering: fitted once on the rows ``fit`` gets, they carry all
        data into the space the clusterer works in, and the probe, the
        reference data and every score work there, as they would behind
        ``make_pipeline(steps, LeakageScore(clusterer))``. The steps get ``X``
        as passed, so a ColumnTransformer can select data-frame columns by
        name, encode text columns or impute missing values; their output must
        be numbers.
    classifier : estimator object, default=None
        The probe: a classifier with ``predict_proba``. None chooses by the shape
        of the clusterer's boundaries: for clusterers that assign points to the
        nearest centre (they have ``cluster_centers_``: KMeans, MiniBatchKMeans,
        MeanShift, AffinityPropagation, and BisectingKMeans, whose tree cells
        are close to those) an isotropic scaling
        (every feature divided by one common scale, which keeps the geometry
        the clusterer partitioned) followed by ``LogisticRegression(C=100)``,
        which reproduces Voronoi boundaries; for the others (GaussianMixture,
        Agglomerative, Spectral, DBSCAN, HDBSCAN, Birch) the same scaling
        followed by 5 distance-weighted nearest neighbours, which follow
        curved boundaries. See the User Guide for the measurements.
    cv : int, cross-validation generator, iterable or None, default=5
        Folds for the out-of-fold probabilities. An int gives that many stratified,
        shuffled folds (fewer if no cluster has that many points); None gives
        5. Folds given otherwise must hold out every scored row exactly once,
        as :func:`~sklearn.model_selection.cross_val_predict` asks (not
        ``RepeatedKFold`` or ``ShuffleSplit``); folds given as row numbers
        index the scored rows, which are a subsample when ``max_samples`` is
        below the number of rows. A fold whose training part lacks a cluster
        it holds out (unshuffled ``KFold`` on rows sorted by cluster) warns
        with :class:`~sklearn_leakage.exceptions.FoldWarning`.
    mode : {"refit", "fixed"}, default="refit"
        ``"refit"``: on each fold a clone of the clusterer is refitted on the
        training part, the probe learns those labels, and the fold's clusters are
        paired with the full clustering's (Hungarian matching on the training
        points) before the held-out part is predicted. This judges whether the
        partition is reproducible. ``"fixed"``: the probe learns the full
        clustering's labels of the training part; this judges one given partition
        and is what a clustering made elsewhere gets.
    compute_oof : bool, default=True
        Whether ``fit`` computes the out-of-fold probabilities and the leakage
        attributes (``oof_proba_``, ``leakage_matrix_``, ``total_leakage_``,
        ``expected_leakage_``, ``expected_leakage_matrix_``), which the displays
        and :class:`LeakageReport` read. ``score`` and ``score_details`` do not
        need them: set False for the candidates of a search over the number of
        clusters, which then skips the ``cv`` refits of the clusterer and ``cv``
        fits of the probe per candidate (:func:`select_n_clusters` does this and
        adds them to the chosen candidate afterwards).
    detection_threshold : float, default=0.05
        Probability from which another cluster counts as plausible for a point
        (for ``leakage_matrix_`` and ``total_leakage_``).
    reference : {"uniform"} or None, default="uniform"
        Structureless reference data for the no-structure test: ``"uniform"``
        draws twice as many rows as are scored, uniformly in the principal-axis
        bounding box of ``X`` (the gap statistic's reference). ``score_details``
        clusters rows of the draw's second half, as many as it is given, with a
        clone of the clusterer, and reports how dense the clusterer's boundaries
        are on data without clusters and, for centroid clusterers, how much of
        its dispersion they explain. For the other clusterers ``fit`` also
        clusters the first half and trains a second probe on it, so that
        ``score_details`` reports how much their boundaries leak on the held-out
        reference rows. The draw is seeded by ``random_state`` and the training
        rows together, so that the splits of a search, which share one
        ``random_state``, draw different references. None skips it (and sparse
        ``X`` always does, as does a Pipeline clusterer whose steps output a
        sparse matrix of more than 256 columns with fewer than 2% non-zero
        entries, such as a text vectorizer's; a one-hot encoder's output is
        usually made dense).
    noise : {"exclude", "cluster"}, default="exclude"
        What label -1 means: noise points left out of the leakage figures, or an
        ordinary cluster.
    max_samples : "auto", int, float or None, default="auto"
        Rows used for the probe and the fold loop in ``fit``, and in
        ``score`` and ``score_details`` for the held-out rows' own clustering
        and the reference rows (``fit`` clusters all of ``X``, so
        ``labels_`` and ``predict`` cover every row). An int is a count (at
        least 2), a float in (0, 1] a fraction of the rows, None all rows,
        ``"auto"`` at most 10,000 rows (a stratified subsample beyond that; a
        leakage share estimated on it has a standard error of at most 0.5
        percentage points, sqrt(0.25 / 10000), and leakage drifts down as the
        probe learns from more rows, so compare clusterings at equal
        ``max_samples``). On large data, None costs more than linear time
        with the nearest-neighbour probe of non-centroid clusterers (see
        Notes).
    n_jobs : int, default=None
        Folds run in parallel. None means 1 unless in a joblib context.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds, the subsample and (with the training rows) the
        reference draw, and every ``random_state`` of the clusterer and the
        probe (or of their Pipeline steps) left at None: the estimator fits
        many clones of them, and an int here should give the same scores
        from the same data. A ``random_state`` you set there is kept. Pass an
        int for reproducible results; results do not depend on ``n_jobs``.

    Attributes
    ----------
    clusterer_ : estimator object
        The clone of ``clusterer`` fitted on all of ``X``. A KMeans (or
        MiniBatchKMeans) with ``n_init="auto"`` that starts from k-means++,
        which scikit-learn runs once, runs 10 times here (KMeans' default
        before scikit-learn 1.4): partitions of two halves from single runs
        disagree by their local optima, which looks like clusters that do
        not reproduce. Every clone the estimator fits (the held-out half's,
        the reference's, the diagnostic folds') is a clone of this one (of its
        last step, for a Pipeline). Set
        ``n_init`` to keep a number of your own. A ``random_state`` left at
        None is an int drawn from the estimator's ``random_state``.
    classifier_ : estimator object or None
        The probe fitted on the scored rows and the full clustering's labels;
        :meth:`predict_proba` asks it. None when the clusterer labelled every
        point as noise.
    reference_ : object or None
        The reference sampler (principal axes and ranges of ``X``) and the
        reference rows kept for scoring, or None.
    reference_classifier_ : estimator object or None
        The probe fitted on the reference data's clustering, or None (always
        for centroid clusterers, which are compared with the reference by
        dispersion instead of held-out leakage).
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training row, as the clusterer labelled it.
    classes_ : ndarray of shape (`n_clusters_`,)
        Cluster ids that are scored (without -1 when ``noise="exclude"``).
    n_clusters_ : int
        Number of scored clusters.
    noise_ratio_ : float
        Share of rows labelled -1 (0 when there is no noise).
    sample_indices_ : ndarray of shape (n_scored,)
        Rows used by the probe and the fold loop (all rows unless subsampled).
    oof_proba_ : ndarray of shape (n_scored, `n_clusters_`)
        Out-of-fold probability of each row of ``sample_indices_`` for each
        cluster of ``classes_``. This and the four leakage attributes below are
        only set when ``compute_oof=True``.
    leakage_matrix_ : ndarray of shape (`n_clusters_`, `n_clusters_`)
        :func:`leakage_matrix` of the out-of-fold probabilities (non-noise rows).
    total_leakage_ : float
        :func:`total_leakage` of the out-of-fold probabilities.
    expected_leakage_ : float
        :func:`expected_leakage` of the out-of-fold probabilities.
    expected_leakage_matrix_ : ndarray of shape (`n_clusters_`, `n_clusters_`)
        :func:`expected_leakage_matrix` of the out-of-fold probabilities.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    leakage_score : Score a labelling made elsewhere.
    make_leakage_scorer : Score a bare clusterer in ``GridSearchCV``.
    refit_n_clusters : Refit rule that picks the number of clusters.
    select_n_clusters : The GridSearchCV recipe in one call.

    Notes
    -----
    ``fit`` costs one fit of the clusterer on ``X`` plus, on at most
    ``max_samples`` rows, ``cv`` refits of the clusterer (``mode="refit"``) and
    ``cv + 1`` fits of the probe, and one fit each of the clusterer and the
    probe on the reference data (none for centroid clusterers, whose reference
    rows are only clustered when scored). With ``compute_oof=False`` the ``cv``
    refits and ``cv`` probe fits are skipped. At the default ``max_samples``
    nothing is quadratic in the number of rows; with ``max_samples=None`` the
    nearest-neighbour probe's predictions compare every held-out row with the
    training rows of its fold.

    ``score(X)`` is computed on ``X`` as held-out data: a clone of the clusterer is
    refitted on ``X`` (for inductive and non-inductive clusterers alike, since
    ``predict`` would only replay the training partition), the fitted probe
    predicts ``X``, the two labellings are paired one to one by the Hungarian
    algorithm, and each of ``X``'s clusters gets an agreement: its points' mean
    probability on the paired training cluster. The score is the smallest
    agreement, as in prediction strength [2]_. :meth:`score_details` adds
    what step 2 of :func:`refit_n_clusters` compares with reference data:
    the dispersion and separation gains of ``X``'s and the reference's own
    clusterings for a centroid clusterer, the held-out leakages of both for
    the others, and the densest boundary of both.

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
        "compute_oof": ["boolean"],
        "detection_threshold": [Interval(Real, 0, 1, closed="neither")],
        "reference": [StrOptions({"uniform"}), None],
        "noise": [StrOptions({"exclude", "cluster"})],
        "max_samples": [
            StrOptions({"auto"}),
            Interval(Integral, 2, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
            None,
        ],
        "n_jobs": N_JOBS,
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        clusterer,
        classifier=None,
        *,
        cv=5,
        mode="refit",
        compute_oof=True,
        detection_threshold=0.05,
        reference="uniform",
        noise="exclude",
        max_samples="auto",
        n_jobs=None,
        random_state=None,
    ):
        self.clusterer = clusterer
        self.classifier = classifier
        self.cv = cv
        self.mode = mode
        self.compute_oof = compute_oof
        self.detection_threshold = detection_threshold
        self.reference = reference
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
        with one_blas_thread():
            check_clusterer(self.clusterer)
            check_probe(self.classifier)
            X = self._validate_input(X, reset=True, ensure_min_samples=2)
            # A refit with compute_oof=False must not leave the diagnostics of an
            # earlier fit beside the new clustering, for displays to show.
            for name in _DIAGNOSTIC_ATTRIBUTES:
                if hasattr(self, name):
                    delattr(self, name)
            rng = check_random_state(self.random_state)
            # Seeds are drawn in a fixed order before any parallel work, so that the
            # results do not depend on n_jobs.
            (
                subsample_seed,
                self._fold_seed,
                self._score_seed,
                reference_seed,
                self._estimator_seed,
            ) = rng.randint(np.iinfo(np.int32).max, size=5)

            # n_init="auto" of a k-means becomes several runs (see _restarts), and
            # random states left at None are seeded (see _seeding).
            self.clusterer_ = with_seeds(
                with_restarts(self.clusterer), self._estimator_seed
            )
            with steps_fill_no_nan(X, has_steps(self.clusterer)):
                self.labels_ = cluster_labels(self.clusterer_, X)
            # A Pipeline's preprocessing is part of the clustering: the probe, the
            # reference and the scores work in the space its final step clusters
            # in (see _clusterer_space).
            self._preprocessing, self._final_clusterer = split_clusterer(
                self.clusterer_
            )
            X = to_clusterer_space(self._preprocessing, X)
            # Held-out and new rows are carried into the same kind of space.
            self._dense_space = not sp.issparse(X)
            self._fitted_rows = FittedRows(X)
            self._fitted_signature = _rows_signature(X)
            self.classes_, codes = encode_with_noise(self.labels_, self.noise)
            self.n_clusters_ = int(self.classes_.shape[0])
            self.noise_ratio_ = float(np.mean(self.labels_ == -1))

            n_keep = resolve_max_samples(self.max_samples, X.shape[0])
            self.sample_indices_ = stratified_subsample(codes, n_keep, subsample_seed)
            X_s, codes_s = X[self.sample_indices_], codes[self.sample_indices_]
            classifier = self._probe_for(X)
            if self.n_clusters_ == 0:
                warnings.warn(
                    "The clusterer labelled every point as noise (-1); there is no "
                    "cluster to score. Loosen its density parameters (eps, "
                    "min_samples) or pass noise='cluster'.",
                    SingleClusterWarning,
                    stacklevel=user_stacklevel(default=3),
                )
            elif self.n_clusters_ == 1 and not _asked_for_one_cluster(self.clusterer):
                # A search that offers k=1 as "no structure" gets one cluster by
                # design; only an unexpected single cluster deserves a warning.
                warnings.warn(
                    "The clusterer put every scored point into one cluster; its "
                    "leakage is 0 by definition and its score is 1 (one cluster "
                    "always reproduces).",
                    SingleClusterWarning,
                    stacklevel=user_stacklevel(default=3),
                )
            if self.compute_oof:
                self._out_of_fold_diagnostics(X_s, codes_s, classifier)
            self.classifier_ = (
                fit_probe(classifier, X_s, codes_s) if self.n_clusters_ >= 1 else None
            )
            self._fit_reference(X_s, classifier, _seed_with_rows(reference_seed, X_s))
            return self

    def _out_of_fold_diagnostics(self, X_s, codes_s, classifier):
        """The diagnostic fold loop: ``oof_proba_`` and the leakage attributes."""
        if self.n_clusters_ >= 2:
            try:
                self.oof_proba_ = out_of_fold_proba(
                    self._final_clusterer,
                    classifier,
                    X_s,
                    codes_s,
                    self.n_clusters_,
                    cv=self.cv,
                    mode=self.mode,
                    random_state=self._fold_seed,
                    n_jobs=self.n_jobs,
                    noise=self.noise,
                )
            except FoldError:
                # About the cv the user passed, and says so itself.
                raise
            except ValueError as exc:
                # The clusterer's or the probe's message names a fold, not the
                # data the user passed ("n_samples=2 should be >= n_clusters=3"
                # on 5 rows).
                n_fitted = self.labels_.shape[0]
                kept = (
                    f" (max_samples={self.max_samples!r} keeps {X_s.shape[0]} of "
                    f"the {n_fitted} rows)"
                    if X_s.shape[0] < n_fitted
                    else ""
                )
                raise ValueError(
                    f"The diagnostic fold loop (cv={self.cv!r}, mode="
                    f"{self.mode!r}) failed on the folds of the "
                    f"{X_s.shape[0]} scored rows{kept}: {str(exc).rstrip('.')}. "
                    f"Use {'a larger max_samples' if kept else 'more rows'}, "
                    "fewer folds or clusters, mode='fixed' (the "
                    "probe alone is refitted), or compute_oof=False."
                ) from exc
        else:
            self.oof_proba_ = np.ones((codes_s.shape[0], self.n_clusters_))
        self._set_leakage_attributes(codes_s)

    def _add_diagnostics(
        self, X, what: str = "the data of the fit", *, steps_before: bool = False
    ) -> LeakageScore:
        """Turn a fit made with ``compute_oof=False`` into one made with True.

        Runs only the diagnostic fold loop, on the clustering and the rows that
        the fit already drew, so the result equals a fresh fit with
        ``compute_oof=True`` and the same ``random_state``, without fitting the
        clusterer on all of ``X`` again. ``X`` must be the data of that fit.
        """
        with one_blas_thread():
            X = self._fitted_space(X, what, steps_before=steps_before, stacklevel=6)
            _, codes = encode_with_noise(self.labels_, self.noise)
            X_s, codes_s = X[self.sample_indices_], codes[self.sample_indices_]
            self.set_params(compute_oof=True)
            self._out_of_fold_diagnostics(X_s, codes_s, self._probe_for(X))
            return self

    def _fitted_space(
        self, X, what: str, *, steps_before: bool = False, stacklevel: int = 4
    ):
        """``X`` in the clusterer's space, refused unless it is the fitted data.

        Diagnostics and row ids computed on other rows than the fitted ones
        (unscaled where the fit saw them scaled, reordered, a subset) would
        describe a clustering that was not made, without an error. The rows
        are recognised by their shape and sums of their projections over
        blocks of consecutive rows, to a relative 1e-6 (rounding).
        ``steps_before``: X went through the
        ``transform`` of steps before this estimator in a Pipeline, which at
        fit gave it their ``fit_transform``; the two may differ by more than
        rounding (a randomized PCA's do), so other values only warn then.
        """
        X = self._to_clusterer_space(self._check_new_data(X))
        signature = getattr(self, "_fitted_signature", None)
        if signature is None or len(signature) != 3:
            # Fitted by a version that kept no signature, or one of another
            # form (projections of 256 rows): nothing to compare.
            return X
        shape, fitted_sums, scales = signature
        if X.shape != shape:
            raise ValueError(
                f"X has shape {X.shape} in the clusterer's space but the fit saw "
                f"{shape}; pass {what}, all of its rows in their order."
            )
        _, now, _ = _rows_signature(X)
        # Each block may differ by rounding of its own values, a relative 1e-6
        # of its scale (float32 copies round by 6e-8).
        tolerance = 1e-6 * scales
        if np.all(np.abs(now - fitted_sums) <= tolerance):
            return X
        message = (
            f"X is not {what}: it has the fitted shape {shape}, but other "
            "values (another scaling, other rows, or the rows in another "
            f"order); pass {what} as it was passed to fit."
        )
        if not steps_before:
            raise ValueError(message)
        warnings.warn(
            f"{message} If it is, the Pipeline's steps before LeakageScore "
            "transform it otherwise than at fit (a randomized PCA does), and "
            "the diagnostics describe their transform; fit with "
            "compute_oof=True to have them computed at fit.",
            UserWarning,
            stacklevel=user_stacklevel(default=stacklevel),
        )
        return X

    def _check_new_data(self, X, ensure_min_samples=1):
        """Validate data for a fitted estimator (see ``_validate_input``)."""
        check_is_fitted(self)
        return self._validate_input(
            X, reset=False, ensure_min_samples=ensure_min_samples
        )

    def _validate_input(self, X, *, reset: bool, ensure_min_samples: int):
        """``X`` as the clusterer takes it: floats (CSR if sparse), or as passed.

        A Pipeline clusterer's steps get ``X`` as the user passed it, as
        ``make_pipeline(steps, LeakageScore(clusterer))`` would: a
        ColumnTransformer selects data-frame columns by name, an encoder
        turns text columns into numbers, an imputer fills missing values.
        Their output is validated when it is carried into the final step's
        space (``to_clusterer_space``). Without steps, ``X`` is validated
        here. Either way the feature names and count are checked.
        """
        if has_steps(self.clusterer):
            # The steps take X as passed, unchecked, and 1-D input can be
            # theirs to take (a text vectorizer's documents). But after a fit
            # on a table, a single row passed as a 1-D array would surface as
            # "X does not contain any features": say it as check_array does.
            n_dims = np.ndim(X)
            if reset:
                self._fitted_ndim = n_dims
            elif n_dims != getattr(self, "_fitted_ndim", n_dims):
                raise ValueError(
                    f"Expected a {self._fitted_ndim}-dimensional X, as at fit, got "
                    f"{n_dims} dimension(s). Reshape your data either using "
                    "array.reshape(-1, 1) if it has a single feature or "
                    "array.reshape(1, -1) if it contains a single sample."
                )
            X = validate_data(self, X, reset=reset, skip_check_array=True)
            n_samples = n_rows(X)
            if n_samples < ensure_min_samples:
                raise ValueError(
                    f"Found array with {n_samples} sample(s) while a minimum of "
                    f"{ensure_min_samples} is required by LeakageScore."
                )
            return X
        check_numeric_columns(X)
        try:
            return validate_data(
                self,
                X,
                accept_sparse="csr",
                dtype=[np.float64, np.float32],
                reset=reset,
                ensure_min_samples=ensure_min_samples,
            )
        except ValueError as error:
            # scikit-learn's own words point supervised learners at estimators
            # that take NaN; here the fix is an imputer among the steps.
            if "contains NaN" not in str(error):
                raise
            raise ValueError(
                "Input X contains NaN. LeakageScore needs complete rows (the "
                "probe and the reference cannot take missing values): fill them "
                "in the clusterer's own steps, LeakageScore(make_pipeline("
                "SimpleImputer(), clusterer)), or drop the rows that have them."
            ) from None

    def _to_clusterer_space(self, X):
        """Validated rows carried into the space the final clusterer works in."""
        with _feature_names_said_once():
            dense_space = getattr(self, "_dense_space", None)
            if dense_space is None:
                # Pickled before the decision was kept: its steps' output was
                # made dense whenever X was dense, and a reference says the
                # rows it was fitted on were dense.
                dense_space = not sp.issparse(X) or self.reference_ is not None
            return to_clusterer_space(self._preprocessing, X, dense_space)

    def _probe_for(self, X):
        """The probe to fit: the user's, else the default for the fitted clusterer."""
        if self.classifier is None:
            return default_classifier(X, self.clusterer_)
        return with_seeds(self.classifier, self._estimator_seed)

    def _fit_reference(self, X_s, classifier, seed):
        """Cluster structureless data like X and train a probe on that partition."""
        self.reference_ = self.reference_classifier_ = None
        if self.reference is None or sp.issparse(X_s) or self.n_clusters_ < 2:
            return
        rng = np.random.default_rng(seed)
        self.reference_ = UniformReference().fit(X_s, rng)
        R = self.reference_.split_sample(X_s.shape[0], X_s.dtype, rng)
        if draws_linear_boundaries(self.clusterer_):
            # A centroid clusterer is compared with the reference by the
            # dispersion and the boundaries of the held-out reference rows' own
            # clustering; a probe trained on these rows would only give the
            # reference's held-out leakage, which the rule does not read for
            # it. Skipping it saves one clustering of uniform data, the slowest
            # to converge, and one probe per fit.
            return
        _, codes = encode_with_noise(
            cluster_labels(clone(self._final_clusterer), R), "exclude"
        )
        if np.any(codes >= 0):
            self.reference_classifier_ = fit_probe(classifier, R, codes)

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

    def score_details(self, X: ArrayLike) -> dict[str, float]:
        """Held-out reproducibility of ``X``, and its comparisons with reference data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Held-out data. Not modified.

        Returns
        -------
        details : dict
            ``"reproducibility"``: the smallest held-out agreement over ``X``'s
            clusters, in [0, 1] (what :meth:`score` returns). ``"leakage"``: the
            held-out leakage, 1 minus the mean over ``X``'s points of their
            probability on their paired cluster. ``"prediction_strength"``:
            the statistic of Tibshirani & Walther (2005) with the probe in
            place of their nearest centroid, the smallest share, over ``X``'s
            clusters, of a cluster's pairs of points that the probe predicts
            into the same training cluster (a diagnostic for readers who
            know it; :func:`refit_n_clusters` does not read it, see
            "How much the constants matter" in the user guide's k-selection
            page). ``"boundary_leakage"``: the
            leakage across the densest boundary of ``X``'s own clustering,
            measured by each point's nearest neighbours in ``X`` (10, or fewer
            than the smallest cluster has points): over the two clusters of a
            boundary, the share of their points' neighbours that lie across it
            (0 for clusters separated by a gap).
            ``"reference_boundary_leakage"``: the same for as many reference
            rows, clustered by a clone of the clusterer (NaN when
            ``reference=None`` or ``X``, or the Pipeline steps' output, is
            sparse). ``"n_clusters_found"``:
            ``n_clusters_``, the number of clusters the fitted clusterer made,
            which may be fewer than it was asked for (Birch, mixtures);
            :func:`refit_n_clusters` ranks candidates by it. Then the pair
            that test (a) of :func:`refit_n_clusters` compares, which depends
            on the clusterer. For centroid clusterers (those with
            ``cluster_centers_``, such as KMeans), ``"dispersion_gain"`` and
            ``"reference_dispersion_gain"``: ``log(W_1 / W_k)``, the logarithm
            of the total over the within-cluster sum of squares of ``X``'s own
            clustering, and the same for the reference rows, the quantity the
            gap statistic compares (0 with one cluster, NaN without
            reference); ``"separation_gain"`` and
            ``"reference_separation_gain"``: the same gain of the rows
            projected on the directions between the cluster centres, which
            noise features that no centre differs in cannot dilute; no probe
            is trained on reference data for them. For
            the other clusterers, ``"reference_leakage"``: the held-out
            leakage of the reference rows under a probe trained on the
            clustering of other reference rows (NaN without reference). With
            one cluster the reproducibility and the prediction strength are
            1 and every leakage 0; with none (all noise) they are 0 and every
            leakage 1; the dispersion and separation gains are 0 in both
            cases. When the clusterer cannot cluster ``X`` on its own (fewer
            rows than clusters, for one), every value but
            ``"n_clusters_found"`` is NaN, with a warning: the split failed,
            and :func:`refit_n_clusters` leaves the candidate out.

        Warns
        -----
        FitFailedWarning
            When the clusterer fails on ``X``; see above.
        UnbalancedSplitWarning
            When ``X`` has fewer than half as many rows as the fitted data.
        InSampleScoreWarning
            When ``X`` holds only rows the estimator was fitted on (all of
            them in any order, or a part of them after a fit on at most
            100,000 rows, as the clusterer sees them): the scores are then
            in-sample and optimistic.
        """
        with one_blas_thread():
            return self._score_details(X, stacklevel=3)

    def _score_details(self, X, stacklevel: int) -> dict[str, float]:
        """:meth:`score_details`; warnings point ``stacklevel`` frames up."""
        X = self._to_clusterer_space(self._check_new_data(X, ensure_min_samples=2))
        n_fitted = self.labels_.shape[0]
        # One cluster scores 1 and none 0 by definition, wherever X comes from.
        in_sample = self._fitted_rows.recognise(X)
        if self.n_clusters_ >= 2 and in_sample:
            # The default probe of all but centroid clusterers is k nearest
            # neighbours, for which the optimism is total.
            neighbours = self.classifier is None and not draws_linear_boundaries(
                self.clusterer_
            )
            seen, optimistic = ("", "")
            if neighbours:
                seen = " (its nearest neighbours predict each as its own label)"
                optimistic = " (1 on all the rows, whatever the partition)"
            warnings.warn(
                "X holds only rows the estimator was fitted on (all of them "
                "or a part, in any order), but score treats X as held-out "
                f"data: the probe has seen every point{seen}, and on all the "
                "rows the refitted clusterer replays the fitted partition, so "
                f"the score is optimistic{optimistic}. Score held-out rows "
                "(cross_validate, a search over halves) or read the fit's "
                "out-of-fold total_leakage_ and leakage_matrix_.",
                InSampleScoreWarning,
                stacklevel=user_stacklevel(default=stacklevel),
            )
        if X.shape[0] < _MIN_HELD_OUT_SHARE * n_fitted:
            warnings.warn(
                f"X has {X.shape[0]} rows, the fitted data {n_fitted}. The score "
                "clusters X on its own and compares that clustering with the "
                "fitted one, which is even-handed when both are halves of the "
                "data; a small X finds fewer clusters reliably. Search with "
                "cv=RepeatedKFold(n_splits=2, n_repeats=2) (what "
                "select_n_clusters does) rather than more folds.",
                UnbalancedSplitWarning,
                stacklevel=user_stacklevel(default=stacklevel),
            )
        rng = np.random.default_rng(self._score_seed)
        keep = uniform_rows(
            X.shape[0], resolve_max_samples(self.max_samples, X.shape[0]), rng
        )
        if keep is not None:
            X = X[keep]
        found = float(self.n_clusters_)
        if self.n_clusters_ == 0:
            return {
                "reproducibility": 0.0,
                "leakage": 1.0,
                "prediction_strength": 0.0,
                "boundary_leakage": 1.0,
                "reference_boundary_leakage": 1.0,
                "n_clusters_found": found,
                **self._test_a_with_at_most_one_cluster(reference_leakage=1.0),
            }
        if self.n_clusters_ == 1:
            return {
                "reproducibility": 1.0,
                "leakage": 0.0,
                "prediction_strength": 1.0,
                "boundary_leakage": 0.0,
                "reference_boundary_leakage": 0.0,
                "n_clusters_found": found,
                **self._test_a_with_at_most_one_cluster(reference_leakage=0.0),
            }
        try:
            agreement, sizes, codes, proba = self._held_out(X, self.classifier_)
        except ValueError as exc:
            # A held-out part too small for the clusterer (fewer rows than
            # clusters, for one). Raising would make GridSearchCV record one
            # number where this scorer returns a dict, and the whole search
            # would fail; NaN marks this split as failed, and the rule skips
            # the candidate.
            warnings.warn(
                f"The clusterer failed on the {X.shape[0]} scored rows ({exc}); "
                "every score of this split is NaN. Held-out parts must hold "
                "the candidate's clusters: search with halves "
                "(cv=RepeatedKFold(n_splits=2, n_repeats=2), what "
                "select_n_clusters does) or fewer clusters.",
                FitFailedWarning,
                stacklevel=user_stacklevel(default=stacklevel),
            )
            return self._failed_details(found)
        details = {
            "reproducibility": float(agreement.min()) if agreement.size else 0.0,
            "leakage": _held_out_leakage(agreement, sizes),
            # Of the data only: the reference's held-out rows need their
            # leakage, not this.
            "prediction_strength": (
                held_out_prediction_strength(codes, proba) if agreement.size else 0.0
            ),
            "n_clusters_found": found,
        }
        centroid = draws_linear_boundaries(self.clusterer_)
        if not centroid:
            # NaN unless the reference probe below gives a value.
            details["reference_leakage"] = float("nan")
        R = ref_codes = None
        if self.reference_classifier_ is not None:
            R = self.reference_.held_out(X.shape[0], rng)
            ref_agreement, ref_sizes, ref_codes, _ = self._held_out(
                R, self.reference_classifier_
            )
            details["reference_leakage"] = _held_out_leakage(ref_agreement, ref_sizes)
        elif self.reference_ is not None and centroid:
            # No reference probe (see _fit_reference): only the reference rows'
            # own clustering is needed, for the dispersion and the boundaries.
            R = self.reference_.held_out(X.shape[0], rng)
            ref_codes = self._own_codes(R)
        # A generator of its own: the draws above stay what they were.
        boundary_rng = np.random.default_rng([self._score_seed, 1])
        (
            details["boundary_leakage"],
            details["reference_boundary_leakage"],
        ) = paired_boundary_leakage(X, codes, R, ref_codes, boundary_rng)
        # The gap statistic's quantity, for the clusterers that minimise it:
        # a centroid clusterer's partition is judged by how much tighter it is
        # than its partition of reference data. Other clusterers do not aim at
        # compact clusters (rings, moons) and do not record it.
        # Both over all directions and along the directions between the
        # centres, where noise features cannot dilute it.
        if centroid:
            for name, gain in GAINS.items():
                details[name] = details[f"reference_{name}"] = float("nan")
                if R is not None and ref_codes is not None:
                    details[name] = gain(X, codes)
                    details[f"reference_{name}"] = gain(R, ref_codes)
        return details

    def _test_a_with_at_most_one_cluster(
        self, reference_leakage: float
    ) -> dict[str, float]:
        """Test (a)'s reference values for a partition with at most one cluster.

        Each clusterer records the pair that test (a) of ``refit_n_clusters``
        reads for it: dispersion gains for a centroid clusterer (0, as for one
        cluster), the reference's held-out leakage for the others.
        """
        if draws_linear_boundaries(self.clusterer_):
            return {key: 0.0 for name in GAINS for key in (name, f"reference_{name}")}
        return {"reference_leakage": reference_leakage}

    def _failed_details(self, found: float) -> dict[str, float]:
        """The keys of ``score_details`` for a split that failed: NaN but ``found``.

        Test (a)'s keys are those of ``_test_a_with_at_most_one_cluster``,
        which knows which pair the clusterer records.
        """
        nan = float("nan")
        test_a = self._test_a_with_at_most_one_cluster(reference_leakage=nan)
        return {
            "reproducibility": nan,
            "leakage": nan,
            "prediction_strength": nan,
            "boundary_leakage": nan,
            "reference_boundary_leakage": nan,
            "n_clusters_found": found,
            **dict.fromkeys(test_a, nan),
        }

    def _own_codes(self, X) -> NDArray[np.intp]:
        """Codes of X's own clustering by a clone of the clusterer (-1: noise)."""
        _, codes = encode_with_noise(
            cluster_labels(clone(self._final_clusterer), X), self.noise
        )
        return codes

    def _held_out(self, X, probe):
        """Agreement of X's own clustering with a probe trained on other data.

        Returns the agreement and size of each of X's clusters, the codes of
        X's own clustering (-1: noise, left out) and the probe's probabilities
        (None when every point of X is noise).
        """
        test_codes = self._own_codes(X)
        if not np.any(test_codes >= 0):
            return np.zeros(0), np.zeros(0, dtype=np.intp), test_codes, None
        n_classes = int(np.max(probe.classes_)) + 1
        proba = aligned_proba(probe, X, max(n_classes, self.n_clusters_))
        agreement, sizes = held_out_agreement(test_codes, proba)
        return agreement, sizes, test_codes, proba

    def score(self, X: ArrayLike, y=None) -> float:
        """Held-out agreement of the worst cluster (greater is better).

        ``X`` is treated as held-out data (see Notes of the class): a clone of the
        clusterer is refitted on ``X``, and each of its clusters is paired with a
        training cluster of its own. A cluster's agreement is its points' mean
        probability, under the fitted probe, on the paired training cluster; the score
        is the smallest agreement, in [0, 1]. A real cluster reproduces (agreement near
        1); splitting a real cluster or merging two makes the worst agreement fall. One
        cluster always reproduces (score 1), so pick the number of clusters with
        :func:`refit_n_clusters`, not with the largest score.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Held-out data. Not modified.
        y : None
            Ignored.

        Returns
        -------
        score : float
            Smallest held-out agreement over ``X``'s clusters, in [0, 1]; NaN
            when the clusterer cannot cluster ``X`` on its own (see
            :meth:`score_details`).

        Warns
        -----
        InSampleScoreWarning
            When ``X`` holds only rows the estimator was fitted on (a part of
            them is recognised after a fit on at most 100,000 rows): the probe
            has seen every point, and on all the rows the fitted partition is
            replayed, so the score is optimistic (1 on all the rows with the
            nearest-neighbour probe, whatever the partition).
        UnbalancedSplitWarning
            When ``X`` has fewer than half as many rows as the fitted data: its
            own clustering then finds fewer clusters reliably than the fitted
            one, so search with halves of the data.
        FitFailedWarning
            When the clusterer fails on ``X`` (fewer rows than clusters).
        """
        with one_blas_thread():
            return self._score_details(X, stacklevel=3)["reproducibility"]

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
        X = self._check_new_data(X)
        with _feature_names_said_once():
            return self.clusterer_.predict(X)

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Probability of each cluster for new samples, by the fitted probe.

        The probe (``classifier_``) learned the full clustering on the scored
        rows, so this gives soft assignments for any clusterer, including
        those without ``predict`` (DBSCAN, agglomerative, spectral). One minus
        a row's largest probability is that point's expected leakage: points
        between clusters get a low largest probability.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            New data.

        Returns
        -------
        proba : ndarray of shape (n_samples, `n_clusters_`)
            Probability of each cluster, columns in the order of ``classes_``;
            rows sum to 1.

        Raises
        ------
        ValueError
            When the clusterer labelled every training point as noise, so the
            probe had no cluster to learn.
        """
        X = self._to_clusterer_space(self._check_new_data(X))
        if self.classifier_ is None:
            raise ValueError(
                "The clusterer labelled every training point as noise (-1), so "
                "there is no cluster to predict. Loosen its density parameters "
                "(eps, min_samples) or fit with noise='cluster'."
            )
        return aligned_proba(self.classifier_, X, self.n_clusters_)

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
        inner = get_tags(self.clusterer)
        tags.input_tags.sparse = inner.input_tags.sparse
        # Missing values are the clusterer's steps' to fill (an imputer);
        # without steps, the probe and the reference cannot take them.
        tags.input_tags.allow_nan = (
            has_steps(self.clusterer) and inner.input_tags.allow_nan
        )
        tags.non_deterministic = inner.non_deterministic
        return tags


#: Blocks of consecutive rows whose weighted sums recognise the fitted data.
_SIGNATURE_BLOCKS = 4096


def _rows_signature(X) -> tuple[tuple, np.ndarray, np.ndarray]:
    """The shape of ``X`` and weighted sums of its rows' projections by block.

    Unlike the row hashes that recognise the fitted rows (``_row_hashes``), it
    can be compared up to rounding. Every row is projected on one direction
    and weighted by a number drawn for its position, and the products are
    summed over :data:`_SIGNATURE_BLOCKS` blocks of consecutive rows (one row
    each up to that many rows). Swapping two rows anywhere changes the sums of
    their blocks, where projections of a few evenly spaced rows missed a swap
    between the rows they left out. It keeps a bounded array however many
    rows there are. The direction and the weights are fixed (not the
    estimator's seed), so that it depends on the rows alone. Also returned,
    the scale of each block's rounding: the same sums with every value, the
    direction and the weights taken as absolute values.
    """
    n_rows = X.shape[0]
    direction = np.random.RandomState(0).standard_normal(X.shape[1])
    weights = np.random.RandomState(1).standard_normal(n_rows)
    weighted = np.asarray(X @ direction, dtype=np.float64).ravel() * weights
    # What rounding each value by a relative 1e-6 can move a weighted term by,
    # at most: cancellation in a projection does not shrink it.
    bound = np.asarray(abs(X) @ np.abs(direction), dtype=np.float64).ravel()
    starts = np.unique(
        np.linspace(0, n_rows, min(n_rows, _SIGNATURE_BLOCKS), endpoint=False).astype(
            np.intp
        )
    )
    sums = np.add.reduceat(weighted, starts)
    scales = np.add.reduceat(bound * np.abs(weights), starts)
    return X.shape, sums, scales


def _crc32(array, checksum: int) -> int:
    """``checksum`` continued over the bytes of ``array`` (C order)."""
    return zlib.crc32(np.ascontiguousarray(array).view(np.uint8).data, checksum)


def _seed_with_rows(seed, X) -> int:
    """A seed drawn from ``seed`` and the bytes of the rows ``X``.

    A search clones the estimator with one ``random_state`` for every split, so
    a seed from ``random_state`` alone would give every split the same
    reference draw, and the paired tests of :func:`refit_n_clusters` would
    compare the splits with one draw's luck while taking its standard error
    for that of independent draws. Mixing in the training rows gives each split
    its own draw and keeps a fit reproducible: the same rows and the same
    ``random_state`` draw the same reference.
    """
    digest = _crc32(X.data if sp.issparse(X) else X, 0)
    return int(np.random.SeedSequence([int(seed), digest]).generate_state(1)[0])


def _held_out_leakage(agreement, sizes) -> float:
    """1 minus the mean own-cluster probability over all held-out points."""
    if not sizes.sum():
        return 1.0
    return float(1.0 - np.sum(agreement * sizes) / np.sum(sizes))
