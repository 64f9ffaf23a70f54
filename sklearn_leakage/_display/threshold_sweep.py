"""Total leakage as a function of the detection threshold."""

from __future__ import annotations

from numbers import Real
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from sklearn_leakage._compat import Interval, validate_parameter_constraints
from sklearn_leakage._display._base import (
    figure_and_axes,
    merge_style,
    plain_text,
    scored_predictions,
)
from sklearn_leakage._metrics import total_leakage
from sklearn_leakage._validation import fitted_leakage_score, takes_no_data

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from sklearn_leakage._estimator import LeakageScore

__all__ = ["ThresholdSweepDisplay"]


def default_thresholds():
    """The thresholds swept when none are given: 50 values from 1% to 50%.

    Above 0.5 a point leaks only when one other cluster gets more probability than
    all the rest together, its own included: the point is then misclassified, which
    is a coarser question than leakage, so the range of interest ends there.
    """
    return np.linspace(0.01, 0.5, 50)


class ThresholdSweepDisplay:
    """Total leakage against the detection threshold.

    :func:`~sklearn_leakage.total_leakage` is the share of points whose
    probability on some other cluster reaches the detection threshold; it never
    rises as the threshold rises. The curve shows how much a conclusion depends
    on the threshold: a clean clustering drops to 0 quickly, one with real
    overlap keeps leaking at high thresholds. The current threshold is marked.

    It is recommended to create it with :meth:`from_estimator` or
    :meth:`from_predictions`. All parameters are stored as attributes.

    Parameters
    ----------
    thresholds : array-like of shape (n_thresholds,)
        Detection thresholds, increasing, in (0, 1).
    total_leakage : array-like of shape (n_thresholds,)
        Total leakage at each threshold, in [0, 1].
    detection_threshold : float, default=None
        Threshold in use, marked by a vertical line. None draws no line.
    average : {"micro", "macro"}, default="micro"
        What ``total_leakage`` averages, for the axis label: the share of all
        points (``"micro"``) or the mean of the clusters' shares
        (``"macro"``), as in :func:`~sklearn_leakage.total_leakage`.
    name : str, default=None
        Name of the clustering, in the curve's legend entry, so that the
        curves of several clusterings drawn on one ``ax`` (each in the next
        colour of the axes' cycle) tell themselves apart.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The total leakage curve.
    threshold_line_ : matplotlib Line2D or None
        Vertical line at ``detection_threshold``; None if it is None.
    ax_ : matplotlib Axes
        Axes with the curve.
    figure_ : matplotlib Figure
        Figure containing the curve.

    See Also
    --------
    sklearn_leakage.total_leakage : The value at one threshold.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from sklearn_leakage import ThresholdSweepDisplay
    >>> labels = [0, 0, 1, 1]
    >>> proba = [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]]
    >>> disp = ThresholdSweepDisplay.from_predictions(
    ...     labels, proba, thresholds=[0.05, 0.15, 0.25])
    >>> disp.line_.get_ydata()  # 0.1 and 0.2 leak, then 0.2 only, then none
    array([0.5 , 0.25, 0.  ])
    >>> plt.close(disp.figure_)
    """

    def __init__(
        self,
        thresholds: ArrayLike,
        total_leakage: ArrayLike,
        *,
        detection_threshold: float | None = None,
        average: str = "micro",
        name: str | None = None,
    ):
        self.thresholds = thresholds
        self.total_leakage = total_leakage
        self.detection_threshold = detection_threshold
        self.average = average
        self.name = name

    def plot(
        self,
        *,
        ax: Axes | None = None,
        line_kw: dict | None = None,
        threshold_line_kw: dict | None = None,
    ) -> ThresholdSweepDisplay:
        """Plot the visualization.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.plot` for the curve,
            over the defaults.
        threshold_line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.axvline` for the
            current threshold.

        Returns
        -------
        display : ThresholdSweepDisplay
            The display, with the artists as attributes.
        """
        # Checked where it is drawn, which every constructor goes through.
        validate_parameter_constraints(
            {"detection_threshold": [Interval(Real, 0, 1, closed="neither"), None]},
            {"detection_threshold": self.detection_threshold},
            "ThresholdSweepDisplay",
        )
        from matplotlib.lines import Line2D
        from matplotlib.ticker import PercentFormatter

        thresholds = np.asarray(self.thresholds, dtype=np.float64)
        leakage = np.asarray(self.total_leakage, dtype=np.float64)
        if thresholds.ndim != 1 or thresholds.shape != leakage.shape:
            raise ValueError(
                f"thresholds and total_leakage must be 1-D of the same length, got "
                f"shapes {thresholds.shape} and {leakage.shape}; pass one leakage "
                "value per threshold."
            )
        fig, ax = figure_and_axes(ax)

        # No fixed colour: each curve on shared axes takes the next one.
        default_line_kw = {
            "linewidth": 2.0,
            "marker": "." if thresholds.shape[0] <= 60 else "",
            "label": "total leakage"
            if self.name is None
            else f"total leakage ({plain_text(self.name)})",
        }
        (self.line_,) = ax.plot(
            thresholds, leakage, **merge_style(default_line_kw, line_kw, Line2D)
        )
        self.threshold_line_ = None
        if self.detection_threshold is not None:
            default_threshold_kw = {
                "color": "C3",
                "linestyle": "--",
                "linewidth": 1.5,
                "label": f"detection_threshold = {self.detection_threshold:g}",
            }
            self.threshold_line_ = ax.axvline(
                self.detection_threshold,
                **merge_style(default_threshold_kw, threshold_line_kw, Line2D),
            )
        ax.legend(loc="upper right")
        ax.set_ylim(bottom=0.0)
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
        ax.set(
            xlabel="Detection threshold",
            ylabel=(
                "Total leakage (mean of the clusters' shares)"
                if self.average == "macro"
                else "Total leakage (share of points)"
            ),
            title="Total leakage against the detection threshold",
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
        thresholds: ArrayLike | None = None,
        average: str = "micro",
        name: str | None = None,
        ax: Axes | None = None,
        line_kw: dict | None = None,
        threshold_line_kw: dict | None = None,
    ) -> ThresholdSweepDisplay:
        """Plot the threshold sweep of a fitted :class:`~sklearn_leakage.LeakageScore`.

        The curve uses the estimator's out-of-fold probabilities (noise points
        left out when ``noise="exclude"``); its ``detection_threshold`` is
        marked.

        Parameters
        ----------
        estimator : LeakageScore or Pipeline
            A fitted :class:`~sklearn_leakage.LeakageScore`, or a fitted
            Pipeline ending in one.
        thresholds : array-like of shape (n_thresholds,), default=None
            Thresholds to evaluate, in (0, 1). If None,
            ``np.linspace(0.01, 0.5, 50)``.
        average : {"micro", "macro"}, default="micro"
            Passed to :func:`~sklearn_leakage.total_leakage`: share of all points
            or mean of the clusters' shares.
        name : str, default=None
            Name of the clustering for the legend entry (see the class).
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.plot`.
        threshold_line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.axvline`.

        Returns
        -------
        display : ThresholdSweepDisplay

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.cluster import KMeans
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn_leakage import LeakageScore, ThresholdSweepDisplay
        >>> X, _ = make_blobs(n_samples=150, centers=3, random_state=0)
        >>> est = LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0)
        >>> disp = ThresholdSweepDisplay.from_estimator(est.fit(X))
        >>> disp.threshold_line_.get_xdata()[0]
        0.05
        >>> plt.close(disp.figure_)
        """
        caller = f"{cls.__name__}.from_estimator"
        estimator = fitted_leakage_score(estimator, caller)
        labels, proba, classes = scored_predictions(estimator, caller)
        return cls.from_predictions(
            labels,
            proba,
            classes=classes,
            thresholds=thresholds,
            detection_threshold=estimator.detection_threshold,
            average=average,
            name=name,
            ax=ax,
            line_kw=line_kw,
            threshold_line_kw=threshold_line_kw,
        )

    @classmethod
    def from_predictions(
        cls,
        labels: ArrayLike,
        proba: ArrayLike,
        *,
        classes: ArrayLike | None = None,
        thresholds: ArrayLike | None = None,
        detection_threshold: float | None = 0.05,
        average: str = "micro",
        name: str | None = None,
        ax: Axes | None = None,
        line_kw: dict | None = None,
        threshold_line_kw: dict | None = None,
    ) -> ThresholdSweepDisplay:
        """Plot total leakage against the threshold for labels and probabilities.

        Parameters
        ----------
        labels : array-like of shape (n_samples,)
            Cluster of each sample.
        proba : array-like of shape (n_samples, n_clusters)
            Out-of-sample probability of each sample for each cluster.
        classes : array-like of shape (n_clusters,), default=None
            Cluster ids in the column order of ``proba``. ``np.unique(labels)``
            if None.
        thresholds : array-like of shape (n_thresholds,), default=None
            Thresholds to evaluate, in (0, 1). If None,
            ``np.linspace(0.01, 0.5, 50)``.
        detection_threshold : float or None, default=0.05
            Threshold in use, marked by a vertical line; None draws no line.
        average : {"micro", "macro"}, default="micro"
            Passed to :func:`~sklearn_leakage.total_leakage`.
        name : str, default=None
            Name of the clustering for the legend entry (see the class).
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.plot`.
        threshold_line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.axvline`.

        Returns
        -------
        display : ThresholdSweepDisplay

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> from sklearn_leakage import ThresholdSweepDisplay
        >>> labels = [0, 0, 1, 1]
        >>> proba = [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]]
        >>> disp = ThresholdSweepDisplay.from_predictions(labels, proba)
        >>> disp.line_.get_ydata()[:3]  # thresholds 0.01, 0.02, 0.03
        array([0.5, 0.5, 0.5])
        >>> plt.close(disp.figure_)
        """
        if average not in ("micro", "macro"):
            raise ValueError(
                f"average must be 'micro' or 'macro', got {average!r}; the sweep "
                "draws one number per threshold."
            )
        if thresholds is None:
            thresholds = default_thresholds()
        thresholds = np.asarray(thresholds, dtype=np.float64)
        if thresholds.ndim != 1 or thresholds.size == 0:
            raise ValueError(
                f"thresholds must be a non-empty 1-D sequence, got shape "
                f"{thresholds.shape}; pass values in (0, 1)."
            )
        outside = thresholds[~((thresholds > 0) & (thresholds < 1))]
        if outside.size:
            raise ValueError(
                f"thresholds must lie in (0, 1), got {outside[:5].tolist()}; a "
                "detection threshold is a probability strictly between 0 and 1."
            )
        leakage = np.array(
            [
                total_leakage(
                    labels,
                    proba,
                    classes=classes,
                    detection_threshold=float(threshold),
                    average=average,
                )
                for threshold in thresholds
            ]
        )
        display = cls(
            thresholds,
            leakage,
            detection_threshold=detection_threshold,
            average=average,
            name=name,
        )
        return display.plot(ax=ax, line_kw=line_kw, threshold_line_kw=threshold_line_kw)
