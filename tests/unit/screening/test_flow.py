"""Criteria and people together, record by record, and the PRISMA 2020 counts they give."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from revalign.bibliography.importer import read_bibliography
from revalign.core import config
from revalign.core.config import Screening
from revalign.screening import flow, prisma

ROOT = Path(__file__).resolve().parents[3]


def run(params_file: str):
    cfg = config.load(ROOT / params_file, root=ROOT)
    res = read_bibliography(cfg.bibliography_files, source_categories=cfg.params.source_categories)
    s = flow.screen_run(res.records, cfg.params.screening, ROOT, cfg.rel, params_file=cfg.params_file)
    return s, prisma.counts(res.per_file, s.records, res.records, s.people, s.full_text_recorded)


def test_the_published_review_maps_onto_prisma_2020():
    s, c = run("params/default.yml")
    assert s.problems == []
    db, om = c["databases_and_registers"], c["other_methods"]
    # references.bib holds 42 entries: the review itself (not a record), 13 primary sources chosen by
    # name (other methods: 9 reports, 4 policy documents) and 28 secondary sources from the searches,
    # of which 8 lack every keyword of the method (counted in data/raw/bibliography/references.bib)
    assert c["not_records"] == {"review_itself": 1}
    assert db["records_identified"] == {"references.bib": 28}
    assert db["records_removed_before_screening_total"] == 0
    assert db["records_screened"] == 28
    assert db["records_excluded"] == {"no_keyword_match": 8}
    assert db["studies_included"] == 20
    assert om["records_identified"] == {"report": 9, "policy": 4}
    assert om["studies_included"] == 13
    # the counts the run reproduced before PRISMA 2020's arms: 33 sources included, 8 excluded
    assert c["studies_included_in_review"] == 33
    assert c["screening"] == {"title_abstract": "criteria", "full_text": "not recorded"}


def test_the_worked_example_screened_by_two_people():
    s, c = run("params/ai_literacy_au.yml")
    assert s.problems == []
    db = c["databases_and_registers"]
    # 29 records read (11 + 10 + 8), 3 in two exports -> 26 unique; ruiz_computing_2012 (2012) is
    # outside the window: marked ineligible before screening. 25 screened by Ava and Ben.
    assert db["records_identified_total"] == 29 and db["duplicate_records_removed"] == 3
    assert db["records_marked_ineligible_by_automation_tools"] == {"year_out_of_window": 1}
    assert db["records_screened"] == 25
    # title/abstract: 3 excluded by both, whitcombe2021digital by the resolution -> 4; 21 sought
    assert db["records_excluded_total"] == 4 and db["reports_sought_for_retrieval"] == 21
    # full text: quinlan2023ai not retrieved; donnelly2019coding and oduya2024chatbots (resolved)
    # "no AI literacy content", ferreira2024teacher "higher education, not schools"
    assert db["reports_not_retrieved"] == 1
    assert db["reports_excluded"] == {"no AI literacy content": 2, "higher education, not schools": 1}
    assert c["studies_included_in_review"] == 17
    a = s.agreement.set_index("stage")
    # title/abstract, 25 records: equal decisions 21 (18 include/include, 3 exclude/exclude), p_o = 21/25;
    # Ava: 21 include, 4 exclude; Ben: 19 include, 5 exclude, 1 maybe ->
    # p_e = (21*19 + 4*5 + 0*1) / 625 = 419/625; kappa = (525 - 419) / (625 - 419) = 106/206
    ta = a.loc["title_abstract"]
    assert ta["observed_agreement"] == pytest.approx(21 / 25)
    assert ta["kappa"] == pytest.approx(106 / 206)
    assert ta["pabak"] == pytest.approx((3 * 21 / 25 - 1) / 2)  # three categories: include, exclude, maybe
    assert (ta["conflicts"], ta["resolved"]) == (4, 4)
    # full text, 21 records: equal 20 (only kowalczyk_enacted_2025 differs); Ava 17 include, 3 exclude,
    # 1 not retrieved; Ben 16, 4, 1 -> p_e = (17*16 + 3*4 + 1*1) / 441 = 285/441,
    # kappa = (420 - 285) / (441 - 285) = 135/156
    ft = a.loc["full_text"]
    assert ft["observed_agreement"] == pytest.approx(20 / 21)
    assert ft["kappa"] == pytest.approx(135 / 156)
    assert ft["pabak"] == pytest.approx((3 * 20 / 21 - 1) / 2)
    assert (ft["conflicts"], ft["resolved"]) == (2, 2)  # kowalczyk (decision), oduya (two reasons)
    rec = s.records.set_index("citation_key")
    assert rec.loc["whitcombe2021digital", ["decision", "decided_by", "stage"]].tolist() == [
        "exclude", "resolution", "title_abstract"]  # fmt: skip
    assert rec.loc["ruiz_computing_2012", ["outcome", "decided_by", "reason"]].tolist() == [
        "automation", "criterion", "year_out_of_window"]  # fmt: skip
    assert rec.loc["hartley_mapping_2023", "decided_by"] == "Ava Reyes, Ben Nakamura"
    assert rec.loc["hartley_mapping_2023", "source"].startswith("data/raw/examples/ai_literacy_au/screening/full_text")


def corpus(n=3):
    return pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(n)],
            "citation_key": [f"r{i}" for i in range(n)],
            "title": [f"Title {i}" for i in range(n)],
            "year": pd.array([2020] * n, dtype="Int64"),
            "origins": [f"a.bib:r{i}" for i in range(n)],
        }
    )


def test_every_record_the_criteria_keep_needs_the_reviewers(tmp_path):
    (tmp_path / "d.csv").write_text(
        "record,reviewer,stage,decision,reason\nr0,Ann,title_abstract,include,\nr0,Ann,full_text,include,\n"
        "r1,Ann,title_abstract,include,\n"
    )
    params = Screening(year_min=2000, year_max=2030, decisions=["d.csv"])
    s = flow.screen_run(corpus(), params, tmp_path, params_file="p.yml", decisions_line=7)
    messages = sorted(p.format() for p in s.problems)
    assert messages[0].startswith("error: p.yml:7: screening.decisions: 1 record(s) have no full-text decision: r1")
    assert messages[1].startswith("error: p.yml:7: screening.decisions: 1 record(s) have no title/abstract")
    assert "r2" in messages[1] and "revalign screen export" in messages[1]


def test_a_full_text_decision_after_an_exclusion_at_title_and_abstract(tmp_path):
    (tmp_path / "d.csv").write_text(
        "record,reviewer,stage,decision,reason\nr0,Ann,title_abstract,exclude,\nr0,Ann,full_text,include,\n"
    )
    params = Screening(year_min=2000, year_max=2030, decisions=["d.csv"])
    s = flow.screen_run(corpus(1), params, tmp_path)
    assert len(s.problems) == 1 and s.problems[0].line == 3 and "excluded at title/abstract" in s.problems[0].message


def test_a_criterion_removes_a_record_before_the_reviewers_see_it(tmp_path):
    (tmp_path / "d.csv").write_text("record,reviewer,stage,decision,reason\nr1,Ann,title_abstract,include,\n")
    c = corpus(2)
    c.loc[0, "year"] = 1990
    params = Screening(year_min=2000, year_max=2030, decisions=["d.csv"])
    s = flow.screen_run(c, params, tmp_path)
    assert s.problems == []
    assert s.records.set_index("record_id").loc["r0", "outcome"] == "automation"
    assert not s.full_text_recorded  # no full-text decision: r1's report counts as assessed and included
    assert s.records.set_index("record_id").loc["r1", ["decision", "outcome"]].tolist() == ["include", "included"]
