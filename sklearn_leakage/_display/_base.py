"""Helpers shared by the Display objects: inputs from an estimator, labels, styles.

Nothing here draws; matplotlib is imported inside the functions that need it, so
that importing :mod:`sklearn_leakage` never imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sklearn_leakage._metrics import leakage_matrix
from sklearn_leakage._validation import (
    check_labels_proba,
    encode_labels,
    fitted_leakage_score,
    scored_oof_rows,
)


def scored_predictions(estimator, caller: str) -> tuple[NDArray, NDArray, NDArray]:
    """Labels, out-of-fold probabilities and classes of a fitted ``LeakageScore``.

    ``caller`` names the public method, for error messages.
    """
    labels, proba, classes, _ = scored_oof_rows(estimator, caller, "display")
    return labels, proba, classes


def cluster_support(labels: ArrayLike, classes: ArrayLike) -> NDArray[np.intp]:
    """Number of points of each cluster of ``classes`` in ``labels``.

    Labels that are not in ``classes`` (noise) are not counted.
    """
    labels = np.asarray(labels)
    classes = np.asarray(classes)
    labels = labels[np.isin(labels, classes)]
    codes = encode_labels(labels, classes)
    return np.bincount(codes, minlength=classes.shape[0])


def own_cluster_proba(
    labels: ArrayLike, proba: ArrayLike, classes: ArrayLike | None
) -> tuple[NDArray[np.float64], NDArray, NDArray]:
    """Probability each point puts on its own cluster, after validating inputs.

    Returns the probabilities, the labels and the classes (``np.unique(labels)``
    when None).
    """
    codes, proba, classes = check_labels_proba(labels, proba, classes)
    own = proba[np.arange(codes.shape[0]), codes].astype(np.float64)
    return own, np.asarray(labels), classes


def plain_text(value) -> str:
    """``str(value)`` for matplotlib to draw as it is.

    Matplotlib reads text between two dollar signs as mathematical notation:
    cluster names such as "$0-$50" fail to parse and the figure cannot be
    drawn. An escaped dollar sign is drawn as one.
    """
    return str(value).replace("$", r"\$")


def share_text(value: float, values_format: str | None) -> str:
    """A share as the report writes it (``values_format`` None), or formatted.

    The report's rule keeps shares near 0% and 100% apart from those values
    (0.02%, 99.98%), where one decimal would write them "0.0%" and "100.0%".
    """
    if values_format is not None:
        return format(value, values_format)
    # Imported here: the report's modules import the displays.
    from sklearn_leakage._report._format import format_percent

    return format_percent(value)


def resolve_display_labels(
    display_labels: ArrayLike | None, n_clusters: int, name: str = "leakage_matrix"
) -> list[str]:
    """Text of each cluster's label; ``0 .. n_clusters - 1`` when None."""
    if display_labels is None:
        return [str(i) for i in range(n_clusters)]
    display_labels = list(cast(Iterable[object], display_labels))
    if len(display_labels) != n_clusters:
        raise ValueError(
            f"display_labels has {len(display_labels)} entries but {name} has "
            f"{n_clusters} clusters; pass one label per cluster, in the order of "
            "classes."
        )
    return [plain_text(label) for label in display_labels]


def check_support(support: ArrayLike | None, n_clusters: int, name: str):
    """``support`` as an integer-valued array of length ``n_clusters``, or None."""
    if support is None:
        return None
    support = np.asarray(support)
    if support.ndim != 1 or support.shape[0] != n_clusters:
        raise ValueError(
            f"support has shape {support.shape} but {name} has {n_clusters} "
            "clusters; pass the number of points of each cluster, in the order of "
            "classes."
        )
    if np.any(support < 0):
        raise ValueError(
            f"support must be non-negative counts, got {support.tolist()}."
        )
    return support


def check_square(matrix: ArrayLike, name: str = "leakage_matrix") -> NDArray:
    """A square 2-D float array; a ValueError naming the shape otherwise."""
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(
            f"{name} must be a square array of shape (n_clusters, n_clusters), got "
            f"shape {matrix.shape}; pass the output of leakage_matrix."
        )
    return matrix


