"""Tests of the Display objects: each reads the drawing back."""

import itertools
import subprocess
import sys
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.cluster import DBSCAN, KMeans
from sklearn.datasets import load_iris, make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, RepeatedKFold
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_leakage import (
    KSelectionDisplay,
    LeakageGraphDisplay,
    LeakageMatrixDisplay,
    LeakageReport,
    LeakageScore,
    LeakageTestGridDisplay,
    SampleLeakageDisplay,
    ThresholdSweepDisplay,
    cross_val_proba,
    expected_leakage,
    leakage_matrix,
    leakage_scorer,
    refit_n_clusters,
    select_n_clusters,
    total_leakage,
)
from sklearn_leakage._display.k_selection import (
    DENSE_LABEL,
    NO_BETTER_LABEL,
    REAL_LABEL,
    UNREPRODUCED_LABEL,
)
from sklearn_leakage._selection import VERDICTS
from sklearn_leakage.exceptions import NoStructureWarning

# Six points in three clusters. At detection_threshold=0.05:
#   cluster 0 (3 points): 0.1 on cluster 1 (row 0), 0.2 on cluster 2 (row 2)
#       -> leaks into 1: 1/3 = 33.3%, into 2: 1/3 = 33.3%
#   cluster 1 (2 points): 0.3 on cluster 0 (row 4) -> into 0: 1/2 = 50.0%
#   cluster 2 (1 point): no leakage.
# Own-cluster probabilities: 0.9, 1.0, 0.8 | 1.0, 0.7 | 1.0, mean 5.4 / 6 = 0.9.
LABELS6 = np.array([0, 0, 0, 1, 1, 2])
PROBA6 = np.array(
    [
        [0.9, 0.1, 0.0],
        [1.0, 0.0, 0.0],
        [0.8, 0.0, 0.2],
        [0.0, 1.0, 0.0],
        [0.3, 0.7, 0.0],
        [0.0, 0.0, 1.0],
    ]
)
MATRIX6 = np.array([[1.0, 1 / 3, 1 / 3], [0.5, 1.0, 0.0], [0.0, 0.0, 1.0]])

# Four points in two clusters; a point leaks when its other-cluster probability
# reaches the threshold: 0.1 and 0.2 at 0.05, only 0.2 at 0.15, none at 0.25,
# so total leakage is 2/4, 1/4, 0/4.
LABELS4 = np.array([0, 0, 1, 1])
PROBA4 = np.array([[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]])


def tick_texts(labels):
    return [label.get_text() for label in labels]


@pytest.fixture(scope="module")
def fitted():
    """LeakageScore with 4 KMeans clusters on 3 overlapping blobs: some leakage."""
    X, _ = make_blobs(n_samples=300, centers=3, cluster_std=2.5, random_state=0)
    est = LeakageScore(KMeans(4, n_init=3, random_state=0), random_state=0)
    return est.fit(X)


@pytest.fixture(scope="module")
def fitted_noise():
    """LeakageScore around DBSCAN: 44 of 300 points are noise (-1), excluded."""
    X, _ = make_blobs(n_samples=300, centers=3, cluster_std=1.0, random_state=0)
    est = LeakageScore(DBSCAN(eps=0.5, min_samples=5), random_state=0)
    return est.fit(X)


@pytest.fixture(scope="module")
def search():
    """The issue's k-selection search on four blobs."""
    X, _ = make_blobs(
        n_samples=300, centers=4, cluster_std=0.8, center_box=(-10, 10), random_state=1
    )
    est = LeakageScore(KMeans(n_init=3, random_state=0), random_state=0)
    grid = {"clusterer__n_clusters": [2, 3, 4, 5]}
    return GridSearchCV(est, grid, cv=3).fit(X)


# --------------------------------------------------------------------------- #
# Shared behaviour of every Display
# --------------------------------------------------------------------------- #

FROM_PREDICTIONS = {
    "matrix": lambda **kw: LeakageMatrixDisplay.from_predictions(LABELS6, PROBA6, **kw),
    "graph": lambda **kw: LeakageGraphDisplay.from_predictions(LABELS6, PROBA6, **kw),
    "sample": lambda **kw: SampleLeakageDisplay.from_predictions(LABELS6, PROBA6, **kw),
    "sweep": lambda **kw: ThresholdSweepDisplay.from_predictions(LABELS6, PROBA6, **kw),
    "k_selection": lambda **kw: KSelectionDisplay(
        [2, 3, 4], [1.0, 2.0, 1.5], [0.1, 0.2, 0.1], best_index=1
    ).plot(**kw),
}


@pytest.mark.parametrize("name", sorted(FROM_PREDICTIONS))
def test_given_axes_is_used_and_no_figure_is_created(pyplot, name):
    fig, ax = pyplot.subplots()
    before = pyplot.get_fignums()
    disp = FROM_PREDICTIONS[name](ax=ax)
    assert disp.ax_ is ax
    assert disp.figure_ is fig
    assert pyplot.get_fignums() == before


@pytest.mark.parametrize("name", sorted(FROM_PREDICTIONS))
def test_new_figure_when_no_axes(pyplot, name):
    before = len(pyplot.get_fignums())
    disp = FROM_PREDICTIONS[name]()
    assert len(pyplot.get_fignums()) == before + 1
    assert disp.ax_.figure is disp.figure_
    assert disp.ax_.get_title() != ""


@pytest.mark.parametrize("name", sorted(FROM_PREDICTIONS))
def test_new_figure_is_laid_out_and_a_given_one_is_not(pyplot, name):
    # A figure the display makes is its own: constrained layout keeps the tick
    # labels and colorbar inside it ("compressed": the heatmap and the graph
    # have a fixed aspect). The user's figure keeps its layout.
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    disp = FROM_PREDICTIONS[name]()
    assert isinstance(disp.figure_.get_layout_engine(), ConstrainedLayoutEngine)
    fig, ax = pyplot.subplots()
    FROM_PREDICTIONS[name](ax=ax)
    assert fig.get_layout_engine() is None


@pytest.fixture(scope="module")
def iris_names_proba():
    """Iris species names and out-of-fold probabilities, as in the user audit."""
    X, y = load_iris(return_X_y=True)
    names = load_iris().target_names[y]
    return names, cross_val_proba(X, names, random_state=0)


def _outside_figure(display):
    """Texts of the figure's Axes (colorbar too) a plain savefig would cut off."""
    fig = display.figure_
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [
        text
        for ax in fig.axes
        for text in (
            *ax.get_yticklabels(),
            *ax.get_xticklabels(),
            ax.xaxis.label,
            ax.yaxis.label,
            ax.title,
        )
    ]
    outside = []
    for text in texts:
        box = text.get_window_extent(renderer)
        if text.get_text() and not (
            fig.bbox.x0 <= box.x0
            and box.x1 <= fig.bbox.x1
            and fig.bbox.y0 <= box.y0
            and box.y1 <= fig.bbox.y1
        ):
            outside.append((text.get_text(), box.x0, box.x1))
    return outside


@pytest.mark.parametrize("display", [LeakageMatrixDisplay, SampleLeakageDisplay])
def test_long_cluster_names_stay_inside_a_new_figure(pyplot, iris_names_proba, display):
    # The audit's case: in the default 6.4 x 4.8 inch figure with fixed
    # margins, "versicolor (n=50)" started 25 pixels left of the figure.
    names, proba = iris_names_proba
    disp = display.from_predictions(names, proba)
    assert tick_texts(disp.ax_.get_yticklabels()) == [
        "setosa (n=50)",
        "versicolor (n=50)",
        "virginica (n=50)",
    ]
    assert _outside_figure(disp) == []


def test_long_cluster_names_leave_the_sample_title_whole(pyplot, iris_names_proba):
    # Names of 20 to 50 characters leave the Axes narrow; the title, centred
    # on it, ran 9 pixels past the right edge of the display's own figure.
    _, proba = iris_names_proba
    names = np.array(
        [
            "setosa (the short-stemmed one)",
            "versicolor (medium)",
            "virginica (the tall variety from Virginia)",
        ]
    )
    labels = names[np.repeat([0, 1, 2], 50)]
    disp = SampleLeakageDisplay.from_predictions(labels, proba, classes=names)
    assert disp.ax_.get_title() == "Own-cluster probability of each point"
    assert _outside_figure(disp) == []


@pytest.mark.parametrize(
    "display",
    [
        LeakageMatrixDisplay,
        LeakageGraphDisplay,
        SampleLeakageDisplay,
        ThresholdSweepDisplay,
    ],
)
def test_from_estimator_needs_fitted_leakage_score(pyplot, display):
    est = LeakageScore(KMeans(2, n_init=1, random_state=0))
    with pytest.raises(NotFittedError, match="not fitted"):
        display.from_estimator(est)
    X, _ = make_blobs(n_samples=30, random_state=0)
    with pytest.raises(TypeError, match="needs a fitted LeakageScore"):
        display.from_estimator(KMeans(2, n_init=1, random_state=0).fit(X))
    # The right estimator fitted without its diagnostics: a ValueError, also
    # after set_params(compute_oof=True) without a refit.
    est = LeakageScore(KMeans(2, n_init=1, random_state=0), compute_oof=False)
    with pytest.raises(ValueError, match="fitted with compute_oof=False"):
        display.from_estimator(est.fit(X))
    with pytest.raises(ValueError, match="fitted with compute_oof=False"):
        display.from_estimator(est.set_params(compute_oof=True))


