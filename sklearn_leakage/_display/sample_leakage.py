"""Per-point probability on the own cluster, drawn like a silhouette plot."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from sklearn_leakage._display._base import (
    cluster_support,
    figure_and_axes,
    merge_style,
    own_cluster_proba,
    plain_text,
    scored_predictions,
)
from sklearn_leakage._validation import encode_labels, takes_no_data

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from sklearn_leakage._estimator import LeakageScore

__all__ = ["SampleLeakageDisplay"]

#: Largest share of the Axes height given to the legend above the blocks: in
#: Axes too small for the legend, it covers the first block's top rows rather
#: than squeezing every block into a sliver.
MAX_HEAD_ROOM = 0.5


class SampleLeakageDisplay:
    """Per-point leakage visualization, in the manner of a silhouette plot.

    For each cluster, the probability that each of its points puts on its own
    cluster is drawn as a horizontal bar, sorted from the largest down; the
    clusters are stacked from top to bottom with gaps between them. A cluster
    whose block fills the width is predicted with confidence; a block that tapers
    early holds points the probe confuses with other clusters. The dashed line
    is the mean over all points, ``1 -`` :func:`~sklearn_leakage.expected_leakage`;
    its legend sits in head room above the first block, where it covers no
    point.

    It is recommended to create it with :meth:`from_estimator` or
    :meth:`from_predictions`. All parameters are stored as attributes.

    Parameters
    ----------
    own_proba : array-like of shape (n_samples,)
        Probability that each point puts on its own cluster, in [0, 1].
    labels : array-like of shape (n_samples,)
        Cluster of each point.
    classes : array-like of shape (n_clusters,), default=None
        Clusters in the order of the blocks, top to bottom. ``np.unique(labels)``
        if None.

    Attributes
    ----------
    fills_ : list of matplotlib PolyCollection
        One filled block per cluster, in the order of ``classes``.
    mean_line_ : matplotlib Line2D
        Vertical line at the mean own-cluster probability.
    ax_ : matplotlib Axes
        Axes with the plot.
    figure_ : matplotlib Figure
        Figure containing the plot.

    See Also
    --------
    sklearn_leakage.expected_leakage : Mean probability put on other clusters.
    sklearn.metrics.silhouette_samples : The geometric counterpart.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from sklearn_leakage import SampleLeakageDisplay
    >>> labels = [0, 0, 0, 1, 1, 2]
    >>> proba = [[0.9, 0.1, 0.0], [1.0, 0.0, 0.0], [0.8, 0.0, 0.2],
    ...          [0.0, 1.0, 0.0], [0.3, 0.7, 0.0], [0.0, 0.0, 1.0]]
    >>> disp = SampleLeakageDisplay.from_predictions(labels, proba)
    >>> len(disp.fills_)
    3
    >>> round(disp.mean_line_.get_xdata()[0], 3)  # (0.9+1+0.8+1+0.7+1) / 6
    0.9
    >>> plt.close(disp.figure_)
    """

    def __init__(
        self,
        own_proba: ArrayLike,
        labels: ArrayLike,
        *,
        classes: ArrayLike | None = None,
    ):
        self.own_proba = own_proba
        self.labels = labels
        self.classes = classes

    def plot(
        self,
        *,
        ax: Axes | None = None,
        fill_kw: dict | None = None,
        mean_line_kw: dict | None = None,
    ) -> SampleLeakageDisplay:
        """Plot the visualization.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        fill_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.fill_betweenx` for
            every block, over the defaults (each cluster gets its own colour).
        mean_line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.axvline`.

        Returns
        -------
        display : SampleLeakageDisplay
            The display, with the artists as attributes.
        """
        from matplotlib.collections import PolyCollection
        from matplotlib.lines import Line2D

        own = np.asarray(self.own_proba, dtype=np.float64)
        labels = np.asarray(self.labels)
        if own.ndim != 1 or labels.ndim != 1 or own.shape != labels.shape:
            raise ValueError(
                f"own_proba and labels must be 1-D of the same length, got shapes "
                f"{own.shape} and {labels.shape}; pass one probability per labelled "
                "point."
            )
        classes = np.unique(labels) if self.classes is None else self.classes
        classes = np.asarray(classes)
        codes = encode_labels(labels, classes)
        support = cluster_support(labels, classes)
        fig, ax = figure_and_axes(ax)

        # As in scikit-learn's silhouette example, a gap of a few rows separates
        # the blocks; it grows with n so that it stays visible.
        gap = max(2, round(0.03 * own.shape[0]))
        self.fills_ = []
        centres = []
        top = 0
        for k in range(classes.shape[0]):
            values = np.sort(own[codes == k])[::-1]
            # One row per point: "post" steps give each value a height of 1, so
            # that a single-point cluster is still drawn.
            rows = top + np.arange(values.shape[0] + 1)
            widths = np.append(values, values[-1] if values.size else 0.0)
            default_fill_kw = {
                "facecolor": f"C{k % 10}",
                "edgecolor": f"C{k % 10}",
                "alpha": 0.75,
                "step": "post",
            }
            self.fills_.append(
                ax.fill_betweenx(
                    rows,
                    0.0,
                    widths,
                    **merge_style(default_fill_kw, fill_kw, PolyCollection),
                )
            )
            centres.append(top + values.shape[0] / 2)
            top += values.shape[0] + gap

        mean = float(np.mean(own))
        default_line_kw = {
            "color": "black",
            "linestyle": "--",
            "linewidth": 1.2,
            "label": f"mean = {mean:.3f}",
        }
        self.mean_line_ = ax.axvline(
            mean, **merge_style(default_line_kw, mean_line_kw, Line2D)
        )
        # The blocks leave no corner free for the legend: each starts at 0 and
        # its best-predicted rows reach about 1 ("lower left" hid the end of the
        # last block). It goes in head room above the first block, as
        # KSelectionDisplay's box does, on the side away from the mean line,
        # which runs through the head room.
        corner = "upper left" if mean > 0.5 else "upper right"
        legend = ax.legend(handles=[self.mean_line_], loc=corner)
        ax.set_yticks(
            centres,
            [
                f"{plain_text(name)} (n={count})"
                for name, count in zip(classes, support, strict=True)
            ],
        )
        bottom = max(top - gap, 1)
        ax.set_ylim(bottom, 0)
        ax.set_xlim(0.0, 1.0)
        ax.set(xlabel="Probability on own cluster", ylabel="Cluster")
        # Wrapped at the figure's edges: long cluster names leave the Axes
        # narrow, and the title, centred on it, ran past the figure's right
        # edge, which the layout does not move it back from.
        ax.set_title("Own-cluster probability of each point", wrap=True)
        # The legend's size is in points and the rows' in data units: their
        # ratio is known once the figure's layout has run, which a draw without
        # output does. The head room holds the legend and, below it, the
        # legend's own distance to the top of the Axes again.
        # A SubFigure cannot draw itself; its root figure (``.figure``) lays
        # it out with the rest.
        fig.figure.draw_without_rendering()
        axes_box = ax.get_window_extent()
        legend_box = legend.get_window_extent()
        depth = 2 * axes_box.y1 - legend_box.y0 - legend_box.y1
        room = min(depth / axes_box.height, MAX_HEAD_ROOM)
        ax.set_ylim(bottom, -bottom * room / (1 - room))

        self.figure_ = fig
        self.ax_ = ax
        return self

    @classmethod
    @takes_no_data
    def from_estimator(
        cls,
        estimator: LeakageScore,
        *,
        ax: Axes | None = None,
        fill_kw: dict | None = None,
        mean_line_kw: dict | None = None,
    ) -> SampleLeakageDisplay:
        """Plot the out-of-fold probabilities of a fitted LeakageScore.

        Uses the estimator's ``oof_proba_`` for the rows of its
        ``sample_indices_``; noise points are left out when it was fitted with
        ``noise="exclude"``.

        Parameters
        ----------
        estimator : LeakageScore or Pipeline
            A fitted :class:`~sklearn_leakage.LeakageScore`, or a fitted
            Pipeline ending in one.
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        fill_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.fill_betweenx`.
        mean_line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.axvline`.

        Returns
        -------
        display : SampleLeakageDisplay

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.cluster import KMeans
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn_leakage import LeakageScore, SampleLeakageDisplay
        >>> X, _ = make_blobs(n_samples=150, centers=3, random_state=0)
        >>> est = LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0)
        >>> disp = SampleLeakageDisplay.from_estimator(est.fit(X))
        >>> len(disp.fills_)
        3
        >>> plt.close(disp.figure_)
        """
        labels, proba, classes = scored_predictions(
            estimator, f"{cls.__name__}.from_estimator"
        )
        return cls.from_predictions(
            labels,
            proba,
            classes=classes,
            ax=ax,
            fill_kw=fill_kw,
            mean_line_kw=mean_line_kw,
        )

    @classmethod
    def from_predictions(
        cls,
        labels: ArrayLike,
        proba: ArrayLike,
        *,
        classes: ArrayLike | None = None,
        ax: Axes | None = None,
        fill_kw: dict | None = None,
        mean_line_kw: dict | None = None,
    ) -> SampleLeakageDisplay:
        """Plot each point's probability on its own cluster.

        Parameters
        ----------
        labels : array-like of shape (n_samples,)
            Cluster of each sample.
        proba : array-like of shape (n_samples, n_clusters)
            Out-of-sample probability of each sample for each cluster.
        classes : array-like of shape (n_clusters,), default=None
            Cluster ids in the column order of ``proba``. ``np.unique(labels)``
            if None.
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        fill_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.fill_betweenx`.
        mean_line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.axvline`.

        Returns
        -------
        display : SampleLeakageDisplay

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> from sklearn_leakage import SampleLeakageDisplay
        >>> labels = [0, 0, 1, 1]
        >>> proba = [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]]
        >>> disp = SampleLeakageDisplay.from_predictions(labels, proba)
        >>> [t.get_text() for t in disp.ax_.get_yticklabels()]
        ['0 (n=2)', '1 (n=2)']
        >>> plt.close(disp.figure_)
        """
        own, labels, classes = own_cluster_proba(labels, proba, classes)
        display = cls(own, labels, classes=classes)
        return display.plot(ax=ax, fill_kw=fill_kw, mean_line_kw=mean_line_kw)
