"""Directed graph of the leakage between clusters."""

from __future__ import annotations

import textwrap
from numbers import Real
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from sklearn_leakage._display._base import (
    check_square,
    check_support,
    figure_and_axes,
    matrix_args_from_estimator,
    matrix_args_from_predictions,
    merge_style,
    resolve_display_labels,
    share_text,
)
from sklearn_leakage._validation import takes_no_data

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap

    from sklearn_leakage._estimator import LeakageScore

__all__ = ["LeakageGraphDisplay"]

#: Curvature of the edges (matplotlib "arc3" connection style). Any non-zero value
#: bends i->j and j->i to opposite sides, so the two never overlap; 0.2 keeps the
#: arcs close to the chords.
EDGE_CURVATURE = 0.2
#: Part of the colormap left out at its low end, so that the weakest drawn edge
#: is still visible on a white background (the low end of "Reds" is white).
COLOUR_FLOOR = 0.25
#: Where along an arrow its share is written by preference (0: source, 1:
#: target): nearer the source than the middle, so that the shares of i->j and
#: j->i also differ along the chord, as in most drawings of directed networks.
LABEL_POSITION = 0.35
#: Positions along an arrow where its share may be written instead, when the
#: preferred one would cover another share, a node or a node's name. Up to
#: 0.85: beyond it the share would sit on the target's arrow head.
LABEL_POSITIONS = np.linspace(0.1, 0.85, 31)
#: Smallest gap between a share's box and the text or node next to it, in points.
LABEL_GAP = 1.0
#: Beyond this many clusters the node labels give the name only: the node area
#: still shows the size, and two-line labels of neighbours would touch.
MAX_SIZED_LABELS = 16
#: With ``include_values=None``, most arrows that still get a written share.
MAX_AUTO_LABELS = 40
#: Longest line of a node's name, in characters: a longer name wraps at its
#: spaces, so that the names beside the circle stay narrow next to it.
NAME_WIDTH = 16
#: The graph is drawn at no less than this share of the size it has with short
#: names: names too wide to fit at that size take part in the layout instead.
MIN_GRAPH_SCALE = 0.4


def _circle_layout(n_clusters):
    """Node centres on the unit circle, clockwise from the top."""
    angles = np.pi / 2 - 2 * np.pi * np.arange(n_clusters) / max(n_clusters, 1)
    return np.column_stack([np.cos(angles), np.sin(angles)])


def _control_point(start, end):
    """Control point of matplotlib's ``arc3,rad=EDGE_CURVATURE`` from start to end.

    The chord's middle moved by the curvature times the chord turned by -90
    degrees (in data coordinates, which the equal aspect makes those of the
    display).
    """
    dx, dy = end - start
    return (start + end) / 2 + EDGE_CURVATURE * np.array([dy, -dx])


def _arc_points(start, control, end, t):
    """Points at the parameters ``t`` of the quadratic Bezier curve of arc3.

    The arrow between two centres follows this curve, closely enough to write
    its share on it.
    """
    t = np.asarray(t, dtype=float)[:, None]
    return (1 - t) ** 2 * start + 2 * t * (1 - t) * control + t**2 * end


def _wrapped(name: str) -> str:
    """``name`` with each of its lines wrapped to :data:`NAME_WIDTH` characters.

    Lines break at spaces where they can; a longer word (an identifier such as
    ``north_east_loyal_customers``) is cut at the width.
    """
    return "\n".join(
        textwrap.fill(line, NAME_WIDTH) or line for line in name.split("\n")
    )


