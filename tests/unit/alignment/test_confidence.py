"""GRADE-CERQual components and overall confidence on hand-worked findings (revalign.alignment.confidence).

A codebook with its own ids (tests/fixtures/alignment/codebook_own_ids.yml: polarity staerke/luecke/
gemischt by role, parts konzept and praxis, grades voll >= 0.75, teil > 0.5, wenig >= 0; levels
vollstaendig {konzept: voll/teil/none, praxis: voll}, teilweise {konzept: voll/teil}, nicht = every other
case) unless a case says otherwise. Every expected value is worked out in the comments.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from revalign.alignment.appraisal import TOOLS, read_appraisal
from revalign.alignment.confidence import assess, statement
from revalign.alignment.rule import judge_units
from revalign.alignment.units import evidence_units
from revalign.core.codebook import load_codebook
from revalign.core.config import Alignment

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "alignment"
OWN = load_codebook(FIX / "codebook_own_ids.yml")
CB2 = load_codebook(FIX / "codebook_twopart.yml")
P = Alignment()


def units(rows, cb=OWN):
    """rows: (source, polarity code, facet, context); each row its own claim on dimension a1."""
    df = pd.DataFrame(
        [
            {"segment_id": f"s{i}", "ref_key": r[0], "locator": f"L{i}", "dimension": "a1", "polarity": r[1],
             "facet": r[2], "context": r[3], "excerpt": f"x{i}", "claim_id": f"c{i}"}
            for i, r in enumerate(rows)
        ]
    )  # fmt: skip
    return evidence_units(df, cb, P)


def appraisal(tmp_path, spec: dict[str, tuple[dict, dict]]):
    """spec: source -> (aacods judgements that are not 'yes', relevance judgements that are not 'yes')."""
    lines = ["ref_key,design,tool,criterion,judgement,reason"]
    for key, (ml, rel) in spec.items():
        for tool, judged in (("aacods", ml), ("relevance", rel)):
            for crit in TOOLS[tool].criteria:
                lines.append(f"{key},report,{tool},{crit},{judged.get(crit, 'yes')},as the test says")
    p = tmp_path / "appraisal.csv"
    p.write_text("\n".join(lines) + "\n")
    return read_appraisal(p)


TYPES = {f"s{i}": ("policy" if i % 2 else "academic") for i in range(1, 9)}


def judged(rows, cb=OWN):
    u = units(rows, cb)
    return u, judge_units(u, cb, P, TYPES)


def test_every_component_without_concern_gives_high(tmp_path):
    # konzept: s1-s3 staerke (s = 1 -> voll), praxis: s4-s6 staerke (voll) -> vollstaendig, corroborated
    # (6 sources, 2 types). ML: every criterion yes -> 0 -> none. Coherence: both parts on the strength side,
    # nothing contrary, no decision flips it -> none. Adequacy: 6 sources (>= 5), 3 claims per part (not < 3)
    # -> none. Relevance: all yes -> 1.0 -> none. Overall: high.
    u, j = judged([("s1", "staerke", "konzept", "dach"), ("s2", "staerke", "konzept", "dach"),
                   ("s3", "staerke", "konzept", "dach"), ("s4", "staerke", "praxis", "dach"),
                   ("s5", "staerke", "praxis", "dach"), ("s6", "staerke", "praxis", "dach")])  # fmt: skip
    assert j.rank == 2
    a = appraisal(tmp_path, {f"s{i}": ({}, {}) for i in range(1, 7)})
    prof = assess(u, j, OWN, P, a, flipped=[])
    assert {c: x.concern for c, x in prof.components.items()} == {
        "methodological_limitations": "no_or_very_minor",
        "coherence": "no_or_very_minor",
        "adequacy": "no_or_very_minor",
        "relevance": "no_or_very_minor",
    }
    assert prof.confidence == "high"
    assert "no declared coding decision changes the level" in prof.components["coherence"].explanation


def test_a_criterion_not_assessed_means_no_overall_confidence(tmp_path):
    # the same finding; s2's accuracy could not be judged -> limitations not assessed -> no overall confidence
    u, j = judged([("s1", "staerke", "praxis", "dach"), ("s2", "staerke", "praxis", "dach"),
                   ("s3", "staerke", "praxis", "dach")])  # fmt: skip
    a = appraisal(tmp_path, {"s1": ({}, {}), "s2": ({"accuracy": "not_assessed"}, {}), "s3": ({}, {})})
    prof = assess(u, j, OWN, P, a)
    assert prof.components["methodological_limitations"].concern == "not_assessed"
    assert (
        "1 of 3 sources has criteria that were not judged" in prof.components["methodological_limitations"].explanation
    )
    assert prof.confidence == "not_assessed" and "methodological limitations" in prof.explanation
    # without any appraisal file: limitations and relevance not assessed; never an invented "high"
    bare = assess(u, j, OWN, P, None)
    assert bare.confidence == "not_assessed"
    assert [c for c, x in bare.components.items() if x.concern == "not_assessed"] == [
        "methodological_limitations",
        "relevance",
    ]


def test_limitations_relevance_and_overall_by_hand(tmp_path):
    # praxis: s1-s3 staerke -> voll, konzept none -> vollstaendig, 3 sources of 2 types: met.
    # ML: s1 all yes -> 0 (none); s2 two of six AACODS criteria no -> 1/3 <= 0.4 -> moderate (2); s3 four no ->
    # 2/3 -> serious (3). Mean (0 + 2 + 3) / 3 = 1.67 > 1.5 -> serious. Relevance: s1 yes/yes/yes = 1, s2 yes/partly/no
    # = 0.5, s3 no/no/unclear = 1/6; mean 0.556 (>= 0.4, < 0.6) -> moderate; by criterion: population (1+1+0)/3,
    # phenomenon (1+0.5+0)/3 = 0.5, setting (1+0+0.5)/3 = 0.5: the weakest, by name on a tie, is phenomenon, where s2
    # and s3 fall short. Adequacy: 3 sources -> minor; praxis has 3 claims (not thin). Coherence: none.
    # Overall: serious (2 steps) + moderate (1) + one minor (0) = 3 steps -> very low.
    u, j = judged([("s1", "staerke", "praxis", "dach"), ("s2", "staerke", "praxis", "dach"),
                   ("s3", "staerke", "praxis", "dach")])  # fmt: skip
    a = appraisal(
        tmp_path,
        {
            "s1": ({}, {}),
            "s2": ({"accuracy": "no", "coverage": "no"}, {"phenomenon": "partly", "setting": "no"}),
            "s3": ({"accuracy": "no", "coverage": "no", "objectivity": "no", "significance": "no"},
                   {"population": "no", "phenomenon": "no", "setting": "unclear"}),
        },
    )  # fmt: skip
    prof = assess(u, j, OWN, P, a)
    c = {k: x.concern for k, x in prof.components.items()}
    assert c == {"methodological_limitations": "serious", "coherence": "no_or_very_minor", "adequacy": "minor",
                 "relevance": "moderate"}  # fmt: skip
    assert "mean concern 1.67 over 3 sources" in prof.components["methodological_limitations"].explanation
    assert "moderate or serious limitations: s2, s3" in prof.components["methodological_limitations"].explanation
    assert "fit to the review question 0.56" in prof.components["relevance"].explanation
    assert "weakest on phenomenon (0.50): s2, s3" in prof.components["relevance"].explanation
    assert prof.confidence == "very_low"
    assert prof.explanation.startswith("from high, 3 steps down for serious concerns about methodological limitations")


def test_coherence_counts_contrary_claims_flips_and_context_variation():
    # Reference-style codebook (fixture codebook_twopart). Practice: a, b gap in the focus context (indonesia);
    # c, d, e, f strength elsewhere -> s = 4/6 -> aligned -> fairly (concept none). Fairly puts practice on the
    # strength side: a and b are contrary, 2 of 6 units -> 0.33 (<= 0.40) -> moderate. The focus context (2
    # claims, strength share 0) and the others (4 claims, 1.0) point different ways: one step -> serious.
    rows = [("a", "gap", "practice", "indonesia"), ("b", "gap", "practice", "indonesia")]
    rows += [(k, "strength", "practice", "global") for k in "cdef"]
    u, j = judged(rows, CB2)
    assert j.grades["practice"] == "aligned" and j.rank == 2
    prof = assess(u, j, CB2, P, None)
    co = prof.components["coherence"]
    assert co.concern == "serious"
    assert "2 contrary and 0 mixed claims, 33% of the weight" in co.explanation
    assert "point different ways" in co.explanation
    # a declared decision whose alternative changes the level adds one step (already serious here: stays serious);
    # without the variation (all in one context) the same data are moderate, and a flip makes them serious
    rows = [("a", "gap", "practice", "global"), ("b", "gap", "practice", "global")]
    rows += [(k, "strength", "practice", "global") for k in "cdef"]
    u, j = judged(rows, CB2)
    assert assess(u, j, CB2, P, None).components["coherence"].concern == "moderate"
    flipped = assess(u, j, CB2, P, None, flipped=["d1"], decision_labels={"d1": "Normative claims"})
    assert flipped.components["coherence"].concern == "serious"
    assert (
        "another reading of the same data changes the level: Normative claims"
        in flipped.components["coherence"].explanation
    )


@pytest.mark.parametrize(
    "grades,expected",
    [
        # the catch-all level with concept gap, practice gap: any concept grade keeps every `when` false (practice
        # gap meets none of them), so concept says nothing; practice full or aligned would make "fairly" hold, so the
        # finding puts practice on the gap side
        ({"concept": "gap", "practice": "gap"}, {"concept": None, "practice": "gap"}),
        # concept aligned, practice none: "partial" holds, so this is not the catch-all; for "partial" itself
        # (when: concept full/aligned, practice partial/none): concept strength side, practice spans none + partial
    ],
)
def test_what_the_lowest_level_says_of_each_part(grades, expected):
    lowest = next(lv for lv in CB2.levels if lv.rank == 0)
    assert statement(lowest, CB2, grades) == expected


def test_what_a_conditioned_level_says_of_each_part():
    partial = next(lv for lv in CB2.levels if lv.id == "partial")
    # concept [full, aligned] -> both upper (min_share 0.75, 0.5) -> strength side; practice [partial, none] -> the
    # real grades {partial} (min_share 0) are lower -> gap side
    assert statement(partial, CB2, {}) == {"concept": "strength", "practice": "gap"}


def test_adequacy_is_thin_when_a_constrained_part_rests_on_few_claims():
    # praxis: s1, s2 staerke -> voll; konzept none -> vollstaendig; 2 sources -> moderate (quantity); praxis is
    # constrained (voll) and has 2 claims (< 3): thin, one more step -> serious
    u, j = judged([("s1", "staerke", "praxis", "dach"), ("s2", "staerke", "praxis", "dach")])
    ad = assess(u, j, OWN, P, None).components["adequacy"]
    assert ad.concern == "serious"
    assert "2 sources and 2 claims" in ad.explanation and "Practice (2)" in ad.explanation


def test_no_evidence_no_profile():
    u = units([])
    j = judge_units(u, OWN, P, TYPES)
    prof = assess(u, j, OWN, P, None)
    assert prof.components == {} and prof.confidence == ""
