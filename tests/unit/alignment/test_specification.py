"""Coding decisions as data and the specification table (revalign.alignment.decisions, .specification),
and the replication's reasons (revalign.alignment.replication), on hand-worked cases.

Codebook with its own ids (tests/fixtures/alignment/codebook_own_ids.yml): parts konzept and praxis, grades
voll >= 0.75, teil > 0.5, wenig >= 0; levels vollstaendig {konzept: voll/teil/none, praxis: voll},
teilweise {konzept: voll/teil}, nicht = every other case.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from revalign.alignment.decisions import apply, read_decisions
from revalign.alignment.replication import summary_text, why_not_published
from revalign.alignment.rule import judge
from revalign.alignment.specification import flipping_decisions, flips, level_shares, specification_table
from revalign.core.codebook import load_codebook
from revalign.core.config import Alignment, Bootstrap, Corroboration
from revalign.core.errors import InputErrors

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "alignment"
OWN = load_codebook(FIX / "codebook_own_ids.yml")
# no corroboration, so the levels below follow from the grades alone
P = Alignment(
    corroboration=Corroboration(top_min_sources=0, top_min_source_types=0, bottom_min_sources=0),
    bootstrap=Bootstrap(replicates=0),
)
TYPES = {"q1": "policy", "q2": "academic", "q3": "report", "self": "review"}
COLS = ["segment_id", "ref_key", "locator", "theme", "dimension", "polarity", "facet", "context", "excerpt", "coder",
        "claim_id"]  # fmt: skip


def segments() -> pd.DataFrame:
    # a1: praxis q1, q2 staerke; konzept q3 luecke (a normative claim); S4, the review's own sentence after q1's
    # (staerke praxis). Chosen coding: praxis voll (s = 1), konzept wenig (s = 0) -> vollstaendig needs konzept
    # voll/teil/none: no; teilweise needs konzept voll/teil: no -> nicht.
    rows = [
        ("S1", "q1", "a1", "staerke", "praxis", "dach"),
        ("S2", "q2", "a1", "staerke", "praxis", "international"),
        ("S3", "q3", "a1", "luecke", "konzept", "international"),
        ("S4", "self", "a1", "staerke", "praxis", "dach"),
    ]
    df = pd.DataFrame(
        [{"segment_id": s, "ref_key": k, "locator": s, "theme": "t1", "dimension": d, "polarity": pol, "facet": f,
          "context": c, "excerpt": s, "coder": "t", "claim_id": s} for s, k, d, pol, f, c in rows],
        columns=COLS,
    )  # fmt: skip
    df["role"] = df["polarity"].map(OWN.polarity_roles)
    df["is_synthesis"] = df["ref_key"].eq("self")
    return df


DECISIONS = """
decisions:
  - id: normative
    label: {en: Normative claims, de: Normative Aussagen}
    chosen: {en: gaps}
    alternative: {en: strengths}
    change:
      S3: {polarity: staerke}
  - id: attribution
    label: {en: Continuation sentences}
    chosen: {en: the review's own}
    alternative: {en: credited to the work before}
    change:
      S4: {ref_key: q1}
  - id: drop_concept
    label: {en: Concept claims}
    chosen: {en: coded}
    alternative: {en: not coded}
    drop: [S3]
"""


def decisions(tmp_path, text=DECISIONS):
    p = tmp_path / "decisions.yml"
    p.write_text(text, encoding="utf-8")
    return read_decisions(p, segments(), OWN, {"q1", "q2", "q3", "self"})


def test_apply_changes_roles_and_synthesis(tmp_path):
    d = decisions(tmp_path)
    s, q = apply(segments(), P, [d.get("normative"), d.get("attribution")], OWN, {"self"})
    row3 = s[s["segment_id"] == "S3"].iloc[0]
    row4 = s[s["segment_id"] == "S4"].iloc[0]
    assert (row3["polarity"], row3["role"]) == ("staerke", "strength")
    assert (row4["ref_key"], bool(row4["is_synthesis"])) == ("q1", False)
    assert q is P  # no parameters changed
    s, _ = apply(segments(), P, [d.get("drop_concept")], OWN, {"self"})
    assert "S3" not in set(s["segment_id"])


def test_specification_table_by_hand(tmp_path):
    # chosen: nicht (above). normative alone: konzept q3 staerke -> voll, praxis voll -> vollstaendig (changes).
    # attribution alone: S4 now cited, praxis still voll, konzept wenig -> nicht (unchanged). drop_concept alone:
    # konzept none, praxis voll -> vollstaendig (changes). 2^3 = 8 specifications; the level is nicht only when
    # neither normative nor drop_concept is taken: 2 of 8 -> share 0.25.
    d = decisions(tmp_path)
    spec = specification_table(segments(), OWN, P, ["a1"], TYPES, d, {"self"})
    assert spec["specification"].nunique() == 8
    assert spec.iloc[0]["level"] == "nicht" and spec.iloc[0]["alternatives"] == ""
    f = flips(spec, d).set_index("decision")
    assert f.loc["normative", "level"] == "vollstaendig" and f.loc["normative", "differs"]
    assert f.loc["attribution", "level"] == "nicht" and not f.loc["attribution", "differs"]
    assert f.loc["drop_concept", "differs"]
    assert flipping_decisions(spec, d) == {"a1": ["normative", "drop_concept"]}
    shares = level_shares(spec).set_index("level")
    assert shares.loc["nicht", "share"] == 0.25 and bool(shares.loc["nicht", "chosen"])


def test_parameters_are_decisions_too(tmp_path):
    d = decisions(tmp_path, DECISIONS + """
  - id: weighting
    label: {en: Context weighting}
    chosen: {en: not applied}
    alternative: {en: applied}
    parameters: {context_weighting: true}
""")  # fmt: skip
    _, q = apply(segments(), P, [d.get("weighting")], OWN, {"self"})
    assert q.context_weighting is True and P.context_weighting is None


@pytest.mark.parametrize(
    "extra,words",
    [
        ("    change:\n      S9: {polarity: staerke}\n", "segment 'S9' is not in the segments file"),
        ("    change:\n      S3: {polarity: strength}\n", "polarity 'strength' is not a polarity id of the codebook"),
        ("    change:\n      S3: {ref_key: nobody}\n", "ref_key 'nobody' is not a citation key of the bibliography"),
        ("    change:\n      S3: {segment_id: S7}\n", "'segment_id' is not a segment column an alternative can set"),
        ("    add:\n      - {segment_id: S1, ref_key: q1, dimension: a1, polarity: staerke, facet: praxis, context: dach}\n",
         "segment 'S1' is already in the segments file"),
        ("    parameters: {thresholds: [0]}\n", "'thresholds' is not a rule parameter a decision can set"),
        ("", "the alternative changes nothing"),
    ],
)  # fmt: skip
def test_mistakes_in_the_decisions_file_name_their_line(tmp_path, extra, words):
    text = "decisions:\n  - id: x\n    label: {en: X}\n    chosen: {en: a}\n    alternative: {en: b}\n" + extra
    with pytest.raises(InputErrors) as exc:
        decisions(tmp_path, text)
    first = exc.value.errors[0]
    assert words in first.message and first.line is not None, first.format()


# ---- replication: the reason of a "no" ------------------------------------------------------------------


def test_why_a_level_differs_from_the_published_one():
    # chosen coding: nicht with konzept wenig (S 0, G 1), praxis voll (S 2, G 0). Published teilweise needs
    # konzept voll or teil: the reason names that condition and the grade the evidence gives.
    j = judge(segments()[lambda d: ~d["is_synthesis"]], TYPES, P, OWN)
    assert j.rank == 0
    why = why_not_published(j, "teilweise", OWN, P)
    assert why == (
        "partly covered needs Concept graded voll, teil; the cited evidence: Concept is graded wenig (S 0, G 1)"
    )
    # published at the lowest level while the evidence meets a higher one
    high = judge(segments()[lambda d: d["segment_id"].isin(["S1", "S2"])], TYPES, P, OWN)
    assert high.rank == 2
    why = why_not_published(high, "nicht", OWN, P)
    assert why.startswith(
        "not covered takes only the cases no other level covers; the cited evidence meets fully covered"
    )
    assert "German" not in why_not_published(high, "nicht", OWN, P, "de")  # the catalog's German, the codebook's labels
    assert why_not_published(high, "nicht", OWN, P, "de").startswith("nicht abgedeckt umfasst nur die Fälle")


def test_the_count_says_what_was_not_compared():
    table = pd.DataFrame(
        {"dimension": ["a", "b", "c"], "level": ["x", "z", "w"], "level_rank": [1, 0, 2], "published_level": ["x", "y", ""],
         "matches_published": [True, False, pd.NA], "level_probability": [0.5, 0.5, 0.5]}
    )  # fmt: skip
    text = summary_text(table, "en", n_published=3)
    # 1 of 2 compared; the published table had 3 levels (1 without a counterpart); 1 of the 3 rows has none
    assert text == (
        "1 of 2 published levels reproduced (exact level match); the published table has 3 levels, 1 of them without "
        "a counterpart here (not compared); 1 of the 3 dimensions of this table have no published level (not compared)"
    )
    assert summary_text(table.iloc[:2], "en") == "1 of 2 published levels reproduced (exact level match)"
