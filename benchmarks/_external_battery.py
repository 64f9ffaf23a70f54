"""An outside check of the k-selection rule: data sets the rule was never tuned on.

The Fundamental Clustering Problems Suite (FCPS; Ultsch 2005, "Clustering with
SOM: U*C", Proc. Workshop on Self-Organizing Maps, 75-82; Thrun & Ultsch 2020,
"Clustering benchmark datasets exploiting the fundamental clustering problems",
Data in Brief 30, 105501) and the labelled two-dimensional samples that ship
with the ``pyclustering`` package (BSD-3; ``pip install pyclustering``), read
from the installed package, not copied into this repository. The true numbers
of clusters of FCPS are those of Ultsch (2005); those of pyclustering's samples
come from the ``.answer`` label files next to them (noise points, marked "n",
count as no cluster: Simple14 is one cluster in noise). Old Faithful has no label
file; k = 2 (short and long eruptions) is the usual reading.

These sets were added after the criterion's first version was fixed, to see
how it does on data nobody chose for it; with the R data sets of
``_r_battery.py`` they later informed the boundary veto of step 2
(``benchmarks/results/before_veto/``), so they are no longer untouched.
"""

from __future__ import annotations

import importlib.resources
import importlib.util

import numpy as np

from benchmarks._battery import Dataset

#: FCPS data set and its number of clusters (Ultsch 2005). GolfBall has none.
FCPS = {
    "Atom": 2,
    "Chainlink": 2,
    "EngyTime": 2,
    "GolfBall": 1,
    "Hepta": 7,
    "Lsun": 3,
    "Target": 6,
    "Tetra": 4,
    "TwoDiamonds": 2,
    "WingNut": 2,
}

#: pyclustering's labelled samples with at least 40 points, so that each half of
#: the data holds a few points per cluster (Simple08 is one-dimensional).
SIMPLE = (
    "Elongate",
    "Simple03",
    "Simple04",
    "Simple05",
    "Simple06",
    "Simple08",
    "Simple14",
    "Simple15",
)

EXTERNAL_FAMILIES = ("fcps", "pyclustering_samples")


def _samples_dir():
    if importlib.util.find_spec("pyclustering") is None:
        raise SystemExit(
            "k_selection: the fcps battery reads its data from the pyclustering "
            "package; install it with `pip install pyclustering`."
        )
    return importlib.resources.files("pyclustering.samples") / "samples"


def _load(path):
    # ndmin=2: a one-dimensional sample is one column, not one row.
    return np.loadtxt(path, ndmin=2)


def _dataset(name, family, X, n_clusters, y=None):
    X = np.ascontiguousarray(X, dtype=np.float64)
    return Dataset(
        name=name,
        family=family,
        X=X,
        n_clusters=n_clusters,
        clusterer="kmeans",
        y=np.full(X.shape[0], -1) if y is None else np.asarray(y, dtype=np.int64),
        description=f"{family}: {name}, {X.shape[0]} x {X.shape[1]}",
    )


def make_external_battery() -> list[Dataset]:
    """FCPS and pyclustering's labelled samples, all clustered with k-means."""
    root = _samples_dir()
    datasets = [
        _dataset(f"fcps_{name}", "fcps", _load(root / "fcps" / f"{name}.data"), k)
        for name, k in FCPS.items()
    ]
    for name in SIMPLE:
        X = _load(root / "simple" / f"{name}.data")
        # Label files mark noise points with "n"; they belong to no cluster.
        tokens = (root / "simple" / f"{name}.answer").read_text().split()
        labels = np.array([-1 if t == "n" else int(t) for t in tokens])
        datasets.append(
            _dataset(
                f"simple_{name}",
                "pyclustering_samples",
                X,
                np.unique(labels[labels >= 0]).shape[0],
                labels,
            )
        )
    old_faithful = _load(root / "famous" / "OldFaithful.data")
    datasets.append(_dataset("old_faithful", "pyclustering_samples", old_faithful, 2))
    return datasets
