"""The sklearn-leakage command line, end to end on files written here.

Each command runs in-process through ``main([...])`` (output read with capsys),
as ``python -m sklearn_leakage`` and as the ``sklearn-leakage`` console script.
"""

import argparse
import gzip
import importlib.util
import re
import shlex
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture

from sklearn_leakage._report._format import cut_probabilities
from sklearn_leakage.cli import GaussianMixtureClusterer, main, parse_n_clusters
from sklearn_leakage.cli._console import UsageError
from sklearn_leakage.cli._data import read_table, refuse_ambiguous_numbers
from sklearn_leakage.cli._output import cluster_table
from sklearn_leakage.cli._parser import build_parser

N_ROWS = 400
CLUSTER_COLUMNS = [
    "cluster",
    "own_proba",
    "max_other_proba",
    "most_likely_other",
    "leaks",
]
#: LeakageScore's and LeakageReport's default detection threshold.
THRESHOLD = 0.05


def blobs():
    """Four blobs whose closest centres are far apart, and their true labels."""
    X, y = make_blobs(
        n_samples=N_ROWS,
        centers=4,
        cluster_std=0.8,
        center_box=(-10, 10),
        random_state=3,
    )
    frame = pd.DataFrame(
        {
            "customer": [f"C{i:04d}" for i in range(N_ROWS)],
            "x": X[:, 0],
            "y": X[:, 1],
            "region": np.where(X[:, 0] > 0, "east", "west"),
            "segment": y,
        }
    )
    return frame, y


@pytest.fixture
def blobs_csv(tmp_path):
    """The blobs as CSV: a string id, two numeric columns, a text column."""
    path = tmp_path / "customers.csv"
    blobs()[0].to_csv(path, index=False)
    return path


def run_module(*args, cwd):
    """``python -m sklearn_leakage ARGS`` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "sklearn_leakage", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def assert_one_line_error(status, err, phrase):
    assert status == 2
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("sklearn-leakage: error: ")
    assert phrase in lines[0]


def chosen_row_k(out):
    """k of the candidates-table row marked as chosen."""
    lines = out.splitlines()
    marked = [line for line in lines if line.endswith("<- chosen")]
    assert len(marked) == 1, out
    k = marked[0].split()[0]
    header = next(line for line in lines if line.strip().startswith("k "))
    column = re.split(r"\s{2,}", header.strip()).index("made")
    # The clusters the candidate made read as a count, here the k asked for.
    assert re.split(r"\s{2,}", marked[0].strip())[column] == k, marked[0]
    return int(k)


#: What the candidates table says of a candidate that step 2 rejects.
STEP_2_NOTES = (
    "not real: not better than uniform noise by over one s.e.",
    "not real: a boundary denser than noise's densest by over one s.e.",
)
#: ... of one that step 1 rejects, and of those that pass but are not chosen.
STEP_1_NOTE = "does not reproduce: mean - s.e. below 0.8"
#: A failed test's note ends in the margin it failed by.
MARGIN = re.compile(r"; margin ([+-]\d\.\d{3})$")
SAME_NOTE = (
    "passes, but made as many clusters as the chosen one, which asked for "
    "fewer or comes first in the search"
)
PASS_NOTES = (
    "one cluster: the answer when no larger k passes",
    "passes; the rule takes the largest that does",
    SAME_NOTE,
)


def step_2_notes(out, margins=None):
    """k -> the note after its row in the candidates table, for noted rows.

    The margin a failed test ends in is cut off, and put in ``margins`` (a
    dict, k -> margin) when given.
    """
    notes = {}
    for line in out.splitlines():
        if line.strip()[:1].isdigit() and line.endswith(")"):
            k, note = int(line.split()[0]), line[line.index("(") + 1 : -1]
            margin = MARGIN.search(note)
            if margin:
                note = note[: margin.start()]
                if margins is not None:
                    margins[k] = float(margin.group(1))
            notes[k] = note
    return notes


def test_select_on_uniform_noise_says_why_a_reproducible_grid_is_not_real(
    tmp_path, capsys
):
    # k-means cuts a square into a 2 x 2 grid the same way on both halves, so
    # k = 4 reproduces; it is no tighter than the same grid on uniform
    # reference data, and the table says so next to it.
    path = tmp_path / "noise.csv"
    noise = np.random.default_rng(0).uniform(size=(600, 2))
    pd.DataFrame(noise, columns=["x", "y"]).to_csv(path, index=False)
    status = main(["select", str(path), "--k", "1:8", "--out", str(tmp_path / "o")])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert chosen_row_k(captured.out) == 1
    row_4 = next(
        line for line in captured.out.splitlines() if line.strip().startswith("4 ")
    )
    assert float(row_4.split()[1]) >= 0.8
    margins = {}
    assert step_2_notes(captured.out, margins)[4] == STEP_2_NOTES[0]
    # The note gives the margin test (a) failed by, as k_selection.csv has it.
    table = pd.read_csv(tmp_path / "o" / "k_selection.csv").set_index("n_clusters")
    assert margins[4] <= 0
    assert margins[4] == pytest.approx(table.loc[4, "test_a_margin"], abs=5e-4)
    # Step 2 does not test one cluster: its metrics are empty there.
    assert np.isnan(table.loc[1, ["mean_dispersion_gain", "test_a_margin"]]).all()
    # The chosen line says why 1 (it said "no reproducible cluster structure"
    # beside a k = 4 that reproduces).
    chosen = next(x for x in captured.out.splitlines() if x.startswith("chosen"))
    assert chosen == "chosen: 1 cluster (k = 4 reproduces but is not real)"
    # Uniform columns have no tails (skewness near 0): no hint about them.
    assert "hint:" not in captured.out


def test_select_without_one_names_its_fallback_in_every_output(tmp_path, capsys):
    # One elongated Gaussian, searched from 2: k = 2 reproduces (a cut across
    # the long axis) but is not real, and nothing else passes, so the rule
    # returns its smallest candidate. Every output must say that it is a
    # fallback, not a partition that passed.
    path = tmp_path / "blob.csv"
    blob = np.random.default_rng(0).normal(size=(600, 2)) * [5, 1]
    pd.DataFrame(blob, columns=["x", "y"]).to_csv(path, index=False)
    out = tmp_path / "o"
    status = main(["select", str(path), "--k", "2:6", "--out", str(out)])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    fallback = "only as the smallest candidate: none passes both steps"
    row_2 = next(
        line for line in captured.out.splitlines() if line.strip().startswith("2 ")
    )
    assert row_2.endswith(f"<- chosen {fallback}")
    assert f"chosen: k = 2, {fallback}" in captured.out
    assert not any(line.endswith("<- chosen") for line in captured.out.splitlines())
    table = pd.read_csv(out / "k_selection.csv")
    assert (
        table.loc[table["n_clusters"] == 2, "verdict"]
        .item()
        .startswith(f"chosen {fallback}")
    )
    page = (out / "report.html").read_text()
    assert f"Chosen: k = 2, {fallback}" in page


def check_cluster_table(table, n_rows):
    assert len(table) == n_rows
    assert list(table.columns[1:]) == CLUSTER_COLUMNS
    assert table["own_proba"].between(0, 1).all()
    assert table["max_other_proba"].between(0, 1).all()
    # Probabilities of a row sum to at most 1 over its own and one other
    # cluster; the CSV cuts them to six decimals, which keeps the sum.
    assert (table["own_proba"] + table["max_other_proba"] <= 1 + 1e-5).all()
    np.testing.assert_array_equal(table["leaks"], table["max_other_proba"] >= THRESHOLD)
    assert (table["most_likely_other"] != table["cluster"]).all()


# ------------------------------------------------------------------- select
def test_select_finds_four_blobs_and_writes_outputs(blobs_csv, tmp_path, capsys):
    before = blobs_csv.read_bytes()
    out = tmp_path / "results"
    status = main(
        [
            "select",
            str(blobs_csv),
            "--k",
            "2:6",
            "--columns",
            "x,y",
            "--id-col",
            "customer",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "chosen: 4 clusters" in captured.out
    assert chosen_row_k(captured.out) == 4
    # Candidates 2..6 in the table, in order.
    ks = [
        int(line.split()[0])
        for line in captured.out.splitlines()
        if line.strip()[:1].isdigit()
    ]
    assert ks[:5] == [2, 3, 4, 5, 6]
    # k-means' test (a) compares two gains with noise's, either may pass.
    header = next(line for line in captured.out.splitlines() if "on noise" in line)
    assert header.split("  ")[-6:] == [
        "(a) dispersion gain",
        "on noise",
        "(a) separation gain",
        "on noise",
        "(b) boundary leakage",
        "on noise",
    ]
    # Progress (how many fits) on stderr only.
    assert "Fitting 4 folds for each of 5 candidates" in captured.err
    assert "Fitting" not in captured.out
    assert blobs_csv.read_bytes() == before

    for name in ["report.html", "report.xlsx", "k_selection.png", "k_selection.svg"]:
        assert (out / name).stat().st_size > 0
        assert str(out / name) in captured.out
    assert (out / "k_selection.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (out / "report.html").read_text(encoding="utf-8")
    sheets = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert len(sheets) > 1

    table = pd.read_csv(out / "clusters.csv")
    assert table.columns[0] == "customer"
    check_cluster_table(table, N_ROWS)
    # Rows in the order of the file, each with its own id.
    assert table["customer"].tolist() == blobs()[0]["customer"].tolist()
    assert adjusted_rand_score(blobs()[1], table["cluster"]) > 0.99
    # On blobs 8 standard deviations apart almost no point leaks.
    assert table["leaks"].mean() < 0.05


def test_ignore_leaves_out_the_columns_named(blobs_csv, tmp_path, capsys, monkeypatch):
    # Leaving out the text columns is the same as naming the numeric ones.
    monkeypatch.chdir(tmp_path)
    common = ["select", str(blobs_csv), "--k", "2:5", "--id-col", "customer"]
    ignored = main([*common, "--ignore", "region,segment", "--out", "ignored"])
    ignored_out = capsys.readouterr().out
    named = main([*common, "--columns", "x,y", "--out", "named"])
    named_out = capsys.readouterr().out
    assert ignored == named == 0
    assert "2 columns (x, y)" in ignored_out
    assert ignored_out.replace("ignored", "named") == named_out
    ignored_table = pd.read_csv("ignored/clusters.csv")
    pd.testing.assert_frame_equal(ignored_table, pd.read_csv("named/clusters.csv"))


def test_select_parquet_by_module_quiet(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "customers.parquet"
    blobs()[0].drop(columns=["region", "segment"]).to_parquet(path)
    before = path.read_bytes()
    out = tmp_path / "results"
    done = run_module(
        "select",
        path,
        "--k",
        "2:6",
        "--id-col",
        "customer",
        "--out",
        out,
        "--quiet",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "chosen: 4 clusters" in done.stdout
    assert chosen_row_k(done.stdout) == 4
    assert path.read_bytes() == before
    table = pd.read_csv(out / "clusters.csv")
    check_cluster_table(table, N_ROWS)


@pytest.mark.parametrize(
    "clusterer, name",
    [
        ("kmeans", "KMeans"),
        ("minibatch-kmeans", "MiniBatchKMeans"),
        # Not the command line's own wrapper, a class no user has heard of.
        ("gmm", "GaussianMixture"),
        ("agglomerative", "AgglomerativeClustering"),
        ("birch", "Birch"),
    ],
)
def test_the_progress_line_names_the_scikit_learn_class(
    clusterer, name, blobs_csv, tmp_path, capsys
):
    argv = ["select", str(blobs_csv), "--k", "1:2", "--columns", "x,y"]
    argv += ["--clusterer", clusterer, "--out", str(tmp_path / "out")]
    assert main(argv) == 0
    assert f"searching 1..2 clusters with {name} on 400 rows" in capsys.readouterr().err


@pytest.mark.parametrize(
    "clusterer", ["kmeans", "minibatch-kmeans", "gmm", "agglomerative", "birch"]
)
def test_each_clusterer_finds_four_blobs(clusterer, blobs_csv, tmp_path, capsys):
    status = main(
        [
            "select",
            str(blobs_csv),
            "--k",
            "3:5",
            "--columns",
            "x,y",
            "--quiet",
            "--clusterer",
            clusterer,
            "--out",
            str(tmp_path / "out"),
        ]
    )
    captured = capsys.readouterr()
    assert status == 0
    assert captured.err == ""
    # The clusters, not k: Birch(n_clusters=5) makes 4 clusters on these blobs.
    table = pd.read_csv(tmp_path / "out" / "clusters.csv")
    assert table["cluster"].nunique() == 4
    assert table.columns[0] == "row"
    assert table["row"].tolist() == list(range(N_ROWS))
    assert adjusted_rand_score(blobs()[1], table["cluster"]) > 0.99
    # Centroid clusterers record the gains of test (a), the others leakage.
    columns = pd.read_csv(tmp_path / "out" / "k_selection.csv").columns
    centroid = clusterer in ("kmeans", "minibatch-kmeans")
    assert ("mean_separation_gain" in columns) == centroid
    assert ("mean_reference_leakage" in columns) != centroid


def test_birch_that_makes_fewer_clusters_is_reported_once(blobs_csv, tmp_path, capsys):
    # Birch's default threshold leaves 4 subclusters on the four blobs, so
    # every candidate from 5 up makes 4; scikit-learn warns once per fit and
    # advises a threshold the command has no option for.
    args = ["select", str(blobs_csv), "--k", "1:7", "--columns", "x,y"]
    args += ["--clusterer", "birch", "--out", str(tmp_path / "out")]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "Decrease the threshold" not in captured.err
    warned = [line for line in captured.err.splitlines() if "fewer clusters" in line]
    assert warned == [
        "sklearn-leakage: warning: Birch made fewer clusters than asked for "
        "k = 5, 6, 7 (its threshold leaves too few subclusters); the 'made' "
        "column shows how many, and the rule counts those"
    ]
    rows = {
        int(line.split()[0]): line
        for line in captured.out.splitlines()
        if line.strip()[:1].isdigit() and "+-" in line
    }
    assert "<- chosen" in rows[4]
    for k in (5, 6, 7):
        assert rows[k].split()[4] == "4"  # the "made" column
        assert rows[k].endswith(f"({SAME_NOTE})")


def test_demo_on_wine(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "wine" in captured.out
    chosen = chosen_row_k(captured.out)
    assert f"the demo chose {chosen} cluster" in captured.out
    # Candidates 1..8, the demo's grid.
    ks = [
        int(line.split()[0])
        for line in captured.out.splitlines()
        if line.strip()[:1].isdigit()
    ]
    assert ks[:8] == list(range(1, 9))
    # A rejected candidate says why in the plot's words; the chosen one is real.
    notes = step_2_notes(captured.out)
    assert chosen not in notes
    assert set(notes.values()) <= {*STEP_2_NOTES, STEP_1_NOTE, *PASS_NOTES}
    for name in ["report.html", "k_selection.png", "clusters.csv"]:
        assert (out / name).stat().st_size > 0
    # k_selection.csv has every metric and the verdict the table shows.
    candidates = pd.read_csv(out / "k_selection.csv", keep_default_na=False)
    assert candidates["n_clusters"].tolist() == list(range(1, 9))
    chosen_rows = candidates.loc[candidates["verdict"] == "chosen", "n_clusters"]
    assert chosen_rows.tolist() == [chosen]
    for row in candidates.itertuples():
        if row.n_clusters != chosen:
            assert notes[row.n_clusters] == row.verdict
    # Step 1 fails exactly where the mean less one standard error is below 0.8:
    # on wine, k = 2 (0.74 +- 0.02) and every k from 4 up.
    below = (
        candidates["mean_reproducibility"] - candidates["std_error_reproducibility"]
        < 0.8
    )
    assert (candidates.loc[below, "verdict"] == STEP_1_NOTE).all()
    assert candidates.loc[below, "n_clusters"].tolist() == [2, 4, 5, 6, 7, 8]
    table = pd.read_csv(out / "clusters.csv")
    assert table.shape[0] == 178
    assert table["cluster"].nunique() == chosen
    # Its rows join those of the wine.csv the demo writes, by the wine id.
    data = pd.read_csv(out / "wine.csv")
    assert table.columns[0] == "wine"
    assert table["wine"].tolist() == data["wine"].tolist() == list(range(1, 179))


class _KMeansFailingAtFour(KMeans):
    """KMeans that cannot fit 4 clusters, like a clusterer hitting its limits."""

    def fit(self, X, y=None, sample_weight=None):
        if self.n_clusters == 4:
            raise ValueError("4 clusters cannot be fitted here")
        return super().fit(X, y, sample_weight)


def test_select_marks_candidates_that_cannot_be_fitted(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(
        "sklearn_leakage.cli._commands.make_clusterer",
        lambda name, random_state: _KMeansFailingAtFour(
            n_init=3, random_state=random_state
        ),
    )
    path = tmp_path / "blobs.csv"
    blobs()[0].to_csv(path, index=False)
    argv = ["select", str(path), "--columns", "x,y", "--out", str(tmp_path / "o")]
    status = main([*argv, "--k", "1:6", "--quiet"])
    captured = capsys.readouterr()
    assert status == 0
    assert captured.err == ""
    row = {line.split()[0]: line for line in captured.out.splitlines() if line}
    assert "failed" in row["4"]
    assert "failed" not in row["3"]
    assert "could not be fitted" in captured.out
    assert (tmp_path / "o" / "k_selection.png").stat().st_size > 0

    # With 4 as the only candidate nothing can be chosen: a usage error.
    status = main([*argv, "--k", "4:4", "--quiet"])
    assert_one_line_error(status, capsys.readouterr().err, "could be fitted")


class _KMeansOutOfMemory(KMeans):
    """KMeans that runs out of memory, as Ward's clustering of many rows does."""

    def fit(self, X, y=None, sample_weight=None):
        raise MemoryError("Unable to allocate 931. GiB for an array")


