"""The clusterers the command line offers by name."""

from __future__ import annotations

from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import AgglomerativeClustering, Birch, KMeans, MiniBatchKMeans
from sklearn.mixture import GaussianMixture
from sklearn.utils.validation import check_is_fitted

#: Starts of KMeans, MiniBatchKMeans and the Gaussian mixture: the number
#: LeakageScore gives k-means' n_init="auto", rather than scikit-learn's single
#: start (and GaussianMixture's n_init=1), because a poor local optimum on one
#: half of the data would count against the reproducibility of that number of
#: clusters (sklearn_leakage/_restarts.py).
N_INIT = 10


CLUSTERER_NAMES = ("kmeans", "minibatch-kmeans", "gmm", "agglomerative", "birch")


class GaussianMixtureClusterer(ClusterMixin, BaseEstimator):
    """:class:`~sklearn.mixture.GaussianMixture` with an ``n_clusters`` parameter.

    The command line searches, tables and reports a parameter named
    ``n_clusters`` for every clusterer it offers, which GaussianMixture calls
    ``n_components``; this thin clusterer renames it and labels each point
    with its most probable component. (``select_n_clusters`` itself searches
    a mixture's ``n_components``.) Its progress line calls it GaussianMixture.

    Parameters
    ----------
    n_clusters : int, default=1
        Number of mixture components.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        Passed to GaussianMixture.
    n_init : int, default=1
        Passed to GaussianMixture.
    random_state : int, RandomState instance or None, default=None
        Passed to GaussianMixture.

    Attributes
    ----------
    mixture_ : GaussianMixture
        The fitted mixture.
    labels_ : ndarray of shape (n_samples,)
        Most probable component of each training point.
    """

    def __init__(
        self, n_clusters=1, *, covariance_type="full", n_init=1, random_state=None
    ):
        self.n_clusters = n_clusters
        self.covariance_type = covariance_type
        self.n_init = n_init
        self.random_state = random_state

    def fit(self, X, y=None):
        """Fit the mixture and label the training points.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.

        Returns
        -------
        self : GaussianMixtureClusterer
            The fitted clusterer.
        """
        self.mixture_ = GaussianMixture(
            n_components=self.n_clusters,
            covariance_type=self.covariance_type,
            n_init=self.n_init,
            random_state=self.random_state,
        ).fit(X)
        self.labels_ = self.mixture_.predict(X)
        return self

    def predict(self, X):
        """Most probable component of each point.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Component of each point.
        """
        check_is_fitted(self)
        return self.mixture_.predict(X)


def clusterer_name(clusterer) -> str:
    """The scikit-learn class a user knows the clusterer by."""
    if isinstance(clusterer, GaussianMixtureClusterer):
        return "GaussianMixture"
    return type(clusterer).__name__


def make_clusterer(name: str, random_state: int):
    """The clusterer behind ``--clusterer NAME``, without its number of clusters."""
    if name == "kmeans":
        return KMeans(n_init=N_INIT, random_state=random_state)
    if name == "minibatch-kmeans":
        return MiniBatchKMeans(n_init=N_INIT, random_state=random_state)
    if name == "gmm":
        return GaussianMixtureClusterer(n_init=N_INIT, random_state=random_state)
    if name == "agglomerative":
        return AgglomerativeClustering(linkage="ward")
    if name == "birch":
        return Birch()
    raise ValueError(f"unknown clusterer {name!r}")  # argparse's choices prevent it
