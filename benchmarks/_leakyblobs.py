"""The leakyblobs scoring pipeline for one given labelling, for timing.

``benchmarks/_baselines.py`` already re-implements leakyblobs, but as a k-selection
method: it clusters the data itself (with the data set's clusterer, see
``make_clusterer``), loops over k and casts
X to float64, so it cannot time the scoring of one labelling. This module keeps the
same pipeline and imports the same leakage formula (``_total_leakage``) from there:

* an 80/20 split of the rows, stratified by cluster when every cluster has two points;
* ``RBFSampler(n_components=100)`` followed by ``LogisticRegression``, its ``C``
  chosen from ``np.logspace(-4, 0, 5)`` by 5-fold ``GridSearchCV`` accuracy;
* probabilities on the 20% part; a held-out point leaks when its largest
  probability on another cluster reaches 0.05 (total leakage).

X keeps its dtype, as the package's own estimator does.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike
from sklearn.kernel_approximation import RBFSampler
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline

from benchmarks._baselines import _total_leakage

#: The grid of inverse regularisation strengths leakyblobs searches.
C_GRID = np.logspace(-4, 0, 5)


def leakyblobs_search(random_state: int | None = None) -> GridSearchCV:
    """The unfitted leakyblobs probe: RBF features, logistic regression, C by CV."""
    model = make_pipeline(
        RBFSampler(n_components=100, random_state=random_state),
        LogisticRegression(max_iter=1000),
    )
    return GridSearchCV(
        model, {"logisticregression__C": C_GRID}, cv=5, scoring="accuracy"
    )


def leakyblobs_total_leakage(
    X: ArrayLike,
    labels: ArrayLike,
    *,
    detection_threshold: float = 0.05,
    random_state: int | None = None,
) -> float:
    """Total leakage of one labelling as leakyblobs measures it (lower is better).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data.
    labels : array-like of shape (n_samples,)
        Cluster of each row.
    detection_threshold : float, default=0.05
        Probability on another cluster from which a held-out point leaks.
    random_state : int or None, default=None
        Seeds the split and the random features.

    Returns
    -------
    leakage : float
        Share of the held-out 20% that leaks, in [0, 1].
    """
    X = np.asarray(X)
    _, y = np.unique(np.asarray(labels), return_inverse=True)
    n_labels = int(y.max()) + 1
    stratify = y if np.bincount(y).min() >= 2 else None
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=stratify, random_state=random_state
    )
    search = leakyblobs_search(random_state)
    with warnings.catch_warnings():
        # Tiny clusters make 5-fold CV warn about its least populated class.
        warnings.simplefilter("ignore", UserWarning)
        search.fit(X_train, y_train)
    # A cluster missing from the training part has no column: probability 0.
    proba = np.zeros((y_test.shape[0], n_labels))
    proba[:, search.classes_] = search.predict_proba(X_test)
    return _total_leakage(y_test, proba, detection_threshold)
