"""The choice of the number of clusters, as a report table and a plot.

A report built from a fitted search (``LeakageReport.from_search``) keeps the
search's scores, so that the page and the workbook show why the clustering they
describe has the number of clusters it has.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from sklearn_leakage._display.k_selection import (
    _rule_text,
    candidates_like_the_chosen,
    other_param_keys,
)
from sklearn_leakage._selection import (
    CLOSE_CALL_ADVICE,
    VERDICTS,
    _metric,
    _param_name,
    _per_split,
    candidate_margins,
    candidate_verdicts,
    chosen_by_the_rule,
    close_call,
    close_call_message,
    found_n_clusters,
)

__all__ = ["KSelection", "k_selection_from_search", "verdict_text"]

#: Metrics that only step 2 of the rule reads (with their ``reference_``
#: twins): for one cluster they are 0 by definition and compare nothing.
STEP_2_METRICS = frozenset(
    {"dispersion_gain", "separation_gain", "leakage", "boundary_leakage"}
)


class KSelection:
    """A search's scores, its chosen candidate and the rule that chose it.

    ``cv_results`` keeps only the columns the table and the plot read (the
    parameter, the per-split and mean test scores), copied, so that the report
    does not hold on to the search.
    """

    def __init__(self, cv_results: dict, best_index: int, rule: str | None):
        self.cv_results = cv_results
        self.best_index = int(best_index)
        self.rule = rule
        # Built once, like the report's other tables.
        self.table = _candidate_table(cv_results, self.best_index)

    def close_call(self) -> dict[float, float] | None:
        """:func:`~sklearn_leakage.close_call` of the search, when the rule chose.

        None when the search chose otherwise, as the verdicts are then.
        """
        return self._close_call

    @cached_property
    def _close_call(self) -> dict[float, float] | None:
        # Once: the console, the page and the workbook each ask, and each
        # answer re-applies the rule twice.
        if not chosen_by_the_rule(self.cv_results, self.best_index):
            return None
        return close_call(self.cv_results)

    def choice_text(self, advice: str = CLOSE_CALL_ADVICE) -> str:
        """The choice in words: the chosen k, how it was chosen, a close call.

        What the page writes above the candidates and the workbook puts in
        its notes; ``advice`` ends a close call's sentence.
        """
        chosen = self.table.loc[self.best_index]
        text = f"Chosen: k = {chosen['n_clusters']}"
        if chosen["n_clusters_found"] != chosen["n_clusters"]:
            text += f" (its fits made {chosen['n_clusters_found']:g} clusters)"
        if chosen["verdict"].startswith("chosen "):
            # Nothing passed and the rule fell back on this candidate: say so
            # where the choice is named, not only in the table.
            text += f", {chosen['verdict'][len('chosen ') :]}"
        if self.rule:
            text += f". Rule: {self.rule}"
        close = self.close_call()
        if close is not None:
            text += f" Close call: {close_call_message(close, advice)}"
        return text

    @property
    def other_parameters(self) -> list[str]:
        """Names of the parameters searched besides the number of clusters."""
        return [key[len("param_") :] for key in _other_params(self.cv_results)]

    def plotted(self) -> tuple[dict, int, str]:
        """The candidates the plot shows, the chosen one's row, and a caption.

        A plot of k has one point per number of clusters. When the search
        varied other parameters too, it shows the candidates that share the
        chosen one's values of them, and the caption names those values; the
        table lists every candidate. The caption is empty otherwise.
        """
        others = _other_params(self.cv_results)
        if not others:
            return self.cv_results, self.best_index, ""
        sliced, best, shown = candidates_like_the_chosen(
            self.cv_results, self.best_index, others
        )
        n_plotted = len(sliced[others[0]])
        caption = (
            f"The search varied other parameters too; plotted: the {n_plotted} "
            f"candidates with the chosen one's {shown}, of {self.table.shape[0]}."
        )
        return sliced, best, caption


def _other_params(cv_results: dict) -> list[str]:
    """``param_`` keys of the parameters searched besides the number of clusters."""
    return other_param_keys(cv_results, f"param_{_param_name(cv_results)}")


def _candidate_table(results: dict, best_index: int) -> pd.DataFrame:
    """One row per candidate: every metric's mean and standard error.

    Columns: ``n_clusters`` (the candidate's value of the searched
    parameter), ``n_clusters_found`` (the clusters its fits made, median
    over the splits), then ``mean_<metric>`` and ``std_error_<metric>``
    (the standard deviation over the splits divided by the root of their
    number) for every metric the search recorded, and ``verdict``
    (:func:`~sklearn_leakage._selection.candidate_verdicts` when
    :func:`~sklearn_leakage.refit_n_clusters` made the choice, else "chosen"
    and "not chosen"). When the rule chose, ``step_1_margin``,
    ``test_a_margin`` and ``test_b_margin``
    (:func:`~sklearn_leakage._selection.candidate_margins`) follow the
    verdict. Step 2's metrics are empty (NaN) for a candidate that made one
    cluster: step 2 does not test it, and their recorded values (gains and
    leakages of 0) are no comparison. ``n_clusters_found`` is NaN for a
    candidate that failed on every split: no fit made any cluster.
    """
    requested = np.asarray(results[f"param_{_param_name(results)}"], float)
    frame = pd.DataFrame({"n_clusters": requested.astype(int)})
    # Other searched parameters, by their names in the search (a search over
    # k alone has none): rows with the same k differ in them.
    for key in _other_params(results):
        # Object dtype: a value a candidate's grid did not set stays None.
        frame[key[len("param_") :]] = pd.Series(list(results[key]), dtype=object)
    # found_n_clusters gives a candidate no fit succeeded for the number it
    # asked for, which the rule reads; the table says what the fits made,
    # and such a candidate made nothing.
    frame["n_clusters_found"] = np.where(
        _failed_on_every_split(results), np.nan, found_n_clusters(results, requested)
    )
    single = frame["n_clusters_found"].to_numpy() <= 1
    for name in _metric_names(results):
        # The rule's own reading of a metric, so that the table shows what it
        # judged.
        mean, error = _metric(results, name)
        if name.removeprefix("reference_") in STEP_2_METRICS:
            mean = np.where(single, np.nan, mean)
            error = np.where(single, np.nan, error)
        frame[f"mean_{name}"], frame[f"std_error_{name}"] = mean, error
    if chosen_by_the_rule(results, best_index):
        frame["verdict"] = candidate_verdicts(results, best_index)
        for column, margin in candidate_margins(
            results, frame["n_clusters_found"].to_numpy()
        ).items():
            frame[column] = margin
    else:
        # Another rule chose (refit=True, a metric): the verdicts of
        # refit_n_clusters would explain a choice the search did not make.
        frame["verdict"] = np.where(
            np.arange(len(frame)) == best_index, "chosen", "not chosen"
        )
    return frame


def _failed_on_every_split(results: dict) -> np.ndarray:
    """Whether each candidate made no clusters on any split: none of its fits ran.

    A search with ``error_score=np.nan`` records NaN for every metric of a
    fit that failed, ``n_clusters_found`` among them.
    """
    found = _per_split(results, "n_clusters_found")
    if found is None:
        return np.zeros(len(results[f"param_{_param_name(results)}"]), dtype=bool)
    return np.all(np.isnan(found), axis=0)


#: The margin of the test each failing verdict names.
_FAILED_TESTS = {
    VERDICTS["step_1"]: "step_1_margin",
    VERDICTS["no_better"]: "test_a_margin",
    VERDICTS["dense"]: "test_b_margin",
}


def verdict_text(row: dict) -> str:
    """A candidate's verdict with, for a failed test, the margin it failed by.

    ``row`` is a row of the candidates table as a dict. The margin is the
    number the rule compared with 0 (:func:`candidate_margins`), so that a
    reader sees how near the candidate came to passing.
    """
    verdict = row["verdict"]
    margin = row.get(_FAILED_TESTS.get(verdict, ""), np.nan)
    if margin is None or not np.isfinite(margin):
        return verdict
    return f"{verdict}; margin {margin:+.3f}"


def _metric_names(cv_results) -> list[str]:
    """Recorded test metrics, reproducibility (or the single score) first."""
    names = [key[len("mean_test_") :] for key in cv_results if key[:10] == "mean_test_"]
    names.sort(key=lambda name: name not in ("reproducibility", "score"))
    return [name for name in names if name != "n_clusters_found"]


def k_selection_from_search(search) -> KSelection:
    """The parts of a fitted ``GridSearchCV`` that explain its choice."""
    results = search.cv_results_
    param = f"param_{_param_name(results)}"
    kept = {param: np.asarray(results[param])}
    for key in results:
        if key.startswith("param_") and key != param:
            # Another searched parameter: the table lists it, and the plot
            # shows the candidates that share the chosen one's value.
            # A grid given as a list of dicts leaves a parameter unset (masked)
            # for some candidates; their data there are arbitrary: None.
            values = np.asarray(np.ma.getdata(results[key]), dtype=object)
            values[np.ma.getmaskarray(results[key])] = None
            kept[key] = values
    for key, value in results.items():
        if key.startswith(("split", "mean_test_", "std_test_")) and "_test_" in key:
            kept[key] = np.array(np.ma.getdata(value), dtype=float)
    # The first line of the refit rule's docstring, as the plot words it; a
    # search refitted on a metric has no rule to quote.
    rule = _rule_text(search.refit, None) if callable(search.refit) else None
    return KSelection(kept, search.best_index_, rule)