def test_importing_the_package_does_not_import_matplotlib():
    code = (
        "import sys, sklearn_leakage; "
        "sys.exit(int(any(m.startswith('matplotlib') for m in sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False)
    assert result.returncode == 0


# --------------------------------------------------------------------------- #
# LeakageMatrixDisplay
# --------------------------------------------------------------------------- #


def test_matrix_from_predictions_hand_case(pyplot):
    disp = LeakageMatrixDisplay.from_predictions(LABELS6, PROBA6)
    texts = [[t.get_text() for t in row] for row in disp.text_]
    assert texts == [
        ["\N{EM DASH}", "33.3%", "33.3%"],
        ["50.0%", "\N{EM DASH}", "0.0%"],
        ["0.0%", "0.0%", "\N{EM DASH}"],
    ]
    assert tick_texts(disp.ax_.get_yticklabels()) == ["0 (n=3)", "1 (n=2)", "2 (n=1)"]
    assert tick_texts(disp.ax_.get_xticklabels()) == ["0", "1", "2"]
    image = disp.im_.get_array()
    # The diagonal is masked: not coloured.
    assert_array_equal(np.ma.getmaskarray(image), np.eye(3, dtype=bool))
    off = ~np.eye(3, dtype=bool)
    assert_allclose(image.data[off], 100 * MATRIX6[off])
    assert disp.im_.norm.vmax == pytest.approx(50.0)


def test_matrix_threshold_and_string_labels(pyplot):
    labels = np.array(["b", "b", "a", "a"])
    proba = np.array([[0.2, 0.8], [0.0, 1.0], [0.9, 0.1], [1.0, 0.0]])
    # Columns follow classes ["a", "b"]. At 0.15 only 0.2 (a "b" point on "a")
    # leaks: b -> a 1/2, a -> b 0/2.
    disp = LeakageMatrixDisplay.from_predictions(
        labels, proba, detection_threshold=0.15
    )
    assert disp.text_[1, 0].get_text() == "50.0%"
    assert disp.text_[0, 1].get_text() == "0.0%"
    assert tick_texts(disp.ax_.get_yticklabels()) == ["a (n=2)", "b (n=2)"]


def test_matrix_from_estimator(pyplot, fitted):
    disp = LeakageMatrixDisplay.from_estimator(fitted)
    off = ~np.eye(fitted.n_clusters_, dtype=bool)
    assert_allclose(disp.im_.get_array().data[off], 100 * fitted.leakage_matrix_[off])
    counts = np.bincount(fitted.labels_)
    expected = [f"{c} (n={n})" for c, n in zip(fitted.classes_, counts, strict=True)]
    assert tick_texts(disp.ax_.get_yticklabels()) == expected
    i, j = np.unravel_index(
        np.argmax(np.where(off, fitted.leakage_matrix_, -1)), off.shape
    )
    assert disp.text_[i, j].get_text() == f"{fitted.leakage_matrix_[i, j]:.1%}"


def test_matrix_from_estimator_sizes_leave_noise_out(pyplot, fitted_noise):
    disp = LeakageMatrixDisplay.from_estimator(fitted_noise)
    sizes = [int(t.get_text().split("n=")[1][:-1]) for t in disp.ax_.get_yticklabels()]
    assert sum(sizes) == np.sum(fitted_noise.labels_ != -1) == 256


def test_matrix_user_styles_override_defaults(pyplot):
    disp = LeakageMatrixDisplay.from_predictions(
        LABELS6,
        PROBA6,
        im_kw={"cmap": "Blues", "vmax": 100},
        text_kw={"c": "blue", "fontsize": 14},
        display_labels=["x", "y", "z"],
        colorbar=False,
    )
    assert disp.im_.get_cmap().name == "Blues"
    assert disp.im_.norm.vmax == 100
    assert {t.get_color() for t in disp.text_.ravel()} == {"blue"}
    assert {t.get_fontsize() for t in disp.text_.ravel()} == {14}
    assert tick_texts(disp.ax_.get_xticklabels()) == ["x", "y", "z"]
    assert tick_texts(disp.ax_.get_yticklabels()) == ["x (n=3)", "y (n=2)", "z (n=1)"]
    assert len(disp.figure_.axes) == 1  # no colorbar axes


def test_matrix_include_values(pyplot):
    disp = LeakageMatrixDisplay.from_predictions(LABELS6, PROBA6, include_values=False)
    assert disp.text_ is None
    assert len(disp.ax_.texts) == 0
    # None annotates up to 15 clusters only.
    assert LeakageMatrixDisplay(np.zeros((15, 15))).plot().text_.shape == (15, 15)
    assert LeakageMatrixDisplay(np.zeros((16, 16))).plot().text_ is None


def test_matrix_writes_small_and_near_one_shares_as_the_report(pyplot):
    # ".1%" wrote 1 leaking point of 5000 as "0.0%", which reads as none, and
    # 4999 of 5000 as "100.0%"; the report writes "0.02%" and "99.98%".
    matrix = np.array([[1.0, 0.0002], [0.9998, 1.0]])
    disp = LeakageMatrixDisplay(matrix).plot()
    assert disp.text_[0, 1].get_text() == "0.02%"
    assert disp.text_[1, 0].get_text() == "99.98%"
    assert LeakageMatrixDisplay(MATRIX6).plot().text_[0, 1].get_text() == "33.3%"
    # A given format is used as given.
    disp = LeakageMatrixDisplay(matrix).plot(values_format=".1%")
    assert disp.text_[0, 1].get_text() == "0.0%"


def test_matrix_plot_without_support(pyplot):
    disp = LeakageMatrixDisplay(MATRIX6).plot(values_format=".0%")
    assert tick_texts(disp.ax_.get_yticklabels()) == ["0", "1", "2"]
    assert disp.text_[1, 0].get_text() == "50%"


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"leakage_matrix": np.zeros((2, 3))}, "must be a square array"),
        ({"leakage_matrix": np.zeros(3)}, "must be a square array"),
        (
            {"leakage_matrix": MATRIX6, "display_labels": ["a", "b"]},
            "display_labels has 2 entries but leakage_matrix has 3 clusters",
        ),
        (
            {"leakage_matrix": MATRIX6, "support": [1, 2]},
            r"support has shape \(2,\) but leakage_matrix has 3 clusters",
        ),
    ],
)
def test_matrix_bad_inputs(pyplot, kwargs, match):
    kwargs = dict(kwargs)
    matrix = kwargs.pop("leakage_matrix")
    with pytest.raises(ValueError, match=match):
        LeakageMatrixDisplay(matrix, **kwargs).plot()
    with pytest.raises(ValueError, match=match):
        LeakageGraphDisplay(matrix, **kwargs).plot()


def test_from_predictions_bad_proba_names_the_fix(pyplot):
    with pytest.raises(ValueError, match="pass classes= in the column order"):
        LeakageMatrixDisplay.from_predictions(LABELS6, PROBA6[:, :2] / 1.0)


# --------------------------------------------------------------------------- #
# LeakageGraphDisplay
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("threshold", [0.02, 1 / 3, 0.4, 0.6])
def test_graph_edge_count_equals_entries_above_threshold(pyplot, threshold):
    disp = LeakageGraphDisplay.from_predictions(
        LABELS6, PROBA6, leakage_threshold=threshold
    )
    # Off-diagonal entries 1/3, 1/3, 1/2: 3, 3, 1 and 0 of them reach 0.02, 1/3,
    # 0.4 and 0.6.
    expected = {0.02: 3, 1 / 3: 3, 0.4: 1, 0.6: 0}[threshold]
    assert len(disp.edges_) == expected
    assert len(disp.edge_labels_) == expected


def test_graph_writes_a_share_near_one_as_the_report(pyplot):
    # ".1%" wrote an arrow of 0.9998 as "100.0%", which reads as every point.
    matrix = np.array([[0.0, 0.9998], [0.5, 0.0]])
    disp = LeakageGraphDisplay(matrix).plot()
    assert sorted(t.get_text() for t in disp.edge_labels_) == ["50.0%", "99.98%"]
    disp = LeakageGraphDisplay(matrix).plot(values_format=".1%")
    assert sorted(t.get_text() for t in disp.edge_labels_) == ["100.0%", "50.0%"]


def test_graph_hand_case(pyplot):
    disp = LeakageGraphDisplay.from_predictions(LABELS6, PROBA6)
    assert [t.get_text() for t in disp.edge_labels_] == ["33.3%", "33.3%", "50.0%"]
    assert [t.get_text() for t in disp.node_labels_] == [
        "0\n(n=3)",
        "1\n(n=2)",
        "2\n(n=1)",
    ]
    # Area proportional to size, with a floor: cluster 0 (3 points) is largest.
    radii = [node.get_radius() for node in disp.nodes_]
    assert radii[0] > radii[1] > radii[2]
    assert radii[1] / radii[0] == pytest.approx(np.sqrt(2 / 3))
    # Edges in row-major order: 0->1, 0->2, 1->0; the strongest is the widest.
    widths = [edge.get_linewidth() for edge in disp.edges_]
    assert widths[2] > widths[0] == widths[1]
    assert all(e.get_connectionstyle().rad == 0.2 for e in disp.edges_)


def test_graph_arrows_run_from_circle_to_circle_along_the_arc(pyplot):
    # The arrows are not clipped by matplotlib (slow at many clusters): they
    # start and end on the circles, where matplotlib's arc3 curve between
    # the centres leaves and enters them.
    from matplotlib.patches import ConnectionStyle

    from sklearn_leakage._display.leakage_graph import _control_point, _towards

    start, end = np.array([0.0, 0.0]), np.array([1.0, 0.5])
    arc = ConnectionStyle.Arc3(rad=0.2)(
        start, end, patchA=None, patchB=None, shrinkA=0, shrinkB=0
    )
    np.testing.assert_allclose(_control_point(start, end), arc.vertices[1])
    centre = np.array([1.0, 2.0])
    point = _towards(centre, centre + np.array([3.0, 4.0]), 0.5)
    np.testing.assert_allclose(point, centre + 0.5 * np.array([0.6, 0.8]))

    # The drawn arrows start on their source circle and end where the arrows
    # that matplotlib clips to the circles (the same curve given as the
    # user's own style) end, within 0.01 of the unit-circle layout.
    def ends(display):
        display.figure_.canvas.draw()
        centres = np.array([node.center for node in display.nodes_])
        pairs = [(0, 1), (0, 2), (1, 0)]  # row-major order of the leaking pairs
        return np.array(
            [
                [
                    np.hypot(*(edge.get_path().vertices[0] - centres[i])),
                    np.hypot(*(edge.get_path().vertices - centres[j]).T).min(),
                ]
                for edge, (i, j) in zip(display.edges_, pairs, strict=True)
            ]
        )

    ours = ends(LeakageGraphDisplay.from_predictions(LABELS6, PROBA6))
    clipped = ends(
        LeakageGraphDisplay.from_predictions(
            LABELS6, PROBA6, edge_kw={"connectionstyle": "arc3,rad=0.2"}
        )
    )
    disp = LeakageGraphDisplay.from_predictions(LABELS6, PROBA6)
    radii = np.array([node.get_radius() for node in disp.nodes_])
    np.testing.assert_allclose(ours[:, 0], radii[[0, 0, 1]])
    np.testing.assert_allclose(ours, clipped, atol=0.01)


