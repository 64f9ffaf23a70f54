"""Messages of the command line: results to stdout, notes to stderr."""

from __future__ import annotations

import contextlib
import os
import sys
import warnings

from sklearn.exceptions import FitFailedWarning
from threadpoolctl import threadpool_limits

from sklearn_leakage._probe import SMALL_CLUSTER_ADVICE
from sklearn_leakage._selection import NO_STRUCTURE_ADVICE
from sklearn_leakage.exceptions import (
    CloseCallWarning,
    SingleClusterWarning,
    SmallClusterWarning,
)

#: Program name in messages, as installed by the console script.
PROG = "sklearn-leakage"


class UsageError(Exception):
    """A mistake of the user: reported in one line, exit status 2."""


class _Console:
    """Results to stdout; progress and notes to stderr unless quiet."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.stdout_closed = False

    def result(self, text: str = "") -> None:
        if self.stdout_closed:
            return
        try:
            print(text, file=sys.stdout, flush=True)
        except BrokenPipeError:
            # The reader left (`... | head`): keep working so that the files
            # are still written, and stop Python's exit-time flush from
            # failing on the closed pipe.
            self.stdout_closed = True
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    def progress(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)


#: The library's advice in the words of its Python parameters, and what a user
#: of the command line does instead.
_CLI_ADVICE = {
    SMALL_CLUSTER_ADVICE: (
        "Merge or drop the smallest clusters (evaluate) or search fewer clusters (--k)."
    ),
    NO_STRUCTURE_ADVICE: ("Start --k at 1 to allow the answer 'no cluster structure'."),
}


class _OneLineWarnings:
    """Show each distinct warning once, in one line.

    The search fits the same clusterer dozens of times, and scikit-learn resets
    Python's once-per-location registry inside its own ``catch_warnings``; without
    this, one BIRCH warning filled 80 lines.
    """

    def __init__(self):
        self.seen = set()

    def __call__(self, message, category, filename, lineno, file=None, line=None):
        text = " ".join(str(message).split())
        # The library's advice names its Python parameter, which the command
        # line does not have; say what a user of the command can do instead.
        for advice, instead in _CLI_ADVICE.items():
            text = text.replace(advice, instead)
        if text not in self.seen:
            self.seen.add(text)
            print(f"{PROG}: warning: {text}", file=sys.stderr)


@contextlib.contextmanager
def _library_messages(console: _Console, searching: bool = False):
    """Route the library's warnings and GridSearchCV's progress to stderr.

    BLAS and OpenMP are held to one thread: on data of CLI size the threads cost
    more than they give (the demo's search took 46 s with two threads and 2 s
    with one, on a busy two-core machine), and ``--n-jobs`` parallelises over
    processes.
    """
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        if console.quiet:
            warnings.simplefilter("ignore")
        else:
            warnings.showwarning = _OneLineWarnings()
        # Expected whenever 1 is a candidate; the table says it in words.
        warnings.simplefilter("ignore", SingleClusterWarning)
        if searching:
            # Large candidates make small clusters on halves of the data; their
            # lower score already says so, and cv= is not a CLI option.
            warnings.simplefilter("ignore", SmallClusterWarning)
            # A candidate that fails on a split is marked "failed" in the
            # table; scikit-learn's own messages carry tracebacks.
            warnings.simplefilter("ignore", FitFailedWarning)
            warnings.filterwarnings("ignore", message="One or more of the test")
            # Birch warns once per fit that makes fewer clusters than asked
            # (one line per pair of numbers, dozens in a search), with advice
            # the command line cannot follow; the table's "made" column shows
            # the numbers, and the command says it once.
            warnings.filterwarnings("ignore", message="Number of subclusters found")
            # The result's own "close call" line says it, in the command's words.
            warnings.simplefilter("ignore", CloseCallWarning)
            # A probe fitted on a half with nearly as many clusters as rows:
            # scikit-learn suspects a regression target. The --k warning
            # already says such candidates hold too few rows.
            warnings.filterwarnings(
                "ignore", message="The number of unique classes is greater than 50%"
            )
        with contextlib.redirect_stdout(sys.stderr):
            yield
