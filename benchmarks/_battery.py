"""Datasets with a known number of clusters, for the k-selection benchmark.

Every synthetic dataset draws from its own seed (the CRC32 of its name), so adding or
removing a dataset leaves the others unchanged and every run gives the same arrays.

Separation is stated in units of the within-cluster standard deviation. For two unit
Gaussians whose centres are ``delta`` apart, the Bayes rule mislabels a share
``Phi(-delta / 2)`` of each (project on the line joining the centres), whatever the
dimension: ``delta = 7`` gives 0.02%, 5 gives 0.6%, 3 gives 6.7%. An equal mixture of
two such Gaussians is bimodal exactly when ``delta > 2`` (Schilling, Watkins & Watkins
2002, "Is human height bimodal?", The American Statistician 56(3)), so down to
``delta = 2.5`` the density still dips between every pair of neighbouring centres and
the true k stays defensible. With unequal spreads ``s_i``, centres at least
``delta * (s_i + s_j) / 2`` apart keep the same bound: a threshold cutting the segment
in the ratio ``s_i : s_j`` is at least ``delta / 2`` standard deviations from both.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_wine,
    make_circles,
    make_moons,
)
from sklearn.preprocessing import StandardScaler

FAMILIES = (
    "separated",
    "dimension",
    "overlap",
    "unequal_sizes",
    "unequal_spreads",
    "anisotropic",
    "noise_dims",
    "no_structure",
    "nonconvex",
    "real",
)


@dataclass(frozen=True, eq=False)
class Dataset:
    """One benchmark case: data, its true number of clusters, the clusterer to use.

    ``n_clusters == 1`` means the data has no cluster structure. ``clusterer`` is
    ``"kmeans"`` for convex clusters, ``"spectral"`` or ``"agglomerative-single"`` for
    non-convex ones. ``y`` holds the generating labels (the classes for real data).
    """

    name: str
    family: str
    X: NDArray[np.float64]
    n_clusters: int
    clusterer: str
    y: NDArray[np.int64]
    description: str = ""


def k_range_for(n_clusters: int) -> range:
    """Candidate k for a dataset: 1..16, widened to truth + 6 for the k > 10 cases.

    One range for every dataset up to k = 10, so methods do not learn the truth from
    it; the datasets with 12, 16 and 20 clusters get room above the truth so that a
    method preferring more clusters is not stopped by the edge.
    """
    return range(1, max(16, n_clusters + 6) + 1)


def _seed(name: str) -> int:
    return zlib.crc32(name.encode())


def _random_rotation(rng: np.random.Generator, d: int) -> NDArray[np.float64]:
    # QR of a Gaussian matrix, signs fixed so the rotation is Haar-distributed
    # (Mezzadri 2007, "How to generate random matrices from the classical compact
    # groups", Notices of the AMS 54(5)).
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.sign(np.diag(r))


def _place_centers(
    rng: np.random.Generator, scales: Sequence[float], n_features: int, delta: float
) -> NDArray[np.float64]:
    """Centres at pairwise distance at least ``delta * (s_i + s_j) / 2``.

    Each new centre goes at 1 to 1.25 times its required distance from a random
    earlier centre, in a uniform direction, and is kept only if it respects the
    minimum to all earlier centres. Every centre therefore has a neighbour at nearly
    the minimum distance, so the separation is the stated one in any dimension;
    uniform draws in a box would not do that (their distances grow like sqrt(d)).
    """
    s = np.asarray(scales, dtype=np.float64)
    centers = np.zeros((len(s), n_features))
    for i in range(1, len(s)):
        need = delta * (s[:i] + s[i]) / 2
        for _ in range(100_000):
            parent = rng.integers(i)
            direction = rng.standard_normal(n_features)
            direction /= np.linalg.norm(direction)
            radius = need[parent] * rng.uniform(1, 1.25)
            candidate = centers[parent] + radius * direction
            if np.all(np.linalg.norm(centers[:i] - candidate, axis=1) >= need):
                centers[i] = candidate
                break
        else:  # pragma: no cover - the battery's settings never get here
            raise RuntimeError(f"could not place centre {i} of {len(s)}")
    return centers


def _gaussian_clusters(
    rng: np.random.Generator,
    centers: NDArray[np.float64],
    sizes: Sequence[int],
    transforms: Sequence[NDArray[np.float64]],
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Cluster i is ``centers[i] + z @ transforms[i].T`` with z standard normal."""
    parts, labels = [], []
    for i, (center, size, a) in enumerate(zip(centers, sizes, transforms, strict=True)):
        z = rng.standard_normal((size, centers.shape[1]))
        parts.append(center + z @ a.T)
        labels.append(np.full(size, i))
    X, y = np.vstack(parts), np.concatenate(labels)
    order = rng.permutation(len(y))
    return X[order], y[order]