def test_graph_opposite_edges_do_not_overlap(pyplot):
    disp = LeakageGraphDisplay.from_predictions(LABELS6, PROBA6)
    centres = np.array([node.center for node in disp.nodes_])
    chord = centres[1] - centres[0]
    # Labels of 0->1 (first edge) and 1->0 (third edge) lie on opposite sides of
    # the chord between the two nodes: the arcs bend apart.
    sides = []
    for label in (disp.edge_labels_[0], disp.edge_labels_[2]):
        offset = np.array(label.get_position()) - centres[0]
        sides.append(np.sign(chord[0] * offset[1] - chord[1] * offset[0]))
    assert sides[0] == -sides[1] != 0


def test_graph_from_estimator(pyplot, fitted):
    disp = LeakageGraphDisplay.from_estimator(fitted, leakage_threshold=0.05)
    off = ~np.eye(fitted.n_clusters_, dtype=bool)
    assert len(disp.edges_) == np.sum(fitted.leakage_matrix_[off] >= 0.05)
    assert len(disp.edges_) > 0
    assert len(disp.nodes_) == fitted.n_clusters_


def test_graph_readable_for_30_clusters(pyplot):
    rng = np.random.default_rng(0)
    matrix = np.where(rng.uniform(size=(30, 30)) < 0.05, 0.1, 0.0)
    np.fill_diagonal(matrix, 1.0)
    support = rng.integers(5, 500, size=30)
    disp = LeakageGraphDisplay(matrix, support=support).plot()
    assert len(disp.nodes_) == 30
    assert len(disp.edges_) == np.sum(matrix[~np.eye(30, dtype=bool)] >= 0.02)
    centres = np.array([node.center for node in disp.nodes_])
    radii = np.array([node.get_radius() for node in disp.nodes_])
    gaps = np.linalg.norm(centres[:, None] - centres[None], axis=-1)
    gaps -= radii[:, None] + radii[None]
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() > 0  # no two nodes touch
    # Names only on the nodes: neighbours' two-line labels would collide.
    assert [t.get_text() for t in disp.node_labels_[:3]] == ["0", "1", "2"]


def test_graph_long_names_stay_inside_the_axes_and_off_the_colorbar(pyplot):
    # A long name to the right of its node ran under the colorbar, and the
    # constrained layout shrank the Axes to make room for it: the graph drew
    # at about a quarter of its side.
    rng = np.random.default_rng(0)
    matrix = rng.uniform(0.03, 0.3, size=(4, 4))
    np.fill_diagonal(matrix, 1.0)
    support = [120, 80, 100, 60]
    short = LeakageGraphDisplay(matrix, support=support).plot()
    names = [
        "a",
        "north-east customers with loyalty card",
        "c",
        "north_east_loyal_2024",
    ]
    disp = LeakageGraphDisplay(matrix, display_labels=names, support=support).plot()
    texts = [t.get_text() for t in disp.node_labels_]
    assert texts[1] == "north-east\ncustomers with\nloyalty card\n(n=80)"
    assert texts[3] == "north_east_loyal\n_2024\n(n=60)"
    disp.figure_.canvas.draw()
    short.figure_.canvas.draw()
    graph, colorbar = disp.figure_.axes
    for label in disp.node_labels_:
        box = label.get_window_extent()
        inner, outer = np.asarray(box.extents), np.asarray(graph.bbox.extents)
        # Inside, to a pixel of rounding.
        assert np.all(inner[:2] >= outer[:2] - 1)
        assert np.all(inner[2:] <= outer[2:] + 1)
        assert not box.overlaps(colorbar.bbox)
    # The Axes keep their size; the graph inside them is drawn smaller, by
    # what the names need, and no smaller than MIN_GRAPH_SCALE.
    assert graph.bbox.width == pytest.approx(short.ax_.bbox.width, abs=1)
    limit = disp.ax_.get_xlim()[1]
    assert short.ax_.get_xlim()[1] < limit <= short.ax_.get_xlim()[1] / 0.4
    # Names that fit keep the limits of single-character names.
    largest = max(node.get_radius() for node in short.nodes_)
    assert short.ax_.get_xlim() == pytest.approx((-1.45 - largest, 1.45 + largest))
    assert not any(label.get_in_layout() for label in disp.node_labels_)
    # Hidden names take no room: an invisible text measured as the origin.
    hidden = LeakageGraphDisplay(matrix, display_labels=names, support=support).plot(
        node_label_kw={"visible": False}
    )
    assert hidden.ax_.get_xlim() == pytest.approx(short.ax_.get_xlim())


def test_graph_long_names_fit_on_a_given_ax_or_join_the_layout(pyplot):
    # The smallest scale was applied to the room a name leaves rather than
    # to the graph: on the report's 6.2 x 5 inch figure a long name still ran
    # 4 pixels past the Axes, under the colorbar, where a smaller graph fits.
    from matplotlib.figure import Figure

    rng = np.random.default_rng(0)
    matrix = rng.uniform(0.03, 0.3, size=(4, 4))
    np.fill_diagonal(matrix, 1.0)
    long = "customers of the north-eastern region holding a loyalty card since 2019"
    names = ["c0", long, "c2", "c3"]
    figure = Figure(figsize=(6.2, 5))
    disp = LeakageGraphDisplay(matrix, display_labels=names).plot(
        ax=figure.add_subplot()
    )
    figure.draw_without_rendering()
    outer = np.asarray(disp.ax_.bbox.extents)
    for label in disp.node_labels_:
        inner = np.asarray(label.get_window_extent().extents)
        assert np.all(inner[:2] >= outer[:2] - 1)
        assert np.all(inner[2:] <= outer[2:] + 1)
    # On a figure too small for it even at the smallest scale, the names take
    # part in the layout again, so that bbox_inches="tight" keeps them.
    small = Figure(figsize=(3, 2.5))
    cramped = LeakageGraphDisplay(matrix, display_labels=names).plot(
        ax=small.add_subplot()
    )
    assert all(label.get_in_layout() for label in cramped.node_labels_)
    # A name taller than the Axes beside the right node, whose anchor lies on
    # the horizontal axis (y = 0 exactly), was not measured upwards.
    tall = ["c0", "\n".join(["line"] * 40), "c2", "c3"]
    towering = LeakageGraphDisplay(matrix, display_labels=tall).plot(
        ax=Figure(figsize=(6.2, 5)).add_subplot()
    )
    assert all(label.get_in_layout() for label in towering.node_labels_)


def test_graph_user_styles_override_defaults(pyplot):
    disp = LeakageGraphDisplay.from_predictions(
        LABELS6,
        PROBA6,
        edge_kw={"color": "blue", "lw": 7},
        node_kw={"fc": "yellow"},
        include_values=False,
        colorbar=False,
    )
    assert all(e.get_edgecolor() == (0.0, 0.0, 1.0, 1.0) for e in disp.edges_)
    assert all(e.get_linewidth() == 7 for e in disp.edges_)
    assert all(n.get_facecolor() == (1.0, 1.0, 0.0, 1.0) for n in disp.nodes_)
    assert disp.edge_labels_ == []
    assert len(disp.figure_.axes) == 1


def _text_boxes(figure, texts):
    """Pixel extent of each text with its background box, after a draw."""
    from matplotlib.transforms import Bbox

    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [
        Bbox.union(
            [
                text.get_window_extent(renderer),
                text.get_bbox_patch().get_window_extent(renderer),
            ]
        )
        for text in texts
    ]


def _overlapping_pairs(boxes):
    return [
        (a, b)
        for a in range(len(boxes))
        for b in range(a + 1, len(boxes))
        if boxes[a].overlaps(boxes[b])
    ]


@pytest.fixture(scope="module")
def six_clusters():
    """k-means' 6 clusters of 6 overlapping blobs and their out-of-fold proba."""
    X, _ = make_blobs(
        n_samples=600, centers=6, cluster_std=1.5, center_box=(-8, 8), random_state=0
    )
    labels = KMeans(6, n_init=3, random_state=0).fit_predict(X)
    return labels, cross_val_proba(X, labels, random_state=0)


def test_graph_edge_labels_of_six_clusters_do_not_overlap(pyplot, six_clusters):
    # With every share written 0.35 of the way along its arrow, the long chords
    # of the circle brought 5 pairs of shares' boxes on top of each other near
    # the centre.
    labels, proba = six_clusters
    disp = LeakageGraphDisplay.from_predictions(labels, proba)
    assert len(disp.edge_labels_) == 15
    boxes = _text_boxes(disp.figure_, disp.edge_labels_)
    assert _overlapping_pairs(boxes) == []
    # Nor do they cover a node.
    renderer = disp.figure_.canvas.get_renderer()
    nodes = [node.get_window_extent(renderer) for node in disp.nodes_]
    assert not any(box.overlaps(node) for box in boxes for node in nodes)
    # Deterministic: the same matrix puts the shares at the same places.
    again = LeakageGraphDisplay.from_predictions(labels, proba)
    assert [t.get_position() for t in again.edge_labels_] == [
        t.get_position() for t in disp.edge_labels_
    ]
    # In a SubFigure, which has no draw of its own, the shares are placed too.
    ax = pyplot.figure(figsize=(12, 5)).subfigures(1, 2)[1].subplots()
    inside = LeakageGraphDisplay.from_predictions(labels, proba, ax=ax)
    assert len(inside.edge_labels_) == 15


