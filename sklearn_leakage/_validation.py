"""Input checks shared by the metrics, the estimator and the report."""

from __future__ import annotations

import functools
import importlib
import warnings
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from sklearn.base import is_classifier, is_regressor
from sklearn.utils import get_tags
from sklearn.utils.validation import check_is_fitted

from sklearn_leakage._warn import user_stacklevel

# Probabilities written to CSV are often rounded to 4 decimals; 10 rounded columns can
# miss 1 by 5e-4, so the row-sum check allows 1e-3 rather than float epsilon.
ROW_SUM_TOLERANCE = 1e-3


def check_labels_proba(
    labels: ArrayLike, proba: ArrayLike, classes: ArrayLike | None = None
) -> tuple[NDArray[np.intp], NDArray[np.floating], NDArray]:
    """Validate a labelling and its probabilities; return integer codes.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Cluster of each sample.
    proba : array-like of shape (n_samples, n_clusters)
        Probability of each sample for each cluster, columns in the order of
        ``classes``.
    classes : array-like of shape (n_clusters,), default=None
        Cluster ids in the column order of ``proba``; ``np.unique(labels)`` if None.

    Returns
    -------
    codes : ndarray of shape (n_samples,)
        Column of ``proba`` that holds each sample's own cluster.
    proba : ndarray of shape (n_samples, n_clusters)
        The probabilities as a floating array (not copied when already one,
        unless values within the tolerance outside [0, 1] are clipped).
    classes : ndarray of shape (n_clusters,)
        The cluster ids.
    """
    check_rows_follow_labels(labels, proba)
    labels = one_dimensional_labels(labels)
    if labels.shape[0] == 0:
        raise ValueError("labels is empty; leakage needs at least one sample.")
    check_label_values(labels)
    proba, columns = proba_rows_per_label(proba, labels.shape[0])
    given = classes is not None
    if classes is None:
        classes = unique_labels(labels)
    else:
        classes = np.asarray(classes)
        if classes.ndim != 1:
            raise ValueError(
                f"classes must be 1-dimensional, got shape {classes.shape}."
            )
        if np.unique(classes).shape[0] != classes.shape[0]:
            raise ValueError(f"classes contains duplicates: {classes.tolist()}.")
    if not given and classes.shape[0] == proba.shape[1] + 1 and np.any(labels == -1):
        # cross_val_proba and LeakageScore give noise no column by default.
        raise ValueError(
            f"labels contain -1 (noise) but proba has {proba.shape[1]} columns, "
            "one per cluster without it; leave the noise rows out "
            "(keep = labels != -1, then labels[keep] and proba[keep]) or pass "
            "classes= in the column order of proba."
        )
    if classes.shape[0] != proba.shape[1]:
        if given:
            source = f"{classes.shape[0]} classes were given"
        else:
            # A cluster without points in labels has a column of proba but no
            # value for np.unique to find.
            names = listed_names([str(c) for c in classes])
            if classes.shape[0] == 1:
                source = (
                    f"labels hold 1 distinct value ({names}), the only class "
                    "when classes= is left out"
                )
            else:
                source = (
                    f"labels hold {classes.shape[0]} distinct values ({names}), "
                    "the classes when classes= is left out"
                )
        raise ValueError(
            f"proba has {proba.shape[1]} columns but {source}; pass classes= in "
            "the column order of proba."
        )
    if columns is not None:
        check_columns_follow_classes(columns, classes, given)
    if not np.all(np.isfinite(proba)):
        raise ValueError(
            "proba contains NaN or infinity; probabilities must be finite."
        )
    low, high = proba.min(), proba.max()
    if low < -ROW_SUM_TOLERANCE or high > 1 + ROW_SUM_TOLERANCE:
        raise ValueError(
            f"proba must lie in [0, 1], found values in [{low:.4g}, {high:.4g}]; "
            "pass probabilities, not decision scores."
        )
    row_sums = proba.sum(axis=1)
    worst = int(np.argmax(np.abs(row_sums - 1)))
    if abs(row_sums[worst] - 1) > ROW_SUM_TOLERANCE:
        raise ValueError(
            f"each row of proba must sum to 1, but row {worst} sums to "
            f"{row_sums[worst]:.6g}; pass predict_proba output with one column per "
            "cluster."
        )
    if low < 0 or high > 1:
        # Rounding can put a value a little outside [0, 1]; a negative
        # probability would make a leakage negative.
        proba = np.clip(proba, 0.0, 1.0)

    codes = encode_labels(labels, classes)
    return codes, proba, classes


