"""Seeds for the random parts of the clusterer and the probe left to chance.

``LeakageScore(KMeans(), random_state=0)`` fits the clusterer many times (on
all rows, on each held-out part, on reference data) and a user who passes an
int expects the same scores from the same data. A KMeans left at
``random_state=None`` would start from a different k-means++ draw in every
process, and where two local optima are nearly as tight (iris at four or five
clusters) the held-out agreement moves from run to run. So, as scikit-learn's
ensembles seed the copies of their base estimator, the estimator seeds its
clones: every ``random_state`` left at None, the clusterer's or the probe's own
or a Pipeline step's, gets one drawn from the estimator's ``random_state``. A
value the user set, an int or a ``RandomState``, is kept.
"""

from __future__ import annotations

from sklearn.base import clone


def with_seeds(estimator, seed: int):
    """An unfitted clone of ``estimator`` with its unset random states seeded.

    Every parameter named ``random_state``, the estimator's own or a nested
    one (``step__random_state``), whose value is None is set to ``seed``;
    ``estimator`` is not modified.
    """
    resolved = clone(estimator)
    updates = {
        name: int(seed)
        for name, value in resolved.get_params(deep=True).items()
        if value is None and (name == "random_state" or name.endswith("__random_state"))
    }
    if updates:
        resolved.set_params(**updates)
    return resolved