def test_graph_edge_labels_of_a_complete_graph_do_not_overlap(pyplot):
    # Worst case of 6 clusters: every pair leaks both ways, 30 shares; at a
    # fixed 0.35 of every arrow, 22 pairs of boxes overlapped.
    rng = np.random.default_rng(0)
    matrix = rng.uniform(0.03, 0.3, size=(6, 6))
    np.fill_diagonal(matrix, 1.0)
    disp = LeakageGraphDisplay(matrix, support=rng.integers(50, 200, 6)).plot()
    assert len(disp.edge_labels_) == 30
    assert _overlapping_pairs(_text_boxes(disp.figure_, disp.edge_labels_)) == []
    # Each share stays on its own arc3 curve, between 0.1 and 0.85 of the way
    # from its source: i->j and j->i are on opposite sides of their chord.
    centres = np.array([node.center for node in disp.nodes_])
    pairs = [(i, j) for i in range(6) for j in range(6) if i != j]
    positions = {}
    for label, (i, j) in zip(disp.edge_labels_, pairs, strict=True):
        start, end = centres[i], centres[j]
        control = (start + end) / 2 + 0.2 * np.array(
            [(end - start)[1], -(end - start)[0]]
        )
        t = np.linspace(0.1, 0.85, 301)[:, None]
        curve = (1 - t) ** 2 * start + 2 * t * (1 - t) * control + t**2 * end
        position = np.array(label.get_position())
        assert np.min(np.hypot(*(curve - position).T)) < 0.01
        positions[i, j] = position
    for i, j in pairs:
        assert np.hypot(*(positions[i, j] - positions[j, i])) > 0.1


@pytest.mark.parametrize("threshold", [0, -0.1, 1.5])
def test_graph_bad_threshold(pyplot, threshold):
    with pytest.raises(
        ValueError, match=r"leakage_threshold must be a share in \(0, 1\]"
    ):
        LeakageGraphDisplay(MATRIX6, leakage_threshold=threshold).plot()


# --------------------------------------------------------------------------- #
# KSelectionDisplay
# --------------------------------------------------------------------------- #


def test_k_selection_from_grid_search(pyplot, search):
    disp = KSelectionDisplay.from_cv_results(search)
    results = search.cv_results_
    data_line, _, (bars,) = disp.errorbar_.lines
    assert_array_equal(data_line.get_xdata(), [2, 3, 4, 5])
    assert_allclose(data_line.get_ydata(), results["mean_test_score"])
    # cv=3: standard error = std / sqrt(3).
    se = results["std_test_score"] / np.sqrt(3)
    for segment, mean, error in zip(
        bars.get_segments(), results["mean_test_score"], se, strict=True
    ):
        assert_allclose(segment[:, 1], [mean - error, mean + error])
    chosen = results["param_clusterer__n_clusters"][search.best_index_]
    assert disp.best_line_.get_xdata()[0] == chosen
    assert disp.rule_text_.get_text() == (
        f"rule: highest mean score\nchosen: n_clusters={chosen}"
    )
    assert disp.ax_.get_xlabel() == "Number of clusters"


def test_k_selection_rule_from_refit_callable(pyplot):
    def fewest_clusters(cv_results):
        """Fewest clusters among the candidates.

        A second paragraph that is not shown.
        """
        return int(np.argmin(cv_results["param_n_clusters"]))

    X, _ = make_blobs(n_samples=60, centers=3, random_state=0)
    grid = {"n_clusters": [4, 2, 3]}
    search = GridSearchCV(
        KMeans(n_init=1, random_state=0), grid, cv=2, refit=fewest_clusters
    ).fit(X)
    disp = KSelectionDisplay.from_cv_results(search)
    assert disp.rule == "Fewest clusters among the candidates."
    assert disp.rule_text_.get_text().splitlines() == [
        "rule: Fewest clusters among the candidates.",
        "chosen: n_clusters=2",
    ]
    # Candidates are sorted; best_index follows its candidate.
    assert_array_equal(disp.n_clusters, [2, 3, 4])
    assert disp.best_index == 0
    assert_allclose(disp.mean_scores, search.cv_results_["mean_test_score"][[1, 2, 0]])


def _leakage_cv_results():
    # A search scored by leakage_scorer over k = 1..4, two splits. k = 2
    # reproduces and leaks much less than the reference; k = 3 reproduces too
    # but leaks as much as the reference; k = 4 does not reproduce.
    return {
        "param_n_clusters": np.ma.masked_array([1, 2, 3, 4], mask=False),
        "split0_test_reproducibility": np.array([1.0, 0.96, 0.9, 0.3]),
        "split1_test_reproducibility": np.array([1.0, 0.98, 0.92, 0.5]),
        "mean_test_reproducibility": np.array([1.0, 0.97, 0.91, 0.4]),
        "std_test_reproducibility": np.array([0.0, 0.01, 0.01, 0.1]),
        "split0_test_leakage": np.array([0.0, 0.02, 0.2, 0.3]),
        "split1_test_leakage": np.array([0.0, 0.02, 0.2, 0.3]),
        "split0_test_reference_leakage": np.array([0.0, 0.2, 0.21, 0.25]),
        "split1_test_reference_leakage": np.array([0.0, 0.2, 0.19, 0.25]),
    }


def test_k_selection_crosses_out_partitions_that_are_not_real(pyplot):
    results = _leakage_cv_results()
    disp = KSelectionDisplay.from_cv_results(results, best_index=1)
    # Margins: k=2: 0.18 > 0; k=3: mean 0 less its s.e. <= 0; k=4: -0.05 <= 0,
    # but k=4 does not reproduce, so step 2 never judges it and it gets no
    # mark (its verdict is step 1's).
    assert_array_equal(disp.not_real, [False, False, True, False])
    assert_array_equal(disp.not_real_markers_.get_xdata(), [3])
    assert_allclose(disp.not_real_markers_.get_ydata(), [0.91])
    labels = [text.get_text() for text in disp.ax_.get_legend().get_texts()]
    assert NO_BETTER_LABEL in labels
    assert disp.dense_boundary_markers_ is None
    # The display agrees with the rule: 3 reproduces, but is not real; 2
    # reproduces and is real, and gets the ring that says why it is chosen.
    assert refit_n_clusters(results) == 1
    assert_array_equal(disp.real, [False, True, False, False])
    assert_array_equal(disp.real_markers_.get_xdata(), [2])
    assert REAL_LABEL in labels