def check_columns_follow_classes(columns: list, classes: NDArray, given: bool) -> None:
    """Refuse a frame of probabilities whose column names contradict ``classes``.

    The columns are read by position, in the order of ``classes``, as
    scikit-learn's metrics read ``predict_proba``. A frame whose columns are
    named by the clusters, in another order (``proba[["c", "a", "b"]]``), would
    otherwise put each point's probability on the wrong cluster without a
    word. Names that are not the clusters (``"p_a"``) are not checked.
    """
    names = [name.item() if isinstance(name, np.generic) else name for name in columns]
    order = classes.tolist()
    clusters = dict(zip(order, order, strict=True))
    if not _name_the_same(names, order):
        # A frame read back from CSV names integer clusters "0", "1", ...
        clusters = {str(cluster): cluster for cluster in order}
        names, order = [str(name) for name in names], [str(c) for c in order]
        if not _name_the_same(names, order):
            return
    if names != order:
        source = "classes" if given else "np.unique(labels), used when classes is None"
        # The clusters as the labels write them, in the columns' order.
        in_columns_order = [clusters[name] for name in names]
        raise ValueError(
            f"proba's columns are named by the clusters in the order {names[:10]}, "
            f"but they are read by position, in the order of {source}: "
            f"{order[:10]}. Pass classes={in_columns_order[:10]}"
            f"{' (and the rest)' if len(names) > 10 else ''}, the clusters in the "
            "columns' order, or put the columns in that order."
        )


def proba_rows_per_label(proba, n_labels: int) -> tuple[NDArray, list | None]:
    """``proba`` as a floating array of one row per label, and its column names.

    The names (None unless ``proba`` is a data frame) are read before
    ``np.asarray`` drops them, for :func:`check_columns_follow_classes`.
    """
    columns = list(proba.columns) if isinstance(proba, pd.DataFrame) else None
    proba = np.asarray(proba)
    if proba.dtype.kind not in "fiub":
        raise TypeError(
            f"proba must be numeric, got dtype {proba.dtype}; pass the output of "
            "predict_proba."
        )
    if proba.dtype.kind != "f":
        proba = proba.astype(np.float64)
    if proba.ndim != 2:
        raise ValueError(
            f"proba must be 2-dimensional (n_samples, n_clusters), got shape "
            f"{proba.shape}; pass the output of predict_proba."
        )
    if proba.shape[0] != n_labels:
        raise ValueError(
            f"proba has {proba.shape[0]} rows but labels has {n_labels} "
            "samples; pass one probability row per label."
        )
    return proba, columns


def check_rows_follow_labels(labels, proba) -> None:
    """Refuse labels and probabilities whose row names put the rows in two orders.

    Rows are read by position, as scikit-learn's metrics read them. A Series of
    labels and a frame of probabilities whose indexes hold the same row names
    in another order (one of them sorted or shuffled since) would pair every
    point with another's probabilities without a word. Indexes that name
    different rows are not checked, and neither is the default index 0, 1,
    ... (a ``RangeIndex``) of a frame built from an array, which counts
    positions.
    """
    rows = getattr(labels, "index", None)
    proba_rows = getattr(proba, "index", None)
    if not isinstance(rows, pd.Index) or not isinstance(proba_rows, pd.Index):
        return
    if _counts_positions(rows) or _counts_positions(proba_rows):
        # A frame built from an array is indexed 0, 1, ...: positions, not
        # names, so it pairs with the other side by position whatever names
        # that side's rows carry (labels of shuffled rows keep their old ones).
        return
    if rows.equals(proba_rows) or not rows.is_unique or not proba_rows.is_unique:
        return
    if len(rows) == len(proba_rows) and rows.isin(proba_rows).all():
        raise ValueError(
            "labels and proba name the same rows in different orders, and rows "
            "are read by position: pass proba.loc[labels.index] (or "
            "labels.loc[proba.index]) to put them in one order."
        )