def merge_style(defaults: dict, user: dict | None, artist_class) -> dict:
    """User style keywords over the defaults, matplotlib aliases resolved.

    Both dicts are normalised to full property names first (``lw`` becomes
    ``linewidth``), so a user's ``c="red"`` replaces a default ``color`` instead of
    clashing with it.
    """
    from matplotlib.cbook import normalize_kwargs

    merged = normalize_kwargs(dict(defaults), artist_class)
    user = normalize_kwargs(dict(user or {}), artist_class)
    # On a patch "color" sets both face and edge colours: a user's choice of one
    # kind replaces the defaults of the other kind instead of fighting them.
    if "color" in user:
        merged.pop("facecolor", None)
        merged.pop("edgecolor", None)
    if "facecolor" in user or "edgecolor" in user:
        merged.pop("color", None)
    merged.update(user)
    return merged


def figure_and_axes(ax):
    """``ax`` and its figure; a new figure with one Axes when ``ax`` is None.

    A new figure uses matplotlib's constrained layout, which makes room for the
    tick labels, axis labels and colorbar when the figure is drawn: the default
    fixed margins cut off long cluster names (iris's "versicolor (n=50)" lost
    its first three letters in a plain ``savefig``). Its "compressed" variant,
    because the heatmap and the graph have a fixed aspect: plain constrained
    layout sizes the margins around the Axes before the aspect narrows it, and
    with a colorbar one draw left the heatmap's "Cluster" label 13 pixels
    outside the figure. A given ``ax`` keeps its figure's layout: that figure
    is the user's.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(layout="compressed")
    else:
        fig = ax.figure
    return fig, ax


def matrix_args_from_estimator(estimator, caller: str, display_labels) -> dict:
    """Constructor keywords of a leakage-matrix Display for a fitted LeakageScore.

    The matrix is the estimator's ``leakage_matrix_``; the names default to its
    scored clusters and the sizes are counted in the rows it scored (its
    subsample, when ``max_samples`` drew one): the shares of the matrix are
    shares of those rows.
    """
    estimator = fitted_leakage_score(estimator, caller)
    labels, _, classes = scored_predictions(estimator, caller)
    return {
        "leakage_matrix": estimator.leakage_matrix_,
        "display_labels": classes if display_labels is None else display_labels,
        "support": cluster_support(labels, classes),
    }


def matrix_args_from_predictions(
    labels, proba, classes, detection_threshold, display_labels
) -> dict:
    """Constructor keywords of a leakage-matrix Display for labels and proba."""
    matrix = leakage_matrix(
        labels, proba, classes=classes, detection_threshold=detection_threshold
    )
    if classes is None:
        classes = np.unique(labels)
    return {
        "leakage_matrix": matrix,
        "display_labels": classes if display_labels is None else display_labels,
        "support": cluster_support(labels, classes),
    }


def draw_heatmap(ax, values, default_im_kw: dict, im_kw: dict | None):
    """``ax.imshow`` of ``values`` with the user's style over the defaults."""
    from matplotlib.image import AxesImage

    im = ax.imshow(values, **merge_style(default_im_kw, im_kw, AxesImage))
    # Masked cells take the colormap's "bad" colour; a copy keeps the user's
    # Colormap object unchanged.
    im.set_cmap(im.get_cmap().with_extremes(bad="0.85"))
    return im


def annotate_cells(ax, shape: tuple[int, int], cell_text, text_kw: dict | None):
    """One text per heatmap cell; ``cell_text(i, j)`` gives its text and style.

    Returns an object array of the Text artists, of shape ``shape``.
    """
    from matplotlib.text import Text

    texts = np.empty(shape, dtype=object)
    for i in range(shape[0]):
        for j in range(shape[1]):
            text, default_text_kw = cell_text(i, j)
            texts[i, j] = ax.text(
                j, i, text, **merge_style(default_text_kw, text_kw, Text)
            )
    return texts


def label_heatmap_axes(ax, xticklabels, yticklabels, **labels) -> None:
    """Tick labels on every row and column of a heatmap, the first row on top."""
    n_rows, n_cols = len(yticklabels), len(xticklabels)
    ax.set(
        xticks=np.arange(n_cols),
        yticks=np.arange(n_rows),
        xticklabels=xticklabels,
        yticklabels=yticklabels,
        **labels,
    )
    ax.set_ylim(n_rows - 0.5, -0.5)
