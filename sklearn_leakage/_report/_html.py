"""HTML rendering of a LeakageReport: one self-contained page, no network.

Tables come from ``DataFrame.to_html``, plots are matplotlib figures saved as SVG
in memory and pasted inline, and the CSS is a ``<style>`` block; the page names
no external stylesheet, script, font or image, so it renders offline.
"""

from __future__ import annotations

import html
import io
import itertools
import re
from os import PathLike

import numpy as np

from sklearn_leakage._report._format import (
    METHOD_NAMES,
    ONE_CLUSTER_NOTE,
    column_kind,
    column_words,
    format_level,
    format_percent,
    format_probability,
    format_pvalue,
    format_score,
    format_threshold,
    format_tolerated,
    grid_for_reading,
    subsample_note,
)
from sklearn_leakage._report._k_selection import verdict_text

__all__ = ["html_fragment", "render_html", "write_html"]

#: Rows of the "least certain points" table on the page; the full per-sample
#: table can have millions of rows and belongs in report.samples or Excel.
N_SAMPLE_ROWS = 50

# Only locally installed fonts are named, so nothing is downloaded.
_CSS = """
.sl-report { font-family: system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, sans-serif; color: #1f2328; line-height: 1.45;
  font-size: 15px; }
.sl-report h1 { font-size: 1.7em; margin: 0 0 0.2em; }
.sl-report h2 { font-size: 1.25em; margin: 1.8em 0 0.4em; padding-bottom: 0.2em;
  border-bottom: 1px solid #d0d7de; }
.sl-report p.meta, .sl-report p.note { color: #57606a; margin: 0.2em 0 0.8em; }
.sl-report ul.sl-notes { color: #57606a; margin: 0 0 0.8em; padding-left: 1.2em; }
.sl-report .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.sl-report .card { border: 1px solid #d0d7de; border-radius: 8px;
  padding: 10px 14px; flex: 1 1 150px; background: #f6f8fa; }
.sl-report .card .label { font-size: 0.85em; color: #57606a; }
.sl-report .card .value { font-size: 1.45em; font-weight: 600; }
.sl-report .card .detail { font-size: 0.85em; color: #57606a; }
.sl-report ul.sentences { margin: 0.4em 0; padding-left: 1.4em; }
.sl-report table.sl-table { border-collapse: collapse; margin: 6px 0 12px;
  font-size: 0.9em; font-variant-numeric: tabular-nums; }
.sl-report table.sl-table th, .sl-report table.sl-table td {
  padding: 4px 10px; border-bottom: 1px solid #d8dee4; text-align: right; }
.sl-report table.sl-table thead th { background: #eaeef2; border-bottom:
  2px solid #afb8c1; }
.sl-report table.sl-table tbody tr:nth-child(even) { background: #f6f8fa; }
.sl-report table.sl-k-selection td:last-child,
.sl-report table.sl-k-selection th:last-child,
.sl-report table.sl-pairs td:last-child,
.sl-report table.sl-pairs th:last-child { text-align: left; }
.sl-report table.sl-totals th { text-align: left; font-weight: 600; }
.sl-report .figures { display: flex; flex-wrap: wrap; gap: 16px; }
.sl-report figure { margin: 0; flex: 1 1 460px; max-width: 640px; }
.sl-report figure svg { width: 100%; height: auto; }
.sl-report figcaption { font-size: 0.85em; color: #57606a; }
"""

#: How each kind of column is written in the tables (see ``column_kind``).
_FORMATTERS = {
    "share": format_percent,
    "probability": format_probability,
    "pvalue": format_pvalue,
    "threshold": format_threshold,
    "tolerated": format_tolerated,
}


def _formatters(frame, pvalues: bool = False) -> dict:
    if pvalues:
        return dict.fromkeys(frame.columns, format_pvalue)
    formatters = {}
    for column in frame.columns:
        kind = column_kind(column)
        formatter = None if kind is None else _FORMATTERS.get(kind)
        if formatter is not None:
            formatters[column] = formatter
    return formatters