def _counts_positions(index: pd.Index) -> bool:
    """Whether ``index`` is pandas' default 0, 1, ..., n - 1."""
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def _name_the_same(names: list, order: list) -> bool:
    """Whether ``names`` are ``order``'s clusters, each once, in any order."""
    try:
        return len(set(names)) == len(names) and set(names) == set(order)
    except TypeError:
        return False


def one_dimensional_labels(labels: ArrayLike) -> NDArray:
    """``labels`` as an array, refused unless it has one dimension."""
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(
            f"labels must be 1-dimensional, got an array of shape {labels.shape}; "
            "pass one cluster id per sample (a column, not a one-column table)."
        )
    return labels


def check_label_values(labels: NDArray) -> None:
    """Refuse missing labels; warn for float labels that are not whole numbers.

    A label that is NaN, None or pandas' NA is no cluster. Float labels such
    as 0.5 and 1.5 are likely a continuous column passed as labels, where
    each distinct value would count as a cluster: they warn, as scikit-learn's
    clustering metrics do.
    """
    if labels.dtype.kind not in "fO":
        return
    missing = pd.isna(labels)
    if np.any(missing):
        raise ValueError(
            f"labels contain {int(np.sum(missing))} missing values (NaN, None or "
            "NA); every sample needs a cluster: drop those rows, or label them "
            "-1 for noise."
        )
    if labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):
        example = labels[labels != np.round(labels)][0].item()
        warnings.warn(
            f"labels are floats that are not whole numbers (e.g. {example!r}), and "
            f"each of their {np.unique(labels).shape[0]} distinct values is "
            "taken as a cluster. Cluster ids are expected: pass the clusterer's "
            "labels_ (integers) or text names, not a continuous column.",
            UserWarning,
            stacklevel=user_stacklevel(default=3),
        )


def unique_labels(labels: NDArray) -> NDArray:
    """The sorted distinct labels, with a clear error for mixed types."""
    try:
        return np.unique(labels)
    except TypeError as exc:
        kinds = sorted({type(label).__name__ for label in labels})
        raise ValueError(
            f"labels mix types ({', '.join(kinds)}) that cannot be sorted; pass "
            "labels of one type: with text names beside the number -1 for "
            "noise, leave the noise rows out first (keep = labels != -1)."
        ) from exc


def encode_labels(labels: ArrayLike, classes: ArrayLike) -> NDArray[np.intp]:
    """Position of each label in ``classes`` (any order, any dtype).

    Raises a ``ValueError`` naming the labels that ``classes`` does not contain.
    """
    labels = np.asarray(labels)
    classes = np.asarray(classes)
    order = np.argsort(classes, kind="stable")
    sorted_classes = classes[order]
    try:
        pos = np.searchsorted(sorted_classes, labels)
    except TypeError as exc:
        raise ValueError(
            f"labels of dtype {labels.dtype} cannot be compared with classes of "
            f"dtype {classes.dtype}; pass classes of the same type as labels."
        ) from exc
    pos = np.clip(pos, 0, sorted_classes.shape[0] - 1)
    found = sorted_classes[pos] == labels
    if not np.all(found):
        missing = np.unique(labels[~found])[:5].tolist()
        hint = (
            " Drop noise points (label -1) first, or list -1 in classes."
            if -1 in missing
            else ""
        )
        raise ValueError(
            f"labels contain {missing} which are not in classes "
            f"{sorted_classes.tolist()[:10]}; pass classes that list every label."
            + hint
        )
    return order[pos]


def install_hint(extra: str) -> str:
    """The command that installs an optional extra of this package."""
    return f'pip install "sklearn-leakage[{extra}]"'


