"""Figures of the report: one shared style, Vietnamese labels, stable bytes.

Plotting reads the tidy tables written by the tables stage, so restyling a chart never
recomputes anything upstream.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.ticker
from matplotlib import font_manager

from .vn_format import percent

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SAVE_METADATA = {
    ".svg": {"Date": None, "Creator": None},
    ".pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    ".png": {"Software": None},
}


def use_project_style(font_dir: str | Path) -> None:
    """Register the vendored Noto Sans and set the rcParams every figure shares."""
    for path in sorted(Path(font_dir).glob("NotoSans-*.ttf")):
        font_manager.fontManager.addfont(str(path))
    plt.rcParams.update(
        {
            "font.family": "Noto Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "svg.hashsalt": "chinhquyenso",  # fixed ids: identical SVG bytes run after run
            "svg.fonttype": "path",  # text as outlines: the SVG needs no font to display
            "figure.dpi": 100,
            "savefig.dpi": 200,
            "savefig.bbox": "tight",
        }
    )


def wrap(label: str, width: int = 42) -> str:
    """Break a long Vietnamese label on word boundaries so it never runs off the figure."""
    return "\n".join(textwrap.wrap(label, width=width, break_long_words=False))


def save(fig: plt.Figure, paths: list[str | Path]) -> None:
    for path in paths:
        path = Path(path)
        fig.savefig(path, metadata=SAVE_METADATA.get(path.suffix, None))
    plt.close(fig)


def direct_participation_chart(table) -> plt.Figure:
    """Biểu đồ 1: share of respondents taking part directly, one bar per activity, sorted."""
    data = table.sort_values("ty_le", ascending=True, kind="stable")
    labels = [wrap(s) for s in data["nhan"]]
    height = 0.42 * len(data) + 0.8
    fig, ax = plt.subplots(figsize=(6.3, height))
    bars = ax.barh(labels, data["ty_le"], color=PALETTE[0], height=0.65)
    for bar, n, base in zip(bars, data["n"], data["co_so"], strict=True):
        ax.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            percent(int(n), int(base), sign=True),
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:.0f}%"))
    ax.set_xlabel(f"Tỷ lệ trên tổng số người trả lời (N = {int(data['co_so'].iloc[0])})")
    ax.tick_params(axis="y", length=0, labelsize=8)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.tight_layout()
    return fig


MARKERS = ["o", "s", "D", "^", "v", "P"]


def dti_chart(table, provinces: list[str], total: int = 63) -> plt.Figure:
    """DTI ranks by pillar: one row per pillar, one marker per province (1 = best, on the left)."""
    fig, ax = plt.subplots(figsize=(6.3, 0.55 * len(table) + 1.2))
    n = len(provinces)
    for k, prov in enumerate(provinces):
        offset = (k - (n - 1) / 2) * 0.22
        ys = [i + offset for i in range(len(table))]
        ranks = table[prov]
        ax.scatter(ranks, ys, marker=MARKERS[k % len(MARKERS)], color=PALETTE[k], s=34, label=prov, zorder=3)
        for x, y in zip(ranks, ys, strict=True):
            if x == x:  # not NaN
                ax.text(x + 1.2, y, f"{int(x)}", va="center", fontsize=7, color=PALETTE[k])
    ax.set_yticks(range(len(table)), [wrap(s, 26) for s in table["nhan"]])
    ax.invert_yaxis()
    ax.set_xlim(0, total + 4)
    ax.set_xticks([1, 10, 20, 30, 40, 50, total])
    ax.set_xlabel(f"Thứ hạng trong {total} tỉnh, thành phố (1 = cao nhất)")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0, labelsize=8)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=n, frameon=False, fontsize=8)
    fig.tight_layout()
    return fig
