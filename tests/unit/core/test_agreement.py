"""Agreement statistics of any two raters (revalign.core.agreement), on small tables worked out by hand.

The arithmetic is in the comments; kappa and alpha were also cross-checked against scikit-learn and
the krippendorff package when these tests were first written (issue 26: agreement to four decimals).
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from revalign.core import agreement as ag

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
    # Ordinal 0 < 1 < 2. A = [0,1,2,2,0], B = [0,2,2,1,1].
    # Observed mean |a-b| = (0+1+0+1+1)/5 = 0.6.
    # pA = (.4,.2,.4), pB = (.2,.4,.4); expected mean |i-j| =
    #   .4*(.4*1 + .4*2) + .2*(.2*1 + .4*1) + .4*(.2*2 + .4*1) = .48 + .12 + .32 = .92
    # kappa_w = 1 - .6/.92 = 0.347826...
    order = ["low", "mid", "high"]
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
    order = ["low", "mid", "high"]
    a = [order[i] for i in (0, 1, 2, 2, 0)]
    b = [order[i] for i in (0, 2, 2, 1, 1)]
    assert ag.krippendorff_alpha(a, b, "ordinal", order=order)["value"] == pytest.approx(1 - 603 / 1470)


def test_degenerate_one_category():
    k = ag.cohen_kappa(["x"] * 4, ["x"] * 4)
    assert math.isnan(k["value"]) and "all 4 units in one category (x)" in k["reason"]
    a = ag.krippendorff_alpha(["x"] * 4, ["x"] * 4)
    assert math.isnan(a["value"]) and "alpha undefined" in a["reason"]
    assert math.isnan(ag.cohen_kappa([], [])["value"])
    assert ag.format_statistic(k).startswith("undefined (both raters put all 4 units")
    assert not ag.is_defined(k) and ag.is_defined(ag.cohen_kappa(A10, B10))


def test_kappa_zero_when_one_rater_constant():
    # A always "x", B half "x": p_o = 0.5, p_e = 1*0.5 + 0*0.5 = 0.5 -> kappa = 0 (defined)
    assert ag.cohen_kappa(["x"] * 4, ["x", "x", "y", "y"])["value"] == pytest.approx(0.0)


def test_pabak_by_hand():
    # Binary, p_o = 0.8 -> PABAK = 2*0.8 - 1 = 0.6 (here equal to kappa: both marginals are 50/50)
    assert ag.pabak(A10, B10)["value"] == pytest.approx(0.6)
    # A rare category: 9 "exclude" and 1 "include" each, disagreeing on the one include:
    # p_o = 8/10; p_e = .9*.9 + .1*.1 = .82 -> kappa = (.8 - .82)/(.18) = -1/9, while PABAK = 2*.8 - 1 = .6
    a = ["exclude"] * 9 + ["include"]
    b = ["include"] + ["exclude"] * 9
    assert ag.cohen_kappa(a, b)["value"] == pytest.approx(-1 / 9)
    assert ag.pabak(a, b)["value"] == pytest.approx(0.6)
    # three possible categories: (3 * 0.8 - 1) / 2 = 0.7
    assert ag.pabak(a, b, n_categories=3)["value"] == pytest.approx(0.7)
    assert math.isnan(ag.pabak([], [])["value"])


def test_positive_agreement_by_hand():
    # A says yes 5 times, B 5 times, both 4 times -> 2*4 / (5+5) = 0.8
    assert ag.positive_agreement(A10, B10) == pytest.approx(0.8)
    assert math.isnan(ag.positive_agreement([0, 0], [0, 0]))


def test_two_raters_on_shared_units_only():
    # Screening-like decisions on records: r4 only by A, r5 only by B, r3 undecided by B.
    a = {"r1": "include", "r2": "exclude", "r3": "exclude", "r4": "include", "r6": "exclude", "r7": "exclude"}
    b = {"r1": "include", "r2": "include", "r3": None, "r5": "exclude", "r6": "exclude", "r7": "exclude"}
    units, la, lb = ag.shared_units(a, b)
    assert units == ["r1", "r2", "r6", "r7"]
    r = ag.two_raters(a, b, categories=["exclude", "include"])
    assert (r["n_a"], r["n_b"], r["n_shared"]) == (6, 5, 4)
    # shared: A = [i, e, e, e], B = [i, i, e, e]: p_o = 3/4;
    # p_e = P_A(i) P_B(i) + P_A(e) P_B(e) = (1/4)(2/4) + (3/4)(2/4) = 1/2 -> kappa = (3/4 - 1/2)/(1/2) = 0.5
    assert r["observed_agreement"] == pytest.approx(0.75)
    assert r["kappa"]["value"] == pytest.approx(0.5)
    assert r["pabak"]["value"] == pytest.approx(0.5)  # 2 * 3/4 - 1
    # alpha: values i x3, e x5 (n = 8); one disagreeing unit: o_ie = o_ei = 1;
    # alpha = 1 - (n - 1) * (o_ie + o_ei) / (2 n_i n_e) = 1 - 7 * 2 / 30 = 8/15
    assert r["alpha"]["value"] == pytest.approx(8 / 15)
    with pytest.raises(ValueError, match="outside the categories: maybe"):
        ag.two_raters({"r1": "maybe"}, {"r1": "include"}, categories=["exclude", "include"])


def test_two_raters_with_nothing_shared_says_so():
    r = ag.two_raters({"r1": "x"}, {"r2": "x"})
    assert r["n_shared"] == 0 and math.isnan(r["observed_agreement"])
    assert r["kappa"]["reason"] == "no units to compare"
    assert r["alpha"]["reason"] == "no unit was labelled by both raters"


def test_reasons_come_in_the_language_asked_for():
    k = ag.cohen_kappa(["x"] * 4, ["x"] * 4, lang="de")
    assert "Kategorie" in k["reason"] and "(x)" in k["reason"]
    assert ag.format_statistic(k, "de").startswith("nicht definiert (")
    # a language without a catalog falls back to English, message by message
    assert ag.cohen_kappa([], [], lang="xx")["reason"] == "no units to compare"


def test_to_jsonable():
    data = ag.to_jsonable(
        {"k": {"value": float("nan"), "reason": "r"}, "t": pd.DataFrame({"a": [1.0 / 3]}), 1: (True,)}
    )
    assert data == {"k": {"value": None, "reason": "r"}, "t": [{"a": 0.333333}], "1": [True]}
    json.dumps(data, allow_nan=False)