def check_optional_dependency(module: str, extra: str):
    """Import an optional dependency or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{module} is required for this feature; install it with "
            f"{install_hint(extra)}"
        ) from exc


def final_step(estimator):
    """The estimator itself, or the last step of a Pipeline."""
    return estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator


def takes_no_data(from_estimator):
    """Refuse the ``X`` (and ``y``) of scikit-learn's ``from_estimator(est, X, y)``.

    The displays and the report read what the fitted LeakageScore computed on
    its own rows; without this, an X passed as scikit-learn's displays take
    it gives Python's bare "takes 2 positional arguments but 3 were given".
    """

    @functools.wraps(from_estimator)
    def refusing(cls, estimator, *data, **kwargs):
        if data:
            raise TypeError(
                f"{cls.__name__}.from_estimator takes the fitted estimator "
                "alone, not X or y: it shows the out-of-fold diagnostics the "
                "fitted LeakageScore computed on the rows it was fitted on. To "
                "show other rows, fit a LeakageScore on them first."
            )
        return from_estimator(cls, estimator, **kwargs)

    return refusing


def fitted_leakage_score(estimator, caller: str):
    """The fitted LeakageScore that ``estimator`` is or ends in.

    A Pipeline ending in ``LeakageScore`` holds the diagnostics in its last
    step, for the rows the Pipeline was fitted on; a search is refused with
    the two ways to get at its choice.
    """
    if hasattr(estimator, "best_estimator_"):
        raise TypeError(
            f"{caller} got a fitted {type(estimator).__name__}; pass "
            "search.best_estimator_, the chosen LeakageScore (or use "
            "LeakageReport.from_search, which also reports the choice)."
        )
    estimator = final_step(estimator)
    check_is_fitted(estimator)
    return estimator


def scored_oof_rows(
    estimator, caller: str, purpose: str
) -> tuple[NDArray, NDArray, NDArray, NDArray[np.intp]]:
    """The scored rows of a fitted ``LeakageScore`` with its diagnostics.

    ``oof_proba_`` has one row per entry of ``sample_indices_``; rows whose label
    is not a scored cluster (noise when ``noise="exclude"``) are dropped, which is
    what the estimator's own leakage attributes leave out.

    Parameters
    ----------
    estimator : LeakageScore
        Fitted with ``compute_oof=True``.
    caller : str
        The public method, e.g. ``"LeakageReport.from_estimator"``, for messages.
    purpose : str
        What the caller makes ("report", "display"), for messages.

    Returns
    -------
    labels : ndarray of shape (n_scored,)
    proba : ndarray of shape (n_scored, n_clusters)
    classes : ndarray of shape (n_clusters,)
    rows : ndarray of shape (n_scored,)
        Row of ``X`` of each scored entry.
    """
    estimator = fitted_leakage_score(estimator, caller)
    needed = ("labels_", "classes_", "sample_indices_", "oof_proba_")
    missing = [name for name in needed if not hasattr(estimator, name)]
    if missing:
        alternative = caller.rsplit(".", 1)[0] + ".from_predictions"
        if hasattr(estimator, "_add_diagnostics"):
            # A fitted LeakageScore without them was fitted with
            # compute_oof=False, whatever the parameter says now: the right
            # estimator in the wrong state, a value error, not a type error.
            raise ValueError(
                f"{caller} needs the out-of-fold diagnostics, which this "
                "LeakageScore's fit did not compute (it was fitted with "
                "compute_oof=False). Refit it with compute_oof=True (the "
                "default); for the choice of a search, LeakageReport."
                "from_search(search, X) computes them; for labels and "
                f"probabilities made elsewhere, use {alternative}."
            )
        raise TypeError(
            f"{caller} needs a fitted LeakageScore with its out-of-fold "
            f"diagnostics, got {type(estimator).__name__} without {missing}. Fit "
            "LeakageScore with compute_oof=True (the default); for labels and "
            f"probabilities made elsewhere, use {alternative}."
        )
    classes = np.asarray(estimator.classes_)
    if classes.shape[0] == 0:
        raise ValueError(
            f"{caller}: the estimator has no scored cluster (every point is noise); "
            f"there is nothing to {purpose}. Loosen the clusterer's density "
            "parameters or fit with noise='cluster'."
        )
    rows = np.asarray(estimator.sample_indices_)
    labels = np.asarray(estimator.labels_)[rows]
    keep = np.isin(labels, classes)
    return labels[keep], np.asarray(estimator.oof_proba_)[keep], classes, rows[keep]


def check_numeric_columns(X) -> None:
    """Refuse a data frame with text or categorical columns, naming them.

    :class:`~sklearn_leakage.LeakageScore` without preprocessing steps
    converts ``X`` to floats before its clusterer sees it, because the probe
    and the reference data work on ``X`` itself; with steps, their output is
    checked the same way. scikit-learn's own
    message ("could not convert string to float") names a value, not the
    column or the fix. Arrays and numeric frames pass untouched.
    """
    text = non_numeric_columns(X)
    if text:
        raise ValueError(
            f"X has columns that are not numbers: {listed_names(text)}. The probe (and "
            "LeakageScore's reference data) work on X itself, so they must be "
            "numbers before it: drop them (X.drop(columns=[...])), or encode them "
            "with a ColumnTransformer (for LeakageScore, as the first step of "
            "the clusterer's Pipeline), knowing that one-hot columns split the "
            "rows into exact groups that the clusters will follow."
        )


def non_numeric_columns(X) -> list[str]:
    """Names of a data frame's text or categorical columns; [] for arrays."""
    dtypes = getattr(X, "dtypes", None)
    columns = getattr(X, "columns", None)
    if dtypes is None or columns is None or np.ndim(dtypes) == 0:
        return []
    from pandas.api.types import is_numeric_dtype

    return [
        str(name)
        for name, dtype in zip(columns, dtypes, strict=True)
        if not is_numeric_dtype(dtype)
    ]


