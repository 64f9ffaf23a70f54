"""Warnings that point at the user's line, however deep the package warns."""

from __future__ import annotations

import os
import sys
import sysconfig

import joblib  # type: ignore[import-untyped]
import sklearn

#: Frames from these folders are not the user's: the package's own,
#: scikit-learn's and joblib's, which wrap fit methods (``_fit_context``),
#: public functions (parameter validation) and run searches.
_LIBRARY_DIRS = tuple(
    os.path.dirname(os.path.abspath(str(module.__file__))) + os.sep
    for module in (sys.modules[__package__], sklearn, joblib)
)
_PATHS = sysconfig.get_paths()
#: The standard library, where a worker thread or process starts; the
#: installed packages inside its folder (site-packages) may be the user's.
_STDLIB_DIRS = tuple(
    os.path.abspath(_PATHS[key]) + os.sep for key in ("stdlib", "platstdlib")
)
_SITE_DIRS = tuple(
    os.path.abspath(_PATHS[key]) + os.sep for key in ("purelib", "platlib")
)


def _is_library(filename: str) -> bool:
    if filename.startswith("<frozen "):
        # The standard library's frozen modules (runpy, in a worker process).
        return True
    path = os.path.abspath(filename)
    if path.startswith(_LIBRARY_DIRS):
        return True
    return path.startswith(_STDLIB_DIRS) and not path.startswith(_SITE_DIRS)


def user_stacklevel(default: int = 2) -> int:
    """The ``stacklevel`` of a warning raised by the caller, at the user's frame.

    The same warning is raised through several public entry points (a fit, a
    metric, an interval), each a different number of frames deep, so a fixed
    ``stacklevel`` would point at the package's code for all but one of them.
    In a worker of a parallel search no frame is the user's; ``default``, the
    level the caller would have used, is returned then.
    """
    frame = sys._getframe(1)  # the function that warns: stacklevel 1
    level = 1
    while frame is not None:
        if not _is_library(frame.f_code.co_filename):
            return level
        frame = frame.f_back
        level += 1
    return default
