"""Parameter sweep and leave-one-source-out on small hand-worked cases."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from revalign.alignment import sensitivity
from revalign.core.codebook import load_codebook
from revalign.core.config import Alignment, SensitivityGrid

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "alignment"
CB = load_codebook(FIX / "codebook.yml")
CB2 = load_codebook(FIX / "codebook_twopart.yml")
TYPES = {"a": "policy", "b": "academic", "c": "report"}


def segs(*rows, dimension="d"):
    return pd.DataFrame(
        [
            {
                "segment_id": f"s{i}",
                "ref_key": r,
                "dimension": dimension,
                "polarity": pol,
                "facet": f,
                "context": c,
                "excerpt": "",
            }
            for i, (r, pol, f, c) in enumerate(rows)
        ],
        columns=["segment_id", "ref_key", "dimension", "polarity", "facet", "context", "excerpt"],
    )


def test_leave_one_out_three_sources():
    # Two-part codebook: a, b strength practice, c strength concept -> practice full, concept full ->
    # strongly, 3 sources of 3 types -> met. Without a (or b): practice full (s = 1), 2 sources < 3 -> not
    # corroborated; fairly (practice full or aligned) is met -> fairly (changed). Without c: concept none,
    # practice full -> strongly by the grades, 2 sources -> fairly (changed).
    df = segs(
        ("a", "strength", "practice", "indonesia"),
        ("b", "strength", "practice", "indonesia"),
        ("c", "strength", "concept", "global"),
    )
    loo = sensitivity.leave_one_out(df, CB2, Alignment(), ["d"], TYPES)
    assert list(loo["removed_source"]) == ["a", "b", "c"]
    assert list(loo["level"]) == ["strongly"] * 3
    assert list(loo["level_without"]) == ["fairly"] * 3
    assert loo["changed"].all()


def test_leave_one_out_robust_case():
    # Single-score codebook. a, b: gap practice/indonesia (w 1); c: strength concept/global (w 0.25).
    # All: S = 0.25, G = 2, b = -1.75/2.25 = -0.78 -> rank 0, 2 gap sources -> gap_identified.
    # Without a: S = 0.25, G = 1 -> b = -0.6 -> rank 0, only 1 gap source: not corroborated, and rank 1's band
    # (-0.5 < b <= 0) is not met -> stays gap_identified (unchanged; before the amendment of 2026-12-07 it
    # moved to partial). Without c: b = -1 -> gap_identified, 2 sources (unchanged).
    df = segs(
        ("a", "gap", "practice", "indonesia"),
        ("b", "gap", "practice", "indonesia"),
        ("c", "strength", "concept", "global"),
    )
    loo = sensitivity.leave_one_out(df, CB, Alignment(), ["d"], TYPES).set_index("removed_source")
    assert list(loo["level_without"]) == ["gap_identified"] * 3
    assert not loo["changed"].any()


def test_sweep_shares_by_hand():
    # a strength practice/indonesia, b strength concept/global, c gap concept/indonesia; single-score codebook
    # (facet weights practice 1, concept 0.5; context weights indonesia 1, global 0.5).
    #   context weighting on  (the file's default for this rule): S = 1 + 0.25, G = 0.5 -> b = 0.75/1.75 = 0.429
    #   context weighting off: S = 1 + 0.5, G = 0.5 -> b = 1/2 = 0.5
    # Grid: weighting {off, on} x threshold shift {0, -0.1}; top needs 2 sources (a policy, b academic: met).
    #   shift 0 (t = -0.5, 0, 0.5): 0.5 and 0.429 exceed two thresholds -> fairly
    #   shift -0.1 (t = -0.6, -0.1, 0.4): both exceed 0.4 -> strongly (2 strength sources of 2 types)
    # -> fairly 1/2, strongly 1/2; the file's own setting (weighting on, shift 0) gives fairly.
    grid = SensitivityGrid(
        context_weighting=[False, True],
        mixed_share=[0.5],
        threshold_shift=[0.0, -0.1],
        top_min_sources=[2],
        include_synthesis=[False],
    )
    p = Alignment(sensitivity=grid, corroboration={"top_min_sources": 2})
    df = segs(
        ("a", "strength", "practice", "indonesia"),
        ("b", "strength", "concept", "global"),
        ("c", "gap", "concept", "indonesia"),
    )
    shares, runs = sensitivity.sensitivity_table(df, CB, p, ["d"], TYPES)
    assert len(runs) == 4
    s = shares.set_index("level")["share"]
    assert s["fairly"] == pytest.approx(0.5)
    assert s["strongly"] == pytest.approx(0.5)
    assert s["partial"] == 0 and s["gap_identified"] == 0
    assert shares.set_index("level").loc["fairly", "default"]
    rob = sensitivity.robustness(shares)
    assert rob.loc[0, "share_default"] == pytest.approx(0.5)


def test_setting_applies_threshold_shift_and_corroboration():
    p = Alignment()
    q = sensitivity.apply_setting(p, {"threshold_shift": 0.1, "top_min_sources": 4, "include_synthesis": True})
    assert q.thresholds == pytest.approx([-0.4, 0.1, 0.6]) and q.grade_shift == pytest.approx(0.1)
    assert q.corroboration.top_min_sources == 4 and q.include_synthesis
    assert p.thresholds == [-0.5, 0.0, 0.5]  # the original is untouched


def test_default_grid_size():
    # context weighting 2 x mixed share 3 x threshold shift 3 x top sources 3 x synthesis 2 = 108 settings
    assert len(sensitivity.settings(Alignment())) == 108


def test_no_dimension_to_judge_gives_empty_tables_and_a_figure_that_says_so():
    # found by the generated reviews: evidence only on non-headline dimensions leaves no dimension to
    # judge; the sweep then had no rows and level_shares raised KeyError 'level'
    from revalign.alignment import plots

    s = segs(("a", "strength", "practice", "indonesia"))
    p = Alignment(sensitivity=SensitivityGrid(mixed_share=[0.25], threshold_shift=[0.0], top_min_sources=[3]))
    shares, runs = sensitivity.sensitivity_table(s, CB, p, [], TYPES)
    assert shares.empty and list(shares.columns) == ["dimension", "level", "n_settings", "share", "default"]
    assert sensitivity.robustness(shares).empty
    assert sensitivity.leave_one_out(s, CB, p, [], TYPES).empty
    fig = plots.sensitivity_chart(shares, pd.DataFrame(columns=["dimension", "dimension_label", "level"]), CB, "de")
    from i18n_scan import figure_texts

    # the German words of "No dimension has coded evidence, so there is nothing to map."
    assert any("Keine Dimension hat kodierte Evidenz" in t for t in figure_texts(fig))
