"""Two human coders on the same claims: agreement, disagreement sheet, reconciliation.

Fixture (tests/fixtures/coding/two_coders/): claims c1-c3, dimensions d1, d2 (no codebook:
the dimensions either coder used). Units coded (claim/dimension):
  A: c1/d1 strength practice indonesia (a), c1/d2 gap concept global (a), c2/d1 gap practice (b), c3/d2 strength practice (c)
  B: c1/d1 strength practice indonesia (a), c2/d1 mixed practice (b), c3/d2 strength concept (c), c3/d1 strength practice (c)
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cli_runner import run_cli
from revalign.coding import reconcile as rec
from revalign.coding import two_coders
from revalign.coding.segments import COLUMNS, read_segments
from revalign.core.errors import InputError

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "coding" / "two_coders"
CODEBOOK = ROOT / "tests" / "fixtures" / "coding" / "codebook.yml"


@pytest.fixture
def ab():
    return read_segments(FIX / "a.csv"), read_segments(FIX / "b.csv")


def test_presence_on_claims_by_hand(ab):
    # 3 claims x 2 dimensions = 6 units. A codes 4, B codes 4, both 3 (c1/d1, c2/d1, c3/d2).
    # Agreement: c1/d1 yes-yes, c1/d2 yes-no, c2/d1 yes-yes, c2/d2 no-no, c3/d1 no-yes, c3/d2 yes-yes -> 4/6.
    # Positive agreement 2*3 / (4+4) = 0.75. Kappa: p_e = (4/6)^2 + (2/6)^2 = 20/36,
    # kappa = (24/36 - 20/36) / (16/36) = 0.25.
    r = two_coders.compare_claims(*ab)
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
    r = two_coders.compare_claims(*ab)["codes"]
    assert r["polarity"]["observed_agreement"] == pytest.approx(2 / 3)
    assert r["facet"]["observed_agreement"] == pytest.approx(2 / 3)
    assert r["facet"]["alpha"]["value"] == pytest.approx(0.0, abs=1e-9)
    assert r["context"]["alpha"]["value"] == pytest.approx(1.0)
    assert r["sources"]["observed_agreement"] == 1.0


def test_disagreement_sheet_one_row_per_claim_and_field(ab):
    # c1/d2 presence (A yes, B no); c2/d1 polarity (gap vs mixed); c3/d1 presence (no/yes); c3/d2 facet.
    sheet = rec.disagreement_sheet(two_coders.compare_claims(*ab), "a.csv", "b.csv")
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
    sheet = rec.disagreement_sheet(two_coders.compare_claims(*ab), str(FIX / "a.csv"), str(FIX / "b.csv"))
    sheet["decision"] = decisions
    sheet["line"] = range(2, len(sheet) + 2)
    return sheet


def test_reconcile_applies_decisions(ab):
    # keep A's c1/d2 (A), take B's polarity for c2/d1 (B = mixed), drop c3/d1 (no), facet concept for c3/d2.
    # Consensus: c1/d1 (agreed), c1/d2 (A's row), c2/d1 mixed, c3/d2 concept -> 4 rows S001-S004.
    cons, log = rec.reconcile(_decided(ab, ["A", "B", "no", "concept"]), *ab)
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
        rec.reconcile(_decided(ab, ["A", "", "no", "concept"]), *ab, sheet_path="sheet.csv")
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

    sheet = rec.disagreement_sheet(two_coders.compare_claims(*ab), str(FIX / "a.csv"), str(FIX / "b.csv"))
    sheet.loc[0, "note"] = '=HYPERLINK("x")'
    sheet.loc[1, "note"] = "'tis the coder's own apostrophe"
    rec.write_sheet(sheet, tmp_path / "d.csv", tmp_path / "d.xlsx")
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
    decided = rec.read_sheet(tmp_path / "d.xlsx")
    assert decided.loc[0, "note"] == '=HYPERLINK("x")'
    assert decided.loc[1, "note"] == "'tis the coder's own apostrophe"
    cons, log = rec.reconcile(decided, *ab)
    assert len(cons) == 4 and list(log["decision"]) == ["A", "B", "no", "concept"]


def test_a_sheet_from_an_earlier_version_with_apostrophe_prefixes_reads_back_plain(ab, tmp_path):
    # earlier versions wrote formula-like text as "'=..." into the cell; reading drops that prefix only
    from openpyxl import load_workbook

    sheet = rec.disagreement_sheet(two_coders.compare_claims(*ab), str(FIX / "a.csv"), str(FIX / "b.csv"))
    rec.write_sheet(sheet, tmp_path / "d.csv", tmp_path / "d.xlsx")
    wb = load_workbook(tmp_path / "d.xlsx")
    ws = wb.active
    note = [c.value for c in ws[1]].index("note") + 1
    ws.cell(row=2, column=note, value="'=SUM(1)")
    ws.cell(row=3, column=note, value="'plain")
    wb.save(tmp_path / "d.xlsx")
    decided = rec.read_sheet(tmp_path / "d.xlsx")
    assert list(decided["note"][:2]) == ["=SUM(1)", "'plain"]


# ---- files whose claims cannot be matched are refused ----------------------------------------------


def _without_claim_ids(path: Path) -> Path:
    df = pd.read_csv(FIX / "b.csv", dtype=str, keep_default_na=False).drop(columns="claim_id")
    df.to_csv(path, index=False)
    return path


def test_one_file_with_claim_ids_and_one_without_is_refused(tmp_path, cli):
    # The trap of issue 26 item 5: A's claims are c1..c3, B's are known by locators L1..L3 only;
    # compared naively, no unit is shared and presence agreement still reads 0.86 or so.
    b = _without_claim_ids(tmp_path / "b.csv")
    r = cli("agree", FIX / "a.csv", b, "--codebook", "", "-o", tmp_path / "agr")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    line = r.stderr.strip()
    assert line.startswith(f"error: {b}: identifies claims by locator (L1, L2, L3) but a.csv by claim_id (c1, c2, c3)")
    assert "observed agreement" not in r.stdout and not (tmp_path / "agr").exists()


def test_files_sharing_no_claim_are_refused(tmp_path, ab):
    a, b = ab
    b = b.assign(claim_id=["x1", "x2", "x3", "x3"])
    with pytest.raises(InputError) as exc:
        two_coders.compare_claims(a, b, path_a="a.csv", path_b="b.csv")
    assert str(exc.value.file) == "b.csv"
    assert exc.value.message == (
        "no claim is in both files: a.csv has claim_id c1, c2, c3; b.csv has claim_id x1, x2, x3; "
        "both coders must code the same claims"
    )


def test_a_row_without_claim_id_in_a_file_with_claim_ids_names_its_line(tmp_path, ab):
    a, b = ab
    b.loc[2, "claim_id"] = ""  # the third data row: line 4 of the file
    with pytest.raises(InputError) as exc:
        two_coders.compare_claims(a, b, path_a="a.csv", path_b="b.csv")
    assert exc.value.line == 4 and "claim_id is empty" in exc.value.message


def test_files_both_without_claim_ids_match_by_locator(tmp_path, ab):
    # Both keyed by locator (L1..L3 stand for c1..c3 in the fixture): the same figures as by claim_id.
    a, b = (df.drop(columns="claim_id") for df in ab)
    p = two_coders.compare_claims(a, b)["presence"]
    assert (p["n_units"], p["n_a"], p["n_b"], p["n_both"]) == (6, 4, 4, 3)


# ---- the agree command ------------------------------------------------------------------------------


def seg_csv(path: Path, rows) -> Path:
    """rows: (ref_key, dimension, polarity); other cells filled with valid codes; claims by locator."""
    lines = [",".join(COLUMNS)]
    for i, (ref, dim, pol) in enumerate(rows, 1):
        lines.append(
            ",".join([f"s{i}", ref, f"p{i}", "practice", dim, pol, "practice", "indonesia", f"claim {i}", "X"])
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def test_cli_agree_identical_codings(tmp_path, cli):
    # identical codings: every claim x dimension unit agrees -> presence kappa 1, no disagreement rows;
    # polarity has one category only (strength) -> alpha undefined, reported with its reason.
    rows = [("a", "improve_performance", "strength"), ("b", "strategic_design", "strength")]
    a = seg_csv(tmp_path / "a.csv", rows)
    b = seg_csv(tmp_path / "b.csv", rows)
    out = tmp_path / "agr"
    r = cli("agree", str(a), str(b), "--codebook", str(CODEBOOK), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "| Cohen's kappa | 1.00 |" in r.stdout
    data = json.loads((out / "agreement.json").read_text())
    assert data["codes"]["polarity"]["alpha"]["value"] is None
    assert "same category" in data["codes"]["polarity"]["alpha"]["reason"]
    assert len(pd.read_csv(out / "disagreements.csv")) == 0


def test_cli_agree_bad_file(tmp_path, cli):
    rows = [("a", "improve_performance", "strength"), ("b", "improve_performance", "gap")]
    a = seg_csv(tmp_path / "a.csv", rows)
    b = seg_csv(tmp_path / "b.csv", [*rows, ("c", "empower_learners", "weak")])
    r = cli("agree", str(a), str(b), "--codebook", str(CODEBOOK))
    assert r.returncode == 2
    assert "b.csv:4: polarity 'weak' is not in the codebook" in r.stderr
    assert r.stderr.startswith("error: ")
    assert "Traceback" not in r.stderr


def test_agreement_report_in_german(ab):
    from revalign.coding.agreement_report import agreement_report

    text = agreement_report(two_coders.compare_claims(*ab), "a.csv", "b.csv", lang="de")
    assert text.startswith("# Übereinstimmung zwischen zwei Kodierenden\n")
    # 3 claims x 2 dimensions = 6 units (see test_presence_on_claims_by_hand)
    assert "3 Aussagen x 2 Dimensionen = 6 Einheiten; kodiert von A 4, von B 4, von beiden 3." in text
    assert "| Cohens Kappa | 0.25 |" in text


def test_cli_agree_writes_the_report_in_the_language_asked_for(tmp_path, cli):
    r = cli("agree", FIX / "a.csv", FIX / "b.csv", "--codebook", "", "-o", tmp_path / "agr", "--lang", "id")
    assert r.returncode == 0, r.stderr
    assert (
        (tmp_path / "agr" / "agreement.md").read_text(encoding="utf-8").startswith("# Kesepakatan antara dua pengode\n")
    )
