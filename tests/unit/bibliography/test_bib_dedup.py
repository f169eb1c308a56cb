"""De-duplication within and across files (revalign.bibliography.dedup via read_bibliography).

Small RIS files are written per test; the expected clusters follow from the rules in the
docstring of revalign.bibliography.match (same DOI; else the same or a near-same title with
nothing disagreeing: year, authors, venue, volume, issue, pages; generic or short titles need
venue, volume and page), worked by hand. test_dedup_rules.py has one test per rule. The reason strings list what agreed, in the order
title, authors, venue, volume, pages, year.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pandas as pd

from revalign.bibliography.importer import read_bibliography

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "bib"
ALL = ["endnote.ris", "refs.bib", "savedrecs.txt", "scopus.csv", "scopus.ris", "zotero.json"]


def ris(path: Path, *records: dict) -> Path:
    lines = []
    for r in records:
        lines.append(f"TY  - {r.get('TY', 'JOUR')}")
        for tag in ("AU", "TI", "T2", "PY", "VL", "SP", "DO", "AB"):
            if r.get(tag):
                lines.append(f"{tag}  - {r[tag]}")
        lines += ["ER  - ", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_same_doi_within_one_file_differing_in_case_and_prefix(tmp_path):
    f = ris(
        tmp_path / "a.ris",
        {"TI": "Badges", "PY": "2020", "DO": "10.1/ABC"},
        {"TI": "Badges (preprint title)", "PY": "2019", "DO": "https://doi.org/10.1/abc"},
        {"TI": "Other", "PY": "2020", "DO": "doi:10.1/ABC"},
    )
    res = read_bibliography(f)
    assert res.n_read == 3 and res.n_unique == 1
    assert res.records["origins"].iloc[0] == "a.ris:1; a.ris:2; a.ris:3"
    assert list(res.merges["reason"]) == ["doi", "doi"]


def test_title_fallback_when_one_side_has_no_doi(tmp_path):
    a = ris(
        tmp_path / "a.ris",
        {
            "TI": "Open Badges in Higher Education: A Review.",
            "PY": "2018",
            "AU": "Smith, Ann",
            "T2": "Computers & Education",
        },
    )
    b = ris(
        tmp_path / "b.ris",
        {
            "TI": "open badges in higher education - a review",
            "PY": "2018",
            "DO": "10.1/ob",
            "AU": "Smith, A.",
            "T2": "Computers and Education",
        },
    )
    res = read_bibliography([a, b])
    assert res.n_unique == 1
    row = res.records.iloc[0]
    assert row["doi"] == "10.1/ob" and row["origins"] == "a.ris:1; b.ris:1"
    # "&" and "and" are the same venue; Smith is the first author of both
    assert res.merges[["kept", "merged", "reason"]].values.tolist() == [
        ["b.ris:1", "a.ris:1", "title+authors+venue+year"]
    ]


def test_title_and_year_alone_never_merge_when_authors_or_venues_disagree(tmp_path):
    t = "Micro-credentials and the future of work-based learning"
    f = ris(
        tmp_path / "a.ris",
        {"TI": t, "PY": "2020", "AU": "Smith, Ann", "T2": "Journal of Open Learning"},
        {"TI": t, "PY": "2020", "AU": "Lee, Kim", "T2": "Journal of Open Learning"},  # other first author
        {"TI": t, "PY": "2020", "AU": "Smith, Ann", "T2": "Studies in Higher Education"},  # other venue
        {"TI": "Open Badges: A Review", "PY": "2020"},  # short title, nothing else to agree
        {"TI": "Open badges - a review.", "PY": "2020"},
    )
    res = read_bibliography(f)
    assert res.n_unique == 5 and res.merges.empty


def test_database_tags_are_not_part_of_the_title(tmp_path):
    f = ris(
        tmp_path / "a.ris",
        {
            "TI": "Stackable credentials in vocational education. [Review] [23 refs]",
            "PY": "2019",
            "AU": "Lee, Kim",
            "T2": "Vocations and Learning",
            "VL": "12",
            "SP": "1",
        },
        {
            "TI": "Stackable credentials in vocational education",
            "PY": "2019",
            "AU": "Lee, K.",
            "T2": "Vocations and Learning",
            "VL": "12",
            "SP": "1",
        },
        {
            "TI": "Stackable credentials in vocational education [Erratum appears in Vocat Learn 2020;13(2):5 [added]]",
            "PY": "2019",
            "AU": "Lee, Kim",
            "T2": "Vocat Learn",
            "VL": "12",
            "SP": "1",
        },
    )
    res = read_bibliography(f)
    assert res.n_unique == 1
    # "Vocat Learn" abbreviates "Vocations and Learning"; the merged title has no tag
    assert res.records["title"].iloc[0] == "Stackable credentials in vocational education"


def test_title_year_fallback_without_any_doi(tmp_path):
    a = ris(tmp_path / "a.ris", {"TI": "Making micro-credentials work", "PY": "2019"})
    b = ris(tmp_path / "b.ris", {"TI": "Making Micro-Credentials Work.", "PY": "2019", "AU": "Oliver, Beverley"})
    res = read_bibliography([a, b])
    assert res.n_unique == 1 and res.merges["reason"].tolist() == ["title+year"]
    assert res.records["authors"].iloc[0] == "Oliver, Beverley"  # the more complete record is kept


def test_not_merged_different_dois_or_years(tmp_path):
    f = ris(
        tmp_path / "a.ris",
        {"TI": "Editorial", "PY": "2020", "DO": "10.1/one"},
        {"TI": "Editorial", "PY": "2020", "DO": "10.1/two"},  # same title+year, different DOIs
        {"TI": "Editorial", "PY": "2021"},  # different year, no DOI
    )
    res = read_bibliography(f)
    assert res.n_unique == 3 and res.merges.empty


def test_doi_less_record_joins_one_of_two_doi_works_never_both(tmp_path):
    t = "Micro-credentials in the workplace: a survey"
    f = ris(
        tmp_path / "a.ris",
        {"TI": t, "PY": "2020", "DO": "10.1/two"},
        {"TI": t, "PY": "2020", "DO": "10.1/one"},
        {"TI": t, "PY": "2020"},
    )
    res = read_bibliography(f)
    assert res.n_unique == 2  # the two DOIs stay apart
    assert set(res.records["doi"]) == {"10.1/one", "10.1/two"}
    # it joins the DOI work that comes first in input order (record 1, DOI 10.1/two)
    joined = res.records.set_index("doi").loc["10.1/two", "origins"]
    assert joined == "a.ris:1; a.ris:3"


def test_fixture_corpus_merges_across_all_formats():
    res = read_bibliography([FIX / n for n in ALL])
    # 4 BibTeX + 3 EndNote RIS + 2 Scopus RIS + 3 CSL-JSON + 5 Scopus CSV + 3 WoS
    assert res.n_read == 20
    # works: mueller, rahmawati, oliver, kemendikbudristek, smith (badges), zhang, garcia,
    # wibowo (Scopus only), haryanto (WoS only)
    assert res.n_unique == 9
    assert len(res.merges) == 11
    # oliver: same title, author Oliver, 2019, the BibTeX report has no venue;
    # garcia: "Open Badges: A Review." (short) with venue, volume 4 and first page 10 in both
    assert res.merges["reason"].value_counts().to_dict() == {
        "doi": 9, "title+authors+year": 1, "title+authors+venue+volume+pages+year": 1,
    }  # fmt: skip
    r = res.records.set_index("record_id")
    assert r.loc["mueller2021microcredentials", "origins"] == (
        "endnote.ris:1; refs.bib:mueller2021microcredentials; savedrecs.txt:1; scopus.csv:1"
    )
    # most complete fields: the abstract from Scopus, the custom fields from BibTeX
    assert r.loc["mueller2021microcredentials", "sourcetype"] == "secondary"
    assert r.loc["mueller2021microcredentials", "abstract"].startswith("Micro-credentials are short")
    assert r.loc["rahmawati2023kredensial", "origins"] == "refs.bib:rahmawati2023kredensial; zotero.json:7HG2K4PL"
    assert r.loc["oliver2019making", "origins"] == "refs.bib:oliver2019making; zotero.json:Q9XW3M2D"
    assert r.loc["zhang2022stackable", "origins"] == (
        "savedrecs.txt:2; scopus.csv:3; scopus.ris:2; zotero.json:zhang2022stackable"
    )
    # no citation key: first author's family name + year + first significant title word
    # (endnote.ris record 2: "AU  - Smith, Ann", "TI  - Digital badges and employability", "PY  - 2020")
    assert r.loc["smith2020digital", "origins"] == "endnote.ris:2; scopus.csv:2; scopus.ris:1"
    # "AU  - García, Ana" / "TI  - Open Badges: A Review." / 2018: accents dropped
    assert r.loc["garcia2018open", "origins"] == "endnote.ris:3; scopus.csv:4"  # by title etc.: EndNote has no DOI
    # WoS record 3: "Haryanto, Bambang", "Recognition of prior learning in Indonesian vocational education", 2017
    assert r.loc["haryanto2017recognition", "origins"] == "savedrecs.txt:3"
    assert (res.records["citation_key"] == res.records["record_id"]).all()
    assert list(res.records["record_id"]) == sorted(res.records["record_id"])


def test_order_of_input_files_does_not_matter():
    paths = [FIX / n for n in ALL]
    a = read_bibliography(paths)
    for seed in (1, 2, 3):
        shuffled = paths[:]
        random.Random(seed).shuffle(shuffled)
        b = read_bibliography(shuffled)
        pd.testing.assert_frame_equal(a.records, b.records)
        pd.testing.assert_frame_equal(a.merges, b.merges)
        pd.testing.assert_frame_equal(a.per_file, b.per_file)


def test_same_citation_key_for_two_works_gets_a_suffix(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.bib").write_text("@book{smith2020a, title={First book}, year={2020}}\n", encoding="utf-8")
    (tmp_path / "b.bib").write_text("@book{smith2020a, title={Second book}, year={2020}}\n", encoding="utf-8")
    res = read_bibliography([tmp_path / "x" / "a.bib", tmp_path / "b.bib"])
    # the first (in canonical order: by file label) keeps the key, the second gets "b", as in one file
    assert res.records["record_id"].tolist() == ["smith2020a", "smith2020ab"]
    assert res.records["record_id"].is_unique


def test_linear_scale_10k_records(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    import make_scopus

    f = tmp_path / "scopus.csv"
    unique = make_scopus.write(f, 10_000)
    res = read_bibliography(f)
    assert unique == 9_200  # 8% duplicates
    assert res.n_read == 10_000 and res.n_unique == unique
    assert (res.merges["reason"] == "doi").all()
