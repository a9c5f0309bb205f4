"""The variance of estimates from calibrated weights (post-stratified or raked), as R's
``svyrecvar``: before the PSU totals are taken, the influence values are replaced by their
residuals from the calibration cells, which removes the part of the variance the known totals
explain. Without it the weights would be treated as fixed, and the SEs overstated.

- post-stratification (``postStratify``): x − w · m_c, m_c = Σ_c x·w₀/w / Σ_c w₀ over the
  respondents of cell c, w₀ the weights before, w after;
- raking (``rake``): ten sweeps over the margins of x − w · mean_c(x/w), the plain mean over the
  respondents of each category c of the margin (R's backfitting, ten sweeps as R does).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

RAKE_SWEEPS = 10  # R's svyrecvar


@dataclass(frozen=True)
class Calibration:
    method: str  # "poststratify" or "rake"
    cells: tuple[np.ndarray, ...]  # per table (one for post-stratification): each row's cell
    old_weights: np.ndarray  # the weights before calibration


def _cell_sums(values: np.ndarray, cell: np.ndarray, n_cells: int) -> np.ndarray:
    summer = sparse.csr_matrix((np.ones(len(cell)), (cell, np.arange(len(cell)))), shape=(n_cells, len(cell)))
    return np.asarray(summer @ values)


def residuals(x: np.ndarray, weights: np.ndarray, cal: Calibration) -> np.ndarray:
    """``x`` (rows × p influence values) as R's svyrecvar leaves it for a calibrated design."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(weights, dtype=float)[:, None]
    if cal.method == "poststratify":
        (cell,) = cal.cells
        k = int(cell.max()) + 1
        w0 = cal.old_weights[:, None]
        means = (
            _cell_sums(x * w0 / w, cell, k) / np.bincount(cell, weights=cal.old_weights, minlength=k)[:, None]
        )
        return x - means[cell] * w
    for _ in range(RAKE_SWEEPS):
        for cell in cal.cells:
            k = int(cell.max()) + 1
            means = _cell_sums(x / w, cell, k) / np.bincount(cell, minlength=k)[:, None]
            x = x - w * means[cell]
    return x
