"""One BLAS thread while the models are fitted, so that the same data give the same bytes
whether the stage runs under Snakemake (which sets OPENBLAS_NUM_THREADS to the rule's
threads) or is called directly (OpenBLAS then uses every core): a threaded BLAS may sum in
another order and change the last digits of an estimate.

The OpenBLAS libraries numpy and scipy load (their own copies, with prefixed symbols) are
found in the process's memory map and set through their C API, as threadpoolctl does; where
that is not possible (not Linux, another BLAS) nothing changes."""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

_SUFFIXES = ("", "64_")  # scipy-openblas: ILP64 copy (numpy) and LP64 copy (scipy)
_PREFIXES = ("scipy_openblas", "openblas")


def _controls() -> list[tuple[object, object]]:
    """(get, set) of the number of threads of each loaded OpenBLAS."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as fh:
            paths = sorted({line.split()[-1] for line in fh if "openblas" in line.lower()})
    except OSError:
        return []
    out = []
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in _PREFIXES:
            for suffix in _SUFFIXES:
                get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                put = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                if get is not None and put is not None:
                    out.append((get, put))
    return out


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Inside: every loaded OpenBLAS on one thread; after: as before."""
    import numpy  # noqa: F401 - load numpy's OpenBLAS before looking for it
    import scipy.linalg  # noqa: F401 - and scipy's

    controls = _controls()
    before = [int(get()) for get, _ in controls]
    for _, put in controls:
        put(1)
    try:
        yield
    finally:
        for (_, put), n in zip(controls, before, strict=True):
            put(n)
