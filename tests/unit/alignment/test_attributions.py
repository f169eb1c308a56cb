"""The published review's data agree on who said what (issue 26, item 6).

Three files record attributions: the in-text citations of the paper (data/raw/bibliography/
in_text_citations.csv: which work is cited on which line), the key statistics (data/raw/coding/
key_statistics.csv: each figure the paper quotes, credited to a work) and the coded segments
(data/raw/coding/segments.csv: each claim credited to a work, or to the review itself). The rule of
docs/protocol.md (section 2, rule 2): a statement is credited to a work only when the work is cited in it.

- A statistic on a line that cites works is credited to one of them; a statistic on a line that cites
  nothing is the review's own.
- An excerpt that opens by naming a cited work as its source ("Coursera 2024: ...", "Garcia et al.: ...") is
  coded to that work.

Before the fix, K06-K08 credited Coursera on line 25, which cites nothing, and the excerpts of S013-S015
began "Coursera 2024:" while the rows were coded to the review: both checks failed on them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[3]
RAW = ROOT / "data" / "raw"
SELF = "ruminarndkredensial"  # the review's own key in its bibliography (DEVELOPING.md, Citation keys)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def corpus_keys() -> list[str]:
    text = (RAW / "bibliography" / "references.bib").read_text(encoding="utf-8")
    return re.findall(r"^@\w+\{([^,]+),", text, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def citations(corpus_keys) -> pd.DataFrame:
    """The in-text citations with the citation key each one refers to (its ref_key, else first author + year)."""
    df = _read(RAW / "bibliography" / "in_text_citations.csv")

    def key(row) -> str:
        if row["ref_key"]:
            return row["ref_key"]
        words = [re.sub(r"[^a-z]", "", w.lower()) for w in row["first_author"].split()]
        for name in (words[0], "".join(words)):  # "World Economic Forum" -> world; "Van Der Hijden" -> vanderhijden
            hits = [k for k in corpus_keys if k.startswith(f"{name}{row['year']}")]
            if len(hits) == 1:
                return hits[0]
        return ""

    df["key"] = [key(r) for r in df.to_dict("records")]
    return df


def _line(locator: str) -> str:
    m = re.search(r"\(L(\d+)\)", locator)
    assert m, f"locator {locator!r} has no line"
    return m.group(1)


def test_every_citation_resolves_to_one_work(citations):
    unresolved = citations.loc[citations["key"] == "", "citation"].tolist()
    assert unresolved == []


def test_key_statistics_are_credited_as_their_line_cites(citations):
    stats = _read(RAW / "coding" / "key_statistics.csv")
    by_line = citations.groupby("line")["key"].apply(set).to_dict()
    wrong = []
    for s in stats.to_dict("records"):
        cited = by_line.get(_line(s["locator"]), set())
        ok = s["ref_key"] in cited if cited else s["ref_key"] == SELF
        if not ok:
            wrong.append((s["stat_id"], s["ref_key"], sorted(cited)))
    assert wrong == []


def test_an_excerpt_that_names_a_source_is_coded_to_it(citations):
    segs = _read(RAW / "coding" / "segments.csv")
    names = {}
    for c in citations.to_dict("records"):
        first = c["first_author"].split()[0]
        if c["year"] and c["key"]:
            names[c["key"]] = [f"{first} {c['year']}", f"{first} et al", f"{first} &"]
    wrong = []
    for s in segs.to_dict("records"):
        for key, patterns in names.items():
            if any(s["excerpt"].startswith(p) for p in patterns) and s["ref_key"] != key:
                wrong.append((s["segment_id"], s["ref_key"], key))
    assert wrong == []


def test_the_check_catches_the_old_attributions(citations):
    # the statistics and excerpts as they were before the fix (K06 credited Coursera on line 25; S013's excerpt
    # "Coursera 2024: ..." coded to the review): the same rules refuse them
    by_line = citations.groupby("line")["key"].apply(set).to_dict()
    assert by_line.get("25") is None  # line 25 cites nothing, so a statistic there is the review's own
    names = {"coursera2024micro": ["Coursera 2024", "Coursera et al", "Coursera &"]}
    excerpt = "Coursera 2024: over two-thirds of leaders ... intend to adopt them within five years."
    assert any(excerpt.startswith(p) for p in names["coursera2024micro"])
