"""Benchmark: speed and memory of the bibliography import (issue 13), each case in fresh processes.

    python benchmarks/bench_speed.py [--runs 3] [--litstudy-python PY] [--only NAME ...]

Cases (inputs are written once into benchmarks/out/):

- ``scopus10k``: 10,000-record Scopus CSV (benchmarks/make_scopus.py, 8% duplicates),
  ``python -m revalign bib import`` against litstudy 1.0.6 doing the same job,
  ``load_scopus_csv`` then ``unique()`` (run by ``--litstudy-python``, a Python with litstudy
  1.0.6 and bibtexparser 1.x, which litstudy needs: ``make bench-env`` makes one in
  benchmarks/.venv-litstudy), whole process, median of ``--runs``; litstudy's load alone is
  printed beside it. Checks both tools' count of unique works. Target >= 10x.
- ``scopus100k``: 100,000 records, revalign's whole import against a bare
  ``pandas.read_csv`` + ``to_csv`` of the same file, whole process, and the peak
  resident memory of each process (``os.wait4``). Targets: no slower, peak <= 1 GB.
- ``bibtex``: a ~5 MB BibTeX file of Zotero-like entries (LaTeX accents, braces): MB/s of
  the reader (in the child, after imports). Target >= 5 MB/s.
- ``bigfield``: one entry with a 10 MB abstract: seconds of the reader. Target: seconds.
- ``csljson``: CSL-JSON of 5,000 and 20,000 items: seconds per 1,000 items for both
  (linear: the two agree).
- ``linear``: every reader (all 19 formats) on a real export from tests/fixtures/bib/real with
  its records repeated to about 2,000 and 8,000 records: the reader's time should grow about 4x.

Prints one line per case and a summary; exit 0 always (the figures are the output).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def default_litstudy_python() -> str:
    return os.environ.get("LITSTUDY_PYTHON") or str(HERE / ".venv-litstudy" / "bin" / "python")


def run(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, the child's own peak resident MB from ``os.wait4``, stdout) of one process."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        sys.exit(f"error: {' '.join(cmd)}:\n{err.decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out.decode()


def median_runs(cmd, runs, mem=False):
    results = [run(cmd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results), results[-1][2]


def scopus_file(n: int) -> tuple[Path, int]:
    sys.path.insert(0, str(HERE))
    import make_scopus

    OUT.mkdir(exist_ok=True)
    path = OUT / f"scopus_{n}.csv"
    meta = OUT / f"scopus_{n}.json"
    if not (path.exists() and meta.exists()):
        unique = make_scopus.write(path, n)
        meta.write_text(json.dumps({"unique": unique}))
    return path, json.loads(meta.read_text())["unique"]


def revalign_cmd(path: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "revalign", "bib", "import", str(path), "-o", str(out), "-q"]


def case_scopus10k(a) -> str:
    """revalign's whole import against litstudy doing the same job, and against litstudy only reading.

    The same job is what a litstudy user runs to get the works without duplicates:
    ``load_scopus_csv`` then ``DocumentSet.unique()``. The target is measured against that
    one; the read-only run is printed beside it, since it is litstudy's floor.
    """
    path, unique = scopus_file(10_000)
    out = OUT / "scopus10k_out.csv"
    ours, _, text = median_runs(revalign_cmd(path, out), a.runs)
    found = text.strip().splitlines()[-1]
    ok_count = found.startswith(f"10000 records read, {unique} unique works")
    if not Path(a.litstudy_python).exists():
        return f"scopus10k: revalign {ours:.2f} s ({found}); litstudy not measured (no {a.litstudy_python}; make bench-env)"
    same_job = "import sys, litstudy; d = litstudy.load_scopus_csv(sys.argv[1]); print(len(d), len(d.unique()))"
    read_only = "import sys, litstudy; print(len(litstudy.load_scopus_csv(sys.argv[1])))"
    theirs, _, n_lit = median_runs([a.litstudy_python, "-c", same_job, str(path)], a.runs)
    floor, _, _ = median_runs([a.litstudy_python, "-c", read_only, str(path)], a.runs)
    n_read, n_unique = n_lit.split()
    return (
        f"scopus10k: revalign {ours:.2f} s; litstudy 1.0.6 load + unique() {theirs:.2f} s -> {theirs / ours:.1f}x "
        f"(target 10x); litstudy load only {floor:.2f} s -> {floor / ours:.1f}x. "
        f"revalign: {found} ({'right' if ok_count else 'WRONG'} count, {unique} expected); "
        f"litstudy: {n_read} read, {n_unique} unique ({'right' if int(n_unique) == unique else 'WRONG'} count)"
    )


def case_scopus100k(a) -> str:
    path, unique = scopus_file(100_000)
    out = OUT / "scopus100k_out.csv"
    ours, ours_mb, text = median_runs(revalign_cmd(path, out), a.runs, mem=True)
    pd_cmd = [sys.executable, "-c", "import sys, pandas as pd; pd.read_csv(sys.argv[1]).to_csv(sys.argv[2])", str(path),
              str(OUT / "pandas_out.csv")]  # fmt: skip
    base, base_mb, _ = median_runs(pd_cmd, a.runs, mem=True)
    found = text.strip().splitlines()[-1]
    return (
        f"scopus100k: revalign {ours:.2f} s, peak {ours_mb:.0f} MB; pandas read_csv+to_csv {base:.2f} s, peak {base_mb:.0f} MB "
        f"-> {ours / base:.2f}x the baseline (target <= 1.0x, peak <= 1024 MB); {found} (expected {unique} unique)"
    )


_BIB_CHILD = """
import sys, time
from pathlib import Path
from revalign.bibliography.importer import read_file
p = Path(sys.argv[1]); t = time.perf_counter(); fmt, raw = read_file(p); s = time.perf_counter() - t
print(f"{len(raw)} {s} {p.stat().st_size}")
"""


def _bib_entry(i: int, abstract: str) -> str:
    return (
        f"@article{{key{i},\n  title = {{Micro-credentials and the {{AECT}} definition, part {i}}},\n"
        f"  author = {{M{{\\\"u}}ller, J{{\\\"u}}rgen and P{{\\'e}}rez, Jos{{\\'e}} and Smith, Ann}},\n"
        f"  journal = {{Journal of Open Learning}},\n  year = {{{2000 + i % 25}}},\n  volume = {{{i % 40}}},\n"
        f"  pages = {{1--20}},\n  doi = {{10.1000/bench.{i}}},\n  keywords = {{badges; credentials}},\n"
        f"  abstract = {{{abstract}}}\n}}\n\n"
    )


def case_bibtex(a) -> str:
    OUT.mkdir(exist_ok=True)
    path = OUT / "bench_5mb.bib"
    if not path.exists():
        text = "".join(
            _bib_entry(i, "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 12) for i in range(6000)
        )
        path.write_text(text, encoding="utf-8")
    _, _, out = median_runs([sys.executable, "-c", _BIB_CHILD, str(path)], a.runs)
    n, secs, size = out.split()
    mbs = int(size) / 2**20 / float(secs)
    return (
        f"bibtex: {int(size) / 2**20:.1f} MB, {n} entries read in {float(secs):.2f} s -> {mbs:.2f} MB/s (target 5 MB/s)"
    )


def case_bigfield(a) -> str:
    OUT.mkdir(exist_ok=True)
    path = OUT / "bench_10mb_field.bib"
    if not path.exists():
        path.write_text(_bib_entry(1, "word " * (2 * 2**20)), encoding="utf-8")
    _, _, out = median_runs([sys.executable, "-c", _BIB_CHILD, str(path)], a.runs)
    n, secs, size = out.split()
    return f"bigfield: one entry with a 10 MB abstract ({int(size) / 2**20:.1f} MB file) read in {float(secs):.2f} s"


def case_csljson(a) -> str:
    OUT.mkdir(exist_ok=True)
    per = []
    for n in (5_000, 20_000):
        path = OUT / f"bench_{n}.json"
        if not path.exists():
            items = [
                {"id": f"item{i}", "type": "article-journal", "title": f"Micro-credentials and badges {i}",
                 "author": [{"family": "Smith", "given": "Ann"}, {"family": "Lee", "given": "Kim"}],
                 "issued": {"date-parts": [[2000 + i % 25]]}, "container-title": "Journal of Open Learning",
                 "DOI": f"10.1000/bench.{i}", "abstract": "Lorem ipsum dolor sit amet. " * 10}
                for i in range(n)
            ]  # fmt: skip
            path.write_text(json.dumps(items, indent=2), encoding="utf-8")
        _, _, out = median_runs([sys.executable, "-c", _BIB_CHILD, str(path)], a.runs)
        k, secs, _ = out.split()
        per.append((int(k), float(secs)))
    (n1, s1), (n2, s2) = per
    return (
        f"csljson: {n1} items {s1:.2f} s ({1000 * s1 / n1:.3f} s per 1,000), {n2} items {s2:.2f} s "
        f"({1000 * s2 / n2:.3f} s per 1,000) -> time ratio {s2 / s1:.1f} for 4x the items (linear: ~4)"
    )


# ---- every reader linear in its input ---------------------------------------------------
# One real export per format (tests/fixtures/bib/real, provenance in tests/fixtures/README.md),
# its records repeated to about LINEAR_N and 4 x LINEAR_N records; the reader's time (read_file,
# in one child process after its imports, best of --runs) should grow about 4x.

REAL = HERE.parent / "tests" / "fixtures" / "bib" / "real"
LINEAR_N = 2_000
LINEAR_FILES = {
    "bibtex": "scopus_funding_details.bib", "ris": "ovid_psycinfo.ris", "csljson": "bbt_short_doi_1179.csl.json",
    "scopus": "scopus_new.csv", "wos": "wos_plaintext.txt", "medline": "pubmed_medline.txt",
    "pubmed_xml": "pubmed.xml", "refer": "endnote_refer_ais.txt", "openalex_json": "openalex_works.json",
    "openalex_csv": "openalex.csv", "lens": "lens.csv", "ieee": "ieee.csv", "springer": "springer.csv",
    "embase_csv": "embase.csv", "pubmed_csv": "pubmed.csv", "dimensions": "dimensions.csv",
    "pop_json": "pop_google_scholar.json", "endnote_xml": "endnote.xml", "wos_tab": "wos_tab_utf8.txt",
}  # fmt: skip


def _grow(fmt: str, text: str, k: int) -> str:
    """*text* (one export) with its records repeated *k* times, still a valid file of *fmt*."""
    if fmt in ("bibtex", "ris", "medline", "refer"):  # records one after another
        return (text.rstrip("\n") + "\n\n") * k
    if fmt == "wos":  # header, records, EF
        head, _, rest = text.partition("\nPT ")
        body = "PT " + rest[: rest.rstrip().rfind("\nEF")].rstrip("\n") + "\n\n"
        return head + "\n" + body * k + "EF\n"
    if fmt in ("csljson", "openalex_json", "pop_json"):
        data = json.loads(text)
        if isinstance(data, list):
            return json.dumps(data * k, indent=1)
        return json.dumps({**data, "results": data["results"] * k}, indent=1)
    if fmt in ("pubmed_xml", "endnote_xml"):
        first, close = ("<PubmedArticle>", "</PubmedArticleSet>") if fmt == "pubmed_xml" else ("<record>", "</records>")
        start, end = text.index(first), text.rindex(close)
        return text[:start] + text[start:end] * k + text[end:]
    # CSV exports: the header once, the rows k times (Dimensions has a line above the header)
    lines = text.splitlines(keepends=True)
    skip = 2 if fmt == "dimensions" and not lines[0].lstrip("\ufeff").startswith(('"Rank"', "Rank")) else 1
    if not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(lines[:skip]) + "".join(lines[skip:]) * k


_LINEAR_CHILD = """
import sys, time
from pathlib import Path
from revalign.bibliography.importer import read_file
runs = int(sys.argv[1])
for p in sys.argv[2:]:
    best, n = None, 0
    for _ in range(runs):
        t = time.perf_counter(); fmt, raw = read_file(Path(p)); s = time.perf_counter() - t
        best, n = s if best is None else min(best, s), len(raw)
    print(n, best)
