"""Numbers and durations as a Vietnamese reader writes them: decimal comma, thousands dot.

The plugin runs inside Snakemake, before the workflow's own package (scripts/chinhquyenso) is
importable, so it keeps these few rules to itself (same conventions as chinhquyenso.vn_format).
"""

from __future__ import annotations


def integer(n: int) -> str:
    """2000 -> "2.000"; a negative number with the true minus sign."""
    text = f"{abs(n):,}".replace(",", ".")
    return f"−{text}" if n < 0 else text


def decimal(x: float, places: int = 1) -> str:
    """3.25 -> "3,2" (one place), 1234.5 -> "1.234,5"."""
    whole, _, frac = f"{abs(x):,.{places}f}".partition(".")
    text = whole.replace(",", ".") + (f",{frac}" if frac else "")
    return f"−{text}" if x < 0 and text.strip("0,.") else text


def duration(seconds: float) -> str:
    """3.2 -> "3,2 s"; 75 -> "1 phút 15 s"; an hour and more with its hours."""
    if seconds < 60:
        return f"{decimal(seconds)} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} phút {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} giờ {minutes} phút"


def percent(done: int, total: int) -> str:
    """Share of the run done, whole percent: "44%" (never 100% before the end)."""
    if total <= 0:
        return "0%"
    share = 100 * done // total
    return f"{share}%"
