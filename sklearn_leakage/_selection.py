"""The k-selection criterion: the largest reproducible partition that is real."""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray

from sklearn_leakage._align import match_clusters
from sklearn_leakage._dispersion import GAINS
from sklearn_leakage._warn import user_stacklevel
from sklearn_leakage.exceptions import (
    CloseCallWarning,
    NoReferenceWarning,
    NoStructureWarning,
    OtherParametersWarning,
)


def held_out_agreement(
    test_codes: NDArray[np.intp], proba: NDArray[np.floating]
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Agreement of each held-out cluster with the probe's training clusters.

    Parameters
    ----------
    test_codes : ndarray of shape (n_samples,)
        Codes of the held-out data's own clustering (-1: noise, left out).
    proba : ndarray of shape (n_samples, n_train_clusters)
        The probe's probabilities for the same rows.

    Returns
    -------
    agreement : ndarray of shape (n_test_clusters,)
        Mean probability that each held-out cluster's points put on the training
        cluster paired with it. The pairing is one to one: two held-out
        clusters that the probe puts in the same training cluster (a cluster
        the held-out half cut in two and the training half did not) cannot
        both take it, so one of them is paired with a training cluster its
        points barely reach and its agreement is low. Only held-out clusters
        beyond the training clustering's number go to the training cluster
        their points fall in most.
    sizes : ndarray of shape (n_test_clusters,)
        Points in each held-out cluster.
    """
    keep = test_codes >= 0
    codes, proba = test_codes[keep], proba[keep]
    n_test = int(codes.max()) + 1
    predicted = proba.argmax(axis=1)
    # A held-out cluster is reproduced only if it has a training cluster of its
    # own; sharing one with another held-out cluster would hide a split.
    mapping = match_clusters(codes, predicted, n_test, proba.shape[1], one_to_one=True)
    own = proba[np.arange(codes.shape[0]), mapping[codes]]
    sizes = np.bincount(codes, minlength=n_test)
    sums = np.bincount(codes, weights=own, minlength=n_test)
    agreement = np.divide(sums, sizes, out=np.zeros(n_test), where=sizes > 0)
    return agreement, sizes


def held_out_prediction_strength(
    test_codes: NDArray[np.intp], proba: NDArray[np.floating]
) -> float:
    """Prediction strength of the held-out clustering under the probe.

    The statistic of Tibshirani & Walther (2005) with the probe in place of
    their nearest-centroid rule: for each held-out cluster, the share of its
    pairs of points that the probe predicts into the same training cluster;
    the smallest share over the held-out clusters of at least two points. It
    needs no pairing of clusters. A cluster that the probe spreads over two
    training clusters as 90 : 10 keeps 0.82 of its pairs, where its
    agreement (:func:`held_out_agreement`) is about 0.9.

    Parameters
    ----------
    test_codes : ndarray of shape (n_samples,)
        Codes of the held-out data's own clustering (-1: noise, left out).
    proba : ndarray of shape (n_samples, n_train_clusters)
        The probe's probabilities for the same rows.

    Returns
    -------
    strength : float
        In [0, 1]; 0 when no held-out cluster has two points.
    """
    keep = test_codes >= 0
    codes, predicted = test_codes[keep], proba[keep].argmax(axis=1)
    if not codes.size:
        return 0.0
    n_train = proba.shape[1]
    # Points per (held-out cluster, predicted training cluster) cell.
    cells = np.bincount(codes * n_train + predicted).astype(np.float64)
    together = np.bincount(
        np.arange(cells.shape[0]) // n_train, weights=cells * (cells - 1)
    )
    sizes = np.bincount(codes).astype(np.float64)
    pairs = sizes * (sizes - 1)
    counted = pairs > 0
    if not counted.any():
        return 0.0
    return float(np.min(together[counted] / pairs[counted]))


#: Names of a clusterer's number-of-clusters parameter, in order of preference:
#: most clusterers say ``n_clusters``, mixtures (GaussianMixture,
#: BayesianGaussianMixture) say ``n_components``.
N_CLUSTERS_PARAMS = ("n_clusters", "n_components")


def find_n_clusters_param(names) -> str | None:
    """The one name among ``names`` that ends in a number-of-clusters parameter.

    ``n_clusters`` is looked for first, then ``n_components``; a name matches
    when it is the parameter itself or ends in ``__`` plus it (a nested
    parameter such as ``clusterer__kmeans__n_clusters``). Returns None when no
    name matches; raises when several do.
    """
    names = list(names)
    for param in N_CLUSTERS_PARAMS:
        found = [n for n in names if n == param or n.endswith(f"__{param}")]
        if len(found) > 1:
            raise ValueError(
                f"Several searched parameters set the number of clusters: {found}; "
                "search over one of them."
            )
        if found:
            return found[0]
    return None


def _param_name(cv_results):
    searched = [key[len("param_") :] for key in cv_results if key[:6] == "param_"]
    name = find_n_clusters_param(searched)
    if name is None:
        raise ValueError(
            f"No searched parameter sets the number of clusters (searched: "
            f"{searched}); search over clusterer__n_clusters (or "
            "clusterer__n_components for a mixture)."
        )
    return name


def _check_is_cv_results(cv_results, caller: str = "refit_n_clusters") -> None:
    """Refuse a search, or anything else that is not its ``cv_results_``."""
    if hasattr(cv_results, "cv_results_"):
        how = (
            " (GridSearchCV(refit=refit_n_clusters) does)"
            if caller == "refit_n_clusters"
            else ""
        )
        raise TypeError(
            f"{caller} takes the cv_results_ dict, not the search: pass "
            f"search.cv_results_{how}."
        )
    if not isinstance(cv_results, dict):
        raise TypeError(
            f"{caller} takes GridSearchCV's cv_results_ dict, got "
            f"{type(cv_results).__name__}."
        )


def _check_scores(cv_results) -> None:
    """Refuse a search whose scores are no reproducibility the rule can read."""
    if "mean_test_reproducibility" in cv_results:
        return
    if "mean_test_score" not in cv_results:
        recorded = sorted(k[10:] for k in cv_results if k[:10] == "mean_test_")
        raise ValueError(
            f"The search recorded the scores {recorded}, none of them "
            "reproducibility: score it with leakage_scorer (a LeakageScore) "
            "or make_leakage_scorer() (a bare clusterer)."
        )
    scores = np.asarray(np.ma.getdata(cv_results["mean_test_score"]), dtype=float)
    finite = scores[np.isfinite(scores)]
    if finite.size and (finite.min() < 0 or finite.max() > 1):
        # A bare clusterer's own score(), such as k-means' negative inertia:
        # the level 0.8 of a reproducibility would mean nothing.
        raise ValueError(
            f"The search's scores run from {finite.min():.4g} to "
            f"{finite.max():.4g}, so they are not reproducibilities (in [0, 1]): "
            "a bare clusterer was scored by its own score(). Pass "
            "scoring=make_leakage_scorer(), or wrap it in LeakageScore and "
            "pass scoring=leakage_scorer."
        )


def _warn_about_other_parameters(cv_results, name) -> None:
    """Warn when the search varied parameters the rule does not choose."""
    varied = [
        key[len("param_") :]
        for key, values in cv_results.items()
        if key[:6] == "param_"
        and key != f"param_{name}"
        and len({repr(value) for value in np.ma.getdata(values)}) > 1
    ]
    if varied:
        warnings.warn(
            f"The search varied {', '.join(varied)} besides {name}. The rule "
            "chooses the number of clusters only: of the candidates that make "
            "that number and pass, the first in the search's order is "
            "returned, whatever its other parameters. Fix them, or compare "
            "their settings in searches of their own.",
            OtherParametersWarning,
            stacklevel=user_stacklevel(default=3),
        )


def _n_splits(cv_results, suffix="score"):
    return sum(
        1
        for key in cv_results
        if key.startswith("split") and key.endswith(f"_test_{suffix}")
    )


#: Held-out agreement that the worst cluster must keep. Tibshirani and Walther
#: (2005) recommend choosing the largest k whose prediction strength is at least
#: 0.8 to 0.9; 0.8 is the lower end, applied here to the mean probability that a
#: held-out cluster's points put on their paired training cluster.
REPRODUCIBILITY_LEVEL = 0.8


def reaches_level(
    mean: NDArray, std_error: NDArray, n_std_errors: float = 1.0
) -> NDArray[np.bool_]:
    """Step 1: whether each candidate's mean less one standard error reaches 0.8.

    False for a candidate with no mean (a failed split); a missing standard
    error counts as 0. ``n_std_errors`` replaces the one standard error, for
    :func:`close_call`.
    """
    return np.asarray(
        mean - n_std_errors * np.nan_to_num(std_error) >= REPRODUCIBILITY_LEVEL
    )


def _metric(cv_results, name):
    """Mean and standard error of a (possibly named) metric, per candidate."""
    suffix = "score" if f"mean_test_{name}" not in cv_results else name
    n_splits = _n_splits(cv_results, suffix)
    mean = np.asarray(cv_results[f"mean_test_{suffix}"], dtype=float)
    std = np.asarray(cv_results[f"std_test_{suffix}"], dtype=float)
    return mean, std / np.sqrt(max(n_splits, 1))


#: The reference's side of test (a), as leakage_scorer records it: dispersion
#: gains for centroid clusterers, held-out leakage for the others.
REFERENCE_METRICS = ("reference_dispersion_gain", "reference_leakage")


def has_reference_scores(cv_results: dict) -> bool:
    """Whether the search recorded the reference's side of step 2's test (a).

    :data:`leakage_scorer` records it as dispersion gains for centroid
    clusterers and as held-out leakage for the others; without it, step 2
    tests nothing.
    """
    recorded = [
        values
        for name in REFERENCE_METRICS
        if (values := _per_split(cv_results, name)) is not None
    ]
    if not recorded:
        return False
    # Sparse data get no reference: the columns are there, NaN wherever a
    # partition was to be tested, and a test that cannot run rejects nothing.
    name = find_n_clusters_param(
        key[len("param_") :] for key in cv_results if key.startswith("param_")
    )
    if name is None:
        return True
    requested = np.asarray(cv_results[f"param_{name}"], dtype=float)
    several = found_n_clusters(cv_results, requested) > 1
    return not several.any() or any(
        np.isfinite(values[:, several]).any() for values in recorded
    )


def _per_split(cv_results, name):
    """A metric's values as an array (n_splits, n_candidates); None if absent."""
    n_splits = _n_splits(cv_results, name)
    if n_splits == 0:
        return None
    return np.array(
        [np.ma.getdata(cv_results[f"split{i}_test_{name}"]) for i in range(n_splits)],
        dtype=float,
    )


def _paired_differences(cv_results, name):
    """Per-split "reference minus data" values of a metric, (n_splits, n_candidates).

    Each split pairs a held-out half of the data with a reference sample of the
    same size, so the differences are paired. None when the search did not
    record the metric and its reference on the same splits.
    """
    data = _per_split(cv_results, name)
    reference = _per_split(cv_results, f"reference_{name}")
    if data is None or reference is None or data.shape != reference.shape:
        return None
    # A failed split is NaN on both sides; its difference is NaN, silently.
    with np.errstate(invalid="ignore"):
        return reference - data


def _standard_error(values):
    return values.std(ddof=1) / np.sqrt(values.size) if values.size > 1 else 0.0


def found_n_clusters(cv_results: dict, requested: NDArray) -> NDArray[np.float64]:
    """Number of clusters each candidate made, per row of ``cv_results``.

    A clusterer may make fewer clusters than it was asked for: Birch when its
    threshold leaves fewer subclusters, a mixture when components end up empty.
    The scorers record the number each fit made as ``n_clusters_found``; its
    median over the splits is returned (what most fits made, as the refit on
    all rows most likely will), and ``requested`` where the search did not
    record it or the candidate failed.
    """
    requested = np.asarray(requested, dtype=float)
    per_split = _per_split(cv_results, "n_clusters_found")
    if per_split is None:
        return requested
    with warnings.catch_warnings():
        # A failed candidate has NaN on every split: it falls back below.
        warnings.simplefilter("ignore", RuntimeWarning)
        found = np.nanmedian(per_split, axis=0)
    return np.where(np.isfinite(found), found, requested)


def _margins(cv_results, n_clusters, name, sign, flip=False):
    """Mean paired difference plus ``sign`` standard errors, per candidate.

    The difference is "reference minus data", or "data minus reference" with
    ``flip`` (for metrics where the data should be the greater).
    """
    if n_clusters is None:
        requested = cv_results[f"param_{_param_name(cv_results)}"]
        n_clusters = found_n_clusters(cv_results, requested)
    n_clusters = np.asarray(n_clusters, dtype=float)
    margins = np.full(n_clusters.shape[0], np.nan)
    differences = _paired_differences(cv_results, name)
    if differences is None:
        return margins
    if flip:
        differences = -differences
    # More than one cluster: a candidate that made one cluster on half of the
    # splits and two on the others (median 1.5) is tested too.
    for index in np.flatnonzero(n_clusters > 1):
        diff = differences[:, index]
        # A split with no value (a failed fit) leaves nothing to test.
        if np.all(np.isfinite(diff)):
            margins[index] = diff.mean() + sign * _standard_error(diff)
    return margins


def reference_margins(
    cv_results: dict, n_clusters: NDArray | None = None, n_std_errors: float = 1.0
) -> NDArray[np.float64]:
    """Test (a) of step 2 of :func:`refit_n_clusters` for every candidate.

    Is the partition better than the same clusterer's partition of
    structureless reference data? Returns, per row of ``cv_results``, the mean
    of paired per-split differences less one standard error; the partition
    passes when it is positive. For a centroid clusterer the difference is
    "dispersion gain minus reference dispersion gain" (the gap statistic's
    comparison: the partition must be tighter, relative to one cluster, than
    the reference's), or the same for the separation gains (the gains along
    the directions between the centres), whichever margin is greater: either
    comparison passing is enough; for other clusterers, which record no
    dispersion gain,
    it is "reference leakage minus leakage" (the partition must leak less on
    held-out data). NaN where there is nothing to test: candidates that made
    at most 1 cluster (median over the splits), failed candidates, or a search
    that recorded neither pair of metrics. ``n_clusters`` gives the number of
    clusters per row; by default, the median number each candidate made over
    the splits
    (``n_clusters_found``), or the value of the searched parameter that ends
    in ``n_clusters`` (or ``n_components``) when it was not recorded.
    ``n_std_errors`` replaces the one standard error, for :func:`close_call`.
    """
    # Either comparison suffices: over all directions, or along those that
    # separate the centres (fmax keeps the one recorded when the other is NaN,
    # as in searches scored before the separation gain existed).
    sign = -n_std_errors
    centroid = np.fmax.reduce(
        [_margins(cv_results, n_clusters, name, sign, flip=True) for name in GAINS]
    )
    leakage = _margins(cv_results, n_clusters, "leakage", sign)
    return np.where(np.isnan(centroid), leakage, centroid)


def boundary_margins(
    cv_results: dict, n_clusters: NDArray | None = None, n_std_errors: float = 1.0
) -> NDArray[np.float64]:
    """Test (b) of step 2 of :func:`refit_n_clusters` for every candidate.

    Returns, per row of ``cv_results``, the mean of the paired per-split
    differences "reference boundary leakage minus boundary leakage" plus one
    standard error; the partition passes unless it is negative, that is unless
    its densest boundary is denser than the reference's by more than one
    standard error. NaN where there is nothing to test, as for
    :func:`reference_margins`; ``n_std_errors`` as there.
    """
    return _margins(cv_results, n_clusters, "boundary_leakage", n_std_errors)


def step_2_failures(
    cv_results: dict, n_clusters: NDArray | None = None, n_std_errors: float = 1.0
) -> tuple[NDArray, NDArray]:
    """Which candidates fail test (a) and which fail test (b) of step 2.

    Two bool arrays, one flag per row of ``cv_results``: no better than the
    reference's partition, and a boundary denser than the reference's densest.
    False where there is nothing to test.
    """
    # NaN compares False: a test that could not run rejects nothing.
    no_better = reference_margins(cv_results, n_clusters, n_std_errors) <= 0
    dense = boundary_margins(cv_results, n_clusters, n_std_errors) < 0
    return no_better, dense


def not_real(
    cv_results: dict, n_clusters: NDArray | None = None, n_std_errors: float = 1.0
) -> NDArray:
    """Candidates that fail step 2 of :func:`refit_n_clusters` (bool per row).

    False where there is nothing to test.
    """
    no_better, dense = step_2_failures(cv_results, n_clusters, n_std_errors)
    return no_better | dense


#: What :func:`candidate_verdicts` says of each candidate, by the first
#: test it fails in the rule's order, or by why it passes.
VERDICTS = {
    "chosen": "chosen",
    # When nothing passes, the rule still returns a candidate (1 was not
    # searched); a bare "chosen" would read as a partition that passed.
    # The advice (search 1 too) is the NoStructureWarning's, in the words of
    # the caller: the command line's differ.
    "chosen_smallest": "chosen only as the smallest candidate: none passes both steps",
    "chosen_unreproduced": (
        "chosen as the most reproducible, though none reproduces: mean - s.e. "
        f"below {REPRODUCIBILITY_LEVEL:g} for every candidate"
    ),
    "failed": "failed on a split",
    "step_1": f"does not reproduce: mean - s.e. below {REPRODUCIBILITY_LEVEL:g}",
    # Each test has a margin of one standard error: a candidate whose mean
    # comparison favours the data by less than that fails, and the verdict
    # says so, or the numbers beside it would seem to contradict it.
    "no_better": "not real: not better than uniform noise by over one s.e.",
    "dense": "not real: a boundary denser than noise's densest by over one s.e.",
    "one": "one cluster: the answer when no larger k passes",
    "passes": "passes; the rule takes the largest that does",
    "same": (
        "passes, but made as many clusters as the chosen one, which asked for "
        "fewer or comes first in the search"
    ),
}


def candidate_margins(
    cv_results: dict, n_clusters: NDArray | None = None
) -> dict[str, NDArray[np.float64]]:
    """By how much each candidate passes or fails each test of the rule.

    Returns three arrays, one value per row of ``cv_results``, each
    non-negative where the candidate passes the test (test (a): positive):
    ``"step_1_margin"``, the mean reproducibility less one standard error
    less the level 0.8; ``"test_a_margin"``, :func:`reference_margins`;
    ``"test_b_margin"``, :func:`boundary_margins`. NaN where a test has
    nothing to judge (step 2 for a single cluster, a failed candidate, a
    search without reference scores). They are what the verdicts of
    :func:`candidate_verdicts` compare with 0, so that a report can show how
    near each verdict is to the other answer.
    """
    mean, std_error = _metric(cv_results, "reproducibility")
    return {
        "step_1_margin": mean - np.nan_to_num(std_error) - REPRODUCIBILITY_LEVEL,
        "test_a_margin": reference_margins(cv_results, n_clusters),
        "test_b_margin": boundary_margins(cv_results, n_clusters),
    }


def candidate_verdicts(cv_results: dict, best_index: int) -> list[str]:
    """What :func:`refit_n_clusters` makes of each candidate, in words.

    One entry of :data:`VERDICTS` per row of ``cv_results``: "chosen" for
    ``best_index``, or, when no candidate passed and the rule fell back on
    one, which and why; for the others the first step the candidate fails, in the
    rule's order (step 1, then step 2's test (a), then its test (b)), or,
    when it passes both steps, why it is not the answer: a smaller number of
    clusters than the chosen, or as many (a Birch asked for more clusters than
    its threshold leaves makes the same number as one asked for fewer, and
    the smaller request is chosen). The two step-2
    verdicts are the reasons :class:`KSelectionDisplay` marks with a cross
    and a square.
    """
    requested = np.asarray(cv_results[f"param_{_param_name(cv_results)}"], float)
    n_clusters = found_n_clusters(cv_results, requested)
    mean, std_error = _metric(cv_results, "reproducibility")
    reproduces = reaches_level(mean, std_error)
    no_better, dense = step_2_failures(cv_results, n_clusters)
    verdicts = []
    for index in range(mean.shape[0]):
        if index == best_index:
            key = _chosen_verdict(
                index, mean, reproduces, no_better | dense, n_clusters
            )
        elif not np.isfinite(mean[index]):
            key = "failed"
        elif not reproduces[index]:
            key = "step_1"
        elif no_better[index]:
            key = "no_better"
        elif dense[index]:
            key = "dense"
        elif n_clusters[index] <= 1:
            key = "one"
        elif n_clusters[index] == n_clusters[best_index]:
            key = "same"
        else:
            key = "passes"
        verdicts.append(VERDICTS[key])
    return verdicts


def _chosen_verdict(index, mean, reproduces, not_real, n_clusters) -> str:
    """The key of :data:`VERDICTS` for the candidate the rule returned.

    One cluster, or a candidate that passes both steps, is the rule's answer
    as it states it. Otherwise nothing passed and the rule fell back, as its
    NoStructureWarning says: on the most reproducible candidate when nothing
    reproduces and that one is real (or nothing tested it), else on the
    smallest candidate.
    """
    if n_clusters[index] <= 1 or (reproduces[index] and not not_real[index]):
        return "chosen"
    most_reproducible = mean[index] == np.nanmax(mean)
    if not np.any(reproduces) and most_reproducible and not not_real[index]:
        return "chosen_unreproduced"
    return "chosen_smallest"


def refit_n_clusters(cv_results: dict) -> int:
    """Largest number of clusters that reproduces and is real, else 1.

    A refit callable for ``GridSearchCV(..., refit=refit_n_clusters)``. Step 1,
    reproducibility: among the candidates, take the largest number of clusters
    whose worst cluster keeps a held-out agreement of at least 0.8 with one
    standard error to spare (mean minus ``std / sqrt(n_splits)``), the rule of
    prediction strength (Tibshirani & Walther, 2005). Merged clusters often still
    reproduce, a split cluster does not, so the largest reproducible number is
    the one the data support. Step 2, is it real: when the search recorded
    the reference metrics of :data:`leakage_scorer`, a partition must pass two
    comparisons with uniform reference data of the same extent and size,
    clustered the same way (the gap statistic's reference, Tibshirani, Walther
    & Hastie, 2001), each judged on the paired per-split differences with one
    standard error. (a) It must be better than the reference's partition by
    more than one standard error. For a centroid clusterer (KMeans and the
    others that expose ``cluster_centers_``), better means tighter: its
    dispersion gain ``log(W_1 / W_k)``, the logarithm of the total over the
    within-cluster sum of squares (``dispersion_gain`` in
    :meth:`LeakageScore.score_details`), must exceed the reference's, the
    gap statistic's comparison, either over all directions or along the
    directions between the centres (``separation_gain``), where features that
    no centre differs in cannot dilute it. For other clusterers, which do not aim at
    compact clusters, it must leak less on held-out data than the reference
    does. Otherwise the partition is no better than one drawn through
    structureless data. (b) Its densest boundary must not be denser than the
    reference's densest boundary by more than one standard error. A boundary's
    density is the leakage across it of a nearest-neighbour probe
    (``boundary_leakage`` in :meth:`LeakageScore.score_details`): near zero for
    a gap between clusters, high for a cut through the middle of one. This
    vetoes a cluster split into halves that reproduce (a long cluster, a large
    one), which (a) lets pass because the partition's other boundaries are
    sharp. Uniform data are the least favourable structureless reference: a cut
    through a unimodal, Gaussian-like cluster is denser than a cut through
    uniform data. The answer is the largest number of clusters that passes both
    steps; when none does, no candidate shows cluster structure and the answer
    is the candidate with 1 cluster (or, if 1 is not a candidate, the smallest
    one, with a :class:`~sklearn_leakage.exceptions.NoStructureWarning`, which
    names the numbers the candidates skip: one of them may pass).

    "Number of clusters" means the number a candidate made, when the search
    recorded it (``n_clusters_found``, from both scorers; the median over the
    splits): a Birch or a mixture asked for 10 clusters that made 4 counts as
    4, and of two candidates that made the same number the one that asked for
    fewer is chosen.

    Both steps use a standard error over the splits, so give the search at least
    4 splits; ``RepeatedKFold(n_splits=2, n_repeats=2)`` (halves, both ways,
    twice), the ``cv`` of :func:`select_n_clusters`, is recommended.
    ``GridSearchCV`` refits the chosen candidate; with a callable ``refit`` it
    has no ``best_score_``.

    Parameters
    ----------
    cv_results : dict of numpy (masked) ndarrays
        ``GridSearchCV.cv_results_``. The searched parameter must end in
        ``n_clusters`` (or, for mixtures, ``n_components``). The scores are
        read from ``*_test_reproducibility`` when present (multi-metric
        ``leakage_scorer``), else from ``*_test_score``.

    Returns
    -------
    best_index : int
        Index of the chosen candidate in ``cv_results``.

    Warns
    -----
    NoStructureWarning
        When no candidate passes both steps and none made 1 cluster, and when
        no candidate reaches the level of step 1 (1 was not a candidate): the
        most reproducible one then takes their place (through step 2 when
        the search recorded reference scores).
    NoReferenceWarning
        When the search recorded no reference scores (it was not scored with
        :data:`leakage_scorer`, or ``X`` was sparse), so that step 1 alone
        chose; or when a reproducible candidate has them on some splits only,
        so that step 2 could not test it.
    OtherParametersWarning
        When the search varied other parameters too: the rule does not
        choose them (of the candidates with the chosen number of clusters
        that pass, the first in the search's order is returned).
    CloseCallWarning
        When the rule with margins of 0 or of 2 standard errors, instead of
        1, in all its tests gives another number of clusters
        (:func:`close_call`): another seed may well answer differently.

    See Also
    --------
    select_n_clusters : The search this rule chooses for, in one call.
    leakage_scorer : The scores the rule reads.
    KSelectionDisplay : The plot of the scores with the rule's verdicts.

    References
    ----------
    .. [1] R. Tibshirani and G. Walther (2005). "Cluster validation by prediction
       strength". Journal of Computational and Graphical Statistics, 14(3),
       511-528.
    .. [2] R. Tibshirani, G. Walther and T. Hastie (2001). "Estimating the number
       of clusters in a data set via the gap statistic". Journal of the Royal
       Statistical Society B, 63(2), 411-423.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_leakage import refit_n_clusters
    >>> cv_results = {
    ...     "param_n_clusters": np.array([1, 2, 3, 4]),
    ...     "mean_test_reproducibility": np.array([1.0, 0.97, 0.93, 0.55]),
    ...     "std_test_reproducibility": np.array([0.0, 0.02, 0.04, 0.2]),
    ...     "split0_test_reproducibility": np.array([1.0, 0.95, 0.89, 0.35]),
    ...     "split1_test_reproducibility": np.array([1.0, 0.99, 0.97, 0.75]),
    ...     "split0_test_leakage": np.array([0.0, 0.01, 0.02, 0.2]),
    ...     "split1_test_leakage": np.array([0.0, 0.01, 0.04, 0.2]),
    ...     "split0_test_reference_leakage": np.array([0.0, 0.05, 0.2, 0.3]),
    ...     "split1_test_reference_leakage": np.array([0.0, 0.05, 0.18, 0.3]),
    ... }
    >>> refit_n_clusters(cv_results)  # 3 clusters: 0.93 - 0.04/sqrt(2) >= 0.8
    2
    >>> cv_results["split0_test_boundary_leakage"] = np.array([0, 0.01, 0.2, 0.2])
    >>> cv_results["split1_test_boundary_leakage"] = np.array([0, 0.01, 0.2, 0.2])
    >>> reference = np.array([0.0, 0.04, 0.05, 0.05])
    >>> cv_results["split0_test_reference_boundary_leakage"] = reference
    >>> cv_results["split1_test_reference_boundary_leakage"] = reference
    >>> refit_n_clusters(cv_results)  # 3 clusters: one cluster cut in two
    1
    >>> del cv_results["split0_test_boundary_leakage"]
    >>> del cv_results["split1_test_boundary_leakage"]
    >>> cv_results["split1_test_leakage"][2] = 0.4  # 3 clusters: not sharper
    >>> refit_n_clusters(cv_results)  # than the reference; 2 clusters are
    1
    >>> for split in (0, 1):  # now 2 are not either
    ...     cv_results[f"split{split}_test_leakage"][1] = 0.06
    >>> refit_n_clusters(cv_results)  # no structure: the 1-cluster candidate
    0
    """
    name = _read_search(cv_results, "refit_n_clusters")
    _warn_about_other_parameters(cv_results, name)
    best_index = _choose(cv_results, name)
    close = _answers_by_margin(cv_results, name, best_index)
    if close is not None:
        warnings.warn(
            close_call_message(close),
            CloseCallWarning,
            stacklevel=user_stacklevel(default=2),
        )
    return best_index


def _read_search(cv_results, caller: str) -> str:
    """Check that the rule can read ``cv_results``; the searched parameter's name."""
    _check_is_cv_results(cv_results, caller)
    name = _param_name(cv_results)
    _check_scores(cv_results)
    return name


def _choose(cv_results: dict, name: str, n_std_errors: float = 1.0) -> int:
    """The rule of :func:`refit_n_clusters` with its margins in standard errors.

    Its warnings point at the caller of :func:`refit_n_clusters`.
    """
    requested = np.asarray(cv_results[f"param_{name}"], dtype=float)
    # Candidates are ranked by the clusters they made, not those they were
    # asked for; between equals, the smaller request is the honest one.
    n_clusters = found_n_clusters(cv_results, requested)

    def largest_first(index):
        return (-n_clusters[index], requested[index])

    mean, std_error = _metric(cv_results, "reproducibility")
    valid = np.isfinite(mean)
    if not np.any(valid):
        raise ValueError(
            "Every candidate failed on at least one split, so there is no score "
            "to choose from. GridSearchCV's warnings name each error: a "
            "FitFailedWarning for a failed fit (missing values in X, or more "
            "clusters than a split has rows, for example), a 'Scoring failed' "
            "UserWarning for a failed scorer (leakage_scorer scores a "
            "LeakageScore; for a bare clusterer pass "
            "scoring=make_leakage_scorer()). Pass error_score='raise' to "
            "GridSearchCV to see the first one as an exception."
        )
    passing = valid & reaches_level(mean, std_error, n_std_errors)
    # Nothing reproduces (1 was not searched, or it would pass): the most
    # reproducible candidate takes the place of the reproducible ones, and
    # the warning says so, or a "chosen" would read as a partition that
    # passed step 1. One warning per call says all that went wrong.
    unreproduced = None
    if not np.any(passing):
        passing = valid & (mean == np.nanmax(mean))
        most = int(np.flatnonzero(passing)[0])
        unreproduced = (
            f"No candidate reproduces: for every one, the mean reproducibility "
            f"less one standard error is below {REPRODUCIBILITY_LEVEL:g} (the "
            f"most reproducible, {n_clusters[most]:g} clusters, has "
            f"{mean[most]:.3f})."
        )
    if has_reference_scores(cv_results):
        _warn_if_reference_partly_missing(cv_results, passing & (n_clusters > 1))
        # Step 2 for every reproducible partition, largest first; the first
        # real one is the answer (one cluster is never tested).
        failed = not_real(cv_results, n_clusters, n_std_errors)
        for index in sorted(np.flatnonzero(passing), key=largest_first):
            if not failed[index]:
                if unreproduced:
                    _warn_no_structure(
                        f"{unreproduced} It passes step 2 and is returned, but "
                        "it is not a reproducible partition."
                    )
                return int(index)
        ones = np.flatnonzero(valid & (n_clusters == 1))
        if ones.size:
            return int(min(ones, key=lambda i: requested[i]))
        judged = (
            f"{unreproduced} Nor is it better"
            if unreproduced
            else "No reproducible partition is better"
        )
        # Only the candidates were judged: a number the search skipped may
        # pass (3 blobs searched at 2 and 4), so the data are not said to
        # have no structure. A number a candidate asked for (if it failed)
        # or made (Birch asked for 4 that made 3) was searched.
        made = n_clusters[valid & np.isfinite(n_clusters)]
        searched = {int(k) for k in requested[np.isfinite(requested)]}
        searched |= {int(k) for k in made if k == int(k)}
        skipped = sorted(set(range(1, max(searched) + 1)) - searched - {1})
        skipped_text = (
            f" The candidates skip {', '.join(map(str, skipped[:5]))}"
            f"{', ...' if len(skipped) > 5 else ''}, which may pass."
            if skipped
            else ""
        )
        _warn_no_structure(
            f"{judged} than the same clusterer's partition of structureless "
            "reference data: none of the candidates shows cluster structure. "
            f"The smallest candidate is returned.{skipped_text}"
        )
        fewest = min(np.flatnonzero(valid), key=lambda i: (n_clusters[i], requested[i]))
        return int(fewest)
    warnings.warn(
        "The search recorded no reference scores: it was not scored with "
        "leakage_scorer, its LeakageScore has reference=None, or X is sparse, "
        "or the clusterer's Pipeline makes it sparse (a text vectorizer; no "
        "uniform reference is drawn for sparse data). So only step 1, "
        "reproducibility, chose the number of clusters: nothing tested whether "
        "the partition is better than one of structureless data, and data "
        "without clusters get a number anyway. Pass scoring=leakage_scorer "
        "and keep the default reference; reduce sparse X to a few dense "
        "columns first, in the clusterer's Pipeline (TruncatedSVD, say), "
        "where the reference is drawn.",
        NoReferenceWarning,
        stacklevel=user_stacklevel(default=3),
    )
    if unreproduced:
        _warn_no_structure(
            f"{unreproduced} It is returned, but it is not a reproducible partition."
        )
    return int(min(np.flatnonzero(passing), key=largest_first))


#: The advice of every NoStructureWarning of :func:`refit_n_clusters`; the
#: command line, which has no candidates list, puts its own words in its place.
NO_STRUCTURE_ADVICE = (
    "Add 1 to the candidates to allow the answer 'no cluster structure'."
)


def _warn_if_reference_partly_missing(cv_results: dict, tested) -> None:
    """Warn when a tested candidate has reference scores on some splits only.

    A Pipeline's steps decide at each fit whether their sparse output is made
    dense (and gets a reference), and output near the bounds can go either
    way on different training halves; a density clusterer can label every
    reference row as noise on some splits. Step 2 then has no paired
    difference on those splits and tests nothing for that candidate, which
    passes it: say so.
    """
    for name in REFERENCE_METRICS:
        values = _per_split(cv_results, name)
        if values is None:
            continue
        finite = np.isfinite(values[:, tested])
        partly = finite.any(axis=0) & ~finite.all(axis=0)
        if partly.any():
            warnings.warn(
                f"{int(partly.sum())} reproducible candidate(s) have reference "
                "scores on some splits and not on others, so step 2 did not "
                "test them. The reference could not be scored on those splits: "
                "a Pipeline's steps made their sparse output dense on some "
                "training halves only (wide one-hot output with rare "
                "categories; a TruncatedSVD step decides for all), or the "
                "clusterer labelled every reference row as noise there.",
                NoReferenceWarning,
                stacklevel=user_stacklevel(default=4),
            )
            return


def _warn_no_structure(message: str) -> None:
    # At the user's line: refit_n_clusters' caller is GridSearchCV's fit, or,
    # where no frame is the user's, that caller (through _choose).
    warnings.warn(
        f"{message} {NO_STRUCTURE_ADVICE}",
        NoStructureWarning,
        stacklevel=user_stacklevel(default=4),
    )


#: The margins :func:`close_call` tries besides the rule's one standard error.
CLOSE_CALL_MARGINS = (0.0, 2.0)


def close_call(cv_results: dict) -> dict[float, float] | None:
    """Whether the rule's answer hangs on its margins of one standard error.

    Applies the rule of :func:`refit_n_clusters` again with margins of 0 and
    of 2 standard errors in all three tests. Returns the number of clusters
    the answer made at each margin (keys 0.0, 1.0 and 2.0) when the three do
    not all agree, else None. An answer that changes with the margin has a
    candidate within about one standard error of a verdict: splits drawn
    with another seed move such answers far more often than others
    (``benchmarks/results/sensitivity.md``, "Close calls").
    :func:`refit_n_clusters` warns with
    :class:`~sklearn_leakage.exceptions.CloseCallWarning` when this is not
    None.

    Parameters
    ----------
    cv_results : dict of numpy (masked) ndarrays
        ``GridSearchCV.cv_results_`` of a search that
        :func:`refit_n_clusters` can read.

    Returns
    -------
    answers : dict of float to float, or None
        The number of clusters the rule's answer made with margins of 1, 0
        and 2 standard errors (keys 1.0, 0.0 and 2.0), when they are not all
        the same; None when they are, or when every candidate failed.

    See Also
    --------
    refit_n_clusters : The rule, with margins of one standard error.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_leakage import close_call
    >>> cv_results = {"param_n_clusters": np.array([1, 2, 3])}
    >>> splits = np.array([[1.0, 0.95, 0.78], [1.0, 0.95, 0.94]] * 2)
    >>> for i, (reproducibility, leakage, reference) in enumerate(
    ...     zip(splits, [[0, 0.01, 0.01]] * 4, [[0, 0.3, 0.3]] * 4)
    ... ):
    ...     cv_results[f"split{i}_test_reproducibility"] = reproducibility
    ...     cv_results[f"split{i}_test_leakage"] = np.array(leakage)
    ...     cv_results[f"split{i}_test_reference_leakage"] = np.array(reference)
    >>> cv_results["mean_test_reproducibility"] = splits.mean(axis=0)
    >>> cv_results["std_test_reproducibility"] = splits.std(axis=0)
    >>> close_call(cv_results)  # 3 clusters: 0.86 - 0.04 >= 0.8 > 0.86 - 0.08
    {1.0: 3.0, 0.0: 3.0, 2.0: 2.0}
    """
    name = _read_search(cv_results, "close_call")
    with warnings.catch_warnings():
        # The rule's warnings are refit_n_clusters' to give.
        warnings.simplefilter("ignore")
        try:
            best_index = _choose(cv_results, name)
        except ValueError:
            # Every candidate failed: no answer, so no close call.
            return None
    return _answers_by_margin(cv_results, name, best_index)


def _answers_by_margin(
    cv_results: dict, name: str, best_index: int
) -> dict[float, float] | None:
    """:func:`close_call` of a search whose rule answered ``best_index``."""
    requested = np.asarray(cv_results[f"param_{name}"], dtype=float)
    n_clusters = found_n_clusters(cv_results, requested)
    answers = {1.0: float(n_clusters[best_index])}
    with warnings.catch_warnings():
        # The rule at the other margins is a question asked here, not an
        # answer given: its warnings would repeat or contradict the rule's.
        # (Its only error, every candidate failed, did not happen at 1.)
        warnings.simplefilter("ignore")
        for n_std_errors in CLOSE_CALL_MARGINS:
            index = _choose(cv_results, name, n_std_errors)
            answers[n_std_errors] = float(n_clusters[index])
    return None if len(set(answers.values())) == 1 else answers


#: What the CloseCallWarning advises; the command line says it in its words.
CLOSE_CALL_ADVICE = (
    "Such answers often move with the seed of the splits; run the search with "
    "two or three random_state values and compare their plots."
)


def close_call_message(
    answers: dict[float, float], advice: str = CLOSE_CALL_ADVICE
) -> str:
    """The close call of :func:`close_call` in words, then ``advice``."""
    others = " and ".join(
        f"with margins of {margin:g} it would be {answers[margin]:g}"
        for margin in CLOSE_CALL_MARGINS
        if answers[margin] != answers[1.0]
    )
    answer = answers[1.0]
    return (
        f"The answer, {answer:g} cluster{'' if answer == 1 else 's'}, is a "
        "close call: the rule's tests ask for a margin of one standard error, "
        f"and {others}. {advice}"
    )


def chosen_by_the_rule(cv_results: dict, best_index: int) -> bool:
    """Whether :func:`refit_n_clusters` chooses ``best_index`` on these results.

    The verdicts of :func:`candidate_verdicts` and the marks of
    :class:`KSelectionDisplay` explain the rule's choice; for a search that
    chose otherwise (``refit=True``, a metric, a rule of the user's) they
    would explain a choice that was not made.
    """
    with warnings.catch_warnings():
        # Its warnings were the search's to give.
        warnings.simplefilter("ignore")
        try:
            # The rule's choice alone: its close call is not asked here.
            name = _read_search(cv_results, "refit_n_clusters")
            return _choose(cv_results, name) == best_index
        except (KeyError, ValueError):
            # Not a search over the number of clusters with scores to read.
            return False