def _limit_for_names(figure, ax, names, limit):
    """Half-side of the square data limits that keeps every name inside ``ax``.

    The names are written in points, outside their nodes, so how far they
    reach in data units depends on the scale of the Axes. The figure is laid
    out once (a draw without output; the names take no part in the layout) to
    measure the Axes' side ``P`` and each name's reach beyond its anchor, in
    pixels. A name anchored at ``a`` that reaches ``h`` pixels further stays
    inside the limits ``[-L, L]`` when ``a + h * 2 L / P <= L``, that is when
    ``L >= a / (1 - 2 h / P)`` (no ``L`` will do when ``2 h >= P``); the same
    holds towards ``-L``. Returns the largest such ``L`` and ``limit``, at
    most ``limit / MIN_GRAPH_SCALE``, and whether the names fit within it.
    """
    figure.figure.draw_without_rendering()
    side = min(ax.bbox.width, ax.bbox.height)
    most = limit / MIN_GRAPH_SCALE
    needed = limit
    if side <= 0:
        return needed, True
    for name in names:
        if not name.get_visible() or not name.get_text().strip():
            # Nothing drawn, and an invisible text measures as the origin.
            continue
        anchor = np.asarray(name.get_position(), dtype=float)
        extent = np.asarray(name.get_window_extent().extents)
        pixels = ax.transData.transform(anchor)
        for reach, towards in (
            (extent[2:] - pixels, anchor),
            (pixels - extent[:2], -anchor),
        ):
            room = 1.0 - 2.0 * reach / side
            # A name reaching outwards needs room; one anchored on the axis
            # (0, to rounding) too, on both sides.
            outwards = towards > -1e-9
            if np.any(outwards & (room <= 0)):
                return most, False
            ratio = np.where(outwards, towards / np.where(room > 0, room, 1.0), 0.0)
            needed = max(needed, float(ratio.max()))
    return min(needed, most), needed <= most


def _display_box(artist):
    """Extent ``[x0, y0, x1, y1]`` in pixels of a drawn artist.

    A text's extent includes its box (the white background of the shares).
    """
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    extents = [artist.get_window_extent()]
    if isinstance(artist, Text) and artist.get_bbox_patch() is not None:
        extents.append(artist.get_bbox_patch().get_window_extent())
    return np.asarray(Bbox.union(extents).extents)


def _overlap_areas(boxes, taken):
    """Area each of ``boxes`` (m, 4) shares with all of ``taken`` (p, 4), (m,)."""
    if taken.shape[0] == 0:
        return np.zeros(boxes.shape[0])
    width = np.minimum(boxes[:, None, 2], taken[None, :, 2]) - np.maximum(
        boxes[:, None, 0], taken[None, :, 0]
    )
    height = np.minimum(boxes[:, None, 3], taken[None, :, 3]) - np.maximum(
        boxes[:, None, 1], taken[None, :, 1]
    )
    return np.sum(np.clip(width, 0, None) * np.clip(height, 0, None), axis=1)


def _spread_edge_labels(figure, ax, labels, curves, order, obstacles):
    """Move each share along its own arrow to where it covers no other text.

    With a circular layout the long chords all pass near the centre, so shares
    written at a fixed fraction of every arrow meet there (with 6 clusters, the
    0.35 points of the six arrows along diameters lie 0.35 from the centre of
    the unit circle). Greedily, in ``order`` (strongest leakage first), each
    share takes the first position of ``LABEL_POSITIONS``, by distance to
    ``LABEL_POSITION``, whose box is clear of the boxes already placed and of
    the artists ``obstacles`` (the nodes and their names); if none is clear,
    the one that covers the least area. The boxes are measured in pixels after
    a draw without output, which runs the figure's layout and the equal
    aspect: they hold for the figure at its size then.
    """
    # A SubFigure cannot draw itself; its root figure (``.figure``) lays it
    # out with the rest.
    figure.figure.draw_without_rendering()
    to_pixels = ax.transData.transform
    gap = LABEL_GAP * figure.dpi / 72.0
    # Stable: equal distances prefer the position nearer the source.
    candidates = LABEL_POSITIONS[
        np.argsort(np.abs(LABEL_POSITIONS - LABEL_POSITION), kind="stable")
    ]
    margin = np.array([-gap, -gap, gap, gap])
    taken = np.empty((len(obstacles) + len(labels), 4))
    n_taken = len(obstacles)
    for k, artist in enumerate(obstacles):
        taken[k] = _display_box(artist) + margin
    for k in order:
        label = labels[k]
        # Where the box lies around the text's anchor (an ha, va or rotation
        # of the user's is kept).
        offset = _display_box(label) - np.tile(to_pixels(label.get_position()), 2)
        points = _arc_points(*curves[k], candidates)
        boxes = np.tile(to_pixels(points), 2) + offset
        covered = _overlap_areas(boxes, taken[:n_taken])
        # argmin takes the first of equal areas: the first clear position
        # when there is one.
        best = int(np.argmin(covered))
        label.set_position(points[best])
        taken[n_taken] = boxes[best] + margin
        n_taken += 1


