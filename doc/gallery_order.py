"""Order of the examples in the gallery: from the first search to the distributed one.

sphinx-gallery sorts the files of a gallery with a key class built from the
gallery folder; this one follows ``ORDER`` and puts any file not listed after the
others, alphabetically.
"""

ORDER = (
    "plot_grid_search_n_clusters.py",
    "plot_evaluate_existing_labels.py",
    "plot_report.py",
    "plot_pipeline_scaling.py",
    "plot_noise_features.py",
    "plot_skewed_features.py",
    "plot_gaussian_mixture.py",
    "plot_dbscan_noise.py",
    "plot_million_rows.py",
    "dask_cluster.py",
)


class ExampleOrder:
    """Sort key for ``sphinx_gallery_conf["within_subsection_order"]``."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        if filename in ORDER:
            return (ORDER.index(filename), filename)
        return (len(ORDER), filename)

    def __repr__(self):
        return f"<{type(self).__name__}>"
