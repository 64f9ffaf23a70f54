"""Score per candidate number of clusters, from a model-selection search."""

from __future__ import annotations

import inspect
import re
import textwrap
from numbers import Integral, Real
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from sklearn_leakage._compat import validate_parameter_constraints
from sklearn_leakage._display._base import figure_and_axes, merge_style
from sklearn_leakage._selection import (
    REPRODUCIBILITY_LEVEL,
    VERDICTS,
    candidate_verdicts,
    chosen_by_the_rule,
    find_n_clusters_param,
    found_n_clusters,
    has_reference_scores,
    reaches_level,
    refit_n_clusters,
    step_2_failures,
)
from sklearn_leakage._typing import Estimator

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["KSelectionDisplay"]

#: What GridSearchCV does with ``refit=True``: the candidate ranked first.
DEFAULT_RULE = "highest mean score"

#: Most of the Axes' height the box of the rule and the key may take above
#: the highest error bar, however short the Axes.
MAX_HEAD_ROOM = 0.6

#: Most candidates that each get a tick of their own; beyond, the ticks are
#: round integers (matplotlib's MaxNLocator). In the default 6.4-inch figure
#: 40 ticks (k = 1 to 40) overlapped, and from 25 so did three-digit ones;
#: a narrower subplot crowds them sooner.
MAX_CANDIDATE_TICKS = 15


def setting_text(name: str, value) -> str:
    """``name=value``; None is a parameter the candidate's grid left unset."""
    if isinstance(value, np.generic):
        # numpy 2 writes np.float64(0.0001) for a value the user wrote 0.0001.
        value = value.item()
    return f"{name} not set" if value is None else f"{name}={value!r}"


def same_value(value, chosen) -> bool:
    """Whether a candidate's parameter value is the chosen candidate's.

    The same object, or equal; NaN (an imputer's ``missing_values``) equals
    NaN here, and None (a parameter the candidate's grid did not set) None.
    """
    if value is chosen:
        return True
    if isinstance(value, Real) and isinstance(chosen, Real):
        # float32's NaN as well as Python's.
        both_nan = np.isnan(float(value)) and np.isnan(float(chosen))
        return bool(value == chosen) or bool(both_nan)
    if isinstance(value, np.ndarray) or isinstance(chosen, np.ndarray):
        # Arrays (class weights, say) are the same when their entries are.
        try:
            return bool(np.array_equal(value, chosen, equal_nan=True))
        except TypeError:
            return bool(np.array_equal(value, chosen))
    try:
        return bool(value == chosen)
    except (TypeError, ValueError):
        # Objects whose == is not a truth value: not the same.
        return False


def other_param_keys(cv_results: dict, n_clusters_key: str) -> list[str]:
    """``param_`` keys of the parameters searched besides the number of clusters."""
    return [
        key for key in cv_results if key.startswith("param_") and key != n_clusters_key
    ]


def _unmasked(values) -> np.ndarray:
    """A searched parameter's values, None where a candidate did not set it.

    A grid given as a list of dicts leaves a parameter masked for the
    candidates whose dict lacks it; the data under the mask are arbitrary.
    """
    plain = np.asarray(np.ma.getdata(values), dtype=object).copy()
    plain[np.ma.getmaskarray(values)] = None
    return plain


def _candidate_rows(cv_results: dict, rows) -> dict:
    """``cv_results`` cut to the candidates at ``rows``, every column alike."""
    return {key: np.asarray(values)[rows] for key, values in cv_results.items()}


def candidates_like_the_chosen(
    cv_results: dict, best_index: int, others: list[str]
) -> tuple[dict, int, str]:
    """The candidates that share the chosen one's values of ``others``.

    A plot of k has one point per number of clusters; a search that varied
    other parameters (the ``param_`` keys in ``others``) too has several. Returns
    the rows of ``cv_results`` with the chosen candidate's values of them, the
    chosen candidate's row among those, and the values, as text.
    """
    settings = {key: _unmasked(cv_results[key]) for key in others}
    rows = np.ones(len(cv_results[others[0]]), dtype=bool)
    for values in settings.values():
        chosen = values[best_index]
        rows &= np.array([same_value(value, chosen) for value in values])
    # The chosen candidate is always its own setting, whatever == says of it.
    rows[best_index] = True
    rows = np.flatnonzero(rows)
    sliced = _candidate_rows(cv_results, rows)
    shown = ", ".join(
        setting_text(key[len("param_") :], values[best_index])
        for key, values in settings.items()
    )
    return sliced, int(np.flatnonzero(rows == best_index)[0]), shown