def _towards(centre, point, radius):
    """The point of the circle around ``centre`` in the direction of ``point``."""
    direction = point - centre
    return centre + radius * direction / np.hypot(*direction)


def _node_radii(support, n_clusters):
    """Radii with area proportional to support; neighbours never touch.

    Neighbours on the unit circle are ``2 sin(pi / n)`` apart, so a radius of at
    most ``0.8 sin(pi / n)`` leaves a gap between two largest nodes.
    """
    largest = 0.16 if n_clusters < 2 else min(0.16, 0.8 * np.sin(np.pi / n_clusters))
    if support is None or np.max(support) == 0:
        return np.full(n_clusters, 0.7 * largest), largest
    radii = largest * np.sqrt(np.asarray(support, dtype=float) / np.max(support))
    # A floor keeps a tiny cluster's node large enough to see and to label.
    return np.maximum(radii, 0.35 * largest), largest


class LeakageGraphDisplay:
    """Leakage graph visualization: clusters as nodes, leakage as arrows.

    Each cluster is a node on a circle, its area proportional to its number of
    points (down to a floor: no node's radius is below 0.35 times the
    largest's, so that a tiny cluster stays visible). An arrow goes from
    cluster ``i`` to cluster ``j`` when the share of ``i``'s points that leak
    into ``j`` (entry ``(i, j)`` of :func:`~sklearn_leakage.leakage_matrix`)
    is at least ``leakage_threshold``; its width and colour grow with that
    share. Arrows are curved, so that ``i->j`` and ``j->i`` stay apart. A
    clustering without leakage is a graph without arrows.

    It is recommended to create it with :meth:`from_estimator` or
    :meth:`from_predictions`. All parameters are stored as attributes.

    Parameters
    ----------
    leakage_matrix : ndarray of shape (n_clusters, n_clusters)
        Leakage matrix, as returned by :func:`~sklearn_leakage.leakage_matrix`,
        with shares in [0, 1].
    display_labels : array-like of shape (n_clusters,), default=None
        Cluster names for the nodes. If None, ``0`` to ``n_clusters - 1``.
        Names longer than 16 characters are written on several lines (see
        Notes).
    support : array-like of shape (n_clusters,), default=None
        Number of points of each cluster: sets the node areas and, up to 16
        clusters, is written under the names. If None, all nodes have the same
        size.
    leakage_threshold : float, default=0.02
        Smallest off-diagonal share that gets an arrow, in (0, 1].

    Attributes
    ----------
    nodes_ : list of matplotlib Circle
        One node per cluster.
    node_labels_ : list of matplotlib Text
        Name (and size) of each cluster, outside its node.
    edges_ : list of matplotlib FancyArrowPatch
        One arrow per off-diagonal entry at or above ``leakage_threshold``, in
        row-major order of the matrix.
    edge_labels_ : list of matplotlib Text
        The share written on each arrow, in the order of ``edges_``; empty if
        no share is written (see ``include_values``). Each lies on its own
        arrow, where its box covers no other share, node or node name when
        there is such a place (see Notes).
    ax_ : matplotlib Axes
        Axes with the graph.
    figure_ : matplotlib Figure
        Figure containing the graph.

    See Also
    --------
    LeakageMatrixDisplay : The same matrix as a heatmap.
    sklearn_leakage.leakage_matrix : Compute the leakage matrix.

    Notes
    -----
    The layout is deterministic (cluster ``0`` at the top, then clockwise) and
    stays readable up to about 30 clusters; beyond that, raise
    ``leakage_threshold`` to keep the strongest arrows only.

    Each node's name is written beside it, wrapped to lines of at most 16
    characters (at spaces where it can, a longer word cut at the width). The
    names take no part in the figure's layout: the Axes keep their size, and
    the graph is drawn smaller inside them until the longest name fits,
    down to 40% of its size with short names. Names that still do not fit
    take part in the layout again, which then makes room for them (as does
    ``savefig(..., bbox_inches="tight")``). The fit is measured on the figure
    as laid out when :meth:`plot` runs. With many clusters, long names of
    neighbouring nodes can still cover each other: shorter names, or
    ``display_labels`` with codes explained elsewhere, keep them apart.

    Each share is written on its arrow 0.35 of the way from the source when
    that place is free; the long chords of the circle all pass near its
    centre, so the shares written there at one fixed fraction would cover
    each other. From the strongest arrow down, a share moves along its arrow
    (between 0.1 and 0.85 of the way) to the place nearest 0.35 where its box
    covers no share already placed, no node and no node name, or else to
    where it covers the least. The boxes are measured on the figure as laid
    out when :meth:`plot` runs (a draw without output): a figure made much
    smaller afterwards, or an ``ax`` whose figure changes its layout later,
    can bring shares together again.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from sklearn_leakage import LeakageGraphDisplay
    >>> labels = [0, 0, 0, 1, 1, 2]
    >>> proba = [[0.9, 0.1, 0.0], [1.0, 0.0, 0.0], [0.8, 0.0, 0.2],
    ...          [0.0, 1.0, 0.0], [0.3, 0.7, 0.0], [0.0, 0.0, 1.0]]
    >>> disp = LeakageGraphDisplay.from_predictions(labels, proba)
    >>> len(disp.edges_)
    3
    >>> [t.get_text() for t in disp.edge_labels_]
    ['33.3%', '33.3%', '50.0%']
    >>> plt.close(disp.figure_)
    """

    def __init__(
        self,
        leakage_matrix: ArrayLike,
        *,
        display_labels: ArrayLike | None = None,
        support: ArrayLike | None = None,
        leakage_threshold: float = 0.02,
    ):
        self.leakage_matrix = leakage_matrix
        self.display_labels = display_labels
        self.support = support
        self.leakage_threshold = leakage_threshold

    def plot(
        self,
        *,
        include_values: bool | None = None,
        values_format: str | None = None,
        cmap: str | Colormap = "Reds",
        colorbar: bool = True,
        ax: Axes | None = None,
        node_kw: dict | None = None,
        edge_kw: dict | None = None,
        node_label_kw: dict | None = None,
        edge_label_kw: dict | None = None,
    ) -> LeakageGraphDisplay:
        """Plot the visualization.

        Parameters
        ----------
        include_values : bool, default=None
            Write each arrow's share on it, where it covers no other share
            (see Notes of the class). None writes them when there are at most
            40 arrows, beyond which the labels would cover each other.
        values_format : str, default=None
            Format specification applied to each share. None writes them as
            the report does: one decimal (0.125 as "12.5%"), and the distance
            from 100% with two significant digits above 99.9% (99.98%, not
            100.0%).
        cmap : str or matplotlib Colormap, default="Reds"
            Colormap of the arrows; its lowest quarter is left out so that weak
            arrows stay visible.
        colorbar : bool, default=True
            Whether to add a colorbar (only when there is at least one arrow).
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        node_kw : dict, default=None
            Keywords passed to :class:`matplotlib.patches.Circle` for each node.
        edge_kw : dict, default=None
            Keywords passed to :class:`matplotlib.patches.FancyArrowPatch` for
            each arrow.
        node_label_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.text` for the node
            labels.
        edge_label_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.text` for the arrow
            labels.

        Returns
        -------
        display : LeakageGraphDisplay
            The display, with the artists as attributes.
        """
        import matplotlib as mpl
        from matplotlib.colors import ListedColormap, Normalize
        from matplotlib.patches import Circle, FancyArrowPatch
        from matplotlib.text import Text

        matrix = check_square(self.leakage_matrix)
        n_clusters = matrix.shape[0]
        names = resolve_display_labels(self.display_labels, n_clusters)
        support = check_support(self.support, n_clusters, "leakage_matrix")
        threshold = self.leakage_threshold
        if not isinstance(threshold, Real) or not 0 < threshold <= 1:
            raise ValueError(
                f"leakage_threshold must be a share in (0, 1], got {threshold!r}; "
                "pass for example 0.02 to draw the pairs where at least 2% of a "
                "cluster's points leak."
            )
        fig, ax = figure_and_axes(ax)

        centres = _circle_layout(n_clusters)
        radii, largest = _node_radii(support, n_clusters)
        self.nodes_ = []
        for centre, radius in zip(centres, radii, strict=True):
            default_node_kw = {
                "facecolor": "#c6dbef",
                "edgecolor": "0.25",
                "linewidth": 1.0,
                "zorder": 3,
            }
            node = Circle(
                centre, radius, **merge_style(default_node_kw, node_kw, Circle)
            )
            ax.add_patch(node)
            self.nodes_.append(node)

        self.node_labels_ = []
        label_size = float(np.clip(200.0 / max(n_clusters, 1), 7.0, 10.0))
        for k, (x, y) in enumerate(centres):
            text = _wrapped(str(names[k]))
            if support is not None and n_clusters <= MAX_SIZED_LABELS:
                text = f"{text}\n(n={int(support[k])})"
            # Outside the circle, pushed away from the centre of the layout.
            distance = 1.0 + largest + 0.05
            ha = "left" if x > 0.1 else "right" if x < -0.1 else "center"
            va = "bottom" if y > 0.1 else "top" if y < -0.1 else "center"
            default_label_kw = {
                "ha": ha,
                "va": va,
                "fontsize": label_size,
                "zorder": 5,
                # Kept inside the Axes by its limits (_limit_for_names): the
                # layout need not shrink the graph to make room for them.
                "in_layout": False,
            }
            self.node_labels_.append(
                ax.text(
                    distance * x,
                    distance * y,
                    text,
                    **merge_style(default_label_kw, node_label_kw, Text),
                )
            )

        off_diagonal = ~np.eye(n_clusters, dtype=bool)
        rows, cols = np.nonzero(off_diagonal & (matrix >= threshold))
        strongest = float(matrix[rows, cols].max()) if rows.size else 1.0
        norm = Normalize(vmin=0.0, vmax=100.0 * strongest)
        base_cmap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
        edge_cmap = ListedColormap(base_cmap(np.linspace(COLOUR_FLOOR, 1.0, 256)))

        if include_values is None:
            include_values = rows.size <= MAX_AUTO_LABELS
        # Thinner arrows when there are many nodes, so that they do not merge.
        width_scale = min(1.0, np.sqrt(10.0 / max(n_clusters, 1)))
        self.edges_ = []
        self.edge_labels_ = []
        curves = []
        own_connection = "connectionstyle" in (edge_kw or {})
        for i, j in zip(rows, cols, strict=True):
            share = matrix[i, j]
            width = width_scale * (1.0 + 4.0 * share / strongest)
            default_edge_kw = {
                "arrowstyle": "-|>",
                "connectionstyle": f"arc3,rad={EDGE_CURVATURE}",
                "mutation_scale": 8.0 + 2.5 * width,
                "linewidth": width,
                "facecolor": edge_cmap(norm(100.0 * share)),
                "edgecolor": edge_cmap(norm(100.0 * share)),
                "shrinkA": 0.0,
                "shrinkB": 1.0,
                # The strongest arrows on top.
                "zorder": 2.0 + share,
            }
            # The arrow runs from circle to circle. matplotlib can clip it with
            # patchA= and patchB=, but by intersecting Bezier curves with each
            # circle at every draw: 4.6 s to draw and save the graph of 100
            # clusters (1,176 arrows), 1.0 s without. The default arc3 curve
            # leaves a centre towards its control point and enters the other
            # from it, so the points of the circles in those directions are
            # where it crosses them, closely enough. A connection style of the
            # user's own is clipped by matplotlib.
            control = _control_point(centres[i], centres[j])
            if own_connection:
                ends = {
                    "posA": centres[i],
                    "posB": centres[j],
                    "patchA": self.nodes_[i],
                    "patchB": self.nodes_[j],
                }
            else:
                ends = {
                    "posA": _towards(centres[i], control, radii[i]),
                    "posB": _towards(centres[j], control, radii[j]),
                }
            edge = FancyArrowPatch(
                **ends, **merge_style(default_edge_kw, edge_kw, FancyArrowPatch)
            )
            ax.add_patch(edge)
            self.edges_.append(edge)
            if include_values:
                # On the arc3 curve between the centres; moved along it below
                # once every box can be measured.
                curve = (centres[i], control, centres[j])
                curves.append(curve)
                (position,) = _arc_points(*curve, [LABEL_POSITION])
                default_edge_label_kw = {
                    "ha": "center",
                    "va": "center",
                    "fontsize": 0.85 * label_size,
                    "zorder": 4,
                    "bbox": {
                        "boxstyle": "round,pad=0.15",
                        "facecolor": "white",
                        "edgecolor": "none",
                        "alpha": 0.8,
                    },
                }
                self.edge_labels_.append(
                    ax.text(
                        *position,
                        share_text(share, values_format),
                        **merge_style(default_edge_label_kw, edge_label_kw, Text),
                    )
                )

        if colorbar and self.edges_:
            mappable = mpl.cm.ScalarMappable(norm=norm, cmap=edge_cmap)
            fig.colorbar(
                mappable, ax=ax, shrink=0.8, label="Leakage (% of the source's points)"
            )
        limit = 1.0 + largest + 0.45
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-limit, limit)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(
            f"Leakage between clusters (arrows: at least {100 * threshold:g}%)"
        )
        limit, fit = _limit_for_names(fig, ax, self.node_labels_, limit)
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-limit, limit)
        if not fit:
            # Too long to fit even at the smallest scale: the layout, or a
            # savefig(bbox_inches="tight"), makes room for what runs past.
            for label in self.node_labels_:
                label.set_in_layout(True)
        if self.edge_labels_:
            _spread_edge_labels(
                fig,
                ax,
                self.edge_labels_,
                curves,
                # Strongest first: it keeps the preferred position.
                np.argsort(-matrix[rows, cols], kind="stable"),
                self.nodes_ + self.node_labels_,
            )

        self.figure_ = fig
        self.ax_ = ax
        return self

    @classmethod
    @takes_no_data
    def from_estimator(
        cls,
        estimator: LeakageScore,
        *,
        leakage_threshold: float = 0.02,
        display_labels: ArrayLike | None = None,
        include_values: bool | None = None,
        values_format: str | None = None,
        cmap: str | Colormap = "Reds",
        colorbar: bool = True,
        ax: Axes | None = None,
        node_kw: dict | None = None,
        edge_kw: dict | None = None,
        node_label_kw: dict | None = None,
        edge_label_kw: dict | None = None,
    ) -> LeakageGraphDisplay:
        """Plot the leakage graph of a fitted :class:`~sklearn_leakage.LeakageScore`.

        The arrows come from the estimator's ``leakage_matrix_`` (at its
        ``detection_threshold``); node sizes from the cluster sizes in the
        rows it scored (``labels_[sample_indices_]``, all rows unless
        ``max_samples`` drew a subsample).

        Parameters
        ----------
        estimator : LeakageScore or Pipeline
            A fitted :class:`~sklearn_leakage.LeakageScore`, or a fitted
            Pipeline ending in one.
        leakage_threshold : float, default=0.02
            Smallest share of a cluster's points leaking into another that gets
            an arrow, in (0, 1].
        display_labels : array-like of shape (n_clusters,), default=None
            Cluster names for the nodes. If None, the estimator's ``classes_``.
        include_values : bool, default=None
            Write each arrow's share on it. None writes them when there are at
            most 40 arrows, beyond which the labels would cover each other.
        values_format : str, default=None
            Format specification applied to each share. None writes them as
            the report does: one decimal (0.125 as "12.5%"), and the distance
            from 100% with two significant digits above 99.9% (99.98%, not
            100.0%).
        cmap : str or matplotlib Colormap, default="Reds"
            Colormap of the arrows.
        colorbar : bool, default=True
            Whether to add a colorbar (only when there is at least one arrow).
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        node_kw, edge_kw, node_label_kw, edge_label_kw : dict, default=None
            Style keywords for the nodes, arrows and texts (see :meth:`plot`).

        Returns
        -------
        display : LeakageGraphDisplay

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.cluster import KMeans
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn_leakage import LeakageGraphDisplay, LeakageScore
        >>> X, _ = make_blobs(n_samples=150, centers=3, random_state=0)
        >>> est = LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0)
        >>> disp = LeakageGraphDisplay.from_estimator(est.fit(X))
        >>> len(disp.nodes_)
        3
        >>> plt.close(disp.figure_)
        """
        display = cls(
            **matrix_args_from_estimator(
                estimator, f"{cls.__name__}.from_estimator", display_labels
            ),
            leakage_threshold=leakage_threshold,
        )
        return display.plot(
            include_values=include_values,
            values_format=values_format,
            cmap=cmap,
            colorbar=colorbar,
            ax=ax,
            node_kw=node_kw,
            edge_kw=edge_kw,
            node_label_kw=node_label_kw,
            edge_label_kw=edge_label_kw,
        )

    @classmethod
    def from_predictions(
        cls,
        labels: ArrayLike,
        proba: ArrayLike,
        *,
        classes: ArrayLike | None = None,
        detection_threshold: float = 0.05,
        leakage_threshold: float = 0.02,
        display_labels: ArrayLike | None = None,
        include_values: bool | None = None,
        values_format: str | None = None,
        cmap: str | Colormap = "Reds",
        colorbar: bool = True,
        ax: Axes | None = None,
        node_kw: dict | None = None,
        edge_kw: dict | None = None,
        node_label_kw: dict | None = None,
        edge_label_kw: dict | None = None,
    ) -> LeakageGraphDisplay:
        """Plot the leakage graph of a labelling and its probabilities.

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
        leakage_threshold : float, default=0.02
            Smallest share of a cluster's points leaking into another that gets
            an arrow, in (0, 1].
        display_labels : array-like of shape (n_clusters,), default=None
            Cluster names for the nodes. If None, ``classes``.
        include_values : bool, default=None
            Write each arrow's share on it. None writes them when there are at
            most 40 arrows, beyond which the labels would cover each other.
        values_format : str, default=None
            Format specification applied to each share. None writes them as
            the report does: one decimal (0.125 as "12.5%"), and the distance
            from 100% with two significant digits above 99.9% (99.98%, not
            100.0%).
        cmap : str or matplotlib Colormap, default="Reds"
            Colormap of the arrows.
        colorbar : bool, default=True
            Whether to add a colorbar (only when there is at least one arrow).
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        node_kw, edge_kw, node_label_kw, edge_label_kw : dict, default=None
            Style keywords for the nodes, arrows and texts (see :meth:`plot`).

        Returns
        -------
        display : LeakageGraphDisplay

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> from sklearn_leakage import LeakageGraphDisplay
        >>> labels = [0, 0, 1, 1]
        >>> proba = [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]]
        >>> disp = LeakageGraphDisplay.from_predictions(
        ...     labels, proba, leakage_threshold=0.6)
        >>> len(disp.edges_)  # both shares are 50%, below 60%
        0
        >>> plt.close(disp.figure_)
        """
        display = cls(
            **matrix_args_from_predictions(
                labels, proba, classes, detection_threshold, display_labels
            ),
            leakage_threshold=leakage_threshold,
        )
        return display.plot(
            include_values=include_values,
            values_format=values_format,
            cmap=cmap,
            colorbar=colorbar,
            ax=ax,
            node_kw=node_kw,
            edge_kw=edge_kw,
            node_label_kw=node_label_kw,
            edge_label_kw=edge_label_kw,
        )