def _table(
    frame,
    css_class: str = "",
    index: bool = False,
    pvalues: bool = False,
    words: dict | None = None,
) -> str:
    """``frame`` as an HTML table, its columns renamed by ``words``.

    The formats are chosen by the frame's own column names, before renaming.
    """
    classes = ["sl-table", css_class] if css_class else ["sl-table"]
    formatters = _formatters(frame, pvalues)
    if words:
        formatters = {words.get(name, name): f for name, f in formatters.items()}
        frame = frame.rename(columns=words)
    return frame.to_html(
        classes=classes,
        index=index,
        border=0,
        na_rep="n/a",
        formatters=formatters,
        float_format=lambda value: f"{value:.4g}",
    )


def _totals_table(report) -> str:
    totals = report.totals.iloc[0]
    words = column_words(report, "totals")
    rows = []
    for key, value in totals.items():
        kind = column_kind(key)
        if kind in _FORMATTERS:
            text = _FORMATTERS[kind](float(value))
        else:
            text = f"{int(value)}"
        label = words.get(key, key)
        rows.append(
            f"<tr><th>{html.escape(label)}</th><td>{html.escape(text)}</td></tr>"
        )
    return (
        '<table class="sl-table sl-totals"><tbody>' + "".join(rows) + "</tbody></table>"
    )


def _cards(report) -> str:
    totals = report.totals.iloc[0]
    level = format_tolerated(report.leakage_level)
    cards = [
        (
            "total leakage",
            format_percent(totals["total_leakage"]),
            f"{format_level(report.confidence_level)} CI "
            f"[{format_percent(totals['ci_low'])}, "
            f"{format_percent(totals['ci_high'])}]",
        ),
        (
            f"above {level}?",
            f"p = {format_pvalue(totals['p_value'])}",
            "exact one-sided binomial test",
        ),
        (
            "expected leakage",
            format_percent(totals["expected_leakage"]),
            "mean probability on other clusters",
        ),
        (
            "probe accuracy",
            format_percent(totals["probe_accuracy"]),
            "out-of-fold, most probable cluster",
        ),
        (
            "points, clusters",
            f"{int(totals['n_samples'])}, {int(totals['n_clusters'])}",
            f"noise {format_percent(totals['noise_share'])}",
        ),
    ]
    parts = [
        '<div class="card">'
        f'<div class="label">{html.escape(label)}</div>'
        f'<div class="value">{html.escape(value)}</div>'
        f'<div class="detail">{html.escape(detail)}</div></div>'
        for label, value, detail in cards
    ]
    return '<div class="cards">' + "".join(parts) + "</div>"


def _sentences(report, n_pairs: int = 5) -> str:
    pairs = report.pairs.head(n_pairs)
    if len(pairs) == 0:
        return '<p class="note">No point leaks into another cluster.</p>'
    method = METHOD_NAMES[report.method]
    items = "".join(
        f"<li>{html.escape(row.sentence)} ({method}-adjusted p = "
        f"{format_pvalue(row.p_adjusted)})</li>"
        for row in pairs.itertuples()
    )
    return f'<ul class="sentences">{items}</ul>'


def _svg(figure, salt: str) -> str:
    """The figure as an inline ``<svg>`` element (no XML prolog, no DOCTYPE)."""
    import matplotlib

    buffer = io.BytesIO()
    # Text as paths: the page needs no font. A salt per figure keeps the ids of
    # clip paths distinct between the figures of one page. No date: the same
    # report gives the same file. No other metadata either: matplotlib's RDF
    # block names https://matplotlib.org/ and Dublin Core terms at
    # http://purl.org/, addresses in a page that names none but the SVG
    # namespaces.
    metadata = dict.fromkeys(["Date", "Creator", "Format", "Type"])
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": salt}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata=metadata)
    text = buffer.getvalue().decode("utf-8")
    return _prefix_ids(text[text.index("<svg") :], salt)


_SVG_ID_OR_REFERENCE = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')


def _prefix_ids(svg: str, prefix: str) -> str:
    """Every id of the figure, and every reference to one, prefixed.

    matplotlib names its elements figure_1, axes_1, patch_1 and its glyphs
    DejaVuSans-48 in every figure, so the inline figures of one page would
    repeat ids, which HTML forbids (the salt above covers clip paths only).
    """
    return _SVG_ID_OR_REFERENCE.sub(
        lambda match: f"{match.group(1)}{prefix}-{match.group(2)}", svg
    )


