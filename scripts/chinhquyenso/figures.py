"""Figures of the report: one shared style, Vietnamese labels, stable bytes.

Plotting reads the tidy tables written by the tables stage, so restyling a chart never
recomputes anything upstream.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.ticker
from matplotlib import font_manager

from .svg_files import unwrap_groups
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
            # "'Noto Sans', sans-serif" in the SVG: a viewer without the font still shows text
            "font.family": "sans-serif",
            "font.sans-serif": ["Noto Sans"],
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "svg.hashsalt": "chinhquyenso",  # fixed ids: identical SVG bytes run after run
            # Text stays text in the SVG: the PDF sets it in the vendored fonts the report's
            # @font-face declares (searchable, selectable, read by screen readers), and the
            # charts are 5-10 times smaller and render faster than with letters as outlines.
            "svg.fonttype": "none",
            "figure.dpi": 100,
            "savefig.dpi": 200,
            "savefig.bbox": "tight",
        }
    )


def wrap(label: str, width: int = 42) -> str:
    """Break a long Vietnamese label on word boundaries so it never runs off the figure."""
    return "\n".join(textwrap.wrap(label, width=width, break_long_words=False))


def save(fig: plt.Figure, paths: list[str | Path]) -> None:
    """``fig`` to each path, in the format of its extension, each file written whole or not at
    all (``atomic.replacing``); the figure is closed either way."""
    from .atomic import replacing

    try:
        for path in paths:
            path = Path(path)
            with replacing(path) as tmp:  # "b1.png.tmp": the format is said, not guessed
                if path.suffix == ".svg":  # the report's copy: see svg_files
                    buffer = io.BytesIO()
                    fig.savefig(buffer, format="svg", metadata=SAVE_METADATA[".svg"])
                    tmp.write_bytes(unwrap_groups(buffer.getvalue()))
                else:  # unhinted letters: the PNG's text costs half (FreeType hinting) and at
                    # 200 dpi looks the same; the SVG's text never goes through the hinter
                    with plt.rc_context({"text.hinting": "no_hinting"}):
                        fig.savefig(
                            tmp, format=path.suffix[1:], metadata=SAVE_METADATA.get(path.suffix, None)
                        )
    finally:
        plt.close(fig)


HIDDEN_LABEL = "(ẩn)"
HIDDEN_COLOUR = "#d9d9d9"


def percent_bars(labels, counts, bases, colour: str, xlabel: str, row_height: float = 0.42) -> plt.Figure:
    """Horizontal bars of count/base in per cent, each labelled with its Vietnamese percentage;
    a hidden count (NaN, disclosure control) has no bar, only the label "(ẩn)"."""
    fig, ax = plt.subplots(figsize=(6.3, row_height * len(labels) + 0.9))
    shown = [not (pd.isna(n) or pd.isna(b)) for n, b in zip(counts, bases, strict=True)]
    shares = [100 * int(n) / int(b) if ok else 0.0 for n, b, ok in zip(counts, bases, shown, strict=True)]
    bars = ax.barh(labels, shares, color=colour, height=0.65)
    for bar, n, base, ok in zip(bars, counts, bases, shown, strict=True):
        ax.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            percent(int(n), int(base), sign=True) if ok else HIDDEN_LABEL,
            va="center",
            fontsize=8,
            color="black" if ok else "#555555",
        )
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:.0f}%"))
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", length=0, labelsize=8)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.tight_layout()
    return fig


def _published_order(table, by: str):
    """Rows by ``by`` ascending (the top bar is the largest), hidden rows at the bottom."""
    return table.sort_values(by, ascending=True, kind="stable", na_position="first")


def direct_participation_chart(table) -> plt.Figure:
    """Biểu đồ 1: share of respondents taking part directly, one bar per activity, sorted."""
    data = _published_order(table, "n")
    return percent_bars(
        [wrap(s) for s in data["nhan"]],
        data["n"],
        data["co_so"],
        PALETTE[0],
        f"Tỷ lệ trên tổng số người trả lời (N = {int(data['co_so'].iloc[0])})",
    )


MARKERS = ["o", "s", "D", "^", "v", "P"]


def dti_chart(
    table, provinces: list[str], total: int = 63, labels: dict[str, str] | None = None
) -> plt.Figure:
    """DTI ranks by pillar: one row per pillar, one marker per province (1 = best, on the left);
    ``labels``: province value -> the name printed (codebook ``label:``)."""
    labels = labels or {}
    fig, ax = plt.subplots(figsize=(6.3, 0.55 * len(table) + 1.2))
    provinces = [p for p in provinces if p in table and table[p].notna().any()]  # ranked ones only
    n = len(provinces)
    if n == 0:
        ax.text(0.5, 0.5, "Không có số liệu DTI cho các tỉnh, thành phố trong mẫu", ha="center", va="center")
        ax.set_axis_off()
        return fig
    for k, prov in enumerate(provinces):
        offset = (k - (n - 1) / 2) * 0.22
        ys = [i + offset for i in range(len(table))]
        ranks = table[prov]
        colour = PALETTE[k % len(PALETTE)]
        ax.scatter(
            ranks,
            ys,
            marker=MARKERS[k % len(MARKERS)],
            color=colour,
            s=34,
            label=labels.get(prov, prov),
            zorder=3,
        )
        for x, y in zip(ranks, ys, strict=True):
            if x == x:  # not NaN
                ax.text(x + 1.2, y, f"{int(x)}", va="center", fontsize=7, color=colour)
    ax.set_yticks(range(len(table)), [wrap(s, 26) for s in table["nhan"]])
    ax.invert_yaxis()
    ax.set_xlim(0, total + 4)
    ax.set_xticks([1, 10, 20, 30, 40, 50, total])
    ax.set_xlabel(f"Thứ hạng trong {total} tỉnh, thành phố (1 = cao nhất)")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0, labelsize=8)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(n, 4), frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def forest_chart(
    per_activity,
    pooled,
    activity_labels: dict[str, str],
    terms: list[tuple[str, str]],
    model: str = "logit_tham_gia",
    pooled_model: str = "gop_logit_tham_gia",
    alpha: float = 0.05,
) -> plt.Figure:
    """Odds ratios with CIs per activity (points) and pooled (diamond), one panel per term,
    on a log scale; 1 = no difference from the reference. The intervals are the unadjusted ones
    of the tables; a point is filled when its adjusted p-value (``p_hieu_chinh``, the one the
    report's counts use) is below ``alpha``, hollow otherwise. Without any estimate (no term, or
    no model estimated: see models.estimable), a chart that says so, so that the file exists."""
    acts = list(activity_labels)
    estimates = pd.concat(
        [
            per_activity[per_activity["mo_hinh"] == model],
            pooled[pooled["mo_hinh"] == pooled_model],
        ]
    )
    estimates = estimates[estimates["so_hang"].isin([t for t, _ in terms])]
    if estimates[["or_", "ci_thap", "ci_cao"]].dropna().empty:
        fig, ax = plt.subplots(figsize=(6.3, 1.2))
        ax.axis("off")
        ax.text(
            0.5,
            0.5,
            "Không ước lượng được tỷ số chênh của việc trực tiếp tham gia với dữ liệu này",
            ha="center",
            va="center",
            fontsize=9,
        )
        return fig
    fig, axes = plt.subplots(1, len(terms), figsize=(6.3, 0.3 * len(acts) + 1.6), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, (term, title) in zip(axes, terms, strict=True):
        part = per_activity[(per_activity["mo_hinh"] == model) & (per_activity["so_hang"] == term)]
        part = part.set_index("hoat_dong").reindex(acts)
        ys = np.arange(len(acts))
        ax.errorbar(
            part["or_"],
            ys,
            xerr=[part["or_"] - part["ci_thap"], part["ci_cao"] - part["or_"]],
            fmt="none",
            ecolor="#7aa6c8",
            elinewidth=1,
            capsize=0,
        )
        filled = (part["p_hieu_chinh"] < alpha).to_numpy()
        ax.plot(part["or_"][filled], ys[filled], "o", ms=3.5, color=PALETTE[0], linestyle="none")
        ax.plot(
            part["or_"][~filled],
            ys[~filled],
            "o",
            ms=3.5,
            mfc="white",
            mec=PALETTE[0],
            mew=0.9,
            linestyle="none",
        )
        pool = pooled[(pooled["mo_hinh"] == pooled_model) & (pooled["so_hang"] == term)]
        if len(pool):
            p = pool.iloc[0]
            y = len(acts) + 0.6
            ax.errorbar(
                [p["or_"]],
                [y],
                xerr=[[p["or_"] - p["ci_thap"]], [p["ci_cao"] - p["or_"]]],
                fmt="D",
                ms=5,
                color=PALETTE[5],
                ecolor=PALETTE[5],
                capsize=0,
            )
        ax.axvline(1, color="#555555", linewidth=0.8)
        ax.set_xscale("log")
        lo = np.nanmin(
            np.r_[part["ci_thap"].to_numpy(dtype=float), pool["ci_thap"].to_numpy(dtype=float), 1.0]
        )
        hi = np.nanmax(np.r_[part["ci_cao"].to_numpy(dtype=float), pool["ci_cao"].to_numpy(dtype=float), 1.0])
        ax.set_xlim(lo / 1.15, hi * 1.15)
        grid = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20) if hi / lo > 3 else (0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5)
        if hi / lo > 100:  # wide intervals (a small sample): at most 6 powers of ten, labels apart
            powers = range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
            step = -(-len(powers) // 6)
            grid = tuple(10.0**e for e in powers if e % step == 0)
        ticks = [t for t in grid if lo / 1.15 <= t <= hi * 1.15]
        ax.set_xticks(ticks)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: number_label(x)))
        ax.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        ax.set_title(wrap(title, 18), fontsize=7.5)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
    axes[0].set_yticks(
        list(range(len(acts))) + [len(acts) + 0.6],
        [wrap(activity_labels[a], 34) for a in acts] + [f"Gộp {len(acts)} hoạt động"],
        fontsize=6.5,
    )
    axes[0].invert_yaxis()
    fig.supxlabel("Tỷ số chênh (thang log; 1 = không khác nhóm tham chiếu)", fontsize=8)
    fig.tight_layout()
    return fig


def number_label(x: float) -> str:
    return f"{x:g}".replace(".", ",").replace("-", "\u2212")  # a true minus sign


def prediction_chart(
    pred,
    outcomes: dict[str, str],
    colour_by: tuple[str, list[str]] | None,
    line_by: tuple[str, list[str]] | None,
    tenure: tuple[str, str],
) -> plt.Figure:
    """Predicted shares across tenure (``tenure``: column, axis label), by administrative level
    (colour) and gender (line style); ``colour_by``/``line_by``: (column, levels), or None.
    An outcome without predictions (its model not estimated: see models.estimable) is a panel
    that says so; without any, a chart that says so, so that the file exists."""
    levels = colour_by[1] if colour_by else [None]
    genders = line_by[1] if line_by else [None]
    missing = "Không ước lượng được dự đoán với dữ liệu này"
    if pred.empty:
        fig, ax = plt.subplots(figsize=(6.3, 1.2))
        ax.axis("off")
        ax.text(0.5, 0.5, missing, ha="center", va="center", fontsize=9)
        return fig
    fig, axes = plt.subplots(1, len(outcomes), figsize=(6.3, 3.0), sharey=False)
    styles = ["-", "--", ":"]
    for ax, (outcome, title) in zip(np.atleast_1d(axes), outcomes.items(), strict=True):
        if not (pred["ket_qua"] == outcome).any():
            ax.set_title(wrap(title, 40), fontsize=8)
            ax.axis("off")
            ax.text(0.5, 0.5, wrap(missing, 30), ha="center", va="center", fontsize=8, transform=ax.transAxes)
            continue
        for i, level in enumerate(levels):
            for j, sex in enumerate(genders):
                keep = pred["ket_qua"] == outcome
                if colour_by:
                    keep &= pred[colour_by[0]] == level
                if line_by:
                    keep &= pred[line_by[0]] == sex
                part = pred[keep]
                ax.plot(
                    part[tenure[0]],
                    100 * part["du_doan"],
                    styles[j % 3],
                    color=PALETTE[i],
                    linewidth=1.2,
                    label=", ".join(str(x) for x in (level, sex and sex.lower()) if x) or "Dự đoán",
                )
                ax.fill_between(
                    part[tenure[0]],
                    100 * part["ci_thap"],
                    100 * part["ci_cao"],
                    color=PALETTE[i],
                    alpha=0.08,
                    linewidth=0,
                )
        ax.set_title(wrap(title, 40), fontsize=8)
        ax.set_xlabel(tenure[1], fontsize=8)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:.0f}%"))
        ax.grid(color="#eeeeee", linewidth=0.6)
        ax.tick_params(labelsize=7)
    drawn = [ax for ax in np.atleast_1d(axes) if ax.get_legend_handles_labels()[0]]
    handles, labels = drawn[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.16, 1, 1))
    return fig


def focal_terms(pooled, model: str, focal: list[str], labels: dict[str, str]) -> list[tuple[str, str]]:
    """(column, readable label) of the terms of the ``focal`` covariates in a pooled model
    (the controls, such as province, left out), in table order. ``labels``: variable -> label."""
    from .models import is_slope  # here: the models package costs a chart job ~1 s of start-up

    part = pooled[(pooled["mo_hinh"] == model) & pooled["bien"].isin(focal)]
    out = []
    for _, r in part.iterrows():
        label = (
            f"{labels.get(r['bien'], r['bien'])}, {r['nhan']} thêm"
            if is_slope(r)
            else f"{r['nhan']} so với {r['tham_chieu']}"
        )
        out.append((r["so_hang"], label))
    return out


# Diverging palette (colour-blind safe): low levels orange, a middle level grey, high levels blue.
_LOW, _MIDDLE, _HIGH = (
    ("#D55E00", "#E69F00", "#F0C987", "#F6E0B5"),
    "#BBBBBB",
    ("#0072B2", "#56B4E9", "#A6D3F0", "#D2E9F7"),
)


def level_colours(n: int) -> list[str]:
    """Colours of an n-level ordinal scale, darkest at both ends."""
    k = n // 2
    return [*_LOW[:k], *([_MIDDLE] if n % 2 else []), *_HIGH[:k][::-1]]


def choice_chart(shares, block: str) -> plt.Figure:
    """A multi-select question (block ``block``): share of respondents choosing each option, sorted."""
    part = _published_order(shares[shares["nhom"] == block], "n")
    return percent_bars(
        [wrap(s, 45) for s in part["nhan"]],
        part["n"],
        part["co_so"],
        PALETTE[5],
        f"Tỷ lệ người trả lời chọn (N = {int(part['co_so'].iloc[0])})",
        row_height=0.5,
    )


def _level_shares(levels, cols: dict[int, str], lows: list[int]):
    """Per activity: each level's share of those taking part (0 where not drawn), whether the
    activity gets a bar, and the hidden levels' total share. An activity is drawn when its base
    is published and its hidden levels, if any, all lie below the middle of the scale: they are
    then one segment at the left end, where they belong; anywhere else they could not be placed
    without misleading, so the activity shows "(ẩn)" only."""
    from .tables import level_base

    total = levels[level_base(levels)]  # the valid answers when some gave item non-response
    base = total.where(total > 0).astype(float)
    gaps = levels[list(cols.values())].isna()
    drawn = base.notna() & ~gaps[[c for k, c in cols.items() if k not in lows]].any(axis=1)
    share = {k: (100 * levels[c] / base).astype(float).fillna(0.0).where(drawn, 0.0) for k, c in cols.items()}
    hidden = (100 - sum(share.values())).where(drawn & gaps.any(axis=1), 0.0)
    return share, drawn, hidden


def level_chart(levels, scale_labels: dict[int, str]) -> plt.Figure:
    """Diverging stacked bars of the scale's levels per activity, centred on the middle of the
    scale (``scale_labels``: code -> label, with count columns as ``tables.level_columns``),
    ordered by where each bar ends on the right (the upper levels and half the middle one).

    Disclosure control: hidden levels below the middle of the scale are drawn as one grey
    "(ẩn)" segment at the left end (their total, which the published base and levels give away
    anyway); an activity with its base or an upper level hidden has no bar, only "(ẩn)" by its
    name, at the bottom."""
    from .codebook import Scale
    from .tables import level_base, level_columns

    codes = list(scale_labels)
    cols = level_columns(Scale("", "ordinal", scale_labels))
    colours = dict(zip(codes, level_colours(len(codes)), strict=True))
    half = len(codes) // 2
    lows, middle, highs = codes[:half], codes[half : len(codes) - half], codes[len(codes) - half :]
    share, drawn, hidden = _level_shares(levels, cols, lows)
    order = (
        (sum(share[k] for k in highs) + sum(share[k] / 2 for k in middle))
        .where(drawn, -1.0)  # activities without a bar at the bottom
        .sort_values(kind="stable")
        .index
    )
    grey = {"color": HIDDEN_COLOUR, "label": HIDDEN_LABEL, "hatch": "///"}
    segments = [(hidden, grey)] + [(share[k], {"color": colours[k], "label": scale_labels[k]}) for k in codes]
    fig, ax = plt.subplots(figsize=(6.3, 0.42 * len(order) + 1.3))
    ys = list(range(len(order)))
    left = -(hidden + sum(share[k] for k in lows) + sum(share[k] / 2 for k in middle)).loc[order]
    for values, style in segments:
        values = values.loc[order]
        if not values.gt(0).any():
            continue  # the legend names only what is drawn
        ax.barh(ys, values, left=left, height=0.7, edgecolor="white", linewidth=0.4, **style)
        left = left + values
    names = [
        wrap(s, 40) + ("" if ok else f" {HIDDEN_LABEL}")
        for s, ok in zip(levels.loc[order, "nhan"], drawn.loc[order], strict=True)
    ]
    if not ax.patches:  # every activity hidden: an empty scale still reads as per cents
        ax.set_xlim(-100, 100)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(ys, names)
    ax.tick_params(axis="y", length=0, labelsize=7.5)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{abs(x):.0f}%"))
    centre = scale_labels[middle[0]] if middle else f"{scale_labels[lows[-1]]}/{scale_labels[highs[0]]}"
    among = "câu trả lời hợp lệ của người" if level_base(levels) != "n_tham_gia" else "người"
    ax.set_xlabel(f"Tỷ lệ trong số {among} trực tiếp tham gia (trái: thấp hơn {centre}; phải: cao hơn)")
    handles, labels = ax.get_legend_handles_labels()
    if labels and labels[0] == HIDDEN_LABEL:  # drawn first (leftmost), named last
        handles, labels = handles[1:] + handles[:1], labels[1:] + labels[:1]
    if handles:
        ax.legend(
            handles,
            labels,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=len(handles),
            frameon=False,
            fontsize=7.5,
        )
    ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.tight_layout()
    return fig


def breakdown_chart(table, titles: dict[str, str], high_label: str) -> plt.Figure:
    """Share of activities taken part in, and share at the high levels (``high_label``, e.g.
    'Cao/Rất cao'), by group; one panel per dimension (``titles``: column value of ``chieu`` ->
    panel title); suppressed groups (small-cell protection) are left out and said so."""
    dims = {d: titles.get(d, d) for d in dict.fromkeys(table["chieu"])}
    fig, axes = plt.subplots(1, len(dims), figsize=(6.3, 2.8), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, (dim, title) in zip(axes, dims.items(), strict=True):
        part = table[table["chieu"] == dim]
        labels, took, high = [], [], []
        for _, r in part.iterrows():
            hidden = pd.isna(r["n"])  # disclosure control
            labels.append(
                str(r["nhom"]).replace(" năm", "\nnăm").replace("/", "/\n") + ("\n(ẩn)" if hidden else "")
            )
            took.append(np.nan if hidden or not r["n"] else 100 * r["n_luot_tham_gia"] / r["n_luot_co_the"])
            high.append(
                np.nan if hidden or not r["n_luot_tham_gia"] else 100 * r["n_luot_cao"] / r["n_luot_tham_gia"]
            )
        x = np.arange(len(labels))
        ax.bar(x - 0.2, took, width=0.4, color=PALETTE[0], label="Tham gia trực tiếp")
        ax.bar(x + 0.2, high, width=0.4, color=PALETTE[1], label=f"Mức {high_label} (trong số tham gia)")
        ax.set_xticks(x, labels, fontsize=7)
        ax.set_title(title, fontsize=8.5)
        ax.set_ylim(0, 100)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.0f}%"))
        ax.grid(axis="y", color="#eeeeee", linewidth=0.6)
        ax.set_axisbelow(True)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=7.5, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def wave_change_chart(participation, levels) -> plt.Figure:
    """Change between two waves per activity compared: direct participation (percentage points)
    and mean level among participants (1–5 scale), each with its confidence interval."""
    part = participation[participation["pham_vi"] == "cả hai đợt"].reset_index(drop=True)
    lev = levels.set_index("hoat_dong").reindex(part["hoat_dong"])
    ys = np.arange(len(part))
    fig, axes = plt.subplots(1, 2, figsize=(6.3, 0.3 * len(part) + 1.5), sharey=True)
    panels = (
        (axes[0], part, "Tham gia trực tiếp (điểm %)", PALETTE[0]),
        (axes[1], lev.reset_index(), "Mức độ trung bình (thang 1–5)", PALETTE[2]),
    )
    for ax, data, title, colour in panels:
        est = data["chenh_lech"].to_numpy(dtype=float)
        ax.errorbar(
            est,
            ys,
            xerr=[est - data["ci_thap"].to_numpy(dtype=float), data["ci_cao"].to_numpy(dtype=float) - est],
            fmt="o",
            ms=3,
            color=colour,
            ecolor=colour,
            elinewidth=1,
            capsize=0,
        )
        ax.axvline(0, color="#555555", linewidth=0.8)
        ax.set_title(title, fontsize=8)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: number_label(round(x, 2))))
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
    axes[0].set_yticks(ys, [wrap(s, 34) for s in part["nhan"]], fontsize=6.5)
    axes[0].invert_yaxis()
    first = part.iloc[0]
    fig.supxlabel(
        f"Chênh lệch đợt {first['dot_sau']} so với đợt {first['dot_truoc']} (0 = không đổi)", fontsize=8
    )
    fig.tight_layout()
    return fig
