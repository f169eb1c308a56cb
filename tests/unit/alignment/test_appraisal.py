"""The appraisal file: one judgement and reason per criterion of a named tool (revalign.alignment.appraisal).

Expected values are worked out by hand in the comments from the file texts below.
"""

from __future__ import annotations

import pytest

from revalign.alignment.appraisal import TOOLS, read_appraisal
from revalign.core.errors import InputError

HEAD = "ref_key,design,tool,criterion,judgement,reason\n"


def rows(key: str, tool: str, judgements: dict[str, str] | None = None, default: str = "yes", design: str = "d") -> str:
    """Every criterion of *tool* for source *key*: *default*, unless *judgements* says otherwise."""
    out = []
    for crit in TOOLS[tool].criteria:
        out.append(f"{key},{design},{tool},{crit},{(judgements or {}).get(crit, default)},because\n")
    return "".join(out)


def write(tmp_path, text: str):
    p = tmp_path / "appraisal.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_a_complete_appraisal_reads(tmp_path):
    text = (
        HEAD
        + rows("a", "aacods", {"objectivity": "no", "coverage": "partly"})
        + rows("a", "relevance", {"setting": "no"})
    )
    a = read_appraisal(write(tmp_path, text))
    s = a["a"]
    assert (s.tool, s.design, len(s.criteria), len(s.relevance)) == ("aacods", "d", 6, 3)
    assert s.limitations_assessed and s.relevance_assessed
    # six criteria: no (1) + partly (0.5) + four yes (0) -> 1.5 / 6 = 0.25
    assert s.shortfall() == pytest.approx(0.25)
    # relevance: yes 1, yes 1, no 0 -> 2 / 3
    assert s.relevance_score() == pytest.approx(2 / 3)
    assert set(a) == {"a"} and a.tools_used() == ["aacods"]


def test_not_applicable_is_left_out_and_not_assessed_leaves_the_source_unappraised(tmp_path):
    text = HEAD + rows("a", "jbi_text_opinion", {"q6": "not_applicable", "q5": "no"})
    text += rows("b", "jbi_text_opinion", {"q2": "not_assessed"})
    a = read_appraisal(write(tmp_path, text))
    assert a["a"].shortfall() == pytest.approx(1 / 5)  # q5 no over the 5 applicable criteria
    assert a["b"].shortfall() is None and not a["b"].limitations_assessed
    assert a.not_assessed() == {"b": ["jbi_text_opinion:q2"]}


@pytest.mark.parametrize(
    "text,line,words",
    [
        (HEAD + "a,d,casp,q1,yes,r\n", 2, "tool 'casp' is not one revalign knows"),
        (HEAD + "a,d,aacods,authorship,yes,r\n", 2, "criterion 'authorship' is not one of aacods's"),
        (HEAD + "a,d,aacods,authority,maybe,r\n", 2, "judgement 'maybe' must be one of"),
        (HEAD + "a,d,aacods,authority,yes,\n", 2, "give the reason"),
        (HEAD + rows("a", "aacods") + "a,d,aacods,date,no,again\n", 8, "judged twice (first on line 6)"),
        (HEAD + rows("a", "aacods") + "a,d,jbi_text_opinion,q1,yes,r\n", 8, "a second appraisal tool"),
        (HEAD + "a,d,aacods,authority,yes,r\na,other,aacods,date,yes,r\n", 3, "design 'other' differs"),
        (HEAD + "a,d,aacods,authority,yes,r\n", 2, "criterion 'accuracy' has no row"),
        ("ref_key,source_type,peer_reviewed,empirical,relevance\na,report,no,yes,direct\n", 1, "older appraisal form"),
        ("ref_key,tool\n", 1, "the appraisal file lacks the column(s) design, criterion, judgement, reason"),
    ],
)
def test_mistakes_name_their_line(tmp_path, text, line, words):
    with pytest.raises(InputError) as exc:
        read_appraisal(write(tmp_path, text))
    assert exc.value.line == line and words in exc.value.message, exc.value.format()


def test_the_published_reviews_appraisal_says_what_could_not_be_judged():
    # data/raw/coding/appraisal.csv: every cited source has a tool and the three relevance criteria; the
    # methodological criteria that need the full text are not_assessed with that reason (no full texts were read)
    from pathlib import Path

    a = read_appraisal(Path(__file__).resolve().parents[3] / "data" / "raw" / "coding" / "appraisal.csv")
    assert all(s.relevance_assessed for s in a.values())
    assert all(s.tool in TOOLS for s in a.values())
    reasons = {j.reason for s in a.values() for j in s.criteria.values() if j.judgement == "not_assessed"}
    assert reasons and all("full text was not read" in r for r in reasons)