def one_row_per_number(
    cv_results: dict, n_clusters: np.ndarray, chosen: int | None
) -> tuple[dict, int | None]:
    """The rows of ``cv_results`` with one candidate per number of clusters.

    For a search whose candidates repeat (``RandomizedSearchCV`` draws values
    with replacement; a grid may list a value twice) and whose other
    parameters, if any, were already fixed: the chosen candidate stands for its
    number, the first one for every other. Returns the rows and the chosen
    candidate's row among them (None if ``chosen`` is None).
    """
    keep: dict[int, int] = {}
    for row, k in enumerate(n_clusters.tolist()):
        keep.setdefault(k, row)
    if chosen is not None:
        keep[int(n_clusters[chosen])] = chosen
    rows = np.sort(np.fromiter(keep.values(), dtype=int))
    sliced = _candidate_rows(cv_results, rows)
    if chosen is None:
        return sliced, None
    return sliced, int(np.flatnonzero(rows == chosen)[0])


def _n_clusters_param(cv_results, param_name):
    """Key of the ``cv_results_`` column that holds the number of clusters."""
    if param_name is not None:
        key = param_name if param_name.startswith("param_") else f"param_{param_name}"
        if key not in cv_results:
            params = sorted(k[len("param_") :] for k in cv_results if k[:6] == "param_")
            raise ValueError(
                f"param_name={param_name!r} is not a searched parameter; the search "
                f"has {params}. Pass one of them."
            )
        return key
    params = sorted(k[len("param_") :] for k in cv_results if k[:6] == "param_")
    try:
        found = find_n_clusters_param(params)
    except ValueError:
        found, problem = None, "several parameters"
    else:
        problem = "no parameter"
    if found is None:
        raise ValueError(
            f"The search has {problem} ending in 'n_clusters' or 'n_components' "
            f"(searched: {params}); pass param_name= to say which one is the number "
            "of clusters."
        )
    return f"param_{found}"


def _scored_by_leakage_scorer(cv_results: dict, score_name: str) -> bool:
    """Whether ``cv_results`` are :data:`leakage_scorer`'s, read by its rule.

    With or without the reference's scores (sparse X, ``reference=None``):
    without them the rule applies its step 1 alone, as in the search.
    """
    return (
        score_name == "reproducibility"
        and "mean_test_score" not in cv_results
        and "mean_test_n_clusters_found" in cv_results
    )


def _rule_choice(cv_results: dict) -> int | None:
    """:func:`refit_n_clusters`' choice, its warnings unsaid; None if it fails.

    Plotting the results says nothing new about them: the search that made
    them warned already.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return refit_n_clusters(cv_results)
        except (ValueError, TypeError, KeyError):
            return None


def _rule_text(refit, score_name):
    """First line of a refit callable's docstring, or the highest mean score."""
    if callable(refit):
        doc = inspect.getdoc(refit)
        if doc:
            return doc.strip().splitlines()[0]
        return getattr(refit, "__name__", repr(refit))
    # A multi-metric search refits on the scorer named by refit.
    metric = refit if isinstance(refit, str) else score_name
    return DEFAULT_RULE if metric == "score" else f"highest mean {metric}"


def _fallback_rule(rule, cv_results, best_index, found):
    """The rule's text, saying when and how it fell back on its answer.

    The text of :func:`refit_n_clusters` ends in "else 1": without a
    1-cluster candidate it returns the smallest instead, and when nothing
    passes, the chosen candidate did not pass; a plain "chosen" would read
    as a partition that did.
    """
    if rule is None:
        return None
    if rule.endswith(", else 1.") and not np.any(found <= 1):
        rule = rule[: -len("1.")] + "the smallest candidate (1 was not searched)."
    verdict = candidate_verdicts(cv_results, best_index)[best_index]
    if verdict != VERDICTS["chosen"]:
        rule = f"{rule.rstrip('.')}; {verdict}"
    return rule


#: Legend entry of the rings: partitions the rule found real.
REAL_LABEL = "reproduces and beats noise: real"

#: Legend entry of the hollow points: candidates below the level.
UNREPRODUCED_LABEL = "hollow: below the level, does not reproduce"

