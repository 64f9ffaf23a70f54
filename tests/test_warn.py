"""Warnings point at the user's line, past the libraries' frames."""

import threading

import pandas as pd
import sklearn

import sklearn_leakage
from sklearn_leakage._warn import _is_library


def test_library_frames_are_the_package_scikit_learn_joblib_and_the_stdlib():
    assert _is_library(sklearn_leakage.__file__)
    assert _is_library(sklearn.base.__file__)
    assert _is_library(threading.__file__)  # where a worker thread starts
    assert _is_library("<frozen runpy>")  # where a worker process starts
    # An installed package that is not one of these may be the user's code.
    assert not _is_library(pd.__file__)
    assert not _is_library(__file__)
