"""Shared by the benchmarks: build synthetic data for each size, measure it in a fresh process.

A fresh process per size makes the peak memory (ru_maxrss) that size's own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure_sizes(
    sizes: list[int], suffix: str, make: Callable[[int, Path], None], child_code: str, extra_args: list[str]
) -> Iterator[tuple[int, dict]]:
    """For each size: write synthetic data with ``make``, run ``child_code`` on it in a new
    Python process (argv: scripts folder, data path, *extra_args), yield the JSON it prints."""
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"syn_{n}{suffix}"
            make(n, path)
            out = subprocess.run(
                [sys.executable, "-c", child_code, str(ROOT / "scripts"), str(path), *extra_args],
                check=True,
                capture_output=True,
                text=True,
            )
            path.unlink()
            yield n, json.loads(out.stdout)
