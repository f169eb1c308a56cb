"""The whole pipeline against the size of the corpus: `make report` on reviews of 5k, 50k and 200k records.

    python benchmarks/bench_scale.py [--sizes 5000 50000 200000] [--litstudy-python PY]

For each size it builds a synthetic review (once, into benchmarks/out/scale/): the published
review's parameters, codebook, coding and bibliography, plus a search of N records exported from
Scopus as Scopus writes it (benchmarks/make_scopus.py ``write_exports``: CSV files of at most
20,000 records, thousands of journals with a long tail, five decades, Scopus's document types, 8 %
duplicates within and across files). The evidence stays the same (the coded claims cite the
published review's sources), so everything that grows with N is work on the corpus.

Then it removes the run's outputs (runs/scaleNk/) and times one cold ``make report
PARAMS=benchmarks/out/scale/scaleNk.yml`` (the environment already built), every Python step
of it through benchmarks/scale_probe.py: wall and CPU seconds and peak memory (the step's process
and its descendants, the notebook kernel included) per stage, the sizes of report.html and of each
executed notebook, and the load average of the machine before and after (other work on the machine
stretches wall times; CPU seconds are not stretched by it).

It prints one table per size, the growth exponent between sizes (log(t2/t1) / log(n2/n1): 1.0 is
linear, 0 is constant), and the targets of issue 27 with the measured value and whether it is met.
The import targets (10k Scopus >= 10x litstudy, 100k <= 1.0x pandas and <= 1 GB) come from
benchmarks/bench_speed.py, run here when litstudy's environment exists (``make bench-env``).
Results are also written to benchmarks/out/scale/results.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "scale"
sys.path.insert(0, str(HERE))

import make_scopus  # noqa: E402

MB = 2**20
TARGETS = {"wall_50k": 120.0, "peak_50k_mb": 1536.0, "report_mb": 2.0, "notebook_mb": 1.0, "report_spread": 0.20}
TARGETS["exponent"] = 1.1


def label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def build_review(n: int) -> Path:
    """The parameter file of the synthetic review of *n* records (written once)."""
    name = f"scale{label(n)}"
    folder = OUT / name
    params = OUT / f"{name}.yml"
    if not params.exists():
        exports = make_scopus.write_exports(folder, n)
        text = (ROOT / "params" / "default.yml").read_text(encoding="utf-8")
        first = "  - data/raw/bibliography/references.bib\n"
        assert first in text, "params/default.yml no longer lists references.bib first"
        more = "".join(f"  - {p.relative_to(ROOT).as_posix()}\n" for p in exports)
        params.write_text(text.replace(first, first + more), encoding="utf-8")
    return params


def stage_of(argv: list[str]) -> str:
    if "run-notebook" in argv:
        nb = Path(argv[argv.index("run-notebook") + 1]).stem
        return nb.split("_", 1)[1]
    if "check" in argv:
        return "check"
    if "deps" in argv:
        return "deps"
    return " ".join(argv[:3])


def top_level(steps: list[dict]) -> list[dict]:
    """The steps make started. The input check runs inside the guard (``revalign.pipeline.guard write
    ... -- PY -m revalign check``), whose wall, CPU and memory include it: counted once, as the guard's."""
    if any("revalign.pipeline.guard" in s["argv"] for s in steps):
        return [s for s in steps if s["argv"][:3] != ["-m", "revalign", "check"]]
    return steps


