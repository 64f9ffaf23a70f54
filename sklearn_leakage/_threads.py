"""One BLAS thread inside the estimator's own fits and scores.

A search fits many small models: probes on at most ``max_samples`` rows,
nearest-neighbour searches on at most 2,000, k-means on halves of the data.
On matrices that small, BLAS threads cost more than they give:
``select_n_clusters`` on scikit-learn's wine data took 1.3 to 3.8 s with
OpenBLAS' default threads against about a second with one, on a two-core machine
running one other job. Large fits lose little: scikit-learn's k-means
already holds BLAS to one thread inside its OpenMP loop, and the probe's
data are capped by ``max_samples``.

OpenMP is left alone: k-means spreads large fits over the cores with it
(1.25 to 1.4 times faster with two threads than one on 10,000 and 200,000
rows of 13 features, one run on an idle two-core machine). When every core
is busy its threads wait for each other instead: with both cores taken by
another job, the same wine search took 18.6 s with BLAS on one thread and
1.6 s with OpenMP on one thread too. That choice is the user's
(``threadpoolctl.threadpool_limits(1)``); the command line makes it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from threadpoolctl import threadpool_limits

__all__ = ["one_blas_thread"]

# The BLAS thread count is one setting for the whole process. Calls running
# at once in several threads (joblib's threading backend, dask, a user's
# threads) share one limit: the first to enter sets it and the last to leave
# gives back the setting found by the first. Each restoring its own entry
# value instead, a call that entered while another held the limit would
# restore 1 for good.
_lock = threading.Lock()
_holders = 0
_limiter: threadpool_limits | None = None


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """A context in which BLAS runs on one thread (OpenMP left as it is).

    A context, not a decorator: a wrapper would add a frame between the user
    and the methods' warnings, whose ``stacklevel`` points at the caller.
    While any such context is open, the whole process's BLAS runs on one
    thread.
    """
    global _holders, _limiter
    with _lock:
        if _holders == 0:
            _limiter = threadpool_limits(limits=1, user_api="blas")
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _limiter is not None:
                _limiter.restore_original_limits()
                _limiter = None
