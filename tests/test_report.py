"""LeakageReport tables, exports (Excel, HTML in a real browser) and the grid plot."""

import html.parser
import io
import re
import shutil
import subprocess
import sys
import tracemalloc

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom, binomtest
from sklearn.base import clone
from sklearn.cluster import DBSCAN, KMeans
from sklearn.datasets import load_iris, make_blobs
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    RepeatedKFold,
    StratifiedKFold,
    cross_val_predict,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_leakage import (
    KSelectionDisplay,
    LeakageMatrixDisplay,
    LeakageReport,
    LeakageScore,
    LeakageTestGridDisplay,
    cross_val_proba,
    leakage_matrix,
    leakage_scorer,
    leakage_test_grid,
    refit_n_clusters,
    select_n_clusters,
    total_leakage,
)
from sklearn_leakage._report._excel import (
    PERCENT,
    PVALUE,
    TOLERATED,
    percent_format,
    pvalue_format,
)
from sklearn_leakage._report._format import (
    cut_probabilities,
    cut_probability,
    format_level,
    format_percent,
    format_probability,
    format_pvalue,
    format_threshold,
    format_tolerated,
    grid_for_reading,
)
from sklearn_leakage.exceptions import NoReferenceWarning

# Three clusters of two points (threshold 0.05):
#   row 0, cluster 0: [0.9, 0.1, 0.0]   predicted 0, leaks into 1 (0.1)
#   row 1, cluster 0: [1.0, 0.0, 0.0]   predicted 0, no leak
#   row 2, cluster 1: [0.6, 0.4, 0.0]   predicted 0 (wrong), leaks into 0 (0.6)
#   row 3, cluster 1: [0.0, 0.97, 0.03] predicted 1, no leak (0.03 < 0.05)
#   row 4, cluster 2: [0.0, 0.0, 1.0]   predicted 2, no leak
#   row 5, cluster 2: [0.0, 0.2, 0.8]   predicted 2, leaks into 1 (0.2)
LABELS6 = np.array([0, 0, 1, 1, 2, 2])
PROBA6 = np.array(
    [
        [0.9, 0.1, 0.0],
        [1.0, 0.0, 0.0],
        [0.6, 0.4, 0.0],
        [0.0, 0.97, 0.03],
        [0.0, 0.0, 1.0],
        [0.0, 0.2, 0.8],
    ]
)

#: CSS class of each table of the HTML page.
TABLE_CLASSES = [
    "sl-totals",
    "sl-clusters",
    "sl-pairs",
    "sl-merge",
    "sl-probe",
    "sl-probe-scores",
    "sl-grid",
    "sl-samples",
]

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not on PATH (CI installs it with apt-get install chromium)",
)


def upper_tail(k, n, p):
    """P(X >= k) for X ~ Binomial(n, p)."""
    return float(binom.sf(k - 1, n, p))


@pytest.fixture(scope="module")
def report6():
    return LeakageReport.from_predictions(LABELS6, PROBA6)


@pytest.fixture(scope="module")
def iris_report():
    X, y = load_iris(return_X_y=True)
    probe = make_pipeline(StandardScaler(), LogisticRegression(C=100, max_iter=1000))
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    proba = cross_val_predict(probe, X, y, cv=cv, method="predict_proba")
    return y, proba, LeakageReport.from_predictions(y, proba)