def run_make(params: Path) -> dict:
    """One cold ``make report`` of *params*, measured step by step."""
    sys.path.insert(0, str(ROOT / "src"))
    from revalign.core import config

    cfg = config.load(params)
    run_dir = ROOT / "runs" / cfg.name
    shutil.rmtree(run_dir, ignore_errors=True)
    log = OUT / f"{cfg.name}.probe.jsonl"
    log.unlink(missing_ok=True)
    probe = f"{ROOT / '.venv' / 'bin' / 'python'} {HERE / 'scale_probe.py'}"
    env = {**os.environ, "SCALE_PROBE_LOG": str(log)}
    load_before = os.getloadavg()
    t = time.perf_counter()
    proc = subprocess.run(
        ["make", "report", f"PARAMS={params.relative_to(ROOT).as_posix()}", f"PY={probe}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t
    if proc.returncode:
        sys.exit(f"error: make report failed for {params}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    steps = top_level([json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()])
    stages: dict[str, dict] = {}
    for s in steps:
        st = stages.setdefault(stage_of(s["argv"]), {"wall": 0.0, "cpu": 0.0, "peak_mb": 0.0})
        st["wall"] += s["wall"]
        st["cpu"] += s["cpu"]
        st["peak_mb"] = max(st["peak_mb"], s["peak_mb"])
    notebooks = {p.stem: p.stat().st_size for p in sorted((run_dir / "notebooks").glob("*.ipynb"))}
    works = sum(1 for _ in open(cfg.processed_dir / "corpus.csv", "rb")) - 1  # noqa: SIM115 (rows, roughly)
    return {
        "run": cfg.name,
        "wall": wall,
        "cpu": sum(s["cpu"] for s in steps),
        "peak_mb": max(s["peak_mb"] for s in steps),
        "stages": stages,
        "report_bytes": cfg.report_path.stat().st_size,
        "notebooks": notebooks,
        "load": [load_before[0], os.getloadavg()[0]],
        "corpus_lines": works,
    }


def exponent(a: float, b: float, na: int, nb: int) -> float:
    return math.log(b / a) / math.log(nb / na) if a > 0 and b > 0 else float("nan")


def print_size(n: int, r: dict) -> None:
    print(f"\n{label(n)} records ({r['run']}): make report {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, "
          f"peak {r['peak_mb']:.0f} MB; load average {r['load'][0]:.1f} before, {r['load'][1]:.1f} after")  # fmt: skip
    print(f"  {'stage':<14} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}  notebook")
    for stage, s in r["stages"].items():
        nb = next((v for k, v in r["notebooks"].items() if k.endswith(stage)), None)
        size = f"{nb / 1024:,.0f} KB" if nb is not None else ""
        print(f"  {stage:<14} {s['wall']:>8.1f} {s['cpu']:>8.1f} {s['peak_mb']:>8.0f}  {size}")
    print(f"  report.html {r['report_bytes'] / 1024:,.0f} KB")


def import_targets(litstudy_python: str | None) -> list[tuple[str, str, bool | None]]:
    """The import rows of benchmarks/bench_speed.py (10k against litstudy, 100k against pandas)."""
    if not litstudy_python or not Path(litstudy_python).exists():
        return [("import targets (bench_speed.py)", "not run: no litstudy environment (make bench-env)", None)]
    cmd = [sys.executable, str(HERE / "bench_speed.py"), "--only", "scopus10k", "scopus100k", "--runs", "3"]
    cmd += ["--litstudy-python", litstudy_python]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True).stdout
    print("\n" + out.strip())
    return [("import targets (bench_speed.py)", "see the lines above", None)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000, 200_000])
    ap.add_argument("--litstudy-python", default=str(HERE / ".venv-litstudy" / "bin" / "python"))
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = sorted(args.sizes)
    results = {}
    for n in sizes:
        params = build_review(n)
        print(f"building and running {label(n)} ...", file=sys.stderr, flush=True)
        results[n] = run_make(params)
        print_size(n, results[n])
    (OUT / "results.json").write_text(json.dumps({str(k): v for k, v in results.items()}, indent=1), "utf-8")

    print("\ngrowth exponent log(t2/t1) / log(n2/n1) of wall (CPU) seconds")
    stages = list(results[sizes[0]]["stages"])
    for a, b in zip(sizes, sizes[1:], strict=False):
        ra, rb = results[a], results[b]
        parts = [f"whole {exponent(ra['wall'], rb['wall'], a, b):.2f} ({exponent(ra['cpu'], rb['cpu'], a, b):.2f})"]
        parts += [
            f"{s} {exponent(ra['stages'][s]['wall'], rb['stages'][s]['wall'], a, b):.2f}"
            for s in stages
            if s in rb["stages"]
        ]
        print(f"  {label(a)} -> {label(b)}: " + ", ".join(parts))

    checks: list[tuple[str, str, bool | None]] = []
    if 50_000 in results:
        r = results[50_000]
        checks.append(("50k make report wall <= 120 s", f"{r['wall']:.1f} s (CPU {r['cpu']:.1f} s)", r["wall"] <= 120))
        checks.append(("50k peak <= 1.5 GB", f"{r['peak_mb']:.0f} MB", r["peak_mb"] <= TARGETS["peak_50k_mb"]))
    big_page = max(r["report_bytes"] for r in results.values()) / MB
    checks.append(("report.html <= 2 MB (every size)", f"largest {big_page:.2f} MB", big_page <= TARGETS["report_mb"]))
    big_nb = max(max(r["notebooks"].values()) for r in results.values()) / MB
    checks.append(("every executed notebook <= 1 MB", f"largest {big_nb:.2f} MB", big_nb <= TARGETS["notebook_mb"]))
    lo, hi = results[sizes[0]]["stages"].get("report"), results[sizes[-1]]["stages"].get("report")
    if lo and hi:
        spread = hi["wall"] / lo["wall"] - 1
        cpu_spread = hi["cpu"] / lo["cpu"] - 1
        checks.append(
            (
                f"report stage {label(sizes[0])} -> {label(sizes[-1])} within 20 %",
                f"wall {lo['wall']:.1f} -> {hi['wall']:.1f} s ({spread:+.0%}); CPU {cpu_spread:+.0%}",
                abs(spread) <= TARGETS["report_spread"] and abs(cpu_spread) <= TARGETS["report_spread"],
            )
        )
    if len(sizes) > 1:
        a, b = sizes[0], sizes[-1]
        e = exponent(results[a]["wall"], results[b]["wall"], a, b)
        checks.append(
            (f"whole pipeline exponent {label(a)} -> {label(b)} <= 1.1", f"{e:.2f}", e <= TARGETS["exponent"])
        )
    checks += import_targets(args.litstudy_python)
    print("\ntargets (issue 27)")
    for what, value, met in checks:
        verdict = {True: "met", False: "NOT MET", None: ""}[met]
        print(f"  {what:<48} {value:<44} {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
