"""Your own review, end to end: the second worked example and a fresh `init` scaffold.

`make report PARAMS=params/ai_literacy_au.yml` runs the worked example of
data/raw/examples/ai_literacy_au/ (another framework, English labels only, contexts
australia/international, a Zotero BibTeX and a publisher RIS export without hand-added
fields). Nothing of the published review may appear in what that run writes, and every
corpus figure must show data. Then `revalign init` makes a new review whose scaffold must
run through `make report` unchanged.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pandas as pd
import pytest

from example_run import CORPUS_FIGURES, PAPER_TERMS, bars_in_svg, missing_layout, paper_terms_found, run_example

pytestmark = pytest.mark.e2e

if shutil.which("make") is None:  # pragma: no cover
    pytest.skip("GNU make is not installed", allow_module_level=True)

EXAMPLE = "ai_literacy_au"


@pytest.fixture(scope="module")
def example_run(request):
    return run_example(request.config.rootpath, EXAMPLE, timeout=1200)


def test_example_run_writes_the_whole_layout(example_run):
    assert missing_layout(example_run) == []


def test_example_corpus_merges_the_overlap(example_run):
    corpus = pd.read_csv(example_run / "processed" / "corpus.csv", dtype=str, keep_default_na=False)
    # 11 BibTeX entries + 10 + 8 RIS records, 3 works in two exports (same DOI): 26 unique works
    assert len(corpus) == 26
    prisma = json.loads((example_run / "processed" / "prisma.json").read_text())
    # ruiz_computing_2012 is outside the window 2018-2025; the two screeners exclude 8 of the 25 others
    assert prisma["studies_included_in_review"] == 17


def test_no_word_of_the_published_review_in_the_example_run(example_run):
    assert paper_terms_found(example_run) == {}


def test_table_columns_are_generic(example_run):
    columns = pd.read_csv(example_run / "processed" / "table1.csv", nrows=0).columns
    assert not [c for c in columns if PAPER_TERMS.search(c)]
    table = pd.read_csv(example_run / "processed" / "table1.csv", dtype=str, keep_default_na=False)
    # the four dimensions of the example's codebook, all headline
    assert sorted(table["dimension"]) == ["ethics_society", "evaluate_outputs", "understand_ai", "use_apply"]


def test_example_screened_by_two_people_end_to_end(example_run):
    """Decisions imported (Rayyan layout, a sheet), conflicts decided in the resolution sheet, kappa per
    stage, the PRISMA 2020 flow whose counts add up, its diagram and checklist in the report."""
    prisma = json.loads((example_run / "processed" / "prisma.json").read_text())
    db = prisma["databases_and_registers"]
    # by hand (data/raw/examples/ai_literacy_au/README.md): 29 read, 3 duplicates, 1 out of window,
    # 25 screened, 4 excluded, 21 sought, 1 not retrieved, 20 assessed, 3 excluded, 17 included
    assert [db[k] for k in ("records_identified_total", "duplicate_records_removed", "records_screened",
                            "records_excluded_total", "reports_sought_for_retrieval", "reports_not_retrieved",
                            "reports_assessed_for_eligibility", "reports_excluded_total", "studies_included")] == [
        29, 3, 25, 4, 21, 1, 20, 3, 17]  # fmt: skip
    agreement = pd.read_csv(example_run / "processed" / "screening_agreement.csv").set_index("stage")
    # kappa 106/206 and 135/156, PABAK (3 x 21/25 - 1) / 2 and (3 x 20/21 - 1) / 2 (README of the example)
    assert agreement.loc["title_abstract", "kappa"] == pytest.approx(106 / 206, abs=1e-6)
    assert agreement.loc["full_text", "kappa"] == pytest.approx(135 / 156, abs=1e-6)
    assert agreement.loc["title_abstract", ["conflicts", "resolved"]].tolist() == [4, 4]
    assert agreement.loc["full_text", ["conflicts", "resolved"]].tolist() == [2, 2]
    screening = pd.read_csv(example_run / "processed" / "screening.csv", dtype=str, keep_default_na=False)
    # a record's last decision: the resolution for whitcombe2021digital (title/abstract), kowalczyk_enacted_2025
    # and oduya2024chatbots (full text); the other three resolved conflicts were followed by a full-text decision
    assert sorted(screening.loc[screening["decided_by"] == "resolution", "citation_key"]) == [
        "kowalczyk_enacted_2025", "oduya2024chatbots", "whitcombe2021digital"]  # fmt: skip
    decisions = pd.read_csv(example_run / "processed" / "screening_decisions.csv", dtype=str, keep_default_na=False)
    assert len(decisions) == 2 * 25 + 2 * 21  # both reviewers, every record screened at each stage
    report = (example_run / "report.html") if (example_run / "report.html").is_file() else (
        example_run / "reports" / "report.html")  # fmt: skip
    page = report.read_text(encoding="utf-8")
    for anchor in ('id="prisma"', 'id="prisma-counts"', 'id="screening-agreement"', 'id="prisma-checklist"'):
        assert anchor in page
    assert ">0.51<" in page and ">0.87<" in page  # kappa per stage, as shown
    assert "Reports not retrieved" in page and "no AI literacy content" in page


@pytest.mark.parametrize("name", CORPUS_FIGURES)
def test_every_corpus_figure_has_data(example_run, name):
    svg = example_run / "figures" / f"{name}.svg"
    assert svg.is_file()
    # 26 works over 2012-2025: at least a few bars in each corpus figure, and no "unknown"-only axis
    assert bars_in_svg(svg) >= 3, f"{name}: no data drawn"
    assert "unknown" not in svg.read_text(encoding="utf-8").lower() or name != "source_types"


@pytest.fixture
def scaffold(tmp_path):
    """A copy of the project to scaffold a review in: `init` writes params/ and data/raw/, which in the
    project itself would show in `git status` while other tests (JupyterLab's) watch it."""
    from project_copy import ROOT, link_environment

    root = tmp_path / "revalign"
    skip = {".venv", ".git", "runs", "__pycache__", ".pytest_cache", ".hypothesis", "benchmarks", "node_modules"}
    shutil.copytree(ROOT, root, ignore=lambda _folder, names: [n for n in names if n in skip], symlinks=True)
    link_environment(root)
    return root, "e2e_scaffold_check"


def test_init_then_check_then_make_report_on_the_scaffold(scaffold):
    import sys

    from project_copy import make, make_env

    root, name = scaffold
    env = make_env(root)
    r = subprocess.run(
        [sys.executable, "-m", "revalign", "init", name], cwd=root, capture_output=True, text=True, env=env
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "revalign", "check", f"params/{name}.yml"],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    r = make(root, "report", f"PARAMS=params/{name}.yml")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out = root / "runs" / name
    assert (out / "processed" / "table1.csv").is_file()
    assert paper_terms_found(out) == {}
