"""Real exports for the defect classes of issue 24 (tests/fixtures/bib/real/, provenance in
tests/fixtures/README.md).

Each expected value was read off the fixture by eye (the line is quoted in a comment), never
taken from the code's output; each test failed on the code before the fix it names.
"""

from __future__ import annotations

from pathlib import Path

from revalign.bibliography.importer import read_bibliography

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "bib" / "real"


def _by(df, column):
    return {row[column]: row for row in df.to_dict("records")}


# ----------------------------------------------------------------------------------
# class 2: author names split by the structure each format gives


def test_pubmed_csv_initials_keep_no_closing_period():
    # "Griffin DK, Larkin DM, O'Connor RE." : the period closes the list, it is not an initial's
    res = read_bibliography(REAL / "pubmed_csv_baseline.csv")
    r = _by(res.records, "doi")["10.1016/j.ejmg.2019.03.004"]
    assert r["authors"] == "Griffin, DK; Larkin, DM; O'Connor, RE"


def test_wos_af_without_comma_falls_back_to_au():
    # record of 2018: "AU Wang, CY" ... / "AF Wang Chen-Yang" ...: AF has no comma, AU says which is the family
    # record of 2019: "AF Mamede Veloso, Sirley Raiane": AF with its comma is the fuller form
    res = read_bibliography(REAL / "wos_af_without_comma.txt")
    recs = _by(res.records, "year")
    assert recs[2018]["authors"] == "Wang, CY; Yang, W; Zhang, K; Chen, HH; Zhao, GG; Wang, YY"
    assert recs[2019]["authors"].startswith("Mamede Veloso, Sirley Raiane; Araujo Lemos, Cleidiel Aparecido")


def test_springer_run_together_names_with_hyphenated_given_names():
    # "Chun-Tao HongDe-Hao ChenYu-Bei ChenWen-Guang ChenWei-Min ZhengHai-Bo Lin"
    res = read_bibliography(REAL / "springer_hyphenated_given.csv")
    recs = _by(res.records, "doi")
    assert recs["10.1007/s11390-012-1205-4"]["authors"] == (
        "Hong, Chun-Tao; Chen, De-Hao; Chen, Yu-Bei; Chen, Wen-Guang; Zheng, Wei-Min; Lin, Hai-Bo"
    )
    # "Denisa-Andreea ConstantinescuAngeles NavarroFrancisco CorberaJuan-Antonio Fernández-MadrigalRafael Asenjo"
    assert recs["10.1007/s11227-020-03257-3"]["authors"] == (
        "Constantinescu, Denisa-Andreea; Navarro, Angeles; Corbera, Francisco; "
        "Fernández-Madrigal, Juan-Antonio; Asenjo, Rafael"
    )


def test_suffixes_jr_and_ii_are_not_part_of_the_family_name():
    # Web of Science BibTeX: "Author = {Klimo, Jr., Paul and Michael, II, L. Madison and ..."
    res = read_bibliography(REAL / "wos_bibtex_suffix_jr.bib")
    assert res.records["authors"].iloc[0].startswith("Klimo, Paul, Jr.; Michael, L. Madison, II; Venable, Garrett T.")
    # Scopus BibTeX: "author = {Carmone Jr., Frank J. and Kara, Ali ..." (key "Carmone Jr.1997538")
    res = read_bibliography(REAL / "scopus_bibtex_key_space_jr.bib")
    assert res.records["authors"].iloc[0] == "Carmone, Frank J., Jr.; Kara, Ali; Zanakis, Stelios H."
    # Scopus BibTeX with affiliation letters: "author={Price, J.H.a  and Jeffrey Jr., J.D.b },"
    res = read_bibliography(REAL / "scopus_bibtex_affil_jr.bib")
    assert _by(res.records, "record_id")["Price2006123"]["authors"] == "Price, J.H.; Jeffrey, J.D., Jr."
