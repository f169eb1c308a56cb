"""The vocabulary check: keyword matcher vs human coder per segment (revalign.coding.vocabulary_check).

Every expected value is worked out by hand in the comments."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from revalign.coding import vocabulary_check as vc


def coded() -> pd.DataFrame:
    return pd.DataFrame(
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


def test_vocabulary_check_per_dimension(cb):
    r = vc.vocabulary_check(coded(), cb)
    assert r["observed_agreement"] == pytest.approx(4 / 6)
    assert (r["n_units"], r["n_auto_none"]) == (6, 1)
    per = r["per_dimension"].set_index("dimension")
    assert list(per.index) == cb.component_ids  # every component of the codebook, in its order
    # improve_performance: human 1,1,1,0,0,0  auto 1,1,0,0,0,1 -> p_o = 4/6,
    # p_e = .5*.5 + .5*.5 = .5 -> kappa = (2/3 - 1/2)/(1/2) = 1/3
    assert per.loc["improve_performance", "kappa"] == pytest.approx(1 / 3)
    assert per.loc["improve_performance", ["n_human", "n_auto", "n_both"]].tolist() == [3, 3, 2]
    # strategic_design: human 0,0,0,1,1,1 auto 0,0,0,1,1,0 -> p_o = 5/6, pH = .5, pA = 1/3
    # p_e = .5*(1/3) + .5*(2/3) = .5 -> kappa = (5/6 - 1/2)/(1/2) = 2/3
    assert per.loc["strategic_design", "kappa"] == pytest.approx(2 / 3)
    assert math.isnan(per.loc["management", "kappa"])
    assert per.loc["management", "note"] == "neither coder used this dimension: kappa undefined"


def test_notes_in_the_run_language(cb):
    per = vc.vocabulary_check(coded(), cb, lang="id")["per_dimension"].set_index("dimension")
    assert per.loc["management", "note"] == "tidak ada pengode yang memakai dimensi ini: kappa tidak terdefinisi"


def test_confusion_and_disagreements(cb):
    conf = vc.confusion_table(coded(), cb)
    assert conf.loc["improve_performance", "none"] == 1
    assert conf.loc["strategic_design", "improve_performance"] == 1
    assert conf.to_numpy().sum() == 6
    assert list(conf.columns) == [*cb.component_ids, "none"]
    assert vc.disagreements(coded())["segment_id"].tolist() == ["c", "f"]


def test_without_codebook_the_dimensions_used():
    r = vc.vocabulary_check(coded())
    assert list(r["per_dimension"]["dimension"]) == ["improve_performance", "strategic_design"]
