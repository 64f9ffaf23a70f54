"""The probe's scaling: one scale for every feature, so distances keep their shape."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.sparsefuncs import mean_variance_axis
from sklearn.utils.validation import check_is_fitted, validate_data


class IsotropicScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Center, then divide every feature by the same scale.

    The scale is the root of the mean feature variance, so the result has unit
    variance on average. Unlike ``StandardScaler``, which gives every feature
    unit variance, it keeps the data's Euclidean geometry up to one factor: the
    geometry the clusterer partitioned. A probe that regularises its weights
    (logistic regression) or measures distances (nearest neighbours) after this
    scaling weighs the features as the clusterer did; after standardization, a
    feature of tiny variance that the clusterer ignored would count as much as
    the ones it used, and a probe trained on a few hundred rows would fit its
    noise.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the feature means. Set False for sparse input, which centering
        would densify.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,) or None
        Feature means (None when ``with_mean=False``).
    scale_ : float
        The common scale; 1.0 for constant data.
    n_features_in_ : int
        Number of features seen during fit.
    """

    def __init__(self, with_mean: bool = True):
        self.with_mean = with_mean

    def fit(self, X, y=None):
        """Compute the feature means and the common scale of ``X``."""
        X = validate_data(
            self, X, accept_sparse="csr", dtype=[np.float64, np.float32], reset=True
        )
        if sp.issparse(X):
            if self.with_mean:
                raise ValueError(
                    "Cannot center sparse data: it would become dense. Use "
                    "IsotropicScaler(with_mean=False)."
                )
            means, variances = mean_variance_axis(X, axis=0)
        else:
            means, variances = X.mean(axis=0), X.var(axis=0)
        self.mean_ = np.asarray(means, dtype=np.float64) if self.with_mean else None
        scale = float(np.sqrt(np.mean(variances))) if variances.size else 0.0
        self.scale_ = scale if scale > 0 else 1.0
        return self

    def transform(self, X):
        """Center ``X`` (unless ``with_mean=False``) and divide it by the scale."""
        check_is_fitted(self)
        X = validate_data(
            self, X, accept_sparse="csr", dtype=[np.float64, np.float32], reset=False
        )
        if sp.issparse(X):
            return X / self.scale_
        if self.mean_ is not None:
            X = X - self.mean_.astype(X.dtype, copy=False)
        return X / np.asarray(self.scale_, dtype=X.dtype)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = not self.with_mean
        return tags
