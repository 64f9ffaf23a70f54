"""Warning and error classes raised by sklearn-leakage."""

__all__ = [
    "CloseCallWarning",
    "FoldError",
    "FoldWarning",
    "InSampleScoreWarning",
    "NoReferenceWarning",
    "NoStructureWarning",
    "OtherParametersWarning",
    "SingleClusterWarning",
    "SingleStartWarning",
    "SmallClusterWarning",
    "UnbalancedSplitWarning",
]


class FoldError(ValueError):
    """The folds given as ``cv`` cannot give every row one out-of-fold value.

    Raised by :func:`~sklearn_leakage.cross_val_proba`,
    :func:`~sklearn_leakage.leakage_score` and
    :meth:`~sklearn_leakage.LeakageScore.fit` when the test parts of the folds
    are no partition of the rows (a row held out twice, as by
    ``RepeatedKFold`` or ``ShuffleSplit``, or never), when a boolean mask has
    the wrong shape, when folds given as row numbers meet a ``max_samples``
    subsample, or when a generator of folds is used up. It is a
    :class:`ValueError`, as scikit-learn's ``cross_val_predict`` raises for
    the same folds; its message names the fix.
    """


class FoldWarning(UserWarning):
    """The folds given as ``cv`` leave a cluster out of a training part.

    Raised by :func:`~sklearn_leakage.cross_val_proba`,
    :func:`~sklearn_leakage.leakage_score` and
    :meth:`~sklearn_leakage.LeakageScore.fit` when a splitter passed as
    ``cv`` (an int gives stratified, shuffled folds) trains a fold's probe
    without any point of a cluster that the fold holds out, as unshuffled
    ``KFold`` does on rows sorted by cluster. The probe cannot predict a
    cluster it never saw: those held-out points get no probability on their
    own cluster and count as leaking, whatever the clustering.
    scikit-learn's ``cross_val_predict`` warns for the same folds.
    """


class InSampleScoreWarning(UserWarning):
    """The data scored are rows the estimator was fitted on.

    Raised by :meth:`~sklearn_leakage.LeakageScore.score` and
    :meth:`~sklearn_leakage.LeakageScore.score_details`, which treat ``X`` as
    held-out data. On the fitted rows the refitted clone of the clusterer
    replays the fitted partition, and the probe has seen every point: a
    nearest-neighbour probe (the default for all but centroid clusterers)
    predicts each of them as its own label, so the score is 1 whatever the
    partition, random labels included. Score held-out rows
    (``cross_validate``, a search over halves), or read the out-of-fold
    attributes (``total_leakage_``, ``leakage_matrix_``, ``oof_proba_``) for
    the fitted data.

    Also raised for the fitted rows in another order, and, for a fit on at
    most 100,000 rows, for a part of them: the probe has seen every one of
    them. Up to that size the estimator keeps a hash of each fitted row as
    the clusterer sees it (after a Pipeline's steps), its
    values rounded to float32 (so a float32 copy counts as the rows), and
    warns when every scored row is among them, each no more often than in the
    fitted rows (the fitted rows stacked twice are not recognised), and the
    scored rows are all the fitted rows or hold one that the fitted rows hold
    once. A held-out fold of data whose rows repeat (a few distinct rows,
    each many times) is therefore not taken for fitted rows, though each of
    its rows is also a fitted row; nor is a held-out fold of data whose rows
    do not repeat, nor data that share only some rows with the fitted ones
    (the score is then optimistic in part). Beyond 100,000 fitted rows it
    keeps one checksum of them all, which recognises them whole in any order
    (a float32 copy too) but not a part of them, so that what a fitted
    estimator keeps does not grow with the data. Not raised for a fit with
    one cluster or none, whose score is 1 or 0 wherever the rows come from.
    """


class NoReferenceWarning(UserWarning):
    """The search recorded no reference scores, so step 2 of the rule was skipped.

    Raised by :func:`~sklearn_leakage.refit_n_clusters` when ``cv_results_``
    holds no reference metric of :data:`~sklearn_leakage.leakage_scorer`
    (the search was scored by ``LeakageScore.score`` alone), or only NaN ones
    (sparse ``X``, or a Pipeline clusterer whose steps output a sparse
    matrix, such as a text vectorizer's, gets no uniform reference): the
    answer is the
    largest reproducible number of clusters (1 only when no larger one
    reproduces), and nothing tests whether the data have clusters at all.
    Also raised when a reproducible candidate has reference scores on some
    splits and not on others (step 2 cannot test it, and passes it).
    """


class CloseCallWarning(UserWarning):
    """The rule's answer would change with a margin of 0 or 2 standard errors.

    Raised by :func:`~sklearn_leakage.refit_n_clusters` when applying its
    rule with margins of 0 and of 2 standard errors, instead of 1, in all its
    tests gives another number of clusters than the answer
    (:func:`~sklearn_leakage.close_call`): a candidate lies within about one
    standard error of a verdict, and splits drawn with another seed often
    give another answer. Run the search with two or three ``random_state``
    values and compare.
    """


class NoStructureWarning(UserWarning):
    """No candidate both reproduces and passes step 2, and 1 was not searched.

    Raised by :func:`~sklearn_leakage.refit_n_clusters` when no reproducible
    candidate passes step 2 (better than the same clusterer's partition of
    structureless reference data, and no boundary denser than its densest)
    and no candidate made 1 cluster; the smallest candidate is then returned.
    Also raised when no candidate reaches the level of step 1 (1 was not a
    candidate, or it would): the most reproducible one then takes their
    place, through step 2 when the search recorded reference scores, and the
    answer is not a reproducible partition.
    """


class OtherParametersWarning(UserWarning):
    """The search varied parameters besides the number of clusters.

    Raised by :func:`~sklearn_leakage.refit_n_clusters`, whose rule chooses the
    number of clusters only: of the candidates that make that number and pass
    the rule, it returns the first in the search's order, without comparing
    their other parameters. Fix those parameters, or compare their settings in
    searches of their own.
    """


class SingleClusterWarning(UserWarning):
    """The clusterer put every scored point into one cluster, or none into any.

    Raised by :meth:`~sklearn_leakage.LeakageScore.fit` when the clusterer made
    one cluster it was not asked for, or labelled every point as noise (then
    there is no cluster to score and ``classifier_`` is None).

    With one cluster, leakage is 0 by definition (there is no other cluster to
    leak into) and the score is that of the one-cluster answer, 1; with none,
    the score is 0.
    """


class SingleStartWarning(UserWarning):
    """A clusterer with random starts is fitted from one start only.

    Raised by :func:`~sklearn_leakage.select_n_clusters` for a k-means or a
    Gaussian mixture with ``n_init=1``: its partitions of the two halves of a
    split can differ by their local optima, which counts as clusters that do
    not reproduce.
    """


class SmallClusterWarning(UserWarning):
    """Some clusters have fewer points than there are folds.

    Such a cluster cannot be spread over all folds. A one-point cluster is
    missing from the training folds when its point is held out: the point then
    gets no probability on its own cluster and counts as leaking.
    """


class UnbalancedSplitWarning(UserWarning):
    """The held-out data are much smaller than the data the estimator was fitted on.

    Raised by :meth:`~sklearn_leakage.LeakageScore.score` and
    :meth:`~sklearn_leakage.LeakageScore.score_details`: the held-out data are
    clustered on their own, and a clustering of a small part finds fewer
    clusters reliably than the fitted clustering of a large one, so large
    numbers of clusters stop reproducing. Split the data into halves.
    """
