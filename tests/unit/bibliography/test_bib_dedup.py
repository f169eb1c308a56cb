"""De-duplication within and across files (revalign.bibliography.dedup via read_bibliography).

Small RIS files are written per test; the expected clusters follow from the rule
"same DOI, or (no DOI on one side) same normalised title and year", worked by hand.
"""

from __future__ import annotations

import hashlib
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
        for tag in ("AU", "TI", "T2", "PY", "DO", "AB"):
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


def test_title_year_fallback_when_one_side_has_no_doi(tmp_path):
    a = ris(tmp_path / "a.ris", {"TI": "Open Badges: A Review.", "PY": "2018"})
    b = ris(tmp_path / "b.ris", {"TI": "open badges - a review", "PY": "2018", "DO": "10.1/ob"})
    res = read_bibliography([a, b])
    assert res.n_unique == 1
    row = res.records.iloc[0]
    assert row["doi"] == "10.1/ob" and row["origins"] == "a.ris:1; b.ris:1"
    assert res.merges[["kept", "merged", "reason"]].values.tolist() == [["b.ris:1", "a.ris:1", "title+year"]]


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
    f = ris(
        tmp_path / "a.ris",
        {"TI": "Editorial", "PY": "2020", "DO": "10.1/two"},
        {"TI": "Editorial", "PY": "2020", "DO": "10.1/one"},
        {"TI": "Editorial", "PY": "2020"},
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
    assert res.merges["reason"].value_counts().to_dict() == {"doi": 9, "title+year": 2}
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
    # no citation key: "w" + first 10 hex digits of SHA-1 of "doi:<doi>" (module docstring)
    wid = "w" + hashlib.sha1(b"doi:10.5555/j.compedu.2020.103845").hexdigest()[:10]
    assert r.loc[wid, "origins"] == "endnote.ris:2; scopus.csv:2; scopus.ris:1"
    gid = "w" + hashlib.sha1(b"doi:10.5555/etr.2018.4.10").hexdigest()[:10]
    assert r.loc[gid, "origins"] == "endnote.ris:3; scopus.csv:4"  # title+year: EndNote has no DOI
    hid = "w" + hashlib.sha1("title:recognitionofpriorlearninginindonesianvocationaleducation|2017".encode()).hexdigest()[:10]
    assert r.loc[hid, "origins"] == "savedrecs.txt:3"
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
    assert res.records["record_id"].tolist() == ["smith2020a", "smith2020a-2"]
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
