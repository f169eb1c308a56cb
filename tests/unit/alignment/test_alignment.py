"""The alignment rule on small hand-computed cases (expected values worked out in comments).

Two codebooks of the same vocabulary (tests/fixtures/alignment/): ``codebook.yml`` has levels without
``when`` (the single-score rule; facet weights practice 1, concept 0.5, context weights indonesia 1,
global 0.5, declared on the terms), ``codebook_twopart.yml`` defines its levels by part grades
(docs/protocol.md section 3).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from cli_runner import run_cli
from revalign import alignment
from revalign.alignment import command, rule, table1
from revalign.alignment import units as units_mod
from revalign.core import config
from revalign.core.codebook import load_codebook
from revalign.core.config import Alignment, Bootstrap, Corroboration

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "alignment"
P = Alignment()  # defaults: mixed 0.5, t = [-0.5, 0, 0.5], no synthesis key, weights from the codebook
CB = load_codebook(FIX / "codebook.yml")
CB2 = load_codebook(FIX / "codebook_twopart.yml")


def segs(*rows, dimension="d"):
    """rows: (ref_key, polarity, facet, context[, claim]); without a claim each row is its own claim."""
    return pd.DataFrame(
        [
            {
                "segment_id": f"s{i}",
                "ref_key": r[0],
                "locator": f"L{i}",
                "dimension": dimension,
                "polarity": r[1],
                "facet": r[2],
                "context": r[3],
                "excerpt": f"x{i}",
                "claim_id": r[4] if len(r) > 4 else f"c{i}",
            }
            for i, r in enumerate(rows)
        ],
        columns=[
            "segment_id",
            "ref_key",
            "locator",
            "dimension",
            "polarity",
            "facet",
            "context",
            "excerpt",
            "claim_id",
        ],
    )


TYPES = {"a": "policy", "b": "academic", "c": "report", "d": "media"}


# ---- the single-score rule (codebooks without `when`) -------------------------------------


def test_weights_and_score_by_hand():
    # 3 strength practice/indonesia (w = 1*1 each) + 1 gap concept/indonesia (w = 0.5*1):
    # S = 3, G = 0.5, b = 2.5 / 3.5 = 0.714... > 0.5 -> rank 3; strength sources a, b, c (3), types 3 -> met.
    df = segs(
        ("a", "strength", "practice", "indonesia"),
        ("b", "strength", "practice", "indonesia"),
        ("c", "strength", "practice", "indonesia"),
        ("d", "gap", "concept", "indonesia"),
    )
    j = alignment.judge(df, TYPES, P, CB)
    assert (j.s, j.g) == (3.0, 0.5)
    assert j.b == pytest.approx(2.5 / 3.5)
    assert j.rank == 3


def test_weights_from_params_override_the_codebook():
    # concept weight 1, global weight 0.25: strength concept/global w = 0.25, gap practice/indonesia w = 1,
    # mixed practice/global w = 0.25 split 0.5/0.5 -> S = 0.25 + 0.125 = 0.375, G = 1 + 0.125 = 1.125,
    # b = -0.75 / 1.5 = -0.5 -> exceeds no threshold strictly -> rank 0; gap/mixed sources b, c = 2 -> met.
    p = Alignment(facet_weights={"concept": 1.0}, context_weights={"global": 0.25})
    df = segs(
        ("a", "strength", "concept", "global"),
        ("b", "gap", "practice", "indonesia"),
        ("c", "mixed", "practice", "global"),
    )
    j = alignment.judge(df, TYPES, p, CB)
    assert j.s == pytest.approx(0.375) and j.g == pytest.approx(1.125) and j.b == pytest.approx(-0.5)
    assert j.rank == 0


def test_thresholds_are_strict():
    # b exactly 0 (one strength, one gap, same weight) is not > 0 -> rank 1 (partial)
    df = segs(("a", "strength", "practice", "indonesia"), ("b", "gap", "practice", "indonesia"))
    j = alignment.judge(df, TYPES, P, CB)
    assert j.b == 0 and j.rank == 1


def test_top_level_needs_corroboration():
    # Single-score rule: two strength sources only: b = 1 -> rank 3 by score, 2 < 3 sources. The levels are
    # bands of b (rank 2 needs 0 < b <= 0.5), so b = 1 does not meet rank 2's definition: the level stays 3,
    # marked not corroborated (protocol amendment 2026-12-07; before it, it moved to 2).
    df = segs(("a", "strength", "practice", "indonesia"), ("b", "strength", "practice", "indonesia"))
    j = alignment.judge(df, TYPES, P, CB)
    assert (j.rank_before, j.rank) == (3, 3)
    assert (j.corroboration, j.end, j.n_sources, j.n_types) == ("not_corroborated", "top", 2, 2)
    # three sources of one type: 3 sources but 1 type < 2 -> not corroborated either, still 3
    df = segs(
        ("a", "strength", "practice", "indonesia"),
        ("b", "strength", "practice", "indonesia"),
        ("c", "strength", "practice", "indonesia"),
    )
    j = alignment.judge(df, {"a": "policy", "b": "policy", "c": "policy"}, P, CB)
    assert (j.rank, j.corroboration, j.n_types) == (3, "not_corroborated", 1)
    # three sources of three types -> met
    assert alignment.judge(df, TYPES, P, CB).corroboration == "met"


def test_bottom_level_needs_two_sources():
    # one gap source: b = -1 -> rank 0 by score, only 1 source < 2; rank 1 needs -0.5 < b <= 0, not met:
    # the level stays 0, marked (before the amendment it moved to 1).
    df = segs(("a", "gap", "practice", "indonesia"), ("a", "gap", "concept", "global"))
    j = alignment.judge(df, TYPES, P, CB)
    assert (j.rank_before, j.rank, j.corroboration, j.end, j.n_sources) == (0, 0, "not_corroborated", "bottom", 1)


def test_two_part_top_level_moves_only_onto_a_level_it_meets():
    # practice: a, b strength -> s = 1 -> full; concept none -> strongly (rank 3) by the grades. 2 < 3 sources:
    # not corroborated. Rank 2 (fairly) needs practice full or aligned: met -> moved to 2.
    df = segs(("a", "strength", "practice", "global"), ("b", "strength", "practice", "global"))
    j = alignment.judge(df, TYPES, P, CB2)
    assert (j.rank_before, j.rank, j.corroboration, j.end) == (3, 2, "moved", "top")


def test_two_part_bottom_level_never_moves_onto_a_level_it_does_not_meet():
    # The defect of issue 26: concept evidence all gaps from one source, no practice evidence. Grades: concept
    # gap, practice none -> gap_identified (rank 0). One gap source < 2: not corroborated. Rank 1 ("aligned in
    # concept, partial in practice") needs concept full or aligned: not met, so the level stays 0.
    df = segs(("a", "gap", "concept", "global"), ("a", "gap", "concept", "indonesia", "c9"))
    j = alignment.judge(df, TYPES, P, CB2)
    assert j.grades == {"concept": "gap", "practice": "none"}
    assert (j.rank_before, j.rank, j.corroboration, j.end, j.n_sources) == (0, 0, "not_corroborated", "bottom", 1)


def test_corroboration_in_words():
    df = segs(("a", "gap", "concept", "global"))
    j = alignment.judge(df, TYPES, P, CB2)
    # worked out from the messages of rule.corroboration_text
    assert rule.corroboration_text(j) == (
        "lowest level not corroborated (1 source and 1 source type); it stays, because the evidence does not "
        "meet the definition of the level above"
    )
    assert "1 sumber" in rule.corroboration_text(j, "id")


def test_no_evidence():
    assert alignment.judge(segs(), TYPES, P, CB).rank is None


def test_synthesis_only_when_named():
    # no synthesis key named: every row counts; named: the review's own row is set apart
    df = segs(
        ("thereview", "strength", "practice", "indonesia"),
        ("a", "gap", "practice", "indonesia"),
        ("b", "gap", "practice", "indonesia"),
    )
    counted, own = alignment.split_synthesis(df, P)
    assert len(counted) == 3 and len(own) == 0
    p = Alignment(synthesis_key="thereview")
    counted, own = alignment.split_synthesis(df, p)
    assert len(counted) == 2 and len(own) == 1
    counted, _ = alignment.split_synthesis(df, Alignment(synthesis_key="thereview", include_synthesis=True))
    assert len(counted) == 3


# ---- claims as the unit -------------------------------------------------------------------


def test_a_claim_with_two_sources_counts_once():
    # claim k1 cites a and b (two rows, strength practice); claim k2 (source c) is a gap in practice.
    # Units: k1 (w 1, shared a 1/2, b 1/2) and k2 (w 1). Practice: S = 1, G = 1 -> s = 0.5 -> partial (tie);
    # concept: none -> no level condition holds above rank 0 -> gap_identified; bottom corroboration needs
    # 2 gap sources, only c: not corroborated, and rank 1 needs concept full or aligned (not met), so the
    # level stays 0. Counting rows instead would give S = 2, G = 1 (aligned) -> fairly.
    df = segs(
        ("a", "strength", "practice", "indonesia", "k1"),
        ("b", "strength", "practice", "indonesia", "k1"),
        ("c", "gap", "practice", "global", "k2"),
    )
    units = alignment.evidence_units(df, CB2, P)
    assert len(units) == 2 and units.loc[0, "sources"] == ("a", "b")
    j = alignment.judge(df, TYPES, P, CB2)
    assert j.grades == {"concept": "none", "practice": "partial"}
    assert (j.rank_before, j.rank, j.corroboration) == (0, 0, "not_corroborated")


def test_claim_over_two_facets_is_split_and_polarities_merge():
    # claim k1: a strength concept + a gap concept (same facet, different polarity -> one mixed unit, w 1);
    # claim k2: b strength concept + b strength practice -> two units of weight 1/2.
    df = segs(
        ("a", "strength", "concept", "global", "k1"),
        ("a", "gap", "concept", "global", "k1"),
        ("b", "strength", "concept", "global", "k2"),
        ("b", "strength", "practice", "global", "k2"),
    )
    u = alignment.evidence_units(df, CB2, P).set_index(["claim", "facet"])
    assert u.loc[("k1", "concept"), "role"] == "mixed" and u.loc[("k1", "concept"), "weight"] == 1.0
    assert u.loc[("k2", "concept"), "weight"] == 0.5 and u.loc[("k2", "practice"), "weight"] == 0.5


# ---- the two-part rule (levels as codebook data) --------------------------------------------


def test_part_grades_and_their_ties():
    # full s >= 0.75 (inclusive), aligned s > 0.5 (strict: a tie is partial), partial s > 0, gap s = 0.
    g = CB2.part_grades
    assert rule.grade_of(3, 1, g) == "full"  # s = 0.75 exactly
    assert rule.grade_of(2, 1, g) == "aligned"  # s = 0.667
    assert rule.grade_of(1, 1, g) == "partial"  # s = 0.5: tie
    assert rule.grade_of(0.1, 5, g) == "partial"
    assert rule.grade_of(0, 2, g) == "gap"
    assert rule.grade_of(0, 0, g) == "none"


@pytest.mark.parametrize(
    "concept,practice,rank",
    [
        ("aligned", "partial", 1),  # the published "aligned in concept, partial in practice"
        ("aligned", "none", 1),  # concept only: practice not shown
        ("none", "full", 3),
        ("full", "full", 3),
        ("gap", "full", 2),  # strongly needs concept aligned or absent -> fairly
        ("partial", "aligned", 2),
        ("partial", "partial", 0),  # neither part on the aligned side
        ("full", "gap", 0),
    ],
)
def test_levels_from_part_grades(concept, practice, rank):
    assert rule.level_from_grades({"concept": concept, "practice": practice}, CB2) == rank


def test_two_part_judgement_by_hand():
    # concept: a strength, b strength, c gap -> S 2, G 1, s 0.667 -> aligned;
    # practice: d gap, b strength -> S 1, G 1 -> partial (tie) -> rank 1 (partial). Context weights not
    # applied by default in the two-part rule; with context_weighting: the global practice gap (d) weighs
    # 0.5: practice S 1 (b, indonesia), G 0.5 -> s 0.667 aligned -> rank 2 (fairly).
    df = segs(
        ("a", "strength", "concept", "global"),
        ("b", "strength", "concept", "indonesia"),
        ("c", "gap", "concept", "indonesia"),
        ("d", "gap", "practice", "global"),
        ("b", "strength", "practice", "indonesia"),
    )
    j = alignment.judge(df, TYPES, P, CB2)
    assert j.grades == {"concept": "aligned", "practice": "partial"} and j.rank == 1
    j = alignment.judge(df, TYPES, Alignment(context_weighting=True), CB2)
    assert j.parts["practice"] == (1.0, 0.5) and j.rank == 2


def test_codebook_rejects_unknown_grade_in_when(tmp_path):
    from revalign.core.errors import InputError

    text = (FIX / "codebook_twopart.yml").read_text().replace("practice: [full]}", "practice: [excellent]}")
    p = tmp_path / "cb.yml"
    p.write_text(text)
    with pytest.raises(InputError) as exc:
        load_codebook(p)
    assert "excellent" in exc.value.message


# ---- uncertainty: bootstrap over sources -----------------------------------------------------


def test_bootstrap_probabilities_by_hand():
    # Sources a (strength practice) and b (gap practice); corroboration switched off. A replicate draws 2
    # sources with replacement: {a, a} (1/4) -> practice full, concept none -> strongly;
    # {b, b} (1/4) -> gap -> gap_identified; {a, b} (1/2) -> S = G -> partial practice, concept none ->
    # gap_identified. So P(strongly) = 0.25, P(gap_identified) = 0.75 (4000 replicates: +-0.03).
    p = Alignment(
        corroboration=Corroboration(top_min_sources=0, top_min_source_types=0, bottom_min_sources=0),
        bootstrap=Bootstrap(replicates=4000, seed=7),
    )
    df = segs(("a", "strength", "practice", "global"), ("b", "gap", "practice", "global"))
    boot = alignment.bootstrap_levels(df, CB2, p, ["d"], TYPES).set_index("level")["probability"]
    assert boot["strongly"] == pytest.approx(0.25, abs=0.03)
    assert boot["gap_identified"] == pytest.approx(0.75, abs=0.03)
    assert boot.sum() == pytest.approx(1.0)
    again = alignment.bootstrap_levels(df, CB2, p, ["d"], TYPES).set_index("level")["probability"]
    assert again.equals(boot)  # seeded: the same numbers on every run


# GRADE-CERQual: tests/unit/alignment/test_confidence.py and test_appraisal.py


ORDER = ["strength", "gap", "mixed"]


def _ranks_of_many(sets, cb):
    """The rule's rank of each evidence set in *sets* (lists of rows as :func:`segs` takes them), judged
    together: each set is its own dimension of one table, so the evidence units are built once (what
    :func:`rule.levels_for` does for a run's dimensions) instead of one table per set."""
    flat = [(f"e{k}", i, r) for k, rows in enumerate(sets) for i, r in enumerate(rows)]
    table = segs(*(r for _, _, r in flat))  # one table: the columns as segs() makes them
    table["dimension"] = [d for d, _, _ in flat]
    table["claim_id"] = [f"c{i}" for _, i, _ in flat]  # each row its own claim, as in segs()
    units = alignment.evidence_units(table, cb, P)
    every = units_mod.compile_units(units)  # the lists judge_units works on, sliced per set below
    spans: dict[str, list[int]] = {}
    for i, d in enumerate(units["dimension"]):  # a set's units are consecutive rows
        spans.setdefault(d, [i, i])[1] = i + 1
    ranks = []
    for k in range(len(sets)):
        if f"e{k}" not in spans:
            ranks.append(None)  # no evidence
            continue
        a, b = spans[f"e{k}"]
        part = units_mod.Units(*(getattr(every, f.name)[a:b] for f in dataclasses.fields(units_mod.Units)))
        ranks.append(rule.judge_units(part, cb, P, TYPES).rank)
    return ranks


@pytest.mark.parametrize("cb", [CB, CB2], ids=["single_score", "two_part"])
def test_monotone_adding_strength_never_lowers_level(cb):
    # exhaustive over small evidence sets: every combination of up to 2 segments from 4 sources (a, b, c, d
    # of four different source types), each with one strength segment more of every facet, context, source
    import itertools

    kinds = [(pol, f, c) for pol in ORDER for f in ("concept", "practice") for c in ("indonesia", "global")]
    sources = ["a", "b", "c", "d"]
    extras = [
        (src, "strength", f, c) for src in sources for f in ("concept", "practice") for c in ("indonesia", "global")
    ]
    bases = [
        [(sources[i % 4], *k) for i, k in enumerate(combo)]
        for n in range(3)
        for combo in itertools.product(kinds, repeat=n)
    ]
    sets = [rows for rows in bases for rows in ([rows] + [[*rows, extra] for extra in extras])]
    ranks = _ranks_of_many(sets, cb)
    # judged together as judged one by one (rule.judge on each set's own table), on a sample across the list
    for k in range(0, len(sets), 97):
        assert ranks[k] == alignment.judge(segs(*sets[k]), TYPES, P, cb).rank, sets[k]
    checked = 0
    step = 1 + len(extras)
    for i, rows in enumerate(bases):
        base = ranks[i * step]
        for j, extra in enumerate(extras, start=1):
            more = ranks[i * step + j]
            assert base is None or more >= base, (rows, extra)
            checked += 1
    assert checked > 1000


def test_fixture_table_by_hand():
    # Worked out in tests/fixtures/alignment/segments.csv (synthesis row s11 excluded):
    #   improve_performance: S = 1 + 1 + 0.5 = 2.5, G = 0.25 -> b = 0.818 -> strongly (3 sources, 3 types)
    #   strategic_design:    S = 1 + 0.5 = 1.5, G = 0.5 + 0.5 = 1.0 -> b = 0.2 -> fairly
    #   empower_learners:    S = 0.5 + 0.25 = 0.75, G = 1 -> b = -0.143 -> partial
    #   ethical:             S = 0.25, G = 1 + 0.5 = 1.5 -> b = -0.714 -> gap_identified (2 gap sources)
    cfg = config.load(FIX / "params.yml", root=ROOT)
    t = command.run(cfg, bibliography=[FIX / "corpus.csv"]).set_index("dimension")
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
    t = command.run(cfg, codebook_path=FIX / "codebook2008.yml", bibliography=[FIX / "corpus.csv"]).set_index(
        "dimension"
    )
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
    # b = 1 -> rank 3; one source: not corroborated, and b = 1 is outside rank 2's band -> stays 3
    assert t.loc[0, "level_label"] == "Sangat selaras"


def _cli(*args, cwd=ROOT):
    return run_cli("align", *args, cwd=cwd)


def test_cli_writes_table(tmp_path):
    r = _cli(
        "--segments",
        str(FIX / "segments.csv"),
        "--codebook",
        str(FIX / "codebook.yml"),
        "--params",
        str(FIX / "params.yml"),
        "--bibliography",
        str(FIX / "corpus.csv"),
        "-o",
        str(tmp_path),
    )
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(tmp_path / "table1.csv")
    for col in (
        "dimension",
        "level",
        "label_id",
        "label_en",
        "n_strength",
        "n_gap",
        "n_sources",
        "published_level",
        "matches_published",
    ):
        assert col in t.columns
    assert len(t) == 4


def test_cli_says_whose_settings_it_uses_without_params(tmp_path):
    # issue 28: no command silently uses the published review's files. Without --params the settings
    # (and the codebook and bibliography not named) are the default run's, and the report says so (on
    # stdout: stderr holds only the one error line of a bad input).
    args = ["--segments", str(FIX / "segments.csv"), "--codebook", str(FIX / "codebook.yml")]
    args += ["--bibliography", str(FIX / "corpus.csv"), "-o", str(tmp_path)]
    r = _cli(*args)
    assert r.returncode == 0, r.stderr
    assert "note: no --params:" in r.stdout and "params/default.yml" in r.stdout
    r = _cli(*args[:-2], "--params", str(FIX / "params.yml"), "-o", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "no --params" not in r.stdout


def test_cli_bad_segments_exit_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        (FIX / "segments.csv")
        .read_text()
        .replace(
            "s03,chen2023skills,p. 3,implementation_indonesia,improve_performance,strength",
            "s03,chen2023skills,p. 3,implementation_indonesia,improve_performance,strenght",
        )
    )
    r = _cli(
        "--segments",
        str(bad),
        "--codebook",
        str(FIX / "codebook.yml"),
        "--params",
        str(FIX / "params.yml"),
        "--bibliography",
        str(FIX / "corpus.csv"),
        "-o",
        str(tmp_path / "out"),
    )
    assert r.returncode == 2
    assert r.stderr.startswith("error: ") and "Traceback" not in r.stderr
    assert ":4:" in r.stderr  # header is line 1, s03 is line 4
    assert not (tmp_path / "out" / "table1.csv").exists()


def test_codebook_level_conditions_are_checked(tmp_path):
    from revalign.core.errors import InputError

    base = (FIX / "codebook_twopart.yml").read_text()
    # 1. `when` without part_grades; 2. a second level without `when` (only the lowest may have none);
    # 3. a part that is not a facet id.
    no_grades = base[: base.index("part_grades:")] + base[base.index("levels:") :]
    two_open = base.replace("when: {practice: [full, aligned]}", "")
    bad_part = base.replace("when: {practice: [full, aligned]}", "when: {policy: [full]}")
    for text, needle in ((no_grades, "part_grades"), (two_open, "lowest level"), (bad_part, "policy")):
        p = tmp_path / "cb.yml"
        p.write_text(text)
        with pytest.raises(InputError) as exc:
            load_codebook(p)
        assert needle in exc.value.message


def test_table1_csv_leaves_out_columns_with_nothing_to_say(tmp_path):
    # No published table and an English-only codebook: a reader of table1.csv should see
    # neither empty replication columns nor a label_id column that repeats label_en.
    from revalign.alignment.table1 import write_table

    table = pd.DataFrame(
        {
            "dimension": ["a", "b"],
            "level": ["x", "y"],
            "label_id": ["X", "Y"],
            "label_en": ["X", "Y"],
            "published_level": ["", ""],
            "matches_published": pd.array([pd.NA, pd.NA], dtype="boolean"),
        }
    )
    write_table(table, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text().splitlines()[0] == "dimension,level,label_en"
    table["published_level"] = ["x", ""]
    table["label_id"] = ["Eks", "Ye"]
    write_table(table, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text().splitlines()[
        0
    ] == "dimension,level,label_id,label_en,published_level,matches_published"


def test_label_columns_follow_the_codebooks_languages(tmp_path):
    # levels labelled in English and Spanish: Table 1 has label_es before label_en and no label_id
    text = (FIX / "codebook.yml").read_text(encoding="utf-8")
    head, levels = text.split("\nlevels:")
    text = head + "\nlevels:" + re.sub(r"(label: \{en: [^}]*?), id: ", r"\1, es: ", levels)
    path = tmp_path / "codebook.yml"
    path.write_text(text, encoding="utf-8")
    cb = load_codebook(path)
    assert table1.label_languages(cb) == ["es"]
    df = segs(("a", "strength", "practice", "indonesia"), dimension="management")
    t = alignment.build_table(df, cb, P, TYPES, lang="es", dimensions=["management"])
    cols = list(t.columns)
    assert "label_id" not in cols and cols.index("label_es") == cols.index("label_en") - 1
    assert t.loc[0, "level_label"] == t.loc[0, "label_es"] != t.loc[0, "label_en"]
