"""Two human coders on the same claims: agreement, disagreement sheet, reconciliation.

Fixture (tests/fixtures/coding/two_coders/): claims c1-c3, dimensions d1, d2 (no codebook:
the dimensions either coder used). Units coded (claim/dimension):
  A: c1/d1 strength practice indonesia (a), c1/d2 gap concept global (a), c2/d1 gap practice (b), c3/d2 strength practice (c)
  B: c1/d1 strength practice indonesia (a), c2/d1 mixed practice (b), c3/d2 strength concept (c), c3/d1 strength practice (c)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cli_runner import run_cli
from revalign.coding import agreement
from revalign.coding.segments import read_segments
from revalign.core.errors import InputError

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "coding" / "two_coders"


@pytest.fixture
def ab():
    return read_segments(FIX / "a.csv"), read_segments(FIX / "b.csv")


def test_presence_on_claims_by_hand(ab):
    # 3 claims x 2 dimensions = 6 units. A codes 4, B codes 4, both 3 (c1/d1, c2/d1, c3/d2).
    # Agreement: c1/d1 yes-yes, c1/d2 yes-no, c2/d1 yes-yes, c2/d2 no-no, c3/d1 no-yes, c3/d2 yes-yes -> 4/6.
    # Positive agreement 2*3 / (4+4) = 0.75. Kappa: p_e = (4/6)^2 + (2/6)^2 = 20/36,
    # kappa = (24/36 - 20/36) / (16/36) = 0.25.
    r = agreement.compare_claims(*ab)
    p = r["presence"]
    assert (p["n_units"], p["n_a"], p["n_b"], p["n_both"]) == (6, 4, 4, 3)
    assert p["observed_agreement"] == pytest.approx(4 / 6)
    assert p["positive_agreement"] == pytest.approx(0.75)
    assert p["kappa"]["value"] == pytest.approx(0.25)


def test_codes_on_units_both_coded_by_hand(ab):
    # Units both coded: c1/d1, c2/d1, c3/d2.
    # polarity: strength/strength, gap/mixed, strength/strength -> 2/3 agree.
    # facet: practice/practice, practice/practice, practice/concept -> 2/3; nominal alpha: values
    #   p x5, c x1 (n = 6); the one disagreeing unit gives o(p,c) = o(c,p) = 1;
    #   alpha = 1 - (n - 1) * 2 / (n_p*n_c + n_c*n_p) = 1 - 5*2/10 = 0.
    # context: identical (indonesia, global, global) in both -> alpha 1.
    r = agreement.compare_claims(*ab)["codes"]
    assert r["polarity"]["observed_agreement"] == pytest.approx(2 / 3)
    assert r["facet"]["observed_agreement"] == pytest.approx(2 / 3)
    assert r["facet"]["alpha"]["value"] == pytest.approx(0.0, abs=1e-9)
    assert r["context"]["alpha"]["value"] == pytest.approx(1.0)
    assert r["sources"]["observed_agreement"] == 1.0


def test_disagreement_sheet_one_row_per_claim_and_field(ab):
    # c1/d2 presence (A yes, B no); c2/d1 polarity (gap vs mixed); c3/d1 presence (no/yes); c3/d2 facet.
    sheet = agreement.disagreement_sheet(agreement.compare_claims(*ab), "a.csv", "b.csv")
    got = list(
        zip(sheet["claim_id"], sheet["dimension"], sheet["field"], sheet["code_a"], sheet["code_b"], strict=False)
    )
    assert got == [
        ("c1", "d2", "presence", "yes", "no"),
        ("c2", "d1", "polarity", "gap", "mixed"),
        ("c3", "d1", "presence", "no", "yes"),
        ("c3", "d2", "facet", "practice", "concept"),
    ]
    assert (sheet["decision"] == "").all()


def _decided(ab, decisions):
    sheet = agreement.disagreement_sheet(agreement.compare_claims(*ab), str(FIX / "a.csv"), str(FIX / "b.csv"))
    sheet["decision"] = decisions
    sheet["line"] = range(2, len(sheet) + 2)
    return sheet


def test_reconcile_applies_decisions(ab):
    # keep A's c1/d2 (A), take B's polarity for c2/d1 (B = mixed), drop c3/d1 (no), facet concept for c3/d2.
    # Consensus: c1/d1 (agreed), c1/d2 (A's row), c2/d1 mixed, c3/d2 concept -> 4 rows S001-S004.
    cons, log = agreement.reconcile(_decided(ab, ["A", "B", "no", "concept"]), *ab)
    got = list(zip(cons["claim_id"], cons["dimension"], cons["ref_key"], cons["polarity"], cons["facet"], strict=False))
    assert got == [
        ("c1", "d1", "a", "strength", "practice"),
        ("c1", "d2", "a", "gap", "concept"),
        ("c2", "d1", "b", "mixed", "practice"),
        ("c3", "d2", "c", "strength", "concept"),
    ]
    assert list(cons["segment_id"]) == ["S001", "S002", "S003", "S004"] and set(cons["coder"]) == {"consensus"}
    assert list(log["result"]) == ["yes", "mixed", "no", "concept"]


def test_reconcile_without_decision_names_the_sheet_line(ab):
    with pytest.raises(InputError) as exc:
        agreement.reconcile(_decided(ab, ["A", "", "no", "concept"]), *ab, sheet_path="sheet.csv")
    assert exc.value.line == 3 and "no decision" in exc.value.message


def test_agree_and_reconcile_cli(tmp_path):
    out = tmp_path / "agr"
    r = run_cli("agree", FIX / "a.csv", FIX / "b.csv", "-o", out, "--codebook", "")
    assert r.returncode == 0, r.stderr
    for name in ("agreement.md", "agreement.json", "disagreements.csv", "disagreements.xlsx"):
        assert (out / name).exists()
    assert "vocabulary" not in (out / "agreement.md").read_text()
    sheet = pd.read_csv(out / "disagreements.csv", dtype=str, keep_default_na=False)
    sheet["decision"] = ["A", "B", "no", "concept"]
    sheet.to_csv(out / "decided.csv", index=False)
    r = run_cli("reconcile", out / "decided.csv", "-o", tmp_path / "c.csv", "--codebook", "")
    assert r.returncode == 0, r.stderr
    assert len(pd.read_csv(tmp_path / "c.csv")) == 4 and (tmp_path / "c_log.csv").exists()
    sheet["decision"] = ["A", "", "no", "concept"]
    sheet.to_csv(out / "undecided.csv", index=False)
    r = run_cli("reconcile", out / "undecided.csv", "-o", tmp_path / "d.csv", "--codebook", "")
    assert r.returncode == 2 and r.stderr.startswith("error: ") and ":3:" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "d.csv").exists()


def test_xlsx_sheet_round_trip_and_formula_cells_neutralised(ab, tmp_path):
    # The XLSX sheet is filled in a spreadsheet program: decisions written there reconcile the same way
    # as in the CSV test above (4 consensus rows). A cell starting with "=" is a text cell marked
    # "quote prefix", never a formula, and its text is unchanged; so is a text starting with "'".
    from openpyxl import load_workbook

    sheet = agreement.disagreement_sheet(agreement.compare_claims(*ab), str(FIX / "a.csv"), str(FIX / "b.csv"))
    sheet.loc[0, "note"] = '=HYPERLINK("x")'
    sheet.loc[1, "note"] = "'tis the coder's own apostrophe"
    agreement.write_sheet(sheet, tmp_path / "d.csv", tmp_path / "d.xlsx")
    wb = load_workbook(tmp_path / "d.xlsx")
    ws = wb.active
    note = [c.value for c in ws[1]].index("note") + 1
    cell = ws.cell(row=2, column=note)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s" and cell.quotePrefix
    assert ws.freeze_panes == "A2"
    col = [c.value for c in ws[1]].index("decision") + 1
    for row, decision in zip(range(2, 6), ["A", "B", "no", "concept"], strict=False):
        ws.cell(row=row, column=col, value=decision)
    wb.save(tmp_path / "d.xlsx")
    decided = agreement.read_sheet(tmp_path / "d.xlsx")
    assert decided.loc[0, "note"] == '=HYPERLINK("x")'
    assert decided.loc[1, "note"] == "'tis the coder's own apostrophe"
    cons, log = agreement.reconcile(decided, *ab)
    assert len(cons) == 4 and list(log["decision"]) == ["A", "B", "no", "concept"]


def test_a_sheet_from_an_earlier_version_with_apostrophe_prefixes_reads_back_plain(ab, tmp_path):
    # earlier versions wrote formula-like text as "'=..." into the cell; reading drops that prefix only
    from openpyxl import load_workbook

    sheet = agreement.disagreement_sheet(agreement.compare_claims(*ab), str(FIX / "a.csv"), str(FIX / "b.csv"))
    agreement.write_sheet(sheet, tmp_path / "d.csv", tmp_path / "d.xlsx")
    wb = load_workbook(tmp_path / "d.xlsx")
    ws = wb.active
    note = [c.value for c in ws[1]].index("note") + 1
    ws.cell(row=2, column=note, value="'=SUM(1)")
    ws.cell(row=3, column=note, value="'plain")
    wb.save(tmp_path / "d.xlsx")
    decided = agreement.read_sheet(tmp_path / "d.xlsx")
    assert list(decided["note"][:2]) == ["=SUM(1)", "'plain"]
