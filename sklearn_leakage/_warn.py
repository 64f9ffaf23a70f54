"""Warnings that point at the user's line, however deep the package warns."""

from __future__ import annotations

import os
import sys

import joblib  # type: ignore[import-untyped]
import sklearn

#: Frames from these folders are not the user's: the package's own, and
#: scikit-learn's and joblib's, which wrap fit methods (``_fit_context``),
#: public functions (parameter validation) and run searches.
_LIBRARY_DIRS = tuple(
    os.path.dirname(os.path.abspath(str(module.__file__))) + os.sep
    for module in (sys.modules[__package__], sklearn, joblib)
)


def user_stacklevel() -> int:
    """The ``stacklevel`` of a warning raised by the caller, at the user's frame.

    The same warning is raised through several public entry points (a fit, a
    metric, an interval), each a different number of frames deep, so a fixed
    ``stacklevel`` would point at the package's code for all but one of them.
    """
    frame = sys._getframe(1)  # the function that warns: stacklevel 1
    level = 1
    while frame is not None:
        if not os.path.abspath(frame.f_code.co_filename).startswith(_LIBRARY_DIRS):
            return level
        frame = frame.f_back
        level += 1
    return 1
