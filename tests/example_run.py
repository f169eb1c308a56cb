"""What the end-to-end tests of the worked examples share (tests/e2e/test_own_review.py,
tests/e2e/test_german_review.py): running an example's parameter file through `make report`,
the layout every run writes, the published review's words that no other review may show, and
counting the data a corpus figure draws."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from revalign.pipeline.stages import STAGES

# the published review's words (its country, framework, topic, programme, ministry, authors, and
# its self-citation key) that a run on other material must never show
PAPER_TERMS = re.compile(
    r"indonesia|\baect|micro-?credential|kredensial|\bkmmi\b|kemendikbud|ruminar|kuswandi|fajarianto|stefany"
    r"|bappenas|kampus merdeka|indonesia_weight",
    re.IGNORECASE,
)
# embedded images (base64) can contain any letters; they are not text a reader sees
BASE64 = re.compile(r"data:[a-z/+.-]+;base64,[A-Za-z0-9+/=\s]+|\"image/png\": \"[A-Za-z0-9+/=\\n]+\"")
CORPUS_FIGURES = ("works_per_year", "source_types", "venues")
TEXT_SUFFIXES = {".ipynb", ".csv", ".md", ".tex", ".html", ".json", ".svg"}


def make(root: Path, *args: str, timeout: int = 1500) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=root, capture_output=True, text=True, timeout=timeout
    )


def run_example(root: Path, name: str, timeout: int = 1500) -> Path:
    """`make report PARAMS=params/NAME.yml`, asserted to succeed; the run's folder."""
    r = make(root, "report", f"PARAMS=params/{name}.yml", timeout=timeout)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return root / "runs" / name


def missing_layout(run: Path) -> list[str]:
    """The files every run writes that *run* lacks: tables, the heatmap, each stage's notebook, the report."""
    wanted = ["processed/corpus.csv", "processed/table1.csv", "processed/prisma.json"]
    wanted += ["figures/alignment_heatmap.svg", *(f"notebooks/{s.notebook}" for s in STAGES)]
    missing = [rel for rel in wanted if not (run / rel).is_file()]
    if not ((run / "report.html").is_file() or (run / "reports" / "report.html").is_file()):
        missing.append("report.html")
    return missing


def paper_terms_found(run: Path) -> dict[str, list[str]]:
    """File (relative to *run*) -> the published review's words it shows, for every text file the run wrote."""
    files = [p for p in run.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]
    assert len(files) > 20, f"only {len(files)} text files under {run}"
    found = {}
    for p in files:
        text = BASE64.sub("", p.read_text(encoding="utf-8", errors="replace"))
        if terms := sorted({m.group(0).lower() for m in PAPER_TERMS.finditer(text)}):
            found[str(p.relative_to(run))] = terms
    return found


def bars_in_svg(path: Path) -> int:
    """Filled, clipped shapes inside the axes of a matplotlib SVG (bars, cells): the drawn data."""
    svg = path.read_text(encoding="utf-8")
    return len(re.findall(r'<path [^>]*clip-path="url\(#[^)]+\)"[^>]*style="fill: (?:#|url\(#)', svg))