def test_k_selection_of_the_scorers_results_alone_shows_the_rules_choice(pyplot):
    # The results of select_n_clusters, passed as a dict, were plotted as
    # chosen by their ranking: "chosen: n_clusters=1", which always
    # reproduces, where the search chose 4.
    X, _ = make_blobs(n_samples=400, centers=4, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        search = select_n_clusters(
            X, KMeans(n_init=3, random_state=0), range(1, 7), random_state=0
        )
    assert search.best_params_ == {"clusterer__n_clusters": 4}
    fitted = KSelectionDisplay.from_cv_results(search)
    with warnings.catch_warnings():
        # Plotting says nothing the search did not say.
        warnings.simplefilter("error")
        alone = KSelectionDisplay.from_cv_results(search.cv_results_)
    assert alone.n_clusters[alone.best_index] == 4
    assert alone.rule == fitted.rule
    assert alone.rule.startswith("Largest number of clusters that reproduces")
    assert_array_equal(alone.not_real, fitted.not_real)
    # Without the reference's scores (sparse X, reference=None) the rule
    # chooses by step 1 alone, in the search and in the plot alike.
    no_reference = {
        key: np.full_like(value, np.nan, dtype=float) if "reference" in key else value
        for key, value in search.cv_results_.items()
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = refit_n_clusters(no_reference)
    plotted = KSelectionDisplay.from_cv_results(no_reference)
    assert (
        plotted.n_clusters[plotted.best_index]
        == no_reference["param_clusterer__n_clusters"][expected]
    )
    assert plotted.rule == fitted.rule
    # Scored by LeakageScore.score alone, a dict is still plotted by its ranking.
    assert KSelectionDisplay.from_cv_results(_cv_results()).rule == (
        "highest mean score"
    )


def test_k_selection_says_when_the_rule_fell_back_on_its_answer(pyplot):
    # Without the 1-cluster row nothing passes: k = 2 reproduces but is no
    # better than the reference, and the rule returns it only as the smallest
    # candidate. The plot says so, and does not promise an answer of 1.
    results = _leakage_cv_results()
    for split in (0, 1):
        results[f"split{split}_test_reference_leakage"][1] = 0.02
    results = {key: np.asarray(values)[1:] for key, values in results.items()}
    with pytest.warns(NoStructureWarning):
        best = refit_n_clusters(results)
    assert best == 0
    rule = "Largest number of clusters that reproduces and is real, else 1."
    disp = KSelectionDisplay.from_cv_results(results, best_index=best, rule=rule)
    text = " ".join(disp.rule_text_.get_text().split())
    assert "else the smallest candidate (1 was not searched)" in text
    assert VERDICTS["chosen_smallest"] in text
    # With the 1-cluster row the same rule text stands as it is.
    full = KSelectionDisplay.from_cv_results(
        _leakage_cv_results(), best_index=1, rule=rule
    )
    assert " ".join(full.rule_text_.get_text().split()).startswith(f"rule: {rule}")


def test_k_selection_crosses_out_a_partition_with_a_dense_boundary(pyplot):
    results = _leakage_cv_results()
    # k = 2 leaks much less than the reference, but one boundary is denser
    # than any in the reference: a cluster cut in two.
    for split in (0, 1):
        results[f"split{split}_test_boundary_leakage"] = np.array([0, 0.1, 0, 0])
        results[f"split{split}_test_reference_boundary_leakage"] = np.array(
            [0, 0.04, 0, 0]
        )
    disp = KSelectionDisplay.from_cv_results(results, best_index=0)
    assert_array_equal(disp.not_real, [False, True, True, False])
    assert refit_n_clusters(results) == 0
    # Two reasons, two markers: k = 2 gets a square (dense boundary only),
    # k = 3 a cross (it leaks as much as the reference); k = 4 does not
    # reproduce and gets none.
    assert_array_equal(disp.dense_boundary, [False, True, False, False])
    assert_array_equal(disp.dense_boundary_markers_.get_xdata(), [2])
    assert disp.dense_boundary_markers_.get_marker() == "s"
    assert_array_equal(disp.not_real_markers_.get_xdata(), [3])
    labels = [text.get_text() for text in disp.ax_.get_legend().get_texts()]
    assert DENSE_LABEL in labels
    assert NO_BETTER_LABEL in labels


def test_k_selection_says_when_the_chosen_candidate_made_fewer_clusters(pyplot):
    results = _leakage_cv_results()
    # Medians over the two splits: 1, 2, 2.5 and 2.
    results["split0_test_n_clusters_found"] = np.array([1.0, 2.0, 2.0, 2.0])
    results["split1_test_n_clusters_found"] = np.array([1.0, 2.0, 3.0, 2.0])
    disp = KSelectionDisplay.from_cv_results(results, best_index=1, rule="mine")
    assert disp.rule_text_.get_text() == "rule: mine\nchosen: n_clusters=2"
    disp = KSelectionDisplay.from_cv_results(results, best_index=2, rule="mine.")
    assert disp.rule_text_.get_text().splitlines() == [
        "rule: mine; the chosen candidate made 2.5",
        "clusters",
        "chosen: n_clusters=3",
    ]


def test_k_selection_not_real_needs_one_flag_per_candidate(pyplot):
    with pytest.raises(ValueError, match="one flag per candidate"):
        KSelectionDisplay(
            [2, 3], [0.9, 0.8], [0.0, 0.0], best_index=0, not_real=[True]
        ).plot()
    with pytest.raises(ValueError, match="dense_boundary has shape"):
        KSelectionDisplay(
            [2, 3],
            [0.9, 0.8],
            [0.0, 0.0],
            best_index=0,
            not_real=[True, False],
            dense_boundary=[True],
        ).plot()


def test_k_selection_squares_only_flagged_candidates(pyplot):
    # dense_boundary outside not_real marks nothing: the square qualifies a
    # candidate that step 2 rejected, it does not reject one by itself.
    disp = KSelectionDisplay(
        [2, 3, 4],
        [0.9, 0.85, 0.5],
        [0.0, 0.0, 0.0],
        best_index=0,
        not_real=[False, True, True],
        dense_boundary=[True, True, False],
    ).plot()
    assert_array_equal(disp.dense_boundary_markers_.get_xdata(), [3])
    assert_array_equal(disp.not_real_markers_.get_xdata(), [4])


def test_k_selection_without_reference_columns_crosses_nothing(pyplot, search):
    disp = KSelectionDisplay.from_cv_results(search)
    assert disp.not_real is None
    assert disp.not_real_markers_ is None
    assert disp.real_markers_ is None


def test_k_selection_rings_every_real_partition_and_the_rule_takes_the_largest(
    pyplot,
):
    # Two far groups of three and three blobs: k = 2 (the groups) and k = 6
    # (the blobs) both reproduce and pass step 2, and the rule takes 6. Without
    # a reference (step 1 alone) nothing can be called real.
    centres = [[0, 0], [4, 0], [0, 4], [20, 20], [24, 20], [20, 24]]
    X, _ = make_blobs(n_samples=600, centers=centres, random_state=0)
    search = select_n_clusters(
        X, KMeans(n_init=3, random_state=0), range(1, 9), random_state=0
    )
    assert search.best_params_ == {"clusterer__n_clusters": 6}
    disp = KSelectionDisplay.from_cv_results(search)
    assert_array_equal(disp.real_markers_.get_xdata(), [2, 6])
    rings = KSelectionDisplay(
        [1, 2, 3], [1.0, 0.9, 0.5], [0.0, 0.0, 0.0], best_index=1
    ).plot()
    assert rings.real_markers_ is None
    with pytest.raises(ValueError, match="real has shape"):
        KSelectionDisplay(
            [2, 3], [0.9, 0.8], [0.0, 0.0], best_index=0, real=[True]
        ).plot()


def _cv_results(param="param_clusterer__n_clusters", values=(2, 3, 4)):
    # Two splits: split scores (1, 3), (2, 2), (4, 2) give means 2, 2, 3 and
    # population standard deviations 1, 0, 1.
    return {
        param: np.ma.masked_array(list(values), mask=False),
        "split0_test_score": np.array([1.0, 2.0, 4.0]),
        "split1_test_score": np.array([3.0, 2.0, 2.0]),
        "mean_test_score": np.array([2.0, 2.0, 3.0]),
        "std_test_score": np.array([1.0, 0.0, 1.0]),
        "rank_test_score": np.array([2, 2, 1]),
    }


@pytest.mark.parametrize(
    "param",
    [
        "param_n_clusters",
        "param_clusterer__n_clusters",
        "param_leak__clusterer__n_clusters",
    ],
)
def test_k_selection_detects_the_n_clusters_parameter(pyplot, param):
    disp = KSelectionDisplay.from_cv_results(_cv_results(param))
    assert_array_equal(disp.n_clusters, [2, 3, 4])
    assert_allclose(disp.std_errors, np.array([1.0, 0.0, 1.0]) / np.sqrt(2))
    # No best_index for a dict: the candidate ranked first, as refit=True does.
    assert disp.best_index == 2
    assert disp.rule == "highest mean score"


def test_k_selection_dict_with_best_index_has_no_rule(pyplot):
    disp = KSelectionDisplay.from_cv_results(_cv_results(), best_index=0)
    assert disp.rule_text_.get_text() == "chosen: n_clusters=2"
    disp = KSelectionDisplay.from_cv_results(
        _cv_results(), best_index=0, rule="smallest k"
    )
    assert disp.rule_text_.get_text() == "rule: smallest k\nchosen: n_clusters=2"


def test_k_selection_named_parameter_and_score(pyplot):
    results = _cv_results()
    results["param_clusterer__n_init"] = np.ma.masked_array([1, 1, 1], mask=False)
    results = {
        key.replace("test_score", "test_ari"): value for key, value in results.items()
    }
    disp = KSelectionDisplay.from_cv_results(
        results, param_name="clusterer__n_clusters", score_name="ari"
    )
    assert disp.ax_.get_ylabel() == "Mean ari \N{PLUS-MINUS SIGN} s.e."
    assert disp.rule == "highest mean ari"


def test_k_selection_user_styles_override_defaults(pyplot):
    disp = KSelectionDisplay.from_cv_results(
        _cv_results(),
        errorbar_kw={"c": "green", "fmt": "s--"},
        best_line_kw={"color": "black", "ls": ":"},
        rule_text_kw={"fontsize": 15},
    )
    assert disp.errorbar_.lines[0].get_color() == "green"
    assert disp.errorbar_.lines[0].get_marker() == "s"
    assert disp.best_line_.get_color() == "black"
    assert disp.best_line_.get_linestyle() == ":"
    assert disp.rule_text_.get_fontsize() == 15


@pytest.mark.parametrize(
    "mutate, kwargs, match",
    [
        (
            lambda r: r.pop("param_clusterer__n_clusters"),
            {},
            "no parameter ending in 'n_clusters'.*pass param_name=",
        ),
        (
            lambda r: r.update(param_n_clusters=r["param_clusterer__n_clusters"]),
            {},
            "several parameters ending in 'n_clusters'",
        ),
        (lambda r: None, {"param_name": "alpha"}, "param_name='alpha' is not"),
        (lambda r: None, {"score_name": "ari"}, "no 'mean_test_ari' column"),
        (lambda r: None, {"best_index": 3}, "best_index=3 is not a row"),
        (
            lambda r: r.update(
                param_clusterer__n_clusters=np.ma.masked_array([2, 2, 3], mask=False),
                param_clusterer__tol=np.ma.masked_array([1e-4, 1e-3, 1e-4]),
            ),
            {},
            "Several candidates share a number of clusters.*other parameters",
        ),
        (
            lambda r: r.update(
                param_clusterer__n_clusters=np.ma.masked_array(
                    [2, 3, 4], mask=[False, True, False]
                )
            ),
            {},
            "have no number of clusters",
        ),
        (
            lambda r: r.update(
                param_clusterer__eps=np.ma.masked_array([0.1, 0.2, 0.3], mask=False)
            ),
            {"param_name": "clusterer__eps"},
            r"'clusterer__eps' holds \[0.1, 0.2, 0.3\], not numbers of clusters",
        ),
        (
            lambda r: r.update(
                param_clusterer__n_clusters=np.ma.masked_array(
                    np.array(["2", "3", "4"], dtype=object), mask=False
                )
            ),
            {},
            r"holds \['2', '3', '4'\], not numbers of clusters",
        ),
        (
            lambda r: r.update(
                param_clusterer__n_clusters=np.ma.masked_array(
                    np.array([True, False, True], dtype=object), mask=False
                )
            ),
            {},
            r"holds \[True, False, True\], not numbers of clusters",
        ),
        (
            lambda r: [r.pop("split0_test_score"), r.pop("split1_test_score")],
            {},
            "no split<i>_test_score columns",
        ),
    ],
)
def test_k_selection_bad_cv_results(pyplot, mutate, kwargs, match):
    results = _cv_results()
    mutate(results)
    with pytest.raises(ValueError, match=match):
        KSelectionDisplay.from_cv_results(results, **kwargs)


def test_k_selection_bad_inputs(pyplot):
    with pytest.raises(TypeError, match="fitted GridSearchCV-like object"):
        KSelectionDisplay.from_cv_results([1, 2, 3])
    with pytest.raises(ValueError, match="1-D of the same length"):
        KSelectionDisplay([2, 3], [1.0], [0.1, 0.1], best_index=0).plot()
    with pytest.raises(ValueError, match="best_index=2 is not a position"):
        KSelectionDisplay([2, 3], [1.0, 2.0], [0.1, 0.1], best_index=2).plot()


# --------------------------------------------------------------------------- #
# SampleLeakageDisplay
# --------------------------------------------------------------------------- #


def _fill_extent(fill):
    vertices = np.concatenate([path.vertices for path in fill.get_paths()])
    return vertices[:, 0].max(), vertices[:, 1].min(), vertices[:, 1].max()


def test_sample_hand_case(pyplot):
    disp = SampleLeakageDisplay.from_predictions(LABELS6, PROBA6)
    assert len(disp.fills_) == 3
    # Mean own-cluster probability 0.9 = 1 - expected leakage (0.1).
    assert disp.mean_line_.get_xdata()[0] == pytest.approx(0.9)
    assert disp.mean_line_.get_xdata()[0] == pytest.approx(
        1 - expected_leakage(LABELS6, PROBA6)
    )
    assert tick_texts(disp.ax_.get_yticklabels()) == ["0 (n=3)", "1 (n=2)", "2 (n=1)"]
    extents = [_fill_extent(fill) for fill in disp.fills_]
    # Widest bar of each block is the cluster's largest own probability; each
    # block is one row high per point; blocks do not overlap.
    assert [e[0] for e in extents] == [1.0, 1.0, 1.0]
    assert [e[2] - e[1] for e in extents] == [3, 2, 1]
    assert extents[0][2] < extents[1][1]
    assert extents[1][2] < extents[2][1]
    # First cluster on top: the y axis runs downwards, from row 10 (3 + 2 + 1
    # rows and two gaps of 2) up to head room above row 0 for the legend.
    low, high = disp.ax_.get_ylim()
    assert low == 10
    assert high < 0


def test_sample_bars_sorted_descending(pyplot):
    disp = SampleLeakageDisplay.from_predictions(LABELS6, PROBA6)
    (path,) = disp.fills_[0].get_paths()
    # Cluster 0's rows, top to bottom, are 1.0, 0.9 and 0.8 wide.
    for row, width in enumerate([1.0, 0.9, 0.8]):
        assert path.contains_point((width - 0.02, row + 0.5))
        assert not path.contains_point((width + 0.02, row + 0.5))


def test_sample_classes_order(pyplot):
    # Columns and blocks in the order 2, 1, 0.
    disp = SampleLeakageDisplay.from_predictions(
        LABELS6, PROBA6[:, ::-1], classes=[2, 1, 0]
    )
    assert tick_texts(disp.ax_.get_yticklabels()) == ["2 (n=1)", "1 (n=2)", "0 (n=3)"]
    assert disp.mean_line_.get_xdata()[0] == pytest.approx(0.9)


def test_sample_from_estimator_leaves_noise_out(pyplot, fitted_noise):
    disp = SampleLeakageDisplay.from_estimator(fitted_noise)
    assert len(disp.fills_) == fitted_noise.n_clusters_
    sizes = [int(t.get_text().split("n=")[1][:-1]) for t in disp.ax_.get_yticklabels()]
    scored = fitted_noise.labels_[fitted_noise.sample_indices_]
    assert sum(sizes) == np.sum(scored != -1)
    keep = scored != -1
    assert disp.mean_line_.get_xdata()[0] == pytest.approx(
        1 - expected_leakage(scored[keep], fitted_noise.oof_proba_[keep])
    )


def test_sample_user_styles_override_defaults(pyplot):
    disp = SampleLeakageDisplay.from_predictions(
        LABELS6,
        PROBA6,
        fill_kw={"color": "black"},
        mean_line_kw={"color": "red", "lw": 3},
    )
    for fill in disp.fills_:
        assert_allclose(fill.get_facecolor()[0][:3], [0, 0, 0])
    assert disp.mean_line_.get_color() == "red"
    assert disp.mean_line_.get_linewidth() == 3


def _legend_clear_of_data(display):
    """Whether the legend covers no block and not the mean line, after a draw."""
    fig, ax = display.figure_, display.ax_
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent(fig.canvas.get_renderer())
    for fill in display.fills_:
        vertices = np.concatenate([path.vertices for path in fill.get_paths()])
        x0, y0 = ax.transData.transform(vertices.min(axis=0))
        x1, y1 = ax.transData.transform(vertices.max(axis=0))
        # The y axis runs downwards: sort the corners.
        x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        if legend.x0 < x1 and x0 < legend.x1 and legend.y0 < y1 and y0 < legend.y1:
            return False
    mean_x = ax.transData.transform((display.mean_line_.get_xdata()[0], 0))[0]
    return not legend.x0 < mean_x < legend.x1


@pytest.mark.parametrize("figure", ["own", "plain", "grid", "subfigure"])
def test_sample_legend_covers_no_block(pyplot, iris_names_proba, figure):
    # The legend sat in the lower left corner, on the end of the last block
    # (every block starts at 0). Own figure, an Axes of a plain figure, and
    # one of a 2 x 2 constrained grid.
    names, proba = iris_names_proba
    ax = None
    if figure == "plain":
        _, ax = pyplot.subplots(figsize=(4, 3))
    elif figure == "grid":
        _, axes = pyplot.subplots(2, 2, figsize=(11, 9), layout="constrained")
        ax = axes[1, 0]
    elif figure == "subfigure":
        # A SubFigure has no draw of its own: its root figure lays it out.
        ax = pyplot.figure(figsize=(10, 4)).subfigures(1, 2)[0].subplots()
    disp = SampleLeakageDisplay.from_predictions(names, proba, ax=ax)
    assert _legend_clear_of_data(disp)
    # The blocks still fill most of the height.
    low, high = disp.ax_.get_ylim()
    assert -high < 0.25 * low


def test_sample_legend_covers_no_block_hand_case(pyplot):
    # The last block is one point of probability 1: a bar across the axes.
    disp = SampleLeakageDisplay.from_predictions(LABELS6, PROBA6)
    assert _legend_clear_of_data(disp)


def test_sample_bad_inputs(pyplot):
    with pytest.raises(ValueError, match="own_proba and labels must be 1-D"):
        SampleLeakageDisplay([0.9, 0.8], [0, 0, 1]).plot()
    with pytest.raises(ValueError, match="pass classes that list every label"):
        SampleLeakageDisplay([0.9, 0.8], [0, 1], classes=[0]).plot()


# --------------------------------------------------------------------------- #
# ThresholdSweepDisplay
# --------------------------------------------------------------------------- #


def test_sweep_hand_case(pyplot):
    disp = ThresholdSweepDisplay.from_predictions(
        LABELS4, PROBA4, thresholds=[0.05, 0.15, 0.25]
    )
    assert_allclose(disp.line_.get_xdata(), [0.05, 0.15, 0.25])
    assert_allclose(disp.line_.get_ydata(), [0.5, 0.25, 0.0])
    assert disp.threshold_line_.get_xdata()[0] == 0.05


def test_sweep_from_estimator(pyplot, fitted):
    disp = ThresholdSweepDisplay.from_estimator(fitted)
    thresholds = np.linspace(0.01, 0.5, 50)
    assert_allclose(disp.line_.get_xdata(), thresholds)
    labels = fitted.labels_[fitted.sample_indices_]
    expected = [
        total_leakage(labels, fitted.oof_proba_, detection_threshold=t)
        for t in thresholds
    ]
    assert_allclose(disp.line_.get_ydata(), expected)
    assert np.all(np.diff(disp.line_.get_ydata()) <= 0)
    assert disp.line_.get_ydata()[0] > disp.line_.get_ydata()[-1]
    assert disp.threshold_line_.get_xdata()[0] == fitted.detection_threshold
    macro = ThresholdSweepDisplay.from_estimator(
        fitted, thresholds=[0.05, 0.2], average="macro"
    )
    assert_allclose(
        macro.line_.get_ydata(),
        [
            total_leakage(
                labels, fitted.oof_proba_, detection_threshold=t, average="macro"
            )
            for t in (0.05, 0.2)
        ],
    )
    # The estimator's own figure lies on the curve at its threshold.
    assert total_leakage(
        labels, fitted.oof_proba_, detection_threshold=fitted.detection_threshold
    ) == pytest.approx(fitted.total_leakage_)


def test_sweep_macro_average(pyplot):
    # Per cluster at 0.05: cluster 0 leaks 2/3, cluster 1 1/2, cluster 2 0;
    # macro mean (2/3 + 1/2 + 0) / 3 = 7/18.
    disp = ThresholdSweepDisplay.from_predictions(
        LABELS6, PROBA6, thresholds=[0.05], average="macro"
    )
    assert_allclose(disp.line_.get_ydata(), [7 / 18])


def test_sweep_user_styles_and_no_threshold(pyplot):
    disp = ThresholdSweepDisplay.from_predictions(
        LABELS4,
        PROBA4,
        detection_threshold=None,
        line_kw={"color": "purple", "ls": "--"},
    )
    assert disp.threshold_line_ is None
    assert disp.line_.get_color() == "purple"
    assert disp.line_.get_linestyle() == "--"


def test_sweep_bad_inputs(pyplot):
    with pytest.raises(ValueError, match="average must be 'micro' or 'macro'"):
        ThresholdSweepDisplay.from_predictions(LABELS4, PROBA4, average=None)
    with pytest.raises(ValueError, match="non-empty 1-D sequence"):
        ThresholdSweepDisplay.from_predictions(LABELS4, PROBA4, thresholds=[[0.1]])
    with pytest.raises(ValueError, match="1-D of the same length"):
        ThresholdSweepDisplay([0.1, 0.2], [0.5]).plot()


def test_matrix_and_metric_agree(pyplot, fitted):
    # The display shows the public metric, computed once, not a re-derivation.
    labels = fitted.labels_[fitted.sample_indices_]
    disp = LeakageMatrixDisplay.from_predictions(
        labels, fitted.oof_proba_, detection_threshold=0.1
    )
    matrix = leakage_matrix(labels, fitted.oof_proba_, detection_threshold=0.1)
    off = ~np.eye(matrix.shape[0], dtype=bool)
    assert_allclose(disp.im_.get_array().data[off], 100 * matrix[off])


def test_k_selection_skips_failed_candidates_and_draws_level(pyplot):
    # Candidate 4 failed (error_score=np.nan): the plot still draws, with limits
    # from the finite points and the 0.8 level line of a reproducibility search.
    disp = KSelectionDisplay(
        [1, 2, 3, 4],
        [1.0, 0.95, 0.6, np.nan],
        [0.0, 0.02, 0.1, np.nan],
        best_index=1,
        score_name="reproducibility",
        level=0.8,
    ).plot()
    low, high = disp.ax_.get_ylim()
    assert np.isfinite(low)
    assert low < 0.5
    assert high > 1.0
    assert disp.level_line_.get_ydata()[0] == 0.8


def _tick_labels_overlap(ax) -> bool:
    """Whether two neighbouring x tick labels of ``ax`` overlap, as drawn."""
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [
        label.get_window_extent(renderer)
        for label in ax.get_xticklabels()
        if label.get_text()
    ]
    return any(left.x1 > right.x0 for left, right in itertools.pairwise(boxes))


@pytest.mark.parametrize("n_candidates", [15, 40])
def test_k_selection_ticks_stay_readable_with_many_candidates(pyplot, n_candidates):
    # k = 1 to 40 had a tick each, whose labels ran into each other; beyond 15
    # candidates the ticks are round integers instead.
    k = np.arange(1, n_candidates + 1)
    disp = KSelectionDisplay(
        k, np.linspace(1.0, 0.5, k.size), np.full(k.size, 0.02), best_index=2
    ).plot()
    ticks = disp.ax_.get_xticks()
    left, right = disp.ax_.get_xlim()
    shown = ticks[(ticks >= left) & (ticks <= right)]
    if n_candidates == 15:
        assert_array_equal(ticks, k)
    else:
        assert_array_equal(shown, [0, 5, 10, 15, 20, 25, 30, 35, 40])
    assert not _tick_labels_overlap(disp.ax_)


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_k_selection_of_a_search_keeps_the_tick_of_a_failed_candidate(
    pyplot, search_failing_at_four
):
    # The search's own cv_results_, NaN scores included, go to the display as
    # they are: k = 4 failed on every split and keeps its tick without a point,
    # so the plot lists the candidates that the report's table and the command
    # line's table list.
    search = search_failing_at_four
    assert search.best_params_ == {"clusterer__n_clusters": 3}
    disp = KSelectionDisplay.from_cv_results(search)
    data_line = disp.errorbar_.lines[0]
    assert_array_equal(data_line.get_xdata(), [1, 2, 3, 4, 5])
    assert np.isnan(data_line.get_ydata()[3])
    assert np.isfinite(np.delete(data_line.get_ydata(), 3)).all()
    assert_array_equal(disp.ax_.get_xticks(), [1, 2, 3, 4, 5])
    assert disp.best_line_.get_xdata()[0] == 3
    assert np.isfinite(disp.ax_.get_ylim()).all()


def test_matrix_sizes_are_those_of_the_scored_rows(blobs4, pyplot):
    # With a subsample, the shares are of the scored rows; so are the sizes.
    X, _ = blobs4
    estimator = LeakageScore(
        KMeans(4, n_init=3, random_state=0), max_samples=200, random_state=0
    ).fit(X)
    scored = np.bincount(estimator.labels_[estimator.sample_indices_])
    assert scored.sum() == 200
    for display_class in (LeakageMatrixDisplay, LeakageGraphDisplay):
        display = display_class.from_estimator(estimator)
        assert_array_equal(display.support, scored)


def test_sweep_labels_its_average_and_checks_its_thresholds(pyplot):
    labels = [0, 0, 1, 1]
    proba = [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]]
    macro = ThresholdSweepDisplay.from_predictions(labels, proba, average="macro")
    assert macro.ax_.get_ylabel() == "Total leakage (mean of the clusters' shares)"
    micro = ThresholdSweepDisplay.from_predictions(labels, proba)
    assert micro.ax_.get_ylabel() == "Total leakage (share of points)"
    for thresholds, match in (
        ([0.1, 2.0], r"lie in \(0, 1\), got \[2.0\]"),
        ([], "non-empty"),
    ):
        with pytest.raises(ValueError, match=match):
            ThresholdSweepDisplay.from_predictions(labels, proba, thresholds=thresholds)


def test_sweeps_of_two_clusterings_share_an_axes(pyplot, fitted):
    # Each curve takes the next colour and carries its name, as scikit-learn's
    # curve displays do.
    _, ax = pyplot.subplots()
    first = ThresholdSweepDisplay.from_estimator(fitted, name="k=3", ax=ax)
    second = ThresholdSweepDisplay.from_predictions(
        LABELS4, PROBA4, name="given", ax=ax, detection_threshold=None
    )
    assert first.line_.get_color() != second.line_.get_color()
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "total leakage (k=3)" in labels
    assert "total leakage (given)" in labels


def _legend_on_the_right(display) -> bool:
    display.figure_.canvas.draw()
    box = display.ax_.get_legend().get_window_extent()
    axes = display.ax_.get_window_extent()
    return box.x0 > axes.x0 + axes.width / 2


def test_k_selection_box_leaves_the_chosen_line_visible(pyplot):
    # The box takes the corner away from the chosen number's line, so that the
    # line does not run through its text.
    means, errors = [1.0, 0.5, 0.4, 0.3], [0, 0.1, 0.1, 0.1]
    for best_index, right in [(0, True), (1, True), (2, False), (3, False)]:
        display = KSelectionDisplay(
            [1, 2, 3, 4], means, errors, best_index=best_index
        ).plot()
        assert bool(_legend_on_the_right(display)) is right, best_index
        assert display.ax_.get_legend().get_frame().get_alpha() == 1.0


@pytest.mark.parametrize("n_axes, height", [(1, 4.8), (1, 3.6), (2, 4.0)])
def test_k_selection_box_clears_the_highest_point_on_short_axes(pyplot, n_axes, height):
    # The head room was a share of the axis, and the box's height is in
    # points: on short axes (a row of subplots, 10 by 4 inches) it reached
    # down over the ring of the real candidate at 0.99. (Below about 3.5
    # inches the box would need more than MAX_HEAD_ROOM of the axis.)
    fig, axes = pyplot.subplots(
        1, n_axes, figsize=(5 * n_axes, height), layout="constrained", squeeze=False
    )
    for ax in axes[0]:
        KSelectionDisplay(
            [1, 2, 3, 4],
            [1.0, 0.99, 0.6, 0.3],
            [0.0, 0.005, 0.1, 0.1],
            best_index=1,
            level=0.8,
            real=[False, True, False, False],
            rule="Largest number of clusters that reproduces and is real, else 1.",
        ).plot(ax=ax)
    fig.draw_without_rendering()
    # The ring around a real candidate has a radius of 6.5 points. Axes drawn
    # before their neighbours had titles lose a few pixels of height to them
    # afterwards, which the box cannot foresee: half the radius is kept there.
    spare = (6.5 if n_axes == 1 else 3.25) * fig.dpi / 72
    for ax in axes[0]:
        box = ax.get_legend().get_window_extent()
        ring_top = ax.transData.transform([[2, 0.99]])[0, 1] + spare
        assert box.y0 >= ring_top, (n_axes, height)


def test_k_selection_with_a_level_starts_its_axis_at_zero(pyplot):
    # Plots of the rule's reproducibility share the bottom of their axis, so
    # that two searches' plots read alike (one began at 0.2, another at 0).
    high = KSelectionDisplay(
        [1, 2, 3], [1.0, 0.9, 0.7], [0.0, 0.02, 0.05], best_index=1, level=0.8
    ).plot()
    assert high.ax_.get_ylim()[0] <= 0.0
    assert min(high.ax_.get_yticks()) == pytest.approx(0.0)
    # Other scores keep the range of their values.
    other = KSelectionDisplay(
        [1, 2, 3], [1.0, 0.9, 0.7], [0.0, 0.02, 0.05], best_index=1
    ).plot()
    assert other.ax_.get_ylim()[0] > 0.5


def test_k_selection_draws_candidates_below_the_level_hollow(pyplot):
    # Step 1 rejects a candidate whose mean less one standard error is below
    # the level, even when its point lies above the line (k = 3 here).
    display = KSelectionDisplay(
        [1, 2, 3, 4],
        [1.0, 0.9, 0.82, 0.3],
        [0.0, 0.02, 0.04, 0.1],
        best_index=1,
        level=0.8,
    ).plot()
    assert_array_equal(display.unreproduced_markers_.get_xdata(), [3, 4])
    assert display.unreproduced_markers_.get_markerfacecolor() == "white"
    labels = [text.get_text() for text in display.ax_.get_legend().get_texts()]
    assert UNREPRODUCED_LABEL in labels
    # Without a level there is no step 1 to fail.
    plain = KSelectionDisplay(
        [1, 2, 3, 4], [1.0, 0.9, 0.82, 0.3], [0.0, 0.02, 0.04, 0.1], best_index=1
    ).plot()
    assert plain.unreproduced_markers_ is None


@pytest.mark.parametrize(
    "builder",
    [
        LeakageMatrixDisplay,
        LeakageGraphDisplay,
        SampleLeakageDisplay,
        ThresholdSweepDisplay,
        LeakageReport,
    ],
)
def test_from_estimator_refuses_x_with_the_reason(builder, fitted):
    # scikit-learn's displays take from_estimator(estimator, X, y); these read
    # the fitted estimator's own out-of-fold diagnostics.
    X = np.zeros((5, 2))
    message = f"{builder.__name__}.from_estimator takes the fitted estimator alone"
    with pytest.raises(TypeError, match=message):
        builder.from_estimator(fitted, X)
    with pytest.raises(TypeError, match=message):
        builder.from_estimator(fitted, X, np.zeros(5))


def test_dollar_signs_in_names_are_drawn_as_they_are(pyplot, tmp_path):
    # "$0_$50" is matplotlib math text that does not parse: drawing raised
    # ParseSyntaxException, and the HTML report with it.
    labels = np.array(["$0_$50"] * 5 + ["$50_$100"] * 5)
    proba = np.zeros((10, 2))
    proba[:5] = [0.9, 0.1]
    proba[5:, 1] = 1.0
    classes = ["$0_$50", "$50_$100"]
    displays = [
        LeakageMatrixDisplay.from_predictions(
            labels, proba, classes=classes, display_labels=classes
        ),
        LeakageGraphDisplay.from_predictions(
            labels, proba, classes=classes, display_labels=classes
        ),
        SampleLeakageDisplay.from_predictions(labels, proba, classes=classes),
        ThresholdSweepDisplay.from_predictions(
            labels, proba, classes=classes, name="$ price $bands"
        ),
    ]
    for display in displays:
        display.figure_.savefig(tmp_path / "figure.svg")
    ticks = [t.get_text() for t in displays[0].ax_.get_xticklabels()]
    assert ticks == [r"\$0_\$50", r"\$50_\$100"]
    sample_ticks = [t.get_text() for t in displays[2].ax_.get_yticklabels()]
    assert sample_ticks == [r"\$0_\$50 (n=5)", r"\$50_\$100 (n=5)"]
    LeakageReport.from_predictions(labels, proba).to_html(tmp_path / "page.html")
    assert "$0_$50" in (tmp_path / "page.html").read_text()


TWO_BY_TWO = ([0, 0, 1, 1], [[0.9, 0.1], [1.0, 0.0], [0.2, 0.8], [0.0, 1.0]])
K_RESULTS = {
    "param_n_clusters": np.array([1, 2]),
    "mean_test_score": np.array([1.0, 0.9]),
    "std_test_score": np.array([0.0, 0.0]),
    "split0_test_score": np.array([1.0, 0.9]),
}


@pytest.mark.parametrize(
    "draw, message",
    [
        (
            lambda: ThresholdSweepDisplay.from_predictions(
                *TWO_BY_TWO, detection_threshold=5
            ),
            r"'detection_threshold' parameter of ThresholdSweepDisplay must be a "
            r"float in the range \(0.0, 1.0\) or None. Got 5",
        ),
        (
            lambda: ThresholdSweepDisplay(
                [0.1, 0.2], [0.1, 0.2], detection_threshold=-3
            ).plot(),
            r"'detection_threshold' parameter of ThresholdSweepDisplay",
        ),
        (
            lambda: LeakageTestGridDisplay.from_predictions(
                *TWO_BY_TWO, significance_level=2
            ),
            r"'significance_level' parameter of LeakageTestGridDisplay.plot",
        ),
        (
            lambda: LeakageTestGridDisplay.from_predictions(
                *TWO_BY_TWO, significance_level="a"
            ),
            r"'significance_level' parameter .* Got 'a'",
        ),
        (
            lambda: KSelectionDisplay.from_cv_results(K_RESULTS, rule=123),
            r"'rule' parameter of KSelectionDisplay.from_cv_results",
        ),
        (
            lambda: KSelectionDisplay.from_cv_results(K_RESULTS, errorbar_kw=3),
            r"'errorbar_kw' parameter of KSelectionDisplay.from_cv_results",
        ),
    ],
)
def test_display_parameters_are_validated_by_name(draw, message, pyplot):
    # A threshold of 5 was drawn at x = 5, squashing the curve; a level of 2
    # bolded every cell; rule=123 raised AttributeError from inside. They are
    # refused as the package's other entry points refuse them, before a figure
    # is made.
    n_figures = len(pyplot.get_fignums())
    with pytest.raises(InvalidParameterError, match=message):
        draw()
    assert len(pyplot.get_fignums()) == n_figures


def test_k_selection_display_plots_the_chosen_settings_of_a_wider_search(pyplot):
    # A search that varied another parameter too was refused, though the
    # report plotted it: the candidates with the chosen one's other values.
    X, _ = make_blobs(n_samples=240, centers=3, random_state=0)
    search = GridSearchCV(
        LeakageScore(
            KMeans(n_init=3, random_state=0), compute_oof=False, random_state=0
        ),
        {"clusterer__n_clusters": range(1, 5), "clusterer__tol": [1e-4, 1e-3]},
        cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    )
    with pytest.warns(UserWarning, match="varied clusterer__tol"):
        search.fit(X)
    assert search.best_params_ == {"clusterer__n_clusters": 3, "clusterer__tol": 1e-4}
    disp = KSelectionDisplay.from_cv_results(search)
    assert_array_equal(disp.n_clusters, [1, 2, 3, 4])
    assert disp.n_clusters[disp.best_index] == 3
    assert disp.rule.endswith("; plotted: the candidates with clusterer__tol=0.0001")
    chosen = search.cv_results_["param_clusterer__tol"] == 1e-4
    assert_allclose(
        disp.mean_scores, search.cv_results_["mean_test_reproducibility"][chosen]
    )
    # The results alone are the scorer's: the rule chooses among them, as in
    # the search, and its choice selects the settings plotted.
    alone = KSelectionDisplay.from_cv_results(search.cv_results_)
    assert_array_equal(alone.mean_scores, disp.mean_scores)
    assert alone.rule == disp.rule
    # Results of another scorer, which the rule does not read, do not say
    # which settings were chosen; the chosen row does.
    scored = {
        key: value
        for key, value in search.cv_results_.items()
        if not key.endswith("_n_clusters_found")
    }
    with pytest.raises(ValueError, match="Pass the fitted search"):
        KSelectionDisplay.from_cv_results(scored)
    given = KSelectionDisplay.from_cv_results(
        search.cv_results_, best_index=search.best_index_
    )
    assert_array_equal(given.mean_scores, disp.mean_scores)


def test_k_selection_display_plots_a_repeated_candidate_once(pyplot):
    # RandomizedSearchCV draws values with replacement, and a grid may list
    # one twice: the display refused such a search ("other parameters were
    # searched too", though none were), and the report's page with it.
    X, _ = make_blobs(n_samples=240, centers=3, random_state=0)
    search = GridSearchCV(
        LeakageScore(
            KMeans(n_init=3, random_state=0), compute_oof=False, random_state=0
        ),
        {"clusterer__n_clusters": [3, 1, 2, 3, 4, 2]},
        cv=RepeatedKFold(n_splits=2, n_repeats=2, random_state=0),
        scoring=leakage_scorer,
        refit=refit_n_clusters,
    ).fit(X)
    assert search.best_params_ == {"clusterer__n_clusters": 3}
    disp = KSelectionDisplay.from_cv_results(search)
    assert_array_equal(disp.n_clusters, [1, 2, 3, 4])
    assert disp.n_clusters[disp.best_index] == 3
    # In the order of k: the first 1 and 2, the chosen 3.
    kept = [1, 2, search.best_index_, 4]
    assert_allclose(
        disp.mean_scores, search.cv_results_["mean_test_reproducibility"][kept]
    )
    assert "plotted" not in disp.rule
    # A repeat of the chosen settings of a wider search is plotted once too.
    wider = dict(search.cv_results_)
    wider["param_clusterer__tol"] = np.ma.masked_array([1e-4] * 5 + [1e-3])
    given = KSelectionDisplay.from_cv_results(wider, best_index=search.best_index_)
    assert_array_equal(given.n_clusters, [1, 2, 3, 4])


def _object_column(values):
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return np.ma.masked_array(column, mask=False)


@pytest.mark.parametrize(
    "values, shown",
    [
        # A grid given as a list of dicts leaves the parameter masked where a
        # dict lacks it: the legend said "masked".
        (np.ma.masked_array([0.0, 0.1] * 3, mask=[True, False] * 3), " not set"),
        # float32's NaN did not equal itself and the chosen row was lost.
        (np.ma.masked_array([np.float32("nan"), np.float32(1)] * 3), "=nan"),
        # Arrays compared element by element matched only the chosen row.
        (_object_column([np.array([1.0, 2.0]), np.array([3.0, 4.0])] * 3), "=array"),
    ],
)
def test_k_selection_display_slices_unusual_settings(pyplot, values, shown):
    results = {
        "param_clusterer__n_clusters": np.ma.masked_array([1, 1, 2, 2, 3, 3]),
        "param_clusterer__other": values,
        "mean_test_score": np.array([1.0, 1.0, 0.95, 0.94, 0.9, 0.9]),
        "std_test_score": np.full(6, 0.01),
        "split0_test_score": np.zeros(6),
        "split1_test_score": np.zeros(6),
    }
    disp = KSelectionDisplay.from_cv_results(results, best_index=2)
    assert_array_equal(disp.n_clusters, [1, 2, 3])
    assert_allclose(disp.mean_scores, [1.0, 0.95, 0.9])
    assert disp.rule.startswith("chosen elsewhere; plotted: the candidates with")
    assert f"clusterer__other{shown}" in disp.rule or (
        f"clusterer__other {shown}" in disp.rule
    )