def _labels_overlap(figure, labels) -> bool:
    """Whether neighbouring tick labels, as ``figure`` draws them, overlap."""
    # Tick labels take their places when the figure is drawn.
    figure.draw_without_rendering()
    boxes = [label.get_window_extent() for label in labels if label.get_text()]
    return any(left.x1 > right.x0 for left, right in itertools.pairwise(boxes))


def _figures(report) -> list[tuple[str, str, str]]:
    """(id, caption, svg) of each plot of the page."""
    from matplotlib.figure import Figure

    from sklearn_leakage._display.leakage_graph import LeakageGraphDisplay
    from sklearn_leakage._display.leakage_matrix import LeakageMatrixDisplay
    from sklearn_leakage._display.pvalue_grid import LeakageTestGridDisplay

    n_clusters = report.classes.shape[0]
    # Cells stay readable up to about 30 clusters: 0.35 inch per cluster.
    side = float(np.clip(0.35 * n_clusters + 2.5, 5.0, 14.0))
    labels, proba, classes = report.labels, report.proba, report.classes
    threshold = report.detection_threshold
    plots = []

    matrix_plots: list[
        tuple[str, type[LeakageMatrixDisplay] | type[LeakageGraphDisplay], str]
    ] = [
        (
            "leakage-matrix",
            LeakageMatrixDisplay,
            "Share of each cluster's points (rows) that leak into each other "
            "cluster (columns).",
        ),
        (
            "leakage-graph",
            LeakageGraphDisplay,
            "Leakage as a graph: an arrow from a cluster to each cluster that at "
            "least the share in the title of its points leak into.",
        ),
    ]
    for plot_id, display_class, caption in matrix_plots:
        figure = Figure(figsize=(side + 1.2, side))
        display = display_class.from_predictions(
            labels,
            proba,
            classes=classes,
            detection_threshold=threshold,
            ax=figure.add_subplot(),
        )
        if isinstance(display, LeakageMatrixDisplay) and _labels_overlap(
            figure, display.ax_.get_xticklabels()
        ):
            # Long cluster names ran into each other under the columns;
            # upright, each keeps to its own column.
            figure = Figure(figsize=(side + 1.2, side))
            display.plot(ax=figure.add_subplot(), xticks_rotation="vertical")
        plots.append((plot_id, caption, _svg(figure, plot_id)))

    figure = Figure(figsize=(7.0, 5.0))
    LeakageTestGridDisplay.from_report(report, ax=figure.add_subplot())
    plots.append(
        (
            "test-grid",
            "Exact p-values that the total leakage exceeds each tolerated share, "
            "per detection threshold; bold cells are at or below 0.05.",
            _svg(figure, "test-grid"),
        )
    )
    return plots


#: Columns of the page's k-selection table: the ones the rule reads.
_K_COLUMNS = {
    "n_clusters": "k",
    "n_clusters_found": "made",
    "mean_reproducibility": "reproducibility",
    "std_error_reproducibility": "s.e.",
    "mean_dispersion_gain": "(a) dispersion gain",
    "mean_reference_dispersion_gain": "on noise",
    "mean_separation_gain": "(a) separation gain",
    "mean_reference_separation_gain": "on noise",
    "mean_leakage": "(a) leakage",
    "mean_reference_leakage": "on noise",
    "mean_boundary_leakage": "(b) boundary leakage",
    "mean_reference_boundary_leakage": "on noise",
    "verdict": "verdict",
}
#: Those of them that step 2 computes: nothing to show for a single cluster.
_STEP_2_COLUMNS = {
    "mean_dispersion_gain",
    "mean_reference_dispersion_gain",
    "mean_separation_gain",
    "mean_reference_separation_gain",
    "mean_leakage",
    "mean_reference_leakage",
    "mean_boundary_leakage",
    "mean_reference_boundary_leakage",
}