@pytest.fixture(scope="module")
def html_page(iris_report, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "report.html"
    iris_report[2].to_html(path)
    return path


# ------------------------------------------------------------------- tables
def test_clusters_table_by_hand(report6):
    clusters = report6.clusters
    assert list(clusters.columns) == [
        "cluster",
        "support",
        "leaking",
        "leakage",
        "ci_low",
        "ci_high",
        "expected_leakage",
        "recall",
        "leaky_recall",
    ]
    np.testing.assert_array_equal(clusters["support"], [2, 2, 2])
    # Rows 0, 2 and 5 leak: one point of each cluster, 1/2 each.
    np.testing.assert_array_equal(clusters["leaking"], [1, 1, 1])
    np.testing.assert_allclose(clusters["leakage"], [0.5, 0.5, 0.5])
    # Clopper-Pearson for 1 of 2: [1 - 0.975^(1/2), 0.975^(1/2)] = [0.0126, 0.9874]
    np.testing.assert_allclose(clusters["ci_low"], 1 - 0.975**0.5)
    np.testing.assert_allclose(clusters["ci_high"], 0.975**0.5)
    # (0.1 + 0) / 2, (0.6 + 0.03) / 2, (0 + 0.2) / 2
    np.testing.assert_allclose(clusters["expected_leakage"], [0.05, 0.315, 0.1])
    # Row 2 is predicted as cluster 0: recall of cluster 1 is 1/2.
    np.testing.assert_allclose(clusters["recall"], [1.0, 0.5, 1.0])
    # Correct and not leaking: rows 1, 3 and 4, one per cluster.
    np.testing.assert_allclose(clusters["leaky_recall"], [0.5, 0.5, 0.5])


def test_pairs_table_by_hand(report6):
    pairs = report6.pairs
    assert list(pairs.columns) == [
        "source",
        "target",
        "leakage",
        "count",
        "support",
        "ci_low",
        "ci_high",
        "p_value",
        "p_adjusted",
        "sentence",
    ]
    # Only pairs with a leaking point: 0 -> 1, 1 -> 0, 2 -> 1 (1 -> 2 has 0.03).
    assert list(zip(pairs["source"], pairs["target"], strict=True)) == [
        (0, 1),
        (1, 0),
        (2, 1),
    ]
    # P(X >= 1 | 2, 0.05) = 1 - 0.95^2 = 0.0975 for each.
    np.testing.assert_allclose(pairs["p_value"], 0.0975)
    # Holm over all 6 ordered pairs (3 zero-count pairs have p = 1):
    # 6 * 0.0975 = 0.585, then max(0.585, 5 * 0.0975), max(., 4 * 0.0975).
    np.testing.assert_allclose(pairs["p_adjusted"], 0.585)
    assert pairs["sentence"].tolist() == [
        "cluster 0 leaks into cluster 1: 50.0% (1 of 2)",
        "cluster 1 leaks into cluster 0: 50.0% (1 of 2)",
        "cluster 2 leaks into cluster 1: 50.0% (1 of 2)",
    ]


def test_pairs_use_benjamini_hochberg_when_asked():
    report = LeakageReport.from_predictions(LABELS6, PROBA6, method="bh")
    # BH over 6 pairs: the three 0.0975 share rank 3, 6/3 * 0.0975 = 0.195.
    np.testing.assert_allclose(report.pairs["p_adjusted"], 0.195)


def test_merge_candidates_by_hand(report6):
    candidates = report6.merge_candidates
    # Symmetric (max) leakage: (0, 1) max(1/2, 1/2); (1, 2) max(0, 1/2); (0, 2) 0.
    assert candidates[["cluster_a", "cluster_b"]].to_numpy().tolist() == [
        [0, 1],
        [1, 2],
    ]
    np.testing.assert_allclose(candidates["leakage_ab"], [0.5, 0.0])
    np.testing.assert_allclose(candidates["leakage_ba"], [0.5, 0.5])
    np.testing.assert_allclose(candidates["symmetric_leakage"], [0.5, 0.5])
    strict = LeakageReport.from_predictions(LABELS6, PROBA6, leakage_level=0.5)
    assert len(strict.merge_candidates) == 0  # 0.5 does not exceed 0.5


def test_totals_by_hand(report6):
    totals = report6.totals
    assert totals.shape == (1, 12)
    row = totals.iloc[0]
    assert (row["n_samples"], row["n_clusters"], row["leaking"]) == (6, 3, 3)
    assert row["total_leakage"] == pytest.approx(0.5)
    # 3 of 6 against 5%: P(X >= 3 | 6, 0.05) = 0.00223
    assert row["p_value"] == pytest.approx(upper_tail(3, 6, 0.05))
    assert row["p_value"] == pytest.approx(0.00223, abs=1e-5)
    # (0.1 + 0.6 + 0.03 + 0.2) / 6 = 0.155
    assert row["expected_leakage"] == pytest.approx(0.155)
    assert row["probe_accuracy"] == pytest.approx(5 / 6)
    assert row["noise_share"] == 0.0


def test_probe_tables_by_hand(report6):
    probe = report6.probe
    assert probe.index.name == "cluster"
    assert probe.columns.name == "predicted"
    np.testing.assert_array_equal(probe.to_numpy(), [[2, 0, 0], [1, 1, 0], [0, 0, 2]])
    scores = report6.probe_scores
    # Predicted 0: rows 0, 1, 2, of which 2 are right -> precision 2/3;
    # F1 of cluster 0 = 2 * (2/3 * 1) / (2/3 + 1) = 0.8, cluster 1 2 * 0.5 / 1.5.
    np.testing.assert_allclose(scores["precision"], [2 / 3, 1.0, 1.0])
    np.testing.assert_allclose(scores["recall"], [1.0, 0.5, 1.0])
    np.testing.assert_allclose(scores["f1"], [0.8, 2 / 3, 1.0])


def test_samples_table_by_hand():
    ids = np.array(["a", "b", "c", "d", "e", "f"])
    samples = LeakageReport.from_predictions(LABELS6, PROBA6, ids=ids).samples
    assert samples["id"].tolist() == ids.tolist()
    np.testing.assert_allclose(samples["own_proba"], [0.9, 1.0, 0.4, 0.97, 1.0, 0.8])
    np.testing.assert_allclose(
        samples["max_other_proba"], [0.1, 0.0, 0.6, 0.03, 0.0, 0.2]
    )
    # Row 1 puts 0 on both others: the first other cluster (1) is named.
    assert samples["most_likely_other"].tolist() == [1, 1, 0, 2, 0, 1]
    assert samples["leaks"].tolist() == [True, False, True, False, False, True]


def test_a_probability_just_below_the_threshold_is_not_written_as_it(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    # 0.0496 on another cluster does not leak at 0.05; one decimal wrote it as
    # 5.0% beside leaks = False. The page and the workbook give two decimals.
    labels = np.array([0, 0, 1, 1])
    proba = np.array(
        [[0.9504, 0.0496], [0.950004, 0.049996], [0.2, 0.8], [0.0, 1.0]],
        dtype=float,
    )
    report = LeakageReport.from_predictions(labels, proba)
    assert not report.samples["leaks"].iloc[:2].any()
    page = tmp_path / "page.html"
    report.to_html(page)
    text = page.read_text(encoding="utf-8")
    # Cut, not rounded: 0.049996 is not written as the threshold either.
    assert "4.9996%" in text
    assert "5.00%" not in text
    # Cut from the shortest decimal form: 0.29 stays 29.00%, and a value
    # stored a hair below the threshold (0.15 - 0.1) stays below it.
    assert format_probability(0.29) == "29.00%"
    assert format_probability(0.57) == "57.00%"
    assert format_probability(0.15 - 0.1) == "4.9999%"
    assert format_probability(np.nextafter(0.05, 0)) == "4.9999%"
    assert "4.96%" in text
    assert "95.04%" in text
    report.to_excel(tmp_path / "book.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "book.xlsx")["samples"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("largest probability on another cluster") + 1
    cell = sheet.cell(2, column)
    assert cell.number_format == "0.00##%"
    # Excel rounds: the cell holds the value cut to what its format shows.
    assert sheet.cell(3, column).value == pytest.approx(0.049996, abs=1e-12)
    nearly = LeakageReport.from_predictions(
        labels, np.array([[0.9500004, 0.0499996], *proba[1:]])
    )
    nearly.to_excel(tmp_path / "nearly.xlsx")
    book = openpyxl.load_workbook(tmp_path / "nearly.xlsx")["samples"]
    assert book.cell(2, column).value == pytest.approx(0.049999, abs=1e-12)


def test_a_p_value_below_1e_300_reads_as_the_page_writes_it(tmp_path):
    # 420 points whose leakage runs evenly from 0 to 0.5: two cells of the
    # test grid are positive floats below 1e-300. The page writes them
    # "<1e-300"; the workbook showed "1.0E-305" style numbers, as its format
    # names 0 alone: they are written as 0, which it shows "<1e-300".
    openpyxl = pytest.importorskip("openpyxl")
    labels = np.repeat([0, 1], 210)
    share = np.tile(np.linspace(0, 0.5, 210), 2)
    proba = np.column_stack([1 - share, share])
    proba[labels == 1] = proba[labels == 1][:, ::-1]
    report = LeakageReport.from_predictions(labels, proba)
    grid = report.test_grid.to_numpy()
    tiny = (grid > 0) & (grid < 1e-300)
    assert tiny.sum() == 2
    report.to_excel(tmp_path / "book.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "book.xlsx")["test_grid"]
    for row, column in zip(*np.nonzero(tiny), strict=True):
        cell = sheet.cell(row + 2, column + 2)
        assert cell.value == 0
        assert cell.number_format == PVALUE
    # Values from 1e-300 up are written as they are.
    row, column = np.unravel_index(np.argmax(np.where(tiny, 0, grid)), grid.shape)
    assert sheet.cell(row + 2, column + 2).value == pytest.approx(grid[row, column])
    assert {format_pvalue(value) for value in grid[tiny]} == {"<1e-300"}


def test_p_value_columns_below_1e_300_are_written_as_zero():
    from sklearn_leakage._report._excel import _zero_tiny_pvalues

    frame = pd.DataFrame(
        {"p_value": [1e-305, 1e-300, 0.2], "leakage": [1e-305, 0.1, 0.2]}
    )
    written = _zero_tiny_pvalues(frame, "pairs")
    assert written["p_value"].tolist() == [0.0, 1e-300, 0.2]
    assert written["leakage"].tolist() == [1e-305, 0.1, 0.2]  # not a p-value
    assert frame["p_value"].tolist() == [1e-305, 1e-300, 0.2]  # not mutated


def test_samples_can_be_left_out():
    report = LeakageReport.from_predictions(LABELS6, PROBA6, include_samples=False)
    assert report.samples is None


def test_properties_return_copies(report6):
    clusters = report6.clusters
    clusters.loc[0, "leakage"] = 99.0
    assert report6.clusters.loc[0, "leakage"] == 0.5


def test_inputs_are_not_modified():
    labels, proba = LABELS6.copy(), PROBA6.copy()
    LeakageReport.from_predictions(labels, proba)
    np.testing.assert_array_equal(labels, LABELS6)
    np.testing.assert_array_equal(proba, PROBA6)


def test_relabelling_changes_only_the_ids(report6):
    other = LeakageReport.from_predictions(LABELS6 * 2 + 10, PROBA6)
    np.testing.assert_array_equal(other.clusters["cluster"], [10, 12, 14])
    pd.testing.assert_frame_equal(
        other.clusters.drop(columns="cluster"), report6.clusters.drop(columns="cluster")
    )
    assert (
        other.pairs["sentence"][0] == "cluster 10 leaks into cluster 12: 50.0% (1 of 2)"
    )


def test_noise_rows_are_left_out_and_counted():
    labels = np.append(LABELS6, -1)
    proba = np.vstack([PROBA6, [0.5, 0.5, 0.0]])
    report = LeakageReport.from_predictions(labels, proba, ids=np.arange(10, 17))
    assert report.totals["n_samples"].item() == 6
    assert report.totals["noise_share"].item() == pytest.approx(1 / 7)
    np.testing.assert_allclose(report.clusters["leakage"], [0.5, 0.5, 0.5])
    assert report.samples["id"].tolist() == [10, 11, 12, 13, 14, 15]


def test_noise_as_a_cluster():
    labels = np.where(LABELS6 == 2, -1, LABELS6)
    report = LeakageReport.from_predictions(
        labels, PROBA6[:, [2, 0, 1]], noise="cluster"
    )
    assert report.clusters["cluster"].tolist() == [-1, 0, 1]
    assert report.totals["noise_share"].item() == 0.0


def test_iris_tables_agree_with_the_metrics(iris_report):
    y, proba, report = iris_report
    clusters = report.clusters
    np.testing.assert_allclose(
        clusters["leakage"], total_leakage(y, proba, average=None)
    )
    # 1, 7 and 10 of the 50 setosa, versicolor and virginica leak.
    np.testing.assert_array_equal(clusters["leaking"], [1, 7, 10])
    assert np.all(clusters["leaky_recall"] <= clusters["recall"])
    assert report.samples["leaks"].mean() == pytest.approx(total_leakage(y, proba))
    matrix = leakage_matrix(y, proba)
    for row in report.pairs.itertuples():
        assert row.leakage == pytest.approx(matrix[row.source, row.target])
    # The leakiest pair: virginica into versicolor, 10 of 50.
    top = report.pairs.iloc[0]
    assert top["sentence"] == "cluster 2 leaks into cluster 1: 20.0% (10 of 50)"
    assert top["p_value"] == pytest.approx(upper_tail(10, 50, 0.05))
    # Only versicolor and virginica are worth merging.
    assert report.merge_candidates[["cluster_a", "cluster_b"]].to_numpy().tolist() == [
        [1, 2]
    ]
    pd.testing.assert_frame_equal(
        report.test_grid,
        leakage_test_grid(y, proba),
    )


def test_grid_includes_the_reports_threshold_and_level():
    report = LeakageReport.from_predictions(
        LABELS6, PROBA6, detection_threshold=0.15, leakage_level=0.3
    )
    grid = report.test_grid
    np.testing.assert_allclose(grid.index, [0.01, 0.02, 0.05, 0.1, 0.15, 0.2])
    np.testing.assert_allclose(grid.columns, [0.01, 0.02, 0.05, 0.1, 0.2, 0.3])
    # At 0.15 rows 2 (0.6) and 5 (0.2) leak: 2 of 6 against 0.3.
    assert grid.loc[0.15, 0.3] == pytest.approx(upper_tail(2, 6, 0.3))
    assert report.totals["p_value"].item() == pytest.approx(upper_tail(2, 6, 0.3))


@pytest.fixture(scope="module")
def fitted_blobs():
    X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
    est = LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0).fit(X)
    return X, est


def test_from_estimator_matches_the_estimator(fitted_blobs):
    X, est = fitted_blobs
    ids = np.array([f"row{i}" for i in range(X.shape[0])])
    report = LeakageReport.from_estimator(est, ids=ids)
    assert report.totals["total_leakage"].item() == pytest.approx(est.total_leakage_)
    assert report.totals["expected_leakage"].item() == pytest.approx(
        est.expected_leakage_
    )
    assert report.detection_threshold == est.detection_threshold
    labels = est.labels_[est.sample_indices_]
    np.testing.assert_allclose(
        report.clusters["leakage"],
        total_leakage(labels, est.oof_proba_, average=None),
    )
    samples = report.samples
    # Rows of oof_proba_ follow sample_indices_; ids follow the rows of X.
    np.testing.assert_array_equal(samples["id"], ids[est.sample_indices_])
    np.testing.assert_array_equal(samples["cluster"], est.labels_[est.sample_indices_])


def test_from_estimator_threshold_override(fitted_blobs):
    _, est = fitted_blobs
    report = LeakageReport.from_estimator(est, detection_threshold=0.3)
    labels = est.labels_[est.sample_indices_]
    assert report.totals["total_leakage"].item() == pytest.approx(
        total_leakage(labels, est.oof_proba_, detection_threshold=0.3)
    )


def test_from_estimator_leaves_noise_out():
    X, _ = make_blobs(n_samples=300, centers=3, cluster_std=0.6, random_state=0)
    est = LeakageScore(
        DBSCAN(eps=0.3, min_samples=10), mode="fixed", random_state=0
    ).fit(X)
    assert 0 < est.noise_ratio_ < 0.5  # precondition: some noise, not all
    report = LeakageReport.from_estimator(est)
    assert report.totals["n_samples"].item() == np.sum(est.labels_ != -1)
    assert report.totals["noise_share"].item() == pytest.approx(est.noise_ratio_)
    assert report.totals["total_leakage"].item() == pytest.approx(est.total_leakage_)
    assert -1 not in report.samples["cluster"].to_numpy()
    # With noise="cluster", -1 is a cluster like any other: nothing is left
    # out, so no noise share, as from_predictions reports on the same labels.
    as_cluster = LeakageScore(
        DBSCAN(eps=0.3, min_samples=10), mode="fixed", noise="cluster", random_state=0
    ).fit(X)
    report = LeakageReport.from_estimator(as_cluster)
    assert report.totals["n_samples"].item() == 300
    assert report.totals["noise_share"].item() == 0.0
    assert -1 in report.samples["cluster"].to_numpy()


def test_summary_and_repr(report6):
    text = report6.summary()
    lines = text.splitlines()
    assert (
        lines[0] == "Leakage report: 6 points in 3 clusters, detection threshold 0.05"
    )
    assert lines[1] == "total leakage 50.0% (3 of 6), 95% CI [11.8%, 88.2%]"
    assert "cluster 2 leaks into cluster 1: 50.0% (1 of 2), p = 0.58" in text
    assert lines[-1] == (
        "merge candidates (observed leakage above 5.0%, significant or not): "
        "0+1 (50.0%), 1+2 (50.0%)"
    )
    assert repr(report6) == (
        "LeakageReport(n_samples=6, n_clusters=3, total_leakage=0.500, "
        "detection_threshold=0.05)"
    )
    fragment = report6._repr_html_()
    assert fragment.count('class="dataframe sl-table') >= 6
    assert "<svg" not in fragment


def test_report_keeps_its_own_copy_of_the_inputs(tmp_path):
    # LeakageReport(labels, proba) kept the caller's arrays, which to_html
    # draws its plots from: a buffer reused after the report was built made
    # the page's matrix show the new data beside tables of the old.
    labels, proba = LABELS6.copy(), PROBA6.copy()
    classes, ids = np.array([0, 1, 2]), np.arange(10, 16)
    report = LeakageReport(labels, proba, classes=classes, ids=ids)
    labels[:] = 0
    proba[:] = [1.0, 0.0, 0.0]
    classes[:] = [7, 8, 9]
    ids[:] = -1
    assert report.labels.tolist() == [0, 0, 1, 1, 2, 2]
    np.testing.assert_array_equal(report.proba, PROBA6)
    assert report.classes.tolist() == [0, 1, 2]
    assert report.ids.tolist() == [10, 11, 12, 13, 14, 15]
    assert report.samples["id"].tolist() == [10, 11, 12, 13, 14, 15]
    # What the page's leakage matrix is drawn from: still the table's numbers.
    np.testing.assert_allclose(
        leakage_matrix(report.labels, report.proba, classes=report.classes),
        leakage_matrix(LABELS6, PROBA6),
    )


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_a_candidate_that_never_fitted_made_no_clusters(
    tmp_path, search_failing_at_four
):
    # k = 4 failed on every split: the table said it made 4 clusters (the
    # number it asked for) beside "failed on a split", and the page's "made"
    # column wrote 4.
    report = LeakageReport.from_search(search_failing_at_four)
    table = report.k_selection
    assert table["verdict"][3] == "failed on a split"
    np.testing.assert_array_equal(table["n_clusters_found"], [1, 2, 3, np.nan, 5])
    report.to_html(tmp_path / "page.html")
    page = (tmp_path / "page.html").read_text()
    rows = re.findall(
        r"<tr>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>",
        page[page.index("sl-k-selection") :],
    )
    assert rows[:5] == [("1", "1"), ("2", "2"), ("3", "3"), ("4", "-"), ("5", "5")]


def test_summary_lists_n_pairs(report6):
    # report6 has three ordered pairs with a leaking point, each 1 of 2.
    def listed(text):
        return [line for line in text.splitlines() if " leaks into " in line]

    assert len(listed(report6.summary())) == 3
    assert len(listed(report6.summary(n_pairs=2))) == 2
    assert len(listed(report6.summary(n_pairs=np.int64(1)))) == 1
    assert len(listed(report6.summary(n_pairs=10))) == 3
    # True is 1, as scikit-learn's integer constraints read it; pandas refused.
    assert len(listed(report6.summary(n_pairs=True))) == 1


@pytest.mark.parametrize("n_pairs", [-1, 0, 2.5, "3", None])
def test_summary_refuses_a_bad_n_pairs(report6, n_pairs):
    # -1 silently dropped the last pair, 0 printed a header over no pair, and
    # 2.5 or "3" failed inside pandas.
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'n_pairs' parameter of LeakageReport.summary must be an int "
        r"in the range \[1, inf\)",
    ):
        report6.summary(n_pairs=n_pairs)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"ids": [1, 2]}, ValueError, r"ids has shape \(2,\) but labels has shape"),
        (
            {"classes": [-1, 0, 1]},
            ValueError,
            "classes contains -1 but noise='exclude'",
        ),
        ({"leakage_level": 2.0}, InvalidParameterError, "'leakage_level' parameter"),
        ({"method": "bonferroni"}, InvalidParameterError, "'method' parameter"),
    ],
)
def test_from_predictions_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        LeakageReport.from_predictions(LABELS6, PROBA6, **kwargs)


