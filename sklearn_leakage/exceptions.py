"""Warning classes raised by sklearn-leakage."""

__all__ = ["SingleClusterWarning", "SmallClusterWarning"]


class SingleClusterWarning(UserWarning):
    """The clusterer put every scored point into one cluster.

    Leakage is then 0 by definition (there is no other cluster to leak into) and the
    score is that of the one-cluster answer.
    """


class SmallClusterWarning(UserWarning):
    """Some clusters have fewer points than there are folds.

    Such a cluster is missing from some training folds; its held-out points then get
    no probability on their own cluster and count as leaking.
    """
