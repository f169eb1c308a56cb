"""Two screeners: matching decisions to records, agreement per stage, conflicts and their resolution."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from revalign.bibliography.importer import read_bibliography
from revalign.core.errors import InputError
from revalign.screening import people
from revalign.screening.decisions import Source, read_decisions
from revalign.screening.records import RecordIndex

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "screening"
TINEA = FIX / "real" / "rayyan_tinea_update.ris"


# ---- which record a decision is about ------------------------------------------------------------


@pytest.fixture()
def index():
    corpus = pd.DataFrame(
        {
            "record_id": ["smith2020", "lee2021", "twin2019", "twin2022"],
            "citation_key": ["smith2020", "lee2021", "twin2019", "twin2022"],
            "doi": ["10.1/ABC", None, None, None],
            "title": ["Teaching AI in schools", "Ethics of chatbots [Review].", "Same title", "Same title"],
            "year": [2020, 2021, 2019, 2022],
        }
    )
    return RecordIndex(corpus)


@pytest.mark.parametrize(
    ("kwargs", "record"),
    [
        ({"record": "smith2020"}, "smith2020"),
        ({"record": "SMITH2020"}, "smith2020"),  # a key in another case
        ({"record": "https://doi.org/10.1/abc"}, "smith2020"),  # a DOI as a record, any form
        ({"doi": "10.1/abc", "title": "something else"}, "smith2020"),
        ({"doi": "10.9/not-here", "title": "Teaching AI in Schools."}, "smith2020"),  # DOI unknown: the title
        ({"title": "ethics of chatbots"}, "lee2021"),  # database tag and case do not matter
        ({"record": "Same title", "year": "2022"}, "twin2022"),
    ],
)
def test_found(index, kwargs, record):
    assert index.find(**kwargs).record_id == record


def test_ambiguous_and_unmatched_are_said_why(index):
    found = index.find(title="Same title")
    assert found.record_id is None and "fits 2 records" in found.problem and "twin2019, twin2022" in found.problem
    assert "matches no record" in index.find(record="nobody1999").problem
    assert "names no record" in index.find().problem


# ---- a real review screened by two people in Rayyan ----------------------------------------------


@pytest.fixture(scope="module")
def tinea():
    corpus = read_bibliography([TINEA]).records
    index = RecordIndex(corpus)
    decisions, problems = people.match_decisions(read_decisions(Source(TINEA, shown="tinea.ris")), index)
    assert problems == []  # the export is also the bibliography: every decision finds its record
    return decisions, index


def test_agreement_of_two_rayyan_reviewers(tinea):
    decisions, _ = tinea
    outcomes, problems = people.combine(decisions)
    a = people.agreement(decisions, outcomes)
    row = a.iloc[0]
    # by hand, the 4 records both decided (N1 lines 23, 48, 89, 230):
    #   Zbys E I I E, m.el-gohary I I I E -> 3 of 4 equal, p_o = 0.75
    #   p_e = P(I)P(I) + P(E)P(E) = 0.5*0.75 + 0.5*0.25 = 0.5 -> kappa = (0.75 - 0.5) / 0.5 = 0.5
    #   PABAK with two categories = 2 * 0.75 - 1 = 0.5
    assert (row["reviewer_a"], row["reviewer_b"]) == ("Zbys", "m.el-gohary")
    assert (row["records_a"], row["records_b"], row["records_both"]) == (12, 4, 4)
    assert row["observed_agreement"] == pytest.approx(0.75)
    assert row["kappa"] == pytest.approx(0.5)
    assert row["pabak"] == pytest.approx(0.5)
    assert (row["conflicts"], row["resolved"]) == (1, 0)
    # the one conflict stops the run, naming the line of the record (its TY line)
    assert len(problems) == 1
    assert problems[0].format().startswith("error: tinea.ris:1: unresolved conflict on s2013efficacy")
    assert "Zbys: exclude; m.el-gohary: include" in problems[0].message


def test_a_resolution_decides_the_conflict(tinea, tmp_path):
    decisions, index = tinea
    outcomes, _ = people.combine(decisions)
    sheet = people.conflict_sheet(decisions, outcomes, {"s2013efficacy": "Efficacy and safety"})
    assert list(sheet.columns[:6]) == people.SHEET_COLUMNS
    assert sheet[["record", "stage", "reviewer_a", "reviewer_b"]].values.tolist() == [
        ["s2013efficacy", "title_abstract", "Zbys", "m.el-gohary"]
    ]
    path = tmp_path / "resolutions.csv"
    sheet.assign(decision="B").to_csv(path, index=False)
    resolutions, problems = people.read_resolutions([path], index)
    assert problems == []
    outcomes, problems = people.combine(decisions, resolutions)
    assert problems == []
    row = outcomes.set_index(["record_id", "stage"]).loc[("s2013efficacy", "title_abstract")]
    assert (row["decision"], row["decided_by"], row["conflict"]) == ("include", "resolution", True)
    a = people.agreement(decisions, outcomes)
    assert (a.iloc[0]["conflicts"], a.iloc[0]["resolved"]) == (1, 1)


def _decisions(rows):
    """Matched decisions from (record, reviewer, stage, decision, reason) tuples, one line each."""
    return pd.DataFrame(
        [
            {"source": "d.csv", "line": i + 2, "format": "sheet", "reviewer": r[1], "stage": r[2],
             "decision": r[3], "reason": r[4], "record": r[0], "doi": "", "title": "", "year": "",
             "record_id": r[0], "citation_key": r[0]}
            for i, r in enumerate(rows)
        ]
    )  # fmt: skip


def test_what_counts_as_a_conflict():
    d = _decisions(
        [
            ("a", "Ann", "title_abstract", "include", ""),
            ("a", "Bo", "title_abstract", "include", ""),  # agree
            ("b", "Ann", "title_abstract", "maybe", ""),  # the only decision is maybe: a conflict
            ("c", "Ann", "full_text", "exclude", "wrong population"),
            ("c", "Bo", "full_text", "exclude", "wrong outcome"),  # two reasons at full text: a conflict
            ("d", "Ann", "title_abstract", "exclude", "off topic"),
            ("d", "Bo", "title_abstract", "exclude", "not English"),  # two reasons at title/abstract: fine
            ("e", "Ann", "full_text", "exclude", "wrong population"),
            ("e", "Bo", "full_text", "exclude", ""),  # one reason given: it is the reason
        ]
    )
    outcomes, problems = people.combine(d)
    by = outcomes.set_index(["record_id", "stage"])
    assert by.loc[("a", "title_abstract"), "decision"] == "include"
    assert by.loc[("d", "title_abstract"), "decision"] == "exclude"
    assert by.loc[("e", "full_text"), "reason"] == "wrong population"
    assert sorted(p.line for p in problems) == [4, 5]  # b (line 4) and c (line 5, its first decision)


def test_one_reviewer_deciding_a_record_twice_differently():
    d = _decisions([("a", "Ann", "title_abstract", "include", ""), ("a", "Ann", "title_abstract", "exclude", "")])
    _, problems = people.combine(d)
    assert problems[0].line == 3 and "twice" in problems[0].message and "d.csv:2" in problems[0].message


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("a,title_abstract,,", "unresolved conflict on a"),
        ("a,title_abstract,perhaps,", "decision 'perhaps'"),
        ("a,screening,include,", "stage 'screening'"),
        ("zzz,title_abstract,include,", "matches no record"),
    ],
)
def test_resolution_rows_that_do_not_decide(tmp_path, row, message):
    index = RecordIndex(pd.DataFrame({"record_id": ["a"], "citation_key": ["a"], "title": ["T"], "year": [2020]}))
    path = tmp_path / "r.csv"
    path.write_text(f"record,stage,decision,reason\n{row}\n")
    _, problems = people.read_resolutions([path], index)
    assert len(problems) == 1 and message in problems[0].message and problems[0].line == 2


def test_a_resolution_sheet_without_its_columns(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("record,verdict\na,include\n")
    with pytest.raises(InputError, match="missing column"):
        people.read_resolutions([path], RecordIndex(pd.DataFrame({"record_id": ["a"]})))
