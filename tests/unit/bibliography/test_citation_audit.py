"""The citation audit matches in-text citations to records by key, or by first author and year.

Hand-made corpus and citations; each expected status is worked out from the rule in
revalign.bibliography.citation_audit: a key names its record; otherwise the record's first family
name (letters and digits, diacritics dropped) and year must equal the citation's.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from revalign.bibliography import citation_audit
from revalign.bibliography.citation_audit import audit, name_key, read_citations
from revalign.bibliography.importer import read_corpus

ROOT = Path(__file__).resolve().parents[3]


def cites(*rows):
    return pd.DataFrame(
        [dict(zip(citation_audit.CITATION_COLUMNS, r, strict=True)) for r in rows], dtype=object
    ).astype({"line": "Int64"})


CORPUS = pd.DataFrame(
    {
        "record_id": ["muller2020", "smith2020", "smith2020b", "wef2025", "lee2019", "self"],
        "authors": ["Müller, Jürgen", "Smith, Ann", "Smith, Bo; Müller, J.", "{World Economic Forum}", "Lee, Kim",
                    "Author, A."],
        "year": [2020, 2020, 2020, 2025, 2019, 2025],
        "title": ["A", "B", "C", "D", "E", "The review"],
        "inreflist": ["yes", "yes", "yes", "no", "yes", "self"],
    }
)  # fmt: skip


def test_statuses_by_the_rule():
    per_citation, per_record = audit(
        cites(
            (1, "Muller (2020)", "narrative", "Muller", "2020", "", ""),  # ü dropped: muller2020 only
            (2, "Smith (2020)", "narrative", "Smith", "2020", "", ""),  # two records: ambiguous
            (3, "WEF (2025)", "mention", "World Economic Forum", "2025", "", ""),  # inreflist no
            (4, "Lee (2020)", "narrative", "Lee", "2020", "", ""),  # Lee wrote in 2019: no record
            (5, "the 2019 paper", "mention", "", "", "", "lee2019"),  # by key
        ),
        CORPUS,
    )
    assert per_citation["status"].tolist() == [
        "in_list", "ambiguous", "absent_from_list", "not_in_bibliography", "in_list"
    ]  # fmt: skip
    assert per_citation["record_id"].tolist()[:3] == ["muller2020", "smith2020; smith2020b", "wef2025"]
    # the review itself is not a record of the list; the cited ones are counted
    assert per_record.set_index("record_id")["citations"].to_dict() == {
        "lee2019": 1, "muller2020": 1, "smith2020": 0, "smith2020b": 0, "wef2025": 1
    }  # fmt: skip


def test_the_prefilter_keeps_every_record_the_name_parser_would_match():
    # the published review's citations against its own bibliography: the same first-author keys
    # as parsing every record's authors (what the audit did before it filtered by year and name)
    corpus = read_corpus([ROOT / "data/raw/bibliography/references.bib"])
    citations = read_citations(ROOT / "data/raw/bibliography/in_text_citations.csv")
    refs = corpus[corpus["inreflist"].astype("string").fillna("yes") != "self"].copy()
    refs["_year"] = pd.to_numeric(refs["year"], errors="coerce").astype("Int64").astype("string").fillna("")
    fast = citation_audit._first_author_keys(refs, citations)
    full = refs["authors"].map(citation_audit._first_family).map(name_key)
    computed = fast != ""
    assert computed.sum() >= 20  # the cited records were worked out ...
    assert (fast[computed] == full[computed]).all()
    # ... and a record left out could match no citation by author and year
    wanted = {(name_key(a), str(y)[:4]) for a, y in zip(citations["first_author"], citations["year"], strict=True)}
    skipped = [(k, y) for k, y in zip(full[~computed], refs.loc[~computed, "_year"], strict=True)]
    assert not wanted & set(skipped)


def test_folded_text_is_name_key_of_each_text():
    texts = pd.Series(["Müller, Jürgen", "{World Economic Forum}", "Ñúñez-Ø, A.", None, "İstanbul Üni"])
    assert citation_audit._folded(texts).tolist() == [name_key(t) for t in texts]
