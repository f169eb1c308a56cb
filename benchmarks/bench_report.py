"""The report stage (05) against the size of the corpus: page size, build time, with and without exports.

Run stages 01-04 for each parameter file first (``make report PARAMS=...``), then::

    python benchmarks/bench_report.py benchmarks/out/bench5k.yml benchmarks/out/bench50k.yml ...

For each run it measures, in fresh processes (so imports count as they do in the notebook):

- ``cold``: ``build_report`` after removing the files beside the page (``report-data/``), i.e. the
  first build after the corpus changed: the page plus the CSV/XLSX exports of the whole corpus;
- ``warm``: ``build_report`` again: the exports are current and kept, only the page is built (what a
  rerun after a change of the coding costs);
- ``notebook``: ``revalign run-notebook`` of notebooks/05_report.ipynb (kernel start included), warm;

and prints wall and CPU seconds, peak memory, the size of report.html and of the executed notebook.
The corpus sizes come from the run's corpus.csv. Parameter files may live outside params/ (their
runs write under runs/NAME/).

``--stage-runs N`` times only the stage as ``make report`` runs it, N times per run, the runs taken in
turn (so a change of the machine's load falls on every size alike)::

    python benchmarks/bench_report.py --stage-runs 3 benchmarks/out/scale/scale5k.yml benchmarks/out/scale/scale200k.yml

each one ``revalign run-notebook notebooks/05_report.ipynb`` into the run's own executed notebook,
through benchmarks/scale_probe.py (wall and CPU seconds of the process and its kernel, their peak
summed memory), and prints every run, the mean and spread per size, the ratio of the mean CPU
seconds of the last size to the first, and the load average (``os.getloadavg``) before each run.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

BUILD = """
import json, sys, time
from revalign.core import config
from revalign.report.build import build_report
t = time.perf_counter()
r = build_report(config.load(sys.argv[1]))
print(json.dumps({"seconds": time.perf_counter() - t, "size": r.size, "works": r.n_works,
                  "written": [e.written for e in r.exports]}))
"""


def timed(cmd: list[str]) -> tuple[float, float, int, str]:
    """(wall s, CPU s of the child, peak RSS MB of the child, stdout) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss // 1024, proc.stdout


def bench(params: str) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from revalign.core import config

    cfg = config.load(params)
    exports = cfg.report_path.parent / "report-data"
    shutil.rmtree(exports, ignore_errors=True)
    out = {"run": cfg.name}
    for phase in ("cold", "warm"):
        wall, cpu, rss, stdout = timed([PY, "-c", BUILD, params])
        info = json.loads(stdout.strip().splitlines()[-1])
        out[phase] = {"wall": wall, "cpu": cpu, "peak_mb": rss, "written": info["written"]}
        out["works"], out["report_bytes"] = info["works"], info["size"]
    with tempfile.TemporaryDirectory() as tmp:
        nb = Path(tmp) / "05_report.ipynb"
        cmd = [PY, "-m", "revalign", "run-notebook", "notebooks/05_report.ipynb", "--params", params, "-o", str(nb)]
        wall, cpu, rss, _ = timed(cmd)
        out["notebook"] = {"wall": wall, "cpu": cpu, "peak_mb": rss, "bytes": nb.stat().st_size}
    return out


def stage_runs(params: list[str], runs: int) -> int:
    """Time the report stage *runs* times for each parameter file, in turn; print each run and a summary."""
    import os
    import statistics

    sys.path.insert(0, str(ROOT / "src"))
    from revalign.core import config

    results: dict[str, list[dict]] = {p: [] for p in params}
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "probe.jsonl"
        for i in range(runs):
            for p in params:
                cfg = config.load(p)
                executed = cfg.notebooks_dir / "05_report.ipynb"
                load = os.getloadavg()[0]
                cmd = [PY, str(ROOT / "benchmarks" / "scale_probe.py"), "-m", "revalign", "run-notebook"]
                cmd += ["notebooks/05_report.ipynb", "--params", p, "-o", cfg.rel(executed)]
                subprocess.run(
                    cmd, cwd=ROOT, check=True, capture_output=True, env={**os.environ, "SCALE_PROBE_LOG": str(log)}
                )
                entry = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
                entry["load"] = load
                results[p].append(entry)
                print(
                    f"run {i + 1} {cfg.name:<12} wall {entry['wall']:6.2f} s  CPU {entry['cpu']:6.2f} s  "
                    f"peak {entry['peak_mb']:5.0f} MB  load {load:5.2f}",
                    flush=True,
                )
    means = {}
    for p, rs in results.items():
        cpu = [r["cpu"] for r in rs]
        wall = [r["wall"] for r in rs]
        means[p] = statistics.mean(cpu)
        print(
            f"{config.load(p).name:<12} CPU mean {statistics.mean(cpu):.2f} s (min {min(cpu):.2f}, max {max(cpu):.2f}); "
            f"wall mean {statistics.mean(wall):.2f} s (min {min(wall):.2f}, max {max(wall):.2f}); "
            f"peak {max(r['peak_mb'] for r in rs):.0f} MB"
        )
    first, last = params[0], params[-1]
    print(f"mean CPU {config.load(last).name} / {config.load(first).name}: {means[last] / means[first]:.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("params", nargs="+", help="parameter files whose stages 01-04 have run")
    ap.add_argument("--stage-runs", type=int, default=0, help="time only the stage, this many times per run")
    args = ap.parse_args(argv)
    if args.stage_runs:
        return stage_runs(args.params, args.stage_runs)
    rows = [bench(p) for p in args.params]
    print(
        f"{'run':<12} {'works':>8} {'report.html':>12} {'cold wall/cpu s':>16} {'warm wall/cpu s':>16} "
        f"{'notebook wall/cpu s':>20} {'nb bytes':>9} {'peak MB':>8}"
    )
    for r in rows:
        c, w, n = r["cold"], r["warm"], r["notebook"]
        print(
            f"{r['run']:<12} {r['works']:>8} {r['report_bytes']:>12,} {c['wall']:>7.1f} / {c['cpu']:<6.1f} "
            f"{w['wall']:>7.1f} / {w['cpu']:<6.1f} {n['wall']:>9.1f} / {n['cpu']:<8.1f} {n['bytes']:>9,} "
            f"{max(c['peak_mb'], n['peak_mb']):>8}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
