"""Benchmark: import + de-duplicate + screen N Scopus records, against bare pandas.read_csv.

    python benchmarks/bench_import.py --n 100000

Writes (once) a synthetic Scopus CSV of N records with benchmarks/make_scopus.py into
benchmarks/out/, then measures, each in a fresh Python process so that peak memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) belongs to that step alone:

- ``pandas.read_csv``: the bare C-engine read of the same file (the baseline);
- ``revalign``: ``read_bibliography`` (read, normalise, de-duplicate) and then
  ``revalign.screening.rules.screen`` with the screening block of params/default.yml
  (or a plain year/keyword filter if that module is missing).

Prints a small table, the ratio to the baseline, and whether the targets (5 s wall,
1.5 GB peak) are met. Exit status 1 if the de-duplication found the wrong number of
unique works.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET_S, TARGET_MB = 5.0, 1536


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child_pandas(path: str) -> dict:
    import pandas as pd

    t = time.perf_counter()
    df = pd.read_csv(path)
    return {"seconds": time.perf_counter() - t, "rows": len(df), "peak_mb": _peak_mb()}


def _screening_params():
    from revalign.core import config

    try:
        return config.load(ROOT / "params" / "default.yml").params.screening
    except Exception:  # params missing or schema changed: a fixed equivalent
        return config.Screening(
            year_min=2015,
            year_max=2025,
            keywords_en=["micro-credential", "digital badge"],
            keywords_id=["kredensial mikro"],
        )


def _fallback_screen(records, params):
    import pandas as pd

    kw = "|".join(k.lower() for k in [*params.keywords_en, *params.keywords_id]) or "."
    text = records["title"].fillna("") + " " + records["abstract"].fillna("") + " " + records["keywords"].fillna("")
    keep = records["year"].between(params.year_min, params.year_max) & text.str.lower().str.contains(kw)
    return pd.DataFrame({"record_id": records["record_id"], "decision": keep.map({True: "include", False: "exclude"})})


def child_revalign(path: str) -> dict:
    t0 = time.perf_counter()
    from revalign.bibliography.importer import read_bibliography

    t_import = time.perf_counter()
    res = read_bibliography([path])
    t_dedup = time.perf_counter()
    params = _screening_params()
    try:
        from revalign.screening.rules import screen

        how = "revalign.screening.rules.screen"
    except ImportError:
        screen, how = _fallback_screen, "year/keyword filter (no revalign.screening.rules)"
    decisions = screen(res.records, params)
    t_end = time.perf_counter()
    return {
        "import_modules_s": t_import - t0,
        "import_dedup_s": t_dedup - t_import,
        "screen_s": t_end - t_dedup,
        "seconds": t_end - t_import,
        "n_read": res.n_read,
        "n_unique": res.n_unique,
        "merges": len(res.merges),
        "included": int((decisions["decision"] == "include").sum()),
        "screen": how,
        "peak_mb": _peak_mb(),
    }


def _run_child(kind: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--file", type=Path, help="use this Scopus CSV instead of generating one")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        kind, path = a.child
        print(json.dumps(child_pandas(path) if kind == "pandas" else child_revalign(path)))
        return 0

    sys.path.insert(0, str(HERE))
    import make_scopus

    path = a.file
    expected = None
    if path is None:
        out = HERE / "out"
        out.mkdir(exist_ok=True)
        path = out / f"scopus_{a.n}.csv"
        expected = a.n - int(round(a.n * 0.08))
        if not path.exists():
            t = time.perf_counter()
            expected = make_scopus.write(path, a.n)
            print(f"wrote {path} ({path.stat().st_size / 2**20:.0f} MiB) in {time.perf_counter() - t:.1f} s")

    base = _run_child("pandas", path)
    rev = _run_child("revalign", path)
    ratio = rev["seconds"] / base["seconds"]
    size = path.stat().st_size / 2**20
    print(f"\nfile: {path} ({size:.0f} MiB), {rev['n_read']} records")
    print(f"{'step':44s} {'wall s':>8s} {'peak MB':>8s}")
    print(f"{'pandas.read_csv (baseline)':44s} {base['seconds']:8.2f} {base['peak_mb']:8.0f}")
    print(f"{'revalign read + normalise + de-duplicate':44s} {rev['import_dedup_s']:8.2f} {'':>8s}")
    print(f"{'screen (' + rev['screen'].split(' ')[0] + ')':44s} {rev['screen_s']:8.2f} {'':>8s}")
    print(f"{'revalign total (import + dedup + screen)':44s} {rev['seconds']:8.2f} {rev['peak_mb']:8.0f}")
    print(f"\nratio to pandas.read_csv: {ratio:.2f}x")
    print(
        f"unique works: {rev['n_unique']} ({rev['merges']} duplicates merged); included by screening: {rev['included']}"
    )
    ok_time, ok_mem = rev["seconds"] < TARGET_S, rev["peak_mb"] < TARGET_MB
    print(
        f"targets: wall < {TARGET_S:.0f} s {'met' if ok_time else 'NOT met'}; "
        f"peak < {TARGET_MB / 1024:.1f} GB {'met' if ok_mem else 'NOT met'}"
    )
    if expected is not None and rev["n_unique"] != expected:
        print(f"error: expected {expected} unique works, found {rev['n_unique']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
