"""The choice of the number of clusters, as a report table and a plot.

A report built from a fitted search (``LeakageReport.from_search``) keeps the
search's scores, so that the page and the workbook show why the clustering they
describe has the number of clusters it has.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sklearn_leakage._display.k_selection import _rule_text
from sklearn_leakage._selection import (
    _metric,
    _param_name,
    candidate_verdicts,
    chosen_by_the_rule,
    found_n_clusters,
)

__all__ = ["KSelection", "k_selection_from_search"]


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


def _candidate_table(results: dict, best_index: int) -> pd.DataFrame:
    """One row per candidate: every metric's mean and standard error.

    Columns: ``n_clusters`` (the candidate's value of the searched
    parameter), ``n_clusters_found`` (the clusters its fits made, median
    over the splits), then ``mean_<metric>`` and ``std_error_<metric>``
    (the standard deviation over the splits divided by the root of their
    number) for every metric the search recorded, and ``verdict``
    (:func:`~sklearn_leakage._selection.candidate_verdicts` when
    :func:`~sklearn_leakage.refit_n_clusters` made the choice, else "chosen"
    and "not chosen").
    """
    requested = np.asarray(results[f"param_{_param_name(results)}"], float)
    frame = pd.DataFrame(
        {
            "n_clusters": requested.astype(int),
            "n_clusters_found": found_n_clusters(results, requested),
        }
    )
    for name in _metric_names(results):
        # The rule's own reading of a metric, so that the table shows what it
        # judged.
        frame[f"mean_{name}"], frame[f"std_error_{name}"] = _metric(results, name)
    if chosen_by_the_rule(results, best_index):
        frame["verdict"] = candidate_verdicts(results, best_index)
    else:
        # Another rule chose (refit=True, a metric): the verdicts of
        # refit_n_clusters would explain a choice the search did not make.
        frame["verdict"] = np.where(
            np.arange(len(frame)) == best_index, "chosen", "not chosen"
        )
    return frame


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
    for key, value in results.items():
        if key.startswith(("split", "mean_test_", "std_test_")) and "_test_" in key:
            kept[key] = np.array(np.ma.getdata(value), dtype=float)
    # The first line of the refit rule's docstring, as the plot words it; a
    # search refitted on a metric has no rule to quote.
    rule = _rule_text(search.refit, None) if callable(search.refit) else None
    return KSelection(kept, search.best_index_, rule)
