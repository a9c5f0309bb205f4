"""One BLAS thread while the models are fitted, so that the same data give the same bytes
whether the stage runs under Snakemake (which sets OPENBLAS_NUM_THREADS to the rule's
threads) or is called directly (OpenBLAS then uses every core): a threaded BLAS may sum in
another order and change the last digits of an estimate."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Inside: every BLAS numpy and scipy loaded on one thread; after: as before."""
    import numpy  # noqa: F401 - load numpy's BLAS before limiting it
    import scipy.linalg  # noqa: F401 - and scipy's
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
