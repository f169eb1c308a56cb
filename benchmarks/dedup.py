"""Benchmark: de-duplication of revalign against bib-dedupe 0.11.0 on thirteen labelled corpora.

    python benchmarks/dedup.py [--data DIR] [--local DIR] [--runs 3] [--bench-python PY]
                               [--only NAME ...] [--role tuned|held-out]

The corpora (README.md, "De-duplication: labelled corpora"): the three of
``../shared/benchmarks/dedup`` (``--data``, with its scorer ``score.py``) and the ten of
``benchmarks/dedup_data`` (``--local``; ``records.json.gz``, rebuilt by ``dedup_corpora.py``).
Each is either one the rules were **tuned** on or one **held out** from tuning; the two groups
are reported apart, and the targets are judged on the held-out ones only.

For every corpus, in one run and on the same machine, each in a fresh process, interleaved:

- revalign: ``python -m revalign bib import records.json -o out.csv`` (whole process);
- bib-dedupe: ``benchmarks/_bib_dedupe_child.py`` run by ``--bench-python``, a Python that
  has ``bib-dedupe==0.11.0`` installed (a separate environment: bib-dedupe is a measuring
  stick, not a dependency of revalign; ``make bench-env`` creates one in benchmarks/.venv).

Both outputs are scored by ``score.py`` (pairwise precision, recall, F1, false pairs). Wall
time (the target's measure) and CPU time (user + system, all threads: less sensitive to what else
runs on the machine, though bib-dedupe's threads make its CPU time exceed its wall time) are each
the median of ``--runs`` runs of the whole process, with the same boundaries for both
tools: process start, imports, reading the CSL-JSON file, de-duplication and writing the CSV of
unique works (what a user waits for when running either); each tool's code compiled to
bytecode first, as an installed package is (:func:`compile_revalign`). Each group also gets a pooled
line (the pairs of all its corpora counted together). Prints Markdown tables and exits 1 if,
on a held-out corpus, revalign has a lower F1 or more false pairs than bib-dedupe, or is less
than 3x faster.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ("stroke", "respiratory", "cytology_screening")
# (corpus, role): decided before any held-out figure was looked at (README.md); haematology was
# held out in the first full run, then its errors were inspected, so it counts as tuned since
CORPORA = (
    ("stroke", "tuned"),
    ("respiratory", "tuned"),
    ("cytology_screening", "tuned"),
    ("special_cases", "tuned"),
    ("digital_work", "tuned"),
    ("ejis", "tuned"),
    ("haematology", "tuned"),
    ("copper", "held out"),
    ("tafenoquine", "held out"),
    ("misq", "held out"),
    ("isr", "held out"),
    ("icis", "held out"),
    ("jais", "held out"),  # added after the others' first held-out run; run once, never inspected
)


def default_data() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent):
        d = base / "shared" / "benchmarks" / "dedup"
        if d.is_dir():
            return d
    return ROOT.parent / "shared" / "benchmarks" / "dedup"


def default_bench_python() -> str:
    return os.environ.get("BENCH_PYTHON") or str(HERE / ".venv" / "bin" / "python")


def compile_revalign() -> None:
    """Write the bytecode of revalign's own modules before timing anything.

    bib-dedupe and every dependency are installed with compiled bytecode (``make env``,
    ``make bench-env``: ``--compile-bytecode``, as pip does). revalign is installed editable from
    ``src/``, and where Python may not write ``__pycache__`` (``PYTHONDONTWRITEBYTECODE``, set on
    the development machine) every run would compile its ~30 modules again (~0.1 s), which no
    user pays twice: a first run writes the cache, ``pip install`` compiles at install. So both
    tools are timed with their code compiled, as a user runs them.
    """
    import revalign

    pkg = Path(revalign.__file__).resolve().parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(pkg)], check=True, capture_output=True)


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system of the process and its threads)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} failed:\n{p.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def score(scorer: Path, corpus_dir: Path, out: Path) -> dict:
    p = subprocess.run(
        [sys.executable, str(scorer), str(corpus_dir), str(out)], capture_output=True, text=True, check=True
    )
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.e+-]+)", p.stdout)}


def records_file(corpus_dir: Path, tmp: Path) -> Path:
    """The corpus's records.json (a gzipped one is unpacked into *tmp* first)."""
    plain = corpus_dir / "records.json"
    if plain.exists():
        return plain
    out = tmp / corpus_dir.name / "records.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(gzip.decompress((corpus_dir / "records.json.gz").read_bytes()))
    return out


def prf(tp: float, fp: float, fn: float) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "fp": fp, "tp": tp, "fn": fn}


