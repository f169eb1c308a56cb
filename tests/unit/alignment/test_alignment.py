"""The alignment rule on small hand-computed cases (expected values worked out in comments)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from revalign.alignment import rule as alignment

from revalign.core import config
from revalign.core.codebook import load_codebook
from revalign.core.config import Alignment

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "alignment"
P = Alignment()  # defaults: practice 1, concept 0.5, indonesia 1, global 0.5, mixed 0.5, t = [-0.5, 0, 0.5]


def segs(*rows, dimension="d"):
    """rows: (ref_key, polarity, facet, context)."""
    return pd.DataFrame(
        [{"segment_id": f"s{i}", "ref_key": r, "dimension": dimension, "polarity": pol, "facet": f, "context": c,
          "excerpt": f"x{i}"} for i, (r, pol, f, c) in enumerate(rows)],
        columns=["segment_id", "ref_key", "dimension", "polarity", "facet", "context", "excerpt"],
    )


TYPES = {"a": "policy", "b": "academic", "c": "report", "d": "media"}


def test_weights_and_score_by_hand():
    # 3 strength practice/indonesia (w = 1*1 each) + 1 gap concept/indonesia (w = 0.5*1):
    # S = 3, G = 0.5, b = 2.5 / 3.5 = 0.714... > 0.5 -> rank 3; strength sources a, b, c (3), types 3 -> met.
    df = segs(("a", "strength", "practice", "indonesia"), ("b", "strength", "practice", "indonesia"),
              ("c", "strength", "practice", "indonesia"), ("d", "gap", "concept", "indonesia"))
    s, g, b = alignment.balance(df, P)
    assert (s, g) == (3.0, 0.5)
    assert b == pytest.approx(2.5 / 3.5)
    j = alignment.judge(df, TYPES, P)
    assert j.rank == 3


def test_custom_weights_change_the_score():
    # concept weight 1, global weight 0.25: strength concept/global w = 0.25, gap practice/indonesia w = 1,
    # mixed practice/global w = 0.25 split 0.5/0.5 -> S = 0.25 + 0.125 = 0.375, G = 1 + 0.125 = 1.125,
    # b = -0.75 / 1.5 = -0.5 -> exceeds no threshold strictly -> rank 0; gap/mixed sources b, c = 2 -> met.
    p = Alignment(concept_weight=1.0, global_weight=0.25)
    df = segs(("a", "strength", "concept", "global"), ("b", "gap", "practice", "indonesia"),
              ("c", "mixed", "practice", "global"))
    s, g, b = alignment.balance(df, p)
    assert s == pytest.approx(0.375) and g == pytest.approx(1.125) and b == pytest.approx(-0.5)
    assert alignment.judge(df, TYPES, p).rank == 0


def test_thresholds_are_strict():
    # b exactly 0 (one strength, one gap, same weight) is not > 0 -> rank 1 (partial)
    df = segs(("a", "strength", "practice", "indonesia"), ("b", "gap", "practice", "indonesia"))
    assert alignment.balance(df, P)[2] == 0
    assert alignment.judge(df, TYPES, P).rank == 1
    assert alignment.rank_from_score(0.5, [-0.5, 0.0, 0.5]) == 2
    assert alignment.rank_from_score(0.51, [-0.5, 0.0, 0.5]) == 3
    assert alignment.rank_from_score(-1.0, [-0.5, 0.0, 0.5]) == 0


def test_top_level_needs_corroboration():
    # two strength sources only: b = 1 -> rank 3 by score, but 2 < 3 sources -> one step down to 2
    df = segs(("a", "strength", "practice", "indonesia"), ("b", "strength", "practice", "indonesia"))
    j = alignment.judge(df, TYPES, P)
    assert (j.rank_before, j.rank) == (3, 2)
    # three sources of one type: 3 sources but 1 type < 2 -> rank 2
    df = segs(("a", "strength", "practice", "indonesia"), ("b", "strength", "practice", "indonesia"),
              ("c", "strength", "practice", "indonesia"))
    assert alignment.judge(df, {"a": "policy", "b": "policy", "c": "policy"}, P).rank == 2


def test_bottom_level_needs_two_sources():
    # one gap source: b = -1 -> rank 0 by score, only 1 source < 2 -> rank 1
    df = segs(("a", "gap", "practice", "indonesia"), ("a", "gap", "concept", "global"))
    j = alignment.judge(df, TYPES, P)
    assert (j.rank_before, j.rank) == (0, 1)


def test_no_evidence():
    assert alignment.judge(segs(), TYPES, P).rank is None


def test_synthesis_counted_apart_unless_asked():
    # the review's own key is excluded by default: only the gap remains -> b = -1
    df = segs(("ruminarndkredensial", "strength", "practice", "indonesia"), ("a", "gap", "practice", "indonesia"),
              ("b", "gap", "practice", "indonesia"))
    counted, own = alignment.split_synthesis(df, P)
    assert len(counted) == 2 and len(own) == 1
    p = Alignment(include_synthesis=True)
    counted, _ = alignment.split_synthesis(df, p)
    assert len(counted) == 3


ORDER = ["strength", "gap", "mixed"]


def test_monotone_adding_strength_never_lowers_level():
    # exhaustive over small evidence sets: every combination of up to 3 segments from 4 sources
    import itertools

    kinds = [(pol, f, c) for pol in ORDER for f in ("concept", "practice") for c in ("indonesia", "global")]
    sources = ["a", "b", "c", "d"]
    checked = 0
    for n in range(0, 3):
        for combo in itertools.product(kinds, repeat=n):
            rows = [(sources[i % 4], *k) for i, k in enumerate(combo)]
            base = alignment.judge(segs(*rows), TYPES, P).rank
            for extra_src in sources:
                for f in ("concept", "practice"):
                    for c in ("indonesia", "global"):
                        more = alignment.judge(segs(*rows, (extra_src, "strength", f, c)), TYPES, P).rank
                        assert base is None or more >= base, (rows, extra_src, f, c)
                        checked += 1
    assert checked > 1000


def test_fixture_table_by_hand():
    # Worked out in tests/fixtures/alignment/segments.csv (synthesis row s11 excluded):
    #   improve_performance: S = 1 + 1 + 0.5 = 2.5, G = 0.25 -> b = 0.818 -> strongly (3 sources, 3 types)
    #   strategic_design:    S = 1 + 0.5 = 1.5, G = 0.5 + 0.5 = 1.0 -> b = 0.2 -> fairly
    #   empower_learners:    S = 0.5 + 0.25 = 0.75, G = 1 -> b = -0.143 -> partial
    #   ethical:             S = 0.25, G = 1 + 0.5 = 1.5 -> b = -0.714 -> gap_identified (2 gap sources)
    cfg = config.load(FIX / "params.yml", root=ROOT)
    t = alignment.run(cfg, bibliography=[FIX / "corpus.csv"]).set_index("dimension")
    assert list(t.index) == ["improve_performance", "strategic_design", "empower_learners", "ethical_study_application"]
    assert t.loc["improve_performance", "level"] == "strongly"
    assert t.loc["improve_performance", "score"] == pytest.approx(2.25 / 2.75, abs=1e-4)
    assert t.loc["strategic_design", "level"] == "fairly"
    assert t.loc["empower_learners", "level"] == "partial"
    assert t.loc["empower_learners", "n_synthesis"] == 1
    assert t.loc["ethical_study_application", "level"] == "gap_identified"
    # published: strategic_design published as strongly -> the only mismatch
    assert list(t["matches_published"]) == [True, False, True, True]
    assert t.loc["empower_learners", "label_id"] == "Selaras konseptual, parsial praktik"
    # key strength of improve_performance: practice/indonesia cell, sources anwar + budi
    assert t.loc["improve_performance", "key_strength_citations"] == "anwar2021kampus; budi2022micro"
    assert alignment.replication_summary(t.reset_index())["n_reproduced"] == 3


def test_mapped_framework_marks_missing_counterpart():
    cfg = config.load(FIX / "params.yml", root=ROOT)
    t = alignment.run(cfg, codebook_path=FIX / "codebook2008.yml", bibliography=[FIX / "corpus.csv"]).set_index("dimension")
    # 2008 'improving_performance' maps to improve_performance: same evidence, same level
    assert t.loc["improving_performance", "level"] == "strongly"
    assert t.loc["creating", "counterpart"] == "strategic_design"
    assert t.loc["empower_learners", "level"] == alignment.NO_COUNTERPART
    assert "managing" not in t.index  # not headline


def test_lang_id_labels():
    cb = load_codebook(FIX / "codebook.yml")
    df = segs(("a", "strength", "practice", "indonesia"), dimension="management")
    t = alignment.build_table(df, cb, P, TYPES, lang="id", dimensions=["management"])
    assert t.loc[0, "dimension_label"] == "Pengelolaan"
    assert t.loc[0, "level_label"] == "Cukup selaras"  # b = 1 -> rank 3, one source -> 2


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "revalign", "align", *args], cwd=cwd, capture_output=True, text=True)


def test_cli_writes_table(tmp_path):
    r = _cli("--segments", str(FIX / "segments.csv"), "--codebook", str(FIX / "codebook.yml"),
             "--params", str(FIX / "params.yml"), "--bibliography", str(FIX / "corpus.csv"), "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(tmp_path / "table1.csv")
    for col in ("dimension", "level", "label_id", "label_en", "n_strength", "n_gap", "n_sources", "published_level",
                "matches_published"):
        assert col in t.columns
    assert len(t) == 4


def test_cli_bad_segments_exit_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text((FIX / "segments.csv").read_text().replace("s03,chen2023skills,p. 3,implementation_indonesia,"
                                                                 "improve_performance,strength",
                                                                 "s03,chen2023skills,p. 3,implementation_indonesia,"
                                                                 "improve_performance,strenght"))
    r = _cli("--segments", str(bad), "--codebook", str(FIX / "codebook.yml"), "--params", str(FIX / "params.yml"),
             "--bibliography", str(FIX / "corpus.csv"), "-o", str(tmp_path / "out"))
    assert r.returncode == 2
    assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr
    assert ":4:" in r.stderr  # header is line 1, s03 is line 4
    assert not (tmp_path / "out" / "table1.csv").exists()