def listed_names(names: list[str]) -> str:
    """The first five names, quoted, and how many more there are."""
    shown = ", ".join(repr(name) for name in names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def check_clusterer(clusterer) -> None:
    """Refuse a class where an instance is needed, and a supervised estimator.

    Both pass the ``HasMethods(["fit"])`` constraint and would fail later with
    messages about ``self`` or a missing ``y``.
    """
    if isinstance(clusterer, type):
        raise TypeError(
            f"clusterer is the class {clusterer.__name__}; pass an instance, "
            f"{clusterer.__name__}() with its parameters."
        )
    final = final_step(clusterer)
    params = final.get_params(deep=False) if hasattr(final, "get_params") else {}
    precomputed = any(
        params.get(name) == "precomputed" for name in ("metric", "affinity")
    )
    if precomputed or get_tags(final).input_tags.pairwise:
        raise ValueError(
            f"clusterer {type(final).__name__} works on a precomputed distance "
            "or affinity matrix; the probe and the reference data need feature "
            "vectors. Pass the features with a clusterer that computes its own "
            "distances (metric='euclidean', affinity='nearest_neighbors')."
        )
    if is_classifier(final) or is_regressor(final):
        kind = "classifier" if is_classifier(final) else "regressor"
        raise TypeError(
            f"clusterer {type(final).__name__} is a {kind}, which needs y; pass "
            "a clusterer such as KMeans() (a probe classifier goes in "
            "classifier=)."
        )


def check_probe(classifier) -> None:
    """Refuse a class where an instance is needed, and an estimator of another kind.

    Both pass the ``HasMethods(["fit", "predict_proba"])`` constraint and
    would fail later with messages that do not name the parameter: a class in
    ``clone``, a mixture (``GaussianMixture`` has ``fit`` and
    ``predict_proba``, ignores the labels and has no ``classes_``) after the
    fit. An object without scikit-learn's tags, or whose estimator type is
    None, is taken at its word.
    """
    if classifier is None:
        return
    if isinstance(classifier, type):
        raise TypeError(
            f"classifier is the class {classifier.__name__}; pass an instance, "
            f"{classifier.__name__}() with its parameters."
        )
    if not hasattr(classifier, "__sklearn_tags__"):
        return  # get_tags raises on such an object; it is taken at its word
    kind = get_tags(classifier).estimator_type
    if kind not in ("classifier", None):
        kind = kind.replace("_", " ")
        article = "an" if kind[:1] in "aeiou" else "a"
        raise TypeError(
            f"classifier {type(final_step(classifier)).__name__} is {article} "
            f"{kind}, "
            "not a classifier: the probe must learn the cluster labels. Pass a "
            "classifier such as LogisticRegression()."
        )


def n_rows(X: Any) -> int:
    """Rows of an array, a sparse matrix, a data frame or a list of rows."""
    return int(X.shape[0]) if hasattr(X, "shape") else len(X)


@contextmanager
def missing_values_advice():
    """Add the two fixes to scikit-learn's "Input contains NaN" error."""
    try:
        yield
    except ValueError as exc:
        if "contains NaN" not in str(exc):
            raise
        raise ValueError(
            f"{str(exc).rstrip('.')}: drop the rows with missing values "
            "(X.dropna()), or impute them with a SimpleImputer (for a "
            "clusterer, as the first step of its Pipeline: "
            "make_pipeline(SimpleImputer(), StandardScaler(), KMeans()))."
        ) from exc