def fmt(s: dict, w: float) -> str:
    return f"{s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.4f}, {int(s['fp'])}, {w:.2f} s"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=default_data(), help="../shared/benchmarks/dedup (and score.py)")
    ap.add_argument("--local", type=Path, default=HERE / "dedup_data", help="the corpora of dedup_corpora.py")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bench-python", default=default_bench_python())
    ap.add_argument("--only", action="append", default=[], metavar="NAME", help="only this corpus (repeatable)")
    ap.add_argument("--role", choices=["tuned", "held-out"], help="only the tuned or only the held-out corpora")
    args = ap.parse_args(argv)
    scorer = args.data / "score.py"
    if not scorer.exists():
        sys.exit(f"error: {args.data}: no benchmark data (score.py and the corpora); give --data DIR")
    if not Path(args.bench_python).exists():
        sys.exit(
            f"error: {args.bench_python}: no Python with bib-dedupe 0.11.0; run `make bench-env` or give --bench-python"
        )
    chosen = [
        (c, role)
        for c, role in CORPORA
        if (not args.only or c in args.only) and (not args.role or role == args.role.replace("-", " "))
    ]
    unknown = set(args.only) - {c for c, _ in CORPORA}
    if unknown:
        sys.exit(f"error: unknown corpus {sorted(unknown)}; corpora: {', '.join(c for c, _ in CORPORA)}")

    compile_revalign()
    rows, ok = [], True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for corpus, role in chosen:
            corpus_dir = (args.data if corpus in SHARED else args.local) / corpus
            src = records_file(corpus_dir, tmp)
            ours, theirs = tmp / f"{corpus}_revalign.csv", tmp / f"{corpus}_bibdedupe.csv"
            t_ours, t_theirs = [], []
            for _ in range(args.runs):  # interleaved, so both see the same machine load
                t_ours.append(
                    timed([sys.executable, "-m", "revalign", "bib", "import", str(src), "-o", str(ours), "-q"])
                )
                t_theirs.append(timed([args.bench_python, str(HERE / "_bib_dedupe_child.py"), str(src), str(theirs)]))
            a, b = score(scorer, corpus_dir, ours), score(scorer, corpus_dir, theirs)
            wa, wb = statistics.median(w for w, _ in t_ours), statistics.median(w for w, _ in t_theirs)
            ca, cb = statistics.median(c for _, c in t_ours), statistics.median(c for _, c in t_theirs)
            rows.append((corpus, role, a, wa, b, wb, ca, cb))
            print(
                f"{corpus} ({role}): revalign {fmt(a, wa)}, CPU {ca:.2f} s; bib-dedupe {fmt(b, wb)}, CPU {cb:.2f} s",
                file=sys.stderr,
                flush=True,
            )
            if role == "held out":
                ok &= a["f1"] >= b["f1"] - 1e-9 and a["fp"] <= b["fp"] and wb / wa >= 3

    for role in ("tuned", "held out"):
        group = [r for r in rows if r[1] == role]
        if not group:
            continue
        print(f"\n{role.capitalize()} corpora (pairwise P / R / F1, false pairs, wall):\n")
        print("| corpus | revalign | bib-dedupe 0.11.0 | speed-up (wall) | CPU s, revalign / bib-dedupe |")
        print("|---|---|---|---|---|")
        for corpus, _, a, wa, b, wb, ca, cb in group:
            print(f"| {corpus} | {fmt(a, wa)} | {fmt(b, wb)} | {wb / wa:.1f}x | {ca:.2f} / {cb:.2f} ({cb / ca:.1f}x) |")
        if len(group) > 1:
            pa = prf(*(sum(r[2][k] for r in group) for k in ("tp", "fp", "fn")))
            pb = prf(*(sum(r[4][k] for r in group) for k in ("tp", "fp", "fn")))
            wa, wb = sum(r[3] for r in group), sum(r[5] for r in group)
            ca, cb = sum(r[6] for r in group), sum(r[7] for r in group)
            print(
                f"| all {role}, pooled | {fmt(pa, wa)} | {fmt(pb, wb)} | {wb / wa:.1f}x | {ca:.2f} / {cb:.2f} ({cb / ca:.1f}x) |"
            )
    print(f"\n(pairwise, scored by {scorer}; wall: median of {args.runs} whole-process runs, interleaved)")
    if any(r[1] == "held out" for r in rows):
        print("targets on the held-out corpora (F1 >= bib-dedupe, false pairs <= bib-dedupe, >= 3x faster):",
              "met" if ok else "NOT met")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
