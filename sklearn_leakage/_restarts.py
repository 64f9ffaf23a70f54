"""What ``n_init="auto"`` means for a clusterer whose partitions are compared.

Since scikit-learn 1.4, ``KMeans`` and ``MiniBatchKMeans`` default to
``n_init="auto"``, which (since 1.2) runs k-means once when it starts from
k-means++. One run is often enough to cluster a data set, but not to compare
partitions: two halves of the same data then land in different local optima
(two real clusters merged here, one split there) and the partitions disagree
although the data do not. Stability methods read that disagreement as
clusters that do not reproduce; von Luxburg (2010, "Clustering stability: an
overview", Foundations and Trends in Machine Learning 2(3)) discusses such
local optima as a source of instability that is not in the data. Measured on
the benchmark battery (``benchmarks/k_selection.py --kmeans-starts 1``), the
rule finds 34 of the 54 k-means data sets with one run instead of 48 with ten,
losing sets with 3 to 20 clusters; on the two outside batteries it loses no
hit (15 and 4 hits against 14 and 3).

``"auto"`` leaves the number of runs to the library, so here it is resolved
for the purpose at hand: 10 runs, KMeans' default before 1.4, for KMeans and
MiniBatchKMeans alike. MiniBatchKMeans used 3 then, to stay cheap, but its
mini-batches land in poor optima more often than full k-means does: on
twelve blobs in five dimensions (``tests/test_restarts.py``) 3 runs answer 1
where 10 find 12. A number the user set is kept, 1 included.
"""

from __future__ import annotations

from sklearn.base import clone
from sklearn.cluster import BisectingKMeans, KMeans, MiniBatchKMeans
from sklearn.mixture import BayesianGaussianMixture, GaussianMixture

#: Runs that ``n_init="auto"`` stands for in a KMeans or MiniBatchKMeans
#: starting from k-means++.
AUTO_N_INIT = 10


def _n_init_params(estimator):
    """``(name, value, owner name, owner)`` of every ``n_init`` parameter.

    The estimator's own (owner name "") and its steps' (``step__n_init``).
    """
    params = estimator.get_params(deep=True)
    for name, value in params.items():
        if name == "n_init" or name.endswith("__n_init"):
            owner_name = name[: -len("__n_init")] if "__" in name else ""
            owner = params[owner_name] if owner_name else estimator
            yield name, value, owner_name, owner


def _resolves_auto(estimator) -> bool:
    """Whether ``estimator``'s ``n_init="auto"`` stands for a single run here."""
    # Among random starts only k-means++ makes "auto" mean one run ("random"
    # and a callable mean several); an explicit array start is the user's.
    return (
        isinstance(estimator, (KMeans, MiniBatchKMeans))
        and isinstance(estimator.init, str)
        and estimator.init == "k-means++"
    )


def with_restarts(clusterer):
    """An unfitted clone of ``clusterer`` whose k-means run several times.

    Every ``n_init="auto"`` of a KMeans or MiniBatchKMeans that starts from
    k-means++, the clusterer itself or a step of a Pipeline, is set to
    :data:`AUTO_N_INIT`; everything else is as in ``clusterer``,
    which is not modified.
    """
    resolved = clone(clusterer)
    updates = {
        name: AUTO_N_INIT
        for name, value, _, owner in _n_init_params(resolved)
        if isinstance(value, str) and value == "auto" and _resolves_auto(owner)
    }
    if updates:
        resolved.set_params(**updates)
    return resolved


def single_start_steps(clusterer) -> list[str]:
    """Names of the parts of ``clusterer`` that start once, after resolution.

    A k-means (KMeans, MiniBatchKMeans, BisectingKMeans) or a Gaussian
    mixture (the clusterer itself, named by its class,
    or a Pipeline step, named by its parameter prefix) whose ``n_init`` is 1
    once :func:`with_restarts` has resolved ``"auto"`` and whose start is
    random: the user's explicit ``KMeans(n_init=1)``, or a mixture's default
    ``n_init=1`` (its EM starts from one k-means run).
    """
    return [
        owner_name or type(owner).__name__
        for _, value, owner_name, owner in _n_init_params(with_restarts(clusterer))
        if value == 1 and _starts_at_random(owner)
    ]


def _starts_at_random(estimator) -> bool:
    """Whether a single fit of ``estimator`` depends on a random start."""
    if isinstance(estimator, (KMeans, MiniBatchKMeans, BisectingKMeans)):
        # Given centres (an array or a callable) are the user's own start.
        return isinstance(estimator.init, str)
    if isinstance(estimator, GaussianMixture):
        # Given means are the user's own start.
        return estimator.means_init is None
    if isinstance(estimator, BayesianGaussianMixture):
        # It takes no start of the user's (it has no means_init): its
        # init_params are all drawn at random or from a k-means run.
        return True
    return False
