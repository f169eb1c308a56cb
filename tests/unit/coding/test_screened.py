"""Evidence citing works that screening excluded (revalign.coding.screened), on the coding fixture.

tests/fixtures/coding/segments_ok.csv cites alpha (s01, s07), beta (s02; line 3, its excerpt spans
lines 3-4), gamma (s03 on line 5, s04 on line 6), delta (s05) and the review itself (s06). The
decisions below are written by hand: gamma excluded for want of a keyword, the review removed as
itself (as stage 02 does), everything else included.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from revalign.coding import matrices, screened
from revalign.coding.segments import read_segments
from revalign.core.errors import InputError

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "coding"

SCREENING = pd.DataFrame(
    {
        "record_id": ["selfreview", "alpha2020policy", "beta2021report", "gamma2022study", "delta2023news"],
        "decision": ["exclude", "include", "include", "exclude", "include"],
        "reason": ["review_itself", "included", "included", "no_keyword_match", "included"],
        "stage": ["identification", "screening", "screening", "screening", "screening"],
    }
)


@pytest.fixture(scope="module")
def segs(cb, corpus):
    return read_segments(FIX / "segments_ok.csv", cb, set(corpus["record_id"]))


def test_excluded_citations_name_segments_and_lines(segs, corpus):
    got = screened.excluded_citations(segs, SCREENING, corpus)
    # gamma's two segments; the review's own claim (s06) is synthesis, not cited evidence
    assert got["segment_id"].tolist() == ["s03", "s04"]
    assert got["line"].tolist() == [5, 6]  # s02's excerpt spans two lines, so s03 is on line 5
    assert set(got["reason"]) == {"no_keyword_match"} and set(got["stage"]) == {"screening"}
    warnings = screened.excluded_citation_warnings(segs, SCREENING, corpus)
    assert [line for line, _ in warnings] == [5, 6]
    assert warnings[0][1].startswith("segment s03 cites gamma2022study, which screening excluded (no_keyword_match)")


def test_nothing_marked_without_decisions(segs, corpus):
    assert screened.excluded_citations(segs, None, corpus).empty
    em = matrices.evidence_map(segs, None, corpus)
    assert not em["excluded_at_screening"].any() and set(em["exclusion_reason"]) == {""}


def test_evidence_map_marks_the_excluded_work(segs, cb, corpus):
    em = matrices.evidence_map(segs, cb, corpus, SCREENING).set_index(["ref_key", "dimension"])
    marked = em[em["excluded_at_screening"]]
    assert sorted(marked.index) == [("gamma2022study", "empower_learners"), ("gamma2022study", "strategic_design")]
    assert set(marked["exclusion_reason"]) == {"no_keyword_match"}
    # the review's own row is never marked, although stage 02 removed the review as itself
    assert not em.loc[("selfreview", "ethical_practice"), "excluded_at_screening"]
    assert em.loc[("alpha2020policy", "improve_performance"), "exclusion_reason"] == ""
    assert list(em.columns[-2:]) == ["excluded_at_screening", "exclusion_reason"]


def test_screened_records_keeps_the_included(corpus):
    kept = screened.screened_records(corpus, SCREENING)
    assert kept["record_id"].tolist() == ["alpha2020policy", "beta2021report", "delta2023news"]
    assert len(screened.screened_records(corpus, None)) == len(corpus)


def test_read_screening(tmp_path):
    assert screened.read_screening(tmp_path / "missing.csv") is None
    p = tmp_path / "screening.csv"
    SCREENING.to_csv(p, index=False)
    assert screened.read_screening(p).equals(SCREENING)
    p.write_text("record_id,verdict\nx,include\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        screened.read_screening(p)
    assert exc.value.line == 1 and "the screening table lacks the column(s) decision, reason" in exc.value.message
