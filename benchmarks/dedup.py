"""Benchmark: de-duplication of revalign against bib-dedupe 0.11.0 on three corpora with ground truth.

    python benchmarks/dedup.py [--data DIR] [--runs 3] [--bench-python PY]

DIR (default ``../shared/benchmarks/dedup`` next to the repository) holds the corpora
``stroke``, ``respiratory`` and ``cytology_screening`` of bib-dedupe's benchmark, each with
``records.json`` and ``truth_pairs.csv``, and ``score.py``, the scorer (see its README).

For every corpus, in one run and on the same machine, each in a fresh process:

- revalign: ``python -m revalign bib import records.json -o out.csv`` (whole process);
- bib-dedupe: ``benchmarks/_bib_dedupe_child.py`` run by ``--bench-python``, a Python that
  has ``bib-dedupe==0.11.0`` installed (a separate environment: bib-dedupe is a measuring
  stick, not a dependency of revalign; ``make bench-env`` creates one in benchmarks/.venv).

Both outputs are scored by ``score.py`` (pairwise precision, recall, F1, false positives).
Wall time is the median of ``--runs`` runs of the whole process. Prints a Markdown table
and exits 1 if revalign has a lower F1 or more false positives than bib-dedupe on any
corpus, or is less than 3x faster.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPORA = ("stroke", "respiratory", "cytology_screening")


def default_data() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent):
        d = base / "shared" / "benchmarks" / "dedup"
        if d.is_dir():
            return d
    return ROOT.parent / "shared" / "benchmarks" / "dedup"


def default_bench_python() -> str:
    return os.environ.get("BENCH_PYTHON") or str(HERE / ".venv" / "bin" / "python")


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} failed:\n{p.stderr[-2000:]}")
    return time.perf_counter() - t


def score(data: Path, corpus: str, out: Path) -> dict:
    p = subprocess.run(
        [sys.executable, str(data / "score.py"), str(data / corpus), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.e+-]+)", p.stdout)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=default_data())
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bench-python", default=default_bench_python())
    args = ap.parse_args(argv)
    if not (args.data / "score.py").exists():
        sys.exit(f"error: {args.data}: no benchmark data (score.py and the corpora); give --data DIR")
    if not Path(args.bench_python).exists():
        sys.exit(
            f"error: {args.bench_python}: no Python with bib-dedupe 0.11.0; run `make bench-env` or give --bench-python"
        )

    rows, ok = [], True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for corpus in CORPORA:
            src = args.data / corpus / "records.json"
            ours, theirs = tmp / f"{corpus}_revalign.csv", tmp / f"{corpus}_bibdedupe.csv"
            t_ours, t_theirs = [], []
            for _ in range(args.runs):  # interleaved, so both see the same machine load
                t_ours.append(
                    timed([sys.executable, "-m", "revalign", "bib", "import", str(src), "-o", str(ours), "-q"])
                )
                t_theirs.append(timed([args.bench_python, str(HERE / "_bib_dedupe_child.py"), str(src), str(theirs)]))
            a, b = score(args.data, corpus, ours), score(args.data, corpus, theirs)
            wa, wb = statistics.median(t_ours), statistics.median(t_theirs)
            rows.append((corpus, a, wa, b, wb))
            ok &= a["f1"] >= b["f1"] - 1e-9 and a["fp"] <= b["fp"] and wb / wa >= 3

    def fmt(s, w):
        return f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.4f}, {int(s['fp'])}, {w:.2f} s"

    print("| corpus | revalign P / R / F1, FP, wall | bib-dedupe 0.11.0 P / R / F1, FP, wall | speed-up |")
    print("|---|---|---|---|")
    for corpus, a, wa, b, wb in rows:
        print(f"| {corpus} | {fmt(a, wa)} | {fmt(b, wb)} | {wb / wa:.1f}x |")
    print(
        f"(pairwise, scored by {args.data / 'score.py'}; wall: median of {args.runs} whole-process runs, interleaved)"
    )
    print("targets (F1 >= bib-dedupe, FP <= bib-dedupe, >= 3x faster):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