def _k_selection(report, figures: bool) -> str:
    """The choice of the number of clusters: plot, table and the rule."""
    from matplotlib.figure import Figure

    from sklearn_leakage._display.k_selection import KSelectionDisplay

    selection = report._k_selection
    table = selection.table
    # Test (a) of centroid clusterers compares dispersion gains, of the others
    # leakages: show the pair the clusterer recorded, as the command line does,
    # even when every value is NaN (sparse data have no reference to test).
    dispersion = "mean_dispersion_gain" in table
    drop = ["mean_leakage", "mean_reference_leakage"] if dispersion else []
    columns = [c for c in _K_COLUMNS if c in table and c not in drop]
    # Other searched parameters follow k, under their own names.
    shown = table[columns[:1] + selection.other_parameters + columns[1:]].copy()
    # Three decimals throughout; step 2 does not test a single cluster.
    tested = shown["n_clusters_found"].to_numpy() > 1
    for column in shown.columns:
        if column.startswith(("mean_", "std_error_")):
            values = shown[column].to_numpy(float)
            text = [format_score(value, "n/a") for value in values]
            if column in _STEP_2_COLUMNS:
                text = [t if ok else "-" for t, ok in zip(text, tested, strict=True)]
            shown[column] = text
    # A candidate that failed on every split made no cluster to count.
    shown["n_clusters_found"] = [
        "-" if np.isnan(value) else f"{value:g}" for value in shown["n_clusters_found"]
    ]
    # A failed test's margin beside its verdict: means alone cannot show it.
    shown["verdict"] = [verdict_text(row) for row in table.to_dict("records")]
    body = f'<p class="meta">{html.escape(selection.choice_text())}</p>'
    if figures:
        figure = Figure(figsize=(7.0, 4.6), layout="constrained")
        # A candidate that failed on a split keeps its tick, without a point.
        plotted, plotted_best, slice_caption = selection.plotted()
        display = KSelectionDisplay.from_cv_results(
            plotted,
            best_index=plotted_best,
            rule=selection.rule,
            ax=figure.add_subplot(),
        )
        # The level and the marks are the rule's: drawn only when it chose.
        caption = "Mean held-out reproducibility of each candidate with one "
        caption += (
            "standard error."
            if display.level is None
            else "standard error, and the level its mean less one standard "
            "error must reach."
        )
        if display.not_real is not None and np.any(display.not_real):
            caption += " Red marks: reproduces but is not real (step 2)."
        if display.real is not None and np.any(display.real):
            caption += (
                " Green rings: reproduces and is real (passes step 2); the rule "
                "takes the largest."
            )
        if slice_caption:
            caption += f" {slice_caption}"
        body += (
            f'<figure id="k-selection-plot">{_svg(figure, "k-selection")}'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        )
    note = (
        '<p class="note">Means over the splits. Step 2 compares each partition '
        "with the same clusterer's partition of uniform noise: (a) tighter "
        "(over all directions or along those between the centres; either "
        "suffices) or less leaky, (b) no boundary denser; each test passes by "
        "a margin of one standard error of the per-split differences, and a "
        "verdict of failure gives the margin it failed by. Every metric with "
        "its standard error, and every margin, is in "
        "<code>report.k_selection</code> and in the Excel export.</p>"
    )
    return body + note + _table(shown.rename(columns=_K_COLUMNS), "sl-k-selection")


def _section(section_id: str, title: str, body: str) -> str:
    return f'<section id="{section_id}"><h2>{html.escape(title)}</h2>{body}</section>'


def _least_certain(report, words: dict) -> str:
    samples = report.samples
    if samples is None:
        return (
            '<p class="note">The per-sample table was not built '
            "(include_samples=False).</p>"
        )
    shown = samples.sort_values("own_proba", kind="stable").head(N_SAMPLE_ROWS)
    note = (
        f'<p class="note">The {len(shown)} points with the lowest probability on '
        f"their own cluster, of {len(samples)}; every point is in "
        "<code>report.samples</code> and in the Excel export.</p>"
    )
    return note + _table(shown, "sl-samples", words=words)


