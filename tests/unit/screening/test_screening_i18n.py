"""Stage 02 says nothing in the program's own words that bypassed the message catalog: the PRISMA
figure, the report's screening part, the notebook's tables and the sheets' headers for people,
drawn in the pseudo-language qps; only the data (file names, reviewers' reasons) stays as written."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from i18n_scan import figure_texts, messages_missing_from_catalog, unmarked
from revalign.bibliography.importer import read_bibliography
from revalign.core import config
from revalign.screening import flow, prisma, report_view, stage
from revalign.screening.people import conflict_sheet

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def missing_before():
    """Messages other tests of the session asked for that the catalog lacks (not this module's business)."""
    return messages_missing_from_catalog()


@pytest.fixture(scope="module")
def example(missing_before):
    """The worked example screened by two people: both stages, conflicts, reasons."""
    cfg = config.load(ROOT / "params" / "ai_literacy_au.yml", root=ROOT)
    res = read_bibliography(cfg.bibliography_files)
    s = flow.screen_run(res.records, cfg.params.screening, ROOT, cfg.rel, lang="qps")
    c = prisma.counts(res.per_file, s.records, res.records, s.people, s.full_text_recorded)
    data = [
        *res.per_file["file"], *s.records["reason"], *s.records["citation_key"], *s.records["decided_by"],
        *s.records["year"].astype(str), *res.records["title"],
    ]  # fmt: skip
    return stage.StageResult(s, c, res.records, cfg.params.screening), data


def test_prisma_figure(example):
    result, data = example
    fig = prisma.flow_figure(result.counts, "qps")
    assert unmarked(figure_texts(fig), data=data) == []
    plt.close(fig)


def test_published_review_figure_with_both_arms():
    # the other-methods arm and the note on full texts not recorded
    cfg = config.load(ROOT / "params" / "default.yml", root=ROOT)
    res = read_bibliography(cfg.bibliography_files)
    s = flow.screen_run(res.records, cfg.params.screening, ROOT)
    c = prisma.counts(res.per_file, s.records, res.records, s.people, s.full_text_recorded)
    fig = prisma.flow_figure(c, "qps")
    assert unmarked(figure_texts(fig), data=["references.bib", "report", "policy"]) == []
    plt.close(fig)


def test_report_part(example):
    result, data = example
    sec = report_view.section(result.counts, result.screened.agreement, "qps")
    texts = [sec[k] for k in ("heading", "method", "counts_caption", "agreement_heading", "agreement_note",
                              "checklist_heading")]  # fmt: skip
    texts += [*sec["counts_head"], *sec["agreement_head"], *sec["checklist_head"]]
    texts += [r["label"] for r in sec["counts"]] + [r["stage"] for r in sec["agreement"]]
    texts += [r["topic"] for r in sec["checklist"]] + [r["where"] for r in sec["checklist"]]
    assert unmarked(texts, data=data) == []


def test_notebook_tables_and_sheets(example, missing_before):
    result, data = example
    tables = [
        stage.outcome_table(result, "qps"),
        stage.excluded_table(result, "qps"),
        stage.agreement_table(result, "qps"),
        *stage.variants_table(result, "qps"),
    ]
    s = result.screened
    titles = dict(zip(result.corpus["record_id"], result.corpus["title"], strict=True))
    sheet = conflict_sheet(s.decisions, s.outcomes, titles, "qps")
    texts = [str(c) for t in tables for c in t.columns] + [str(i) for i in tables[-2].index]
    texts += [str(v) for t in tables[:3] for col in t.columns for v in t[col] if isinstance(v, str)]
    texts += [stage.counts_text(result, "qps")]
    ids = {"record", "reviewer", "stage", "decision", "reason", "reviewer_a", "reviewer_b"}
    texts += [c for c in sheet.columns if c not in ids]  # the columns revalign reads back stay ids
    assert unmarked(texts, data=[*data, "Ava Reyes", "Ben Nakamura", "secondary", "primary", "unknown"]) == []
    assert messages_missing_from_catalog() - missing_before == set()


def test_every_language_shipped_draws_the_figure(example):
    result, _ = example
    for lang in ("de", "id"):
        fig = prisma.flow_figure(result.counts, lang)
        text = " ".join(figure_texts(fig))
        assert "Records screened" not in text
        plt.close(fig)
    assert isinstance(stage.outcome_table(result, "pt-BR"), pd.DataFrame)  # no catalog: English, no crash
