"""Benchmark of the PDF render: the finished report HTML, with and without its figures.

    snakemake --cores 2 && python benchmarks/bench_render.py
    python benchmarks/bench_render.py --html results/report/bao_cao_tinh_tphcm.html --repeat 5

In one process, after one warm-up render: renders the report's HTML to PDF (as the render rule
does, without the CSV attachments) and the same HTML with every <img> removed, ``--repeat``
times each, alternating, and prints the median times and their ratio (the cost of the charts
over the text), which font subsetter WeasyPrint uses (HarfBuzz or fontTools) and the size of the
charts, and whether the ratio meets issue 28's target (≤ 1,1; the fastest CPU times, the least
disturbed by other work, decide) with the machine's load. Measures and prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = re.compile(r"<img\b[^>]*>")
TARGET = 1.10  # issue 28: the render with its charts ≤ 1,1 × the same HTML without them


def render_seconds(html: str, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one render (the render is single-threaded: CPU time is the
    steadier figure on a shared machine)."""
    from chinhquyenso.report.render import write_pdf

    wall, cpu = time.perf_counter(), time.process_time()
    write_pdf(
        html,
        ROOT / "workflow/templates/report.css",
        ROOT / "resources/fonts",
        out,
        allowed_roots=[ROOT],
    )
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "results/report/bao_cao.html")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.html.exists():
        print(f"Không có {args.html}: chạy `snakemake --cores 2` trước.", file=sys.stderr)
        return 1
    sys.path.insert(0, str(ROOT / "scripts"))
    from chinhquyenso.system_check import pdf_libraries

    os.chdir(ROOT)  # figure addresses in the HTML are relative to the project
    html = args.html.read_text(encoding="utf-8")
    charts = sorted(set(re.findall(r'<img\b[^>]*\bsrc="([^"]+)"', html)))
    bare = IMG.sub("", html)
    times: dict[str, list[tuple[float, float]]] = {"with": [], "without": []}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "x.pdf"
        render_seconds(html, out)  # warm-up: imports, font loading
        for _ in range(args.repeat):
            times["with"].append(render_seconds(html, out))
            times["without"].append(render_seconds(bare, out))
    wall = {k: statistics.median(t[0] for t in v) for k, v in times.items()}
    cpu = {k: statistics.median(t[1] for t in v) for k, v in times.items()}
    fastest = {k: min(t[1] for t in v) for k, v in times.items()}  # least disturbed by the machine
    sizes = [Path(c).stat().st_size / 1024 for c in charts if Path(c).exists()]
    libs = pdf_libraries()
    print(f"HTML: {args.html.relative_to(ROOT) if args.html.is_relative_to(ROOT) else args.html}")
    print(f"font subsetter: {libs['font_subsetter']}; pango {libs['pango']}, harfbuzz {libs['harfbuzz']}")
    if sizes:
        print(f"charts: {len(sizes)}, {min(sizes):.0f}–{max(sizes):.0f} KB each, {sum(sizes):.0f} KB in all")
    print(f"{args.repeat} renders each            median wall s  median CPU s  fastest CPU s")
    for key, name in (("with", "with figures"), ("without", "without figures")):
        print(f"  {name:<26} {wall[key]:13.2f} {cpu[key]:13.2f} {fastest[key]:14.2f}")
    ratios = [d["with"] / d["without"] for d in (wall, cpu, fastest)]
    print(f"  {'ratio (target ≤ 1.10)':<26} {ratios[0]:13.2f} {ratios[1]:13.2f} {ratios[2]:14.2f}")
    verdict = "met" if ratios[2] <= TARGET else "MISSED"
    print(f"target render ratio: {ratios[2]:.2f} (≤ {TARGET:.2f}) {verdict}, load {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
