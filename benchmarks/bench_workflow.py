"""Benchmark of the whole workflow: cold run, no-op re-run, template-only re-run, and cold runs
on synthetic data of growing size with every province report.

    python benchmarks/bench_workflow.py                          # demo + N = 10k, 100k, 1M × P = 3, 34
    python benchmarks/bench_workflow.py --sizes 10000 --provinces 34 --skip-demo
    python benchmarks/bench_workflow.py --out results/benchmarks/workflow.md
    python benchmarks/bench_workflow.py --sizes 1000000 --provinces 34 --skip-demo --design  # issue 27

Each scenario runs `snakemake --cores C` in a fresh copy of the project (a temporary folder)
under `/usr/bin/time -v`, which gives the wall time, the CPU seconds of Snakemake and all its
jobs and the peak resident memory of the largest single process (Snakemake or one of its jobs).
Synthetic data comes from scripts/make_synthetic_data.py (labelled synthetic; P = 34 uses
resources/units/tinh_thanh_2025.yaml); making it is timed apart. Each job's log ends with a
line "thời_gian khởi_động_s=… xử_lý_s=…" (chinhquyenso.smk.run): the seconds from the job's
process start to its work (Python start-up, Snakemake's script preamble, module imports) and
the seconds of work; the table sums them. The machine's load (1-minute average,
`os.getloadavg`) is printed beside each scenario, as read when it ends: other work on the
machine slows every figure. After the table, each target of issue 28 that the scenarios
measured: met or missed. Measures and prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("Snakefile", "config.yaml", "environment.yml", "workflow", "scripts", "resources")
SNAKEMAKE = str(Path(sys.executable).parent / "snakemake")
TIMING = re.compile(r"thời_gian khởi_động_s=([\d.]*) xử_lý_s=([\d.]+)")


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def timed(cmd: list[str], cwd: Path) -> dict:
    """Run ``cmd`` under /usr/bin/time -v; wall seconds, peak RSS (MB) of the largest process."""
    out = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} thất bại trong {cwd}:\n{out.stderr[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", out.stderr).group(1)
    parts = [float(x) for x in wall.split(":")]
    seconds = sum(p * 60**i for i, p in enumerate(reversed(parts)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1)) / 1024
    # CPU seconds of Snakemake and every job (waited-for children): steadier than the wall time
    # on a machine other work shares
    cpu = sum(
        float(re.search(rf"{k} time \(seconds\): ([\d.]+)", out.stderr).group(1)) for k in ("User", "System")
    )
    steps = re.findall(r"(\d+) of (\d+) steps", out.stdout + out.stderr)
    return {"wall_s": seconds, "cpu_s": cpu, "peak_mb": rss, "jobs": int(steps[-1][1]) if steps else 0}


def job_times(work: Path, since: float) -> tuple[float, float]:
    """Sum of start-up and work seconds over the job logs written since ``since``."""
    startup = busy = 0.0
    for log in (work / "results/logs").rglob("*.log"):
        if log.stat().st_mtime < since:
            continue
        for m in TIMING.finditer(log.read_text(encoding="utf-8", errors="replace")):
            startup += float(m.group(1) or 0)
            busy += float(m.group(2))
    return startup, busy


def scenario(name: str, work: Path, args: list[str]) -> dict:
    since = time.time()
    result = timed([SNAKEMAKE, *args], work)
    startup, busy = job_times(work, since)
    result.update(name=name, startup_s=startup, work_s=busy, load=os.getloadavg()[0])
    print(row(result), flush=True)
    return result


def make_data(work: Path, n: int, provinces: int, design: bool = False) -> tuple[Path, float]:
    out_dir = work / f"data/n{n}_p{provinces}"
    cmd = [sys.executable, "scripts/make_synthetic_data.py", "--n", str(n), "--out-dir", str(out_dir)]
    if design:  # strata = provinces, 100 PSUs each, unequal weights; its codebook declares them
        cmd.append("--design")
    if provinces == 34:
        cmd += ["--provinces", "resources/units/tinh_thanh_2025.yaml"]
    elif provinces != 3:
        raise SystemExit(
            "--provinces: 3 (the survey's codebook) or 34 (resources/units/tinh_thanh_2025.yaml)"
        )
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=work, check=True, capture_output=True)
    return out_dir, time.perf_counter() - t0


def overlay(work: Path, data: Path) -> Path:
    """Config for a synthetic file: its codebook, no published figures to check, no interviews,
    and a reference level the codebook has for each categorical covariate (its first value when
    the project's reference is not one: 34 provinces do not name them as the codebook does)."""
    import yaml

    codebook = (
        data / "codebook.yaml" if (data / "codebook.yaml").exists() else work / "resources/codebook.yaml"
    )
    values = {
        v["name"]: [c["value"] for c in v.get("categories", [])]
        for v in yaml.safe_load(codebook.read_text(encoding="utf-8"))["variables"]
        if "name" in v
    }
    covariates = yaml.safe_load((work / "config.yaml").read_text(encoding="utf-8"))["models"]["covariates"]
    references = {
        name: {**cov, "reference": values[name][0]}
        for name, cov in covariates.items()
        if cov.get("reference") and values.get(name) and cov["reference"] not in values[name]
    }
    config = {
        "survey": {
            "path": str(data.relative_to(work) / "khao_sat.csv"),
            "codebook": str(codebook.relative_to(work)),
            "year": 2026,
            "illustrative": True,
        },
        "reproduction": {"published": None},
        "interviews": None,  # the demo's interviews name the demo's provinces, not these
        "report": {"date": "2026-11-22"},
        **({"models": {"covariates": references}} if references else {}),
    }
    path = work / f"{data.name}.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


HEADER = (
    f"| {'scenario':<38} | {'jobs':>4} | {'wall s':>7} | {'peak MB':>7} | {'start-up s':>10} | "
    f"{'work s':>7} | {'start-up share':>14} | {'CPU s':>6} | {'load':>4} |\n|"
    + "|".join("-" * w for w in (40, 6, 9, 9, 12, 9, 16, 8, 6))
    + "|"
)


def row(r: dict) -> str:
    total = r["startup_s"] + r["work_s"]
    share = f"{100 * r['startup_s'] / total:.0f}%" if total else "–"
    return (
        f"| {r['name']:<38} | {r['jobs']:>4} | {r['wall_s']:>7.1f} | {r['peak_mb']:>7.0f} | "
        f"{r['startup_s']:>10.1f} | {r['work_s']:>7.1f} | {share:>14} | "
        f"{r['cpu_s']:>6.1f} | {r['load']:>4.1f} |"
    )


# Issue 28's targets: (scenario name ends with, what is measured, limit, unit).
TARGETS = (
    ("demo (360 × 3): cold run", "wall_s", 15.0, "s"),
    ("demo: no-op re-run", "wall_s", 1.5, "s"),
    ("N = 1,000,000, P = 34: cold run", "wall_s", 150.0, "s"),
    ("N = 1,000,000, P = 34: cold run", "peak_mb", 2048.0, "MB"),
)


def target_lines(results: list[dict]) -> list[str]:
    """One line per target whose scenario ran: the figure, the limit, met or missed."""
    lines = []
    for name, key, limit, unit in TARGETS:
        for r in (r for r in results if r["name"] == name):
            verdict = "met" if r[key] <= limit else "MISSED"
            what = "wall" if key == "wall_s" else "peak memory"
            figure = f"{r[key]:.1f} {unit} (≤ {limit:g} {unit})"
            lines.append(f"target {name}, {what}: {figure} {verdict}, load {r['load']:.1f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--provinces", type=int, nargs="+", default=[3, 34])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--design", action="store_true", help="synthetic data with weights, strata, PSUs")
    parser.add_argument("--out", type=Path, help="also write the table (Markdown) here")
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: a temporary folder)")
    args = parser.parse_args()
    cores = ["--cores", str(args.cores)]
    results, notes = [], []
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        if not args.skip_demo:
            work = copy_project(base / "demo")
            results.append(scenario("demo (360 × 3): cold run", work, cores))
            results.append(scenario("demo: no-op re-run", work, cores))
            template = work / "workflow/templates/report.html.j2"
            template.write_text(
                template.read_text(encoding="utf-8") + "{# benchmark edit #}\n", encoding="utf-8"
            )
            results.append(scenario("demo: after editing only the template", work, cores))
        for n in args.sizes:
            for p in args.provinces:
                work = copy_project(base / f"n{n}_p{p}")
                data, made = make_data(work, n, p, args.design)
                notes.append(f"N = {n:,} × P = {p}: synthetic data made in {made:.1f} s (not in the run)")
                config = ["--configfile", str(overlay(work, data).relative_to(work))]
                name = f"N = {n:,}, P = {p}{', design' if args.design else ''}: cold run"
                results.append(scenario(name, work, [*cores, *config]))
                if n == args.sizes[-1] and p == args.provinces[-1]:
                    template = work / "workflow/templates/report.html.j2"
                    template.write_text(
                        template.read_text(encoding="utf-8") + "{# benchmark edit #}\n", encoding="utf-8"
                    )
                    results.append(scenario(f"N = {n:,}, P = {p}: template-only", work, [*cores, *config]))
                    results.append(scenario(f"N = {n:,}, P = {p}: no-op re-run", work, [*cores, *config]))
                shutil.rmtree(work / "data")  # the next size needs the disk more
    targets = target_lines(results)
    for line in [*notes, *targets]:
        print(line)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(
            "\n".join([HEADER, *(row(r) for r in results), "", *notes, *targets]) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