def test_from_predictions_rejects_all_noise_and_bad_rows():
    with pytest.raises(ValueError, match="all 2 points are labelled -1"):
        LeakageReport.from_predictions([-1, -1], [[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="proba has 5 rows but labels has 6"):
        LeakageReport.from_predictions(LABELS6, PROBA6[:5])
    # "proba has shape (6,) but labels has 6 samples" did not say what was wrong.
    with pytest.raises(ValueError, match=r"2-dimensional .* got shape \(6,\)"):
        LeakageReport.from_predictions(LABELS6, PROBA6[:, 0])


def test_a_cluster_without_points_has_no_shares_in_the_table(tmp_path):
    # Listed in classes with no point, cluster 3 read "0.0%" leakage and a
    # recall of 0.0%, as if the probe never found points it never had.
    X, y = load_iris(return_X_y=True)
    proba = np.c_[cross_val_proba(X, y, random_state=0), np.zeros(150)]
    report = LeakageReport.from_predictions(y, proba, classes=[0, 1, 2, 3])
    empty = report.clusters.iloc[3]
    assert empty["support"] == 0
    for column in ("leakage", "expected_leakage", "recall", "leaky_recall"):
        assert np.isnan(empty[column]), column
    # The probe's scores of it are no more 0.0% than its recall.
    assert report.probe_scores.iloc[3][["precision", "recall", "f1"]].isna().all()
    assert report.probe_scores["recall"][:3].tolist() == [1.0, 0.96, 0.98]
    # The other clusters are as without it.
    np.testing.assert_allclose(report.clusters["leakage"][:3], [0.0, 0.12, 0.18])
    page = tmp_path / "report.html"
    report.to_html(page)
    assert "n/a" in page.read_text(encoding="utf-8")


def test_from_predictions_names_a_noise_column_made_with_noise_cluster():
    # Noise given a column of its own, then reported with noise="exclude": the
    # message said "2 classes were given" when none were, and not the fix.
    X, y = make_blobs(n_samples=120, centers=2, random_state=0)
    labels = y.copy()
    labels[:6] = -1
    proba = cross_val_proba(X, labels, noise="cluster", random_state=0)
    with pytest.raises(ValueError, match="Pass noise='cluster' here too"):
        LeakageReport.from_predictions(labels, proba)
    report = LeakageReport.from_predictions(labels, proba, noise="cluster")
    assert report.totals["n_clusters"].item() == 3


def test_from_estimator_rejects_unfitted_and_foreign_estimators():
    with pytest.raises(NotFittedError, match="not fitted yet"):
        LeakageReport.from_estimator(LeakageScore(KMeans(3)))
    kmeans = KMeans(3, n_init=1, random_state=0).fit(np.arange(12.0).reshape(6, 2))
    with pytest.raises(
        TypeError,
        match="out-of-fold diagnostics, got KMeans",
    ):
        LeakageReport.from_estimator(kmeans)
    # The right estimator, fitted without its diagnostics: a ValueError.
    X = np.arange(24.0).reshape(12, 2)
    lean = LeakageScore(KMeans(2, n_init=1, random_state=0), compute_oof=False)
    with pytest.raises(ValueError, match="fitted with compute_oof=False"):
        LeakageReport.from_estimator(lean.fit(X))


def test_from_estimator_rejects_ids_of_the_wrong_length(fitted_blobs):
    _, est = fitted_blobs
    with pytest.raises(ValueError, match="fitted on 300 rows"):
        LeakageReport.from_estimator(est, ids=np.arange(10))


# ------------------------------------------------------------------- Excel
def test_to_excel_sheets_values_and_formats(report6, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "report.xlsx"
    report6.to_excel(path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [
        "totals",
        "clusters",
        "pairs",
        "merge_candidates",
        "probe",
        "probe_scores",
        "test_grid",
        "samples",
    ]
    clusters = workbook["clusters"]
    assert [cell.value for cell in clusters[1]][:4] == [
        "cluster",
        "support",
        "leaking points",
        "leakage",
    ]
    # Row 3 is cluster 1: 1 leaking point of 2; expected leakage 0.315.
    assert clusters["A3"].value == 1
    assert clusters["C3"].value == 1
    assert clusters["D3"].value == pytest.approx(0.5)
    assert clusters["D3"].number_format == PERCENT
    assert clusters["G3"].value == pytest.approx(0.315)
    assert clusters["G3"].number_format == PERCENT
    assert clusters["B3"].number_format == "General"
    assert clusters.freeze_panes == "A2"
    assert clusters["A1"].font.bold
    ranges = [str(rng.sqref) for rng in clusters.conditional_formatting]
    assert "D2:D4" in ranges  # leakage
    assert "G2:G4" in ranges  # expected_leakage
    rule = next(
        rule
        for rng in clusters.conditional_formatting
        if str(rng.sqref) == "D2:D4"
        for rule in rng.rules
    )
    assert rule.type == "colorScale"
    # "sentence" is the widest column of the pairs sheet.
    pairs = workbook["pairs"]
    assert pairs["J2"].value == "cluster 0 leaks into cluster 1: 50.0% (1 of 2)"
    assert pairs.column_dimensions["J"].width >= len(pairs["J2"].value)
    assert pairs["H2"].value == pytest.approx(0.0975)
    # Four decimals, or a mantissa and exponent below 0.0001.
    assert pairs["H2"].number_format == PVALUE
    # A p-value that underflows to 0 reads "<1e-300", as on the page, not
    # 0.0E+00, a real zero.
    assert PVALUE.startswith('[=0]"<1e-300";')
    assert format_pvalue(0.0) == "<1e-300"
    probe = workbook["probe"]
    assert probe.freeze_panes == "B2"
    assert [cell.value for cell in probe[3]] == [1, 1, 1, 0]
    grid = workbook["test_grid"]
    assert grid["A1"].value == "detection threshold \\ tolerated share"
    assert grid["B1"].value == pytest.approx(0.01)
    # A setting, with the digits it has: 1.0%, as the cards write 5.0%.
    assert grid["B1"].number_format == TOLERATED
    # Row 4 is threshold 0.05, column D is 5%: P(X >= 3 | 6, 0.05).
    assert grid["A4"].value == pytest.approx(0.05)
    assert grid["A4"].number_format == "0.0##"  # 0.025 would stay 0.025
    assert grid["D4"].value == pytest.approx(upper_tail(3, 6, 0.05))
    totals = workbook["totals"]
    assert totals["D2"].value == pytest.approx(0.5)
    assert totals["D2"].number_format == PERCENT
    samples = workbook["samples"]
    assert samples.max_row == 7
    assert [cell.value for cell in samples[4]] == [2, 1, 0.4, 0.6, 0, True]


def test_to_excel_streams_a_per_row_sheet(tmp_path):
    # The workbook held a cell object per value until it was saved: 42 MB
    # for these 20,000 points, and as much again per 20,000 more (the command
    # line's evaluate writes this sheet for every row of its file). Written
    # row by row, the sheet takes what the table's columns take.
    openpyxl = pytest.importorskip("openpyxl")
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 4, size=20_000)
    proba = rng.dirichlet(np.ones(4), size=20_000)
    report = LeakageReport.from_predictions(labels, proba)
    path = tmp_path / "points.xlsx"
    # The first workbook imports openpyxl's writers: not counted.
    LeakageReport.from_predictions(labels[:100], proba[:100]).to_excel(path)
    tracemalloc.start()
    try:
        report.to_excel(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000  # bytes: 1.5 MB; 42 MB before
    sheet = openpyxl.load_workbook(path, read_only=True)["samples"]
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 20_001
    # The formats are the same as ever: shares as percentages.
    first = next(sheet.iter_rows(min_row=2, max_row=2))
    assert any(cell.number_format.endswith("%") for cell in first)


def test_to_excel_without_samples(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    report = LeakageReport.from_predictions(LABELS6, PROBA6, include_samples=False)
    path = tmp_path / "report.xlsx"
    report.to_excel(path)
    assert "samples" not in openpyxl.load_workbook(path).sheetnames


def test_to_excel_can_leave_out_the_samples_it_has(report6, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "report.xlsx"
    report6.to_excel(path, include_samples=False)
    names = openpyxl.load_workbook(path).sheetnames
    assert "samples" not in names
    assert "clusters" in names
    assert report6.samples is not None  # the report keeps them
    with pytest.raises(TypeError, match="include_samples must be True or False"):
        report6.to_excel(path, include_samples="no")


def test_to_excel_without_openpyxl_names_the_extra(report6, tmp_path, monkeypatch):
    # None in sys.modules makes "import openpyxl" raise ImportError.
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ImportError, match=r'pip install "sklearn-leakage\[excel\]"'):
        report6.to_excel(tmp_path / "report.xlsx")
    assert not (tmp_path / "report.xlsx").exists()


# ------------------------------------------------------------------- HTML
class _TagCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _external_references(tags):
    found = []
    for tag, attrs in tags:
        for name, value in attrs.items():
            if name in {"src", "href", "xlink:href", "action", "data"} and value:
                if not (value.startswith("#") or value.startswith("data:")):
                    found.append((tag, name, value))
    return found


def test_to_html_is_one_self_contained_file(html_page):
    text = html_page.read_text(encoding="utf-8")
    parser = _TagCollector()
    parser.feed(text)
    names = [tag for tag, _ in parser.tags]
    # Leakage matrix, leakage graph and p-value grid, inline.
    assert names.count("svg") == 3
    ids = {attrs.get("id") for tag, attrs in parser.tags if tag == "figure"}
    assert ids == {"leakage-matrix", "leakage-graph", "test-grid"}
    table_classes = [
        attrs.get("class", "") for tag, attrs in parser.tags if tag == "table"
    ]
    for css_class in TABLE_CLASSES:
        assert any(css_class in value.split() for value in table_classes), css_class
    # Nothing is fetched: no script, stylesheet link, external src/href or CSS url.
    assert "script" not in names
    assert "link" not in names
    assert _external_references(parser.tags) == []
    # url(#id) is how SVG refers to its own clip paths; anything else is a fetch.
    assert re.findall(r"url\(\s*['\"]?(?!#)", text) == []
    # Ids are unique across the inline figures, and every reference finds one.
    all_ids = [attrs["id"] for _, attrs in parser.tags if "id" in attrs]
    assert len(all_ids) == len(set(all_ids)) > 100
    references = re.findall(r'(?:href="#|url\(#)([^")]+)', text)
    assert references
    assert set(references) <= set(all_ids)
    assert "@import" not in text
    assert "cluster 2 leaks into cluster 1: 20.0% (10 of 50)" in text


def test_page_names_no_address_but_the_svg_namespaces(html_page):
    # Each inline figure carried matplotlib's RDF metadata: a creator
    # "Matplotlib v3..., https://matplotlib.org/" and Dublin Core terms at
    # http://purl.org/dc/...; a namespace declaration is a name, not a fetch.
    text = html_page.read_text(encoding="utf-8")
    found = re.findall(r'(xmlns(?::\w+)?=")?(https?://[^\s"\'<>]+)', text)
    assert [url for declared, url in found if not declared] == []
    assert {url for _, url in found} == {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    assert "<metadata>" not in text


@needs_chromium
def test_html_dom_in_headless_chromium(html_page, tmp_path):
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            html_page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    parser = _TagCollector()
    parser.feed(result.stdout)
    names = [tag for tag, _ in parser.tags]
    assert names.count("svg") == 3
    table_classes = " ".join(
        attrs.get("class", "") for tag, attrs in parser.tags if tag == "table"
    ).split()
    assert set(TABLE_CLASSES) <= set(table_classes)
    # The browser kept the heatmap's cells (paths) and the tables' rows.
    assert names.count("path") > 50
    assert "cluster 2 leaks into cluster 1: 20.0% (10 of 50)" in result.stdout


@needs_chromium
def test_html_screenshot_in_headless_chromium(html_page, tmp_path):
    import matplotlib.image

    screenshot = tmp_path / "page.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={screenshot}",
            "--window-size=1200,2000",
            html_page.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    assert screenshot.exists()
    pixels = matplotlib.image.imread(screenshot)[..., :3]
    assert pixels.shape[:2] == (2000, 1200)
    assert not np.all(pixels == pixels[0, 0])
    # The SVG heatmaps were drawn: thousands of saturated red pixels (the
    # "Reds" matrix and the red end of the p-value grid), which text never makes.
    red = (pixels[..., 0] > 0.55) & (pixels[..., 1] < 0.25) & (pixels[..., 2] < 0.25)
    assert red.sum() > 2000


# ------------------------------------------------------------ grid display
def test_grid_display_from_predictions(pyplot):
    disp = LeakageTestGridDisplay.from_predictions(
        LABELS6,
        PROBA6,
        detection_thresholds=[0.05, 0.5],
        comparison_values=[0.05, 0.5],
    )
    # Threshold 0.05: rows 0, 2, 5 leak (3 of 6); 0.5: only row 2 (0.6).
    expected = np.array(
        [
            [upper_tail(3, 6, 0.05), upper_tail(3, 6, 0.5)],
            [upper_tail(1, 6, 0.05), upper_tail(1, 6, 0.5)],
        ]
    )
    texts = [[t.get_text() for t in row] for row in disp.text_]
    assert texts == [[format(p, ".2g") for p in row] for row in expected]
    np.testing.assert_allclose(disp.im_.get_array(), expected)
    # 0.0022 < 0.05 is bold; 0.66 is not.
    assert disp.text_[0, 0].get_fontweight() == "bold"
    assert disp.text_[0, 1].get_fontweight() == "normal"
    assert [t.get_text() for t in disp.ax_.get_xticklabels()] == ["5%", "50%"]
    assert [t.get_text() for t in disp.ax_.get_yticklabels()] == ["0.05", "0.5"]
    assert disp.ax_.get_xlabel() == "Tolerated leakage share"
    assert disp.figure_ is disp.ax_.figure


@pytest.mark.parametrize(
    "alternative, title",
    [
        ("greater", "Exact test: total leakage above the tolerated share?"),
        ("less", "Exact test: total leakage below the tolerated share?"),
        ("two-sided", "Exact test: total leakage other than the tolerated share?"),
    ],
)
def test_grid_display_title_follows_the_alternative(pyplot, alternative, title):
    # At threshold 0.5 one of the 6 rows leaks (row 2, 0.6 on cluster 0).
    disp = LeakageTestGridDisplay.from_predictions(
        LABELS6,
        PROBA6,
        alternative=alternative,
        detection_thresholds=[0.5],
        comparison_values=[0.9],
    )
    # With "less", P(X <= 1 | Binomial(6, 0.9)) is small: the data rule out a
    # leakage as high as 90%, and the title asked "below", not "above".
    assert disp.ax_.get_title() == title
    assert disp.alternative == alternative
    expected = binomtest(1, 6, 0.9, alternative=alternative).pvalue
    assert disp.text_[0, 0].get_text() == format(expected, ".2g")


def test_grid_display_reads_the_alternative_the_grid_records(pyplot):
    # Built from the table alone, the display said "above" over a "less" grid.
    grid = leakage_test_grid(LABELS6, PROBA6, alternative="less")
    assert grid.attrs["alternative"] == "less"
    disp = LeakageTestGridDisplay(grid).plot()
    assert disp.ax_.get_title() == (
        "Exact test: total leakage below the tolerated share?"
    )
    plain = pd.DataFrame(grid.to_numpy(), index=grid.index, columns=grid.columns)
    assert LeakageTestGridDisplay(plain).plot().ax_.get_title() == (
        "Exact test: total leakage above the tolerated share?"
    )


def test_grid_display_cells_show_which_side_of_the_level(pyplot):
    # Two digits wrote 0.0496 and 0.0504 both as "0.05", one bold and one
    # not; the default now writes them as the report's page does.
    p_values = pd.DataFrame(
        [[0.0496, 0.0504, 0.012, 3e-6]], index=[0.05], columns=[0.01, 0.02, 0.05, 0.1]
    )
    disp = LeakageTestGridDisplay(p_values).plot()
    texts = [t.get_text() for t in disp.text_.ravel()]
    assert texts == ["0.0496", "0.0504", "0.012", "3.0e-06"]
    assert [t.get_fontweight() for t in disp.text_.ravel()] == [
        "bold",
        "normal",
        "bold",
        "bold",
    ]
    disp = LeakageTestGridDisplay(p_values).plot(values_format=".2g")
    assert [t.get_text() for t in disp.text_.ravel()][:2] == ["0.05", "0.05"]
    # The display's own level is guarded too: 0.0196 and 0.0204 read "0.02".
    near = pd.DataFrame([[0.0196, 0.0204]], index=[0.05], columns=[0.01, 0.02])
    disp = LeakageTestGridDisplay(near).plot(significance_level=0.02)
    assert [t.get_text() for t in disp.text_.ravel()] == ["0.0196", "0.0204"]
    assert [t.get_fontweight() for t in disp.text_.ravel()] == ["bold", "normal"]


def test_grid_display_refuses_an_alternative_the_grid_was_not_computed_for(pyplot):
    grid = leakage_test_grid(LABELS6, PROBA6, alternative="less")
    with pytest.raises(ValueError, match="computed with alternative='less'"):
        LeakageTestGridDisplay(grid, alternative="greater").plot()
    disp = LeakageTestGridDisplay(grid, alternative="less").plot()
    assert disp.ax_.get_title() == (
        "Exact test: total leakage below the tolerated share?"
    )
    grid.attrs["alternative"] = "bigger"
    with pytest.raises(ValueError, match="attrs\\['alternative'\\] is 'bigger'"):
        LeakageTestGridDisplay(grid).plot()


def test_grid_display_refuses_an_unknown_alternative(pyplot, report6):
    with pytest.raises(InvalidParameterError, match="'alternative' parameter"):
        LeakageTestGridDisplay(report6.test_grid, alternative="lesser").plot()


def test_report_settings_given_as_float32():
    # float(np.float32(0.05)) is 0.05000000074505806: the grid had both it and
    # 0.05, and the summary said "94.9999988079% CI". The threshold itself
    # stays as given: the metric functions and LeakageScore compare with it,
    # so a probability of exactly 0.05 does not leak there, nor here.
    labels = np.array([0, 0, 1, 1])
    proba = np.array([[0.95, 0.05], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]])
    threshold = np.float32(0.05)
    report = LeakageReport.from_predictions(
        labels,
        proba,
        detection_threshold=threshold,
        leakage_level=np.float32(0.1),
        confidence_level=np.float32(0.95),
    )
    assert report.totals["total_leakage"].item() == 0.25
    assert total_leakage(labels, proba, detection_threshold=threshold) == 0.25
    assert total_leakage(labels, proba, detection_threshold=0.05) == 0.5
    # The row is computed at the threshold as given and labelled as written.
    assert report.test_grid.index.tolist() == [0.01, 0.02, 0.05, 0.1, 0.2]
    assert report.test_grid.loc[0.05, 0.05] == pytest.approx(upper_tail(1, 4, 0.05))
    assert report.test_grid.columns.tolist() == [0.01, 0.02, 0.05, 0.1, 0.2]
    assert "95% CI" in report.summary()
    assert "detection threshold 0.05" in report.summary()
    assert (report.confidence_level, report.leakage_level) == (0.95, 0.1)


def test_report_grid_labels_a_float16_threshold_once():
    # float16's 0.05 is 0.0499878: the grid had rows 0.0499878 and 0.05.
    report = LeakageReport.from_predictions(
        LABELS6, PROBA6, detection_threshold=np.float16(0.05)
    )
    assert report.test_grid.index.tolist() == [0.01, 0.02, 0.05, 0.1, 0.2]


def test_report_from_estimator_with_a_float32_threshold_matches_it():
    # A 20-neighbour probe gives probabilities in steps of 0.05, some exactly
    # 0.05, which leak at 0.05 but not at float32's 0.0500000007.
    X, _ = make_blobs(n_samples=300, centers=3, cluster_std=2.0, random_state=0)
    est = LeakageScore(
        KMeans(3, n_init=3, random_state=0),
        classifier=KNeighborsClassifier(20),
        detection_threshold=np.float32(0.05),
        random_state=0,
    ).fit(X)
    labels = est.labels_[est.sample_indices_]
    assert total_leakage(labels, est.oof_proba_, detection_threshold=0.05) > (
        est.total_leakage_
    )
    report = LeakageReport.from_estimator(est)
    assert report.totals["total_leakage"].item() == est.total_leakage_


def test_grid_display_from_report_draws_on_the_given_axes(pyplot, report6):
    fig, ax = pyplot.subplots()
    disp = LeakageTestGridDisplay.from_report(report6, ax=ax, colorbar=False)
    assert disp.ax_ is ax
    assert disp.figure_ is fig
    assert len(fig.axes) == 1
    grid = report6.test_grid
    assert disp.text_.shape == grid.shape
    # Values below the 1e-4 floor are clipped for the colours only.
    np.testing.assert_allclose(
        disp.im_.get_array(), np.clip(grid.to_numpy(), 1e-4, 1.0)
    )
    assert disp.text_[0, 0].get_text() == format(grid.iloc[0, 0], ".2g")


@pytest.mark.parametrize("level, weight", [(0.05, "bold"), (0.049, "normal")])
def test_grid_display_bolds_a_p_value_equal_to_the_level(pyplot, level, weight):
    # One of one point leaks: the exact p-value that the share exceeds 0.05
    # is 0.05 itself, which adjust_pvalues' rule (p <= alpha) rejects at 0.05.
    disp = LeakageTestGridDisplay.from_predictions(
        [0],
        [[0.5, 0.5]],
        classes=[0, 1],
        detection_thresholds=[0.05],
        comparison_values=[0.05],
        significance_level=level,
    )
    assert disp.text_[0, 0].get_text() == "0.05"
    assert disp.text_[0, 0].get_fontweight() == weight


def test_grid_display_masks_missing_values(pyplot):
    p_values = pd.DataFrame([[0.5, np.nan]], index=[0.05], columns=[0.01, 0.1])
    disp = LeakageTestGridDisplay(p_values).plot(include_values=True)
    assert disp.text_[0, 1].get_text() == "n/a"
    assert bool(disp.im_.get_array().mask[0, 1])
    disp = LeakageTestGridDisplay(p_values).plot(include_values=False)
    assert disp.text_ is None


def test_grid_display_rejects_bad_input(pyplot):
    with pytest.raises(ValueError, match=r"p_values must lie in \[0, 1\]"):
        LeakageTestGridDisplay(pd.DataFrame([[0.5, 1.5]])).plot()
    with pytest.raises(TypeError, match="from_report needs a LeakageReport, got dict"):
        LeakageTestGridDisplay.from_report({})


# --------------------------------------------------------------- from_search
@pytest.fixture(scope="module")
def blobs_search():
    X, _ = make_blobs(
        n_samples=600, centers=4, cluster_std=0.8, center_box=(-10, 10), random_state=3
    )
    return select_n_clusters(
        X, KMeans(n_init=3, random_state=0), range(1, 8), random_state=0
    )


def test_from_estimator_reads_a_pipeline_and_redirects_a_search(blobs_search, pyplot):
    X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
    pipe = make_pipeline(
        StandardScaler(), LeakageScore(KMeans(3, n_init=3, random_state=0))
    ).fit(X)
    direct = LeakageReport.from_estimator(pipe[-1])
    assert LeakageReport.from_estimator(pipe).totals.equals(direct.totals)
    matrix = LeakageMatrixDisplay.from_estimator(pipe)
    np.testing.assert_array_equal(matrix.leakage_matrix, pipe[-1].leakage_matrix_)
    for build in (LeakageReport.from_estimator, LeakageMatrixDisplay.from_estimator):
        with pytest.raises(TypeError, match=r"pass search\.best_estimator_"):
            build(blobs_search)


def test_a_search_the_rule_did_not_choose_gets_no_verdicts(blobs4, pyplot):
    # refit="leakage" takes the candidate that leaks most; the rule's
    # verdicts and marks would explain a choice this search did not make.
    X, _ = blobs4
    search = GridSearchCV(
        LeakageScore(KMeans(n_init=3, random_state=0), random_state=0),
        {"clusterer__n_clusters": range(1, 6)},
        cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
        scoring=leakage_scorer,
        refit="leakage",
    ).fit(X)
    assert refit_n_clusters(search.cv_results_) == 3 != search.best_index_ == 4
    table = LeakageReport.from_search(search).k_selection
    assert table["verdict"].tolist() == ["not chosen"] * 4 + ["chosen"]
    display = KSelectionDisplay.from_cv_results(search, score_name="reproducibility")
    assert display.level is None
    assert display.not_real is None


def test_from_search_lists_each_candidate_with_the_rules_verdict(blobs_search):
    search = blobs_search
    report = LeakageReport.from_search(search)
    table = report.k_selection
    assert table["n_clusters"].tolist() == list(range(1, 8))
    assert table["n_clusters_found"].tolist() == list(range(1, 8))
    # The verdicts say what refit_n_clusters did: 4 blobs, chosen at k = 4.
    assert refit_n_clusters(search.cv_results_) == search.best_index_ == 3
    assert table.loc[3, "verdict"] == "chosen"
    # Means and standard errors are those of cv_results_ (std / sqrt(4 splits)).
    results = search.cv_results_
    np.testing.assert_allclose(
        table["mean_reproducibility"], results["mean_test_reproducibility"]
    )
    np.testing.assert_allclose(
        table["std_error_reproducibility"], results["std_test_reproducibility"] / 2
    )
    below = table["mean_reproducibility"] - table["std_error_reproducibility"] < 0.8
    # Cutting a blob in two does not reproduce: every k above 4 fails step 1.
    assert table.loc[below, "n_clusters"].tolist() == [5, 6, 7]
    assert set(table.loc[below, "verdict"]) == {
        "does not reproduce: mean - s.e. below 0.8"
    }
    # Merged blobs reproduce and are real; the rule takes the largest.
    assert (
        table.loc[[1, 2], "verdict"].tolist()
        == ["passes; the rule takes the largest that does"] * 2
    )
    assert table.loc[0, "verdict"] == "one cluster: the answer when no larger k passes"
    # The rest of the report is the chosen estimator's.
    direct = LeakageReport.from_estimator(search.best_estimator_)
    pd.testing.assert_frame_equal(report.clusters, direct.clusters)
    assert direct.k_selection is None


def test_from_search_page_and_workbook_open_with_the_choice(blobs_search, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    search = blobs_search
    report = LeakageReport.from_search(search)
    page = tmp_path / "report.html"
    report.to_html(page)
    parser = _TagCollector()
    text = page.read_text(encoding="utf-8")
    parser.feed(text)
    sections = [attrs.get("id") for tag, attrs in parser.tags if tag == "section"]
    assert sections[0] == "number-of-clusters"
    figures = {attrs.get("id") for tag, attrs in parser.tags if tag == "figure"}
    assert "k-selection-plot" in figures
    assert [tag for tag, _ in parser.tags].count("svg") == 4
    assert "Chosen: k = 4. Rule: Largest number of clusters" in text
    # A report without a search has no such section.
    plain = tmp_path / "plain.html"
    LeakageReport.from_estimator(search.best_estimator_).to_html(plain)
    assert 'id="number-of-clusters"' not in plain.read_text(encoding="utf-8")

    path = tmp_path / "report.xlsx"
    report.to_excel(path)
    workbook = openpyxl.load_workbook(path)
    # The choice in words first, as the page writes it, then the candidates.
    assert workbook.sheetnames[:2] == ["notes", "k_selection"]
    assert workbook["notes"]["A2"].value.startswith(
        "Chosen: k = 4. Rule: Largest number of clusters"
    )
    sheet = workbook["k_selection"]
    header = [cell.value for cell in sheet[1]]
    # The sheet is report.k_selection whole: it keeps the names code reads.
    assert header[:2] == ["n_clusters", "n_clusters_found"]
    # The verdict, then the margins the rule compared with 0.
    assert header[-4:] == ["verdict", "step_1_margin", "test_a_margin", "test_b_margin"]
    # Row 5 is k = 4, the chosen one: it passes every test.
    assert sheet["A5"].value == 4
    assert sheet.cell(5, len(header) - 3).value == "chosen"
    assert sheet.cell(5, len(header) - 2).value >= 0
    assert sheet.cell(5, len(header) - 1).value > 0
    assert sheet.cell(5, len(header)).value >= 0
    # Scores with three decimals, as on the page.
    column = header.index("mean_reproducibility") + 1
    assert sheet.cell(5, column).number_format == "0.000"


def test_page_shows_the_test_a_columns_the_clusterer_recorded(tmp_path):
    # Sparse data get no reference, so every k-means dispersion and separation
    # gain is NaN; the page must still show test (a)'s columns (as "n/a"), not
    # the data's held-out leakage, which k-means' test (a) does not read.
    X, _ = make_blobs(n_samples=240, centers=3, n_features=5, random_state=0)
    X = sp.csr_matrix(np.where(X > 0, X, 0.0))
    with pytest.warns(NoReferenceWarning, match="X is sparse"):
        search = select_n_clusters(
            X, KMeans(n_init=3, random_state=0), range(2, 5), random_state=0
        )
    assert np.isnan(search.cv_results_["mean_test_dispersion_gain"]).all()
    page = tmp_path / "sparse.html"
    LeakageReport.from_search(search).to_html(page)
    text = page.read_text(encoding="utf-8")
    table = text[text.index('<table class="dataframe sl-table sl-k-selection">') :]
    header = re.findall(r"<th>([^<]*)</th>", table[: table.index("</thead>")])
    assert header == [
        "k",
        "made",
        "reproducibility",
        "s.e.",
        "(a) dispersion gain",
        "on noise",
        "(a) separation gain",
        "on noise",
        "(b) boundary leakage",
        "on noise",
        "verdict",
    ]


def test_from_search_computes_missing_diagnostics_on_a_copy():
    X = StandardScaler().fit_transform(load_iris().data)
    search = GridSearchCV(
        make_pipeline(
            StandardScaler(),
            LeakageScore(
                KMeans(n_init=3, random_state=0), compute_oof=False, random_state=0
            ),
        ),
        {"leakagescore__clusterer__n_clusters": [1, 2, 3]},
        cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    ).fit(X)
    with pytest.raises(ValueError, match=r"compute_oof=False .* pass X="):
        LeakageReport.from_search(search)
    report = LeakageReport.from_search(search, X)
    chosen = search.best_estimator_[-1]
    # The search is left as it was: no diagnostics, compute_oof still False.
    assert not hasattr(chosen, "oof_proba_")
    assert chosen.get_params()["compute_oof"] is False
    assert report.totals["n_samples"].item() == 150
    assert report.k_selection["n_clusters"].tolist() == [1, 2, 3]
    # The copy's diagnostics are those of a fit with compute_oof=True.
    refitted = clone(chosen).set_params(compute_oof=True)
    refitted.fit(search.best_estimator_[:-1].transform(X))
    np.testing.assert_allclose(
        report.totals["total_leakage"].item(), refitted.total_leakage_
    )
    # Other data would give another report without a word. Fewer or more
    # rows are refused; other values only warn here, since the scaler before
    # the LeakageScore could in principle transform otherwise than at fit.
    for other, phrase in [
        (X[:100], r"shape \(100, 4\) .* the fit saw \(150, 4\)"),
        (np.vstack([X, X]), r"shape \(300, 4\)"),
    ]:
        with pytest.raises(ValueError, match=phrase):
            LeakageReport.from_search(search, other)
    for other in (load_iris().data, X[::-1]):
        with pytest.warns(UserWarning, match="X is not the data the search") as record:
            LeakageReport.from_search(search, other)
        assert record[0].filename == __file__


def test_from_search_refuses_other_data_than_the_fitted():
    # Unscaled rows (the search saw them scaled), reordered or shifted rows.
    raw = load_iris().data
    X = StandardScaler().fit_transform(raw)
    search = GridSearchCV(
        LeakageScore(
            KMeans(n_init=3, random_state=0), compute_oof=False, random_state=0
        ),
        {"clusterer__n_clusters": [1, 2, 3]},
        cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    ).fit(X)
    assert LeakageReport.from_search(search, X).totals["n_samples"].item() == 150
    # A list of rows is the same data; its rows are named by position (a
    # list's index is a method, not row names).
    listed = LeakageReport.from_search(search, X.tolist())
    assert listed.samples["id"].tolist() == list(range(150))
    for other in (raw, X[::-1], X + 1e-3):
        with pytest.raises(ValueError, match="X is not the data the search was"):
            LeakageReport.from_search(search, other)
    # Two rows of different species swapped: the check read 256 evenly spaced
    # rows of larger data and missed rows between them; here every row counts.
    swapped = X.copy()
    swapped[[1, 60]] = swapped[[60, 1]]
    with pytest.raises(ValueError, match="X is not the data the search was"):
        LeakageReport.from_search(search, swapped)
    # A float32 copy differs by rounding only.
    float32 = LeakageReport.from_search(search, X.astype(np.float32))
    assert float32.totals["n_samples"].item() == 150


def test_a_float32_copy_is_the_fitted_data_where_a_projection_cancels():
    # Rounding was compared with each row's projection: a row at right angles
    # to the fixed direction projects to about 0, its float32 copy to 1e-7,
    # and the copy was refused as other data. The tolerance now follows the
    # size of the values projected.
    direction = np.random.RandomState(0).standard_normal(2)
    rng = np.random.RandomState(1)
    X = np.vstack([rng.normal(0, 1, (100, 2)), rng.normal(8, 1, (100, 2))])
    X[5] = np.array([direction[1], -direction[0]]) * 5.123456
    estimator = LeakageScore(
        KMeans(2, n_init=2, random_state=0), compute_oof=False, random_state=0
    ).fit(X)
    estimator._fitted_space(X.astype(np.float32), "the fitted data")
    with pytest.raises(ValueError, match="X is not the fitted data"):
        estimator._fitted_space(X * (1 + 1e-4), "the fitted data")


def test_a_signature_of_an_earlier_form_is_not_compared():
    # An estimator pickled when the signature was (shape, projections) failed
    # to unpack it; like one without a signature, it is not checked.
    X, _ = make_blobs(n_samples=60, centers=2, random_state=0)
    estimator = LeakageScore(
        KMeans(2, n_init=2, random_state=0), compute_oof=False, random_state=0
    ).fit(X)
    estimator._fitted_signature = (X.shape, X[:5] @ np.ones(2))
    estimator._fitted_space(X[::-1], "the fitted data")


def test_the_fitted_rows_are_recognised_in_every_block_of_large_data():
    # 20,000 rows make 4,096 blocks of about 5 rows: a swap of two rows in
    # different blocks, and one inside a block, are both seen, at a bounded
    # size of what the estimator keeps.
    X, _ = make_blobs(n_samples=20_000, centers=3, random_state=0)
    estimator = LeakageScore(
        KMeans(3, n_init=1, random_state=0), compute_oof=False, random_state=0
    ).fit(X)
    assert estimator._fitted_signature[1].shape == (4096,)
    estimator._fitted_space(X, "the fitted data")
    for i, j in ((12_345, 17_001), (10_000, 10_001)):
        swapped = X.copy()
        swapped[[i, j]] = swapped[[j, i]]
        with pytest.raises(ValueError, match="X is not the fitted data"):
            estimator._fitted_space(swapped, "the fitted data")


def test_from_search_takes_the_fitted_data_through_steps_that_round():
    # A randomized PCA's fit_transform (at the search's refit) and transform
    # (here) differ by more than rounding: for the steps before the
    # LeakageScore, other values warn and name that cause, not refuse.
    X = np.random.default_rng(0).normal(size=(300, 20))
    steps = make_pipeline(
        StandardScaler(), PCA(3, svd_solver="randomized", random_state=0)
    )
    assert not np.allclose(steps.fit_transform(X), steps.transform(X), atol=1e-3)
    search = GridSearchCV(
        make_pipeline(
            steps,
            LeakageScore(
                KMeans(n_init=3, random_state=0), compute_oof=False, random_state=0
            ),
        ),
        {"leakagescore__clusterer__n_clusters": [1, 2, 3]},
        cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    ).fit(X)
    with pytest.warns(UserWarning, match="a randomized PCA does"):
        report = LeakageReport.from_search(search, X)
    assert report.totals["n_samples"].item() == 300
    with pytest.raises(ValueError, match=r"shape \(299, 3\)"):
        LeakageReport.from_search(search, X[1:])


def test_from_search_over_two_parameters_plots_the_chosen_ones_slice(tmp_path):
    # A plot of k has one point per k; with the algorithm searched too, the
    # page plots the candidates sharing the chosen one's algorithm, says so,
    # and its table lists all ten with their algorithm.
    X, _ = make_blobs(n_samples=300, centers=4, random_state=0)
    search = GridSearchCV(
        LeakageScore(
            KMeans(n_init=3, random_state=0), compute_oof=False, random_state=0
        ),
        {
            "clusterer__n_clusters": [1, 2, 3, 4, 5],
            "clusterer__algorithm": ["lloyd", "elkan"],
        },
        cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    ).fit(X)
    assert search.best_params_["clusterer__n_clusters"] == 4
    report = LeakageReport.from_search(search, X)
    table = report.k_selection
    assert table["clusterer__algorithm"].tolist() == ["lloyd"] * 5 + ["elkan"] * 5
    assert table["verdict"].tolist().count("chosen") == 1
    report.to_html(tmp_path / "two.html")
    page = (tmp_path / "two.html").read_text()
    assert "plotted: the 5 candidates with the chosen one&#x27;s " in page
    assert "clusterer__algorithm=&#x27;lloyd&#x27;, of 10." in page
    assert page.count("<td>elkan</td>") == 5


def test_the_plotted_slice_knows_nan_and_unset_parameters(tmp_path):
    # The chosen candidate's other parameter is NaN (an imputer's
    # missing_values), which == does not find equal to itself; and a grid
    # given as a list of dicts leaves a parameter unset (masked) for some
    # candidates, whose values in cv_results_ are arbitrary.
    X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
    cv = RepeatedKFold(n_splits=2, n_repeats=2, random_state=0)
    imputed = GridSearchCV(
        LeakageScore(
            make_pipeline(SimpleImputer(), KMeans(n_init=3, random_state=0)),
            random_state=0,
        ),
        {
            "clusterer__kmeans__n_clusters": [2, 3, 4],
            "clusterer__simpleimputer__missing_values": [np.nan, -1.0],
        },
        cv=cv,
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    ).fit(X)
    LeakageReport.from_search(imputed).to_html(tmp_path / "nan.html")
    page = (tmp_path / "nan.html").read_text()
    assert "plotted: the 3 candidates with the chosen one&#x27;s " in page
    unset = GridSearchCV(
        LeakageScore(KMeans(n_init=3, random_state=0), random_state=0),
        [
            {"clusterer__n_clusters": [2], "clusterer__tol": [1e-3]},
            {"clusterer__n_clusters": [2, 3, 4]},
        ],
        cv=cv,
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    ).fit(X)
    assert unset.best_params_ == {"clusterer__n_clusters": 3}
    report = LeakageReport.from_search(unset)
    assert report.k_selection["clusterer__tol"].tolist() == [1e-3, None, None, None]
    report.to_html(tmp_path / "unset.html")
    page = (tmp_path / "unset.html").read_text()
    assert "the 3 candidates with the chosen one&#x27;s clusterer__tol not set" in page


def test_from_search_rejects_what_is_not_a_fitted_leakage_search():
    X, _ = make_blobs(n_samples=60, centers=2, random_state=0)
    with pytest.raises(TypeError, match="needs a fitted GridSearchCV"):
        LeakageReport.from_search(KMeans(2, n_init=1).fit(X))
    search = GridSearchCV(
        KMeans(n_init=1, random_state=0), {"n_clusters": [2, 3]}, cv=2
    ).fit(X)
    with pytest.raises(TypeError, match="not a LeakageScore"):
        LeakageReport.from_search(search)


def test_from_predictions_refuses_a_table_of_labels_and_paths_must_be_names():
    labels = pd.DataFrame({"cluster": [0, 1, 0, 1]})
    proba = np.eye(2)[[0, 1, 0, 1]]
    with pytest.raises(ValueError, match="labels must be 1-dimensional"):
        LeakageReport.from_predictions(labels, proba)
    report = LeakageReport.from_predictions(labels["cluster"], proba)
    with pytest.raises(TypeError, match="to_html takes a file name"):
        report.to_html(3)
    pytest.importorskip("openpyxl")
    buffer = io.BytesIO()
    report.to_excel(buffer)  # a file object is a destination too
    assert buffer.getvalue()[:2] == b"PK"  # a zip archive, as .xlsx files are


def test_report_parameters_are_validated_by_its_own_name():
    labels, proba = [0, 1, 0, 1], np.eye(2)[[0, 1, 0, 1]]
    with pytest.raises(
        InvalidParameterError, match="'confidence_level' parameter of LeakageReport"
    ):
        LeakageReport(labels, proba, confidence_level=2)


@pytest.mark.filterwarnings("error::UserWarning")
def test_one_cluster_report_is_silent():
    report = LeakageReport.from_predictions(np.zeros(20, int), np.ones((20, 1)))
    assert report.summary().startswith("Leakage report: 20 points in 1 cluster,")


def test_from_search_names_rows_by_the_data_frame_index():
    X, _ = make_blobs(n_samples=200, centers=3, random_state=0)
    frame = pd.DataFrame(X, columns=["a", "b"], index=[f"c{i:03d}" for i in range(200)])
    search = select_n_clusters(
        frame, KMeans(n_init=3, random_state=0), range(1, 5), random_state=0
    )
    report = LeakageReport.from_search(search, frame)
    assert report.samples["id"].tolist() == frame.index.tolist()
    # The diagnostics were computed by the search; the frame only names the
    # rows, and a reordered one would name them wrongly.
    with pytest.raises(ValueError, match="not the data the search was fitted on"):
        LeakageReport.from_search(search, frame.iloc[::-1])


def test_a_subsample_is_named_as_one(tmp_path):
    # max_samples=200 of 600 rows: the probe saw a third of the clustered
    # rows, and the report must not read as a report on all 600.
    X, _ = make_blobs(n_samples=600, centers=3, random_state=0)
    est = LeakageScore(
        KMeans(3, n_init=3, random_state=0), max_samples=200, random_state=0
    ).fit(X)
    report = LeakageReport.from_estimator(est)
    note = "from a stratified random subsample of 200 of the 600 rows"
    assert report.totals["n_samples"].item() == 200
    assert note in report.summary().splitlines()[1]
    report.to_html(tmp_path / "report.html")
    assert f"200 points ({note}, max_samples)" in (tmp_path / "report.html").read_text()
    # All rows scored: nothing to say.
    full = LeakageScore(KMeans(3, n_init=3, random_state=0), random_state=0).fit(X)
    assert "subsample" not in LeakageReport.from_estimator(full).summary()


def test_one_cluster_report_says_why_it_looks_perfect(tmp_path):
    labels = np.zeros(20, dtype=int)
    report = LeakageReport.from_predictions(labels, np.ones((20, 1)))
    assert (
        report.summary()
        .splitlines()[4]
        .startswith("With one cluster there is no other cluster to leak into")
    )
    report.to_html(tmp_path / "one.html")
    assert "by definition, not by merit" in (tmp_path / "one.html").read_text()
    assert (
        "by definition" not in LeakageReport.from_predictions(LABELS6, PROBA6).summary()
    )


@pytest.mark.parametrize(
    "value, text",
    [
        (0.0, "0.0%"),
        (0.00037, "0.037%"),
        (0.0000004, "<0.001%"),
        (0.0004, "0.04%"),
        # One decimal would make 0.055% read as 0.1%, twice itself.
        (0.00055, "0.055%"),
        (0.001, "0.1%"),
        (0.123, "12.3%"),
        (np.nan, "n/a"),
        # The mirror: one decimal wrote these as 100.0%, as if nothing missed.
        (1.0, "100.0%"),
        (0.999, "99.9%"),
        (0.9998, "99.98%"),  # 1 of 5000 missed: 100% - 0.02%
        (0.99963, "99.963%"),
        (0.99999, "99.999%"),
        (0.9999996, ">99.999%"),
    ],
)
def test_small_shares_are_not_written_as_none(value, text):
    assert format_percent(value) == text


def test_shares_just_below_one_are_not_written_as_all(tmp_path):
    # 5000 points per cluster, all predicted right but one of cluster 0
    # ([0.3, 0.7]: predicted 1, leaks): accuracy 9999/10000 = 99.99%,
    # recall of cluster 0 4999/5000 = 99.98%. Both read "100.0%".
    labels = np.repeat([0, 1], 5000)
    proba = np.eye(2)[labels]
    proba[0] = [0.3, 0.7]
    report = LeakageReport.from_predictions(labels, proba)
    assert report.totals["probe_accuracy"].item() == pytest.approx(0.9999)
    assert "probe accuracy 99.99%" in report.summary().splitlines()[3]
    report.to_html(tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text()
    clusters = page[page.index('id="clusters"') : page.index('id="pairs"')]
    # Cluster 0's recall and recall without leaking; cluster 1's are 100%.
    assert re.findall(r"<td>(99\.98%|100\.0%)</td>", clusters) == [
        "99.98%",
        "99.98%",
        "100.0%",
        "100.0%",
    ]
    assert '<div class="value">99.99%</div>' in page  # the accuracy card
    openpyxl = pytest.importorskip("openpyxl")
    report.to_excel(tmp_path / "report.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "report.xlsx")["clusters"]
    header = [cell.value for cell in sheet[1]]
    recall = sheet.cell(2, header.index("recall") + 1)
    assert recall.value == pytest.approx(0.9998)
    assert recall.number_format == "0.00%"  # 99.98%, as on the page
    assert sheet.cell(3, header.index("recall") + 1).number_format == PERCENT


@pytest.mark.parametrize(
    "value, number_format",
    [
        (0.5, PERCENT),
        (0.999, PERCENT),
        (1.0, PERCENT),
        (0.9998, "0.00%"),
        (0.99963, "0.000%"),
        (0.9999996, '">99.999%"'),
        # The mirror at 0: three decimals wrote 0.0004% as "0.000%".
        (0.0, PERCENT),
        (4e-6, '"<0.001%"'),
        # Two significant digits below 0.1%, as on the page: three decimals
        # wrote 0.0055% as 0.006%.
        (1e-5, "0.000%"),
        (5.5e-5, "0.0000%"),
        (3.7e-4, "0.000%"),
        (1e-3, PERCENT),
    ],
)
def test_workbook_writes_shares_near_one_as_the_page(value, number_format):
    assert percent_format(value) == number_format


def test_pair_sentences_write_small_shares_as_the_tables_do():
    # 1 of 3000 leaking was "0.0% (1 of 3000)" in the summary, the page and
    # the workbook's sentences, beside 0.033% in the page's table.
    labels = np.r_[np.zeros(3000, int), np.ones(2500, int)]
    proba = np.zeros((5500, 2))
    proba[:3000, 0] = 1
    proba[3000:, 1] = 1
    proba[0] = [0.9, 0.1]
    report = LeakageReport.from_predictions(labels, proba)
    assert "cluster 0 leaks into cluster 1: 0.033% (1 of 3000)" in report.summary()
    assert report.pairs["sentence"].iloc[0] == (
        "cluster 0 leaks into cluster 1: 0.033% (1 of 3000)"
    )


@pytest.mark.parametrize(
    "value, text",
    [
        (0.0, "<1e-300"),
        (1e-320, "<1e-300"),
        (3e-7, "3.0e-07"),
        (0.0123, "0.012"),
        # Two digits wrote both "0.05": the text hid which side of the level
        # each lies on.
        (0.0496, "0.0496"),
        (0.0504, "0.0504"),
        (0.04996, "0.04996"),
        (0.05, "0.05"),
        (0.0098, "0.0098"),
        (0.00996, "0.00996"),
        (0.051, "0.051"),
        # Within 5e-7 of a level six digits still read as the level; a numpy
        # float16 was compared at its own precision and read "0.05".
        (0.04999996, "0.04999996"),
        (0.05000000001, "0.05000000001"),
        (np.float16(0.04999), "0.04999"),
    ],
)
def test_pvalue_zero_is_written_as_a_bound(value, text):
    assert format_pvalue(value) == text


def test_workbook_pvalues_have_the_decimals_of_the_page():
    # Four decimals wrote 0.04996 as "0.0500" in Excel beside "0.04996" on the
    # page; such a cell gets a format with the page's decimals.
    assert pvalue_format(0.04996).endswith(";0.00000")
    assert pvalue_format(0.0496) == PVALUE
    assert pvalue_format(0.3) == PVALUE
    assert pvalue_format(1e-7) == PVALUE


def test_from_predictions_names_rows_by_a_series_index():
    # A shuffled integer index: positions would silently join the wrong rows.
    index = [5, 3, 0, 4, 1, 2]
    labels = pd.Series(LABELS6, index=index)
    report = LeakageReport.from_predictions(labels, PROBA6)
    assert report.samples["id"].tolist() == index
    given = LeakageReport.from_predictions(labels, PROBA6, ids=list("abcdef"))
    assert given.samples["id"].tolist() == list("abcdef")


def page_part(report, tmp_path, start, end):
    """The text of ``report``'s page from ``start`` up to the next ``end``."""
    report.to_html(tmp_path / "page.html")
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    part = page[page.index(start) :]
    return part[: part.index(end)]


def test_the_page_writes_the_grid_axes_in_words_and_one_number_format(
    report6, tmp_path
):
    grid = page_part(report6, tmp_path, 'id="test-grid-table"', "</table>")
    assert "detection threshold" in grid
    assert "tolerated share" in grid
    assert "comparison_value" not in grid
    # Thresholds as the shortest decimal (0.1, not 0.10), shares as percentages.
    assert "<th>0.1</th>" in grid
    assert "<th>5%</th>" in grid
    assert "0.10<" not in grid


def test_the_page_says_what_its_exact_tests_are_about(report6, tmp_path):
    # The page said "exact" with no word on what the p-values cover, while
    # for overlapping labels a 95% interval covered 58% of new samples.
    meta = page_part(report6, tmp_path, '<p class="meta">', "</p>")
    assert "about these points under these fitted probes" in meta
    assert "total_leakage_interval resamples the rows" in meta


#: Headers of the page's and the workbook's tables for ``report6``, in words.
READABLE_HEADERS = {
    "totals": [
        "points scored",
        "clusters",
        "leaking points",
        "total leakage",
        "95% CI, low",
        "95% CI, high",
        "tolerated leakage (test)",
        "p-value (total leakage above tolerated)",
        "expected leakage",
        "probe accuracy (out-of-fold)",
        "noise share",
        "detection threshold",
    ],
    "clusters": [
        "cluster",
        "support",
        "leaking points",
        "leakage",
        "95% CI, low",
        "95% CI, high",
        "expected leakage",
        "recall",
        "recall without leaking",
    ],
    "pairs": [
        "source",
        "target",
        "leakage",
        "leaking points",
        "support",
        "95% CI, low",
        "95% CI, high",
        "p-value (leakage above tolerated)",
        "Holm-adjusted p-value",
        "sentence",
    ],
    "merge_candidates": [
        "cluster a",
        "cluster b",
        "a leaks into b",
        "b leaks into a",
        "symmetric leakage (larger of the two)",
    ],
    "probe_scores": ["cluster", "precision", "recall", "F1", "support"],
    "samples": [
        "id",
        "cluster",
        "own-cluster probability",
        "largest probability on another cluster",
        "most likely other cluster",
        "leaks",
    ],
}
#: CSS class of the page's table for each of them.
HEADER_CLASSES = {
    "totals": "sl-totals",
    "clusters": "sl-clusters",
    "pairs": "sl-pairs",
    "merge_candidates": "sl-merge",
    "probe_scores": "sl-probe-scores",
    "samples": "sl-samples",
}
#: Column names of the report's tables that read as code, not words.
RAW_NAMES = {
    "n_samples",
    "n_clusters",
    "total_leakage",
    "ci_low",
    "ci_high",
    "leakage_level",
    "p_value",
    "p_adjusted",
    "expected_leakage",
    "probe_accuracy",
    "noise_share",
    "detection_threshold",
    "leaky_recall",
    "count",
    "cluster_a",
    "cluster_b",
    "leakage_ab",
    "leakage_ba",
    "symmetric_leakage",
    "f1",
    "own_proba",
    "max_other_proba",
    "most_likely_other",
    "comparison_value",
}


class _HeaderCollector(html.parser.HTMLParser):
    """The text of every ``<th>`` of a page, by the classes of its table."""

    def __init__(self):
        super().__init__()
        self.headers = {}
        self._table = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("class", "")
            self.headers[self._table] = []
        elif tag == "th":
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag == "th":
            self.headers[self._table].append("".join(self._cell).strip())
            self._cell = None


def _page_headers(path) -> dict[str, list[str]]:
    parser = _HeaderCollector()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.headers


def _table_headers(headers, css_class) -> list[str]:
    (found,) = [th for classes, th in headers.items() if css_class in classes.split()]
    return found


def test_page_and_workbook_name_the_columns_in_words(report6, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    report6.to_html(tmp_path / "page.html")
    headers = _page_headers(tmp_path / "page.html")
    report6.to_excel(tmp_path / "book.xlsx")
    book = openpyxl.load_workbook(tmp_path / "book.xlsx")
    for table, expected in READABLE_HEADERS.items():
        assert _table_headers(headers, HEADER_CLASSES[table]) == expected, table
        assert [cell.value for cell in book[table][1]] == expected, table
    # No header of either, matrices included, is a column name of code.
    shown = [th for table in headers.values() for th in table]
    shown += [cell.value for sheet in book for cell in sheet[1]]
    assert not RAW_NAMES & set(shown)
    assert not [th for th in shown if isinstance(th, str) and "_" in th]
    # The tables themselves keep the names code reads.
    assert report6.clusters.columns[4:].tolist() == [
        "ci_low",
        "ci_high",
        "expected_leakage",
        "recall",
        "leaky_recall",
    ]
    assert report6.merge_candidates.columns.tolist() == [
        "cluster_a",
        "cluster_b",
        "leakage_ab",
        "leakage_ba",
        "symmetric_leakage",
    ]
    assert report6.samples.columns.tolist() == [
        "id",
        "cluster",
        "own_proba",
        "max_other_proba",
        "most_likely_other",
        "leaks",
    ]
    # The workbook formats by the column's kind, not by its header's words.
    pairs = book["pairs"]
    assert pairs["F2"].number_format == PERCENT  # 95% CI, low
    assert pairs["I2"].number_format == PVALUE  # adjusted
    assert book["samples"]["C2"].number_format == "0.00##%"  # own-cluster proba
    ranges = [str(rng.sqref) for rng in book["merge_candidates"].conditional_formatting]
    assert ranges == ["C2:C3", "D2:D3", "E2:E3"]


def test_headers_in_words_name_the_confidence_level_and_correction(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    report = LeakageReport.from_predictions(
        LABELS6, PROBA6, confidence_level=0.9, method="bh"
    )
    report.to_html(tmp_path / "page.html")
    report.to_excel(tmp_path / "book.xlsx")
    pairs = _table_headers(_page_headers(tmp_path / "page.html"), "sl-pairs")
    sheet = [
        cell.value
        for cell in openpyxl.load_workbook(tmp_path / "book.xlsx")["pairs"][1]
    ]
    for header in (pairs, sheet):
        assert header[5:9] == [
            "90% CI, low",
            "90% CI, high",
            "p-value (leakage above tolerated)",
            "Benjamini-Hochberg-adjusted p-value",
        ]


# Floats near multiples of 1e-6 (where the scaled product's rounding can
# cross the multiple), their neighbours one ulp away, and any probability.
_near_multiples = st.integers(0, 10**6).flatmap(
    lambda m: st.sampled_from(
        [m / 1e6, np.nextafter(m / 1e6, 0.0), np.nextafter(m / 1e6, 1.0)]
    )
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            _near_multiples,
            st.floats(0, 1),
            st.sampled_from([np.nan, 0.15 - 0.1, 0.1 + 0.2, 0.29]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_cut_probabilities_cuts_each_value_as_cut_probability(values):
    # The column-wide cut takes the Decimal path only near multiples of 1e-6;
    # it must give exactly the per-value cut everywhere.
    frame = pd.DataFrame({"own_proba": values, "label": range(len(values))})
    original = frame.copy()
    cut = cut_probabilities(frame)
    expected = [cut_probability(v) if not np.isnan(v) else v for v in values]
    np.testing.assert_array_equal(cut["own_proba"].to_numpy(), expected)
    pd.testing.assert_series_equal(cut["label"], frame["label"])
    pd.testing.assert_frame_equal(frame, original)


def test_cut_probabilities_on_known_values():
    frame = pd.DataFrame(
        {"max_other_proba": [0.15 - 0.1, 0.29, 0.123456789, 1.0, np.nan, 0.0]},
        index=[5, 3, 9, 1, 0, 2],
    )
    cut = cut_probabilities(frame)["max_other_proba"]
    assert cut.index.tolist() == [5, 3, 9, 1, 0, 2]
    np.testing.assert_array_equal(
        cut.to_numpy(), [0.049999, 0.29, 0.123456, 1.0, np.nan, 0.0]
    )


@pytest.mark.parametrize(
    "level, text",
    [
        (0.95, "95%"),
        (0.9, "90%"),
        (0.975, "97.5%"),
        (0.9999999, "99.99999%"),
        (1e-7, "0.00001%"),
    ],
)
def test_format_level_keeps_the_digits_of_the_level(level, text):
    assert format_level(level) == text


def test_a_level_with_a_decimal_is_written_with_it(tmp_path):
    # 0.995 was written "100% CI" and 0.975 "98% CI" (a whole percent).
    report = LeakageReport.from_predictions(LABELS6, PROBA6, confidence_level=0.995)
    assert "99.5% CI [" in report.summary()
    report.to_html(tmp_path / "page.html")
    pairs = _table_headers(_page_headers(tmp_path / "page.html"), "sl-pairs")
    assert pairs[5:7] == ["99.5% CI, low", "99.5% CI, high"]
    page = (tmp_path / "page.html").read_text()
    assert "99.5% CI [" in page
    assert "100% CI" not in page


def test_grid_labels_never_round_two_values_into_one(pyplot):
    # A tolerated share of 0.1000004 beside the grid's 0.1: %g made both "0.1".
    report = LeakageReport.from_predictions(LABELS6, PROBA6, leakage_level=0.1000004)
    labels = grid_for_reading(report.test_grid).columns.tolist()
    assert len(set(labels)) == len(labels)
    assert {"10%", "10.00004%"} <= set(labels)
    # The plot of the grid on the page wrote both columns "10%" too.
    display = LeakageTestGridDisplay.from_report(report)
    ticks = [t.get_text() for t in display.ax_.get_xticklabels()]
    assert ticks == ["1%", "2%", "5%", "10%", "10.00004%", "20%"]


def test_page_turns_long_column_names_of_the_matrix_upright(
    iris_report, monkeypatch, tmp_path
):
    # Names of 20 to 43 characters under three columns of the page's matrix
    # ran into each other; short ones stay horizontal.
    from sklearn_leakage._report import _html

    rotations = {}
    svg = _html._svg

    def capture(figure, salt):
        ticks = figure.axes[0].get_xticklabels()
        rotations[salt] = [label.get_rotation() for label in ticks]
        return svg(figure, salt)

    monkeypatch.setattr(_html, "_svg", capture)
    names = np.array(
        [
            "setosa (the short-stemmed one)",
            "versicolor (medium)",
            "virginica (the tall variety from Virginia)",
        ]
    )
    y, proba, report = iris_report
    LeakageReport.from_predictions(names[y], proba).to_html(tmp_path / "long.html")
    assert rotations["leakage-matrix"] == [90.0, 90.0, 90.0]
    report.to_html(tmp_path / "short.html")
    assert rotations["leakage-matrix"] == [0.0, 0.0, 0.0]


def test_close_settings_keep_labels_of_their_own(tmp_path, pyplot):
    # A threshold of 0.0101 and a tolerated share of 0.0102 beside the grid's
    # 0.01: the workbook wrote both rows "0.01" and both columns "1.0%", its
    # totals the threshold 0.01, and the summary and the cards "above 1.0%?",
    # the grid's own 1% column.
    report = LeakageReport.from_predictions(
        LABELS6, PROBA6, detection_threshold=0.0101, leakage_level=0.0102
    )
    summary = report.summary().splitlines()
    assert summary[0].endswith("detection threshold 0.0101")
    assert summary[2].startswith("  above 1.02%? ")
    assert summary[-1].startswith("merge candidates (observed leakage above 1.02%,")
    report.to_html(tmp_path / "page.html")
    page = (tmp_path / "page.html").read_text()
    assert '<div class="label">above 1.02%?</div>' in page
    assert (
        "at least 0.0101. Tests: exact binomial against a tolerated leakage of "
        "1.02%," in page
    )
    assert "<th>detection threshold</th><td>0.0101</td>" in page
    assert "<th>tolerated leakage (test)</th><td>1.02%</td>" in page
    grid = LeakageTestGridDisplay.from_report(report)
    assert [t.get_text() for t in grid.ax_.get_xticklabels()][:2] == ["1%", "1.02%"]
    assert [t.get_text() for t in grid.ax_.get_yticklabels()][:2] == ["0.01", "0.0101"]
    openpyxl = pytest.importorskip("openpyxl")
    report.to_excel(tmp_path / "book.xlsx")
    book = openpyxl.load_workbook(tmp_path / "book.xlsx")
    sheet = book["test_grid"]
    # Excel shows 1.0% and 1.02%, 0.01 and 0.0101.
    assert [(c.value, c.number_format) for c in sheet[1][1:3]] == [
        (0.01, "0.0%"),
        (0.0102, "0.00%"),
    ]
    assert [(c.value, c.number_format) for c in sheet["A"][1:3]] == [
        (0.01, "0.0##"),
        (0.0101, "0.0###"),
    ]
    totals = book["totals"]
    cells = {name.value: cell for name, cell in zip(totals[1], totals[2], strict=True)}
    assert cells["detection threshold"].value == 0.0101
    assert cells["detection threshold"].number_format == "0.0###"
    assert cells["tolerated leakage (test)"].value == 0.0102
    assert cells["tolerated leakage (test)"].number_format == "0.00%"


@pytest.mark.parametrize(
    "value, threshold, tolerated",
    [
        (0.05, "0.05", "5.0%"),
        (0.025, "0.025", "2.5%"),
        (0.0101, "0.0101", "1.01%"),
        (0.1000004, "0.1000004", "10.00004%"),
        (1e-7, "0.0000001", "0.00001%"),
        # The report keeps a float32 threshold as given (0.05000000074505806)
        # and labels it as written; a tolerated share, read as written before
        # it gets here, is never rounded.
        (float(np.float32(0.05)), "0.05", "5.0000000745%"),
    ],
)
def test_settings_are_written_with_their_digits(value, threshold, tolerated):
    assert format_threshold(value) == threshold
    assert format_tolerated(value) == tolerated


def test_notes_go_under_the_heading_and_first_in_the_workbook(report6, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    notes = ["data: customers.csv, 6 rows", "clusterer: KMeans <k=3> & co"]
    report6.to_html(tmp_path / "page.html", notes=notes)
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    heading = page.index("<h1>Leakage report</h1>")
    listed = page.index('<ul class="meta sl-notes">')
    assert heading < listed < page.index('<div class="cards">')
    assert "<li>clusterer: KMeans &lt;k=3&gt; &amp; co</li>" in page
    report6.to_excel(tmp_path / "book.xlsx", notes=notes)
    book = openpyxl.load_workbook(tmp_path / "book.xlsx")
    assert book.sheetnames[0] == "notes"
    assert [c.value for c in book["notes"]["A"]] == ["note", *notes]
    # Without notes, neither the list nor the sheet.
    report6.to_html(tmp_path / "plain.html")
    assert 'sl-notes">' not in (tmp_path / "plain.html").read_text(encoding="utf-8")
    report6.to_excel(tmp_path / "plain.xlsx")
    assert "notes" not in openpyxl.load_workbook(tmp_path / "plain.xlsx").sheetnames
    # A generator is written, not used up by the check; a tuple is a list.
    report6.to_excel(tmp_path / "gen.xlsx", notes=(note for note in notes))
    gen = openpyxl.load_workbook(tmp_path / "gen.xlsx")["notes"]
    assert [c.value for c in gen["A"]] == ["note", *notes]
    report6.to_html(tmp_path / "gen.html", notes=(note for note in notes))
    page = (tmp_path / "gen.html").read_text(encoding="utf-8")
    assert "<li>data: customers.csv, 6 rows</li>" in page
    for method, path in ((report6.to_html, "x.html"), (report6.to_excel, "x.xlsx")):
        for bad in ("data: one string", None, 5, ["a", 3]):
            with pytest.raises(TypeError, match=r"notes must be a list \(or tuple\)"):
                method(tmp_path / path, notes=bad)


def test_workbook_text_is_never_a_formula_and_fits_a_cell(report6, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    report6.to_excel(tmp_path / "book.xlsx", notes=["=== provenance ==="])
    cell = openpyxl.load_workbook(tmp_path / "book.xlsx")["notes"]["A2"]
    assert (cell.value, cell.data_type) == ("=== provenance ===", "s")
    with pytest.raises(ValueError, match="Note 2 has 40000 characters, more than"):
        report6.to_excel(tmp_path / "long.xlsx", notes=["short", "y" * 40_000])


def test_report_refuses_frame_columns_named_in_another_order():
    labels = ["a", "a", "b", "b", -1]
    proba = pd.DataFrame(
        [[0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [0.9, 0.1], [0.5, 0.5]],
        columns=["b", "a"],
    )
    # The noise row is dropped first; the clusters a and b are then misnamed.
    with pytest.raises(ValueError, match=r"in the order \['b', 'a'\]"):
        LeakageReport.from_predictions(np.array(labels, dtype=object), proba)
    report = LeakageReport.from_predictions(
        np.array(labels, dtype=object), proba, classes=["b", "a"]
    )
    assert report.clusters["cluster"].tolist() == ["b", "a"]
    # Read with the names, a's points put all on a; one of b's leaks.
    assert report.clusters["leaking"].tolist() == [1, 0]
