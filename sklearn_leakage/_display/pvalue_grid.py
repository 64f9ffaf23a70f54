"""Heatmap of the exact p-values of total leakage over thresholds and shares."""

from __future__ import annotations

from numbers import Real
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sklearn_leakage._compat import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn_leakage._display._base import (
    annotate_cells,
    draw_heatmap,
    figure_and_axes,
    label_heatmap_axes,
)
from sklearn_leakage._stats import GRID_VALUES, leakage_test_grid

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap

    from sklearn_leakage._report import LeakageReport

__all__ = ["LeakageTestGridDisplay"]

#: Smallest p-value the colour scale tells apart. Below 1e-4 every answer is
#: "certainly above the tolerated share"; a wider log scale would wash out the
#: cells near the usual 0.05 level.
P_VALUE_FLOOR = 1e-4

#: The plot's title for each alternative hypothesis: small p-values answer yes.
TITLES = {
    "greater": "Exact test: total leakage above the tolerated share?",
    "less": "Exact test: total leakage below the tolerated share?",
    "two-sided": "Exact test: total leakage other than the tolerated share?",
}


def _share_label(value) -> str:
    """``0.05`` as ``"5%"`` and ``0.025`` as ``"2.5%"``; other labels as text.

    Not rounded: "%g" wrote a tolerated share of 0.1000004 as "10%", the
    label of the grid's 0.1 beside it.
    """
    # Imported here: the report's modules import the displays.
    from sklearn_leakage._report._format import format_percent_exact

    try:
        return format_percent_exact(value)
    except (TypeError, ValueError):
        return str(value)


def _threshold_label(value) -> str:
    """``0.05`` as ``"0.05"``, not rounded (0.0101 is not 0.01)."""
    from sklearn_leakage._report._format import format_threshold

    try:
        return format_threshold(value)
    except (TypeError, ValueError):
        return str(value)


def _check_p_values(p_values) -> pd.DataFrame:
    frame = pd.DataFrame(p_values)
    values = frame.to_numpy(dtype=np.float64)
    if values.size == 0:
        raise ValueError(
            f"p_values is empty (shape {values.shape}); pass the output of "
            "leakage_test_grid."
        )
    finite = values[~np.isnan(values)]
    if np.any((finite < 0) | (finite > 1)):
        raise ValueError(
            f"p_values must lie in [0, 1], found values in [{finite.min():.4g}, "
            f"{finite.max():.4g}]; pass the output of leakage_test_grid."
        )
    return frame