#: Legend entries of the crosses and squares, shorter than the verdicts of
#: the table (which add "by over one s.e."), so that the box stays narrow.
NO_BETTER_LABEL = "reproduces, no better than noise: not real"
DENSE_LABEL = "reproduces, a boundary denser than noise's"


class KSelectionDisplay:
    """Choice of the number of clusters: the score of each candidate.

    Shows the mean cross-validated score of each candidate number of clusters
    with error bars of one standard error (the standard deviation over the
    splits divided by the square root of the number of splits), marks the chosen
    number and writes the rule that chose it.

    It is recommended to create it with :meth:`from_cv_results`. All parameters
    are stored as attributes.

    Parameters
    ----------
    n_clusters : array-like of shape (n_candidates,)
        Candidate numbers of clusters, increasing.
    mean_scores : array-like of shape (n_candidates,)
        Mean test score of each candidate.
    std_errors : array-like of shape (n_candidates,)
        Standard error of each mean score.
    best_index : int
        Position of the chosen candidate in ``n_clusters``.
    rule : str, default=None
        How the candidate was chosen, written on the plot. None writes only the
        choice.
    score_name : str, default="score"
        Name of the score, for the y axis label.
    level : float, default=None
        A level the rule compares the scores with, drawn as a horizontal line
        (0.8 for the reproducibility read by :func:`refit_n_clusters`).
        Candidates whose mean less one standard error is below it are drawn
        hollow: step 1 of the rule rejects them, which a point above the line
        with an error bar crossing it would not show. With a level the y axis
        starts at 0 (or lower), so that plots of the rule's reproducibility
        share their bottom.
    not_real : array-like of bool of shape (n_candidates,), default=None
        Candidates whose partitions fail the comparison with the same clusterer
        on structureless reference data (step 2 of :func:`refit_n_clusters`:
        they are no better than the reference's partition, or one of their
        boundaries is denser); they are
        marked, which shows why a candidate above the level was not chosen.
        None marks none.
    dense_boundary : array-like of bool of shape (n_candidates,), default=None
        Those of ``not_real`` that pass test (a) of step 2 but have a boundary
        denser than the reference's densest by more than one standard error
        (test (b) of step 2 alone:
        typically a cluster cut in two). They get a square instead of a cross,
        so that the plot tells the two reasons apart. None: every candidate of
        ``not_real`` gets a cross.
    real : array-like of bool of shape (n_candidates,), default=None
        Candidates of more than one cluster that reproduce and pass step 2:
        the partitions the rule found real, of which it takes the largest
        (requests that made as many clusters as the chosen one are left
        unringed: the rule took the smaller request).
        They get a green ring, so that the plot shows why the answer was
        chosen and not only why others were not. None rings none.

    Attributes
    ----------
    errorbar_ : matplotlib ErrorbarContainer
        Mean scores with their error bars.
    best_line_ : matplotlib Line2D
        Vertical line at the chosen number of clusters.
    rule_text_ : matplotlib Text
        The rule and the choice, e.g. ``"rule: highest mean score"`` then
        ``"chosen: n_clusters=4"``.
    level_line_ : matplotlib Line2D or None
        Horizontal line at ``level``, or None.
    unreproduced_markers_ : matplotlib Line2D or None
        Hollow points on the candidates whose mean less one standard error
        is below ``level``, or None when there are none (or no level).
    not_real_markers_ : matplotlib Line2D or None
        Crosses on the candidates of ``not_real`` outside ``dense_boundary``
        (their partition is no better than the reference's: not tighter for a
        centroid clusterer, over all directions or along those between its
        centres, not leaking less for others), or None when there
        are none.
    dense_boundary_markers_ : matplotlib Line2D or None
        Squares on the candidates of both ``not_real`` and ``dense_boundary``,
        or None when there are none.
    real_markers_ : matplotlib Line2D or None
        Rings on the candidates of ``real``, or None when there are none.
    ax_ : matplotlib Axes
        Axes with the plot.
    figure_ : matplotlib Figure
        Figure containing the plot.

    See Also
    --------
    sklearn_leakage.LeakageScore : Estimator whose score counts the clusters
        that reproduce on held-out data.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from sklearn_leakage import KSelectionDisplay
    >>> disp = KSelectionDisplay(
    ...     [2, 3, 4, 5], [2.0, 2.7, 3.7, 3.0], [0.0, 0.3, 0.3, 0.6],
    ...     best_index=2, rule="highest mean score").plot()
    >>> print(disp.rule_text_.get_text())
    rule: highest mean score
    chosen: n_clusters=4
    >>> plt.close(disp.figure_)
    """

    def __init__(
        self,
        n_clusters: ArrayLike,
        mean_scores: ArrayLike,
        std_errors: ArrayLike,
        *,
        best_index: int,
        rule: str | None = None,
        score_name: str = "score",
        level: float | None = None,
        not_real: ArrayLike | None = None,
        dense_boundary: ArrayLike | None = None,
        real: ArrayLike | None = None,
    ):
        self.n_clusters = n_clusters
        self.mean_scores = mean_scores
        self.std_errors = std_errors
        self.best_index = best_index
        self.rule = rule
        self.score_name = score_name
        self.level = level
        self.not_real = not_real
        self.dense_boundary = dense_boundary
        self.real = real

    def plot(
        self,
        *,
        ax: Axes | None = None,
        errorbar_kw: dict | None = None,
        best_line_kw: dict | None = None,
        rule_text_kw: dict | None = None,
    ) -> KSelectionDisplay:
        """Plot the visualization.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        errorbar_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.errorbar`, over the
            defaults.
        best_line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.axvline`.
        rule_text_kw : dict, default=None
            Text properties (:class:`matplotlib.text.Text`) of the rule and the
            choice, the title of the box in a top corner (the one away from
            the chosen line) that also explains the markers.

        Returns
        -------
        display : KSelectionDisplay
            The display, with the artists as attributes.
        """
        from matplotlib.lines import Line2D
        from matplotlib.text import Text

        n_clusters = np.asarray(self.n_clusters)
        means = np.asarray(self.mean_scores, dtype=np.float64)
        errors = np.asarray(self.std_errors, dtype=np.float64)
        if not (n_clusters.ndim == means.ndim == errors.ndim == 1) or not (
            n_clusters.shape == means.shape == errors.shape
        ):
            raise ValueError(
                f"n_clusters, mean_scores and std_errors must be 1-D of the same "
                f"length, got shapes {n_clusters.shape}, {means.shape} and "
                f"{errors.shape}; pass one value per candidate."
            )
        best = self.best_index
        if not isinstance(best, Integral) or not 0 <= best < n_clusters.shape[0]:
            raise ValueError(
                f"best_index={best!r} is not a position in the {n_clusters.shape[0]} "
                "candidates; pass the index of the chosen candidate, e.g. "
                "search.best_index_."
            )
        fig, ax = figure_and_axes(ax)

        default_errorbar_kw = {
            "fmt": "o-",
            "color": "C0",
            "capsize": 4,
            "label": f"mean {self.score_name} \N{PLUS-MINUS SIGN} standard error",
        }
        # errorbar takes Line2D properties plus a few of its own (fmt, capsize).
        self.errorbar_ = ax.errorbar(
            n_clusters,
            means,
            yerr=errors,
            **merge_style(default_errorbar_kw, errorbar_kw, Line2D),
        )
        chosen = n_clusters[best]
        default_line_kw = {"color": "C3", "linestyle": "--", "linewidth": 1.5}
        self.best_line_ = ax.axvline(
            chosen, **merge_style(default_line_kw, best_line_kw, Line2D)
        )

        def mark(where, **style):
            # Markers on the candidates ``where`` selects; None when none is.
            if not np.any(where):
                return None
            (line,) = ax.plot(
                n_clusters[where], means[where], linestyle="none", **style
            )
            return line

        self.level_line_ = self.unreproduced_markers_ = None
        if self.level is not None:
            self.level_line_ = ax.axhline(
                self.level,
                color="0.5",
                linestyle=":",
                linewidth=1.2,
                label=f"level {self.level:g}: mean - s.e. must reach it",
            )
            # The rule's own test, with a missing standard error as 0.
            self.unreproduced_markers_ = mark(
                means - np.nan_to_num(errors) < self.level,
                marker="o",
                markersize=7,
                markerfacecolor="white",
                markeredgecolor="C0",
                markeredgewidth=1.2,
                # Over the error bars' filled points.
                zorder=3,
                label=UNREPRODUCED_LABEL,
            )
        self.not_real_markers_ = self.dense_boundary_markers_ = None
        if self.not_real is not None:
            flagged = self._flags(self.not_real, "not_real", n_clusters)
            boxed = np.zeros_like(flagged)
            if self.dense_boundary is not None:
                dense = self._flags(self.dense_boundary, "dense_boundary", n_clusters)
                boxed = flagged & dense
            red = {"markeredgewidth": 2, "color": "C3"}
            self.not_real_markers_ = mark(
                flagged & ~boxed,
                marker="x",
                markersize=11,
                label=NO_BETTER_LABEL,
                **red,
            )
            self.dense_boundary_markers_ = mark(
                boxed,
                marker="s",
                markersize=12,
                markerfacecolor="none",
                label=DENSE_LABEL,
                **red,
            )
        self.real_markers_ = None
        if self.real is not None:
            self.real_markers_ = mark(
                self._flags(self.real, "real", n_clusters),
                marker="o",
                markersize=13,
                markerfacecolor="none",
                markeredgewidth=2,
                color="C2",
                label=REAL_LABEL,
            )
        lines = [] if self.rule is None else [f"rule: {self.rule}"]
        lines.append(f"chosen: n_clusters={chosen}")
        text = "\n".join(textwrap.fill(line, width=45) for line in lines)
        # One box in a top corner, in head room kept above the highest error
        # bar, holds the rule, the choice and the key to the markers. A legend
        # of its own would sit on the points of large k, which reproduce
        # least, or beside the rule on narrow axes. The box takes the corner
        # away from the chosen number's line, and is opaque, so that the line
        # does not run through its text.
        finite_k = n_clusters[np.isfinite(n_clusters)].astype(float)
        middle = (finite_k.min() + finite_k.max()) / 2 if finite_k.size else 0.0
        corner = "upper right" if float(chosen) <= middle else "upper left"
        legend = ax.legend(
            title=text, loc=corner, fontsize=8, alignment="left", framealpha=1.0
        )
        self.rule_text_ = legend.get_title()
        self.rule_text_.update(merge_style({"fontsize": 9}, rule_text_kw, Text))

        # Head room above the highest error bar, so that the rule text does not
        # hide a point.
        # Failed candidates (error_score=np.nan) have no point to show.
        finite = np.isfinite(means)
        errors = np.where(np.isfinite(errors), errors, 0.0)
        bounds = [self.level] if self.level is not None else []
        low = float(np.min([*(means - errors)[finite], *bounds], initial=np.inf))
        high = float(np.max([*(means + errors)[finite], *bounds], initial=-np.inf))
        if not np.isfinite(low):
            low, high = 0.0, 1.0
        if self.level is not None:
            # A reproducibility runs from 0: the rule's plots of different
            # searches share the bottom of their axis.
            low = min(low, 0.0)
        span = high - low if high > low else max(abs(high), 1.0)
        rows = text.count("\n") + 0.8 * len(legend.get_texts())
        bottom = low - 0.1 * span
        top = high + (0.25 + 0.1 * rows) * span
        ax.set_ylim(bottom, top)
        # The head room holds the box, not values: no tick above the highest
        # error bar, so that a reproducibility axis does not seem to run past 1.
        ax.set_yticks([t for t in ax.get_yticks() if bottom <= t <= high + 1e-9])
        if n_clusters.shape[0] <= MAX_CANDIDATE_TICKS:
            ax.set_xticks(n_clusters)
        else:
            from matplotlib.ticker import MaxNLocator

            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set(
            xlabel="Number of clusters",
            ylabel=f"Mean {self.score_name} \N{PLUS-MINUS SIGN} s.e.",
            title="Choice of the number of clusters",
        )
        # That head room assumes an Axes of the default height; the box's
        # height is in points, so on a shorter Axes (a row of subplots) it
        # reached down over the highest points. Measured once drawn, the box
        # gets the room it takes, with a ring marker's radius to spare.
        # A SubFigure cannot draw itself; its root figure lays it out.
        fig.figure.draw_without_rendering()
        axes_box, legend_box = ax.get_window_extent(), legend.get_window_extent()
        spare = 8 * fig.figure.dpi / 72
        taken = (axes_box.y1 - legend_box.y0 + spare) / max(axes_box.height, 1.0)
        taken = min(taken, MAX_HEAD_ROOM)
        if high > top - taken * (top - bottom):
            # The ticks set above stay: none lies above the highest error bar.
            ax.set_ylim(bottom, (high - taken * bottom) / (1 - taken))

        self.figure_ = fig
        self.ax_ = ax
        return self

    @staticmethod
    def _flags(values, name, n_clusters):
        flags = np.asarray(values, dtype=bool)
        if flags.shape != n_clusters.shape:
            raise ValueError(
                f"{name} has shape {flags.shape} but there are "
                f"{n_clusters.shape[0]} candidates; pass one flag per candidate."
            )
        return flags

    @classmethod
    def from_cv_results(
        cls,
        search: Estimator,
        *,
        best_index: int | None = None,
        param_name: str | None = None,
        score_name: str | None = None,
        rule: str | None = None,
        ax: Axes | None = None,
        errorbar_kw: dict | None = None,
        best_line_kw: dict | None = None,
        rule_text_kw: dict | None = None,
    ) -> KSelectionDisplay:
        """Plot the score of each number of clusters of a fitted search.

        Reads ``cv_results_``: the mean test score per candidate, the standard
        error ``std_test_score / sqrt(n_splits)`` with ``n_splits`` the number of
        ``split<i>_test_score`` columns, and the chosen candidate
        ``best_index_``. The rule is the first line of the docstring of
        ``search.refit`` when it is a callable, else "highest mean <metric>"
        (the ``refit`` metric of a multi-metric search, else "score").
        When the scores are the reproducibility of :data:`leakage_scorer` and
        :func:`refit_n_clusters` chooses ``best_index`` on them, the plot also
        shows the rule's level and marks the candidates that reach it but fail
        step 2; for a choice made otherwise it shows the scores alone.

        Parameters
        ----------
        search : GridSearchCV, RandomizedSearchCV or dict
            A fitted search whose grid contains a number of clusters (for example
            ``clusterer__n_clusters`` of a :class:`~sklearn_leakage.LeakageScore`),
            or its ``cv_results_`` dict. A search that varied other parameters
            too is plotted at the chosen candidate's values of them, as
            :class:`~sklearn_leakage.LeakageReport` plots it, and the rule's
            text says which; its dict alone needs ``best_index`` for that. A
            candidate listed more than once (``RandomizedSearchCV`` draws with
            replacement) is plotted once: the chosen one, else the first.
        best_index : int, default=None
            Row of ``cv_results_`` that was chosen. If None, ``search.best_index_``;
            for a dict of :data:`~sklearn_leakage.leakage_scorer`'s results,
            the choice of :func:`~sklearn_leakage.refit_n_clusters` (their
            ranking puts one cluster first: it always reproduces); for another
            dict, the candidate ranked first.
        param_name : str, default=None
            The searched parameter that is the number of clusters, with or
            without the ``param_`` prefix. If None, the one parameter whose name
            ends in ``n_clusters`` (or ``n_components``, for a mixture).
        score_name : str, default=None
            Name of the scorer to show, as in the ``mean_test_<score_name>``
            columns of a multi-metric search. If None, ``"score"``, or the
            ``refit`` scorer of a multi-metric search, or ``"reproducibility"``
            for a search scored by :data:`leakage_scorer`.
        rule : str, default=None
            Text of the rule that chose the candidate. If None, taken from the
            search as described above.
        ax : matplotlib Axes, default=None
            Axes to plot on. If None, a new figure and axes are created.
        errorbar_kw, best_line_kw, rule_text_kw : dict, default=None
            Style keywords (see :meth:`plot`).

        Returns
        -------
        display : KSelectionDisplay

        Examples
        --------
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.cluster import KMeans
        >>> from sklearn.datasets import make_blobs
        >>> from sklearn.model_selection import GridSearchCV
        >>> from sklearn_leakage import KSelectionDisplay, LeakageScore
        >>> X, _ = make_blobs(n_samples=150, centers=3, random_state=0)
        >>> est = LeakageScore(KMeans(n_init=3, random_state=0), random_state=0)
        >>> search = GridSearchCV(
        ...     est, {"clusterer__n_clusters": [2, 3, 4]}, cv=3).fit(X)
        >>> disp = KSelectionDisplay.from_cv_results(search)
        >>> disp.n_clusters
        array([2, 3, 4])
        >>> disp.rule
        'highest mean score'
        >>> plt.close(disp.figure_)
        """
        # The ones a wrong type would fail on deep inside (rule.endswith, a
        # dict merge) with a message naming no parameter.
        validate_parameter_constraints(
            {
                "rule": [str, None],
                "errorbar_kw": [dict, None],
                "best_line_kw": [dict, None],
                "rule_text_kw": [dict, None],
            },
            {
                "rule": rule,
                "errorbar_kw": errorbar_kw,
                "best_line_kw": best_line_kw,
                "rule_text_kw": rule_text_kw,
            },
            "KSelectionDisplay.from_cv_results",
        )
        if isinstance(search, dict):
            cv_results, refit = search, None
        elif hasattr(search, "cv_results_"):
            cv_results, refit = search.cv_results_, getattr(search, "refit", None)
        else:
            raise TypeError(
                f"search must be a fitted GridSearchCV-like object or its "
                f"cv_results_ dict, got {type(search).__name__}; fit the search "
                "first."
            )
        if score_name is None:
            score_name = refit if isinstance(refit, str) else "score"
            # leakage_scorer records several metrics; the rule reads this one.
            if "mean_test_score" not in cv_results and (
                "mean_test_reproducibility" in cv_results
            ):
                score_name = "reproducibility"
        mean_key, std_key = f"mean_test_{score_name}", f"std_test_{score_name}"
        if mean_key not in cv_results or std_key not in cv_results:
            scores = sorted(
                k[len("mean_test_") :] for k in cv_results if k[:10] == "mean_test_"
            )
            raise ValueError(
                f"cv_results_ has no {mean_key!r} column (scores: {scores}); pass "
                "score_name= naming one of them."
            )
        split_key = re.compile(rf"split\d+_test_{re.escape(score_name)}")
        n_splits = sum(1 for key in cv_results if split_key.fullmatch(key))
        if n_splits == 0:
            raise ValueError(
                f"cv_results_ has no split<i>_test_{score_name} columns, so the "
                "standard errors cannot be computed; pass the complete cv_results_ "
                "of the search."
            )

        column_key = _n_clusters_param(cv_results, param_name)
        column = cv_results[column_key]
        if np.any(np.ma.getmaskarray(column)):
            raise ValueError(
                "Some candidates of the search have no number of clusters (a grid "
                "given as a list of dicts); pass the cv_results_ of the candidates "
                "that have one."
            )
        values = list(np.ma.getdata(column))
        if not all(
            isinstance(value, Real)
            and not isinstance(value, bool | np.bool_)
            and float(value).is_integer()
            for value in values
        ):
            shown = ", ".join(
                repr(value) if isinstance(value, str) else str(value)
                for value in values
            )
            raise ValueError(
                f"The searched {column_key[len('param_') :]!r} holds [{shown}], "
                "not numbers of clusters; KSelectionDisplay plots a search over "
                "the number of clusters. Pass param_name= naming that parameter."
            )
        n_clusters = np.asarray([int(value) for value in values])
        # The search's own choice, which its refit rule made.
        from_search = best_index is None and hasattr(search, "best_index_")
        chosen = best_index
        if chosen is None and hasattr(search, "best_index_"):
            chosen = search.best_index_
        ruled = None
        if chosen is None and _scored_by_leakage_scorer(cv_results, score_name):
            # The scorer's results alone: their ranking puts one cluster first
            # (it always reproduces), so the package's rule chooses, as it does
            # in the searches that record them.
            ruled = chosen = _rule_choice(cv_results)
            if ruled is not None:
                from_search, refit = True, refit_n_clusters
        others = other_param_keys(cv_results, column_key)
        sliced_to = None
        if (
            np.unique(n_clusters).shape[0] != n_clusters.shape[0]
            and others
            and isinstance(chosen, Integral)
            and 0 <= int(chosen) < n_clusters.shape[0]
        ):
            # One point per number of clusters: those that share the chosen
            # candidate's other parameters, as the report plots them.
            cv_results, best_index, sliced_to = candidates_like_the_chosen(
                cv_results, int(chosen), others
            )
            n_clusters = np.asarray(
                [int(value) for value in np.ma.getdata(cv_results[column_key])]
            )
        if np.unique(n_clusters).shape[0] != n_clusters.shape[0] and (
            not others or sliced_to is not None
        ):
            # The same candidate more than once (RandomizedSearchCV draws with
            # replacement): plotted once, as the chosen one where it is among
            # them. After the slice above, best_index is the chosen row.
            given = best_index if sliced_to is not None else chosen
            row = None  # a best_index out of range is refused below
            if isinstance(given, Integral) and 0 <= int(given) < n_clusters.shape[0]:
                row = int(given)
            cv_results, row = one_row_per_number(cv_results, n_clusters, row)
            if row is not None:
                best_index = row
            n_clusters = np.asarray(
                [int(value) for value in np.ma.getdata(cv_results[column_key])]
            )
        if np.unique(n_clusters).shape[0] != n_clusters.shape[0]:
            raise ValueError(
                "Several candidates share a number of clusters "
                f"({n_clusters.tolist()}): other parameters were searched too. "
                "Pass the fitted search (its chosen candidate's values of the "
                "other parameters select the candidates plotted), or a "
                "cv_results_ dict filtered to one value of them."
            )

        means = np.asarray(cv_results[mean_key], dtype=np.float64)
        if from_search:
            if best_index is None:
                best_index = int(search.best_index_ if ruled is None else ruled)
            derived_rule = _rule_text(refit, score_name)
        elif best_index is None:
            # What GridSearchCV(refit=True) would choose.
            rank = cv_results.get(f"rank_test_{score_name}")
            best_index = int(
                np.argmin(rank) if rank is not None else np.nanargmax(means)
            )
            derived_rule = _rule_text(None, score_name)
        else:
            # A choice made elsewhere: its rule is unknown unless given.
            derived_rule = None
        if not isinstance(best_index, Integral) or not (
            0 <= best_index < n_clusters.shape[0]
        ):
            raise ValueError(
                f"best_index={best_index!r} is not a row of cv_results_, which has "
                f"{n_clusters.shape[0]} candidates; pass search.best_index_."
            )
        rule = derived_rule if rule is None else rule

        order = np.argsort(n_clusters, kind="stable")
        errors = np.asarray(cv_results[std_key], dtype=np.float64) / np.sqrt(n_splits)
        # Step 2 of refit_n_clusters, when the search recorded what it needs:
        # reproducible partitions that are not real get marked, by reason.
        not_real_rows = dense_rows = real_rows = None
        found = found_n_clusters(cv_results, n_clusters)
        by_rule = score_name == "reproducibility" and chosen_by_the_rule(
            cv_results, best_index
        )
        if by_rule:
            no_better, dense = step_2_failures(cv_results, found)
            # Step 2 judges only what passed step 1, as the verdicts say.
            reproduces = reaches_level(means, errors)
            not_real_rows = ((no_better | dense) & reproduces)[order]
            dense_rows = (dense & ~no_better & reproduces)[order]
            if has_reference_scores(cv_results):
                # Only a search that compared with reference data can call a
                # partition real; without, step 2 tested nothing.
                real = reproduces & ~(no_better | dense) & (found > 1)
                # A larger request that made as many clusters as the chosen
                # one (a Birch whose threshold leaves fewer) is the same size
                # of partition, which the rule took at the smaller request:
                # a ring there would read as a larger real answer.
                same = found == found[best_index]
                same[best_index] = False
                real_rows = (real & ~same)[order]
        if by_rule:
            rule = _fallback_rule(rule, cv_results, best_index, found)
        if sliced_to is not None:
            shown = f"plotted: the candidates with {sliced_to}"
            rule = (
                f"chosen elsewhere; {shown}"
                if rule is None
                else f"{rule.rstrip('.')}; {shown}"
            )
        if found[best_index] != n_clusters[best_index]:
            # Birch or a mixture made fewer clusters than it was asked for.
            made = f"the chosen candidate made {found[best_index]:g} clusters"
            rule = made if rule is None else f"{rule.rstrip('.')}; {made}"
        display = cls(
            n_clusters[order],
            means[order],
            errors[order],
            best_index=int(np.flatnonzero(order == best_index)[0]),
            rule=rule,
            score_name=score_name,
            level=REPRODUCIBILITY_LEVEL if by_rule else None,
            not_real=not_real_rows,
            dense_boundary=dense_rows,
            real=real_rows,
        )
        return display.plot(
            ax=ax,
            errorbar_kw=errorbar_kw,
            best_line_kw=best_line_kw,
            rule_text_kw=rule_text_kw,
        )