def _isotropic(
    rng: np.random.Generator,
    n_clusters: int,
    n_features: int,
    delta: float,
    sizes: Sequence[int],
    spreads: Sequence[float] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    spreads = [1.0] * n_clusters if spreads is None else list(spreads)
    centers = _place_centers(rng, spreads, n_features, delta)
    eye = np.eye(n_features)
    return _gaussian_clusters(rng, centers, sizes, [s * eye for s in spreads])


def _per_cluster_size(n_clusters: int, per_cluster: int) -> list[int]:
    # 200 <= n <= 1500 keeps every method fast; split n evenly over the clusters.
    n = int(np.clip(n_clusters * per_cluster, 200, 1500))
    return [n // n_clusters + (i < n % n_clusters) for i in range(n_clusters)]


# Each builder returns (X, y, description); the registry below adds name and family.
_Builder = Callable[[np.random.Generator], tuple]


def _separated(k: int, d: int) -> _Builder:
    # delta = 7: pairwise Bayes error Phi(-3.5) = 0.02%, i.e. well separated.
    def build(rng):
        X, y = _isotropic(rng, k, d, 7.0, _per_cluster_size(k, 100))
        return X, y, f"{k} unit Gaussians, d={d}, centres >= 7 sd apart"

    return build


def _dimension(k: int, d: int) -> _Builder:
    # delta = 5: pairwise Bayes error Phi(-2.5) = 0.6%, moderately separated.
    def build(rng):
        X, y = _isotropic(rng, k, d, 5.0, _per_cluster_size(k, 150))
        return X, y, f"{k} unit Gaussians, d={d}, centres >= 5 sd apart"

    return build


def _overlap(k: int, d: int, delta: float) -> _Builder:
    def build(rng):
        X, y = _isotropic(rng, k, d, delta, _per_cluster_size(k, 150))
        return X, y, f"{k} unit Gaussians, d={d}, centres >= {delta} sd apart"

    return build


def _unequal_sizes(relative: Sequence[float], d: int) -> _Builder:
    # The smallest cluster has 40 points so that it is still a cluster at 10:1;
    # delta = 6 (Bayes error 0.13%) so that only the sizes make the case hard.
    def build(rng):
        rel = np.asarray(relative, dtype=np.float64)
        sizes = [int(m) for m in np.rint(40 * rel / rel.min())]
        X, y = _isotropic(rng, len(sizes), d, 6.0, sizes)
        ratio = max(sizes) / min(sizes)
        return X, y, f"sizes {sizes} ({ratio:.0f}:1), d={d}, delta 6"

    return build


def _unequal_spreads(spreads: Sequence[float], d: int) -> _Builder:
    def build(rng):
        k = len(spreads)
        X, y = _isotropic(rng, k, d, 6.0, _per_cluster_size(k, 150), spreads)
        sds = ", ".join(f"{s:g}" for s in spreads)
        return X, y, f"sd [{sds}], d={d}, delta 6 on the mean sd"

    return build


def _anisotropic_shared(k: int, d: int, ratio: float) -> _Builder:
    # One linear map for all clusters keeps Mahalanobis distances, so the Bayes error
    # stays Phi(-delta / 2) while the Euclidean shapes become elongated.
    def build(rng):
        X, y = _isotropic(rng, k, d, 6.0, _per_cluster_size(k, 150))
        axes = np.geomspace(1.0, ratio, d)
        t = _random_rotation(rng, d) @ np.diag(axes) @ _random_rotation(rng, d)
        return X @ t, y, f"{k} Gaussians, d={d}, one shared map, axes 1:{ratio:g}"

    return build


def _anisotropic_each(k: int, d: int, ratio: float) -> _Builder:
    # Each cluster has its own orientation; separation uses the long axis as the
    # spread (delta = 5 on it), which bounds the Bayes error by Phi(-2.5).
    def build(rng):
        axes = np.geomspace(1.0, ratio, d)
        transforms = [_random_rotation(rng, d) @ np.diag(axes) for _ in range(k)]
        centers = _place_centers(rng, [ratio] * k, d, 5.0)
        X, y = _gaussian_clusters(rng, centers, _per_cluster_size(k, 150), transforms)
        return X, y, f"{k} Gaussians, d={d}, own orientation, axes 1:{ratio:g}"

    return build


def _noise_dims(k: int, d_info: int, d_noise: int, kind: str) -> _Builder:
    # The noise columns get the same standard deviation as the informative ones, so
    # scaling cannot tell them apart; delta = 6 in the informative subspace.
    def build(rng):
        X, y = _isotropic(rng, k, d_info, 6.0, _per_cluster_size(k, 150))
        sd = float(np.sqrt(np.mean(X.var(axis=0))))
        if kind == "uniform":
            # Uniform on [-a, a] has sd a / sqrt(3).
            noise = rng.uniform(-sd * np.sqrt(3), sd * np.sqrt(3), (len(y), d_noise))
        else:
            noise = sd * rng.standard_normal((len(y), d_noise))
        desc = f"{k} clusters in {d_info} dims + {d_noise} {kind} noise dims"
        return np.hstack([X, noise]), y, desc

    return build


def _no_structure(kind: str, d: int) -> _Builder:
    def build(rng):
        n = 600
        if kind == "gaussian":
            X = rng.standard_normal((n, d))
        elif kind == "anisotropic":
            axes = np.geomspace(1.0, 4.0, d)
            X = rng.standard_normal((n, d)) @ np.diag(axes) @ _random_rotation(rng, d)
        elif kind == "uniform":
            X = rng.uniform(size=(n, d))
        elif kind == "ball":
            # Uniform in the unit ball: uniform direction, radius U ** (1 / d).
            X = rng.standard_normal((n, d))
            X /= np.linalg.norm(X, axis=1, keepdims=True)
            X *= rng.uniform(size=(n, 1)) ** (1 / d)
        elif kind == "student_t":
            # Multivariate t with 3 degrees of freedom: Gaussian / sqrt(chi2_3 / 3).
            X = rng.standard_normal((n, d)) / np.sqrt(rng.chisquare(3, (n, 1)) / 3)
        else:  # pragma: no cover
            raise ValueError(kind)
        return X, np.zeros(n, dtype=np.int64), f"one {kind} blob, d={d}"

    return build


def _three_rings(rng, n: int = 600, noise: float = 0.05):
    # Radii 1, 2, 3 with points in proportion to circumference: even density.
    radii = np.array([1.0, 2.0, 3.0])
    sizes = np.rint(n * radii / radii.sum()).astype(int)
    parts, labels = [], []
    for i, (r, m) in enumerate(zip(radii, sizes, strict=True)):
        angle = rng.uniform(0, 2 * np.pi, m)
        rad = r + noise * rng.standard_normal(m)
        parts.append(np.column_stack([rad * np.cos(angle), rad * np.sin(angle)]))
        labels.append(np.full(m, i))
    return np.vstack(parts), np.concatenate(labels)


def _three_moons(rng, n: int = 600, noise: float = 0.06):
    # Unit half circles opening alternately down and up, centres 1.25 apart along x
    # (odd ones raised by 0.5, as in make_moons). At 1.25 the closest two arcs are
    # 0.44 apart, near make_moons' 0.5; at 1.0 the first and third arcs would touch.
    parts, labels = [], []
    for i in range(3):
        t = rng.uniform(0, np.pi, n // 3)
        up = i % 2 == 0
        x = np.cos(t) + 1.25 * i
        yy = np.sin(t) if up else 0.5 - np.sin(t)
        jitter = noise * rng.standard_normal((len(t), 2))
        parts.append(np.column_stack([x, yy]) + jitter)
        labels.append(np.full(len(t), i))
    return np.vstack(parts), np.concatenate(labels)


def _nonconvex(kind: str) -> _Builder:
    def build(rng):
        seed = int(rng.integers(2**31 - 1))
        if kind == "moons":
            X, y = make_moons(500, noise=0.07, random_state=seed)
            desc = "two moons, noise 0.07"
        elif kind == "moons_low_noise":
            X, y = make_moons(400, noise=0.05, random_state=seed)
            desc = "two moons, noise 0.05"
        elif kind == "circles":
            X, y = make_circles(600, factor=0.5, noise=0.05, random_state=seed)
            desc = "two circles, factor 0.5, noise 0.05"
        elif kind == "rings":
            X, y = _three_rings(rng)
            desc = "three concentric rings, radial noise 0.05"
        else:
            X, y = _three_moons(rng)
            desc = "three interleaved moons, noise 0.06"
        return X, y, desc

    return build


def _real(loader: Callable) -> _Builder:
    def build(rng):
        X, y = loader(return_X_y=True)
        if len(y) > 1500:
            # Subsample without replacement to the battery's 1500-row cap.
            keep = np.sort(rng.choice(len(y), 1500, replace=False))
            X, y = X[keep], y[keep]
        # Constant columns (blank digit pixels) carry nothing and would collapse a
        # Gaussian mixture's variance on them to reg_covar.
        X = X[:, X.std(axis=0) > 0]
        return StandardScaler().fit_transform(X), y, f"{loader.__name__}, standardized"

    return build


def _specs() -> list[tuple[str, str, int, str, bool, _Builder]]:
    """(name, family, true k, clusterer, in quick mode, builder) for every dataset."""
    specs = []

    for i, k in enumerate((2, 3, 4, 5, 6, 8, 10, 12, 16, 20)):
        d = (2, 5, 10)[i % 3]
        specs.append(
            (
                f"separated_k{k}_d{d}",
                "separated",
                k,
                "kmeans",
                k in (3, 10, 16),
                _separated(k, d),
            )
        )

    for k, d in ((4, 2), (6, 2), (4, 10), (6, 30), (4, 50), (6, 100)):
        name = f"dimension_k{k}_d{d}"
        specs.append((name, "dimension", k, "kmeans", d == 50, _dimension(k, d)))

    # Five steps of separation, two datasets each (k cycles 3..6, d alternates 2, 5).
    overlap = (
        (5.0, 3, 2),
        (5.0, 4, 5),
        (4.0, 5, 2),
        (4.0, 6, 5),
        (3.5, 3, 2),
        (3.5, 4, 5),
        (3.0, 5, 2),
        (3.0, 6, 5),
        (2.5, 3, 2),
        (2.5, 4, 5),
    )
    for i, (delta, k, d) in enumerate(overlap):
        name = f"overlap_k{k}_d{d}_delta{delta:g}"
        quick = i in (2, 7)
        specs.append((name, "overlap", k, "kmeans", quick, _overlap(k, d, delta)))

    for name, rel, d, quick in (
        ("unequal_sizes_geometric_k3", (1, 10**0.5, 10), 2, True),
        ("unequal_sizes_one_small_k4", (10, 10, 10, 1), 2, False),
        ("unequal_sizes_one_large_k4", (10, 1, 1, 1), 2, False),
        ("unequal_sizes_geometric_k5", tuple(np.geomspace(1, 10, 5)), 5, False),
    ):
        builder = _unequal_sizes(rel, d)
        specs.append((name, "unequal_sizes", len(rel), "kmeans", quick, builder))

    for name, spreads, d, quick in (
        ("unequal_spreads_k3_d2", (1.0, 2.0, 4.0), 2, True),
        ("unequal_spreads_k4_d2", (1.0, 1.0, 4.0, 4.0), 2, False),
        ("unequal_spreads_k5_d5", tuple(np.geomspace(1, 4, 5)), 5, False),
        ("unequal_spreads_k4_d10", (1.0, 2.0, 3.0, 4.0), 10, False),
    ):
        builder = _unequal_spreads(spreads, d)
        k = len(spreads)
        specs.append((name, "unequal_spreads", k, "kmeans", quick, builder))

    for name, k, builder, quick in (
        ("anisotropic_shared_k3_d2", 3, _anisotropic_shared(3, 2, 4.0), True),
        ("anisotropic_each_k4_d2", 4, _anisotropic_each(4, 2, 4.0), False),
        ("anisotropic_shared_k5_d5", 5, _anisotropic_shared(5, 5, 5.0), False),
        ("anisotropic_each_k4_d10", 4, _anisotropic_each(4, 10, 5.0), False),
    ):
        specs.append((name, "anisotropic", k, "kmeans", quick, builder))

    for k, d_info, d_noise, kind, quick in (
        (3, 2, 5, "gaussian", False),
        (4, 3, 10, "uniform", True),
        (5, 5, 20, "gaussian", False),
        (3, 2, 40, "uniform", False),
        (4, 4, 30, "gaussian", False),
    ):
        name = f"noise_dims_k{k}_info{d_info}_{kind}{d_noise}"
        builder = _noise_dims(k, d_info, d_noise, kind)
        specs.append((name, "noise_dims", k, "kmeans", quick, builder))

    for kind, d, quick in (
        ("gaussian", 2, True),
        ("gaussian", 10, False),
        ("anisotropic", 2, False),
        ("uniform", 2, True),
        ("uniform", 5, False),
        ("ball", 2, False),
        ("student_t", 2, False),
    ):
        name = f"no_structure_{kind}_d{d}"
        builder = _no_structure(kind, d)
        specs.append((name, "no_structure", 1, "kmeans", quick, builder))

    for kind, k, clusterer, quick in (
        ("moons", 2, "spectral", True),
        ("circles", 2, "spectral", False),
        ("three_moons", 3, "spectral", False),
        ("moons_low_noise", 2, "agglomerative-single", False),
        ("rings", 3, "agglomerative-single", True),
    ):
        tag = "single" if clusterer.startswith("agglomerative") else clusterer
        name = f"nonconvex_{kind}_{tag}"
        specs.append((name, "nonconvex", k, clusterer, quick, _nonconvex(kind)))

    for loader, k, quick in (
        (load_iris, 3, True),
        (load_wine, 3, False),
        (load_breast_cancer, 2, False),
        (load_digits, 10, False),
    ):
        name = f"real_{loader.__name__.removeprefix('load_')}"
        specs.append((name, "real", k, "kmeans", quick, _real(loader)))

    return specs


def make_battery(quick: bool = False) -> list[Dataset]:
    """Build the datasets, in family order; ``quick`` keeps a subset with every family.

    Each dataset is generated from the seed of its own name, so the quick datasets are
    exactly the same arrays as in the full battery.
    """
    datasets = []
    for name, family, k, clusterer, in_quick, builder in _specs():
        if quick and not in_quick:
            continue
        X, y, description = builder(np.random.default_rng(_seed(name)))
        datasets.append(
            Dataset(
                name=name,
                family=family,
                X=np.ascontiguousarray(X, dtype=np.float64),
                n_clusters=k,
                clusterer=clusterer,
                y=np.asarray(y, dtype=np.int64),
                description=description,
            )
        )
    return datasets