"""


def case_linear(a) -> str:
    sys.path.insert(0, str(HERE.parent / "src"))
    from revalign.bibliography.importer import read_file

    OUT.mkdir(exist_ok=True)
    lines, worst = [], 0.0
    for fmt, name in LINEAR_FILES.items():
        src = REAL / name
        n0 = len(read_file(src, fmt)[1])
        k = max(1, round(LINEAR_N / n0))
        paths = []
        for mult in (1, 4):
            path = OUT / f"linear_{fmt}_{mult}{src.suffix}"
            if not path.exists():
                path.write_text(_grow(fmt, src.read_text(encoding="utf-8-sig"), k * mult), encoding="utf-8")
            paths.append(str(path))
        _, _, out = run([sys.executable, "-c", _LINEAR_CHILD, str(a.runs), *paths])
        (n1, s1), (n2, s2) = [(int(x), float(y)) for x, y in (ln.split() for ln in out.strip().splitlines())]
        ratio = s2 / s1
        worst = max(worst, ratio)
        lines.append(f"  {fmt:<14} {n1:>6} records {s1:6.3f} s, {n2:>6} records {s2:6.3f} s -> x{ratio:.1f}")
    return (
        f"linear: each reader on about {LINEAR_N} and {4 * LINEAR_N} records of a real export (4x the records; "
        f"linear: time x~4; worst x{worst:.1f})\n" + "\n".join(lines)
    )


CASES = {"scopus10k": case_scopus10k, "scopus100k": case_scopus100k, "bibtex": case_bibtex, "bigfield": case_bigfield,
         "csljson": case_csljson, "linear": case_linear}  # fmt: skip


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--litstudy-python", default=default_litstudy_python())
    ap.add_argument("--only", nargs="*", choices=list(CASES), default=list(CASES))
    a = ap.parse_args(argv)
    for name in a.only:
        print(CASES[name](a), flush=True)
    print(f"(medians of {a.runs} whole-process runs; machine load: {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
