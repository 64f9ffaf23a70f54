"""Sphinx configuration of the sklearn-leakage documentation.

Build with ``python -m sphinx -W --keep-going -b html doc doc/_build/html``. The
build reads nothing from the network: intersphinx is off, so references to
scikit-learn, numpy or matplotlib objects are rendered as plain code.
"""

import os
import sys
from datetime import date

# The gallery fits many small models in this process. With several BLAS/OpenMP
# threads per tiny fit, a busy two-core machine spends its time synchronising
# threads (measured: 18 s instead of 0.6 s for six LeakageScore fits on 400 rows).
# One thread per process is faster for these sizes; set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import matplotlib  # noqa: E402

# The gallery runs its examples in this process: draw to files, never to a window.
matplotlib.use("Agg")

import sklearn_leakage  # noqa: E402

# gallery_order.py, the sort key of the examples, lives next to this file.
sys.path.insert(0, os.path.abspath(os.path.dirname(__file__)))

project = "sklearn-leakage"
author = "sklearn-leakage developers"
copyright = f"{date.today().year}, {author}"
release = sklearn_leakage.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"
default_role = "literal"

# -- autodoc / autosummary / numpydoc ----------------------------------------------
autosummary_generate = True
autodoc_default_options = {"inherited-members": True}
autodoc_typehints = "none"  # numpydoc already writes the types in words
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
# Offline build: there is no intersphinx inventory, so the type names of the
# "Parameters" sections are not cross-referenced.
numpydoc_xref_param_type = False

# intersphinx would download inventories of scikit-learn, numpy and matplotlib at
# build time; the documentation must build without network access, so it is not
# enabled.
intersphinx_mapping = {}

# -- sphinx-gallery -----------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Only scripts whose name starts with plot_ are run; the others (the Dask
    # example) are shown with their code but not executed.
    "filename_pattern": r"plot_",
    "plot_gallery": True,
    "download_all_examples": False,
    "remove_config_comments": True,
    # From the first search to the distributed one, not alphabetically.
    "within_subsection_order": "gallery_order.ExampleOrder",
    "backreferences_dir": "generated/backreferences",
    "doc_module": ("sklearn_leakage",),
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "show_memory": False,
    # The examples are small; one taking longer than this is a bug in the example.
    "min_reported_time": 1,
}

# -- HTML ---------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-leakage {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navbar_align": "left",
    "header_links_before_dropdown": 6,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# Only the API reference and the gallery have pages below them; the other pages
# would show an empty section navigation.
html_sidebars = {
    page: []
    for page in (
        "index",
        "install",
        "user_guide",
        "selection",
        "comparison",
        "scaling",
        "leakyblobs",
    )
}
html_show_sourcelink = True
html_last_updated_fmt = None
