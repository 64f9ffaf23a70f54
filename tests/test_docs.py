"""The documentation stays in step with the package.

The API reference must list exactly the public names, and every ``:ref:`` label
that a docstring points to must exist in the user guide; Sphinx would otherwise
only notice at build time, and only with ``-W``.
"""

import doctest
import re
from collections import defaultdict
from pathlib import Path

import pytest

import sklearn_leakage
from sklearn_leakage import exceptions

DOC = Path(__file__).resolve().parents[1] / "doc"
#: The pages written by hand. Building the docs adds sphinx-gallery's
#: sg_execution_times.rst (ignored by git), which must not add a test: the
#: suite collects the same tests on a clean checkout and after a build.
PAGES = sorted(
    page for page in DOC.glob("*.rst") if page.name != "sg_execution_times.rst"
)
PACKAGE = Path(sklearn_leakage.__file__).resolve().parent

# `:ref:`label`` or `:ref:`text <label>``, possibly wrapped over two lines.
REF = re.compile(r":ref:`(?:[^`<]*<\s*([^`>\s]+)\s*>|([^`<\s]+))`")
# `.. _label:` at the start of a line defines a label.
LABEL = re.compile(r"^\.\. _([^:\s]+):\s*$", re.MULTILINE)


def autosummary_names(text):
    """Names listed in the ``autosummary`` blocks of an rst text, by module.

    The module is the one set by the last ``.. currentmodule::`` before the block.
    Option lines (``:toctree:``) and blank lines inside a block are skipped; the
    block ends at the first non-blank line that is not indented.
    """
    names = defaultdict(list)
    module = None
    in_block = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(".. currentmodule::"):
            module = stripped.split("::", 1)[1].strip()
            in_block = False
        elif stripped.startswith(".. autosummary::"):
            in_block = True
        elif in_block:
            if not stripped or stripped.startswith(":"):
                continue
            if not line.startswith((" ", "\t")):
                in_block = False
                continue
            names[module].append(stripped)
    return dict(names)


def test_autosummary_names_parser():
    # A hand-made page: two modules, options, a blank line and text after a block.
    text = "\n".join(
        [
            ".. currentmodule:: pkg",
            "",
            ".. autosummary::",
            "   :toctree: generated/",
            "   :nosignatures:",
            "",
            "   first",
            "   second",
            "",
            "Some text that is not a name.",
            "",
            ".. currentmodule:: pkg.sub",
            "",
            ".. autosummary::",
            "",
            "   third",
        ]
    )
    assert autosummary_names(text) == {"pkg": ["first", "second"], "pkg.sub": ["third"]}


def test_api_reference_lists_every_public_name():
    listed = autosummary_names((DOC / "api.rst").read_text(encoding="utf-8"))
    top_level = listed.get("sklearn_leakage", [])
    assert len(top_level) == len(set(top_level)), "a name is listed twice"
    expected = set(sklearn_leakage.__all__) - {"__version__"}
    missing = sorted(expected - set(top_level))
    extra = sorted(set(top_level) - expected)
    assert not missing, f"public names missing from doc/api.rst: {missing}"
    assert not extra, f"doc/api.rst lists names that are not public: {extra}"


def test_api_reference_lists_every_warning():
    listed = autosummary_names((DOC / "api.rst").read_text(encoding="utf-8"))
    assert set(listed.get("sklearn_leakage.exceptions", [])) == set(exceptions.__all__)


def doc_labels():
    labels = set()
    for page in PAGES:
        labels.update(LABEL.findall(page.read_text(encoding="utf-8")))
    return {label.lower() for label in labels}


def docstring_refs():
    """``{label: [files]}`` for every ``:ref:`` in the package's source files."""
    refs = defaultdict(list)
    for source in sorted(PACKAGE.rglob("*.py")):
        text = source.read_text(encoding="utf-8")
        for match in REF.finditer(text):
            label = (match.group(1) or match.group(2)).lower()
            refs[label].append(source.relative_to(PACKAGE).as_posix())
    return dict(refs)


def test_ref_pattern():
    text = "See :ref:`User Guide <leakage_score>` and :ref:`merging_clusters`."
    found = [m.group(1) or m.group(2) for m in REF.finditer(text)]
    assert found == ["leakage_score", "merging_clusters"]


def test_docstring_refs_exist_in_the_docs():
    refs = docstring_refs()
    # The package does cite the user guide; an empty result would mean the
    # pattern no longer matches anything.
    assert refs, "no :ref: found in the package; has the pattern broken?"
    labels = doc_labels()
    undefined = {label: files for label, files in refs.items() if label not in labels}
    assert not undefined, (
        f"labels used in docstrings but not defined in doc/: {undefined}"
    )


@pytest.mark.parametrize(
    "label",
    ["leakage_score", "leakage_statistics", "leakage_report", "merging_clusters"],
)
def test_user_guide_labels_named_by_the_docstrings(label):
    # The labels the docstrings were written against, checked by name as well so
    # that removing a section fails here even if its last reference went too.
    assert label in doc_labels()


@pytest.mark.parametrize(
    "page", [page.name for page in PAGES if ">>>" in page.read_text(encoding="utf-8")]
)
def test_doc_page_doctests(page):
    # Interactive examples (">>>") in the pages run like the docstrings' examples,
    # so that the numbers the user guide shows stay true. Only pages with an
    # example are collected, and each must run at least one.
    result = doctest.testfile(
        str(DOC / page),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
        report=False,
    )
    assert result.failed == 0, f"{result.failed} doctest(s) of doc/{page} failed"
    assert result.attempted > 0, f"doc/{page} has no example to run"