class LeakageTestGridDisplay:
    """Heatmap of exact p-values of the total leakage against tolerated shares.

    Cell ``(t, c)`` is the exact binomial p-value of the total leakage at
    detection threshold ``t`` (rows) against the tolerated share ``c``
    (columns), from :func:`~sklearn_leakage.leakage_test_grid`. With
    ``alternative="greater"`` (the default, and the report's) the test asks
    whether the leakage exceeds ``c``: red cells (small p-values) say the data
    rule out a leakage as low as ``c``, green cells say they do not. With
    ``"less"``, red cells rule out a leakage as high as ``c``; with
    ``"two-sided"``, a leakage equal to ``c``. The title says which. Cells at
    or below the significance level are written in bold (rejected at that
    level, as :func:`~sklearn_leakage.adjust_pvalues` reads it).

    It is recommended to create it with :meth:`from_predictions` or
    :meth:`from_report`. All parameters are stored as attributes.

    Parameters
    ----------
    p_values : pandas.DataFrame of shape (n_thresholds, n_values)
        The p-values in [0, 1], index the detection thresholds, columns the tolerated
        shares, as returned by :func:`~sklearn_leakage.leakage_test_grid`.
    alternative : {"greater", "less", "two-sided"}, default=None
        The alternative hypothesis the p-values were computed for; it sets the
        title, so that the plot does not state a conclusion backwards. None
        reads it from ``p_values.attrs["alternative"]``, where
        :func:`~sklearn_leakage.leakage_test_grid` records it, and takes
        ``"greater"`` for a table without it.

    Attributes
    ----------
    im_ : matplotlib AxesImage
        Heatmap of the p-values clipped to ``[1e-4, 1]`` on a log colour scale;
        NaN cells are masked.
    text_ : ndarray of shape (n_thresholds, n_values), dtype=matplotlib Text, \
            or None
        Annotation of each cell. None if ``include_values=False``.
    ax_ : matplotlib Axes
        Axes with the heatmap.
    figure_ : matplotlib Figure
        Figure containing the heatmap.

    See Also
    --------
    sklearn_leakage.leakage_test_grid : Compute the p-values.
    sklearn_leakage.total_leakage_test : One cell, with its interval.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from sklearn_leakage import LeakageTestGridDisplay
    >>> labels = [0, 0, 0, 1, 1, 1]
    >>> proba = [[1.0, 0.0], [0.9, 0.1], [0.99, 0.01],
    ...          [0.0, 1.0], [0.3, 0.7], [0.02, 0.98]]
    >>> disp = LeakageTestGridDisplay.from_predictions(
    ...     labels, proba, detection_thresholds=[0.05, 0.2], comparison_values=[0.1])
    >>> [t.get_text() for t in disp.text_.ravel()]  # 2 of 6, then 1 of 6 leak
    ['0.11', '0.47']
    >>> plt.close(disp.figure_)
    """

    def __init__(self, p_values: pd.DataFrame, *, alternative: str | None = None):
        self.p_values = p_values
        self.alternative = alternative

    def plot(
        self,
        *,
        significance_level: float = 0.05,
        include_values: bool = True,
        values_format: str | None = None,
        cmap: str | Colormap = "RdYlGn",
        colorbar: bool = True,
        ax: Axes | None = None,
        im_kw: dict | None = None,
        text_kw: dict | None = None,
    ) -> LeakageTestGridDisplay:
        """Plot the visualization.

        Parameters
        ----------
        significance_level : float, default=0.05
            Cells with a p-value at or below it are written in bold.
        include_values : bool, default=True
            Write each cell's p-value in it.
        values_format : str, default=None
            Format specification applied to each p-value. None writes them as
            the report's page does: two significant digits, more for a value
            that two would round onto 0.001, 0.01, 0.05, 0.1 or
            ``significance_level`` (0.0496 as "0.0496", not "0.05"),
            scientific notation below 1e-4.
        cmap : str or matplotlib Colormap, default="RdYlGn"
            Colormap; its low end (red) goes to small p-values.
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
        display : LeakageTestGridDisplay
            The display, with the artists as attributes.
        """
        from matplotlib.colors import LogNorm

        # Imported here: the report's modules import the displays.
        from sklearn_leakage._report._format import format_pvalue

        # A display pickled before it had the attribute reads the table's.
        alternative = getattr(self, "alternative", None)
        recorded = getattr(self.p_values, "attrs", {}).get("alternative")
        validate_parameter_constraints(
            {
                "significance_level": [Interval(Real, 0, 1, closed="neither")],
                "alternative": [StrOptions(set(TITLES)), None],
            },
            {"significance_level": significance_level, "alternative": alternative},
            "LeakageTestGridDisplay.plot",
        )
        if alternative is None:
            alternative = "greater" if recorded is None else recorded
            if alternative not in TITLES:
                raise ValueError(
                    f"p_values.attrs['alternative'] is {alternative!r}, not one "
                    f"of {sorted(TITLES)}; pass the output of leakage_test_grid "
                    "or give alternative."
                )
        elif recorded is not None and alternative != recorded:
            # The title would state the conclusion of a test that was not made.
            raise ValueError(
                f"alternative={alternative!r}, but the p-values were computed "
                f"with alternative={recorded!r} (p_values.attrs['alternative']"
                "). Pass alternative=None to title the plot by the test that "
                "was made, or recompute the grid with leakage_test_grid(..., "
                f"alternative={alternative!r})."
            )
        frame = _check_p_values(self.p_values)
        p_values = frame.to_numpy(dtype=np.float64)
        n_cols = p_values.shape[1]
        fig, ax = figure_and_axes(ax)

        shown = np.ma.masked_invalid(np.clip(p_values, P_VALUE_FLOOR, 1.0))
        default_im_kw = {
            "interpolation": "nearest",
            "cmap": cmap,
            "norm": LogNorm(vmin=P_VALUE_FLOOR, vmax=1.0),
            "aspect": "auto",
        }
        self.im_ = draw_heatmap(ax, shown, default_im_kw, im_kw)

        self.text_ = None
        if include_values:

            def cell_text(i, j):
                value = p_values[i, j]
                if np.isnan(value):
                    text, colour = "n/a", "0.3"
                else:
                    text = (
                        format_pvalue(value, levels=(significance_level,))
                        if values_format is None
                        else format(value, values_format)
                    )
                    red, green, blue, _ = self.im_.cmap(self.im_.norm(shown[i, j]))
                    # Rec. 709 luma: dark cells get white text.
                    luma = 0.2126 * red + 0.7152 * green + 0.0722 * blue
                    colour = "white" if luma < 0.5 else "black"
                significant = not np.isnan(value) and value <= significance_level
                default_text_kw = {
                    "ha": "center",
                    "va": "center",
                    "color": colour,
                    "fontweight": "bold" if significant else "normal",
                    "fontsize": float(np.clip(60.0 / max(n_cols, 1), 6.0, 10.0)),
                }
                return text, default_text_kw

            self.text_ = annotate_cells(ax, p_values.shape, cell_text, text_kw)

        if colorbar:
            fig.colorbar(self.im_, ax=ax, label="p-value (log scale)")
        label_heatmap_axes(
            ax,
            [_share_label(value) for value in frame.columns],
            [_threshold_label(value) for value in frame.index],
            xlabel="Tolerated leakage share",
            ylabel="Detection threshold",
            title=TITLES[alternative],
        )

        self.figure_ = fig
        self.ax_ = ax
        return self

    @classmethod
    def from_predictions(
        cls,
        labels: ArrayLike,
        proba: ArrayLike,
        *,
        classes: ArrayLike | None = None,
        detection_thresholds: ArrayLike = GRID_VALUES,
        comparison_values: ArrayLike = GRID_VALUES,
        alternative: str = "greater",
        significance_level: float = 0.05,
        include_values: bool = True,
        values_format: str | None = None,
        cmap: str | Colormap = "RdYlGn",
        colorbar: bool = True,
        ax: Axes | None = None,
        im_kw: dict | None = None,
        text_kw: dict | None = None,
    ) -> LeakageTestGridDisplay:
        """Plot the p-value grid of a labelling and its probabilities.

        Parameters
        ----------
        labels : array-like of shape (n_samples,)
            Cluster of each sample.
        proba : array-like of shape (n_samples, n_clusters)
            Out-of-sample probability of each sample for each cluster.
        classes : array-like of shape (n_clusters,), default=None
            Cluster ids in the column order of ``proba``. ``np.unique(labels)``
            if None.
        detection_thresholds : array-like of float, \
                default=(0.01, 0.02, 0.05, 0.1, 0.2)
            Detection thresholds (rows), each in (0, 1).
        comparison_values : array-like of float, \
                default=(0.01, 0.02, 0.05, 0.1, 0.2)
            Tolerated leakage shares (columns), each in [0, 1].
        alternative : {"greater", "less", "two-sided"}, default="greater"
            Alternative hypothesis of the tests.
        significance_level : float, default=0.05
            Cells with a p-value at or below it are written in bold.
        include_values : bool, default=True
            Write each cell's p-value in it.
        values_format : str, default=None
            Format specification applied to each p-value. None writes them as
            the report's page does: two significant digits, more for a value
            that two would round onto 0.001, 0.01, 0.05, 0.1 or
            ``significance_level`` (0.0496 as "0.0496", not "0.05"),
            scientific notation below 1e-4.
        cmap : str or matplotlib Colormap, default="RdYlGn"
            Colormap; its low end goes to small p-values.
        colorbar : bool, default=True
            Whether to add a colorbar.
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        im_kw, text_kw : dict, default=None
            Style keywords for the heatmap and the cell texts (see :meth:`plot`).

        Returns
        -------
        display : LeakageTestGridDisplay
        """
        p_values = leakage_test_grid(
            labels,
            proba,
            classes=classes,
            detection_thresholds=detection_thresholds,
            comparison_values=comparison_values,
            alternative=alternative,
        )
        return cls(p_values, alternative=alternative).plot(
            significance_level=significance_level,
            include_values=include_values,
            values_format=values_format,
            cmap=cmap,
            colorbar=colorbar,
            ax=ax,
            im_kw=im_kw,
            text_kw=text_kw,
        )

    @classmethod
    def from_report(
        cls,
        report: LeakageReport,
        *,
        significance_level: float = 0.05,
        include_values: bool = True,
        values_format: str | None = None,
        cmap: str | Colormap = "RdYlGn",
        colorbar: bool = True,
        ax: Axes | None = None,
        im_kw: dict | None = None,
        text_kw: dict | None = None,
    ) -> LeakageTestGridDisplay:
        """Plot the ``test_grid`` table of a :class:`LeakageReport`.

        Parameters
        ----------
        report : LeakageReport
            A report; its ``test_grid`` is drawn as it is (no recomputation).
        significance_level : float, default=0.05
            Cells with a p-value at or below it are written in bold.
        include_values : bool, default=True
            Write each cell's p-value in it.
        values_format : str, default=None
            Format specification applied to each p-value. None writes them as
            the report's page does: two significant digits, more for a value
            that two would round onto 0.001, 0.01, 0.05, 0.1 or
            ``significance_level`` (0.0496 as "0.0496", not "0.05"),
            scientific notation below 1e-4.
        cmap : str or matplotlib Colormap, default="RdYlGn"
            Colormap; its low end goes to small p-values.
        colorbar : bool, default=True
            Whether to add a colorbar.
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        im_kw, text_kw : dict, default=None
            Style keywords for the heatmap and the cell texts (see :meth:`plot`).

        Returns
        -------
        display : LeakageTestGridDisplay

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> from sklearn_leakage import LeakageReport, LeakageTestGridDisplay
        >>> labels = [0, 0, 0, 1, 1, 1]
        >>> proba = [[1.0, 0.0], [0.9, 0.1], [0.99, 0.01],
        ...          [0.0, 1.0], [0.3, 0.7], [0.02, 0.98]]
        >>> report = LeakageReport.from_predictions(labels, proba)
        >>> disp = LeakageTestGridDisplay.from_report(report)
        >>> disp.text_.shape  # 5 thresholds x 5 tolerated shares
        (5, 5)
        >>> plt.close(disp.figure_)
        """
        if not hasattr(report, "test_grid"):
            raise TypeError(
                "from_report needs a LeakageReport, got "
                f"{type(report).__name__}; for labels and probabilities use "
                "from_predictions."
            )
        return cls(report.test_grid).plot(
            significance_level=significance_level,
            include_values=include_values,
            values_format=values_format,
            cmap=cmap,
            colorbar=colorbar,
            ax=ax,
            im_kw=im_kw,
            text_kw=text_kw,
        )
