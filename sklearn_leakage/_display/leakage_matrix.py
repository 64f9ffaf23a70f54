"""Heatmap of the leakage matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from sklearn_leakage._display._base import (
    annotate_cells,
    check_square,
    check_support,
    draw_heatmap,
    figure_and_axes,
    label_heatmap_axes,
    matrix_args_from_estimator,
    matrix_args_from_predictions,
    resolve_display_labels,
    share_text,
)
from sklearn_leakage._validation import takes_no_data

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap

    from sklearn_leakage._estimator import LeakageScore

__all__ = ["LeakageMatrixDisplay"]

#: Text written in the masked diagonal cells: a cluster does not leak into itself.
DIAGONAL_TEXT = "\N{EM DASH}"
#: With ``include_values=None``, most clusters whose cells are annotated.
MAX_AUTO_VALUES = 15


class LeakageMatrixDisplay:
    """Leakage matrix visualization: where each cluster's points leak to.

    Entry ``(i, j)`` of the matrix is the share of cluster ``i``'s points whose
    probability on cluster ``j`` reaches the detection threshold (see
    :func:`~sklearn_leakage.leakage_matrix`); 0% means no point of ``i`` is
    mistaken for ``j``, lower is better. The plot shows the off-diagonal entries in
    percent as a heatmap with annotated cells; the diagonal is masked (drawn in
    light grey and marked with a dash) since it is not leakage.

    It is recommended to create it with :meth:`from_estimator` or
    :meth:`from_predictions`. All parameters are stored as attributes.

    Parameters
    ----------
    leakage_matrix : ndarray of shape (n_clusters, n_clusters)
        Leakage matrix, as returned by :func:`~sklearn_leakage.leakage_matrix`,
        with shares in [0, 1].
    display_labels : array-like of shape (n_clusters,), default=None
        Cluster names for the ticks. If None, ``0`` to ``n_clusters - 1``.
    support : array-like of shape (n_clusters,), default=None
        Number of points of each cluster, written on the row tick labels as
        ``"2 (n=120)"``. If None, the row labels show the names only.

    Attributes
    ----------
    im_ : matplotlib AxesImage
        Heatmap of the leakage in percent; the diagonal is masked.
    text_ : ndarray of shape (n_clusters, n_clusters), dtype=matplotlib Text, \
            or None
        Annotation of each cell (a dash on the diagonal). None if no value is
        written (see ``include_values`` of :meth:`plot`).
    ax_ : matplotlib Axes
        Axes with the heatmap.
    figure_ : matplotlib Figure
        Figure containing the heatmap.

    See Also
    --------
    sklearn_leakage.leakage_matrix : Compute the leakage matrix.
    LeakageGraphDisplay : The same matrix as a directed graph.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from sklearn_leakage import LeakageMatrixDisplay
    >>> labels = [0, 0, 0, 1, 1, 2]
    >>> proba = [[0.9, 0.1, 0.0], [1.0, 0.0, 0.0], [0.8, 0.0, 0.2],
    ...          [0.0, 1.0, 0.0], [0.3, 0.7, 0.0], [0.0, 0.0, 1.0]]
    >>> disp = LeakageMatrixDisplay.from_predictions(labels, proba)
    >>> disp.ax_.get_title()
    'Leakage between clusters'
    >>> [t.get_text() for t in disp.ax_.get_yticklabels()]
    ['0 (n=3)', '1 (n=2)', '2 (n=1)']
    >>> disp.text_[0, 1].get_text()
    '33.3%'
    >>> plt.close(disp.figure_)
    """

    def __init__(
        self,
        leakage_matrix: ArrayLike,
        *,
        display_labels: ArrayLike | None = None,
        support: ArrayLike | None = None,
    ):
        self.leakage_matrix = leakage_matrix
        self.display_labels = display_labels
        self.support = support

    def plot(
        self,
        *,
        include_values: bool | None = None,
        values_format: str | None = None,
        cmap: str | Colormap = "Reds",
        xticks_rotation: str | float = "horizontal",
        colorbar: bool = True,
        ax: Axes | None = None,
        im_kw: dict | None = None,
        text_kw: dict | None = None,
    ) -> LeakageMatrixDisplay:
        """Plot the visualization.

        Parameters
        ----------
        include_values : bool, default=None
            Write each cell's value in it. None writes them up to 15 clusters,
            beyond which they are too small to read.
        values_format : str, default=None
            Format specification applied to each share. None writes them as
            the report does: one decimal (0.125 as ``"12.5%"``), and two
            significant digits for a share below 0.1% or its distance from
            100% above 99.9%, so that 1 point of 5000 reads "0.02%", not
            "0.0%".
        cmap : str or matplotlib Colormap, default="Reds"
            Colormap of the heatmap.
        xticks_rotation : {"vertical", "horizontal"} or float, \
                default="horizontal"
            Rotation of the column tick labels.
        colorbar : bool, default=True
            Whether to add a colorbar.
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        im_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.imshow`, over the
            defaults.
        text_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.text` for each cell,
            over the defaults.

        Returns
        -------
        display : LeakageMatrixDisplay
            The display, with the artists as attributes.
        """
        matrix = check_square(self.leakage_matrix)
        n_clusters = matrix.shape[0]
        names = resolve_display_labels(self.display_labels, n_clusters)
        support = check_support(self.support, n_clusters, "leakage_matrix")
        fig, ax = figure_and_axes(ax)

        diagonal = np.eye(n_clusters, dtype=bool)
        percent = np.ma.masked_array(100.0 * matrix, mask=diagonal)
        off_diagonal_max = float(percent.max()) if n_clusters > 1 else 0.0
        default_im_kw = {
            "interpolation": "nearest",
            "cmap": cmap,
            "vmin": 0.0,
            # Scale to the largest leakage, so that small leakages stay visible;
            # pass im_kw={"vmax": 100} to compare several displays.
            "vmax": off_diagonal_max if off_diagonal_max > 0 else 1.0,
        }
        self.im_ = draw_heatmap(ax, percent, default_im_kw, im_kw)

        if include_values is None:
            include_values = n_clusters <= MAX_AUTO_VALUES
        self.text_ = None
        if include_values:
            low_colour, high_colour = self.im_.cmap(0.0), self.im_.cmap(1.0)
            # Small enough that the annotations of neighbouring cells do not
            # overlap in a default-sized figure.
            fontsize = float(np.clip(100.0 / max(n_clusters, 1), 5.0, 10.0))

            def cell_text(i, j):
                if i == j:
                    text, colour = DIAGONAL_TEXT, "0.4"
                else:
                    text = share_text(matrix[i, j], values_format)
                    dark = self.im_.norm(percent[i, j]) > 0.5
                    colour = low_colour if dark else high_colour
                default_text_kw = {
                    "ha": "center",
                    "va": "center",
                    "color": colour,
                    "fontsize": fontsize,
                }
                return text, default_text_kw

            self.text_ = annotate_cells(ax, matrix.shape, cell_text, text_kw)

        if colorbar:
            fig.colorbar(self.im_, ax=ax, label="Leakage (% of the row's points)")
        if support is None:
            row_labels = names
        else:
            row_labels = [
                f"{name} (n={int(count)})"
                for name, count in zip(names, support, strict=True)
            ]
        label_heatmap_axes(
            ax,
            names,
            row_labels,
            xlabel="Leaks into cluster",
            ylabel="Cluster",
            title="Leakage between clusters",
        )
        for label in ax.get_xticklabels():
            label.set_rotation(xticks_rotation)

        self.figure_ = fig
        self.ax_ = ax
        return self

    @classmethod
    @takes_no_data
    def from_estimator(
        cls,
        estimator: LeakageScore,
        *,
        display_labels: ArrayLike | None = None,
        include_values: bool | None = None,
        values_format: str | None = None,
        cmap: str | Colormap = "Reds",
        xticks_rotation: str | float = "horizontal",
        colorbar: bool = True,
        ax: Axes | None = None,
        im_kw: dict | None = None,
        text_kw: dict | None = None,
    ) -> LeakageMatrixDisplay:
        """Plot the leakage matrix of a fitted :class:`~sklearn_leakage.LeakageScore`.

        The matrix is the estimator's ``leakage_matrix_`` (at its
        ``detection_threshold``); the cluster sizes are counted in the rows
        it scored (``labels_[sample_indices_]``, all rows unless
        ``max_samples`` drew a subsample), the rows the shares are of.

        Parameters
        ----------
        estimator : LeakageScore or Pipeline
            A fitted :class:`~sklearn_leakage.LeakageScore`, or a fitted
            Pipeline ending in one.
        display_labels : array-like of shape (n_clusters,), default=None
            Cluster names for the ticks. If None, the estimator's ``classes_``.
        include_values : bool, default=None
            Write each cell's value in it. None writes them up to 15 clusters,
            beyond which they are too small to read.
        values_format : str, default=None
            Format specification applied to each share. None writes them as
            the report does (see :meth:`plot`).
        cmap : str or matplotlib Colormap, default="Reds"
            Colormap of the heatmap.
        xticks_rotation : {"vertical", "horizontal"} or float, \
                default="horizontal"
            Rotation of the column tick labels.
        colorbar : bool, default=True
            Whether to add a colorbar.
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        im_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.imshow`.
        text_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.text`.

        Returns
        -------
        display : LeakageMatrixDisplay

        See Also
        --------
        LeakageMatrixDisplay.from_predictions : Plot it from labels and
            probabilities.

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.cluster import KMeans
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn_leakage import LeakageMatrixDisplay, LeakageScore
        >>> X, _ = make_blobs(n_samples=150, centers=3, random_state=0)
        >>> est = LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0)
        >>> disp = LeakageMatrixDisplay.from_estimator(est.fit(X))
        >>> disp.text_.shape
        (3, 3)
        >>> plt.close(disp.figure_)
        """
        display = cls(
            **matrix_args_from_estimator(
                estimator, f"{cls.__name__}.from_estimator", display_labels
            )
        )
        return display.plot(
            include_values=include_values,
            values_format=values_format,
            cmap=cmap,
            xticks_rotation=xticks_rotation,
            colorbar=colorbar,
            ax=ax,
            im_kw=im_kw,
            text_kw=text_kw,
        )

    @classmethod
    def from_predictions(
        cls,
        labels: ArrayLike,
        proba: ArrayLike,
        *,
        classes: ArrayLike | None = None,
        detection_threshold: float = 0.05,
        display_labels: ArrayLike | None = None,
        include_values: bool | None = None,
        values_format: str | None = None,
        cmap: str | Colormap = "Reds",
        xticks_rotation: str | float = "horizontal",
        colorbar: bool = True,
        ax: Axes | None = None,
        im_kw: dict | None = None,
        text_kw: dict | None = None,
    ) -> LeakageMatrixDisplay:
        """Plot the leakage matrix of a labelling and its probabilities.

        Parameters
        ----------
        labels : array-like of shape (n_samples,)
            Cluster of each sample.
        proba : array-like of shape (n_samples, n_clusters)
            Out-of-sample probability of each sample for each cluster.
        classes : array-like of shape (n_clusters,), default=None
            Cluster ids in the column order of ``proba``. ``np.unique(labels)``
            if None.
        detection_threshold : float, default=0.05
            Probability from which a cluster counts as plausible for a point, in
            (0, 1).
        display_labels : array-like of shape (n_clusters,), default=None
            Cluster names for the ticks. If None, ``classes``.
        include_values : bool, default=None
            Write each cell's value in it. None writes them up to 15 clusters,
            beyond which they are too small to read.
        values_format : str, default=None
            Format specification applied to each share. None writes them as
            the report does (see :meth:`plot`).
        cmap : str or matplotlib Colormap, default="Reds"
            Colormap of the heatmap.
        xticks_rotation : {"vertical", "horizontal"} or float, \
                default="horizontal"
            Rotation of the column tick labels.
        colorbar : bool, default=True
            Whether to add a colorbar.
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        im_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.imshow`.
        text_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.text`.

        Returns
        -------
        display : LeakageMatrixDisplay

        See Also
        --------
        LeakageMatrixDisplay.from_estimator : Plot it from a fitted
            LeakageScore.

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> from sklearn_leakage import LeakageMatrixDisplay
        >>> labels = ["a", "a", "b", "b"]
        >>> proba = [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]]
        >>> disp = LeakageMatrixDisplay.from_predictions(labels, proba)
        >>> [t.get_text() for t in disp.text_.ravel()]
        ['—', '50.0%', '50.0%', '—']
        >>> plt.close(disp.figure_)
        """
        display = cls(
            **matrix_args_from_predictions(
                labels, proba, classes, detection_threshold, display_labels
            )
        )
        return display.plot(
            include_values=include_values,
            values_format=values_format,
            cmap=cmap,
            xticks_rotation=xticks_rotation,
            colorbar=colorbar,
            ax=ax,
            im_kw=im_kw,
            text_kw=text_kw,
        )