def _body(report, figures: bool, notes=()) -> str:
    totals = report.totals.iloc[0]
    method = METHOD_NAMES[report.method]
    level = format_tolerated(report.leakage_level)
    n_clusters = int(totals["n_clusters"])
    sampled = (
        f" ({subsample_note(report._subsample)})"
        if report._subsample is not None
        else ""
    )
    meta = (
        f"{int(totals['n_samples'])} points{sampled} in {n_clusters} "
        f"cluster{'s' if n_clusters != 1 else ''}; a point leaks when its "
        f"probability on another cluster is at least "
        f"{format_threshold(report.detection_threshold)}. Tests: exact binomial "
        f"against a tolerated leakage of {level}, "
        f"{format_level(report.confidence_level)} "
        "Clopper-Pearson intervals. They are about these points under these "
        "fitted probes, each point counted as an independent draw; for a claim "
        "about new samples of the same population, total_leakage_interval "
        "resamples the rows and redoes the whole procedure."
    )
    if n_clusters == 1:
        meta += " " + ONE_CLUSTER_NOTE
    words = column_words(report)
    parts = [
        "<h1>Leakage report</h1>",
        f'<p class="meta">{html.escape(meta)}</p>',
    ]
    if notes:
        # The caller's provenance (data file, columns, clusterer, seed): the
        # page is what gets sent on, without the terminal that said it.
        items = "".join(f"<li>{html.escape(note)}</li>" for note in notes)
        parts.append(f'<ul class="meta sl-notes">{items}</ul>')
    parts.append(_cards(report))
    if report._k_selection is not None:
        parts.append(
            _section(
                "number-of-clusters",
                "Number of clusters",
                _k_selection(report, figures),
            )
        )
    parts += [
        _section("leakiest-pairs", "Leakiest pairs", _sentences(report)),
    ]
    if figures:
        rendered = "".join(
            f'<figure id="{plot_id}">{svg}<figcaption>{html.escape(caption)}'
            "</figcaption></figure>"
            for plot_id, caption, svg in _figures(report)
        )
        parts.append(
            _section("plots", "Plots", f'<div class="figures">{rendered}</div>')
        )
    parts += [
        _section("totals", "Totals", _totals_table(report)),
        _section(
            "clusters",
            "Clusters",
            '<p class="note">leakage: share of the cluster\'s points that leak; '
            "recall: the probe's out-of-fold recall; recall without leaking: "
            "predicted correctly and not leaking.</p>"
            + _table(report.clusters, "sl-clusters", words=words),
        ),
        _section(
            "pairs",
            "Pairs",
            f'<p class="note">Pairs with at least one leaking point; the '
            f"{method}-adjusted p-value is corrected over all ordered pairs.</p>"
            + _table(report.pairs, "sl-pairs", words=words),
        ),
        _section(
            "merge-candidates",
            "Merge candidates",
            f'<p class="note">Pairs whose observed leakage in either direction '
            f"(the maximum) exceeds {level}, significant or not (the p-values "
            "above say which exceed it beyond chance); see merge_leaky_clusters. "
            "They describe overlap between the clusters reported on; the number "
            "of clusters, when a search chose it, was chosen by the rule above."
            "</p>"
            + (
                _table(report.merge_candidates, "sl-merge", words=words)
                if len(report.merge_candidates)
                else '<p class="note">None.</p>'
            ),
        ),
        _section(
            "probe",
            "Probe",
            '<p class="note">Out-of-fold confusion matrix (rows: cluster, '
            "columns: most probable cluster) and per-cluster scores. Low scores "
            "on every cluster point to a weak probe rather than weak "
            "clusters.</p>"
            + _table(report.probe, "sl-probe", index=True)
            + _table(report.probe_scores, "sl-probe-scores", words=words),
        ),
        _section(
            "test-grid-table",
            "Test grid",
            '<p class="note">Rows: detection threshold; columns: tolerated '
            "leakage share; cells: exact p-values.</p>"
            + _table(
                grid_for_reading(report.test_grid), "sl-grid", index=True, pvalues=True
            ),
        ),
    ]
    if figures:
        parts.append(
            _section("samples", "Least certain points", _least_certain(report, words))
        )
    return "".join(parts)


def render_html(report, notes=()) -> str:
    """The whole page as a string; ``notes`` are listed under its heading."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Leakage report</title>"
        f"<style>body {{ margin: 0; background: #ffffff; }} "
        f".sl-report {{ max-width: 1180px; margin: 0 auto; padding: 24px; }}"
        f"{_CSS}</style></head>"
        f'<body><main class="sl-report">{_body(report, True, notes)}</main>'
        "</body></html>\n"
    )


def write_html(report, path: str | PathLike, notes=()) -> None:
    """Write :func:`render_html` to ``path`` in UTF-8."""
    page = render_html(report, notes)
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(page)


def html_fragment(report) -> str:
    """A compact block for Jupyter: figures and samples left out."""
    return (
        f'<div class="sl-report"><style>{_CSS}</style>'
        f"{_body(report, figures=False)}</div>"
    )