def test_select_says_when_the_clusterer_ran_out_of_memory(
    tmp_path, capsys, monkeypatch
):
    # Every fit failed for lack of memory, and the command advised "try fewer
    # clusters", which would not help.
    monkeypatch.setattr(
        "sklearn_leakage.cli._commands.make_clusterer",
        lambda name, random_state: _KMeansOutOfMemory(n_init=3),
    )
    path = tmp_path / "blobs.csv"
    blobs()[0].to_csv(path, index=False)
    argv = ["select", str(path), "--columns", "x,y", "--k", "1:3", "--quiet"]
    status = main([*argv, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert_one_line_error(status, err, "ran out of memory on 400 rows")
    assert "try fewer clusters" not in err
    # A k-means is not told to use k-means; Ward's clustering is.
    assert "KMeansOutOfMemory ran out of memory on 400 rows; use fewer rows" in err
    main([*argv, "--clusterer", "minibatch-kmeans", "--out", str(tmp_path / "m")])
    err = capsys.readouterr().err
    assert err.rstrip().endswith("ran out of memory on 400 rows; use fewer rows")
    main([*argv, "--clusterer", "agglomerative", "--out", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert "grows with the square of the rows" in err
    assert "use --clusterer kmeans or minibatch-kmeans, or fewer rows" in err


def test_select_says_when_a_worker_process_died(tmp_path, capsys, monkeypatch):
    # A worker killed for lack of memory surfaced as joblib's traceback.
    from concurrent.futures.process import BrokenProcessPool

    def killed(*args, **kwargs):
        raise BrokenProcessPool("A worker process managed by the executor died")

    monkeypatch.setattr("sklearn_leakage.cli._commands.select_n_clusters", killed)
    path = tmp_path / "blobs.csv"
    blobs()[0].to_csv(path, index=False)
    argv = ["select", str(path), "--columns", "x,y", "--n-jobs", "2", "--quiet"]
    status = main([*argv, "--out", str(tmp_path / "o")])
    assert_one_line_error(
        status,
        capsys.readouterr().err,
        "a worker process of --n-jobs 2 died while searching 400 rows",
    )


def test_select_fits_its_default_candidates_to_the_rows(tmp_path, capsys):
    # The default --k stops at n / 20 (at least 2, at most 10), where each half
    # still holds 10 rows per cluster; a --k beyond it is run, with a warning,
    # and scikit-learn's suspicion of a regression target on tiny halves is
    # not passed on.
    rng = np.random.default_rng(0)
    path = tmp_path / "small.csv"
    pd.DataFrame(rng.normal(size=(64, 2)), columns=["x", "y"]).to_csv(path, index=False)
    argv = ["select", str(path), "--out", str(tmp_path / "o")]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "searching 1..3 clusters" in captured.err
    assert "warning: --k" not in captured.err
    # 20 clusters on halves of 32 rows: scikit-learn would suspect a
    # regression target in the probes' labels (more classes than half the rows).
    assert main([*argv, "--k", "1:20"]) == 0
    captured = capsys.readouterr()
    assert "warning: --k goes up to 20, but with 64 rows" in captured.err
    assert "beyond k = 3 (n / 20)" in captured.err
    assert "unique classes" not in captured.err


def test_scale_power_finds_two_groups_of_skewed_measurements(tmp_path, capsys):
    # Two groups of log-normal measurements (Gaussian in the logarithm, 3 sd
    # apart): standardized, k-means cuts off the same tail on each half, a
    # partition that reproduces but is no tighter than noise in the box the
    # tail stretches; made symmetric first, the two groups are found.
    rng = np.random.default_rng(0)
    logs = np.r_[rng.normal(0, 1, (150, 2)), rng.normal(3, 1, (150, 2))]
    path = tmp_path / "skewed.csv"
    pd.DataFrame(np.exp(logs), columns=["a", "b"]).to_csv(path, index=False)
    answers, outs = {}, {}
    for scale in ("standard", "power"):
        argv = ["select", str(path), "--k", "1:8", "--scale", scale]
        assert main([*argv, "--out", str(tmp_path / scale)]) == 0
        outs[scale] = capsys.readouterr().out
        answers[scale] = chosen_row_k(outs[scale])
    assert answers == {"standard": 1, "power": 2}
    assert "power-transformed (Yeo-Johnson) and standardized" in outs["power"]
    # Beside the answer 1, the long tails are named, with the remedy.
    lines = outs["standard"].splitlines()
    hint = lines[
        lines.index("chosen: 1 cluster (k = 2 reproduces but is not real)") + 1
    ]
    assert hint.startswith(
        "hint: 2 columns are highly skewed (skewness b 3.06, a 2.57; beyond 1"
    )
    assert hint.endswith("KMeans may be splitting off their tails: try --scale power.")
    assert "hint:" not in outs["power"]


def test_the_skewness_hint_leaves_out_constant_and_indicator_columns(tmp_path, capsys):
    # A constant column has no skewness (scipy warned of precision loss on
    # stderr, even under --quiet), and a two-valued column with few of one
    # value is skewed without a tail any transform could fold in. Unscaled,
    # the tiny flag does not split the rows, and the answer is 1.
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "amount": np.exp(rng.normal(0, 1, 200)),
            "level": rng.uniform(size=200),
            "constant": np.full(200, 5.0),
            "flag": (rng.uniform(size=200) < 0.1) * 0.001,
        }
    )
    path = tmp_path / "mixed.csv"
    frame.to_csv(path, index=False)
    argv = ["select", str(path), "--k", "1:3", "--quiet", "--scale", "none"]
    argv += ["--out", str(tmp_path / "o")]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    hint = next(x for x in captured.out.splitlines() if x.startswith("hint:"))
    assert hint.startswith("hint: 1 column is highly skewed (skewness amount 1.69;")
    assert "If it is skewed by nature" in hint
    assert "KMeans may be splitting off its tail" in hint


def test_scale_power_names_the_columns_it_overflows_on(tmp_path, capsys):
    rng = np.random.default_rng(0)
    path = tmp_path / "huge.csv"
    frame = pd.DataFrame({"mass": 1e300 * np.exp(rng.normal(size=50))})
    frame["size"] = rng.normal(size=50)
    frame.to_csv(path, index=False)
    status = main(["select", str(path), "--scale", "power", "--out", str(tmp_path)])
    assert_one_line_error(
        status, capsys.readouterr().err, "--scale power overflowed on mass:"
    )


def test_select_says_when_the_answer_is_a_close_call(tmp_path, capsys, monkeypatch):
    # A close call is said on the result's own line, in the command's words,
    # and the library's CloseCallWarning is not repeated on stderr.
    path = tmp_path / "blobs.csv"
    blobs()[0].to_csv(path, index=False)
    argv = ["select", str(path), "--columns", "x,y", "--k", "1:6"]
    assert main([*argv, "--out", str(tmp_path / "a")]) == 0
    assert "close call" not in capsys.readouterr().out
    # The console, the page and the workbook read the report's one close call.
    monkeypatch.setattr(
        "sklearn_leakage._report._k_selection.close_call",
        lambda cv_results: {1.0: 4.0, 0.0: 5.0, 2.0: 4.0},
    )
    # The rule itself warns too (the library's CloseCallWarning), which the
    # command line must not repeat on stderr.
    monkeypatch.setattr(
        "sklearn_leakage._selection.close_call",
        lambda cv_results: {1.0: 4.0, 0.0: 5.0, 2.0: 4.0},
    )
    assert main([*argv, "--out", str(tmp_path / "b")]) == 0
    captured = capsys.readouterr()
    line = next(x for x in captured.out.splitlines() if x.startswith("close call"))
    assert "with margins of 0 it would be 5" in line
    assert "--random-state 1 and 2" in line
    assert "close call" not in captured.err
    page = (tmp_path / "b" / "report.html").read_text(encoding="utf-8")
    assert "Close call: The answer, 4 clusters, is a close call" in page
    # The workbook says it too, in its notes, after the command's own notes
    # (it said nothing of it before).
    if importlib.util.find_spec("openpyxl") is not None:
        import openpyxl

        book = openpyxl.load_workbook(tmp_path / "b" / "report.xlsx")
        notes = [row[0].value for row in book["notes"].iter_rows(min_row=2)]
        assert notes[-1].startswith("Chosen: k = 4. Rule: ")
        assert "Close call: The answer, 4 clusters, is a close call" in notes[-1]
    # Another seed is advised than the one the run used.
    assert main([*argv, "--random-state", "4", "--out", str(tmp_path / "c")]) == 0
    line = next(
        x for x in capsys.readouterr().out.splitlines() if x.startswith("close call")
    )
    assert "--random-state 5 and 6" in line


# ----------------------------------------------------------------- evaluate
def test_evaluate_drops_rows_with_missing_values(tmp_path, capsys):
    frame, _ = blobs()
    frame["segment"] = frame["segment"].map({0: 10, 1: 11, 2: 12, 3: 13})
    frame.loc[[3, 50], "x"] = np.nan
    frame.loc[7, "segment"] = np.nan  # the labels column turns into floats
    path = tmp_path / "segments.csv"
    frame.to_csv(path, index=False)
    before = path.read_bytes()
    out = tmp_path / "out"
    status = main(
        [
            "evaluate",
            str(path),
            "--labels-col",
            "segment",
            "--columns",
            "x,y",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert status == 0
    assert "dropped 3 of 400 rows with missing values" in captured.err
    assert "Leakage report: 397 points in 4 clusters" in captured.out
    assert path.read_bytes() == before
    assert not (out / "k_selection.png").exists()
    assert (out / "report.html").exists()

    table = pd.read_csv(out / "clusters.csv")
    # Every row of the file (0 = first data row); the dropped ones are empty
    # but for the label the file gives (rows 3 and 50; row 7 has none).
    np.testing.assert_array_equal(table["row"], np.arange(N_ROWS))
    assert table.loc[[3, 7, 50]].drop(columns=["row", "cluster"]).isna().all().all()
    labels = frame.loc[[3, 50], "segment"].astype(int).tolist()
    assert table.loc[[3, 50], "cluster"].tolist() == labels
    assert pd.isna(table.loc[7, "cluster"])
    kept = np.setdiff1d(np.arange(N_ROWS), [3, 7, 50])
    check_cluster_table(table.loc[kept], 397)
    # Labels come back as the integers of the file, not 10.0.
    written = pd.read_csv(out / "clusters.csv", dtype=str)["cluster"].iloc[kept]
    assert (
        written.tolist() == frame["segment"].iloc[kept].astype(int).astype(str).tolist()
    )


def test_evaluate_by_console_script(tmp_path):
    script = shutil.which("sklearn-leakage")
    if script is None:
        pytest.skip("the sklearn-leakage console script is not on PATH")
    frame, _ = blobs()
    frame["segment"] = np.array(["north", "south", "east", "west"])[frame["segment"]]
    path = tmp_path / "named.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out"
    done = subprocess.run(
        [
            script,
            "evaluate",
            str(path),
            "--labels-col",
            "segment",
            "--id-col",
            "customer",
            "--columns",
            "x,y",
            "--out",
            str(out),
            "-q",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    table = pd.read_csv(out / "clusters.csv")
    check_cluster_table(table, N_ROWS)
    assert table["cluster"].tolist() == frame["segment"].tolist()
    assert table["customer"].tolist() == frame["customer"].tolist()


def test_excel_skipped_without_openpyxl(blobs_csv, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    out = tmp_path / "out"
    status = main(
        [
            "evaluate",
            str(blobs_csv),
            "--labels-col",
            "segment",
            "--columns",
            "x,y",
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert status == 0
    assert 'pip install "sklearn-leakage[excel]"' in captured.err
    assert not (out / "report.xlsx").exists()
    assert (out / "report.html").exists()


# ------------------------------------------------------------------- errors
def write_small(tmp_path):
    path = tmp_path / "small.csv"
    blobs()[0].head(8).to_csv(path, index=False)
    return "small.csv"


def write_missing(tmp_path):
    frame, _ = blobs()
    frame.loc[[1, 2], "y"] = np.nan
    frame.to_csv(tmp_path / "holes.csv", index=False)
    return "holes.csv"


def write_fake_parquet(tmp_path):
    (tmp_path / "fake.parquet").write_text("x,y\n1,2\n")
    return "fake.parquet"


def write_quoted_decimal_commas(tmp_path):
    # Commas between fields and, quoted, inside the numbers.
    frame = blobs()[0][["x", "y"]]
    frame.to_csv(tmp_path / "quoted.csv", index=False, decimal=",")
    return "quoted.csv"


def write_extra_fields(tmp_path):
    # Decimal commas in a comma-separated file, unquoted: each row has one
    # field more than the header, which pandas would make an index of.
    (tmp_path / "extra.csv").write_text("x\n" + "".join(f"{i},5\n" for i in range(12)))
    return "extra.csv"


def write_two_decimal_marks(tmp_path):
    # A spreadsheet's semicolon file with one column pasted from elsewhere.
    frame = blobs()[0][["x", "y"]].round(2)
    lines = [f"{x};{str(y).replace('.', ',')}" for x, y in frame.to_numpy()]
    (tmp_path / "marks.csv").write_text("x;y\n" + "\n".join(lines) + "\n")
    return "marks.csv"


def write_thousands(tmp_path):
    # English thousands separators between semicolons: "1,000" is 1000, or
    # 1.0 with a decimal comma, and read that way the column shrinks 1000 times.
    rows = "".join(f"{1000 + 7 * i:,};{i}\n" for i in range(12))
    (tmp_path / "thousands.csv").write_text("x;y\n" + rows)
    return "thousands.csv"


def write_thousands_and_points(tmp_path):
    # 990.0, 997.5, "1,005.0", ...: separators beside a decimal point, which
    # no decimal comma reading makes numbers of.
    rows = "".join(f"{990 + 7.5 * i:,.1f};{i}\n" for i in range(12))
    (tmp_path / "points.csv").write_text("x;y\n" + rows)
    return "points.csv"


def write_quoted(tmp_path, values):
    rows = "".join(f'"{values[i % 2]}",{i}\n' for i in range(12))
    (tmp_path / "quoted.csv").write_text("x,y\n" + rows)
    return "quoted.csv"


def write_quoted_thousands(tmp_path):
    # Quoted between commas. "1,234" alone may be either; "12,345,678" cannot
    # be a decimal comma, and the error names it though row 0 comes first.
    return write_quoted(tmp_path, ["1,234", "12,345,678"])


def write_quoted_thousands_or_decimals(tmp_path):
    return write_quoted(tmp_path, ["1,234", "5,678"])


def write_semicolons(tmp_path):
    # A spreadsheet's semicolon file with decimal commas, full precision.
    blobs()[0].to_csv(tmp_path / "semi.csv", index=False, sep=";", decimal=",")
    return "semi.csv"


def write_header_only(tmp_path):
    (tmp_path / "header.csv").write_text("x,y\n")
    return "header.csv"


def write_one_segment(tmp_path):
    frame, _ = blobs()
    frame["segment"] = 5
    frame.to_csv(tmp_path / "one.csv", index=False)
    return "one.csv"


def write_latin1(tmp_path):
    # What older Excel versions save as "CSV": the Windows code page.
    blobs()[0].rename(columns={"x": "dur\u00e9e"}).to_csv(
        tmp_path / "latin1.csv", index=False, encoding="latin-1"
    )
    return "latin1.csv"


def write_xls(tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    return "old.xls"


def write_fake_xlsx(tmp_path):
    # A CSV renamed .xlsx: not the zip archive a workbook is.
    blobs()[0].to_csv(tmp_path / "fake.xlsx", index=False)
    return "fake.xlsx"


def write_json(tmp_path):
    blobs()[0].to_json(tmp_path / "data.json")
    return "data.json"


SELECT = ["select", "{data}", "--out", "{out}"]
EVALUATE = ["evaluate", "{data}", "--labels-col", "segment", "--out", "{out}"]
ERROR_CASES = {
    "missing file": (None, ["select", "nowhere.csv", "--out", "{out}"], "not found"),
    "unknown column": (
        None,
        [*SELECT, "--columns", "x,income"],
        "column 'income' not found",
    ),
    "unknown id column": (
        None,
        [*SELECT, "--columns", "x,y", "--id-col", "name"],
        "column 'name' not found",
    ),
    "chosen column not numeric": (
        None,
        [*SELECT, "--columns", "x,region"],
        "column 'region' is not numeric",
    ),
    "text columns without --columns": (
        None,
        [*SELECT, "--id-col", "customer"],
        "non-numeric column 'region'",
    ),
    "--ignore names split by a space": (
        None,
        [*SELECT, "--ignore", "customer", "segment"],
        "unrecognized arguments: segment: the names of --ignore are one argument, "
        "joined by commas",
    ),
    "a text column left in by --ignore": (
        None,
        [*SELECT, "--id-col", "customer", "--ignore", "segment"],
        "leave it out with --ignore",
    ),
    "unknown column to ignore": (
        None,
        [*SELECT, "--ignore", "income"],
        "column 'income' not found",
    ),
    "--ignore with --columns": (
        None,
        [*SELECT, "--columns", "x,y", "--ignore", "region"],
        "--ignore: not allowed with argument --columns",
    ),
    "missing values with --missing error": (
        write_missing,
        [*SELECT, "--columns", "x,y", "--missing", "error"],
        "2 of 400 rows have missing values",
    ),
    "too few rows": (write_small, [*SELECT, "--columns", "x,y"], "at least 10"),
    "k range backwards": (None, [*SELECT, "--k", "5:2"], "ends before it starts"),
    "k range not numbers": (None, [*SELECT, "--k", "a:b"], "is not a range"),
    "k range from 0": (None, [*SELECT, "--k", "0:3"], "smallest number of clusters"),
    "k above half the rows": (
        None,
        [*SELECT, "--columns", "x,y", "--k", "2:201"],
        "use at most 200",
    ),
    "file type": (write_json, SELECT, "unknown file type '.json'"),
    "old Excel file": (write_xls, SELECT, "save the sheet as .xlsx or CSV"),
    "not UTF-8": (write_latin1, SELECT, "save it again as 'CSV UTF-8'"),
    "not a workbook": (write_fake_xlsx, SELECT, "it is not an Excel workbook"),
    "not parquet inside": (write_fake_parquet, SELECT, "cannot read"),
    "labels column among features": (
        None,
        [*EVALUATE, "--columns", "x,y,segment"],
        "'segment' is the labels column",
    ),
    "a header without rows": (write_header_only, SELECT, "has a header but no data"),
    "one cluster to evaluate": (
        write_one_segment,
        [*EVALUATE, "--columns", "x,y"],
        "at least 2 are needed",
    ),
    "output over the input": (
        None,
        ["select", "{data}", "--columns", "x,y", "--out", "."],
        "would overwrite the data file",
    ),
    "unknown clusterer": (None, [*SELECT, "--clusterer", "dbscan"], "invalid choice"),
    "zero processes": (None, [*SELECT, "--n-jobs", "0"], "not a number of processes"),
    "negative seed": (None, [*SELECT, "--random-state", "-3"], "is not a seed"),
    "decimal commas between commas": (
        write_quoted_decimal_commas,
        [*SELECT, "--columns", "x,y"],
        "a decimal comma: use '.' for decimals",
    ),
    "more fields than the header": (
        write_extra_fields,
        SELECT,
        "its rows have more fields than its header",
    ),
    "two decimal marks": (
        write_two_decimal_marks,
        [*SELECT, "--columns", "x,y"],
        "writes its decimals with '.'",
    ),
    "one resample": (
        None,
        [*EVALUATE, "--bootstrap", "1"],
        "is not a number of resamples",
    ),
    "commas that may separate thousands": (
        write_thousands,
        SELECT,
        "cannot tell how thousands.csv writes its numbers: column 'x' holds "
        "'1,000' in row 0, 1000 with a thousands separator or 1.000 with a decimal "
        "comma; pass --decimal , if its commas are decimal marks, or remove the "
        "thousands separators",
    ),
    "thousands separators beside decimal points": (
        write_thousands_and_points,
        [*SELECT, "--columns", "x,y"],
        "'x' holds '1,005.0' in row 2, a number with thousands separators: remove "
        "them from the file",
    ),
    "quoted thousands separators": (
        write_quoted_thousands,
        [*SELECT, "--columns", "x,y"],
        "'x' holds '12,345,678' in row 1, a number with thousands separators",
    ),
    "quoted thousands separators or decimal commas": (
        write_quoted_thousands_or_decimals,
        [*SELECT, "--columns", "x,y"],
        "'x' holds '1,234' in row 0, a thousands separator or a decimal comma: "
        "remove the thousands separators from the file; if the commas are decimal "
        "marks, use '.' for decimals",
    ),
    "--sep and --decimal both commas": (
        None,
        [*SELECT, "--sep", "comma", "--decimal", ","],
        "--sep , and --decimal , name the same character",
    ),
    "--sep a point": (None, [*SELECT, "--sep", "."], "--sep . is also the decimal"),
    "--sep of two characters": (
        None,
        [*SELECT, "--sep", ";;"],
        "';;' is not a separator; use one character",
    ),
    "--sep a letter": (None, [*SELECT, "--sep", "x"], "'x' is not a separator"),
    "--decimal neither mark": (
        None,
        [*SELECT, "--decimal", ";"],
        "argument --decimal: invalid choice: ';'",
    ),
    "--decimal , between commas": (
        None,
        [*SELECT, "--decimal", ","],
        "is read as separated by commas (its header shows no other separator); "
        "pass --sep too",
    ),
    "--sep for Parquet": (
        write_fake_parquet,
        [*SELECT, "--sep", ";"],
        "--sep applies to delimited text files (.csv, .tsv, .txt, .tab) only; "
        "fake.parquet is Parquet",
    ),
    "--sep and --decimal for a workbook": (
        write_fake_xlsx,
        [*SELECT, "--sep", "tab", "--decimal", "."],
        "--sep and --decimal apply to delimited text files (.csv, .tsv, .txt, "
        ".tab) only; fake.xlsx is an Excel workbook",
    ),
    # The options replace the guess, right or wrong.
    "semicolons read with --sep comma": (
        write_semicolons,
        [*SELECT, "--sep", "comma"],
        "its rows have more fields than its header",
    ),
    "decimal commas read with --decimal .": (
        write_semicolons,
        [*SELECT, "--columns", "x,y", "--decimal", "."],
        "a decimal comma: pass --decimal ,",
    ),
    "decimal points read with --decimal ,": (
        write_two_decimal_marks,
        [*SELECT, "--columns", "x,y", "--decimal", ","],
        "writes its decimals with '.' ('1.67') but --decimal , was given",
    ),
    "no command": (None, [], "choose a command"),
}


def error_argv(case, tmp_path):
    writer, argv, phrase = ERROR_CASES[case]
    data = writer(tmp_path) if writer else "clusters.csv"
    if writer is None:
        # Named like an output so that "output over the input" is caught.
        blobs()[0].to_csv(tmp_path / data, index=False)
    out = str(tmp_path / "out")
    return [arg.format(data=data, out=out) for arg in argv], phrase


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_user_error_is_one_line(case, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv, phrase = error_argv(case, tmp_path)
    files = {p: p.read_bytes() for p in tmp_path.iterdir()}
    status = main(argv)
    captured = capsys.readouterr()
    assert_one_line_error(status, captured.err, phrase)
    assert captured.out == ""
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == files


@pytest.mark.parametrize("case", ["missing file", "k range backwards", "file type"])
def test_user_error_by_module(case, tmp_path):
    argv, phrase = error_argv(case, tmp_path)
    done = run_module(*argv, cwd=tmp_path)
    assert_one_line_error(done.returncode, done.stderr, phrase)
    assert done.stdout == ""


def test_parquet_without_pyarrow(tmp_path, capsys, monkeypatch):
    pytest.importorskip("pyarrow")
    path = tmp_path / "data.parquet"
    blobs()[0].to_parquet(path)
    for name in ("pyarrow", "fastparquet"):
        monkeypatch.setitem(sys.modules, name, None)
    status = main(["select", str(path), "--out", str(tmp_path / "out")])
    assert_one_line_error(
        status, capsys.readouterr().err, 'pip install "sklearn-leakage[parquet]"'
    )


@pytest.mark.parametrize(
    "extra, hinted",
    [
        (["--ignore", "region", "segment"], "--ignore"),
        (["--ignore=region", "segment"], "--ignore"),
        (["--ign", "region", "segment"], "--ignore"),  # argparse's abbreviation
        (["--columns", "x", "y"], "--columns"),
        # The stray argument is not a column name after the list.
        (["--ignore", "region", "--bogus"], None),
        (["--ignore", "region", "--k", "2", "3"], None),
    ],
)
def test_list_hint_only_for_a_list_split_by_a_space(extra, hinted, tmp_path, capsys):
    status = main(["select", "d.csv", "--out", str(tmp_path), *extra])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("sklearn-leakage: error: unrecognized arguments: ")
    if hinted is None:
        assert "joined by commas" not in err
    else:
        assert f"the names of {hinted} are one argument, joined by commas" in err
        assert f"(e.g. {hinted} a,b)" in err


def test_list_hint_when_the_split_list_comes_before_the_data_file(tmp_path, capsys):
    # "segment" is taken for the data file and the real one is unrecognized.
    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,2\n")
    out = ["--out", str(tmp_path / "out")]
    status = main(["select", *out, "--ignore", "region", "segment", str(data)])
    err = capsys.readouterr().err
    assert status == 2
    assert f"unrecognized arguments: {data}: the names of --ignore are one" in err
    # A data file (whether or not it exists), then a stray word: no list was
    # split.
    for path in (str(data), "missing.csv"):
        status = main(["select", *out, "--ignore", "region", path, "extra"])
        err = capsys.readouterr().err
        assert status == 2
        assert "joined by commas" not in err


def _decimal_commas(value: float) -> str:
    return f"{value:.3f}".replace(".", ",")


def test_ids_and_labels_that_may_hold_thousands_stay_as_written(tmp_path, capsys):
    # Features written with decimal commas make the file be read so; an id
    # "1,001" must not become 1.001, nor labels "1" and "1,000" one cluster.
    rng = np.random.default_rng(0)
    side = np.arange(60) % 2
    a, b = rng.normal(3 * side, 0.3), rng.normal(3 * side, 0.3)
    ids = [f"{1001 + i:,}" for i in range(60)]
    segments = np.where(side == 0, "1", "1,000")
    lines = [
        f"{i}\t{s}\t{_decimal_commas(x)}\t{_decimal_commas(y)}"
        for i, s, x, y in zip(ids, segments, a, b, strict=True)
    ]
    path = tmp_path / "ids.tsv"
    path.write_text("cust\tseg\ta\tb\n" + "\n".join(lines) + "\n")
    common = [str(path), "--id-col", "cust", "--quiet"]
    select = ["select", *common, "--ignore", "seg", "--k", "1:3"]
    assert main([*select, "--out", str(tmp_path / "s")]) == 0
    table = pd.read_csv(tmp_path / "s" / "clusters.csv", dtype={"cust": str})
    assert table["cust"].tolist() == ids
    evaluate = ["evaluate", *common, "--labels-col", "seg"]
    assert main([*evaluate, "--out", str(tmp_path / "e")]) == 0
    out = capsys.readouterr().out
    assert "clusters: column 'seg', 2 clusters" in out
    # As a feature, the same kind of column is refused.
    refused = ["select", str(path), "--ignore", "cust", "--out", str(tmp_path / "x")]
    assert main(refused) == 2
    assert "column 'seg' holds '1,000'" in capsys.readouterr().err


def test_help_and_version(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "select", "evaluate"):
        assert command in out
    assert main(["select", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--k FIRST:LAST" in out
    # DATA's help says the guess can be overridden, and by what.
    assert "unless --sep and --decimal say them" in " ".join(out.split())
    assert "--sep SEP" in out
    assert "--decimal {.,,}" in out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("sklearn-leakage ")


# -------------------------------------------------------------------- parts
@pytest.mark.parametrize(
    "text, expected",
    [("2:12", list(range(2, 13))), ("1:8", list(range(1, 9))), ("4", [4])],
)
def test_parse_n_clusters(text, expected):
    assert parse_n_clusters(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("5:2", "ends before it starts"),
        ("a:b", "is not a range"),
        ("0:3", "smallest number of clusters is 1"),
        ("1:2:3", "is not a range"),
        ("", "is not a range"),
        ("1:1", "offers only 1 cluster, so nothing is tested"),
        ("1", "offers only 1 cluster"),
    ],
)
def test_parse_n_clusters_rejects(text, message):
    with pytest.raises(argparse.ArgumentTypeError, match=message):
        parse_n_clusters(text)


def test_gaussian_mixture_clusterer_renames_n_components():
    X, _ = make_blobs(n_samples=150, centers=3, random_state=0)
    clusterer = clone(GaussianMixtureClusterer(random_state=0).set_params(n_clusters=3))
    labels = clusterer.fit_predict(X)
    expected = GaussianMixture(n_components=3, random_state=0).fit(X).predict(X)
    np.testing.assert_array_equal(labels, expected)
    np.testing.assert_array_equal(clusterer.predict(X), expected)


def _evaluate_segments(frame, tmp_path):
    """Run ``evaluate`` on ``frame``'s segment column, features x and y."""
    frame.to_csv(tmp_path / "segments.csv", index=False)
    argv = ["evaluate", "segments.csv", "--labels-col", "segment", "--columns", "x,y"]
    argv += ["--out", str(tmp_path / "out")]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        assert main(argv) == 0


def test_evaluate_bootstrap_gives_an_interval_for_new_samples(tmp_path, capsys):
    # Two blobs that overlap: the share moves with the sample more than a
    # binomial count, so the bootstrap interval is the wider one.
    X, y = make_blobs(
        n_samples=300, centers=[[0, 0], [2.5, 0]], cluster_std=1.0, random_state=0
    )
    frame = pd.DataFrame({"x": X[:, 0], "y": X[:, 1], "segment": y})
    frame.to_csv(tmp_path / "two.csv", index=False)
    argv = ["evaluate", str(tmp_path / "two.csv"), "--labels-col", "segment"]
    argv += ["--bootstrap", "60", "--quiet", "--out", str(tmp_path / "o")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    exact = re.search(
        r"total leakage [\d.]+% \(\d+ of 300\), 95% CI \[(.+)%, (.+)%\]", out
    )
    resampled = re.search(
        r"total leakage of new samples from the same population: 95% CI "
        r"\[(.+)%, (.+)%\] \(bootstrap, 60 resamples\)",
        out,
    )
    assert exact
    assert resampled
    exact_width = float(exact[2]) - float(exact[1])
    resampled_width = float(resampled[2]) - float(resampled[1])
    assert resampled_width > 1.4 * exact_width
    # The report's notes carry the line, for a reader of the file alone.
    notes = pd.read_excel(tmp_path / "o" / "report.xlsx", sheet_name="notes")
    assert notes["note"].str.contains("bootstrap, 60 resamples").any()


def test_select_bootstrap_redoes_the_chosen_clustering(tmp_path, capsys, monkeypatch):
    # Three blobs that touch: select chooses 3, and the interval redoes the
    # report's procedure (k-means refitted on every resample and every
    # training fold) on resamples of the rows, so it holds the report's share.
    monkeypatch.chdir(tmp_path)
    X, _ = make_blobs(
        n_samples=300, centers=[[0, 0], [3.5, 0], [0, 3.5]], random_state=0
    )
    pd.DataFrame(X, columns=["x", "y"]).to_csv("three.csv", index=False)
    argv = ["select", "three.csv", "--k", "1:5", "--bootstrap", "40", "--out", "o"]
    assert main([*argv, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert chosen_row_k(out) == 3
    share = float(re.search(r"total leakage ([\d.]+)% \(\d+ of 300\)", out)[1])
    resampled = re.search(
        r"total leakage of new samples from the same population: 95% CI "
        r"\[(.+)%, (.+)%\], around (.+)%, the share of the same procedure redone "
        r"on these rows \(bootstrap, 40 resamples, the clustering refitted on each\)",
        out,
    )
    assert resampled
    low, high, redone = (float(value) for value in resampled.groups())
    assert low < share < high
    assert abs(redone - share) < 3.0  # points of percent: the same procedure
    notes = pd.read_excel("o/report.xlsx", sheet_name="notes")
    assert notes["note"].str.contains("bootstrap, 40 resamples").any()


def test_select_bootstrap_of_one_cluster_is_not_run(tmp_path, capsys):
    path = tmp_path / "noise.csv"
    noise = np.random.default_rng(0).uniform(size=(300, 2))
    pd.DataFrame(noise, columns=["x", "y"]).to_csv(path, index=False)
    argv = ["select", str(path), "--k", "1:4", "--bootstrap", "20", "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert chosen_row_k(out) == 1
    assert "bootstrap: not run, one cluster has nothing to leak into" in out


def test_evaluate_reads_minus_one_as_noise_in_a_text_column(tmp_path, capsys):
    # Names beside -1 make a text column; -1 is still noise there. (Digits
    # alone would be read back as numbers: the segments get names.)
    frame, y = blobs()
    names = np.array(["north", "south", "east", "west"])[y].astype(object)
    names[:5] = "-1"
    frame["segment"] = names
    _evaluate_segments(frame, tmp_path)
    captured = capsys.readouterr()
    out = captured.out
    assert "4 clusters, 5 noise rows (-1)" in out
    # The progress line counts the rows the probe learns from (it said 400).
    progress = f"out-of-fold on {N_ROWS - 5} rows (5 noise rows left out)"
    assert progress in captured.out + captured.err
    assert f"{N_ROWS - 5} points in 4 clusters" in out
    table = pd.read_csv(tmp_path / "out" / "clusters.csv")
    assert table["cluster"].iloc[:5].astype(str).tolist() == ["-1"] * 5
    assert table["own_proba"].iloc[:5].isna().all()
    assert set(table["cluster"].iloc[5:]) == {"north", "south", "east", "west"}


def test_evaluate_advice_names_what_the_command_can_do(tmp_path, capsys):
    # Two clusters of 200 rows and one of 3: the 3-row cluster cannot be spread
    # over 5 folds, and the library's advice to pass cv= is translated.
    frame, _ = blobs()
    frame["segment"] = np.where(np.arange(frame.shape[0]) < 3, "tiny", "big")
    frame.loc[frame.index[3:200], "segment"] = "other"
    _evaluate_segments(frame, tmp_path)
    err = capsys.readouterr().err
    assert "Merge or drop the smallest clusters" in err
    assert "cv=" not in err


def test_one_numeric_column_is_data_whatever_its_header(tmp_path, capsys):
    # The semicolon check looks at a single text column only.
    frame, _ = blobs()
    frame[["x"]].rename(columns={"x": "dose|mg"}).to_csv(
        tmp_path / "one.csv", index=False
    )
    argv = ["select", str(tmp_path / "one.csv"), "--k", "1:3", "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "out")]) == 0
    assert "1 column (dose|mg)" in capsys.readouterr().out


def test_rows_dropped_for_missing_values_stay_in_clusters_csv(tmp_path, capsys):
    # clusters.csv joins back on the id: one row per row of the file, the
    # dropped ones empty, integer clusters still integers.
    frame, _ = blobs()
    frame.loc[[1, 2], "y"] = np.nan
    frame.to_csv(tmp_path / "holes.csv", index=False)
    argv = ["select", str(tmp_path / "holes.csv"), "--id-col", "customer"]
    argv += ["--columns", "x,y", "--k", "3:5", "--quiet", "--out", str(tmp_path / "o")]
    assert main(argv) == 0
    table = pd.read_csv(tmp_path / "o" / "clusters.csv", dtype=str)
    assert table["customer"].tolist() == frame["customer"].tolist()
    assert table.loc[[1, 2]].drop(columns="customer").isna().all().all()
    written = table["cluster"].drop(index=[1, 2])
    assert set(written) == {"0", "1", "2", "3"}  # not 0.0 beside the blanks
    # The report, read without the terminal, says so, and how it was made.
    page = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "<li>data: holes.csv, 398 rows, 2 dropped for missing values, " in page
    assert (
        "<li>clusterer: KMeans, searched 3 to 5 clusters, random_state=0</li>" in page
    )
    assert f"<li>command: sklearn-leakage {shlex.join(argv)}</li>" in page
    notes = pd.read_excel(tmp_path / "o" / "report.xlsx", sheet_name=0)
    assert notes.columns.tolist() == ["note"]
    assert notes["note"].iloc[0].startswith("data: holes.csv, 398 rows")


@pytest.mark.parametrize("labels", ["int", "text"])
def test_evaluate_keeps_the_label_of_a_row_dropped_for_missing_values(
    tmp_path, capsys, labels
):
    # The row's label is in the file; only its probabilities are unknown.
    frame, y = blobs()
    frame["segment"] = y if labels == "int" else [f"s{v}" for v in y]
    frame.loc[1, "y"] = np.nan  # dropped for a missing feature, label known
    frame.loc[2, ["y", "segment"]] = np.nan  # both missing
    frame.loc[3, "segment"] = np.nan  # dropped for its missing label
    path = tmp_path / "holes.csv"
    frame.to_csv(path, index=False)
    argv = ["evaluate", str(path), "--id-col", "customer", "--columns", "x,y"]
    argv += ["--labels-col", "segment", "--quiet", "--out", str(tmp_path / "o")]
    assert main(argv) == 0, capsys.readouterr().err
    table = pd.read_csv(tmp_path / "o" / "clusters.csv", dtype=str)
    assert table["cluster"][1] == (str(y[1]) if labels == "int" else f"s{y[1]}")
    assert table.loc[[2, 3], "cluster"].isna().all()
    assert table.loc[[1, 2, 3], "own_proba"].isna().all()
    # Integer labels stay integers (not 2.0) beside the missing ones.
    assert set(table["cluster"].dropna()) == (
        {"0", "1", "2", "3"} if labels == "int" else {"s0", "s1", "s2", "s3"}
    )


def test_select_reads_an_excel_sheet(tmp_path, capsys):
    frame, y = blobs()
    frame.to_excel(tmp_path / "customers.xlsx", index=False)
    argv = ["select", str(tmp_path / "customers.xlsx"), "--id-col", "customer"]
    argv += ["--columns", "x,y", "--k", "3:5", "--quiet", "--out", str(tmp_path / "o")]
    assert main(argv) == 0
    assert "chosen: 4 clusters" in capsys.readouterr().out
    table = pd.read_csv(tmp_path / "o" / "clusters.csv")
    assert table["customer"].tolist() == frame["customer"].tolist()
    assert adjusted_rand_score(y, table["cluster"]) == 1.0


@pytest.mark.parametrize(
    "sep, decimal, read_as",
    [
        # A spreadsheet's CSV where the decimal mark is a comma.
        (";", ",", "separated by semicolons, with decimal commas"),
        (";", ".", "separated by semicolons"),
        ("\t", ".", "separated by tabs"),
    ],
)
def test_select_reads_a_csv_by_the_separator_its_header_shows(
    tmp_path, capsys, sep, decimal, read_as
):
    frame, y = blobs()
    # An id with a comma in it is text, not a number with a decimal comma.
    frame["customer"] = [f"Smith, C{i}" for i in range(frame.shape[0])]
    frame.to_csv(tmp_path / "c.csv", index=False, sep=sep, decimal=decimal)
    argv = ["select", str(tmp_path / "c.csv"), "--id-col", "customer"]
    argv += ["--columns", "x,y", "--k", "3:5", "--quiet", "--out", str(tmp_path / "o")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"data: c.csv ({read_as}), {N_ROWS} rows, 2 columns (x, y)" in out
    assert "chosen: 4 clusters" in out
    table = pd.read_csv(tmp_path / "o" / "clusters.csv")
    assert table["customer"].tolist() == frame["customer"].tolist()
    assert adjusted_rand_score(y, table["cluster"]) == 1.0


def test_decimal_commas_are_read_as_numbers_not_text(tmp_path):
    frame, _ = blobs()
    frame.to_csv(tmp_path / "c.csv", index=False, sep=";", decimal=",")
    read = read_table(tmp_path / "c.csv")
    assert read.attrs["read_as"] == "separated by semicolons, with decimal commas"
    assert read["x"].dtype == np.float64
    np.testing.assert_allclose(read["x"], frame["x"])
    # Read with the separator of its type, the same file is one text column.
    assert pd.read_csv(tmp_path / "c.csv").shape[1] == 1


@pytest.mark.parametrize(
    "name, text, read_as, expected",
    [
        # The last column a decimal-comma float: with commas as separators its
        # rows split into more fields than the header has.
        (
            "last.csv",
            "x;y\n1,5;2,25\n3,5;4,75\n",
            "separated by semicolons, with decimal commas",
            [[1.5, 2.25], [3.5, 4.75]],
        ),
        # Whole numbers beside decimal ones, as spreadsheets write them.
        (
            "mixed.csv",
            "x;y\n1;2\n3,5;4,25\n",
            "separated by semicolons, with decimal commas",
            [[1.0, 2.0], [3.5, 4.25]],
        ),
        (
            "holes.csv",
            "x;y;z\n1,5;;3\n2;4,5;6\n",
            "separated by semicolons, with decimal commas",
            [[1.5, np.nan, 3.0], [2.0, 4.5, 6.0]],
        ),
        (
            "tabs.tsv",
            "x\ty\n1,5\t2\n3\t4,5\n",
            "with decimal commas",
            [[1.5, 2.0], [3.0, 4.5]],
        ),
        # One numeric column whose header holds a bar stays one column.
        ("dose.csv", "dose|mg\n1.5\n2.5\n", None, [[1.5], [2.5]]),
        # Rows that hold the separator before empty fields use it too.
        (
            "blank.csv",
            "a;b\n1;\n2;\n",
            "separated by semicolons",
            [[1, np.nan], [2, np.nan]],
        ),
    ],
)
@pytest.mark.parametrize("compress", [False, True])
def test_separator_and_decimal_mark_come_from_the_file(
    tmp_path, name, text, read_as, expected, compress
):
    path = tmp_path / (name + (".gz" if compress else ""))
    if compress:
        with gzip.open(path, "wt") as stream:
            stream.write(text)
    else:
        path.write_text(text)
    read = read_table(path)
    assert read.attrs.get("read_as") == read_as
    np.testing.assert_array_equal(read.to_numpy(dtype=float), np.array(expected))


@pytest.mark.parametrize(
    "value, number",
    [
        ("0,125", 0.125),  # nobody writes 125 as "0,125"
        ("-0,5", -0.5),
        ("1,5", 1.5),  # not 3 digits after the comma
        ("12,34", 12.34),
        ("1,2345", 1.2345),
        ("1234,567", 1234.567),  # 4 digits before it
    ],
)
def test_one_value_that_cannot_separate_thousands_makes_decimal_commas(
    tmp_path, value, number
):
    # "1,250" alone may be 1250; a value beside it that cannot be written
    # with thousands separators says that the column's commas are decimal.
    path = tmp_path / "c.csv"
    path.write_text(f"x;y\n1,250;1\n{value};2\n")
    read = read_table(path)
    assert read.attrs["read_as"] == "separated by semicolons, with decimal commas"
    np.testing.assert_array_equal(read["x"], [1.25, number])


@pytest.mark.parametrize(
    "text, column, value, row, thousands, decimal",
    [
        ("x;y\n1,234;1\n12,500;2\n", "x", "1,234", 0, "1234", "1.234"),
        ("x\ty\n1\t-1,234\n2\t+999,999\n", "y", "-1,234", 0, "-1234", "-1.234"),
        # In English, numbers below 1000 carry no separator.
        ("x;y\n999;1\n1,000;2\n", "x", "1,000", 1, "1000", "1.000"),
        ("x;y\n1.5;1\n12,500;2\n", "x", "12,500", 1, "12500", "12.500"),
        # Each column decides alone: x's decimal commas do not vouch for y.
        ("x;y\n12,5;1,250\n3,5;2,375\n", "y", "1,250", 0, "1250", "1.250"),
    ],
)
def test_commas_that_may_separate_thousands_are_not_guessed_decimal(
    tmp_path, text, column, value, row, thousands, decimal
):
    path = tmp_path / "c.csv"
    path.write_text(text)
    message = (
        f"cannot tell how c.csv writes its numbers: column {column!r} holds "
        f"{value!r} in row {row}, {thousands} with a thousands separator or "
        f"{decimal} with a decimal comma; pass --decimal , if its commas are "
        "decimal marks, or remove the thousands separators from the file, or "
        "leave the column out with --ignore"
    )
    # The file is read; the column is refused when it is to be used.
    frame = read_table(path)
    assert list(frame.attrs["ambiguous_commas"]) == [column]
    with pytest.raises(UsageError, match=re.escape(message)):
        refuse_ambiguous_numbers(frame, list(frame.columns), "c.csv")


@pytest.mark.parametrize(
    "text, column, value, row",
    [
        # German revenue: points group thousands, numbers below 1000 have none.
        ("k;u;a\nK0;4.037;54\nK1;929;30\nK2;1.692;31\n", "u", "4.037", 0),
        ("x\ty\n1\t-12.500\n2\t+1.000\n", "y", "-12.500", 0),
        # Round thousands read as whole numbers: 45.0, not 45000.
        ("Gehalt;Alter\n45.000;31\n52.000;40\n38.000;25\n", "Gehalt", "45.000", 0),
        ("k;u\nK0;4.000\nK1;929\nK2;\n", "u", "4.000", 0),
    ],
)
def test_points_that_may_group_thousands_are_not_taken_for_decimals(
    tmp_path, text, column, value, row
):
    path = tmp_path / "c.csv"
    path.write_text(text)
    frame = read_table(path)
    assert list(frame.attrs["ambiguous_dots"]) == [column]
    message = (
        f"cannot tell how c.csv writes its numbers: column {column!r} holds "
        f"{value!r} in row {row}, {value.replace('.', '')} with a thousands point "
        f"or {value} with a decimal point; pass --decimal , if its points group "
        "thousands (and its decimal marks are commas), --decimal . if they are "
        "decimal points"
    )
    with pytest.raises(UsageError, match=re.escape(message)):
        refuse_ambiguous_numbers(frame, list(frame.columns), "c.csv")


@pytest.mark.parametrize(
    "text",
    [
        "x;y\n4.037;1\n0.125;2\n",  # a value below 1: decimal points
        "x;y\n4.037;1\n4.5;2\n",  # not three digits after the point
        "x;y\n4.0370;1\n1.2500;2\n",  # four digits after the point
        "x,y\n4.037,1\n1.692,2\n",  # separated by commas: English
        # Another column's "0.200" says that the file writes decimal points.
        "x\ty\n5.100\t0.200\n4.900\t1.300\n",
        "x;y\n4.037;1\n1.692;3.14159\n",
    ],
)
def test_points_that_cannot_group_thousands_stay_decimal_points(tmp_path, text):
    path = tmp_path / "c.csv"
    path.write_text(text)
    frame = read_table(path)
    assert frame.attrs["ambiguous_dots"] == {}
    assert frame["x"].dtype == np.float64
    refuse_ambiguous_numbers(frame, list(frame.columns), "c.csv")


def test_decimal_comma_reads_points_as_grouping_thousands(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("k;u;a\nK0;4.037;54,5\nK1;929;30\nK2;3.652,95;31\n")
    frame = read_table(path, decimal=",")
    np.testing.assert_array_equal(frame["u"], [4037.0, 929.0, 3652.95])
    np.testing.assert_array_equal(frame["a"], [54.5, 30.0, 31.0])
    assert frame.attrs["read_as"] == (
        "separated by semicolons, with decimal commas as --decimal says, "
        "thousands grouped by points"
    )
    # Told --decimal ., points are decimal points.
    path.write_text("k;u\nK0;4.037\nK1;929\n")
    assert read_table(path, decimal=".")["u"].tolist() == [4.037, 929.0]


@pytest.mark.parametrize(
    "text, fragment",
    [
        # Beside a column of decimal commas, a grouped "3.652,95".
        (
            "k;u;a\nK0;3.652,95;31,5\nK1;929,10;30,5\n",
            "'u' holds '3.652,95' in row 0, a number with thousands grouped by "
            "points: pass --decimal ,",
        ),
        # Beside decimal commas, "4.037" may be either.
        (
            "k;u;a\nK0;4.037;31,5\nK1;929;30,5\n",
            "'u' holds '4.037' in row 0, 4037 with a thousands point or 4.037 "
            "with a decimal point, where the file's other columns write decimal "
            "commas; pass --decimal , if its points group thousands",
        ),
    ],
)
def test_thousands_points_beside_decimal_commas_are_named(
    tmp_path, capsys, text, fragment
):
    path = tmp_path / "c.csv"
    path.write_text(text + "".join(f"K{i};929;30,5\n" for i in range(2, 12)))
    status = main(["select", str(path), "--id-col", "k", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert fragment in err


def test_a_german_file_clusters_once_told_its_decimal_mark(tmp_path, capsys):
    # Two groups of customers by revenue (thousands grouped by points) and
    # age. Read with decimal points, revenue shrank a thousand times where it
    # had a point and the search found no clusters.
    rng = np.random.default_rng(0)
    revenue = np.r_[rng.normal(1500, 150, 60), rng.normal(4000, 150, 60)]
    age = np.r_[rng.normal(30, 2, 60), rng.normal(50, 2, 60)]
    lines = [
        f"K{i};{int(r):,};{int(a)}".replace(",", ".")
        for i, (r, a) in enumerate(zip(revenue, age, strict=True))
    ]
    path = tmp_path / "kunden.csv"
    path.write_text("kunde;umsatz;alter\n" + "\n".join(lines) + "\n")
    argv = ["select", str(path), "--id-col", "kunde", "--k", "1:4", "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "a")]) == 2
    assert "column 'umsatz' holds" in capsys.readouterr().err
    assert main([*argv, "--decimal", ",", "--out", str(tmp_path / "b")]) == 0
    captured = capsys.readouterr()
    assert chosen_row_k(captured.out) == 2
    assert "thousands grouped by points" in captured.out


def test_a_column_that_may_hold_thousands_can_be_left_out(tmp_path, capsys):
    # Revenue with English thousands separators in a tab-separated file: not
    # guessed either way, and not needed when --ignore leaves it out.
    rng = np.random.default_rng(0)
    a = np.r_[rng.normal(0, 0.3, 30), rng.normal(5, 0.3, 30)]
    b = np.r_[rng.normal(0, 0.3, 30), rng.normal(5, 0.3, 30)]
    revenue = [f"{value:,}" for value in rng.integers(1000, 90000, 60)]
    rows = "".join(
        f"{x:.3f}\t{y:.3f}\t{r}\n" for x, y, r in zip(a, b, revenue, strict=True)
    )
    path = tmp_path / "sales.tsv"
    path.write_text("a\tb\trevenue\n" + rows)
    argv = ["select", str(path), "--k", "1:4", "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "all")]) == 2
    assert "column 'revenue' holds" in capsys.readouterr().err
    ignored = main([*argv, "--ignore", "revenue", "--out", str(tmp_path / "o")])
    captured = capsys.readouterr()
    assert ignored == 0, captured.err
    assert chosen_row_k(captured.out) == 2
    # The data line says nothing of decimal commas: no column was read so.
    assert "decimal commas" not in captured.out


def _read_and_use_every_column(path):
    """What a command does before clustering every column of ``path``."""
    frame = read_table(path)
    refuse_ambiguous_numbers(frame, list(frame.columns), path.name)
    return frame


@pytest.mark.parametrize(
    "name, text, sep, decimal, read_as, expected, guessed",
    [
        # A .txt is comma-separated by its type; --sep says semicolons.
        (
            "semi.txt",
            "x;y\n1,5;2\n3;4,5\n",
            ";",
            None,
            "separated by semicolons as --sep says, with decimal commas",
            [[1.5, 2.0], [3.0, 4.5]],
            None,
        ),
        # The header shows no separator, its rows a trailing one.
        (
            "trailing.csv",
            "x\n1,5;\n2,5;\n",
            ";",
            None,
            "separated by semicolons as --sep says, with decimal commas",
            [[1.5], [2.5]],
            "its rows have more fields than its header",
        ),
        (
            "colons.csv",
            "x:y\n1,5:2\n3:4,5\n",
            ":",
            ",",
            "separated by ':' as --sep says, with decimal commas as --decimal says",
            [[1.5, 2.0], [3.0, 4.5]],
            "its rows have more fields than its header",
        ),
        (
            "thousands.tsv",
            "x\ty\n1,234\t1\n12,500\t2\n",
            None,
            ",",
            "with decimal commas as --decimal says",
            [[1.234, 1.0], [12.5, 2.0]],
            "writes its numbers: column 'x' holds '1,234' in row 0",
        ),
        # --decimal alone leaves the separator to the guess.
        (
            "bars.csv",
            "x|y\n1.5|2\n3|4.5\n",
            None,
            ".",
            "separated by bars, with decimal points as --decimal says",
            [[1.5, 2.0], [3.0, 4.5]],
            None,
        ),
    ],
)
@pytest.mark.parametrize("compress", [False, True])
def test_sep_and_decimal_replace_the_guess(
    tmp_path, name, text, sep, decimal, read_as, expected, guessed, compress
):
    path = tmp_path / (name + (".gz" if compress else ""))
    if compress:
        with gzip.open(path, "wt") as stream:
            stream.write(text)
    else:
        path.write_text(text)
    read = read_table(path, sep=sep, decimal=decimal)
    assert read.attrs["read_as"] == read_as
    np.testing.assert_array_equal(read.to_numpy(dtype=float), np.array(expected))
    # Without the options, the guess: the same numbers, or an error.
    if guessed is None:
        np.testing.assert_array_equal(read_table(path), read)
    else:
        # An error when reading, or, for a column that may hold thousands,
        # when it is to be used.
        with pytest.raises(UsageError, match=guessed):
            _read_and_use_every_column(path)


@pytest.mark.parametrize(
    "command",
    [
        ["select", "d.csv", "--out", "o"],
        ["evaluate", "d.csv", "--labels-col", "s", "--out", "o"],
    ],
)
@pytest.mark.parametrize(
    "text, sep",
    [
        ("tab", "\t"),
        ("TAB", "\t"),
        ("\\t", "\t"),  # backslash-t, as typed in a shell
        ("\t", "\t"),
        ("comma", ","),
        ("semicolon", ";"),
        ("bar", "|"),
        (";", ";"),
        (":", ":"),
    ],
)
def test_sep_takes_a_character_or_its_name(command, text, sep):
    args = build_parser().parse_args([*command, "--sep", text, "--decimal", ","])
    assert (args.sep, args.decimal) == (sep, ",")


def test_sep_and_decimal_read_a_compressed_file_the_guess_refuses(tmp_path, capsys):
    # Tabs, decimal commas and three decimals everywhere: every value, such as
    # "21,674", may hold a thousands separator, so only the options read it.
    frame, y = blobs()
    frame[["x", "y"]] += 20  # no value below 1, none written "0,..."
    path = tmp_path / "c.txt.gz"
    frame.to_csv(path, index=False, sep="\t", decimal=",", float_format="%.3f")
    argv = ["select", str(path), "--id-col", "customer", "--columns", "x,y"]
    argv += ["--k", "3:5", "--quiet", "--out", str(tmp_path / "o")]
    status = main(argv)
    assert_one_line_error(
        status, capsys.readouterr().err, "cannot tell how c.txt.gz writes its numbers"
    )
    assert main([*argv, "--sep", "\\t", "--decimal", ","]) == 0
    out = capsys.readouterr().out
    assert (
        "data: c.txt.gz (separated by tabs as --sep says, with decimal commas as "
        f"--decimal says), {N_ROWS} rows, 2 columns (x, y)"
    ) in out
    assert "chosen: 4 clusters" in out
    table = pd.read_csv(tmp_path / "o" / "clusters.csv")
    assert adjusted_rand_score(y, table["cluster"]) == 1.0
    read = read_table(path, sep="\t", decimal=",")
    np.testing.assert_allclose(read[["x", "y"]], frame[["x", "y"]], atol=5e-4)


def test_interrupt_is_one_line(blobs_csv, tmp_path, capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("sklearn_leakage.cli._commands.select_n_clusters", interrupted)
    argv = ["select", str(blobs_csv), "--columns", "x,y", "--out", str(tmp_path / "o")]
    assert main(argv) == 130
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        "sklearn-leakage: interrupted; files already written stay"
    )


def test_outputs_say_what_they_replace_and_what_an_earlier_run_left(
    blobs_csv, tmp_path, capsys
):
    out = tmp_path / "o"
    select = ["select", str(blobs_csv), "--columns", "x,y", "--k", "3:5"]
    assert main([*select, "--quiet", "--out", str(out)]) == 0
    first = capsys.readouterr().out
    assert "replaced" not in first
    assert "not from this run" not in first
    evaluate = ["evaluate", str(blobs_csv), "--labels-col", "segment"]
    assert main([*evaluate, "--columns", "x,y", "--quiet", "--out", str(out)]) == 0
    second = capsys.readouterr().out
    for name in ("clusters.csv", "report.html", "report.xlsx"):
        assert f"{out / name}  (replaced the file there)" in second
    assert second.splitlines()[-1] == (
        f"not from this run, left in {out} by an earlier one: k_selection.png, "
        "k_selection.svg, k_selection.csv"
    )


def test_excel_leaves_out_samples_beyond_a_sheet(
    blobs_csv, tmp_path, capsys, monkeypatch
):
    # An Excel sheet holds 1,048,575 rows; a smaller limit stands in for it.
    monkeypatch.setattr("sklearn_leakage.cli._output.EXCEL_MAX_ROWS", 300)
    out = tmp_path / "o"
    argv = ["evaluate", str(blobs_csv), "--labels-col", "segment"]
    assert main([*argv, "--columns", "x,y", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "report.xlsx has no samples sheet: 400 points" in err
    sheets = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert "samples" not in sheets
    assert "clusters" in sheets
    assert len(pd.read_csv(out / "clusters.csv")) == N_ROWS


def test_select_says_when_no_candidate_reproduces(blobs_csv, tmp_path, capsys):
    # Four blobs searched from 9 to 11 clusters: each candidate cuts blobs in
    # places that move from half to half, so none reproduces.
    argv = ["select", str(blobs_csv), "--columns", "x,y", "--k", "9:11"]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert "No candidate reproduces" in err
    assert "Start --k at 1 to allow the answer 'no cluster structure'." in err
    assert "to the candidates" not in err


def test_a_column_that_counts_the_rows_is_named_as_a_likely_id(tmp_path, capsys):
    # The demo's wine.csv without --id-col: its 'wine' column, 1 to 178, would
    # be clustered on silently.
    assert main(["demo", "--out", str(tmp_path / "demo"), "--quiet"]) == 0
    capsys.readouterr()
    data = tmp_path / "demo" / "wine.csv"
    argv = ["evaluate", str(data), "--labels-col", "cultivar"]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert (
        "warning: column 'wine' counts the rows (1, 2, ..., 178), so it is likely "
        "an identifier" in err
    )
    assert "pass --id-col wine" in err
    # Named as the id, or chosen with --columns, it is not warned about.
    assert main([*argv, "--id-col", "wine", "--out", str(tmp_path / "p")]) == 0
    captured = capsys.readouterr()
    assert "counts the rows" not in captured.err
    # An interval's lower end of 0.043% (1 of 59 leaking) is not written 0.0%.
    assert "  class_0       59      1.7%  [0.043%, 9.1%]" in captured.out
    columns = ["--columns", "wine,alcohol,malic_acid"]
    assert main([*argv, *columns, "--out", str(tmp_path / "q")]) == 0
    assert "counts the rows" not in capsys.readouterr().err


def test_shuffled_customer_numbers_named_as_ids_are_named_as_likely_ids(
    tmp_path, capsys
):
    # Real customer numbers do not count the rows; a column named like an id
    # whose whole numbers never repeat is one as surely.
    rng = np.random.default_rng(0)
    a = np.r_[rng.normal(0, 0.3, 30), rng.normal(5, 0.3, 30)]
    frame = pd.DataFrame(
        {"Customer ID": rng.permutation(60) + 100_000, "a": a, "b": -a}
    )
    path = tmp_path / "c.csv"
    frame.to_csv(path, index=False)
    argv = ["select", str(path), "--k", "1:3"]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert (
        "warning: column 'Customer ID' is named like an identifier and holds a "
        "different whole number on every row, so it is likely an identifier"
    ) in err


def test_a_column_name_holding_a_comma_is_quoted_in_a_list(tmp_path, capsys):
    rng = np.random.default_rng(0)
    a = np.r_[rng.normal(0, 0.3, 30), rng.normal(5, 0.3, 30)]
    frame = pd.DataFrame({"a": a, "b": -a, "segment, final": ["x"] * 60})
    path = tmp_path / "c.csv"
    frame.to_csv(path, index=False)
    argv = ["select", str(path), "--k", "1:3", "--quiet"]
    # Unquoted, the name is two names, and the message says how to quote it.
    assert main([*argv, "--ignore", "segment, final", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert 'its columns are: a, b, "segment, final"; in --columns and' in err
    assert "--ignore '\"a, b\",c'" in err
    quoted = ["--ignore", '"segment, final"', "--out", str(tmp_path / "o")]
    assert main([*argv, *quoted]) == 0
    assert chosen_row_k(capsys.readouterr().out) == 2


@pytest.mark.parametrize(
    "text, names",
    [
        ('"segment, final",region', ["segment, final", "region"]),
        ('"x ""y"", z",a', ['x "y", z', "a"]),  # a quote inside doubled
        # Not a CSV line: split at the commas as written.
        ('"Net" (EUR),b', ['"Net" (EUR)', "b"]),
        ('a,"b', ["a", '"b']),
        (" a , b ", ["a", "b"]),
    ],
)
def test_column_lists_read_as_one_csv_line(text, names):
    from sklearn_leakage.cli._parser import _column_list

    assert _column_list(text) == names


@pytest.mark.parametrize(
    "name, expected",
    [
        ("id", True),
        ("customer_id", True),
        ("CustomerID", True),
        ("Kunden-Nr", True),
        ("order no", True),
        ("zip code", True),
        ("width", False),
        ("android", False),
        ("nodes", False),
        ("income", False),
    ],
)
def test_identifier_names(name, expected):
    from sklearn_leakage.cli._data import _named_like_an_id

    assert _named_like_an_id(name) is expected


def test_a_feature_named_like_an_id_with_repeats_is_not_one():
    from sklearn_leakage.cli._data import _distinct_whole_numbers

    assert _distinct_whole_numbers(np.arange(20.0)[::-1])
    assert not _distinct_whole_numbers(np.r_[np.arange(19.0), 3.0])
    assert not _distinct_whole_numbers(np.arange(20.0) + 0.5)
    assert not _distinct_whole_numbers(np.arange(5.0))  # too few rows to tell


def test_counting_the_rows_means_whole_numbers_one_apart():
    from sklearn_leakage.cli._data import _counts_rows, _first_last

    ids = np.arange(1_000_000, 1_000_200, dtype=float)
    assert _counts_rows(ids)
    assert _counts_rows(ids[::-1])
    holed = ids.copy()
    holed[5] = np.nan  # a missing cell keeps its place in the count
    assert _counts_rows(holed)
    assert _first_last(pd.Series(holed)) == "1000000, 1000001, ..., 1000199"
    assert not _counts_rows(np.arange(200) + 0.5)
    assert not _counts_rows(np.arange(0, 400, 2, dtype=float))
    assert not _counts_rows(np.arange(5, dtype=float))  # too few rows to say


def test_a_float_id_column_is_written_as_read(tmp_path, capsys):
    # Cutting the computed columns must not touch the ids (1000007.5 stays).
    frame, _ = blobs()
    frame["cust"] = np.arange(1_000_000, 1_000_000 + N_ROWS) + 0.5
    frame.to_csv(tmp_path / "ids.csv", index=False)
    argv = ["evaluate", str(tmp_path / "ids.csv"), "--labels-col", "segment"]
    argv += ["--id-col", "cust", "--columns", "x,y", "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 0
    table = pd.read_csv(tmp_path / "o" / "clusters.csv")
    assert table["cust"].tolist() == frame["cust"].tolist()
    text = pd.read_csv(tmp_path / "o" / "clusters.csv", dtype=str)["own_proba"]
    assert text.str.split(".").str[1].str.len().max() <= 6


def test_an_empty_id_cell_is_refused(tmp_path, capsys):
    # It was accepted: the row had no id to join on, and the column of whole
    # numbers came out as floats (38 written as 38.0).
    frame, _ = blobs()
    frame["cust"] = np.arange(N_ROWS, dtype=float)
    frame.loc[3, "cust"] = np.nan
    frame.to_csv(tmp_path / "ids.csv", index=False)
    argv = ["evaluate", str(tmp_path / "ids.csv"), "--labels-col", "segment"]
    argv += ["--id-col", "cust", "--columns", "x,y", "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert "id column 'cust' is empty in 1 row (e.g. row 3)" in error
    assert "leave --id-col out" in error


def test_a_repeated_id_is_refused_even_on_a_dropped_row(tmp_path, capsys):
    frame, _ = blobs()
    frame["cust"] = np.arange(N_ROWS)
    frame.to_csv(tmp_path / "ids.csv", index=False)
    argv = ["evaluate", str(tmp_path / "ids.csv"), "--labels-col", "segment"]
    argv += ["--id-col", "cust", "--columns", "x,y", "--out", str(tmp_path / "o")]
    frame.loc[5, "cust"] = 7
    frame.to_csv(tmp_path / "ids.csv", index=False)
    assert main(argv) == 2
    assert "id column 'cust' has 1 repeated value (e.g. '7')" in capsys.readouterr().err
    # Row 5 is dropped for its missing x, but clusters.csv still lists it,
    # beside row 7 with the same id: refused too (it was written twice).
    frame.loc[5, "x"] = np.nan
    frame.to_csv(tmp_path / "ids.csv", index=False)
    assert main(argv) == 2
    assert "id column 'cust' has 1 repeated value (e.g. '7')" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_ids_and_labels_are_kept_as_the_file_writes_them(tmp_path, capsys):
    # pandas read "00001" as 1: ids no longer joined back to their source,
    # "007" and "7" were refused as one repeated id, and the segments "1"
    # and "01" were merged into one cluster without a word.
    frame, y = blobs()
    frame["account"] = [f"{i:05d}" for i in range(N_ROWS)]
    frame.loc[7, "account"], frame.loc[8, "account"] = "007", "7"
    codes = np.array(["1", "01", "2", "3"])
    frame["segment"] = codes[y]
    frame.to_csv(tmp_path / "ids.csv", index=False)
    argv = ["evaluate", str(tmp_path / "ids.csv"), "--labels-col", "segment"]
    argv += ["--id-col", "account", "--columns", "x,y", "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 0
    assert "clusters: column 'segment', 4 clusters" in capsys.readouterr().out
    table = pd.read_csv(tmp_path / "o" / "clusters.csv", dtype=str)
    assert table["account"].tolist() == frame["account"].tolist()
    assert table["cluster"].tolist() == codes[y].tolist()
    # Whole numbers written as such stay numbers: 38, not "38" nor 38.0.
    frame["account"] = np.arange(N_ROWS) + 30
    frame["segment"] = y
    frame.to_csv(tmp_path / "plain.csv", index=False)
    argv[1] = str(tmp_path / "plain.csv")
    assert main([*argv, "--out", str(tmp_path / "p")]) == 0
    written = (tmp_path / "p" / "clusters.csv").read_text().splitlines()
    assert written[1].startswith(f"30,{y[0]},")


def test_reads_back_as_written():
    from sklearn_leakage.cli._data import _reads_back_as_written

    numbers = pd.Series([1.0, 2.5, 3.0, np.nan])
    assert _reads_back_as_written(numbers, pd.Series(["1", "2.5", "3.0", None]))
    assert not _reads_back_as_written(numbers, pd.Series(["01", "2.5", "3", None]))
    assert not _reads_back_as_written(numbers, pd.Series(["1", "2.50", "3", None]))
    # Two texts of one number may be two ids, but they are one cluster code.
    ones = pd.Series([1.0, 1.0])
    assert not _reads_back_as_written(ones, pd.Series(["1", "1.0"]))
    assert _reads_back_as_written(ones, pd.Series(["1", "1.0"]), distinct=False)
    assert _reads_back_as_written(pd.Series([7, 8]), pd.Series([" 7", "8"]))
    # In the file's decimal mark.
    decimals = pd.Series([-1.0, 2.5])
    assert _reads_back_as_written(decimals, pd.Series(["-1,0", "2,5"]), ",")
    assert not _reads_back_as_written(decimals, pd.Series(["-1,0", "2,50"]), ",")


def test_labels_that_are_numbers_in_the_files_own_writing_stay_numbers(
    tmp_path, capsys
):
    # A labels column with a missing cell is written as floats, and with
    # decimal commas "-1,0": kept as text, its noise rows were a cluster
    # "-1,0". And a column holding "1" and "1.0" is one cluster 1, not two.
    frame, y = blobs()
    labels = y.astype(float)
    labels[:10], labels[10] = -1, np.nan
    frame["segment"] = labels
    path = tmp_path / "commas.csv"
    frame.to_csv(path, sep=";", decimal=",", index=False)
    assert "-1,0" in path.read_text()
    argv = ["evaluate", str(path), "--labels-col", "segment", "--columns", "x,y"]
    argv += ["--missing", "drop", "--quiet", "--out", str(tmp_path / "c")]
    assert main(argv) == 0
    assert "4 clusters, 10 noise rows (-1)" in capsys.readouterr().out
    frame["segment"] = y.astype(str)
    frame.loc[:4, "segment"] = [f"{label}.0" for label in y[:5]]
    frame.to_csv(tmp_path / "dots.csv", index=False)
    argv = ["evaluate", str(tmp_path / "dots.csv"), "--labels-col", "segment"]
    argv += ["--columns", "x,y", "--quiet", "--out", str(tmp_path / "d")]
    assert main(argv) == 0
    assert "clusters: column 'segment', 4 clusters" in capsys.readouterr().out


def test_clusters_csv_is_written_with_cut_probabilities(tmp_path, monkeypatch):
    # End to end: rounded to six digits, 0.04999996 was written 0.05 beside
    # leaks False.
    frame, _ = blobs()
    frame.to_csv(tmp_path / "blobs.csv", index=False)

    def crafted(X, labels, **kwargs):
        codes = np.unique(labels, return_inverse=True)[1]
        proba = np.eye(4)[codes]
        proba[0] = 0.0
        proba[0, codes[0]] = 0.95000004
        proba[0, (codes[0] + 1) % 4] = 0.04999996
        return proba

    monkeypatch.setattr("sklearn_leakage.cli._commands.cross_val_proba", crafted)
    argv = ["evaluate", str(tmp_path / "blobs.csv"), "--labels-col", "segment"]
    argv += ["--columns", "x,y", "--quiet", "--out", str(tmp_path / "o")]
    assert main(argv) == 0
    table = pd.read_csv(tmp_path / "o" / "clusters.csv", dtype={"max_other_proba": str})
    assert table["max_other_proba"].iloc[0] == "0.049999"
    assert not table["leaks"].iloc[0]


def test_probabilities_in_clusters_csv_are_cut_as_in_the_workbook(tmp_path):
    # Rounded to six digits, 0.04999996 was written 0.05 beside leaks False,
    # while the workbook and the page cut it to 0.049999.
    table = cluster_table(
        np.arange(2),
        "id",
        np.array([0, 1]),
        np.arange(2),
        np.array([[0.95000004, 0.04999996], [0.0, 1.0]]),
        np.array([0, 1]),
        THRESHOLD,
    )
    written = cut_probabilities(table)
    assert written["max_other_proba"].iloc[0] == 0.049999
    assert written["own_proba"].iloc[0] == 0.95
    assert not written["leaks"].iloc[0]
    assert written["max_other_proba"].iloc[0] < THRESHOLD


def test_evaluate_and_demo_reports_say_how_they_were_made(tmp_path, capsys):
    # The notes are HTML-escaped on the page; the workbook holds them as text.
    assert main(["demo", "--out", str(tmp_path / "demo"), "--quiet"]) == 0
    notes = pd.read_excel(tmp_path / "demo" / "report.xlsx", sheet_name="notes")
    assert notes["note"].tolist() == [
        "data: scikit-learn's wine data (load_wine), 178 rows, 13 columns, "
        f"standardized; written to {tmp_path / 'demo' / 'wine.csv'}",
        "clusterer: KMeans, searched 1 to 8 clusters, random_state=0",
        f"command: sklearn-leakage demo --out {tmp_path / 'demo'} --quiet",
        # The choice in words, as the page writes it above the candidates.
        "Chosen: k = 3. Rule: Largest number of clusters that reproduces and "
        "is real, else 1.",
    ]
    data = tmp_path / "demo" / "wine.csv"
    argv = ["evaluate", str(data), "--id-col", "wine", "--labels-col", "cultivar"]
    argv += ["--quiet", "--out", str(tmp_path / "o")]
    assert main(argv) == 0
    notes = pd.read_excel(tmp_path / "o" / "report.xlsx", sheet_name="notes")
    assert notes["note"].tolist()[1:] == [
        "clusters: column 'cultivar', 3 clusters",
        "probe folds: random_state=0",
        f"command: sklearn-leakage {shlex.join(argv)}",
    ]
    assert notes["note"].iloc[0].startswith("data: wine.csv, 178 rows, 13 columns")
    # One candidate reads as one.
    select = ["select", str(data), "--id-col", "wine", "--ignore", "cultivar"]
    assert main([*select, "--k", "3", "--quiet", "--out", str(tmp_path / "s")]) == 0
    page = (tmp_path / "s" / "report.html").read_text(encoding="utf-8")
    assert "<li>clusterer: KMeans, searched 3 clusters, random_state=0</li>" in page


def test_an_infinite_gain_reads_inf_in_every_output(tmp_path, capsys):
    # k = 10 on halves of 10 rows: every cluster is one point, nothing is left
    # within them, and the dispersion gain is infinite. The console wrote "-",
    # the workbook a blank (both read as "not computed"), the page "n/a".
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(20, 2)), columns=["x", "y"])
    frame.to_csv(tmp_path / "twenty.csv", index=False)
    argv = ["select", str(tmp_path / "twenty.csv"), "--k", "1:10"]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 0
    captured = capsys.readouterr()
    # GridSearchCV's standard deviation of the inf gains subtracts inf from
    # inf: numpy's warning of it was relayed as the command's own.
    assert "invalid value encountered" not in captured.err
    lines = captured.out.splitlines()
    row = next(line for line in lines if line.split()[:1] == ["10"])
    assert "inf" in row.split()
    table = pd.read_csv(tmp_path / "o" / "k_selection.csv")
    assert np.isinf(table["mean_dispersion_gain"].iloc[-1])
    page = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "<td>inf</td>" in page
    if importlib.util.find_spec("openpyxl") is not None:
        import openpyxl

        sheet = openpyxl.load_workbook(tmp_path / "o" / "report.xlsx")["k_selection"]
        header = [cell.value for cell in sheet[1]]
        column = header.index("mean_dispersion_gain") + 1
        assert sheet.cell(sheet.max_row, column).value == "inf"


def test_a_separator_at_the_end_of_every_line_leaves_an_empty_column_out(
    tmp_path, capsys
):
    # Every line ending in a comma gave an empty column 'Unnamed: 2', and every
    # row was dropped as missing a value in it.
    X = blobs()[0][["x", "y"]].to_numpy()
    path = tmp_path / "trailing.csv"
    path.write_text("x,y,\n" + "".join(f"{a:.4f},{b:.4f},\n" for a, b in X))
    status = main(["select", str(path), "--k", "1:6", "--out", str(tmp_path / "o")])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert (
        "note: left out column 'Unnamed: 2': no cell holds a value (each line "
        "ends with a separator)" in captured.err
    )
    assert f"{N_ROWS} rows, 2 columns (x, y)" in captured.out
    assert "chosen: 4 clusters" in captured.out
    # Named in --columns, the empty column is refused by name.
    out = str(tmp_path / "p")
    status = main(["select", str(path), "--columns", "x,Unnamed: 2", "--out", out])
    assert status == 2
    assert "column 'Unnamed: 2' has no values" in capsys.readouterr().err


def test_a_header_of_numbers_warns_that_the_first_row_may_be_data(tmp_path, capsys):
    X = blobs()[0][["x", "y"]].to_numpy()
    path = tmp_path / "noheader.csv"
    path.write_text("".join(f"{a:.4f},{b:.4f}\n" for a, b in X))
    status = main(["select", str(path), "--k", "1:3", "--out", str(tmp_path / "o")])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    first = f"{X[0, 0]:.4f}, {X[0, 1]:.4f}"
    assert (
        f"warning: every column name is a number ({first}); if the file has no "
        "header line, its first row was read as one and is left out"
    ) in captured.err
    assert f"{N_ROWS - 1} rows" in captured.out
    # 'nan' reads as a float but is a word in a header: no warning.
    path.write_text("nan,1.0\n" + "".join(f"{a:.4f},{b:.4f}\n" for a, b in X))
    main(["select", str(path), "--k", "1:3", "--out", str(tmp_path / "p")])
    assert "warning: every column name" not in capsys.readouterr().err
    # A separator at the end of every line, or a first row that repeats a
    # value (pandas names the second 1.5 "1.5.1"), still warns.
    for name, first in (("trail", "{:.4f},{:.4f},\n"), ("repeat", "1.5,1.5\n")):
        path = tmp_path / f"{name}.csv"
        lines = [first.format(*X[0])] + [f"{a:.4f},{b:.4f},\n" for a, b in X[1:]]
        if name == "repeat":
            lines = [first] + [f"{a:.4f},{b:.4f}\n" for a, b in X[1:]]
        path.write_text("".join(lines))
        main(["select", str(path), "--k", "1:3", "--out", str(tmp_path / name)])
        assert "warning: every column name is a number" in capsys.readouterr().err
    # Years over the columns' values are a header: they lie far beyond the
    # range of the values below them, where a first row of data lies near it.
    path = tmp_path / "years.csv"
    path.write_text("2019,2020\n" + "".join(f"{a:.4f},{b:.4f}\n" for a, b in X))
    status = main(["select", str(path), "--k", "1:3", "--out", str(tmp_path / "y")])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "warning: every column name" not in captured.err
    assert f"{N_ROWS} rows, 2 columns (2019, 2020)" in captured.out
    # A sorted file without a header starts at one end of its columns, just
    # outside the range of the rows below: it still warns.
    path = tmp_path / "sorted.csv"
    ordered = np.sort(X, axis=0)[::-1]
    path.write_text("".join(f"{a:.4f},{b:.4f}\n" for a, b in ordered))
    main(["select", str(path), "--k", "1:3", "--out", str(tmp_path / "s")])
    assert "warning: every column name is a number" in capsys.readouterr().err
    # One column of two far from its values is no majority: it warns.
    path = tmp_path / "tie.csv"
    lines = [f"{X[0, 0]:.4f},1\n"] + [f"{a:.4f},0\n" for a in X[1:, 0]]
    path.write_text("".join(lines))
    main(["select", str(path), "--k", "1:3", "--out", str(tmp_path / "t")])
    assert "warning: every column name is a number" in capsys.readouterr().err


def test_an_empty_column_elsewhere_is_left_out_without_the_separator_story(
    tmp_path, capsys
):
    X = blobs()[0][["x", "y"]].to_numpy()
    path = tmp_path / "middle.csv"
    path.write_text("x,,y\n" + "".join(f"{a:.4f},,{b:.4f}\n" for a, b in X))
    assert main(["select", str(path), "--k", "1:5", "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert "note: left out column 'Unnamed: 1': no cell holds a value\n" in err


def test_a_parquet_file_with_numbered_columns_does_not_warn_of_a_header(
    tmp_path, capsys
):
    pytest.importorskip("pyarrow")
    path = tmp_path / "numbered.parquet"
    pd.DataFrame(blobs()[0][["x", "y"]].to_numpy()).to_parquet(path)  # "0", "1"
    assert main(["select", str(path), "--k", "1:5", "--out", str(tmp_path / "o")]) == 0
    assert "warning: every column name" not in capsys.readouterr().err
