"""Agreement statistics on small tables worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from cli_runner import run_cli
from revalign.coding import agreement as ag
from revalign.coding.segments import COLUMNS, read_segments
from revalign.core.codebook import load_codebook

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "coding"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def cb():
    return load_codebook(FIX / "codebook.yml")


# ---- the statistics ---------------------------------------------------------------------------

# Ten units, binary. A: 5 yes, 5 no. B agrees on 8 (4 yes + 4 no), disagrees on 2.
A10 = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
B10 = [1, 1, 1, 1, 0, 0, 0, 0, 0, 1]


def test_kappa_2x2_by_hand():
    # p_o = 8/10 = 0.8; marginals 0.5/0.5 for both -> p_e = 0.5*0.5 + 0.5*0.5 = 0.5
    # kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6
    k = ag.cohen_kappa(A10, B10)
    assert k["value"] == pytest.approx(0.6)
    assert k["reason"] is None


def test_alpha_nominal_by_hand():
    # 20 values: ten 1s, ten 0s. Coincidences: 2 disagreeing units -> o_01 = o_10 = 2.
    # D_o = (o_01 + o_10) / n = 4/20 = 0.2; D_e = 2 * n_0 * n_1 / (n (n-1)) = 200/380
    # alpha = 1 - 0.2 / (200/380) = 1 - 0.38 = 0.62
    a = ag.krippendorff_alpha(A10, B10, "nominal")
    assert a["value"] == pytest.approx(0.62)


def test_weighted_kappa_linear_by_hand():
    # Ordinal 0 < 1 < 2 (gap < mixed < strength). A = [0,1,2,2,0], B = [0,2,2,1,1].
    # Observed mean |a-b| = (0+1+0+1+1)/5 = 0.6.
    # pA = (.4,.2,.4), pB = (.2,.4,.4); expected mean |i-j| =
    #   .4*(.4*1 + .4*2) + .2*(.2*1 + .4*1) + .4*(.2*2 + .4*1) = .48 + .12 + .32 = .92
    # kappa_w = 1 - .6/.92 = 0.347826...
    order = ["gap", "mixed", "strength"]
    a = [order[i] for i in (0, 1, 2, 2, 0)]
    b = [order[i] for i in (0, 2, 2, 1, 1)]
    k = ag.cohen_kappa(a, b, labels=order, weights="linear")
    assert k["value"] == pytest.approx(1 - 0.6 / 0.92)


def test_alpha_ordinal_by_hand():
    # Same data. Value counts n_0 = 3, n_1 = 3, n_2 = 4, n = 10.
    # Ordinal distances d(c,k) = (sum_{g=c..k} n_g - (n_c + n_k)/2)^2:
    #   d(0,1) = (6 - 3)^2 = 9, d(1,2) = (7 - 3.5)^2 = 12.25, d(0,2) = (10 - 3.5)^2 = 42.25
    # Coincidences off the diagonal: o_01 = o_10 = 1, o_12 = o_21 = 2 -> sum o*d = 2*9 + 4*12.25 = 67
    # sum_{c != k} n_c n_k d = 2*(9*9 + 12*12.25 + 12*42.25) = 1470
    # alpha = 1 - (n-1) * 67 / 1470 = 1 - 603/1470 = 0.589796...
    order = ["gap", "mixed", "strength"]
    a = [order[i] for i in (0, 1, 2, 2, 0)]
    b = [order[i] for i in (0, 2, 2, 1, 1)]
    assert ag.krippendorff_alpha(a, b, "ordinal", order=order)["value"] == pytest.approx(1 - 603 / 1470)


def test_degenerate_one_category():
    k = ag.cohen_kappa(["x"] * 4, ["x"] * 4)
    assert math.isnan(k["value"]) and "one category (x)" in k["reason"]
    a = ag.krippendorff_alpha(["x"] * 4, ["x"] * 4)
    assert math.isnan(a["value"]) and "alpha undefined" in a["reason"]
    assert math.isnan(ag.cohen_kappa([], [])["value"])
    assert ag.fmt(k).startswith("undefined (")


def test_kappa_zero_when_one_coder_constant():
    # A always "x", B half "x": p_o = 0.5, p_e = 1*0.5 + 0*0.5 = 0.5 -> kappa = 0 (defined)
    assert ag.cohen_kappa(["x"] * 4, ["x", "x", "y", "y"])["value"] == pytest.approx(0.0)


# ---- automatic vs human -------------------------------------------------------------------------


def test_auto_vs_human_per_dimension(cb):
    coded = pd.DataFrame(
        {
            "segment_id": list("abcdef"),
            "ref_key": ["k"] * 6,
            "locator": ["l"] * 6,
            "human": ["improve_performance"] * 3 + ["strategic_design"] * 3,
            "auto": [
                "improve_performance",
                "improve_performance",
                "none",
                "strategic_design",
                "strategic_design",
                "improve_performance",
            ],
            "hits": [""] * 6,
            "terms": [""] * 6,
            "excerpt": ["e"] * 6,
        }
    )
    r = ag.auto_vs_human(coded, cb)
    assert r["observed_agreement"] == pytest.approx(4 / 6)
    per = r["per_dimension"].set_index("dimension")
    # improve_performance: human 1,1,1,0,0,0  auto 1,1,0,0,0,1 -> p_o = 4/6,
    # p_e = .5*.5 + .5*.5 = .5 -> kappa = (2/3 - 1/2)/(1/2) = 1/3
    assert per.loc["improve_performance", "kappa"] == pytest.approx(1 / 3)
    assert per.loc["improve_performance", ["n_human", "n_auto", "n_both"]].tolist() == [3, 3, 2]
    # strategic_design: human 0,0,0,1,1,1 auto 0,0,0,1,1,0 -> p_o = 5/6, pH = .5, pA = 1/3
    # p_e = .5*(1/3) + .5*(2/3) = .5 -> kappa = (5/6 - 1/2)/(1/2) = 2/3
    assert per.loc["strategic_design", "kappa"] == pytest.approx(2 / 3)
    assert math.isnan(per.loc["management", "kappa"])
    assert per.loc["management", "note"] == "neither coder used this dimension: kappa undefined"
    conf = ag.confusion_table(coded, cb)
    assert conf.loc["improve_performance", "none"] == 1
    assert conf.loc["strategic_design", "improve_performance"] == 1
    assert conf.to_numpy().sum() == 6
    assert ag.disagreements(coded)["segment_id"].tolist() == ["c", "f"]


# ---- two coding files ------------------------------------------------------------------------------


def seg_csv(path: Path, rows) -> Path:
    """rows: (ref_key, dimension, polarity); other cells filled with valid codes."""
    lines = [",".join(COLUMNS)]
    for i, (ref, dim, pol) in enumerate(rows, 1):
        lines.append(
            ",".join([f"s{i}", ref, f"p{i}", "practice", dim, pol, "practice", "indonesia", f"claim {i}", "X"])
        )
    path.write_text("\n".join(lines) + "\n")
    return path


ROWS_A = [
    ("a", "improve_performance", "strength"),
    ("a", "strategic_design", "strength"),
    ("b", "improve_performance", "gap"),
    ("c", "empower_learners", "mixed"),
]
ROWS_B = [
    ("a", "improve_performance", "strength"),
    ("b", "improve_performance", "mixed"),
    ("c", "empower_learners", "mixed"),
    ("c", "ethical_practice", "gap"),
]


def test_compare_codings_by_hand(tmp_path, cb):
    a = read_segments(seg_csv(tmp_path / "a.csv", ROWS_A), cb)
    b = read_segments(seg_csv(tmp_path / "b.csv", ROWS_B), cb)
    r = ag.compare_codings(a, b, cb)
    p = r["presence"]
    # grid: 3 sources x 5 dimensions = 15 units; A uses 4, B uses 4, both 3, neither 10
    assert (p["n_units"], p["n_a"], p["n_b"], p["n_both"]) == (15, 4, 4, 3)
    # p_o = 13/15; p_e = (4/15)^2 + (11/15)^2 = 137/225; kappa = (195-137)/(225-137) = 58/88
    assert p["observed_agreement"] == pytest.approx(13 / 15)
    assert p["kappa"]["value"] == pytest.approx(58 / 88)
    assert p["positive_agreement"] == pytest.approx(2 * 3 / 8)
    # polarity on the 3 matched pairs: A = [strength, gap, mixed], B = [strength, mixed, mixed]
    # codes A = [2,0,1], B = [2,1,1]: observed mean |d| = 1/3;
    # pA = (1/3,1/3,1/3), pB = (0,2/3,1/3): expected = 1/3*(4/3) + 1/3*(1/3) + 1/3*(2/3) = 7/9
    # kappa_w = 1 - (1/3)/(7/9) = 4/7
    pol = r["polarity"]
    assert pol["n_pairs"] == 3
    assert pol["observed_agreement"] == pytest.approx(2 / 3)
    assert pol["weighted_kappa_linear"]["value"] == pytest.approx(4 / 7)
    assert r["only_a"].values.tolist() == [["a", "strategic_design"]]
    assert r["only_b"].values.tolist() == [["c", "ethical_practice"]]
    assert r["polarity_differs"].values.tolist() == [["b", "improve_performance", "gap", "mixed"]]


def test_pair_polarity_disagreeing_segments_become_mixed():
    assert ag._pair_polarity(pd.Series(["gap", "gap"])) == "gap"
    assert ag._pair_polarity(pd.Series(["gap", "strength"])) == "mixed"


# ---- CLI ------------------------------------------------------------------------------------------


def test_cli_agree_identical_codings(tmp_path):
    # identical codings: every claim x dimension unit agrees -> presence kappa 1, no disagreement rows;
    # polarity has one category only (strength) -> alpha undefined, reported with its reason.
    # (The claim-level statistics are checked by hand in test_two_coders.py.)
    rows = [("a", "improve_performance", "strength"), ("b", "strategic_design", "strength")]
    a = seg_csv(tmp_path / "a.csv", rows)
    b = seg_csv(tmp_path / "b.csv", rows)
    out = tmp_path / "agr"
    r = run_cli("agree", str(a), str(b), "--codebook", str(FIX / "codebook.yml"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "| Cohen's kappa | 1.00 |" in r.stdout
    data = json.loads((out / "agreement.json").read_text())
    assert data["codes"]["polarity"]["alpha"]["value"] is None
    assert "same category" in data["codes"]["polarity"]["alpha"]["reason"]
    assert len(pd.read_csv(out / "disagreements.csv")) == 0


def test_cli_agree_bad_file(tmp_path):
    a = seg_csv(tmp_path / "a.csv", ROWS_A)
    b = seg_csv(tmp_path / "b.csv", ROWS_B[:2] + [("c", "empower_learners", "weak")])
    r = run_cli("agree", str(a), str(b), "--codebook", str(FIX / "codebook.yml"))
    assert r.returncode == 2
    assert "b.csv:4: polarity 'weak' is not in the codebook" in r.stderr
    assert r.stderr.startswith("error: ")
    assert "Traceback" not in r.stderr
